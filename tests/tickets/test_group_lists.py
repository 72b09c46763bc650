"""A group's manager (the CS manager's post in several projects): their work-order lists, read project by project
and merged (``core.paging.ProjectByProject``), list the same rows in the same order as one sorted query would, page
after page, in the web list and the API; lists that a filter narrows, people who see more than whole projects and
pages too deep for merging are read the plain way."""
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from dutydesk.core import paging
from dutydesk.tickets import selectors
from dutydesk.tickets.models import Status, Ticket, priority_rank
from tests.factories import BuildingFactory, ProjectFactory, UnitFactory, UserFactory, hold
from tests.tickets.conftest import local

MERGES = connection.vendor == "postgresql"  # SQLite (no LATERAL) reads the plain way


@pytest.fixture
def group(staff, project, unit):
    """Three projects, a clerk in each, and a manager of all three; 12 work orders received in turn across the
    three projects, one every hour, the last three still waiting for dispatch."""
    projects = [project, *(ProjectFactory(organisation=project.organisation, code=f"g{n}") for n in (1, 2))]
    units = [unit, *(UnitFactory(building=BuildingFactory(project=p, name="G"), floor=1, number="101")
                     for p in projects[1:])]
    clerks = [staff["frontdesk"]]
    for n, other in enumerate(projects[1:], start=1):
        clerks.append(UserFactory(username=f"clerk-{n}"))
        hold(clerks[-1], "frontdesk-assistant", other)
    manager = UserFactory(username="group-manager")
    for each in projects:
        hold(manager, "cs-manager", each)
    from dutydesk.tickets import services

    start = local(2026, 11, 2, 8, 0)
    for n in range(12):
        ticket = services.ticket_create(actor=clerks[n % 3], unit=units[n % 3], kind="repair", title=f"报修{n}",
                                        resident=None, now=start + timedelta(hours=n))
        if n < 9:
            Ticket.objects.filter(pk=ticket.pk).update(status=Status.DISPATCHED)
    return manager, projects, units


def newest_first():
    return list(Ticket.objects.order_by("-created_at", "-id").values_list("pk", flat=True))


def merged(queries):
    return any("CROSS JOIN LATERAL" in q["sql"] for q in queries.captured_queries)


def test_the_group_managers_api_list_is_every_project_newest_first_page_after_page(group, api):
    manager, _projects, _units = group
    client = api(manager)
    seen = []
    with CaptureQueriesContext(connection) as queries:
        for page in (1, 2, 3):
            body = client.get("/api/v1/tickets/", {"page_size": 5, "page": page}).json()
            assert body["count"] == 12
            seen += [row["id"] for row in body["results"]]
    assert seen == newest_first()
    assert merged(queries) is MERGES


def test_the_group_managers_all_tab_and_the_tab_waiting_for_dispatch_keep_their_order(group, client):
    manager, _projects, _units = group
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/tickets/", {"q": "all"})
    assert [row.pk for row in page.context["page"]] == newest_first()
    assert merged(queries) is MERGES
    page = client.get("/tickets/", {"q": "new"})
    waiting = list(Ticket.objects.filter(status=Status.NEW).order_by("created_at", "id").values_list("pk", flat=True))
    assert [row.pk for row in page.context["page"]] == waiting and len(waiting) == 3
    page = client.get("/tickets/", {"q": "all", "sort": "created", "status": "dispatched"})
    assert [row.pk for row in page.context["page"]] == newest_first()[3:]


def test_a_list_narrowed_to_a_unit_or_a_project_is_read_the_plain_way(group, api):
    manager, projects, units = group
    client = api(manager)
    with CaptureQueriesContext(connection) as queries:
        by_unit = client.get("/api/v1/tickets/", {"unit": units[1].pk}).json()["results"]
        by_project = client.get("/api/v1/tickets/", {"project": projects[2].pk}).json()["results"]
    assert not merged(queries)
    assert [row["id"] for row in by_unit] == list(
        Ticket.objects.filter(unit=units[1]).order_by("-created_at", "-id").values_list("pk", flat=True))
    assert {row["unit"]["id"] if isinstance(row["unit"], dict) else row["unit"] for row in by_project} == {
        units[2].pk}


