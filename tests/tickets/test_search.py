"""The work-order search at a group's scale (issue 11): every condition one an index serves, however short the term,
and the units and residents a term names looked up in the viewer's projects."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.tickets import selectors
from tests.factories import BuildingFactory, ProjectFactory, ResidentFactory, UnitFactory


def _found(client, term):
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/tickets/", {"q": "all", "search": term}).content.decode()
    return html, [q["sql"] for q in queries.captured_queries]


def test_two_characters_find_titles_by_their_pair_and_one_finds_a_surname(staff, make_ticket, resident, client):
    """漏水 (two characters: no trigram) finds the titles that contain it, read off the index of each title's pairs
    of characters on PostgreSQL (contains read every work order: 1M, 1.1 s); one character is a surname, whose
    residents' work orders it finds, and names no title."""
    resident.name = "张三"
    resident.save()
    leak = make_ticket(title="厨房漏水", resident=None)
    lift = make_ticket(title="电梯停运", resident=None)
    theirs = make_ticket(title="门禁卡", resident=resident)
    client.force_login(staff["manager"])
    html, statements = _found(client, "漏水")
    assert leak.number in html and lift.number not in html and theirs.number not in html
    if connection.vendor == "postgresql":
        assert any("dutydesk_pairs(UPPER(" in sql for sql in statements)
        assert not any('LIKE UPPER(\'%漏水%\')' in sql for sql in statements)
    html, _ = _found(client, "梯停")
    assert lift.number in html and leak.number not in html
    html, statements = _found(client, "张")
    assert theirs.number in html and leak.number not in html and lift.number not in html
    assert not any("%张%" in sql for sql in statements)  # nothing "contains" one character
    html, _ = _found(client, "厨房漏水")  # three and more: the trigram index, as before
    assert leak.number in html and lift.number not in html


def test_a_search_looks_for_units_and_residents_in_the_viewers_projects(staff, make_ticket, unit, client,
                                                                        monkeypatch):
    """The first units and residents a term names are the viewer's (a group of 400 projects has a 1201 in nearly
    every building and thousands of 王): looked up across the group first, a manager's own were cut off."""
    other = ProjectFactory(code="other", name="别的小区")
    for name in "ABC":  # created first: the lowest keys, what a lookup across the group meets first
        ResidentFactory(unit=UnitFactory(building=BuildingFactory(project=other, name=name), floor=12, number="1204"),
                        name=f"王{name}")
    ours = UnitFactory(building=unit.building, floor=12, number="1204")  # after theirs, as their residents
    ours = make_ticket(title="门禁卡", unit=ours, resident=ResidentFactory(unit=ours, name="王五"))
    monkeypatch.setattr(selectors, "SEARCH_MATCHES", 2)
    client.force_login(staff["manager"])
    assert ours.number in _found(client, "王")[0]
    assert ours.number in _found(client, "1204")[0]


def test_two_characters_find_a_given_name_anywhere_in_it(staff, make_ticket, resident, client):
    """A front desk looks a resident up by their given name: 小明 finds 王小明 (a start-only match had lost it), read
    off the index of each name's pairs of characters on PostgreSQL; one character stays a surname (伟 does not find
    张伟, 张 does)."""
    resident.name = "王小明"
    resident.save()
    theirs = make_ticket(title="门禁卡", resident=resident)
    other = make_ticket(title="门禁卡", resident=ResidentFactory(unit=resident.unit, name="张伟"))
    client.force_login(staff["manager"])
    for path, expected, unexpected in [("/residents/", "王小明", "张伟"), ("/units/", resident.unit.number, None)]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(path, {"q": "小明"}).content.decode()
        assert expected in html and (unexpected is None or unexpected not in html)
        if connection.vendor == "postgresql":
            assert any("dutydesk_pairs(UPPER(" in q["sql"] for q in queries.captured_queries)
    html, statements = _found(client, "小明")
    assert theirs.number in html and other.number not in html
    if connection.vendor == "postgresql":  # (elsewhere the pair is "contains")
        assert not any("%小明%" in sql for sql in statements)
    assert other.number not in _found(client, "伟")[0]
    assert "张伟" in client.get("/residents/", {"q": "张"}).content.decode()
