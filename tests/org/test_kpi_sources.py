"""KPI sources are registered by the apps that measure them (each app's kpis.py, issue 16), the way permission codes
are: the catalogue accepts exactly the registered sources and shows their labels."""
import pytest
from django.utils import translation

from dutydesk.org import kpis
from dutydesk.org.catalog import CatalogInvalid, validate_catalog
from dutydesk.org.models import KPI, Post
from tests.org.test_catalog_document import small_document

SOURCES_BY_APP = {
    "dutydesk.tickets.kpis": {"sla_compliance", "complaint_closed_3d", "return_visit_rate", "response_on_time"},
    "dutydesk.billing.kpis": {"collection_rate"},
    "dutydesk.frontdesk.kpis": {"service_time_compliance"},
    "dutydesk.stock.kpis": {"stock_count_accuracy"},
    "dutydesk.registers.kpis": {"register"},
    "dutydesk.patrols.kpis": {"patrol_rounds_on_time", "patrol_checkpoints_on_time"},
    "dutydesk.duties.kpis": {"routine_on_time", "opinions_per_week", "surveys_per_year", "manual", "deduction",
                             "avg_satisfaction"},
}


def test_each_app_registers_its_own_sources():
    registered = {name: source.measure.__module__ for name, source in kpis.all_sources().items()}
    assert registered == {name: module for module, names in SOURCES_BY_APP.items() for name in names}
    assert kpis.names() == sorted(registered)


def test_every_source_of_the_shipped_catalogue_is_registered(catalog):
    assert set(KPI.objects.values_list("source", flat=True)) <= set(kpis.names())


def test_the_catalogue_rejects_a_source_no_app_registers(db):
    document = small_document()
    document["posts"][1]["kpis"][0]["source"] = "sla_complience"
    with translation.override("en"), pytest.raises(CatalogInvalid) as error:
        validate_catalog(document)
    assert error.value.errors == ["posts[1].kpis[0].source: unknown KPI source 'sla_complience'"]
    document["posts"][1]["kpis"][0]["source"] = "sla_compliance"
    validate_catalog(document)


def test_a_source_reads_as_its_registered_label():
    with translation.override("zh-hans"):
        assert str(kpis.label("collection_rate")) == "收费率"
        assert str(kpis.label("return_visit_rate")) == "回访率"
    assert kpis.label("retired_source") == "retired_source"


