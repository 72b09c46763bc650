"""Kept figures (tickets/figures.py): the trends read each day's figures kept by the hourly job, and they are the
figures read from the work orders. Late events reach the kept days until the month after has ended; then the days
are settled."""
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.core.periods import Period
from dutydesk.core.scheduler import run_tick
from dutydesk.tickets import figures, jobs, selectors, services
from dutydesk.tickets.models import KeptFigures, ReceivedMonth, ResolvedMonth, Ticket
from tests.tickets.conftest import local

MONTHS = [Period.parse(label) for label in ("2026-01", "2026-02", "2026-03", "2026-04")]


@pytest.fixture
def worked(staff, make_ticket, plumbing):
    """Work orders of February to April 2026: resolved in and out of their targets, visited, reopened by an unhappy
    resident and resolved again, answered late, one left open."""

    def resolved(kind, received, resolved_at, category=None, assignee="engineer"):
        ticket = make_ticket(kind=kind, category=category, now=received)
        services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff[assignee], now=received)
        services.ticket_start(ticket=ticket, actor=staff[assignee], now=resolved_at)
        services.ticket_resolve(ticket=ticket, actor=staff[assignee], resolution="ok", now=resolved_at)
        return ticket

    visit = services.ticket_return_visit
    tickets = {
        "feb": resolved("repair", local(2026, 2, 10, 10), local(2026, 2, 11, 9), plumbing),
        "mar_fast": resolved("repair", local(2026, 3, 2, 10), local(2026, 3, 2, 15), plumbing),
        "mar_slow": resolved("complaint", local(2026, 3, 3, 10), local(2026, 3, 20, 10)),  # past its target
        "mar_enquiry": resolved("enquiry", local(2026, 3, 5, 9), local(2026, 3, 5, 11)),
        "mar_reopened": resolved("repair", local(2026, 3, 9, 9), local(2026, 3, 9, 16), plumbing),
        "mar_last": resolved("complaint", local(2026, 3, 31, 20), local(2026, 3, 31, 23)),
    }
    visit(ticket=tickets["feb"], actor=staff["frontdesk"], method="phone", satisfaction=5, now=local(2026, 2, 12, 10))
    visit(ticket=tickets["mar_fast"], actor=staff["frontdesk"], method="phone", satisfaction=4, now=local(2026, 3, 3, 10))
    # an unhappy resident reopens it; resolved again on the 12th
    visit(ticket=tickets["mar_reopened"], actor=staff["frontdesk"], method="phone", satisfaction=1,
          now=local(2026, 3, 10, 10))
    services.ticket_resolve(ticket=tickets["mar_reopened"], actor=staff["engineer"], resolution="again",
                            now=local(2026, 3, 12, 10))
    make_ticket(kind="repair", now=local(2026, 4, 1, 9))  # never answered
    return tickets


def live(project, now, user):
    return {"sla": [f.percent for f in selectors.sla_compliance(project=project, periods=MONTHS)[None]],
            "responses": [(f.due, f.on_time) for f in selectors.response_compliance(project=project, periods=MONTHS, now=now)],
            "report": figures.return_visit_stats(user, date(2026, 3, 1))}


def read(project, now, user):
    return {"sla": [f.percent for f in figures.sla_by_month(project=project, periods=MONTHS)],
            "responses": [(f.due, f.on_time) for f in figures.responses_by_month(project=project, periods=MONTHS, now=now)],
            "report": figures.return_visit_stats(user, date(2026, 3, 1))}


def test_kept_figures_are_the_live_figures_and_the_report_reads_no_work_order(worked, project, staff):
    now = local(2026, 4, 20, 10)
    with time_machine.travel(now, tick=False):
        expected = live(project, now, staff["supervisor"])
        assert expected["report"]["total"] == {"resolved": 4, "visited": 2, "rate": "0.5000", "avg_satisfaction": "2.50"}
        assert expected["sla"][1:3] != [None, None]
        result = figures.keep(project, now=now)
        assert result["from"] == "2026-02-01" and result["until"] == "2026-04-20"  # the first work order's month on
        assert ResolvedMonth.objects.filter(project=project).exists()
        assert read(project, now, staff["supervisor"]) == expected
        # March is kept whole: the report reads kept rows only, never a work order
        with CaptureQueriesContext(connection) as queries:
            figures.return_visit_stats(staff["supervisor"], date(2026, 3, 1))
        assert len(queries) <= 6
        assert not [q["sql"] for q in queries if '"tickets_ticket"' in q["sql"]]
        # proof that it reads them: a kept row doubled counts twice
        row = ResolvedMonth.objects.filter(project=project, month=date(2026, 3, 1), kind="complaint", resolved__gt=0).get()
        assert row.resolved == 2
        ResolvedMonth.objects.filter(pk=row.pk).update(resolved=4)
        assert figures.return_visit_stats(staff["supervisor"], date(2026, 3, 1))["total"]["resolved"] == 6


