"""Resident opinions and satisfaction surveys (issue 6 Deliver 5)."""
import pytest

from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.permissions import Denied
from dutydesk.duties import selectors
from dutydesk.duties.models import Opinion, SurveyResponse
from dutydesk.duties.services import question_add, survey_answer, survey_create, survey_transition
from dutydesk.inbox.models import Task
from dutydesk.org.models import Post
from tests.factories import UnitFactory


@pytest.fixture
def survey(staff, project):
    survey = survey_create(project=project, title="2026年上半年满意度调查", actor=staff["supervisor"])
    question_add(survey=survey, text="前台服务态度", actor=staff["supervisor"])
    question_add(survey=survey, text="保洁质量", actor=staff["supervisor"])
    question_add(survey=survey, text="您最满意哪项服务", kind="choice", choices=["保洁", "安保"], actor=staff["supervisor"])
    question_add(survey=survey, text="其他意见", kind="text", actor=staff["supervisor"])
    return survey_transition(survey=survey, action="open", actor=staff["supervisor"])


def _ids(survey):
    return [q.pk for q in survey.questions.order_by("position")]


def test_a_dissatisfied_answer_creates_a_return_visit_task_for_the_floor_butler(survey, staff, unit, resident_user):
    q1, q2, q3, q4 = _ids(survey)
    survey_answer(survey=survey, unit=unit, answers={q1: "2", q2: "4", q3: "保洁", q4: "电梯太慢"}, actor=resident_user)
    task = Task.objects.get(source="survey")
    assert task.assignee == staff["butler"] and task.post.code == "floor-butler"  # A-1201, floor 12: butler's floors 1–15
    assert "前台服务态度: 2/5" in task.description


def test_without_a_butler_the_return_visit_goes_to_the_supervisor_post(survey, staff, other_building):
    unit_b = UnitFactory(building=other_building, floor=3, number="301")
    survey_answer(survey=survey, unit=unit_b, answers={_ids(survey)[0]: "1"}, actor=staff["supervisor"],
                  channel=SurveyResponse.Channel.PAPER)
    task = Task.objects.get(source="survey")
    assert task.assignee is None and task.post == Post.objects.get(code="cs-supervisor")


def test_satisfied_answers_create_no_task_and_a_unit_answers_once(survey, staff, unit, resident_user):
    q1 = _ids(survey)[0]
    survey_answer(survey=survey, unit=unit, answers={q1: "5"}, actor=resident_user)
    assert not Task.objects.filter(source="survey").exists()
    with pytest.raises(StateConflict):
        survey_answer(survey=survey, unit=unit, answers={q1: "1"}, actor=staff["supervisor"], channel="paper")
    assert SurveyResponse.objects.count() == 1


def test_bad_answers_are_rejected_and_nothing_is_stored(survey, staff, unit):
    q1, _q2, q3, _q4 = _ids(survey)
    with pytest.raises(BusinessRuleError) as error:
        survey_answer(survey=survey, unit=unit, answers={q1: "6", q3: "物业"}, actor=staff["supervisor"], channel="paper")
    assert set(error.value.errors) == {f"q{q1}", f"q{q3}"}
    assert not SurveyResponse.objects.exists()


def test_a_resident_answers_only_for_their_own_unit_and_only_while_open(survey, staff, resident_user, building):
    neighbour = UnitFactory(building=building, floor=12, number="1202")
    with pytest.raises(Denied):
        survey_answer(survey=survey, unit=neighbour, answers={_ids(survey)[0]: "3"}, actor=resident_user)
    survey_transition(survey=survey, action="close", actor=staff["supervisor"])
    with pytest.raises(StateConflict):
        survey_answer(survey=survey, unit=neighbour, answers={_ids(survey)[0]: "3"}, actor=staff["supervisor"],
                      channel="paper")


def test_the_frontdesk_may_not_build_surveys(staff, project):
    with pytest.raises(Denied):
        survey_create(project=project, title="x", actor=staff["frontdesk"])


