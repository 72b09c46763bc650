"""Two work-order KPIs measured as the seeds say (issue 15):
- complaint_closed_3d: a complaint form is closed within 3 days (seeds/000_d44081c6db2527f0.txt:245 篇11) — working days, as
  the SLA counts them — and a supervisor's card counts the department's complaints, not only those they took;
- response_on_time: the resident gets an answer by the first-response target (same day, seeds/000_d44081c6db2527f0.txt:367
  篇16; 48 h, seeds/002_59da8478c28f7f86.txt:1338 篇6)."""
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.core.periods import Period
from dutydesk.org import kpis
from dutydesk.org.kpis import Cards, measure
from dutydesk.org.models import KPI, Post
from dutydesk.tickets import services
from dutydesk.tickets.selectors import complaint_close_deadline
from tests.factories import UnitFactory, UserFactory, hold
from tests.tickets.conftest import local

OCTOBER = Period.parse("2026-10")


def kpi(post_code, source):
    return KPI.objects.get(post__code=post_code, source=source)


def closed_complaint(actor, unit, received, closed, title="投诉"):
    ticket = services.ticket_create(actor=actor, unit=unit, kind="complaint", title=title, now=received)
    if closed is not None:
        services.ticket_start(ticket=ticket, actor=actor, now=received)
        services.ticket_resolve(ticket=ticket, actor=actor, resolution="已处理", now=closed)
        services.ticket_return_visit(ticket=ticket, actor=actor, method="phone", satisfaction=4, now=closed)
    return ticket


def test_the_deadline_is_the_end_of_the_third_working_day_after_the_day_received():
    assert complaint_close_deadline(local(2026, 10, 16).date()) == local(2026, 10, 22, 0, 0)  # Fri → end of Wed 21st
    # received on the National Day holiday (1–7 Oct 2026): working days 8, 9 and the make-up Saturday the 10th
    assert complaint_close_deadline(local(2026, 10, 2).date()) == local(2026, 10, 11, 0, 0)


@pytest.fixture
def october_complaints(staff, unit, building):
    high = UnitFactory(building=building, floor=20, number="2001")  # not on the butler's floors 1–15
    desk, butler = staff["frontdesk"], staff["butler"]
    return [
        # Fri 16th → closed Tue 20th: 4 calendar days, 2 working days: in time
        closed_complaint(desk, unit, local(2026, 10, 16, 10), local(2026, 10, 20, 15), "周五的投诉"),
        # Mon 19th → closed Fri 23rd: the deadline was the end of Thu 22nd: late
        closed_complaint(desk, unit, local(2026, 10, 19, 10), local(2026, 10, 23, 10), "周一的投诉"),
        # taken on the holiday (2nd) → closed on the 9th: before the end of the 10th (make-up working day): in time
        closed_complaint(butler, unit, local(2026, 10, 2, 10), local(2026, 10, 9, 10), "假期的投诉"),
        # floor 20, Tue 20th → Wed 21st: in time
        closed_complaint(desk, high, local(2026, 10, 20, 10), local(2026, 10, 21, 10), "20楼的投诉"),
        # Mon 26th, still open on the 27th: its 3 working days have not run out: not counted yet
        closed_complaint(desk, unit, local(2026, 10, 26, 10), None, "还没到期的投诉"),
    ]


def test_a_supervisors_card_counts_the_departments_complaints_in_working_days(staff, project, october_complaints):
    with time_machine.travel(local(2026, 10, 27, 10), tick=False):
        supervisor = measure(kpi("cs-supervisor", "complaint_closed_3d"), staff["supervisor"], project, OCTOBER)
        post = measure(kpi("cs-supervisor", "complaint_closed_3d"), None, project, OCTOBER)
    # the supervisor took none of them: before, "no data"; now the department's 4 due complaints, 3 in time
    assert supervisor.actual == post.actual == Decimal("75.00")
    assert supervisor.detail == {"closed_within_3_days": 3, "complaints": 4}
    assert "kind=complaint" in supervisor.records_url and "received=2026-10" in supervisor.records_url


def test_a_floor_butlers_card_counts_the_complaints_on_their_floors(staff, project, october_complaints):
    Post.objects.filter(code="floor-butler").get().kpis.create(
        code="complaint_closed_3d", name="投诉3天内关闭率", target=100, unit="%", source="complaint_closed_3d")
    with time_machine.travel(local(2026, 10, 27, 10), tick=False):
        butler = measure(kpi("floor-butler", "complaint_closed_3d"), staff["butler"], project, OCTOBER)
    assert butler.detail == {"closed_within_3_days": 2, "complaints": 3}  # not the complaint on floor 20