def test_today_is_read_from_the_work_orders_and_the_days_before_from_the_kept_rows(worked, project, staff, make_ticket):
    kept_at = local(2026, 4, 20, 1)
    figures.keep(project, now=kept_at)
    with time_machine.travel(local(2026, 4, 20, 15), tick=False):
        ticket = make_ticket(kind="repair", now=local(2026, 4, 20, 9))
        services.ticket_start(ticket=ticket, actor=staff["supervisor"], now=local(2026, 4, 20, 10))
        services.ticket_resolve(ticket=ticket, actor=staff["supervisor"], resolution="ok", now=local(2026, 4, 20, 11))
        april = figures.sla_by_month(project=project, periods=MONTHS)[3]
        assert (april.resolved, april.within) == (1, 1)  # resolved today: read live
        # the whole project's report for April counts it; a floor butler's reads their floors live, the same here
        report = figures.return_visit_stats(staff["supervisor"], date(2026, 4, 1))
        assert report["total"]["resolved"] == 1
        butler = figures.return_visit_stats(staff["butler"], date(2026, 4, 1))
        assert figures.whole_projects(staff["butler"], None) is None
        assert butler["total"] == report["total"]


def test_a_late_return_visit_reaches_the_kept_day_until_the_month_after_has_ended(worked, project, staff):
    supervisor = staff["supervisor"]
    figures.keep(project, now=local(2026, 4, 1, 2))
    march = lambda: figures.return_visit_stats(supervisor, date(2026, 3, 1))["total"]  # noqa: E731
    assert march()["visited"] == 2
    # the complaint resolved on the 31st at 23:00 is visited on 2 April: the next keep counts it in March
    services.ticket_return_visit(ticket=worked["mar_last"], actor=staff["frontdesk"], method="phone", satisfaction=3,
                                 now=local(2026, 4, 2, 10))
    assert march()["visited"] == 2  # kept as of 1 April 02:00
    figures.keep(project, now=local(2026, 4, 2, 11))
    assert march()["visited"] == 3 and march()["avg_satisfaction"] == "2.67"
    # in May, March is settled: a visit made then does not move it, unless the range is recomputed on purpose
    services.ticket_return_visit(ticket=worked["mar_slow"], actor=staff["frontdesk"], method="phone", satisfaction=5,
                                 now=local(2026, 5, 5, 10))
    result = figures.keep(project, now=local(2026, 5, 5, 11))
    assert result["from"] == "2026-04-01"  # April and May: March is settled
    assert march()["visited"] == 3
    figures.keep(project, now=local(2026, 5, 5, 12), since=date(2026, 3, 1))
    assert march()["visited"] == 4


def test_a_reopened_work_order_leaves_the_month_it_was_resolved_in(worked, project, staff):
    figures.keep(project, now=local(2026, 4, 10, 1))
    kept = lambda: dict(ResolvedMonth.objects.filter(project=project, month=date(2026, 3, 1), kind="complaint",  # noqa: E731
                                                     resolved__gt=0).values_list("month", "resolved"))
    assert kept() == {date(2026, 3, 1): 2}
    # an unhappy resident: the complaint resolved on 31 March is reopened on 2 April, resolved again on the 3rd
    services.ticket_return_visit(ticket=worked["mar_last"], actor=staff["frontdesk"], method="phone", satisfaction=2,
                                 now=local(2026, 4, 2, 10))
    services.ticket_resolve(ticket=worked["mar_last"], actor=staff["engineer"], resolution="again",
                            now=local(2026, 4, 3, 10))
    figures.keep(project, now=local(2026, 4, 10, 2))
    assert kept() == {date(2026, 3, 1): 1}
    april = figures.sla_by_month(project=project, periods=MONTHS)[3]
    assert april.resolved == 1  # now counted in April


def test_the_hourly_job_keeps_each_project_once_an_hour(worked, project):
    now = local(2026, 4, 20, 10, 5)
    assert jobs.keep_figures.per_project and jobs.keep_figures.period == "hour"
    first = run_tick(now, ["tickets.keep_figures"])["tickets.keep_figures"]
    assert first == ResolvedMonth.objects.count() + ReceivedMonth.objects.count() > 0  # the rows it wrote
    assert KeptFigures.objects.get(project=project).until == date(2026, 4, 20)
    assert run_tick(local(2026, 4, 20, 10, 40), ["tickets.keep_figures"]) == {"tickets.keep_figures": 0}
    # the next hour recomputes the unsettled months only (March and April): February's rows stay as they were
    february = set(ResolvedMonth.objects.filter(month__lt=date(2026, 3, 1)).values_list("pk", flat=True))
    assert february
    again = run_tick(local(2026, 4, 20, 11, 0), ["tickets.keep_figures"])["tickets.keep_figures"]
    assert again == first - len(february) - ReceivedMonth.objects.filter(month__lt=date(2026, 3, 1)).count()
    assert set(ResolvedMonth.objects.filter(month__lt=date(2026, 3, 1)).values_list("pk", flat=True)) == february


