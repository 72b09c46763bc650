import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.frontdesk.models import ExpectedVisitor, Visit
from dutydesk.frontdesk.services import CODE_ALPHABET
from tests.factories import valid_id_number

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def visit_body(unit, **changes):
    return {"visitor_name": "王五", "visitor_phone": "13800138001", "id_number": None, "unit": unit.pk,
            "purpose": "探亲", "headcount": 2, **changes}


def test_registering_a_visitor_returns_a_pass_code_valid_for_the_configured_hours(staff, api, unit, settings):
    settings.DUTYDESK_VISIT_PASS_HOURS = 3
    with time_machine.travel(dt.datetime(2026, 5, 6, 14, 0, tzinfo=SHANGHAI), tick=False):
        response = api(staff["visitordesk"]).post("/api/v1/visits/", visit_body(unit), format="json")
    assert response.status_code == 201
    body = response.json()
    assert len(body["pass_code"]) == 8 and set(body["pass_code"]) <= set(CODE_ALPHABET)
    assert dt.datetime.fromisoformat(body["valid_until"]) == dt.datetime(2026, 5, 6, 17, 0, tzinfo=SHANGHAI)
    assert body["id"] == Visit.objects.get().pk


def test_the_default_pass_is_valid_for_four_hours_from_arrival(staff, api, unit):
    started = dt.datetime(2026, 5, 6, 9, 50, tzinfo=SHANGHAI)
    with time_machine.travel(dt.datetime(2026, 5, 6, 9, 53, tzinfo=SHANGHAI), tick=False):
        body = api(staff["visitordesk"]).post("/api/v1/visits/", visit_body(unit, started_at=started.isoformat()),
                                              format="json").json()
    assert dt.datetime.fromisoformat(body["valid_until"]) == started + dt.timedelta(hours=4)
    assert dt.datetime.fromisoformat(body["arrived_at"]) == started


def test_leaving_closes_the_visit_and_it_leaves_the_inside_list(staff, api, unit):
    client = api(staff["visitordesk"])
    visit = client.post("/api/v1/visits/", visit_body(unit), format="json").json()
    assert [v["id"] for v in client.get("/api/v1/visits/", {"inside": "true"}).json()["results"]] == [visit["id"]]
    left = client.post(f"/api/v1/visits/{visit['id']}/leave")
    assert left.status_code == 200 and left.json()["left_at"] is not None and left.json()["inside"] is False
    assert client.post(f"/api/v1/visits/{visit['id']}/leave").status_code == 409
    assert client.get("/api/v1/visits/", {"inside": "true"}).json()["count"] == 0


def test_it_rejects_an_id_number_with_a_bad_checksum(staff, api, unit):
    good = valid_id_number(7)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    client = api(staff["visitordesk"])
    response = client.post("/api/v1/visits/", visit_body(unit, id_number=bad), format="json")
    assert response.status_code == 400 and "id_number" in response.json()["errors"]
    assert not Visit.objects.exists()
    assert client.post("/api/v1/visits/", visit_body(unit, id_number=good), format="json").status_code == 201


def test_it_rejects_a_phone_that_is_not_a_phone_number_and_an_unknown_unit(staff, api, unit):
    client = api(staff["visitordesk"])
    response = client.post("/api/v1/visits/", visit_body(unit, visitor_phone="call me"), format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"visitor_phone"}
    response = client.post("/api/v1/visits/", {**visit_body(unit), "unit": 999999}, format="json")
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    assert not Visit.objects.exists()


def test_a_unit_of_another_project_is_unknown_and_its_visits_are_404(staff, api, elsewhere, unit):
    client = api(staff["visitordesk"])
    assert client.post("/api/v1/visits/", visit_body(elsewhere["unit"]), format="json").status_code == 400
    from dutydesk.frontdesk import services

    other = services.visit_register(unit=elsewhere["unit"], clerk=staff["manager"], visitor_name="外人",
                                    visitor_phone="13800138009", purpose="x")
    assert client.get(f"/api/v1/visits/{other.pk}/").status_code == 404
    assert client.post(f"/api/v1/visits/{other.pk}/leave").status_code == 404


