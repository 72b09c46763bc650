"""Receiving (seeds/002_59da8478c28f7f86.txt:790 收料区需区分三个区域): goods land in the pending zone, are inspected once
into the passed or the rejected zone; items keep a fixed bin each."""
from datetime import timedelta
from decimal import Decimal

import pytest

from dutydesk.core import clock
from dutydesk.stock import services
from dutydesk.stock.models import Receipt

pytestmark = pytest.mark.django_db


def test_a_receipt_lands_in_the_pending_zone_and_is_not_stock_yet(api, keeper, store, milk):
    response = api(keeper).post("/api/v1/stock/receipts", {"project": store.pk, "item": milk.pk, "quantity": "12",
                                                          "batch": "M-1", "expires_on": "2099-01-01"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["zone"] == "pending" and body["remaining"] == "0.000" and body["batch"] == "M-1"
    levels = api(keeper).get(f"/api/v1/stock/levels?project={store.pk}").json()["results"]
    assert [(row["item"], row["on_hand"], row["pending"], row["below_safety"]) for row in levels] == [
        (milk.pk, "0.000", "12.000", True)]


def test_inspection_moves_a_batch_to_passed_or_rejected_once(api, keeper, store, milk, receive):
    passed, rejected = receive(milk, 12, batch="M-1", inspect=None), receive(milk, 3, batch="M-2", inspect=None)
    client = api(keeper)

    first = client.post(f"/api/v1/stock/receipts/{passed.pk}/inspect", {"result": "passed", "note": "外包装完好"},
                        format="json")
    second = client.post(f"/api/v1/stock/receipts/{rejected.pk}/inspect", {"result": "rejected", "note": "漏液"},
                         format="json")
    again = client.post(f"/api/v1/stock/receipts/{passed.pk}/inspect", {"result": "rejected"}, format="json")

    assert first.status_code == 200 and first.json()["zone"] == "passed" and first.json()["remaining"] == "12.000"
    assert second.status_code == 200 and second.json()["zone"] == "rejected" and second.json()["remaining"] == "0.000"
    assert again.status_code == 409 and "detail" in again.json()
    assert Receipt.objects.get(pk=passed.pk).zone == "passed"
    levels = client.get(f"/api/v1/stock/levels?project={store.pk}").json()["results"]
    assert (levels[0]["on_hand"], levels[0]["pending"], levels[0]["below_safety"]) == ("12.000", "0.000", False)


def test_an_unknown_inspection_result_is_a_400(api, keeper, milk, receive):
    receipt = receive(milk, 1, inspect=None)
    response = api(keeper).post(f"/api/v1/stock/receipts/{receipt.pk}/inspect", {"result": "ok"}, format="json")
    assert response.status_code == 400 and "result" in response.json()["errors"]


def test_the_expiry_date_follows_from_the_production_date_and_the_shelf_life(api, keeper, store, milk):
    produced = clock.today() - timedelta(days=3)
    response = api(keeper).post("/api/v1/stock/receipts", {"project": store.pk, "item": milk.pk, "quantity": "1",
                                                          "produced_on": produced.isoformat()}, format="json")
    assert response.json()["expires_on"] == (produced + timedelta(days=30)).isoformat()
    assert response.json()["batch"]  # numbered for the clerk when none is given


def test_an_item_with_a_shelf_life_needs_an_expiry_or_a_production_date(api, keeper, store, milk):
    response = api(keeper).post("/api/v1/stock/receipts", {"project": store.pk, "item": milk.pk, "quantity": "1"},
                                format="json")
    assert response.status_code == 400 and "expires_on" in response.json()["errors"]


def test_the_same_batch_of_an_item_is_received_once(api, keeper, store, milk, receive):
    receive(milk, 1, batch="M-1")
    response = api(keeper).post("/api/v1/stock/receipts", {"project": store.pk, "item": milk.pk, "quantity": "1",
                                                          "batch": "M-1", "expires_on": "2099-01-01"}, format="json")
    assert response.status_code == 400 and "batch" in response.json()["errors"]


def test_an_item_of_another_store_is_unknown(api, keeper, store, other_store):
    theirs = services.item_save(project=other_store, code="X1", name="别店商品", unit="个")
    response = api(keeper).post("/api/v1/stock/receipts", {"project": store.pk, "item": theirs.pk, "quantity": "1"},
                                format="json")
    assert response.status_code == 400 and "item" in response.json()["errors"]


def test_each_item_has_its_own_fixed_bin(api, keeper, store, milk):
    """seeds/002_59da8478c28f7f86.txt:752 每一种物料都有一固定储位."""
    response = api(keeper).post("/api/v1/stock/items/", {"project": store.pk, "code": "M002", "name": "利乐枕",
                                                        "unit": "箱", "bin": "A-01-01"}, format="json")
    assert response.status_code == 400 and "bin" in response.json()["errors"]
    assert "M001" in response.json()["errors"]["bin"][0]  # names the item already there
    ok = api(keeper).post("/api/v1/stock/items/", {"project": store.pk, "code": "M002", "name": "利乐枕", "unit": "箱",
                                                  "bin": "A-01-02", "safety_stock": "5", "shelf_life_days": 25},
                          format="json")
    assert ok.status_code == 201, ok.content
    assert {k: ok.json()[k] for k in ("code", "unit", "bin", "safety_stock", "shelf_life_days")} == {
        "code": "M002", "unit": "箱", "bin": "A-01-02", "safety_stock": "5.000", "shelf_life_days": 25}


def test_an_item_is_changed_and_its_code_stays_unique(api, keeper, store, milk, rice):
    client = api(keeper)
    changed = client.patch(f"/api/v1/stock/items/{milk.pk}", {"safety_stock": "20"}, format="json")
    assert changed.status_code == 200 and changed.json()["safety_stock"] == "20.000"
    assert changed.json()["bin"] == "A-01-01"  # a partial change keeps the rest
    clash = client.patch(f"/api/v1/stock/items/{rice.pk}", {"code": "M001"}, format="json")
    assert clash.status_code == 400 and "code" in clash.json()["errors"]
    assert milk.history.count() == 2


def test_quantities_and_dates_are_checked(api, keeper, store, rice):
    response = api(keeper).post("/api/v1/stock/receipts", {"project": store.pk, "item": rice.pk, "quantity": "0",
                                                          "expires_on": "not-a-date"}, format="json")
    assert response.status_code == 400
    assert {"quantity", "expires_on"} <= set(response.json()["errors"])
    assert Decimal(0) == sum(r.quantity for r in Receipt.objects.all())