def test_a_project_without_work_orders_is_kept_too_so_that_a_reader_of_many_projects_reads_kept_rows(
        worked, project, staff):
    from tests.factories import ProjectFactory

    empty = ProjectFactory(code="empty")
    run_tick(local(2026, 4, 20, 10, 5), ["tickets.keep_figures"])
    assert set(KeptFigures.objects.values_list("project__code", flat=True)) == {project.code, "empty"}
    assert figures.kept_until([project.pk, empty.pk]) == date(2026, 4, 20)
    staff["supervisor"].is_superuser = True  # sees every project: March read from kept rows only
    with CaptureQueriesContext(connection) as queries:
        report = figures.return_visit_stats(staff["supervisor"], date(2026, 3, 1))
    assert report["total"]["resolved"] == 4
    assert not [q["sql"] for q in queries if '"tickets_ticket"' in q["sql"]]
    # a project created since the hour's keep, still without work orders, changes nothing
    newer = ProjectFactory(code="newer")
    assert figures.kept_until([project.pk, empty.pk, newer.pk]) == date(2026, 4, 20)
    # one with work orders and nothing kept yet: everything is read live
    from tests.factories import UnitFactory

    Ticket.objects.create(project=newer, number="KF-2026-000001", kind="repair", title="新项目的报修",
                          unit=UnitFactory(building__project=newer))
    assert figures.kept_until([project.pk, newer.pk]) is None


def test_the_pages_say_when_the_kept_figures_were_refreshed(worked, project, staff, client):
    client.force_login(staff["manager"])
    with time_machine.travel(local(2026, 4, 20, 10, 30), tick=False):
        assert "data-kept" not in client.get("/duties/dashboard/").content.decode()
        figures.keep(project, now=local(2026, 4, 20, 10, 5))
        dashboard = client.get("/duties/dashboard/").content.decode()
        assert "data-kept" in dashboard and "2026-04-20 10:05" in dashboard
        report = client.get("/tickets/reports/return-visits/?period=2026-03").content.decode()
        assert "2026-04-20 10:05" in report
        client.force_login(staff["butler"])  # their floors are read live: nothing kept to speak of
        assert "2026-04-20 10:05" not in client.get("/tickets/reports/return-visits/?period=2026-03").content.decode()


def test_the_command_recomputes_settled_months_on_purpose(worked, project, staff):
    from io import StringIO

    from django.core.management import CommandError, call_command

    with time_machine.travel(local(2026, 6, 2, 9), tick=False):
        figures.keep(project, now=local(2026, 6, 2, 8))
        services.ticket_return_visit(ticket=worked["mar_slow"], actor=staff["frontdesk"], method="phone",
                                     satisfaction=5, now=local(2026, 6, 2, 8, 30))
        march = lambda: figures.return_visit_stats(staff["supervisor"], date(2026, 3, 1))["total"]["visited"]  # noqa: E731
        assert march() == 2  # March is settled
        out = StringIO()
        call_command("keep_figures", "--since", "2026-03-15", stdout=out)
        assert '"from": "2026-03-01"' in out.getvalue().replace("'", '"') and march() == 3
        with pytest.raises(CommandError, match="YYYY-MM-DD"):
            call_command("keep_figures", "--since", "March")
        with pytest.raises(CommandError, match="no project"):
            call_command("keep_figures", "--project", "nowhere")


def test_the_kept_figures_are_read_for_whole_projects_and_nothing_else(project, staff, make_ticket):
    """Kept months serve someone whose every work order seen lies in projects seen whole (the rule that merges their
    lists, ``selectors.seen_only_whole``): the manager. Not the floor butler (their floors), nor a manager working a
    case in another project (it is theirs to see, and no kept month of that project is theirs)."""
    from django.contrib.auth import get_user_model

    from tests.factories import BuildingFactory, ProjectFactory, UnitFactory, UserFactory, hold

    manager = staff["manager"]
    assert figures.whole_projects(manager, None) == [project.pk]
    assert figures.whole_projects(manager, project.pk) == [project.pk]
    assert figures.whole_projects(staff["butler"], None) is None
    assert figures.whole_projects(staff["butler"], project.pk) is None
    elsewhere = ProjectFactory(organisation=project.organisation, code="elsewhere")
    away = UnitFactory(building=BuildingFactory(project=elsewhere, name="E"), floor=1, number="101")
    clerk = UserFactory(username="clerk-elsewhere")
    hold(clerk, "frontdesk-assistant", elsewhere)
    Ticket.objects.filter(pk=make_ticket(kind="repair", unit=away, actor=clerk, resident=None).pk).update(owner=manager)
    again = get_user_model().objects.get(pk=manager.pk)
    assert figures.whole_projects(again, None) is None
    assert figures.whole_projects(again, project.pk) == [project.pk]