def test_a_manager_who_works_a_case_elsewhere_is_read_the_plain_way_and_still_sees_it(group, staff, api):
    """Merging reads the projects the person sees whole; a case they work in a fourth project would be missed."""
    manager, projects, _units = group
    fourth = ProjectFactory(organisation=projects[0].organisation, code="g4")
    clerk = UserFactory(username="clerk-4")
    hold(clerk, "frontdesk-assistant", fourth)
    from dutydesk.tickets import services

    there = services.ticket_create(actor=clerk, unit=UnitFactory(building=BuildingFactory(project=fourth, name="Q"),
                                                                 floor=1, number="101"),
                                   kind="repair", title="别处的报修", resident=None)
    Ticket.objects.filter(pk=there.pk).update(assignee=manager)
    assert selectors.seen_only_whole(manager) == []
    client = api(manager)
    with CaptureQueriesContext(connection) as queries:
        seen = [row["id"] for row in client.get("/api/v1/tickets/", {"page_size": 50}).json()["results"]]
    assert not merged(queries)
    assert seen == newest_first()  # the fourth project's case among them, first (the newest)
    assert seen[0] == there.pk


def test_a_page_too_deep_to_merge_is_read_the_plain_way(group, api, monkeypatch):
    manager, _projects, _units = group
    monkeypatch.setattr(paging, "MERGED_ROWS", 20)  # 3 projects × a page ending at row 10 > 20
    client = api(manager)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/v1/tickets/", {"page_size": 5, "page": 1}).json()["results"]
    assert merged(queries) is MERGES
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/api/v1/tickets/", {"page_size": 5, "page": 2}).json()["results"]
    assert not merged(queries)
    assert [row["id"] for row in first + second] == newest_first()[:10]


def test_one_projects_manager_and_a_floor_butler_are_read_the_plain_way(group, staff, api):
    for person in (staff["manager"], staff["butler"]):
        assert len(selectors.seen_only_whole(person)) <= 1
        with CaptureQueriesContext(connection) as queries:
            assert api(person).get("/api/v1/tickets/").status_code == 200
        assert not merged(queries)


@pytest.mark.parametrize("sort", ["due", "priority"])
def test_the_group_managers_list_by_due_or_priority_is_every_project_in_that_order(group, client, sort):
    manager, _projects, _units = group
    first, second, third = Ticket.objects.order_by("id")[1:4]
    Ticket.objects.filter(pk=first.pk).update(resolution_due=None)  # no target: last of its priority
    Ticket.objects.filter(pk__in=[second.pk, third.pk]).update(priority="urgent")
    Ticket.objects.filter(pk=Ticket.objects.order_by("id").last().pk).update(priority="low")
    ordering = [F("resolution_due").asc(nulls_last=True), "id"]
    if sort == "priority":
        ordering = ["-rank", *ordering]
    expected = list(Ticket.objects.annotate(rank=priority_rank()).order_by(*ordering).values_list("pk", flat=True))
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/tickets/", {"q": "all", "sort": sort})
    assert [row.pk for row in page.context["page"]] == expected
    assert merged(queries) is MERGES
    if sort == "priority":
        assert expected[:2] == [second.pk, third.pk] and expected[-1] == Ticket.objects.order_by("id").last().pk


