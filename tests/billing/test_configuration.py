from datetime import date

from dutydesk.billing.models import ChargeItem, ChargeTier


def test_a_manager_creates_a_tiered_water_item(project, staff, api):
    response = api(staff["manager"]).post("/api/v1/charge-items/", {
        "project": project.pk, "code": "water", "name": "水费", "basis": "metered", "unit_price": "3.45",
        "tiers": [{"up_to": "20", "price": "3.45"}, {"up_to": None, "price": "4.83"}]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["code"], body["basis"], body["unit_price"]) == ("water", "metered", "3.45")
    assert body["tiers"] == [{"up_to": "20.00", "price": "3.45"}, {"up_to": None, "price": "4.83"}]
    assert ChargeTier.objects.count() == 2


def test_it_rejects_falling_tiers_and_duplicate_codes(project, staff, api, mgmt_fee):
    client = api(staff["manager"])
    falling = client.post("/api/v1/charge-items/", {"project": project.pk, "code": "w", "name": "水费", "basis": "metered",
                                                    "unit_price": "1", "tiers": [{"up_to": "20", "price": "1"},
                                                                                 {"up_to": "10", "price": "2"}]}, format="json")
    assert falling.status_code == 400 and "tiers" in falling.json()["errors"]
    duplicate = client.post("/api/v1/charge-items/", {"project": project.pk, "code": "mgmt", "name": "x", "basis": "fixed",
                                                      "unit_price": "1"}, format="json")
    assert duplicate.status_code == 400 and "code" in duplicate.json()["errors"]
    assert ChargeItem.objects.count() == 1


def test_only_a_manager_configures_charge_items(project, staff, api, mgmt_fee):
    data = {"project": project.pk, "code": "parking", "name": "停车费", "basis": "per_space", "unit_price": "300"}
    for who in ("frontdesk", "archivist", "supervisor", "butler"):
        assert api(staff[who]).post("/api/v1/charge-items/", data, format="json").status_code == 403
    listed = api(staff["frontdesk"]).get("/api/v1/charge-items/").json()
    assert [i["code"] for i in listed["results"]] == ["mgmt"]
    assert api(staff["manager"]).delete(f"/api/v1/charge-items/{mgmt_fee.pk}/").status_code == 405


def test_a_manager_assigns_an_item_to_a_unit(unit, mgmt_fee, staff, api):
    data = {"unit": unit.pk, "item": mgmt_fee.pk, "start": "2026-01-01", "vacant_discount_percent": 50}
    assert api(staff["frontdesk"]).post("/api/v1/unit-charges/", data, format="json").status_code == 403
    response = api(staff["manager"]).post("/api/v1/unit-charges/", data, format="json")
    assert response.status_code == 201
    assert unit.charges.get().start == date(2026, 1, 1)
    backwards = api(staff["manager"]).post("/api/v1/unit-charges/", {**data, "end": "2025-01-01"}, format="json")
    assert backwards.status_code == 400


def test_parking_is_charged_per_space_of_the_unit(project, unit, staff):
    from dutydesk.archive.models import ParkingSpace
    from dutydesk.billing import services
    from dutydesk.billing.models import BillLine, UnitCharge

    parking = services.charge_item_save(project=project, code="parking", name="停车管理费", basis="per_space",
                                        unit_price="150.00", kind="parking")
    for code in ("P-001", "P-002"):
        ParkingSpace.objects.create(project=project, code=code, unit=unit)
    UnitCharge.objects.create(unit=unit, item=parking, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-10")
    line = BillLine.objects.get(bill__unit=unit)
    assert (line.quantity, line.amount) == (2, 300)
