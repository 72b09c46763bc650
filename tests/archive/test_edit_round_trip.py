"""Saving an edit form without touching it changes nothing (a zh-hans date input once got "2021/11/15", the
browser dropped it, and every save blanked the move-in date: "入住日期 → —")."""
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from dutydesk.archive.models import Resident, Unit
from tests.support.forms import form_values


@pytest.fixture
def manager_client(staff):
    client = Client()
    client.force_login(staff["manager"])
    return client


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_saving_a_resident_unchanged_keeps_every_date(manager_client, resident, language):
    resident.move_in_date = date(2021, 11, 15)
    resident.id_number = ""
    resident.save()
    manager_client.cookies["django_language"] = language
    url = f"/residents/{resident.pk}/"
    values = form_values(manager_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
    assert values["move_in_date"] == "2021-11-15"
    before = resident.history.count()
    response = manager_client.post(url, values, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.move_in_date == date(2021, 11, 15)
    changed = [h for h in resident.history.all()[: resident.history.count() - before]
               if h.prev_record and h.diff_against(h.prev_record).changes]
    assert changed == []


def test_saving_a_unit_unchanged_keeps_its_area(manager_client, unit):
    unit.area_m2 = Decimal("1088.50")
    unit.save()
    url = f"/units/{unit.pk}/"
    values = form_values(manager_client.get(url).content.decode())
    assert values["area_m2"] == "1088.50"
    manager_client.post(url, values)
    assert Unit.objects.get(pk=unit.pk).area_m2 == Decimal("1088.50")


def test_a_changed_date_is_saved(manager_client, resident):
    url = f"/residents/{resident.pk}/"
    values = form_values(manager_client.get(url).content.decode())
    values["move_in_date"] = "2022-03-01"
    manager_client.post(url, values)
    assert Resident.objects.get(pk=resident.pk).move_in_date == date(2022, 3, 1)