def test_the_department_figure_is_one_query_for_every_card(staff, project, october_complaints):
    for number in range(5):
        hold(UserFactory(username=f"deputy{number}"), "cs-deputy-supervisor", project)
    group = list(KPI.objects.filter(source="complaint_closed_3d").select_related("post"))
    assert {k.post.code for k in group} == {"cs-supervisor", "cs-deputy-supervisor"}
    posts = {k.post: [None, *k.post.holdings.values_list("user_id", flat=True)] for k in group}
    cards = Cards.load(project, OCTOBER, posts)
    with time_machine.travel(local(2026, 10, 27, 10), tick=False), CaptureQueriesContext(connection) as queries:
        measured = kpis.all_sources()["complaint_closed_3d"].measure(group, cards)
    assert len(queries) == 1
    assert len(measured) == 2 + 5 + 1 and {m.actual for m in measured.values()} == {Decimal("75.00")}


def test_the_department_figure_reads_only_what_its_index_holds(staff, project, october_complaints):
    """The project's figure names no column of the work orders outside ``ticket_kind_created_closed``, so PostgreSQL
    counts a month's complaints off that index alone (10M work orders, 105,000 complaints in a month: their rows
    took 105 ms). It counted ``id`` before, which the index does not hold."""
    import re

    from dutydesk.tickets.models import Ticket

    index = next(index for index in Ticket._meta.indexes if index.name == "ticket_kind_created_closed")
    held = {Ticket._meta.get_field(name).column for name in index.fields}
    group = [kpi("cs-supervisor", "complaint_closed_3d")]
    cards = Cards.load(project, OCTOBER, {group[0].post: [None, staff["supervisor"].pk]})
    with time_machine.travel(local(2026, 10, 27, 10), tick=False), CaptureQueriesContext(connection) as queries:
        measured = kpis.all_sources()["complaint_closed_3d"].measure(group, cards)
    (statement,) = [query["sql"] for query in queries.captured_queries]
    named = set(re.findall(r'"tickets_ticket"\."(\w+)"', statement))
    assert named and named <= held, named - held
    assert "archive_unit" not in statement  # no card on floors: no join to the units
    assert {m.detail["complaints"] for m in measured.values()} == {4}


def test_first_responses_on_time_are_measured_for_the_owner(staff, project, unit, make_ticket):
    answered = make_ticket(kind="repair", title="灯不亮", now=local(2026, 10, 12, 10))  # same-day reply: by 24:00
    services.ticket_start(ticket=answered, actor=staff["frontdesk"], now=local(2026, 10, 12, 11))
    make_ticket(kind="repair", title="没人理", now=local(2026, 10, 12, 10))  # never answered
    late = make_ticket(kind="complaint", title="第二天才回", now=local(2026, 10, 13, 10))
    services.ticket_comment(ticket=late, actor=staff["frontdesk"], note="已联系", to_resident=True,
                            now=local(2026, 10, 14, 10))
    make_ticket(kind="enquiry", title="还没到期", now=local(2026, 10, 20, 9, 30))  # due 24:00, asked at 10:00
    with time_machine.travel(local(2026, 10, 20, 10), tick=False):
        desk = measure(kpi("frontdesk-assistant", "response_on_time"), staff["frontdesk"], project, OCTOBER)
        butler = measure(kpi("floor-butler", "response_on_time"), staff["butler"], project, OCTOBER)
    assert desk.actual == Decimal("33.33") and desk.detail == {"answered_in_time": 1, "due": 3}
    assert butler.actual == Decimal("33.33")  # the same work orders: unit A-1201 is on the butler's floors
    assert "owner=" in desk.records_url
    # beside SLA compliance in the monthly report (page, PDF, Excel) and on the dashboard
    from dutydesk.duties.dashboard import dashboard_data
    from dutydesk.duties.reports import _tables, monthly_report_data

    with time_machine.travel(local(2026, 10, 20, 10), tick=False):
        report = monthly_report_data(project, OCTOBER)
        charts = {c["key"]: c for c in dashboard_data(staff["manager"], project, OCTOBER)["charts"]}
    assert report["work_orders"]["total"]["response_on_time"] == "33.33"
    work_orders = next(rows for key, _title, _header, rows in _tables(report) if key == "work_orders")
    assert ["首次响应及时率（%）", "33.33", "", ""] in [[str(cell) for cell in row] for row in work_orders]
    assert charts["response_trend"]["values"][-1] == 33.33
    assert charts["response_trend"]["urls"][-1].endswith("received=2026-10")


def test_no_first_response_due_is_no_data(staff, project):
    with time_machine.travel(local(2026, 10, 20, 10), tick=False):
        assert measure(kpi("frontdesk-assistant", "response_on_time"), staff["frontdesk"], project,
                       OCTOBER).actual is None
