"""Missed checkpoints and late rounds feed the patrol KPIs: ``patrol_rounds_on_time`` of the patrol and inspection posts
(seeds/000_d44081c6db2527f0.txt:535 篇18 12.2 每天不间断…巡查…并做好记录) and ``patrol_checkpoints_on_time`` of the
environment supervisor over the posts below (:433 直接下级 …物业管理员(巡楼)). A round counts once it has fallen due."""
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.core.periods import Period
from dutydesk.org import kpis
from dutydesk.org.models import KPI
from dutydesk.patrols import jobs, services
from tests.patrols.conftest import at

JUNE = Period.parse("2026-06")
NEXT_DAY = date(2026, 6, 3)


def _kpi(post_code, source):
    return KPI.objects.get(post__code=post_code, source=source)


def _walk(round_, user, codes, start):
    for minute, code in enumerate(codes, start=1):
        services.checkpoint_record(round=round_, code=code, walker=user, result="ok",
                                   now=start.replace(minute=start.minute + 5 * minute))


def test_a_missed_checkpoint_and_a_late_round_lower_the_kpis(route, morning, patrollers, traveller, project):
    officer = patrollers["officer"]
    afternoon = route.rounds.get(starts_at=at("15:00"))
    _walk(morning, officer, ["P01", "P02", "P03"], at("10:00"))  # on time
    _walk(afternoon, officer, ["P01", "P02"], at("15:00"))  # P03 never walked: missed
    rounds_kpi = _kpi("patrol-officer", "patrol_rounds_on_time")
    checkpoints_kpi = _kpi("env-supervisor", "patrol_checkpoints_on_time")

    traveller.move_to(at("12:00"))  # only the morning round has fallen due
    assert kpis.measure(rounds_kpi, None, project, JUNE).actual == Decimal("100.00")

    traveller.move_to(at("00:01", NEXT_DAY))
    jobs.release_rounds(at("00:01", NEXT_DAY))  # yesterday's afternoon round is closed as missed
    post_card = kpis.measure(rounds_kpi, None, project, JUNE)
    assert post_card.actual == Decimal("50.00") and post_card.detail == {"due": 2, "on_time": 1}
    assert "/patrols/rounds/" in post_card.records_url and "month=2026-06" in post_card.records_url
    assert kpis.measure(rounds_kpi, officer, project, JUNE).actual == Decimal("50.00")
    # the supervisor answers for the checkpoints of the posts below: 5 of 6 recorded in time
    assert kpis.measure(checkpoints_kpi, None, project, JUNE).actual == Decimal("83.33")
    assert kpis.measure(checkpoints_kpi, patrollers["envsup"], project, JUNE).actual == Decimal("83.33")


def test_a_round_finished_after_its_due_time_is_late(route, morning, patrollers, traveller, project):
    _walk(morning, patrollers["officer"], ["P01", "P02"], at("10:00"))
    services.checkpoint_record(round=morning, code="P03", walker=patrollers["officer"], result="ok", now=at("11:20"))
    traveller.move_to(at("12:00"))
    assert kpis.measure(_kpi("patrol-officer", "patrol_rounds_on_time"), None, project, JUNE).actual == Decimal("0.00")
    assert kpis.measure(_kpi("env-supervisor", "patrol_checkpoints_on_time"), None, project,
                        JUNE).actual == Decimal("66.67")


def test_no_round_due_is_no_data_and_a_round_nobody_walked_counts_only_on_the_posts_card(route, patrollers,
                                                                                          traveller, project):
    rounds_kpi = _kpi("patrol-officer", "patrol_rounds_on_time")
    assert kpis.measure(rounds_kpi, None, project, JUNE).actual is None  # nothing due yet
    assert kpis.measure(_kpi("cleaning-inspector", "patrol_rounds_on_time"), None, project, JUNE).actual is None
    traveller.move_to(at("20:00"))
    assert kpis.measure(rounds_kpi, None, project, JUNE).actual == Decimal("0.00")
    assert kpis.measure(rounds_kpi, patrollers["officer"], project, JUNE).actual is None


def test_the_sources_are_set_based(route, patrollers, traveller, project, lobby_unit):
    """Every card of both KPIs in a fixed number of queries, however many routes and rounds."""
    from dutydesk.org.models import Post

    def measured():
        group = list(KPI.objects.filter(source__in=["patrol_rounds_on_time", "patrol_checkpoints_on_time"])
                     .select_related("post"))
        cards = kpis.Cards.load(project, JUNE, {kpi.post: [None, patrollers["officer"].pk] for kpi in group})
        with CaptureQueriesContext(connection) as captured:
            results = kpis.measure_cards(group, cards)
        return len(captured), results

    traveller.move_to(at("20:00"))
    few, _results = measured()
    for index in range(4):
        services.route_create(project=project, actor=patrollers["envsup"], name=f"路线{index}",
                              post=Post.objects.get(code="cleaning-inspector"),
                              schedule={"every_hours": 1, "from": "20:30", "until": "23:30"},
                              checkpoints=[{"code": f"C{n}", "name": f"点{n}", "unit": lobby_unit} for n in range(5)])
    traveller.move_to(at("23:59"))
    many, results = measured()
    assert few == many <= 6
    cleaning = _kpi("cleaning-inspector", "patrol_rounds_on_time")
    # 4 routes × the rounds due by 23:59 (20:30, 21:30 and 22:30; the 23:30 round is due at 00:30)
    assert results[cleaning.pk, None].detail == {"due": 12, "on_time": 0}