def test_the_report_scores_by_question_building_and_butler(survey, staff, building, other_building):
    q1 = _ids(survey)[0]
    a1 = UnitFactory(building=building, floor=5, number="501")
    a2 = UnitFactory(building=building, floor=6, number="601")
    b1 = UnitFactory(building=other_building, floor=5, number="501")
    for unit, score in [(a1, "4"), (a2, "5"), (b1, "2")]:
        survey_answer(survey=survey, unit=unit, answers={q1: score}, actor=staff["supervisor"], channel="paper")
    by_question = {q.text: q for q in selectors.survey_scores_by_question(survey)}
    assert float(by_question["前台服务态度"].average) == pytest.approx(11 / 3)
    assert by_question["前台服务态度"].dissatisfied == 1
    by_building = {r["response__unit__building__name"]: float(r["average"]) for r in selectors.survey_scores_by_building(survey)}
    assert by_building == {"A": 4.5, "B": 2.0}
    by_butler = {r["response__butler_id"]: float(r["average"]) for r in selectors.survey_scores_by_butler(survey)}
    assert by_butler == {staff["butler"].pk: 4.5, None: 2.0}


def test_the_portal_page_takes_a_residents_answers(survey, client, resident_user, unit):
    client.force_login(resident_user)
    page = client.get("/portal/surveys/")
    assert survey.title in page.content.decode()
    q1 = _ids(survey)[0]
    response = client.post(f"/portal/surveys/{survey.pk}/", {"unit": unit.pk, f"q{q1}": "3"})
    assert response.status_code == 302
    assert SurveyResponse.objects.get().unit == unit


def test_the_paper_form_and_printable_page(survey, client, staff, unit):
    client.force_login(staff["supervisor"])
    assert "☐ 5" in client.get(f"/duties/surveys/{survey.pk}/print").content.decode()
    q1 = _ids(survey)[0]
    response = client.post(f"/duties/surveys/{survey.pk}/paper", {"unit": "A-1201", f"q{q1}": "1"})
    assert response.status_code == 302
    assert SurveyResponse.objects.get().channel == "paper"
    client.force_login(staff["frontdesk"])
    assert client.get(f"/duties/surveys/{survey.pk}/paper").status_code == 403


def test_an_opinion_is_tagged_to_the_unit_and_its_butler(staff, project, unit, api):
    response = api(staff["frontdesk"]).post("/api/v1/opinions/", {
        "project": project.pk, "unit": unit.pk, "kind": "suggestion", "channel": "phone", "text": "建议增加充电桩"},
        format="json")
    assert response.status_code == 201, response.content
    opinion = Opinion.objects.get()
    assert opinion.butler == staff["butler"] and opinion.recorded_by == staff["frontdesk"]
    bad = api(staff["frontdesk"]).post("/api/v1/opinions/", {"project": project.pk, "text": " ", "channel": "pigeon"},
                                       format="json")
    assert bad.status_code == 400 and Opinion.objects.count() == 1


def test_the_survey_list_counts_the_answers_without_reading_them(survey, staff, building, client):
    """Each survey's number of answers, counted in the list's own query: reading every answer to count them took
    1.5 s for 12,000 answers (scripts/bench_crawl.py, 600,000 units)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    q1 = _ids(survey)[0]
    client.force_login(staff["supervisor"])
    client.get("/duties/surveys/")
    with CaptureQueriesContext(connection) as none_yet:
        client.get("/duties/surveys/")
    for number in ("101", "102", "103"):
        survey_answer(survey=survey, unit=UnitFactory(building=building, floor=1, number=number), answers={q1: "5"},
                      actor=staff["supervisor"], channel=SurveyResponse.Channel.PAPER)
    with CaptureQueriesContext(connection) as three:
        html = client.get("/duties/surveys/").content.decode()
    assert '<td class="num">3</td>' in html
    assert len(three) == len(none_yet) and not any("duties_surveyresponse\".\"unit_id" in q["sql"]
                                                   for q in three.captured_queries)