def test_the_post_page_shows_each_kpi_with_its_source_label(staff, client):
    client.force_login(staff["manager"])
    butler = Post.objects.get(code="floor-butler")
    with translation.override("zh-hans"):
        page = client.get(f"/org/posts/{butler.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'title="collection_rate">收费率<' in page


def test_a_floor_butlers_card_adds_up_the_cells_of_its_floors_asking_each_holding_once(monkeypatch):
    """A post's card holds every holder's holdings; each holding is asked once which of its own building's floors
    it covers. Checking every holding for every cell made the scorecards of one 600k-unit project take 28 s instead
    of 2 s, and a check per cell and holding of its building was still ~0.5 s of 3 s (scripts/bench_reports.py
    --projects 1)."""
    from dutydesk.org.models import PostHolding

    buildings, floors = 50, 40
    cells = kpis.FloorCells({(b, f): (1, f) for b in range(buildings) for f in range(1, floors + 1)}, 2)
    # two butlers per building: floors 1–20 and 20–40, both covering floor 20
    holdings = [PostHolding(building_id=b, floor_from=low, floor_to=high)
                for b in range(buildings) for low, high in ((1, 20), (20, 40))]
    for holding in holdings:
        holding.post = Post(scope=Post.Scope.FLOORS)
    asked = 0
    real = PostHolding.floors_among

    def counted(self, among):
        nonlocal asked
        asked += 1
        return real(self, among)

    monkeypatch.setattr(PostHolding, "floors_among", counted)
    every_floor_once = [buildings * floors, buildings * sum(range(1, floors + 1))]
    assert cells.total(holdings) == every_floor_once  # floor 20 is covered twice and counted once
    assert asked == len(holdings)  # once per holding, not once per cell
    assert cells.total(holdings[:2]) == [floors, sum(range(1, floors + 1))]  # one building's butlers


@pytest.mark.parametrize("low, high", [(1, 20), (20, 40), (None, 5), (36, None), (None, None), (7, 7), (30, 10)])
def test_the_floors_a_holding_covers_among_many_are_those_it_covers_one_by_one(low, high):
    from dutydesk.org.models import PostHolding

    holding = PostHolding(building_id=3, floor_from=low, floor_to=high)
    floors = set(range(-2, 45))
    assert holding.floors_among(floors) == {floor for floor in floors if holding.covers_floor(3, floor)}


def test_a_persons_card_reads_that_persons_holdings_and_a_posts_card_every_holders(staff, project, building):
    """A person's card is about them: only their holdings are read (a butler's own card on the home page read all
    3,240 holdings of a 600,000-unit project); the post's card is about every holder."""
    from dutydesk.core.periods import Period
    from tests.factories import UserFactory, hold

    butler, post = staff["butler"], Post.objects.get(code="floor-butler")
    other = UserFactory(username="other-butler")
    hold(other, "floor-butler", project, building=building, floor_from=16, floor_to=30)
    period = Period.parse("2026-10")
    mine = kpis.Cards.load(project, period, {post: [butler.pk]})
    assert {h.user_id for h in mine.floors[post.pk]} == {butler.pk} and mine.holders[post.pk] == [butler.pk]
    both = kpis.Cards.load(project, period, {post: [None, butler.pk]})
    assert {h.user_id for h in both.floors[post.pk]} == {butler.pk, other.pk}
    ranges = [(h.building_id, h.floor_from, h.floor_to) for h in mine.holdings(post.pk, butler.pk)]
    assert ranges == [(building.pk, 1, 15)]
    assert [(h.building_id, h.floor_from, h.floor_to) for h in both.holdings(post.pk, butler.pk)] == ranges


def test_any_of_takes_ids_as_read_and_converts_anything_else(unit, project):
    """``field__any_of``: ints pass as they are; other values go through the field (a numeric string becomes an int)."""
    from dutydesk.archive.models import Unit

    assert list(Unit.objects.filter(pk__any_of=[unit.pk]).values_list("pk", flat=True)) == [unit.pk]
    assert list(Unit.objects.filter(pk__any_of=[str(unit.pk)]).values_list("pk", flat=True)) == [unit.pk]
    assert not Unit.objects.filter(pk__any_of=[]).exists()


def test_any_of_takes_ids_as_one_array_text_typed_as_psycopg_types_ints(unit, project, building):
    """``core.lookups.Ids``: the ORM leaves the list as it is and PostgreSQL gets one string, typed ``integer[]`` while
    the ids fit (typed ``bigint[]`` a butler's return-visit queue was planned as a walk: 26 → 228 ms)."""
    from django.db import connection

    from dutydesk.archive.models import Unit
    from dutydesk.core.lookups import Ids
    from tests.factories import UnitFactory

    other = UnitFactory(building=building, floor=3, number="301")
    ids = Ids([unit.pk, other.pk])
    assert sorted(Unit.objects.filter(pk__any_of=ids).values_list("pk", flat=True)) == sorted([unit.pk, other.pk])
    assert list(Unit.objects.filter(pk__any_of=Ids([other.pk])).values_list("pk", flat=True)) == [other.pk]
    assert not Unit.objects.filter(pk__any_of=Ids([])).exists()
    assert (ids.array_type, Ids([2**40]).array_type, ids.array_text) == (
        "integer[]", "bigint[]", f"{{{unit.pk},{other.pk}}}")
    if connection.vendor == "postgresql":
        sql, params = Unit.objects.filter(pk__any_of=ids).values("pk").query.sql_with_params()
        assert "= ANY(%s::integer[])" in sql and params == (ids.array_text,)


def test_ids_on_a_relation_are_not_checked_one_by_one(unit, project, building):
    """A relation's lookup given ``Ids`` filters as given, and Django does not check each id for a model instance
    of the wrong type (it does for an iterable: two ``hasattr`` per id per filter, ~16 ms of a butler's home)."""
    from unittest import mock

    from django.db.models.sql.query import Query

    from dutydesk.archive.models import Resident
    from dutydesk.core.lookups import Ids
    from tests.factories import ResidentFactory, UnitFactory

    other = UnitFactory(building=building, floor=3, number="301")
    theirs = ResidentFactory(unit=other)
    ResidentFactory(unit=unit)
    with mock.patch.object(Query, "check_query_object_type") as checked:
        found = list(Resident.objects.filter(unit_id__any_of=Ids([other.pk])).values_list("pk", flat=True))
        list(Resident.objects.filter(unit__any_of=Ids([other.pk])))
    assert found == [theirs.pk]
    assert checked.call_count == 0
    with mock.patch.object(Query, "check_query_object_type") as checked:
        list(Resident.objects.filter(unit_id__any_of=[other.pk, unit.pk]))
    assert checked.call_count == 2  # a plain list is checked id by id: what the test above guards against


def _naive_total(cells, holdings, size):
    """Every cell some holding covers, once: the rule ``FloorCells.total`` computes faster."""
    covered = {(building, floor) for (building, floor) in cells
               for holding in holdings if holding.covers_floor(building, floor)}
    return [sum(cells[key][column] for key in covered) for column in range(size)]


def test_a_cards_floors_add_up_the_same_whatever_the_cards_before_it_kept():
    """``FloorCells`` keeps the sums of a building's floors a single holding covers, and of a building all of whose
    floors a card covers, for the cards after it: any card, in any order, adds up exactly the cells it covers."""
    import random

    from dutydesk.org.models import PostHolding

    rng = random.Random(11)
    groups = {(b, f): (rng.randint(0, 9), rng.choice([None, rng.randint(0, 5)])) for b in range(6)
              for f in range(1, 13) if rng.random() < 0.8}
    cells = kpis.FloorCells(groups, 2)
    plain = {key: tuple(value or 0 for value in row) for key, row in groups.items()}
    ranges = [(1, 6), (7, 12), (1, 12), (None, 4), (9, None), (None, None), (3, 3), (5, 9)]
    cards = [[PostHolding(building_id=rng.randrange(6), floor_from=low, floor_to=high)
              for low, high in rng.sample(ranges, rng.randint(1, 4))] for _ in range(60)]
    cards.append([PostHolding(building_id=b, floor_from=low, floor_to=high) for b in range(6)
                  for low, high in ((None, 6), (6, None))])  # a post's card: every floor of every building
    for card in cards + cards[::-1]:  # and again, reading what the first pass kept
        assert [int(value) for value in cells.total(card)] == _naive_total(plain, card, 2)


@pytest.mark.django_db
def test_grouped_counts_and_sums_are_the_querysets_own_on_either_database(project, building, other_building):
    """On PostgreSQL ``grouped`` reads counts and sums as the driver gives them (no converter per value): the same
    ints and Decimals the queryset gives; an average is converted by Django as before (a float)."""
    from decimal import Decimal

    from django.db.models import Avg, Count, Sum

    from dutydesk.archive.models import Unit

    for number, (where, floor, area) in enumerate([(building, 1, "80.50"), (building, 1, "19.25"),
                                                   (building, 2, "100.00"), (other_building, 7, "60.10")]):
        Unit.objects.create(project=project, building=where, floor=floor, number=f"{number}", area_m2=Decimal(area))
    units = Unit.objects.filter(project=project)
    counted = kpis.grouped(units, ("building_id", "floor"), n=Count("id"), area=Sum("area_m2"))
    assert counted == {(building.pk, 1): (2, Decimal("99.75")), (building.pk, 2): (1, Decimal("100.00")),
                       (other_building.pk, 7): (1, Decimal("60.10"))}
    assert all(type(n) is int and type(area) is Decimal for n, area in counted.values())
    averaged = kpis.grouped(units, "building_id", floor=Avg("floor"))
    assert averaged == {building.pk: (4 / 3,), other_building.pk: (7.0,)}
    assert all(type(floor) is float for (floor,) in averaged.values())
