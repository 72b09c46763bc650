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


def test_a_floor_butlers_card_adds_up_the_cells_of_its_floors_checking_each_cell_against_its_own_building(
        monkeypatch):
    """A post's card holds every holder's holdings; each (building, floor) cell is checked against the holdings of
    its own building only. Checking every holding for every cell made the scorecards of one 600k-unit project take
    28 s instead of 2 s (scripts/bench_reports.py --projects 1)."""
    from dutydesk.org.models import PostHolding

    buildings, floors = 50, 40
    cells = kpis.FloorCells({(b, f): (1, f) for b in range(buildings) for f in range(1, floors + 1)}, 2)
    # two butlers per building: floors 1–20 and 21–40, both overlapping on floor 20
    holdings = [PostHolding(building_id=b, floor_from=low, floor_to=high)
                for b in range(buildings) for low, high in ((1, 20), (20, 40))]
    for holding in holdings:
        holding.post = Post(scope=Post.Scope.FLOORS)
    checks = 0
    real = PostHolding.covers_floor

    def counted(self, building_id, floor):
        nonlocal checks
        checks += 1
        return real(self, building_id, floor)

    monkeypatch.setattr(PostHolding, "covers_floor", counted)
    every_floor_once = [buildings * floors, buildings * sum(range(1, floors + 1))]
    assert cells.total(holdings) == every_floor_once  # floor 20 is covered twice and counted once
    assert checks <= buildings * floors * 2  # the cells × the holdings of their own building (not × all 100)
    assert cells.total(holdings[:2]) == [floors, sum(range(1, floors + 1))]  # one building's butlers