def test_the_group_managers_list_names_each_work_orders_project_and_one_projects_does_not(group, staff, client):
    """Numbers (KF-2026-000001) and unit codes (G-101) repeat from one project to the next: a list of several
    projects says which project each work order is in; a list of one project has no such column."""
    manager, projects, _units = group
    projects[1].name = "<b>东区</b>"
    projects[1].save()
    client.force_login(manager)
    html = client.get("/tickets/", {"q": "all"}).content.decode()
    assert "<th>项目</th>" in html
    there = Ticket.objects.filter(project=projects[1]).order_by("id").first()
    row = re.search(rf'<tr[^>]*><td><a href="/tickets/{there.pk}/">[^<]+</a></td><td>([^<]*)</td>', html)
    assert row and row.group(1) == "&lt;b&gt;东区&lt;/b&gt;"
    client.force_login(staff["manager"])
    html = client.get("/tickets/", {"q": "all"}).content.decode()
    assert "<th>项目</th>" not in html and re.search(r"</a></td><td>报修</td>", html)


def test_the_group_managers_home_names_each_overdue_work_orders_project_in_a_constant_number_of_queries(
        group, staff, client):
    manager, projects, _units = group
    client.force_login(manager)
    client.get("/")  # warm: the session, the catalogue's caches
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    panel = html[html.index('id="tickets-home"'):]
    panel = panel[:panel.index("</section>")]
    assert "<th>项目</th>" in panel and all(f"<td>{each.name}</td>" in panel for each in projects)
    assert not [q for q in queries.captured_queries if 'FROM "archive_project"' in q["sql"]
                and '"archive_project"."id" = ' in q["sql"]]  # joined, not read row by row
    client.force_login(staff["manager"])
    html = client.get("/").content.decode()
    panel = html[html.index('id="tickets-home"'):]
    assert "<th>项目</th>" not in panel[:panel.index("</section>")]


@pytest.mark.parametrize("query", [{"q": "mine"}, {"q": "work"}, {"q": "post"}, {"q": "today", "sort": "due"},
                                   {"q": "all", "search": "报修"}, {"q": "all", "sort": "due", "search": "报修"}])
def test_lists_that_each_projects_index_would_walk_a_long_way_are_read_the_plain_way(group, client, query):
    """A person's or a post's tab, or a search (by due too), would be checked row by row along every project's
    index: those lists are sorted once instead."""
    manager, _projects, _units = group
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/tickets/", query).status_code == 200
    assert not merged(queries)


def _complaints_by(sort):
    """The group's complaints by due or by priority: none in the third project, one in the first, four in the second
    (one urgent, one without a target)."""
    tickets = list(Ticket.objects.order_by("id"))
    complaints = [tickets[n] for n in (0, 1, 4, 7, 10)]  # received in turn: the first project, then the second
    Ticket.objects.filter(pk__in=[t.pk for t in complaints]).update(kind="complaint")
    Ticket.objects.filter(pk=complaints[2].pk).update(priority="urgent")
    Ticket.objects.filter(pk=complaints[3].pk).update(resolution_due=None)
    ordering = [F("resolution_due").asc(nulls_last=True), "id"]
    if sort == "priority":
        ordering = ["-rank", *ordering]
    return list(Ticket.objects.filter(kind="complaint").annotate(rank=priority_rank()).order_by(*ordering)
                .values_list("pk", flat=True))


@pytest.mark.parametrize("sort", ["due", "priority"])
def test_the_group_managers_list_filtered_and_by_due_or_priority_is_merged_in_that_order(group, client, sort):
    """Complaints by due (or by priority): each project's (project, due) index is walked checking the kind, and a
    project with fewer complaints than the page needs (the third has none) is read off its kind index instead of
    walked to its end; the page is the same as one sorted query's, page after page."""
    manager, projects, _units = group
    expected = _complaints_by(sort)
    assert sorted(Ticket.objects.filter(kind="complaint").values_list("project_id", flat=True)) == sorted(
        [projects[0].pk, *[projects[1].pk] * 4])
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/tickets/", {"q": "all", "sort": sort, "kind": "complaint"})
    assert [row.pk for row in page.context["page"]] == expected
    assert merged(queries) is MERGES
    tickets = selectors.filter_tickets(selectors.tickets_visible_to(manager), {"sort": sort, "kind": "complaint"})
    rows = selectors.in_pages(manager, tickets, queue="all", filters=["sort", "kind"])
    assert isinstance(rows, paging.ProjectByProject) and rows.filtered
    with CaptureQueriesContext(connection) as queries:
        pages = [list(rows[start:start + 2].values_list("pk", flat=True)) for start in (0, 2, 4)]
    assert [pk for page in pages for pk in page] == expected  # (each page's rows by key, the page in its order)
    if MERGES:  # pages ending at rows 2, 4 and 6: the second project walked for the first two, then read whole
        merging = [q["sql"] for q in queries.captured_queries if "CROSS JOIN LATERAL" in q["sql"]]
        assert len(merging) == 3 and all("UNION ALL" in sql for sql in merging)
        counted = [q["sql"] for q in queries.captured_queries if 'FROM unnest(' in q["sql"] and "COUNT(*)" in q["sql"]]
        assert len(counted) == 3