def test_staff_without_the_visitor_permission_get_403(staff, api, unit, resident_user):
    assert api(staff["archivist"]).post("/api/v1/visits/", visit_body(unit), format="json").status_code == 403
    assert api(staff["cardclerk"]).get("/api/v1/visits/").status_code == 403
    assert api(resident_user).get("/api/v1/visits/").status_code == 403


def test_a_resident_pre_registers_a_visitor_and_the_desk_turns_the_code_into_a_visit(staff, api, unit, resident_user):
    with time_machine.travel(dt.datetime(2026, 5, 6, 9, 0, tzinfo=SHANGHAI), tick=False):
        created = api(resident_user).post("/api/v1/expected-visitors/", {
            "visitor_name": "赵六", "visitor_phone": "13800138002", "expected_on": "2026-05-07"}, format="json")
        assert created.status_code == 201
        code = created.json()["code"]
        early = api(staff["visitordesk"]).post("/api/v1/visits/", {"expected_code": code, "purpose": "做客"}, format="json")
        assert early.status_code == 400 and "expected_code" in early.json()["errors"]
    with time_machine.travel(dt.datetime(2026, 5, 7, 15, 0, tzinfo=SHANGHAI), tick=False):
        desk = api(staff["visitordesk"])
        visit = desk.post("/api/v1/visits/", {"expected_code": code.lower(), "purpose": "做客"}, format="json")
        assert visit.status_code == 201
        assert (visit.json()["visitor_name"], visit.json()["unit"]) == ("赵六", unit.pk)
        assert desk.post("/api/v1/visits/", {"expected_code": code, "purpose": "做客"}, format="json").status_code == 409
    assert ExpectedVisitor.objects.get(code=code).visit_id == visit.json()["id"]
    assert api(resident_user).get("/api/v1/expected-visitors/").json()["results"][0]["used"] is True


def test_a_resident_cannot_pre_register_for_a_unit_that_is_not_theirs(api, resident_user, elsewhere):
    response = api(resident_user).post("/api/v1/expected-visitors/", {
        "unit": elsewhere["unit"].pk, "visitor_name": "赵六", "expected_on": "2030-01-01"}, format="json")
    assert response.status_code == 400
    assert not ExpectedVisitor.objects.exists()


def test_the_pass_page_renders_the_qr_image(staff, client, unit):
    from dutydesk.frontdesk import services

    visit = services.visit_register(unit=unit, clerk=staff["visitordesk"], visitor_name="王五",
                                    visitor_phone="13800138001", purpose="探亲")
    client.force_login(staff["visitordesk"])
    page = client.get(f"/frontdesk/visits/{visit.pk}/pass/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="pass-qr" src="data:image/svg+xml' in html and visit.pass_code in html
    client.force_login(staff["archivist"])
    assert client.get(f"/frontdesk/visits/{visit.pk}/pass/").status_code == 403


def test_visit_list_runs_a_constant_number_of_queries(staff, api, unit):
    client = api(staff["visitordesk"])
    for n in range(5):
        client.post("/api/v1/visits/", visit_body(unit, visitor_name=f"访客{n}"), format="json")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/visits/", {"page_size": 2}).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert len(client.get("/api/v1/visits/", {"page_size": 200}).json()["results"]) == 5
    assert len(small) == len(large)


def test_a_visitors_id_number_is_stored_whole_and_read_masked_without_the_identity_right(staff, api, unit):
    number = valid_id_number(7)
    body = api(staff["visitordesk"]).post("/api/v1/visits/", visit_body(unit, id_number=number), format="json").json()
    assert Visit.objects.get(pk=body["id"]).id_number == number
    assert body["id_number"] == number[:6] + "********" + number[-4:]
    listed = api(staff["visitordesk"]).get("/api/v1/visits/").json()["results"]
    assert [v["id_number"] for v in listed] == [number[:6] + "********" + number[-4:]]
    # the manager's post grants archive.view_identity
    assert api(staff["manager"]).get(f"/api/v1/visits/{body['id']}/").json()["id_number"] == number
