"""Scheduled jobs fan out per project (issue 11): ``dutydesk beat`` sends one task per (job, project); each
(job, project, period) runs once however many workers receive it, claimed by a ``JobMark`` in the transaction of the
work; a failed run releases its claim; ``dutydesk scheduler`` runs the same projects in-process."""
import threading
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from dutydesk.billing import services as billing
from dutydesk.billing.models import DunningRun, UnitCharge
from dutydesk.core import tasks
from dutydesk.core.models import JobMark
from dutydesk.core.scheduler import JOBS, job, marks_prune, run_tick
from tests.factories import BuildingFactory, ProjectFactory, UnitFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
TICK = datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture
def sent(monkeypatch):
    """The tasks beat sends, as (job, tick, project) instead of Redis messages."""
    messages = []
    monkeypatch.setattr(tasks.run_scheduled_job, "delay", lambda *args: messages.append(args))
    return messages


@pytest.fixture
def registered():
    """Register test jobs for one test: ``registered(name, func, **options)``."""
    names = []

    def register(name, func, **options):
        names.append(name)
        return job(name, **options)(func)

    yield register
    for name in names:
        JOBS.pop(name, None)


def _billed_project(code):
    project = ProjectFactory(code=code, name=f"项目{code}")
    unit = UnitFactory(building=BuildingFactory(project=project, name="A"), floor=3, number="301")
    item = billing.charge_item_save(project=project, code="mgmt", name="物业管理费", basis="per_m2", unit_price="3.50")
    UnitCharge.objects.create(unit=unit, item=item, start=date(2020, 1, 1))
    billing.bill_run_create(project=project, period="2026-10")
    return project


@pytest.fixture
def two_billed_projects(db):
    return _billed_project("east"), _billed_project("west")


def test_beat_sends_one_task_per_job_and_project(two_billed_projects, sent):
    east, west = two_billed_projects
    ProjectFactory(code="nobills")  # no bills: the dunning job does not concern it
    assert tasks.tick_enqueue(TICK) == len(sent)
    dunning = sorted(project for name, _tick, project in sent if name == "billing-dunning")
    assert dunning == sorted([east.pk, west.pk])
    assert {tick for _name, tick, _project in sent} == {TICK.isoformat()}
    assert [project for name, _tick, project in sent if name == "core.send_emails"] == [None]  # not per project: once


def test_beat_only_sends_what_is_due_and_not_done_yet(two_billed_projects, sent):
    east, west = two_billed_projects
    tasks.run_scheduled_job("billing-dunning", TICK.isoformat(), east.pk)  # a worker did east already
    tasks.tick_enqueue(TICK.replace(hour=9))
    assert [project for name, _tick, project in sent if name == "billing-dunning"] == [west.pk]
    sent.clear()
    tasks.tick_enqueue(datetime(2026, 11, 24, 8, 0, tzinfo=SHANGHAI))  # dunning is due on the 10th and 25th only
    assert not [name for name, *_rest in sent if name == "billing-dunning"]


def test_the_beat_command_enqueues_a_tick(two_billed_projects, sent, settings):
    settings.DUTYDESK_BROKER_URL = "redis://127.0.0.1:6379/15"
    out = StringIO()
    call_command("beat", "--now", "2026-11-25T08:00:00+08:00", stdout=out)
    assert f"2026-11-25 08:00:00 enqueued {len(sent)} (job, project) tasks" in out.getvalue()
    assert len([name for name, *_rest in sent if name == "billing-dunning"]) == 2


def test_two_workers_receiving_the_same_job_project_and_period_run_it_once(two_billed_projects):
    east, _west = two_billed_projects
    first = tasks.run_scheduled_job("billing-dunning", TICK.isoformat(), east.pk)
    again = tasks.run_scheduled_job("billing-dunning", TICK.replace(hour=15).isoformat(), east.pk)  # same day
    assert (first, again) == (1, "skipped")
    assert DunningRun.objects.filter(project=east).count() == 1
    assert JobMark.objects.filter(job="billing-dunning", period="2026-11-25", project=east.pk).count() == 1
    assert tasks.run_scheduled_job("billing-dunning", TICK.replace(day=10).isoformat(), east.pk) == 1  # another day
    assert JobMark.objects.filter(job="billing-dunning", project=east.pk).count() == 2


