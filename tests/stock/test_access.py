"""Who may do what in the stores: permissions come from posts (the supermarket catalogue grants the 仓管员 the stores,
the 理货员 and the 理货主管 a view); a user without the post gets 403, another store's records are 404."""
import pytest

from dutydesk.stock import services
from dutydesk.stock.models import Receipt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(milk, receive):
    return receive(milk, 5, batch="M-1", inspect=None)


def test_a_user_without_a_stores_post_gets_403_everywhere(api, store, milk, pending):
    nobody = UserFactory(username="cashier")
    client = api(nobody)
    assert client.get("/api/v1/stock/items/").status_code == 403
    assert client.get(f"/api/v1/stock/levels?project={store.pk}").status_code == 403
    assert client.post("/api/v1/stock/receipts", {"project": store.pk, "item": milk.pk, "quantity": "1"},
                       format="json").status_code == 403
    assert client.post(f"/api/v1/stock/receipts/{pending.pk}/inspect", {"result": "passed"},
                       format="json").status_code == 403
    assert Receipt.objects.get(pk=pending.pk).zone == "pending"


def test_the_clerk_sees_the_stock_but_may_not_receive_inspect_issue_or_count(api, clerk, store, milk, pending):
    client = api(clerk)
    assert client.get(f"/api/v1/stock/levels?project={store.pk}").status_code == 200
    assert client.get(f"/api/v1/stock/ledger?project={store.pk}").status_code == 200
    for path, body in [("/api/v1/stock/receipts", {"quantity": "1", "expires_on": "2099-01-01"}),
                       ("/api/v1/stock/issues", {"quantity": "1", "to": "货架"}),
                       ("/api/v1/stock/counts", {"counted": "1"}),
                       ("/api/v1/stock/items/", {"code": "Z", "name": "Z", "unit": "个"})]:
        response = client.post(path, {"project": store.pk, "item": milk.pk, **body}, format="json")
        assert response.status_code == 403, path
    assert client.post(f"/api/v1/stock/receipts/{pending.pk}/inspect", {"result": "passed"},
                       format="json").status_code == 403
    assert client.patch(f"/api/v1/stock/items/{milk.pk}", {"safety_stock": "1"}, format="json").status_code == 403


def test_another_stores_keeper_finds_nothing_of_this_store(api, other_keeper, store, milk, pending):
    client = api(other_keeper)
    assert client.post(f"/api/v1/stock/receipts/{pending.pk}/inspect", {"result": "passed"},
                       format="json").status_code == 404
    assert client.get(f"/api/v1/stock/receipts/{pending.pk}").status_code == 404
    assert client.get(f"/api/v1/stock/items/{milk.pk}").status_code == 404
    assert client.get("/api/v1/stock/receipts").json()["count"] == 0
    assert client.get(f"/api/v1/stock/levels?project={store.pk}").status_code == 403
    assert client.post("/api/v1/stock/issues", {"project": store.pk, "item": milk.pk, "quantity": "1", "to": "x"},
                       format="json").status_code == 403
    assert Receipt.objects.get(pk=pending.pk).zone == "pending"


def test_an_unknown_project_is_404_and_a_missing_one_400(api, keeper, milk):
    client = api(keeper)
    assert client.post("/api/v1/stock/receipts", {"project": 999999, "item": milk.pk, "quantity": "1"},
                       format="json").status_code == 404
    missing = client.post("/api/v1/stock/receipts", {"item": milk.pk, "quantity": "1"}, format="json")
    assert missing.status_code == 400 and "project" in missing.json()["errors"]


def test_pages_follow_the_same_rules(client, keeper, clerk, other_keeper, store, pending):
    client.force_login(clerk)
    assert client.get("/stock/").status_code == 200
    assert client.get("/stock/ledger/").status_code == 200
    assert client.get("/stock/receive/").status_code == 403
    assert client.post(f"/stock/receipts/{pending.pk}/inspect/", {"result": "passed"}).status_code == 403
    client.force_login(other_keeper)
    assert client.post(f"/stock/receipts/{pending.pk}/inspect/", {"result": "passed"}).status_code == 404
    assert client.post("/stock/issue/", {"project": store.pk, "item": 1, "quantity": "1", "to": "x"}).status_code == 403
    assert Receipt.objects.get(pk=pending.pk).zone == "pending"
    client.force_login(UserFactory(username="cashier"))
    assert client.get("/stock/").status_code == 403


def test_the_navigation_shows_the_keeper_the_stores_and_the_clerk_only_what_they_see(client, keeper, clerk):
    client.force_login(keeper)
    html = client.get("/").content.decode()
    for url in ("/stock/", "/stock/receive/", "/stock/pending/", "/stock/issue/", "/stock/count/", "/stock/ledger/"):
        assert f'href="{url}"' in html, url
    assert 'href="/stock/slips/"' not in html
    client.force_login(clerk)
    html = client.get("/").content.decode()
    assert 'href="/stock/ledger/"' in html and 'href="/stock/receive/"' not in html


def test_the_slips_are_approved_by_the_supervisor_once(api, keeper, sm_supervisor, milk, receive):
    """seeds/002_59da8478c28f7f86.txt:878 《入库单》、《出库单》都必须经总经理签字生效."""
    inspected, waiting = receive(milk, 12, batch="M-1"), receive(milk, 1, batch="M-2", inspect=None)
    issue = services.issue_record(project=milk.project, item=milk, quantity="2", to="货架", issued_by=keeper)
    boss, own = api(sm_supervisor), api(keeper)
    assert own.post(f"/api/v1/stock/receipts/{inspected.pk}/approve").status_code == 403
    approved = boss.post(f"/api/v1/stock/receipts/{inspected.pk}/approve")
    assert approved.status_code == 200 and approved.json()["approved_by"] == "主管老张"
    assert boss.post(f"/api/v1/stock/receipts/{inspected.pk}/approve").status_code == 409
    assert boss.post(f"/api/v1/stock/receipts/{waiting.pk}/approve").status_code == 409  # inspect first
    assert boss.post(f"/api/v1/stock/issues/{issue.pk}/approve").status_code == 200
    assert boss.post(f"/api/v1/stock/issues/{issue.pk}/approve").status_code == 409
