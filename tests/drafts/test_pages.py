"""The staff pages: upload, review, edit and remove items, publish (org.manage only)."""
import pytest
from django.test import Client
from django.utils import translation

from dutydesk.drafts import services
from dutydesk.drafts.models import CatalogDraft
from dutydesk.org.models import Post


@pytest.fixture
def manager_client(staff):
    client = Client()
    client.force_login(staff["manager"])
    return client


@pytest.fixture
def draft(staff, jd_text):
    return services.draft_create(text=jd_text, user=staff["manager"], catalog="page-test")


def test_the_upload_form_makes_a_draft_and_opens_it(manager_client, jd_text):
    response = manager_client.post("/org/drafts/", {"text": jd_text, "catalog": "", "name": ""})
    draft = CatalogDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/org/drafts/{draft.pk}/"
    page = manager_client.get(response["Location"]).content.decode()
    assert 'id="L10"' in page and "客服员" in page and 'href="#L10"' in page  # the source line beside the item


def test_a_text_without_posts_is_shown_back_with_the_reason(manager_client):
    response = manager_client.post("/org/drafts/", {"text": "只有一句话。"})
    assert response.status_code == 400 and "岗位" in response.content.decode() and not CatalogDraft.objects.exists()


def test_the_pages_need_org_manage(staff, draft):
    client = Client()
    client.force_login(staff["frontdesk"])
    assert client.get("/org/drafts/").status_code == 403
    assert client.get(f"/org/drafts/{draft.pk}/").status_code == 403
    assert client.post(f"/org/drafts/{draft.pk}/items/p1-d1/remove").status_code == 403
    assert client.post(f"/org/drafts/{draft.pk}/publish").status_code == 403
    assert CatalogDraft.objects.get().status == "draft"


def test_edit_and_remove_change_the_yaml_and_the_history(manager_client, draft):
    response = manager_client.post(f"/org/drafts/{draft.pk}/items/p2-d1/edit", {"text": "负责接待来访业户和访客"},
                                   HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "负责接待来访业户和访客" in response.content.decode()
    manager_client.post(f"/org/drafts/{draft.pk}/items/p2-s1/edit", {"limit_minutes": "8"})
    manager_client.post(f"/org/drafts/{draft.pk}/items/p1-k1/remove")
    draft.refresh_from_db()
    assert '"负责接待来访业户和访客"' in draft.yaml and "limit_minutes: 8" in draft.yaml and "kpis:" not in draft.yaml
    reasons = list(draft.history.values_list("history_change_reason", flat=True))
    assert ["p1-k1" in reasons[0], "p2-s1" in reasons[1], "p2-d1" in reasons[2]] == [True, True, True]


@pytest.mark.parametrize("item, values", [("p2-s1", {"limit_minutes": "-3"}), ("p2-s1", {"limit_minutes": "abc"}),
                                          ("p2-r1", {"at": "25:00"}), ("p2-r1", {"schedule": "hourly"}),
                                          ("p1-k1", {"target": "NaN"}), ("p2-d1", {"text": "  "}),
                                          ("p9-d1", {"text": "x"}), ("p2-x1", {"text": "x"})])
def test_bad_edits_are_refused_and_change_nothing(manager_client, draft, item, values):
    before = CatalogDraft.objects.get(pk=draft.pk).posts
    response = manager_client.post(f"/org/drafts/{draft.pk}/items/{item}/edit", values, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="draft-error"' in response.content.decode()
    assert CatalogDraft.objects.get(pk=draft.pk).posts == before


def test_removing_a_post_leaves_its_subordinates_without_a_superior(manager_client, draft):
    manager_client.post(f"/org/drafts/{draft.pk}/items/p1/remove")
    draft.refresh_from_db()
    assert [p["name"] for p in draft.posts] == ["客服员"]
    assert any("客服员" in w for w in draft.warnings) and "superior: null" in draft.yaml


def test_publish_from_the_page(manager_client, draft):
    response = manager_client.post(f"/org/drafts/{draft.pk}/publish", follow=True)
    assert response.status_code == 200 and Post.objects.filter(catalog__code="page-test").count() == 2
    assert manager_client.post(f"/org/drafts/{draft.pk}/items/p2-d1/remove", HTTP_HX_REQUEST="true").status_code == 200
    assert CatalogDraft.objects.get(pk=draft.pk).posts[1]["duties"][0]["text"] == "负责接待来访业户"  # published: frozen


def test_the_review_page_in_english(manager_client, draft):
    with translation.override("en"):
        manager_client.post("/i18n/setlang/", {"language": "en"})
        page = manager_client.get(f"/org/drafts/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Publish the catalogue" in page and "Source text" in page


def test_the_list_page_queries_do_not_grow_with_drafts(manager_client, staff, jd_text, django_assert_max_num_queries):
    for _ in range(3):
        services.draft_create(text=jd_text, user=staff["manager"])
    with django_assert_max_num_queries(20) as few:
        manager_client.get("/org/drafts/")
    for _ in range(6):
        services.draft_create(text=jd_text, user=staff["manager"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager_client.get("/org/drafts/")