def test_the_in_process_scheduler_runs_every_project(two_billed_projects, registered):
    seen = []
    registered("test.per_project", lambda now, project: seen.append(project.code) or 1, per_project=True, period="day")
    assert run_tick(TICK, only=["test.per_project"]) == {"test.per_project": 2}
    assert sorted(seen) == ["east", "west"]
    assert run_tick(TICK.replace(hour=9), only=["test.per_project"]) == {"test.per_project": 0}  # same day: done
    assert len(seen) == 2


def test_a_failed_run_releases_its_claim_and_the_next_tick_runs_it(two_billed_projects, registered):
    east, west = two_billed_projects
    calls = []

    def flaky(now, project):
        calls.append(project.code)
        JobMark.objects.create(job="test.side-effect", period=project.code)  # work done inside the transaction
        if project == east and calls.count("east") == 1:
            raise RuntimeError("mail server down")
        return 1

    registered("test.flaky", flaky, per_project=True, period="day")
    assert run_tick(TICK, only=["test.flaky"]) == {"test.flaky": "error"}
    assert list(JobMark.objects.filter(job="test.flaky").values_list("project", flat=True)) == [west.pk]
    assert not JobMark.objects.filter(job="test.side-effect", period="east").exists()  # rolled back with the claim
    assert run_tick(TICK.replace(minute=1), only=["test.flaky"]) == {"test.flaky": 1}  # the next tick: east only
    assert sorted(calls) == ["east", "east", "west"]
    assert run_tick(TICK.replace(minute=2), only=["test.flaky"]) == {"test.flaky": 0}


def test_a_job_not_per_project_runs_once_per_period(two_billed_projects, registered, sent):
    calls = []
    registered("test.once", lambda now: calls.append(now) or {"done": True}, period="day")
    tasks.tick_enqueue(TICK)
    assert [project for name, _tick, project in sent if name == "test.once"] == [None]
    assert tasks.run_scheduled_job("test.once", TICK.isoformat()) == {"done": True}
    assert tasks.run_scheduled_job("test.once", TICK.isoformat()) == "skipped"
    assert run_tick(TICK.replace(hour=12), only=["test.once"]) == {"test.once": 0}
    assert len(calls) == 1 and JobMark.objects.get(job="test.once").project is None
    sent.clear()
    tasks.tick_enqueue(TICK.replace(hour=13))
    assert not [name for name, *_rest in sent if name == "test.once"]


def test_a_job_per_project_needs_its_project(db, registered):
    registered("test.needs_project", lambda now, project: 1, per_project=True)
    with pytest.raises(ValueError):
        tasks.run_scheduled_job("test.needs_project", TICK.isoformat())


def test_old_marks_are_pruned_by_the_period_of_their_job(db, registered):
    registered("test.minutely", lambda now: 0)
    registered("test.monthly", lambda now: 0, period="month")
    for name in ("test.minutely", "test.monthly", "a.job.that.is.gone"):
        JobMark.objects.create(job=name, period="2026-01")
    JobMark.objects.update(at=datetime(2026, 1, 10, tzinfo=SHANGHAI))
    assert marks_prune(datetime(2026, 1, 20, tzinfo=SHANGHAI)) == 1  # the minute job's mark (kept a day)
    assert marks_prune(datetime(2027, 3, 1, tzinfo=SHANGHAI)) == 2
    assert not JobMark.objects.exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="two concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_run_it_once(registered):
    """Worker A is inside the job (its mark inserted, not committed) when worker B receives the same task: B's insert
    waits for A's transaction, then finds the mark and skips."""
    project = ProjectFactory(code="race")
    inside, release, results, calls = threading.Event(), threading.Event(), {}, []

    def slow(now, project):
        calls.append(project.pk)
        inside.set()
        release.wait(10)
        return 1

    registered("test.slow", slow, per_project=True, period="day")

    def worker(name):
        try:
            results[name] = tasks.run_scheduled_job("test.slow", TICK.isoformat(), project.pk)
        finally:
            connection.close()

    a = threading.Thread(target=worker, args=("a",))
    a.start()
    assert inside.wait(10)
    b = threading.Thread(target=worker, args=("b",))
    b.start()
    b.join(1)
    assert b.is_alive()  # B waits on A's uncommitted mark
    release.set()
    a.join(10)
    b.join(10)
    assert results == {"a": 1, "b": "skipped"} and calls == [project.pk]