def test_a_filter_the_projects_have_none_of_lists_nothing_merged(group, client):
    manager, _projects, _units = group
    client.force_login(manager)
    page = client.get("/tickets/", {"q": "all", "sort": "due", "kind": "praise"})
    assert page.status_code == 200 and list(page.context["page"]) == []


@pytest.mark.parametrize("query", [{"q": "all", "sort": "priority", "kind": "repair"}, {"q": "mine"},
                                   {"q": "all", "search": "报修1"}, {"q": "all", "project": "0"}])
def test_the_group_managers_lists_in_other_orders_or_narrowed_show_their_rows(group, client, query):
    manager, projects, _units = group
    client.force_login(manager)
    query = {**query, "project": str(projects[1].pk)} if query.get("project") else query
    page = client.get("/tickets/", query)
    assert page.status_code == 200
    shown = [row.pk for row in page.context["page"]]
    if query["q"] == "all" and "search" not in query and "project" not in query:
        assert sorted(shown) == sorted(newest_first())
    assert all(f'href="/tickets/{pk}/"' in page.content.decode() for pk in shown)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_the_group_manager_sorts_every_projects_work_orders_by_urgency_in_the_browser(page, group, width):
    """At the desk and on a phone: the all tab, "most urgent first" chosen in the filter bar, lists the three
    projects' work orders urgent first and fits the screen; the home page's work orders name their project."""
    from tests.conftest import login

    manager, _projects, _units = group
    urgent = Ticket.objects.order_by("id")[4]
    Ticket.objects.filter(pk=urgent.pk).update(priority="urgent")
    page.set_viewport_size({"width": width, "height": 844})
    login(page, manager.username)
    page.goto(f"{page.base_url}/tickets/?q=all")
    page.select_option("select[name='sort']", "priority")
    page.click("form.filters button")
    page.wait_for_url("**sort=priority**")
    numbers = page.locator("table.tickets tbody tr td:first-child a").all_inner_texts()
    expected = list(Ticket.objects.annotate(rank=priority_rank())
                    .order_by("-rank", F("resolution_due").asc(nulls_last=True), "id").values_list("number", flat=True))
    assert numbers == expected and numbers[0] == urgent.number
    page.screenshot(path=f"/tmp/tickets-group-by-priority-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # complaints only, by due: the second project's four, the first's one, none of the third's (read apart)
    complaints = _complaints_by("due")
    page.select_option("select[name='kind']", "complaint")
    page.select_option("select[name='sort']", "due")
    page.click("form.filters button")
    page.wait_for_url("**kind=complaint**")
    numbers = page.locator("table.tickets tbody tr td:first-child a").all_inner_texts()
    assert numbers == [Ticket.objects.get(pk=pk).number for pk in complaints] and len(numbers) == 5
    page.screenshot(path=f"/tmp/tickets-group-complaints-by-due-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(f"{page.base_url}/")  # the home page's work orders say their project too
    first = page.locator("#tickets-home tbody tr").first
    shown = Ticket.objects.select_related("project").get(
        pk=int(first.locator("a").get_attribute("href").rstrip("/").rsplit("/", 1)[1]))
    assert first.locator("td").all_inner_texts()[1] == shown.project.name
    page.screenshot(path=f"/tmp/home-group-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.console_errors == []


@pytest.mark.parametrize("sort", ["", "due", "priority"])
@pytest.mark.parametrize("kind", ["", "repair"])
def test_a_merged_page_bounded_by_a_sample_of_each_project_is_the_sorted_querys_page(group, monkeypatch, sort, kind):
    """Deep pages of a merged list read a sample of each project first (its first rows: the page's end ÷ the
    projects), and each project's rows only up to where the sample's row at the page's end sorts. Here the first
    project's work orders are all due before the others', one has no target, two share a due time and one is urgent:
    every page, of every size, is the sorted query's page; a sample that ends among the work orders without a target
    bounds nothing; by priority nothing is bounded."""
    manager, projects, _units = group
    monkeypatch.setattr(paging, "SAMPLED_ROWS", 1)  # every merged page samples first
    tickets = list(Ticket.objects.order_by("id"))
    base = local(2026, 11, 10, 9, 0)
    for n, ticket in enumerate(tickets):  # the first project's first (its four before any other), then in turn
        early = ticket.project_id == projects[0].pk
        Ticket.objects.filter(pk=ticket.pk).update(resolution_due=base + timedelta(hours=n if early else 20 + n))
    Ticket.objects.filter(pk=tickets[4].pk).update(resolution_due=None)  # the second project's: no target
    Ticket.objects.filter(pk=tickets[7].pk).update(resolution_due=base + timedelta(hours=20 + 5))  # = tickets[5]'s
    Ticket.objects.filter(pk=tickets[8].pk).update(priority="urgent")
    Ticket.objects.filter(pk=tickets[11].pk).update(kind="complaint")
    query = {key: value for key, value in {"sort": sort, "kind": kind}.items() if value}
    shown = selectors.filter_tickets(selectors.tickets_visible_to(manager), query)
    expected = list(shown.values_list("pk", flat=True))
    assert len(expected) == (11 if kind else 12)
    rows = selectors.in_pages(manager, shown, queue="all", filters=list(query))
    assert isinstance(rows, paging.ProjectByProject)
    for size in (1, 2, 3, 4, 5):
        with CaptureQueriesContext(connection) as queries:
            pages = [list(rows[start:start + size].values_list("pk", flat=True)) for start in range(0, 12, size)]
        assert [pk for page in pages for pk in page] == expected, size
        if MERGES and size <= 3:  # (a page ending past a project's last repair reads that project whole, unsampled)
            sampled = any(") AS sampled ORDER BY" in q["sql"] for q in queries.captured_queries)
            # by priority the order starts with the rank, an expression: a bound on it would be checked row by row
            # along the index, not stop it, so none is sampled
            assert sampled is (sort != "priority")


@pytest.mark.skipif(not MERGES, reason="PostgreSQL's plan of the merged list")
def test_the_group_managers_open_work_orders_by_priority_walk_the_open_ones_alone(group, client):
    """Open work orders by priority: each project's branch reads its open work orders in that order off their own
    index (``ticket_project_open_priority``), not the index of every work order checking each one's status (a real
    project's open work orders are a few among years of closed ones). The planner is told to avoid scans and sorts,
    as it would on a project of many rows; the index it takes is the test."""
    manager, _projects, _units = group
    Ticket.objects.filter(pk=Ticket.objects.order_by("pk").values("pk")[:1]).update(status=Status.CLOSED)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/tickets/", {"q": "all", "sort": "priority", "status": "open"})
    assert page.status_code == 200 and len(page.context["page"]) == 11  # the closed one left out
    branches = [q["sql"] for q in queries.captured_queries if "CROSS JOIN LATERAL" in q["sql"]]
    assert branches
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {branches[0]}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "ticket_project_open_priority" in plan, plan
