"""The stores' pages: the same services and messages as the API, without a script where none is needed."""
from decimal import Decimal

import pytest

from dutydesk.stock.models import Issue, Item, Receipt, StockCount
from tests.stock.conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper_client(client, keeper):
    client.force_login(keeper)
    return client


def test_the_keeper_receives_inspects_and_issues_on_the_pages(keeper_client, store, milk, receive):
    receive(milk, 4, on=days_ago(3), batch="M-OLD")
    response = keeper_client.post("/stock/receive/", {"project": store.pk, "item": milk.pk, "quantity": "10",
                                                     "batch": "M-NEW", "expires_on": "2099-12-31"}, follow=True)
    assert "M-NEW" in response.content.decode()
    receipt = Receipt.objects.get(batch="M-NEW")
    assert receipt.zone == "pending"

    row = keeper_client.post(f"/stock/receipts/{receipt.pk}/inspect/", {"result": "passed"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and "<tr" in row.content.decode() and "合格" in row.content.decode()
    again = keeper_client.post(f"/stock/receipts/{receipt.pk}/inspect/", {"result": "rejected"},
                               HTTP_HX_REQUEST="true")
    assert "已检验" in again.content.decode() or "already" in again.content.decode()  # the 409 said in the row
    assert Receipt.objects.get(pk=receipt.pk).zone == "passed"

    response = keeper_client.post("/stock/issue/", {"project": store.pk, "item": milk.pk, "quantity": "6",
                                                   "to": "卖场A区"}, follow=True)
    html = response.content.decode()
    issued = Issue.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"done={issued.pk}")
    assert 'id="issue-lines"' in html and html.index("M-OLD") < html.index("M-NEW")
    assert [(line.receipt.batch, line.quantity) for line in issued.lines.order_by("id")] == [
        ("M-OLD", Decimal("4")), ("M-NEW", Decimal("2"))]


def test_too_much_on_the_issue_page_says_so_beside_the_field_and_changes_nothing(keeper_client, store, milk, receive):
    receive(milk, 4, batch="M-1")
    response = keeper_client.post("/stock/issue/", {"project": store.pk, "item": milk.pk, "quantity": "5", "to": "卖场"})
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html and "4" in html
    assert 'value="5"' in html  # the form keeps what was typed
    assert not Issue.objects.exists() and Receipt.objects.get().remaining == Decimal("4")


def test_the_receive_form_reports_field_errors(keeper_client, store, milk):
    response = keeper_client.post("/stock/receive/", {"project": store.pk, "item": milk.pk, "quantity": "abc"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not Receipt.objects.exists()


def test_an_inspection_without_script_redirects_back_with_a_message(keeper_client, milk, receive):
    receipt = receive(milk, 2, batch="M-1", inspect=None)
    response = keeper_client.post(f"/stock/receipts/{receipt.pk}/inspect/", {"result": "rejected", "note": "漏液"},
                                  follow=True)
    assert response.status_code == 200 and "M-1" in response.content.decode()
    receipt.refresh_from_db()
    assert receipt.zone == "rejected" and receipt.inspection_note == "漏液"


def test_the_keeper_adds_and_changes_items(keeper_client, store, milk):
    response = keeper_client.post("/stock/items/save/", {"project": store.pk, "code": "S001", "name": "食盐",
                                                         "unit": "袋", "bin": "D-01", "safety_stock": "",
                                                         "shelf_life_days": ""}, follow=True)
    assert response.status_code == 200
    salt = Item.objects.get(code="S001")
    assert (salt.bin, salt.safety_stock, salt.shelf_life_days) == ("D-01", 0, None)
    clash = keeper_client.post("/stock/items/save/", {"project": store.pk, "code": "S002", "name": "白糖",
                                                     "unit": "袋", "bin": "D-01"})
    assert clash.status_code == 200 and "S001" in clash.content.decode() and not Item.objects.filter(code="S002")
    keeper_client.post("/stock/items/save/", {"item": salt.pk, "code": "S001", "name": "食盐", "unit": "袋",
                                              "bin": "D-02", "safety_stock": "3", "active": "1"})
    salt.refresh_from_db()
    assert (salt.bin, salt.safety_stock, salt.active) == ("D-02", 3, True)
    page = keeper_client.get(f"/stock/items/{salt.pk}/").content.decode()
    assert "D-02" in page and "D-01" in page  # the history shows the move


def test_a_stocktake_on_the_page(keeper_client, store, milk, receive):
    receive(milk, 12, batch="M-1")
    keeper_client.post("/stock/count/", {"project": store.pk, "item": milk.pk, "counted": "12"})
    count = StockCount.objects.get()
    assert (count.book, count.difference) == (12, 0)


def test_the_supervisor_approves_slips_on_the_page(client, sm_supervisor, keeper, milk, receive):
    receipt = receive(milk, 12, batch="M-1")
    client.force_login(sm_supervisor)
    assert "M-1" in client.get("/stock/slips/").content.decode()
    client.post(f"/stock/slips/receipt/{receipt.pk}/approve/")
    receipt.refresh_from_db()
    assert receipt.approved_by == sm_supervisor
    assert "M-1" not in client.get("/stock/slips/").content.decode()


def test_the_pages_speak_english_too(client, keeper, store, milk, receive):
    receive(milk, 3, batch="M-1", inspect=None)
    client.force_login(keeper)
    for path in ("/stock/", "/stock/pending/", "/stock/issue/", "/stock/ledger/"):
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "库存" not in html.split("<main", 1)[1].replace(store.name, ""), path
