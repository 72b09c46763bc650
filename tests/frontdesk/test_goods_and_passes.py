import datetime as dt

import time_machine

from dutydesk.frontdesk.models import AccessPass, GoodsRelease
from dutydesk.frontdesk.models import ServiceRecord
from tests.factories import valid_id_number

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def bad_id_number():
    good = valid_id_number(3)
    return good[:17] + ("1" if good[17] == "0" else "0")


def release_body(unit, **changes):
    return {"unit": unit.pk, "items": "旧沙发一张、纸箱3个", "carrier_name": "搬家公司小刘", "authorised_by": "张三",
            **changes}


def test_goods_leave_with_the_authorisation_of_a_resident_of_the_unit(staff, api, unit, resident):
    client = api(staff["visitordesk"])
    response = client.post("/api/v1/goods-releases/", release_body(unit), format="json")
    assert response.status_code == 201
    assert response.json()["checked_out_by"] == staff["visitordesk"].pk
    assert ServiceRecord.objects.get().procedure.code == "goods_release"


def test_it_refuses_goods_authorised_by_someone_who_does_not_live_there(staff, api, unit, resident):
    response = api(staff["visitordesk"]).post("/api/v1/goods-releases/", release_body(unit, authorised_by="路人甲"),
                                              format="json")
    assert response.status_code == 400 and "authorised_by" in response.json()["errors"]
    assert not GoodsRelease.objects.exists()


def test_the_butler_authorises_a_tenants_move_out(staff, api, unit, resident):
    response = api(staff["visitordesk"]).post("/api/v1/goods-releases/", release_body(
        unit, authorised_by="陈管家", authorisation="butler"), format="json")
    assert response.status_code == 201 and response.json()["authorisation"] == "butler"


def test_goods_release_rejects_an_unknown_unit_and_needs_the_goods_permission(staff, api, unit, resident):
    response = api(staff["visitordesk"]).post("/api/v1/goods-releases/", {**release_body(unit), "unit": "Z-9999"},
                                              format="json")
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    assert api(staff["cardclerk"]).post("/api/v1/goods-releases/", release_body(unit), format="json").status_code == 403


def pass_body(unit, **changes):
    return {"kind": "renovation", "holder_name": "装修工老王", "unit": unit.pk, "valid_from": "2026-06-01",
            "valid_until": "2026-06-10", **changes}


@time_machine.travel(dt.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_it_issues_renews_and_cancels_an_access_pass(staff, api, unit):
    client = api(staff["frontdesk"])
    issued = client.post("/api/v1/passes/", pass_body(unit), format="json")
    assert issued.status_code == 201
    pk = issued.json()["id"]
    renewed = client.post(f"/api/v1/passes/{pk}/renew", {"valid_until": "2026-06-20"}, format="json")
    assert renewed.status_code == 200 and renewed.json()["valid_until"] == "2026-06-20"
    assert renewed.json()["renewals"] == 1
    assert client.post(f"/api/v1/passes/{pk}/cancel").status_code == 200
    assert client.post(f"/api/v1/passes/{pk}/cancel").status_code == 409
    assert client.post(f"/api/v1/passes/{pk}/renew", {"valid_until": "2026-07-01"}, format="json").status_code == 409
    assert ServiceRecord.objects.filter(procedure__code="access_pass").count() == 2  # issue + renewal


def test_expired_passes_are_listed_and_renewal_needs_new_dates(staff, api, unit):
    client = api(staff["frontdesk"])
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        pk = client.post("/api/v1/passes/", pass_body(unit, valid_until="2026-06-03"), format="json").json()["id"]
        client.post("/api/v1/passes/", pass_body(unit, valid_until="2026-06-30", kind="temporary"), format="json")
    with time_machine.travel(dt.datetime(2026, 6, 5, 10, 0, tzinfo=SHANGHAI), tick=False):
        expired = client.get("/api/v1/passes/", {"expired": "true"}).json()
        assert [p["id"] for p in expired["results"]] == [pk] and expired["results"][0]["expired"] is True
        no_dates = client.post(f"/api/v1/passes/{pk}/renew", {}, format="json")
        assert no_dates.status_code == 400 and "valid_until" in no_dates.json()["errors"]
        not_later = client.post(f"/api/v1/passes/{pk}/renew", {"valid_until": "2026-06-02"}, format="json")
        assert not_later.status_code == 400 and "valid_until" in not_later.json()["errors"]
        assert AccessPass.objects.get(pk=pk).valid_until == dt.date(2026, 6, 3)
        renewed = client.post(f"/api/v1/passes/{pk}/renew", {"valid_until": "2026-06-12"}, format="json").json()
        assert (renewed["valid_from"], renewed["valid_until"], renewed["expired"]) == ("2026-06-05", "2026-06-12", False)
        assert client.get("/api/v1/passes/", {"expired": "true"}).json()["count"] == 0


def test_a_pass_with_its_end_before_its_start_or_a_bad_holder_id_is_refused(staff, api, unit):
    client = api(staff["frontdesk"])
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        backwards = client.post("/api/v1/passes/", pass_body(unit, valid_until="2026-05-30"), format="json")
        assert backwards.status_code == 400 and "valid_until" in backwards.json()["errors"]
        bad_id = client.post("/api/v1/passes/", pass_body(unit, holder_id_number=bad_id_number()), format="json")
        assert bad_id.status_code == 400 and "holder_id_number" in bad_id.json()["errors"]
    assert not AccessPass.objects.exists()
