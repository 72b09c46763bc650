"""Issue 11: the scorecards, the dashboard and the monthly report are set-based — the same number of queries for a
project with a few holders, buildings and units as for one with many more (before, the scorecards cost a query
per holder per KPI and the dashboard and the report a query per building)."""
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.duties.models import MonthlyReport
from dutydesk.core.periods import Period
from dutydesk.duties.reports import monthly_report_generate
from dutydesk.org.models import Post
from tests.duties.report_data import SH, add_building, add_holders, add_month, extra_kpis

JUNE = date(2026, 6, 1)
# every post with KPIs in the catalogue, the technician (given KPIs by extra_kpis) and a floor butler
POSTS = ["cs-manager", "cs-supervisor", "cs-deputy-supervisor", "floor-butler", "frontdesk-assistant", "archivist",
         "visitor-desk", "ic-card-clerk", "repair-technician", "cleaning-inspector"]


def grow(project, round_, supervisor):
    """A new building with units, a new holder of every post (the butler on the new building's floors 1–10) and a
    month of their records."""
    units = add_building(project, f"G{round_}")
    people = add_holders(project, f"r{round_}", POSTS, building=units[0].building, floors=(1, 10))
    with time_machine.travel(datetime(2026, 6, 30, 20, 0, tzinfo=SH), tick=False):
        add_month(project, JUNE, people, units, seed=round_, supervisor=supervisor)


@pytest.fixture
def july(staff, project):
    extra_kpis()
    grow(project, 1, staff["supervisor"])
    with time_machine.travel(datetime(2026, 7, 1, 10, 0, tzinfo=SH), tick=False):
        yield


def queries(call):
    call()  # warm: per-process caches (content types, the user's holdings) are not what is measured
    with CaptureQueriesContext(connection) as captured:
        answer = call()
    return len(captured), answer


def _api(api, user, path, **params):
    client = api(user)

    def call():
        response = client.get(path, {"period": "2026-06", **params})
        assert response.status_code == 200, response.content
        return response.json()
    return call



def queries_before_and_after_growing(call, project, supervisor):
    """(queries, answer) of ``call`` on the fixture, then again after three rounds of ``grow``."""
    first = queries(call)
    for round_ in (2, 3, 4):
        grow(project, round_, supervisor)
    return first, queries(call)

def test_the_scorecards_cost_the_same_queries_for_three_times_the_holders(july, project, staff, api):
    call = _api(api, staff["manager"], "/api/v1/reports/scorecards", project=project.pk)
    (before, small), (after, large) = queries_before_and_after_growing(call, project, staff["supervisor"])
    assert len(large["results"]) >= len(small["results"]) + 3 * len(POSTS) * 1  # a new person card per post per round
    measured = [k for card in large["results"] for k in card["kpis"] if k["actual"] is not None]
    assert len(measured) > 100  # the cards measure something: every source reads records
    assert after == before, f"{before} queries for {len(small['results'])} cards, {after} for {len(large['results'])}"


def test_the_scorecards_page_costs_the_same_queries_for_more_holders(july, project, staff, client):
    client.force_login(staff["manager"])
    butler = Post.objects.get(code="floor-butler")

    def call():
        response = client.get("/duties/scorecards/", {"project": project.pk, "post": butler.pk, "period": "2026-06"})
        assert response.status_code == 200
        return response.content.decode().count('data-kind="person"')

    (before, small), (after, large) = queries_before_and_after_growing(call, project, staff["supervisor"])
    assert large == small + 3
    assert after == before


def test_the_dashboard_costs_the_same_queries_for_more_buildings_and_units(july, project, staff, api):
    call = _api(api, staff["manager"], "/api/v1/reports/dashboard", project=project.pk)
    (before, small), (after, large) = queries_before_and_after_growing(call, project, staff["supervisor"])
    buildings = {c["key"]: c for c in large["charts"]}["collection_by_building"]["labels"]
    assert len(buildings) == len({c["key"]: c for c in small["charts"]}["collection_by_building"]["labels"]) + 3
    assert after == before


def test_the_monthly_report_costs_the_same_queries_for_more_buildings_and_units(july, project, staff, api):
    call = _api(api, staff["manager"], "/api/v1/reports/monthly", project=project.pk)
    (before, small), (after, large) = queries_before_and_after_growing(call, project, staff["supervisor"])
    assert len(large["occupancy"]["rows"]) == len(small["occupancy"]["rows"]) + 3
    assert len(large["fees"]["rows"]) == len(small["fees"]["rows"]) + 3
    assert after == before


def test_generating_the_monthly_report_files_costs_the_same_queries_for_more_buildings(july, project, staff):
    def call():
        MonthlyReport.objects.filter(project=project).delete()
        report, created = monthly_report_generate(project=project, period=Period.parse("2026-06"))
        assert created
        return report.data

    (before, small), (after, large) = queries_before_and_after_growing(call, project, staff["supervisor"])
    assert len(large["fees"]["rows"]) == len(small["fees"]["rows"]) + 3
    assert after == before
