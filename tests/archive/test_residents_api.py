from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.archive.models import Resident
from tests.factories import ResidentFactory, UnitFactory, valid_id_number


def test_it_rejects_a_resident_id_number_with_a_bad_checksum(staff, unit, api):
    good = valid_id_number(7)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = api(staff["frontdesk"]).post("/api/v1/residents/", {
        "name": "李四", "phone": "13912340000", "unit": unit.pk, "role": "owner", "id_number": bad}, format="json")
    assert response.status_code == 400
    assert "id_number" in response.json()["errors"]
    assert "校验" in response.json()["errors"]["id_number"][0]  # Chinese by default
    assert not Resident.objects.filter(name="李四").exists()


def test_the_error_comes_in_english_when_asked(staff, unit, api):
    response = api(staff["frontdesk"], language="en").post("/api/v1/residents/", {
        "name": "李四", "phone": "12345", "unit": unit.pk}, format="json")
    assert response.status_code == 400
    assert "mobile" in response.json()["errors"]["phone"][0]


def test_it_creates_a_resident_with_a_valid_id_number(staff, unit, api):
    response = api(staff["frontdesk"]).post("/api/v1/residents/", {
        "name": "李四", "phone": "0755-83456789", "unit": unit.pk, "role": "tenant",
        "id_number": valid_id_number(8).lower(), "move_in_date": "2026-03-01"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "李四" and body["move_in_date"] == "2026-03-01"
    # stored in full (upper-case X), answered masked: reading the full number is an audited reveal (issue 10)
    assert Resident.objects.get(pk=body["id"]).id_number == valid_id_number(8)
    assert body["id_number"] == valid_id_number(8)[:6] + "********" + valid_id_number(8)[-4:]
    assert Resident.objects.get(pk=body["id"]).history.first().history_user == staff["frontdesk"]


def test_a_resident_sees_only_their_own_unit_and_records(staff, resident_user, resident, unit, api):
    neighbour = ResidentFactory(unit=UnitFactory(building=unit.building, floor=5, number="501"))
    client = api(resident_user)
    assert [r["id"] for r in client.get("/api/v1/residents/").json()["results"]] == [resident.pk]
    assert [u["id"] for u in client.get("/api/v1/units/").json()["results"]] == [unit.pk]
    assert client.get(f"/api/v1/residents/{neighbour.pk}/").status_code == 404
    assert client.get(f"/api/v1/units/{neighbour.unit_id}/").status_code == 404
    assert client.patch(f"/api/v1/residents/{resident.pk}/", {"phone": "13900000000"}, format="json").status_code == 403


def test_the_butler_sees_only_their_floors(staff, building, other_building, api):
    mine = UnitFactory(building=building, floor=10, number="1001")
    above = UnitFactory(building=building, floor=20, number="2001")
    elsewhere = UnitFactory(building=other_building, floor=10, number="1001")
    client = api(staff["butler"])
    ids = {u["id"] for u in client.get("/api/v1/units/", {"page_size": 200}).json()["results"]}
    assert mine.pk in ids and above.pk not in ids and elsewhere.pk not in ids
    assert client.get(f"/api/v1/units/{above.pk}/").status_code == 404
    other = ResidentFactory(unit=elsewhere)
    assert client.get(f"/api/v1/residents/{other.pk}/").status_code == 404
    response = client.post("/api/v1/residents/", {"name": "王五", "phone": "13911112222", "unit": elsewhere.pk}, format="json")
    assert response.status_code == 400  # a unit outside the butler's floors is not a valid choice
    assert client.post("/api/v1/residents/", {"name": "王五", "phone": "13911112222", "unit": mine.pk},
                       format="json").status_code == 201


def test_staff_of_another_project_see_nothing_here(staff, unit, resident, api):
    from tests.factories import ProjectFactory, UserFactory, hold

    stranger = UserFactory(username="stranger")
    hold(stranger, "cs-supervisor", ProjectFactory(code="elsewhere"))
    client = api(stranger)
    assert client.get("/api/v1/units/").json()["count"] == 0
    assert client.get(f"/api/v1/residents/{resident.pk}/").status_code == 404


def test_visitor_desk_cannot_edit_residents(staff, resident, api):
    response = api(staff["visitordesk"]).patch(f"/api/v1/residents/{resident.pk}/", {"phone": "13900000000"}, format="json")
    assert response.status_code == 403
    resident.refresh_from_db()
    assert resident.phone == "13912345678"


def test_search_by_name_phone_and_unit(staff, resident, unit, api):
    client = api(staff["frontdesk"])
    for q in ("张三", "1391234", "A-1201"):
        assert [r["id"] for r in client.get("/api/v1/residents/", {"q": q}).json()["results"]] == [resident.pk], q


def test_unit_and_resident_lists_run_a_constant_number_of_queries(staff, building, api):
    for floor in range(1, 13):
        ResidentFactory(unit=UnitFactory(building=building, floor=floor, number=f"{floor}01"))
    client = api(staff["supervisor"])
    for path in ("/api/v1/units/", "/api/v1/residents/"):
        with CaptureQueriesContext(connection) as small:
            assert client.get(path, {"page_size": 2}).status_code == 200
        with CaptureQueriesContext(connection) as large:
            assert len(client.get(path, {"page_size": 200}).json()["results"]) == 12
        assert len(small) == len(large), path


def test_pagination_follows_the_api_conventions(staff, building, api):
    for floor in range(1, 6):
        UnitFactory(building=building, floor=floor, number=f"{floor}02")
    body = api(staff["supervisor"]).get("/api/v1/units/", {"page_size": 2, "page": 2}).json()
    assert body["count"] == 5 and len(body["results"]) == 2
    assert body["next"] and body["previous"]
    assert api(staff["supervisor"]).get("/api/v1/units/", {"page_size": 1000}).json()["results"].__len__() == 5


def test_units_filter_by_building_floor_and_number(staff, building, other_building, api):
    target = UnitFactory(building=building, floor=7, number="701")
    UnitFactory(building=other_building, floor=7, number="701")
    body = api(staff["supervisor"]).get("/api/v1/units/", {"building": building.pk, "floor": 7, "number": "701"}).json()
    assert [u["id"] for u in body["results"]] == [target.pk]
    assert body["results"][0]["area_m2"] == "88.50"
