"""The scheduler releases each day's rounds exactly once (seeds/002_59da8478c28f7f86.txt:180 每天上、下午巡查: the route
walked at 10:00 and 15:00), as tasks of the route's post; a round already past due is not released; the rounds of past
days still open are closed as missed."""
from datetime import date, timedelta

from django.core.management import call_command

from dutydesk.core.models import JobMark
from dutydesk.inbox.models import Task
from dutydesk.patrols import jobs, schedules, services
from dutydesk.patrols.models import Round
from tests.patrols.conftest import at

NEXT_DAY = date(2026, 6, 3)


def test_the_days_rounds_are_released_exactly_once(route, traveller):
    assert route.rounds.count() == 2  # today's, at once when the route was laid out
    traveller.move_to(at("00:01", NEXT_DAY))
    jobs.release_rounds(at("00:01", NEXT_DAY))
    jobs.release_rounds(at("00:01", NEXT_DAY))  # a repeated tick: the job's mark says it ran
    traveller.move_to(at("09:00", NEXT_DAY))
    jobs.release_rounds(at("09:00", NEXT_DAY))  # a later tick of the day
    assert services.rounds_release(project=route.project, day=NEXT_DAY, now=at("09:00", NEXT_DAY)) == 0
    call_command("scheduler", "--job", "patrols.rounds", "--now", at("09:30", NEXT_DAY).isoformat(),
                 stdout=open("/dev/null", "w"))
    next_day = Round.objects.filter(route=route, starts_at__gte=at("00:00", NEXT_DAY)).order_by("starts_at")
    assert [(r.starts_at, r.due_at) for r in next_day] == [(at("10:00", NEXT_DAY), at("11:00", NEXT_DAY)),
                                                            (at("15:00", NEXT_DAY), at("16:00", NEXT_DAY))]
    assert Task.objects.filter(source="patrols.round").count() == 4
    assert all(r.task.post.code == "patrol-officer" and r.task.due_at == r.due_at for r in next_day)
    assert all(r.checkpoints.count() == 3 for r in next_day)
    assert JobMark.objects.filter(job="patrols.rounds", period="2026-06-03").count() == 1


def test_a_round_past_due_is_not_released_and_yesterdays_open_rounds_are_missed(route, morning, patrollers, traveller):
    services.checkpoint_record(round=morning, code="P01", walker=patrollers["officer"], result="ok", now=at("10:10"))
    traveller.move_to(at("12:30", NEXT_DAY))  # the scheduler was down until 12:30: the 10:00 round is past due
    jobs.release_rounds(at("12:30", NEXT_DAY))
    released = Round.objects.filter(route=route, starts_at__gte=at("00:00", NEXT_DAY))
    assert [r.starts_at for r in released] == [at("15:00", NEXT_DAY)]
    yesterday = Round.objects.filter(route=route, starts_at__lt=at("00:00", NEXT_DAY))
    assert {r.status for r in yesterday} == {"missed"}
    missed = Round.objects.get(pk=morning.pk)
    assert missed.history.first().status == "missed"  # audited
    assert missed.on_time is False


def test_a_retired_route_releases_nothing(route, patrollers, traveller):
    services.route_update(route=route, actor=patrollers["envsup"], active=False)
    traveller.move_to(at("00:05", NEXT_DAY))
    jobs.release_rounds(at("00:05", NEXT_DAY))
    assert not Round.objects.filter(starts_at__gte=at("00:00", NEXT_DAY)).exists()


def test_every_few_hours_and_weekdays():
    schedule = schedules.normalize({"every_hours": "3", "from": "8:00", "until": "20:00", "window_minutes": 30,
                                    "weekdays": [1, 2, 3, 4, 5]})
    assert schedules.start_times(schedule) == ["08:00", "11:00", "14:00", "17:00", "20:00"]
    monday, saturday = date(2026, 6, 1), date(2026, 6, 6)
    assert schedules.slots(schedule, monday)[0] == (at("08:00", monday), at("08:00", monday) + timedelta(minutes=30))
    assert schedules.slots(schedule, saturday) == []


def test_the_release_costs_the_same_for_two_routes_or_six(patrollers, project, lobby_unit, traveller):
    """Each released round's task was made on its own (two queries a round: 612 queries for 600 rounds in a park of
    100 routes, scripts/bench_modules.py); now all of a day's tasks at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dutydesk.org.models import Post

    def add_routes(first, last):
        for index in range(first, last):
            services.route_create(project=project, actor=patrollers["envsup"], name=f"路线{index}",
                                  post=Post.objects.get(code="patrol-officer"), schedule={"times": ["10:00", "15:00"]},
                                  checkpoints=[{"code": f"C{n}", "name": f"点{n}", "unit": lobby_unit}
                                               for n in range(3)])

    def released(routes):
        traveller.move_to(at("00:01", NEXT_DAY))
        with CaptureQueriesContext(connection) as captured:
            assert jobs.release_rounds.func(at("00:01", NEXT_DAY), project) == 2 * routes
        Round.objects.filter(starts_at__gte=at("00:00", NEXT_DAY)).delete()
        traveller.move_to(at("08:00"))
        return len(captured)

    add_routes(0, 2)
    few = released(2)
    add_routes(2, 6)
    assert released(6) == few
    assert all(r.task_id for r in Round.objects.all())
