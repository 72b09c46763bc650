"""Unit suggestions on the registers appear while the clerk types ("A-120" once gave nothing)."""
import pytest
from django.test import Client

from tests.factories import UnitFactory


@pytest.mark.parametrize("typed", ["A-120", "A120", "a-120", "A座120", "120"])
def test_a_partial_unit_code_suggests_the_units_it_starts(staff, building, other_building, typed):
    for number in ("1201", "1202", "1301"):
        UnitFactory(building=building, floor=12, number=number)
    UnitFactory(building=other_building, floor=12, number="1209")
    client = Client()
    client.force_login(staff["visitordesk"])
    page = client.get("/frontdesk/options/units/", {"q": typed}).content.decode()
    assert "A-1201" in page and "A-1202" in page
    assert "A-1301" not in page
    if typed != "120":
        assert "B-1209" not in page


def test_suggestions_stay_in_the_clerks_scope(staff, building, other_building):
    UnitFactory(building=other_building, floor=12, number="1201")
    client = Client()
    client.force_login(staff["butler"])  # building A floors 1–15 only
    assert "B-1201" not in client.get("/frontdesk/options/units/", {"q": "B-120", "tab": "mail"}).content.decode()
