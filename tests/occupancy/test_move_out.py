"""Move-out (退租/迁出, 退楼 in seeds/004_418914185ea837fa.txt:17, ≤ 30 min at :48): refused (409) while the unit has
arrears; meter readings, keys returned, goods release issued (the front desk's register); the unit vacant."""
from dutydesk.archive.models import Unit
from dutydesk.frontdesk.models import GoodsRelease, ServiceRecord
from dutydesk.occupancy.models import MOVE_OUT_STEPS, MoveOut
from tests.factories import ResidentFactory

STEPS = [code for code, _label in MOVE_OUT_STEPS]
BODIES = {"keys": {"count": 2}, "meters": {"readings": {"water": "412", "electricity": "5630.8", "gas": "233.1"}},
          "goods": {"items": "沙发一套、纸箱12个", "carrier_name": "顺心搬家小李", "carrier_phone": "13800138301"}}


def open_move_out(client, unit, resident, **changes):
    return client.post("/api/v1/move-outs/", {"unit": unit.pk, "resident": resident.pk, "date": "2026-06-05",
                                              **changes}, format="json")


def tick(client, pk, code, body=None):
    return client.post(f"/api/v1/move-outs/{pk}/steps/{code}/done", BODIES.get(code, {}) if body is None else body,
                       format="json")


def test_a_move_out_is_refused_while_the_unit_has_arrears(staff, api, unit, resident, unpaid_bill):
    bill = unpaid_bill(unit)
    response = open_move_out(api(staff["butler"]), unit, resident)
    assert response.status_code == 409
    assert "A-1201" in response.json()["detail"] and "309.75" in response.json()["detail"]
    assert not MoveOut.objects.exists()
    from dutydesk.billing import services as billing

    billing.payment_record(bill=bill, amount=bill.balance, method="cash", user=staff["butler"])
    assert open_move_out(api(staff["butler"]), unit, resident).status_code == 201


def test_done_issues_the_goods_release_and_leaves_the_unit_vacant(staff, api, unit, resident):
    family = ResidentFactory(unit=unit, name="张小三", role="family")
    client = api(staff["frontdesk"])
    created = open_move_out(client, unit, resident)
    assert created.status_code == 201
    body = created.json()
    assert [s["code"] for s in body["steps"]] == STEPS and body["status"] == "open"
    pk = body["id"]
    for code in STEPS[:-1]:
        assert tick(client, pk, code).status_code == 200
    done = tick(client, pk, "goods")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    release = GoodsRelease.objects.get()
    assert done.json()["goods_release"] == release.pk
    assert (release.unit, release.authorised_by, release.carrier_name) == (unit, "张三", "顺心搬家小李")
    unit.refresh_from_db()
    assert unit.status == Unit.Status.VACANT
    for person in (resident, family):
        person.refresh_from_db()
        assert person.move_out_date.isoformat() == "2026-06-05"
    assert ServiceRecord.objects.filter(procedure__code="ownership_transfer").count() == 1
    assert ServiceRecord.objects.filter(procedure__code="goods_release").count() == 1


def test_a_bill_that_arrives_meanwhile_stops_the_move_out_from_completing(staff, api, unit, resident, unpaid_bill):
    client = api(staff["frontdesk"])
    pk = open_move_out(client, unit, resident).json()["id"]
    for code in ("meters", "keys", "goods"):
        assert tick(client, pk, code).status_code == 200
    unpaid_bill(unit)
    refused = tick(client, pk, "fees")
    assert refused.status_code == 409
    move_out = MoveOut.objects.get()
    assert move_out.status == "open" and move_out.steps.get(code="fees").done_at is None  # rolled back
    unit.refresh_from_db()
    assert unit.status == Unit.Status.OCCUPIED


def test_the_goods_step_needs_the_goods_and_the_carrier(staff, api, unit, resident):
    client = api(staff["frontdesk"])
    pk = open_move_out(client, unit, resident).json()["id"]
    response = tick(client, pk, "goods", {"items": ""})
    assert response.status_code == 400 and {"items", "carrier_name"} <= set(response.json()["errors"])
    assert tick(client, pk, "goods", {**BODIES["goods"], "carrier_phone": "123"}).status_code == 400
    assert not GoodsRelease.objects.exists()


def test_a_resident_who_left_cannot_move_out_twice(staff, api, unit, resident):
    client = api(staff["frontdesk"])
    pk = open_move_out(client, unit, resident).json()["id"]
    assert open_move_out(client, unit, resident).status_code == 409  # one open move-out per unit
    for code in STEPS:
        tick(client, pk, code)
    again = open_move_out(client, unit, resident)
    assert again.status_code == 400 and "resident" in again.json()["errors"]


def test_the_move_out_page_lists_and_opens_the_checklist(staff, client, unit, resident):
    client.force_login(staff["frontdesk"])
    response = client.post("/occupancy/move-outs/", {"unit": "A-1201", "resident": resident.pk, "date": "2026-06-05"})
    move_out = MoveOut.objects.get()
    assert response.status_code == 302
    page = client.get(f"/occupancy/move-outs/{move_out.pk}/").content.decode()
    assert "物品放行" in page and 'name="carrier_name"' in page
    listing = client.get("/occupancy/move-outs/").content.decode()
    assert f"/occupancy/move-outs/{move_out.pk}/" in listing
