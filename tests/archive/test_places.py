"""Records that say where their unit is (``dutydesk.archive.places``): bills and survey responses carry their unit's
building and floor, and a unit moved in the archive takes them with it (one trigger per table, on either database)."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.archive.models import Unit
from dutydesk.billing import services as billing
from dutydesk.billing.models import Bill, UnitCharge
from dutydesk.core.periods import Period
from dutydesk.duties.models import SurveyResponse
from dutydesk.duties.services import question_add, survey_answer, survey_create, survey_transition
from dutydesk.org import kpis
from dutydesk.org.models import KPI, Post
from tests.factories import UnitFactory


@pytest.fixture
def answered(staff, project, building):
    """Two units of building A, on floors 3 and 14, each billed for October and each with a paper survey form."""
    item = billing.charge_item_save(project=project, code="mgmt", name="物业管理费", basis="per_m2", unit_price="3.50",
                                    kind="management")
    units = [UnitFactory(building=building, floor=3, number="301"), UnitFactory(building=building, floor=14, number="1401")]
    for unit in units:
        UnitCharge.objects.create(unit=unit, item=item, start=date(2020, 1, 1))
    billing.bill_run_create(project=project, period="2026-10")
    survey = survey_create(project=project, title="满意度调查", actor=staff["supervisor"])
    question = question_add(survey=survey, text="总体满意度", actor=staff["supervisor"])
    survey = survey_transition(survey=survey, action="open", actor=staff["supervisor"])
    for unit, score in zip(units, ("5", "3"), strict=True):
        survey_answer(survey=survey, unit=unit, answers={question.pk: score}, actor=staff["supervisor"],
                      channel=SurveyResponse.Channel.PAPER)
    return units


def _places(model):
    return {row.unit_id: (row.building_id, row.floor) for row in model.objects.all()}


def test_records_are_made_where_their_unit_is(answered, building):
    expected = {unit.pk: (building.pk, unit.floor) for unit in answered}
    assert _places(Bill) == _places(SurveyResponse) == expected


def test_a_unit_moved_takes_its_bills_and_survey_responses_with_it(answered, building, other_building, staff, api):
    low, high = answered
    assert api(staff["manager"]).patch(f"/api/v1/units/{high.pk}/", {"floor": 7}, format="json").status_code == 200
    Unit.objects.filter(pk=low.pk).update(building=other_building, floor=2)  # a bulk correction sends no signal
    expected = {low.pk: (other_building.pk, 2), high.pk: (building.pk, 7)}
    assert _places(Bill) == _places(SurveyResponse) == expected
    # other fields of a unit leave its records alone
    Unit.objects.filter(pk=high.pk).update(number="0701")
    assert _places(Bill) == _places(SurveyResponse) == expected


def test_a_butlers_survey_ratings_are_grouped_by_the_responses_own_floor(answered, project, staff):
    """The floor butler's average satisfaction reads the answers and their responses, not the units."""
    butler = Post.objects.get(code="floor-butler")
    kpi = KPI.objects.create(post=butler, name="满意度", source="avg_satisfaction", target="4.00", unit="分")
    cards = kpis.Cards.load(project, Period.parse("2026-11"), {butler: [None, staff["butler"].pk]})
    with CaptureQueriesContext(connection) as read:
        measured = kpis.measure_cards([kpi], cards)
    answers = [query["sql"] for query in read.captured_queries if "duties_answer" in query["sql"]]
    assert len(answers) == 1 and "archive_unit" not in answers[0]
    # the butler holds floors 1–15 of A: both responses; the post's card, every butler's floors: the same two
    assert measured[kpi.pk, staff["butler"].pk].actual == measured[kpi.pk, None].actual == 4
