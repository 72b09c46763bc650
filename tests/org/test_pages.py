import re

import pytest

from dutydesk.org.models import Post
from tests.conftest import login


def test_the_org_chart_shows_the_post_tree_with_holders(client, staff):
    client.force_login(staff["supervisor"])
    page = client.get("/org/").content.decode()
    assert "客户服务经理" in page and "楼层管家" in page
    assert page.index("客户服务经理") < page.index("客户服务副经理") < page.index("客服主管")
    assert staff["butler"].first_name in page


def test_the_org_chart_names_each_holder_once_and_reads_the_holdings_once(client, staff, project, building):
    """A butler holding the post on several building/floor ranges is one name on the chart (it was one per range),
    and more holdings are not more statements."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import BuildingFactory, hold

    client.force_login(staff["supervisor"])
    client.get("/org/")
    with CaptureQueriesContext(connection) as one_range:
        client.get("/org/")
    butler = staff["butler"]
    hold(butler, "floor-butler", project, building=building, floor_from=16, floor_to=30)
    hold(butler, "floor-butler", project, building=BuildingFactory(project=project, name="Z"), floor_from=1, floor_to=9)
    with CaptureQueriesContext(connection) as three_ranges:
        page = client.get("/org/").content.decode()
    holders = re.search(r'楼层管家</a>.*?<span class="holders">(.*?)</span>', page, re.S)[1]
    assert holders.count(butler.first_name) == 1
    assert len(three_ranges) == len(one_range)


def test_a_post_page_shows_duties_standards_routines_kpis_and_history(client, staff):
    client.force_login(staff["frontdesk"])
    post = Post.objects.get(code="frontdesk-assistant")
    page = client.get(f"/org/posts/{post.pk}/").content.decode()
    for text in ("岗位职责", "服务时限标准", "例行工作", "考核指标", "变更记录", "客服主管"):
        assert text in page, text
    assert "30" in page  # move-in ≤ 30 min (seeds/004_418914185ea837fa.txt)


def test_residents_cannot_open_staff_pages(client, resident_user, staff):
    client.force_login(resident_user)
    assert client.get("/org/").status_code == 403
    assert client.get("/units/").status_code == 403
    assert client.get("/").status_code == 302  # sent to the portal


def test_the_english_interface_is_available(client, staff):
    client.force_login(staff["supervisor"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/org/"})
    page = client.get("/org/").content.decode()
    assert "Org chart" in page and "Customer Service Manager" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_opens_the_org_chart_and_a_post_page_in_chromium(page, staff):
    login(page, "manager")
    page.click("text=组织架构")
    page.wait_for_selector(".org-tree")
    assert page.locator(".org-tree .post-link").count() >= 20
    page.click(".org-tree >> text=客服主管")
    page.wait_for_selector("h1:has-text('客服主管')")
    assert page.locator(".duties li").count() > 0
    assert "客户服务副经理" in page.inner_text("main")
    assert page.console_errors == []


def test_the_chart_and_a_post_page_name_the_holders_of_one_project_at_a_time(client, staff, project, building,
                                                                            monkeypatch):
    """A group's posts are held by thousands across its projects: the chart and a post page name the holders of the
    project picked (the first of the viewer's by default), never of a project the viewer does not work in; a post
    page reads one project's holdings, in the same statements however many the post has."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import BuildingFactory, ProjectFactory, UserFactory, hold

    other = ProjectFactory(organisation=project.organisation, name="西园")
    far_butler = UserFactory(username="far-butler", first_name="远方管家")
    hold(far_butler, "floor-butler", other, building=BuildingFactory(project=other, name="W"), floor_from=1, floor_to=9)
    butler_post = Post.objects.get(code="floor-butler")
    manager = staff["manager"]
    client.force_login(manager)

    def holders(path, **params):
        page = client.get(path, params).content.decode()
        return [name for name in (staff["butler"].first_name, far_butler.first_name) if name in page]

    assert holders("/org/") == [staff["butler"].first_name]
    assert holders("/org/", project=other.pk) == [staff["butler"].first_name]  # not the manager's project: the first
    for bad in ("abc", "-1", "9" * 30):  # a hand-edited URL: the first project, never an error
        assert holders(f"/org/posts/{butler_post.pk}/", project=bad) == [staff["butler"].first_name]
    assert holders(f"/org/posts/{butler_post.pk}/") == [staff["butler"].first_name]

    hold(manager, "cs-manager", other)
    assert holders("/org/", project=other.pk) == [far_butler.first_name]
    assert holders(f"/org/posts/{butler_post.pk}/", project=other.pk) == [far_butler.first_name]
    page = client.get(f"/org/posts/{butler_post.pk}/", {"project": project.pk}).content.decode()
    assert "A 1–15F" in page and "西园" in page  # the picker offers both projects

    with CaptureQueriesContext(connection) as one:
        client.get(f"/org/posts/{butler_post.pk}/", {"project": other.pk})
    for number in range(5):
        hold(UserFactory(username=f"w{number}"), "floor-butler", other, building=BuildingFactory(project=other),
             floor_from=1, floor_to=9)
    with CaptureQueriesContext(connection) as six:
        page = client.get(f"/org/posts/{butler_post.pk}/", {"project": other.pk}).content.decode()
    assert page.count("1–9F") == 6 and len(six) == len(one)

    monkeypatch.setattr("dutydesk.org.views.HOLDINGS_PER_PAGE", 4)
    second = client.get(f"/org/posts/{butler_post.pk}/", {"project": other.pk, "page": 2}).content.decode()
    assert second.count("1–9F") == 2 and "2 / 2" in second
