import pytest

from dutydesk.archive.models import Unit
from dutydesk.archive.selectors import parse_unit_code, unit_code_q
from tests.factories import UnitFactory


@pytest.mark.parametrize("typed, parsed", [
    ("A-1201", ("A", "1201")), ("A1201", ("A", "1201")), ("a-1201", ("A", "1201")), ("A座1201", ("A", "1201")),
    ("A 1201", ("A", "1201")), ("A栋-1201", ("A", "1201")), ("1201", ("", "1201")), (" b-0302 ", ("B", "0302")),
    ("2栋1201", ("2", "1201")), ("A-120", ("A", "120")),
])
def test_unit_codes_are_read_the_ways_clerks_type_them(typed, parsed):
    assert parse_unit_code(typed) == parsed


@pytest.mark.parametrize("typed", ["张三", "13912345678", "", "A-", "A-1201-3"])
def test_names_and_phones_are_not_unit_codes(typed):
    assert parse_unit_code(typed) is None


def test_a_partial_code_finds_the_units_it_starts(building, other_building):
    for number in ("1201", "1202", "1301"):
        UnitFactory(building=building, floor=12, number=number)
    UnitFactory(building=other_building, floor=12, number="1201")
    found = Unit.objects.filter(unit_code_q("a-120", partial=True)).values_list("number", flat=True)
    assert sorted(found) == ["1201", "1202"]
    assert Unit.objects.filter(unit_code_q("A1201")).count() == 1
