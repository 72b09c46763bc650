"""Who may do what (dutydesk/org/catalogs/property-cs.yaml grants): a post without the code gets 403, an object of
another project or outside a floor butler's floors is a 404, a resident gets nothing."""
from datetime import date

import pytest

from dutydesk.occupancy import services
from dutydesk.occupancy.models import Renovation
from tests.factories import ResidentFactory, UnitFactory


@pytest.mark.parametrize("username", ["visitordesk", "cardclerk", "engineer"])
def test_posts_without_the_procedures_get_403(staff, api, username, renovation):
    client = api(staff[username])
    for path in ("/api/v1/move-ins/", "/api/v1/renovations/", "/api/v1/move-outs/",
                 f"/api/v1/renovations/{renovation.pk}/"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/api/v1/renovations/{renovation.pk}/approve", {}, format="json").status_code == 403


@pytest.mark.parametrize("username, action, body", [
    ("frontdesk", "approve", {}),  # the supervisor post approves (seeds/000_d44081c6db2527f0.txt:459)
    ("butler", "approve", {}),
    ("frontdesk", "refund", {"method": "cash"}),
    ("butler", "refund", {"method": "cash"}),  # the butler follows up; the refund is the deputy supervisor's
    ("archivist", "inspections", {"result": "pass"}),
])
def test_the_wrong_post_gets_403_for_the_action(staff, api, renovation, username, action, body):
    response = api(staff[username]).post(f"/api/v1/renovations/{renovation.pk}/{action}", body, format="json")
    assert response.status_code == 403
    renovation.refresh_from_db()
    assert renovation.status == Renovation.Status.APPLIED


def test_the_archivist_sees_but_cannot_open(staff, api, vacant, newcomer, renovation_body):
    client = api(staff["archivist"])
    assert client.get("/api/v1/renovations/").status_code == 200
    assert client.post("/api/v1/renovations/", renovation_body(), format="json").status_code == 403
    assert client.post("/api/v1/move-ins/", {"unit": vacant.pk, "resident": newcomer.pk, "date": "2026-06-01"},
                       format="json").status_code == 403


def test_another_projects_records_are_404(staff, api, elsewhere):
    client = api(staff["manager"])
    renovation, move_in = elsewhere["renovation"], elsewhere["move_in"]
    assert client.get(f"/api/v1/renovations/{renovation.pk}/").status_code == 404
    assert client.post(f"/api/v1/renovations/{renovation.pk}/approve", {}, format="json").status_code == 404
    assert client.post(f"/api/v1/move-ins/{move_in.pk}/steps/documents/done", {}, format="json").status_code == 404
    assert client.get("/api/v1/renovations/").json()["count"] == 0
    unknown_unit = client.post("/api/v1/renovations/", {"unit": elsewhere["unit"].pk, "contractor": "x",
                                                        "starts_on": "2026-06-02", "ends_on": "2026-06-09",
                                                        "deposit": "0"}, format="json")
    assert unknown_unit.status_code == 400 and "unit" in unknown_unit.json()["errors"]


def test_pages_of_another_project_are_404(staff, client, elsewhere):
    client.force_login(staff["manager"])
    assert client.get(f"/occupancy/renovations/{elsewhere['renovation'].pk}/").status_code == 404
    assert client.get(f"/occupancy/move-ins/{elsewhere['move_in'].pk}/").status_code == 404
    assert client.post(f"/occupancy/renovations/{elsewhere['renovation'].pk}/approve").status_code == 404


def test_a_floor_butler_works_on_their_floors_only(staff, api, other_building):
    unit_b = UnitFactory(building=other_building, floor=3, number="301")
    resident_b = ResidentFactory(unit=unit_b, name="李四")
    renovation = services.renovation_apply(unit=unit_b, clerk=staff["frontdesk"], contractor="某装修队",
                                           starts_on=date(2026, 6, 2), ends_on=date(2026, 6, 9), deposit="0",
                                           resident=resident_b)
    butler = api(staff["butler"])
    assert butler.get(f"/api/v1/renovations/{renovation.pk}/").status_code == 404
    assert butler.post(f"/api/v1/renovations/{renovation.pk}/inspections", {"result": "pass"},
                       format="json").status_code == 404
    assert api(staff["supervisor"]).get(f"/api/v1/renovations/{renovation.pk}/").status_code == 200


def test_a_resident_cannot_use_the_procedures(api, client, resident_user, renovation, unit, resident):
    resident_api = api(resident_user)
    assert resident_api.get("/api/v1/renovations/").status_code == 403
    assert resident_api.get(f"/api/v1/renovations/{renovation.pk}/").status_code == 403
    assert resident_api.post("/api/v1/move-outs/", {"unit": unit.pk, "resident": resident.pk, "date": "2026-06-05"},
                             format="json").status_code == 403
    client.force_login(resident_user)
    for path in ("/occupancy/move-ins/", "/occupancy/renovations/", f"/occupancy/renovations/{renovation.pk}/"):
        assert client.get(path).status_code == 403, path


def test_the_services_hold_the_rule_for_every_caller(staff, renovation):
    from dutydesk.core.permissions import Denied

    with pytest.raises(Denied):
        services.renovation_approve(renovation=renovation, approver=staff["frontdesk"])


def test_the_navigation_shows_the_procedures_to_the_posts_that_keep_them(staff, client):
    client.force_login(staff["frontdesk"])
    html = client.get("/").content.decode()
    assert "/occupancy/renovations/" in html and "/occupancy/move-ins/" in html
    client.force_login(staff["cardclerk"])
    assert "/occupancy/" not in client.get("/").content.decode()


def test_the_admin_lists_the_procedures_with_their_history(client, approved, elsewhere):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(username="root", password="pw")
    client.force_login(admin)
    for path in ("/admin/occupancy/renovation/", f"/admin/occupancy/renovation/{approved.pk}/change/",
                 f"/admin/occupancy/renovation/{approved.pk}/history/", "/admin/occupancy/movein/",
                 "/admin/occupancy/moveout/"):
        assert client.get(path).status_code == 200, path
