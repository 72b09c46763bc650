"""KPI sources are registered by the apps that measure them (each app's kpis.py, issue 16), the way permission codes
are: the catalogue accepts exactly the registered sources and shows their labels."""
import pytest
from django.utils import translation

from dutydesk.org import kpis
from dutydesk.org.catalog import CatalogInvalid, validate_catalog
from dutydesk.org.models import KPI, Post
from tests.org.test_catalog_document import small_document

SOURCES_BY_APP = {
    "dutydesk.tickets.kpis": {"sla_compliance", "complaint_closed_3d", "return_visit_rate"},
    "dutydesk.billing.kpis": {"collection_rate"},
    "dutydesk.frontdesk.kpis": {"service_time_compliance"},
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
