"""Issue 12 acceptance: receipts land in 待检 and are inspected into 合格/不合格; an issue takes passed, unexpired stock
first in, first out and says which batches; more than is available → 400 and nothing changes."""
from decimal import Decimal

import pytest

from dutydesk.stock.models import Issue, IssueLine, Receipt
from tests.stock.conftest import days_ago, days_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def batches(milk, receive):
    """Five deliveries of milk, oldest first: one expired, one rejected, three passed (6, 10 and 10 boxes)."""
    return {
        "expired": receive(milk, 5, on=days_ago(40), batch="M-0301", expires_on=days_ago(1)),
        "rejected": receive(milk, 4, on=days_ago(12), batch="M-0320", inspect="rejected"),
        "old": receive(milk, 6, on=days_ago(8), batch="M-0401"),
        "new": receive(milk, 10, on=days_ago(2), batch="M-0410"),
        "newest": receive(milk, 10, on=days_ago(0), batch="M-0412"),
    }


def _remaining(batches):
    return {name: Receipt.objects.get(pk=r.pk).remaining for name, r in batches.items()}


def test_an_issue_spanning_two_batches_takes_exactly_the_oldest_passed_unexpired_ones(api, keeper, store, milk,
                                                                                      batches):
    response = api(keeper).post("/api/v1/stock/issues", {"project": store.pk, "item": milk.pk, "quantity": "8",
                                                        "to": "卖场A区货架"}, format="json")

    assert response.status_code == 201, response.content
    assert [(line["batch"], line["quantity"]) for line in response.json()["lines"]] == [
        ("M-0401", "6.000"), ("M-0410", "2.000")]
    assert _remaining(batches) == {"expired": Decimal("5"), "rejected": Decimal("0"), "old": Decimal("0"),
                                   "new": Decimal("8"), "newest": Decimal("10")}


def test_an_issue_larger_than_what_is_available_is_400_and_nothing_changes(api, keeper, store, milk, batches):
    before = _remaining(batches)
    history = Receipt.history.count()

    response = api(keeper).post("/api/v1/stock/issues", {"project": store.pk, "item": milk.pk, "quantity": "26.001",
                                                        "to": "卖场A区货架"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["quantity"]
    assert "26" in response.json()["errors"]["quantity"][0]  # says what can be issued: 6 + 10 + 10
    assert _remaining(batches) == before
    assert not Issue.objects.exists() and not IssueLine.objects.exists()
    assert Receipt.history.count() == history


def test_all_that_is_available_can_be_issued_to_the_last_box(api, keeper, store, milk, batches):
    response = api(keeper).post("/api/v1/stock/issues", {"project": store.pk, "item": milk.pk, "quantity": "26",
                                                        "to": "卖场"}, format="json")
    assert response.status_code == 201
    assert [line["batch"] for line in response.json()["lines"]] == ["M-0401", "M-0410", "M-0412"]
    assert _remaining(batches)["expired"] == Decimal("5")  # expired stock stays where it is


def test_expired_stock_is_never_issued_not_even_on_its_expiry_day(api, keeper, store, milk, receive):
    receive(milk, 5, on=days_ago(20), batch="M-OLD", expires_on=days_ago(0))  # expires today: no longer usable
    response = api(keeper).post("/api/v1/stock/issues", {"project": store.pk, "item": milk.pk, "quantity": "1",
                                                        "to": "卖场"}, format="json")
    assert response.status_code == 400
    assert Receipt.objects.get(batch="M-OLD").remaining == Decimal("5")


def test_a_batch_that_expires_tomorrow_is_still_issued(api, keeper, store, milk, receive):
    receive(milk, 5, on=days_ago(20), batch="M-LAST", expires_on=days_ahead(1))
    response = api(keeper).post("/api/v1/stock/issues", {"project": store.pk, "item": milk.pk, "quantity": "5",
                                                        "to": "卖场"}, format="json")
    assert response.status_code == 201


def test_pending_and_rejected_goods_are_not_stock(api, keeper, store, milk, receive):
    receive(milk, 5, batch="M-P", inspect=None)
    receive(milk, 5, batch="M-R", inspect="rejected")
    response = api(keeper).post("/api/v1/stock/issues", {"project": store.pk, "item": milk.pk, "quantity": "1",
                                                        "to": "卖场"}, format="json")
    assert response.status_code == 400


def test_quantities_are_decimal_an_item_may_be_weighed(api, keeper, store, rice, receive):
    receive(rice, "12.5", batch="R-1")
    response = api(keeper).post("/api/v1/stock/issues", {"project": store.pk, "item": rice.pk, "quantity": "0.75",
                                                        "to": "熟食档"}, format="json")
    assert response.status_code == 201
    assert Receipt.objects.get(batch="R-1").remaining == Decimal("11.750")
    too_fine = api(keeper).post("/api/v1/stock/issues", {"project": store.pk, "item": rice.pk, "quantity": "0.0001",
                                                        "to": "熟食档"}, format="json")
    assert too_fine.status_code == 400 and "quantity" in too_fine.json()["errors"]


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "NaN", "1e30", ""])
def test_a_bad_quantity_is_a_400_on_quantity(api, keeper, store, milk, batches, quantity):
    response = api(keeper).post("/api/v1/stock/issues", {"project": store.pk, "item": milk.pk, "quantity": quantity,
                                                        "to": "卖场"}, format="json")
    assert response.status_code == 400 and "quantity" in response.json()["errors"]
    assert not Issue.objects.exists()


def test_an_issue_says_whom_the_goods_go_to(api, keeper, store, milk, batches):
    response = api(keeper).post("/api/v1/stock/issues", {"project": store.pk, "item": milk.pk, "quantity": "1",
                                                        "to": "  "}, format="json")
    assert response.status_code == 400 and "to" in response.json()["errors"]
