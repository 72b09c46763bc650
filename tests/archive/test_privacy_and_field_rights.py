"""Privacy and field rights (hardening): identity numbers are masked unless a post grants archive.view_identity, and a
reveal is recorded; the billable area needs the billing permission; a scoped post cannot move a unit off its floors."""
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from dutydesk.archive.models import IdentityReveal, Resident, Unit
from tests.factories import valid_id_number


@pytest.fixture
def identified(resident):
    resident.id_number = valid_id_number()
    resident.save()
    return resident


@pytest.mark.parametrize("who", ["engineer", "cardclerk", "visitordesk", "frontdesk", "butler", "supervisor"])
def test_posts_without_the_right_see_a_masked_number(identified, staff, api, who):
    data = api(staff[who]).get(f"/api/v1/residents/{identified.pk}/")
    if data.status_code == 404:
        return  # out of scope altogether
    shown = data.json()["id_number"]
    assert shown != identified.id_number and shown.startswith(identified.id_number[:6]) and "********" in shown
    assert api(staff[who]).post(f"/api/v1/residents/{identified.pk}/identity").status_code in (403, 404)
    assert not IdentityReveal.objects.exists()


def test_the_archivist_reveals_the_full_number_and_it_is_recorded(identified, staff, api):
    client = api(staff["archivist"])
    assert client.get(f"/api/v1/residents/{identified.pk}/").json()["id_number"] != identified.id_number
    revealed = client.post(f"/api/v1/residents/{identified.pk}/identity", {"reason": "办理入住"}, format="json")
    assert revealed.json()["id_number"] == identified.id_number
    assert IdentityReveal.objects.get().user == staff["archivist"]


def test_the_masked_number_sent_back_changes_nothing(identified, staff, api):
    client = api(staff["manager"])
    body = client.get(f"/api/v1/residents/{identified.pk}/").json()
    assert client.patch(f"/api/v1/residents/{identified.pk}/", {"id_number": body["id_number"]},
                        format="json").status_code == 200
    assert Resident.objects.get(pk=identified.pk).id_number == identified.id_number


def test_the_resident_page_and_the_export_mask_it_for_a_post_without_the_right(identified, staff, project):
    client = Client()
    client.force_login(staff["supervisor"])
    page = client.get(f"/residents/{identified.pk}/").content.decode()
    assert identified.id_number not in page and identified.id_number[:6] + "********" in page
    export = client.get(f"/archive/export/{project.pk}/")
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[1]
    assert identified.id_number not in [c.value for row in sheet.iter_rows() for c in row]


@pytest.fixture
def with_contacts(resident):
    resident.emergency_contact, resident.emergency_phone, resident.email = "李紧急", "13800001111", "zhang@example.com"
    resident.save()
    return resident


@pytest.mark.parametrize("who, sees", [("engineer", False), ("cardclerk", False), ("visitordesk", False),
                                       ("frontdesk", True), ("butler", True), ("archivist", True)])
def test_only_posts_that_keep_the_archive_read_emergency_contacts_and_email(with_contacts, staff, api, who, sees):
    body = api(staff[who]).get(f"/api/v1/residents/{with_contacts.pk}/").json()
    assert body["phone"] == with_contacts.phone  # everyone who serves the resident may call them
    shown = (body["emergency_contact"], body["emergency_phone"], body["email"])
    if sees:
        assert shown == ("李紧急", "13800001111", "zhang@example.com")
    else:
        assert shown == ("李**", "138****1111", "z***@example.com")
    client = Client()
    client.force_login(staff[who])
    resident_page = client.get(f"/residents/{with_contacts.pk}/").content.decode()
    unit_page = client.get(f"/units/{with_contacts.unit_id}/").content.decode()
    assert ("13800001111" in resident_page) is sees and ("zhang@example.com" in resident_page) is sees
    assert ("13800001111" in unit_page) is sees and ("138****1111" in unit_page) is not sees


def test_the_history_masks_contacts_for_a_post_without_the_right(with_contacts, staff):
    with_contacts.emergency_phone = "13922223333"
    with_contacts.save()
    client = Client()
    client.force_login(staff["engineer"])
    html = client.get(f"/residents/{with_contacts.pk}/").content.decode()
    assert "13922223333" not in html and "13800001111" not in html and "139****3333" in html


def test_the_front_desk_cannot_change_the_billable_area(staff, unit, api):
    before = unit.area_m2
    response = api(staff["frontdesk"]).patch(f"/api/v1/units/{unit.pk}/", {"area_m2": "0.01"}, format="json")
    assert response.status_code == 403
    assert Unit.objects.get(pk=unit.pk).area_m2 == before
    assert api(staff["manager"]).patch(f"/api/v1/units/{unit.pk}/", {"area_m2": "90.00"},
                                       format="json").status_code == 200
    assert Unit.objects.get(pk=unit.pk).area_m2 == Decimal("90.00")


def test_the_area_field_is_read_only_on_the_page_without_the_billing_right(staff, unit):
    client = Client()
    client.force_login(staff["butler"])
    before = unit.area_m2
    client.post(f"/units/{unit.pk}/", {"status": unit.status, "area_m2": "0.01"})
    assert Unit.objects.get(pk=unit.pk).area_m2 == before


def test_the_butler_cannot_move_a_unit_off_their_floors(staff, unit, api):
    response = api(staff["butler"]).patch(f"/api/v1/units/{unit.pk}/", {"floor": 16}, format="json")
    assert response.status_code == 403
    assert Unit.objects.get(pk=unit.pk).floor == 12
    assert api(staff["butler"]).patch(f"/api/v1/units/{unit.pk}/", {"floor": 11}, format="json").status_code == 200
