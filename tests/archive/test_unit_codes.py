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


def test_a_search_counts_its_matches_among_the_viewers_rows_not_the_groups(staff, project, building, unit,
                                                                          monkeypatch, client):
    """The first matches a search lists (``SEARCH_MATCHES``) are the viewer's: a group of 400 projects has tens of
    thousands of residents named 王 and a 1201 in every building, and matches counted across the group first left a
    project's manager with whatever of theirs happened to be among them (here: none)."""
    from dutydesk.archive import selectors
    from tests.factories import BuildingFactory, ProjectFactory, ResidentFactory

    elsewhere = BuildingFactory(project=ProjectFactory(code="other", name="别的小区"), name="A")
    for n in range(3):  # created first: the lowest keys, what an unscoped search meets first
        far = UnitFactory(building=elsewhere, floor=12, number=f"120{n + 1}")
        ResidentFactory(unit=far, name=f"王{n}", phone=f"1380000000{n}")
    ours = UnitFactory(building=building, floor=12, number="1203")
    ResidentFactory(unit=ours, name="王五", phone="13900009999")
    monkeypatch.setattr(selectors, "SEARCH_MATCHES", 2)
    client.force_login(staff["manager"])
    assert "王五" in client.get("/residents/", {"q": "王"}).content.decode()
    assert "A-1203" in client.get("/units/", {"q": "120"}).content.decode()
    assert "A-1203" in client.get("/units/", {"q": "王"}).content.decode()
    assert "王五" in client.get("/residents/", {"q": "120"}).content.decode()
    residents = selectors.residents_visible_to(staff["manager"])
    assert list(selectors.search_residents(residents, "王").values_list("name", flat=True)) == ["王五"]
    assert list(selectors.search_units(selectors.units_visible_to(staff["manager"]), "1203")) == [ours]
