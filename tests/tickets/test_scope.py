"""Who sees which tickets: staff by their posts' units (a butler only their floors) plus what they
own or are assigned; a resident only their own unit's tickets (others are 404)."""
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.core.models import Notification
from dutydesk.core.services import pending_emails_send
from dutydesk.org import access
from dutydesk.tickets import selectors, services
from dutydesk.tickets.models import Ticket
from tests.factories import ResidentFactory, UnitFactory


@pytest.fixture
def high_floor_unit(building):
    return UnitFactory(building=building, floor=20, number="2001")


def test_the_resident_sees_only_their_own_units_tickets(staff, make_ticket, resident_user, high_floor_unit, api):
    mine = make_ticket(kind="repair")
    neighbour = ResidentFactory(unit=high_floor_unit)
    other = make_ticket(kind="repair", unit=high_floor_unit, resident=neighbour)
    client = api(resident_user)
    assert [t["id"] for t in client.get("/api/v1/tickets/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/tickets/{mine.pk}").status_code == 200
    assert client.get(f"/api/v1/tickets/{other.pk}").status_code == 404
    assert client.get(f"/api/v1/tickets/{other.pk}/history").status_code == 404


def test_the_resident_rates_only_their_own_tickets(staff, make_ticket, resident_user, high_floor_unit, api):
    neighbour = ResidentFactory(unit=high_floor_unit)
    tickets = {}
    for name, unit, resident in (("mine", None, None), ("other", high_floor_unit, neighbour)):
        extra = {"unit": unit, "resident": resident} if unit else {}
        ticket = make_ticket(kind="repair", **extra)
        services.ticket_start(ticket=ticket, actor=staff["supervisor"])
        services.ticket_resolve(ticket=ticket, actor=staff["supervisor"], resolution="已修好")
        tickets[name] = ticket
    client = api(resident_user)
    assert client.post(f"/api/v1/tickets/{tickets['other'].pk}/return-visit", {"satisfaction": 5}, format="json").status_code == 404
    response = client.post(f"/api/v1/tickets/{tickets['mine'].pk}/return-visit", {"satisfaction": 5, "comment": "很快"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    visit = tickets["mine"].return_visits.get()
    assert (visit.method, visit.by) == ("portal", resident_user)
    assert Ticket.objects.get(pk=tickets["other"].pk).status == "resolved"


def test_a_resident_files_a_repair_for_their_own_unit_only(staff, unit, resident, resident_user, high_floor_unit, api):
    client = api(resident_user)
    response = client.post("/api/v1/tickets/", {"kind": "repair", "unit": unit.pk, "title": "马桶堵塞"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "portal" and body["owner"] is None and body["resident"] == resident.pk
    refused = client.post("/api/v1/tickets/", {"kind": "repair", "unit": high_floor_unit.pk, "title": "x"}, format="json")
    assert refused.status_code == 400 and "unit" in refused.json()["errors"]
    assert Ticket.objects.count() == 1


def test_the_first_staff_member_to_act_on_a_portal_ticket_becomes_its_owner(staff, unit, resident_user, api):
    created = api(resident_user).post("/api/v1/tickets/", {"kind": "complaint", "unit": unit.pk, "title": "垃圾未清"}, format="json").json()
    response = api(staff["supervisor"]).post(f"/api/v1/tickets/{created['id']}/dispatch", {"assignee": staff["engineer"].pk}, format="json")
    assert response.json()["owner"] == staff["supervisor"].pk
    api(staff["engineer"]).post(f"/api/v1/tickets/{created['id']}/start")
    assert Ticket.objects.get().owner == staff["supervisor"]


def test_a_resident_may_not_work_a_ticket(staff, make_ticket, resident_user, api):
    ticket = make_ticket(kind="repair")
    client = api(resident_user)
    assert client.post(f"/api/v1/tickets/{ticket.pk}/dispatch", {"assignee": staff["engineer"].pk}, format="json").status_code == 403
    assert client.post(f"/api/v1/tickets/{ticket.pk}/start").status_code == 403


def test_a_butler_sees_only_the_tickets_of_their_floors(staff, make_ticket, high_floor_unit, api):
    low = make_ticket(kind="repair")
    high = make_ticket(kind="repair", unit=high_floor_unit, resident=None)
    client = api(staff["butler"])
    assert [t["id"] for t in client.get("/api/v1/tickets/").json()["results"]] == [low.pk]
    assert client.get(f"/api/v1/tickets/{high.pk}").status_code == 404
    assert api(staff["supervisor"]).get("/api/v1/tickets/").json()["count"] == 2


def test_staff_see_what_they_are_assigned_outside_their_scope(staff, make_ticket, project, api):
    from tests.factories import BuildingFactory, UserFactory, hold

    outsider = UserFactory(username="helper")
    hold(outsider, "floor-butler", project, building=BuildingFactory(project=project, name="C"), floor_from=1, floor_to=3)
    ticket = make_ticket(kind="repair")
    assert api(outsider).get(f"/api/v1/tickets/{ticket.pk}").status_code == 404
    Ticket.objects.filter(pk=ticket.pk).update(assignee=outsider)
    assert api(outsider).get(f"/api/v1/tickets/{ticket.pk}").status_code == 200


def test_a_whole_project_post_still_sees_its_own_tickets_from_another_project(staff, make_ticket, project, api):
    """The manager's lists are "project in (…)" for speed; a ticket they own in a project they no longer hold a
    post in (a post held before) must stay visible, and one of somebody else there must not."""
    from tests.factories import BuildingFactory, ProjectFactory, UnitFactory, UserFactory, hold

    other = ProjectFactory(code="other", name="别的项目")
    elsewhere = UnitFactory(building=BuildingFactory(project=other, name="Z"), floor=1, number="101")
    clerk_there = UserFactory(username="clerk-there")
    hold(clerk_there, "frontdesk-assistant", other)
    client = api(staff["manager"])
    theirs = make_ticket(kind="repair", unit=elsewhere, resident=None, actor=clerk_there)
    Ticket.objects.filter(pk=theirs.pk).update(owner=staff["manager"])  # taken while they held a post there
    someone_elses = make_ticket(kind="repair", unit=elsewhere, resident=None, actor=clerk_there)
    here = make_ticket(kind="repair")
    seen = {t["id"] for t in client.get("/api/v1/tickets/", {"page_size": 200}).json()["results"]}
    assert theirs.pk in seen and here.pk in seen and someone_elses.pk not in seen
    Ticket.objects.filter(pk=theirs.pk).update(owner=clerk_there, assignee=staff["manager"])
    seen = {t["id"] for t in client.get("/api/v1/tickets/", {"page_size": 200}).json()["results"]}
    assert theirs.pk in seen and someone_elses.pk not in seen


def test_a_floor_butler_still_sees_what_they_own_or_work_in_another_project(staff, make_ticket, project, api, client):
    """A ticket a floor butler owns or works in another project (from a post held before) stays in every list, a
    stranger's does not."""
    from tests.factories import BuildingFactory, ProjectFactory, UnitFactory, UserFactory, hold

    other = ProjectFactory(code="other", name="别的项目")
    elsewhere = UnitFactory(building=BuildingFactory(project=other, name="Z"), floor=1, number="101")
    clerk_there = UserFactory(username="clerk-there")
    hold(clerk_there, "frontdesk-assistant", other)
    theirs = make_ticket(kind="repair", unit=elsewhere, resident=None, actor=clerk_there, title="别处的工单")
    someone_elses = make_ticket(kind="repair", unit=elsewhere, resident=None, actor=clerk_there, title="别人的工单")
    on_floors = make_ticket(kind="repair", title="本楼层的工单")
    butler = staff["butler"]

    def seen():
        listed = {t["id"] for t in api(butler).get("/api/v1/tickets/", {"page_size": 200}).json()["results"]}
        client.force_login(butler)
        html = client.get("/tickets/", {"q": "all"}).content.decode()
        return listed, {title for title in ("别处的工单", "别人的工单", "本楼层的工单") if title in html}

    assert seen() == ({on_floors.pk}, {"本楼层的工单"})
    Ticket.objects.filter(pk=theirs.pk).update(assignee=butler)
    assert seen() == ({on_floors.pk, theirs.pk}, {"本楼层的工单", "别处的工单"})
    Ticket.objects.filter(pk=theirs.pk).update(assignee=None, owner=butler)
    assert seen() == ({on_floors.pk, theirs.pk}, {"本楼层的工单", "别处的工单"})
    assert someone_elses.pk not in seen()[0]


def test_a_floor_butlers_lists_are_read_by_their_units_not_walked_across_the_project(staff):
    """A floor butler's lists are not narrowed to "project in (…)": that condition lets PostgreSQL walk the project's
    running-by-due index hoping to meet the butler's tickets, which reads the whole project's overdue work when their
    floors have little of it (scripts/bench_tickets.py at 10^6: 200-290 ms against 5 ms read by unit and sorted). A
    whole-project post keeps it: its lists are the project's, in index order."""
    from dutydesk.tickets.selectors import visibility

    def narrowed_to_the_project(user):
        where = str(Ticket.objects.filter(visibility(user)).query).split(" WHERE ", 1)[1]
        return where.lstrip("(").startswith('"tickets_ticket"."project_id" IN')

    assert not narrowed_to_the_project(staff["butler"])
    assert narrowed_to_the_project(staff["supervisor"])


def test_a_butler_of_many_floor_ranges_sends_the_same_statements_as_a_butler_of_one(staff, make_ticket, project,
                                                                                     building, client):
    """Every floor holding's units come in one query and one array, each post's queue once: a butler holding 19
    building/floor ranges sent 29 statements a list page, with 19 arrays and 38 queue conditions in each
    (scripts/bench_crawl.py, 600,000 units)."""
    from tests.factories import BuildingFactory, UnitFactory, hold

    butler = staff["butler"]
    upstairs = UnitFactory(building=building, floor=20, number="2001")
    make_ticket(kind="repair", title="一楼的工单")
    make_ticket(kind="repair", unit=upstairs, resident=None, title="二十楼的工单")
    client.force_login(butler)

    def listed():
        with CaptureQueriesContext(connection) as page:
            html = client.get("/tickets/", {"q": "all"}).content.decode()
        return len(page), {title for title in ("一楼的工单", "二十楼的工单") if title in html}

    def conditions():  # the post's queue and the shared tasks of the post, as said in SQL
        from dutydesk.inbox.selectors import tasks_for_me
        access.forget(butler)
        return (str(selectors.queue(butler, "post").query).count('"assigned_post_id" ='),
                str(tasks_for_me(butler).query).count('"post_id" ='))

    one_range = listed()
    said = conditions()
    assert one_range[1] == {"一楼的工单"}
    hold(butler, "floor-butler", project, building=building, floor_from=16, floor_to=25)
    for name in "CDE":
        hold(butler, "floor-butler", project, building=BuildingFactory(project=project, name=name), floor_from=1,
             floor_to=9)
    assert listed() == (one_range[0], {"一楼的工单", "二十楼的工单"})
    assert conditions() == said  # each (post, project) once: 19 times the same pair misled PostgreSQL's estimate


def test_my_cases_are_what_i_own_wherever_it_is_read_off_the_owner_alone(staff, make_ticket, unit, client):
    """A butler's "my cases" tab lists what they own, also on a unit no longer on their floors (moved to floors
    16–25), as the list of everything they see does; the tab says only "owner", so PostgreSQL reads it off the owner's
    index (AND-ed with 3,800 units' ids it read their floors' 6,324 work orders for an empty tab)."""
    from dutydesk.org.models import PostHolding

    butler = staff["butler"]
    theirs = services.ticket_create(actor=butler, unit=unit, resident=None, kind="enquiry", title="楼上的咨询")
    make_ticket(kind="repair", title="别人的工单")
    UnitFactory(building=unit.building, floor=20, number="2001")  # their new floors have a unit
    PostHolding.objects.filter(user=butler).update(floor_from=16, floor_to=25)
    access.forget(butler)
    mine = selectors.queue(butler, "mine")
    assert list(mine) == [theirs] and theirs in selectors.tickets_visible_to(butler)
    assert "unit_id" not in str(mine.query).split(" WHERE ", 1)[1].split(" ORDER BY ", 1)[0]
    client.force_login(butler)
    page = client.get("/tickets/", {"q": "mine"}).content.decode()
    assert "楼上的咨询" in page and "别人的工单" not in page
    assert client.get(f"/tickets/{theirs.pk}/").status_code == 200


def test_tickets_need_a_token(db, api):
    assert api().get("/api/v1/tickets/").status_code == 401


def test_the_list_filters_by_me_status_kind_unit_and_overdue(staff, make_ticket, unit, high_floor_unit, api):
    a = make_ticket(kind="repair")
    b = make_ticket(kind="complaint", unit=high_floor_unit, resident=None)
    services.ticket_dispatch(ticket=a, actor=staff["supervisor"], assignee=staff["engineer"])
    client = api(staff["engineer"])
    assert [t["id"] for t in client.get("/api/v1/tickets/", {"assignee": "me"}).json()["results"]] == [a.pk]
    sup = api(staff["supervisor"])
    assert [t["id"] for t in sup.get("/api/v1/tickets/", {"kind": "complaint"}).json()["results"]] == [b.pk]
    assert [t["id"] for t in sup.get("/api/v1/tickets/", {"status": "dispatched"}).json()["results"]] == [a.pk]
    assert [t["id"] for t in sup.get("/api/v1/tickets/", {"unit": unit.pk}).json()["results"]] == [a.pk]
    assert sup.get("/api/v1/tickets/", {"owner": "me"}).json()["count"] == 0
    assert api(staff["frontdesk"]).get("/api/v1/tickets/", {"owner": "me"}).json()["count"] == 2
    assert sup.get("/api/v1/tickets/", {"assignee": "someone"}).status_code == 400


def test_the_ticket_list_runs_a_constant_number_of_queries(staff, make_ticket, api):
    for number in range(6):
        ticket = make_ticket(kind="repair", title=f"报修{number}")
        services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"])
    client = api(staff["supervisor"])
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/tickets/", {"page_size": 2}).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert len(client.get("/api/v1/tickets/", {"page_size": 200}).json()["results"]) == 6
    assert len(small) == len(large)
    with CaptureQueriesContext(connection) as overdue:
        client.get("/api/v1/tickets/", {"page_size": 200, "overdue": "true", "assignee": staff["engineer"].pk})
    assert len(overdue) <= len(large)


def test_the_resident_is_told_when_their_ticket_is_dispatched_and_resolved(staff, make_ticket, resident, resident_user):
    resident.email = "zhang@example.com"
    resident.save()
    ticket = make_ticket(kind="repair")
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())
        services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"])
        services.ticket_start(ticket=ticket, actor=staff["engineer"])
        services.ticket_resolve(ticket=ticket, actor=staff["engineer"], resolution="已更换水龙头")
    assert mail.outbox == []  # nothing is sent inside the request: the outbox job sends it
    pending_emails_send()
    titles = list(Notification.objects.filter(user=resident_user).values_list("title", flat=True))
    assert len(titles) == 2 and all(ticket.number in t for t in titles)
    assert [m.to for m in mail.outbox if m.to == ["zhang@example.com"]] == [["zhang@example.com"]] * 2
    assert Notification.objects.filter(user=staff["engineer"], title__contains=ticket.number).exists()
    assert Notification.objects.filter(user=staff["frontdesk"], title__contains=ticket.number).exists()  # the owner


def test_the_return_visit_report_gives_rate_and_satisfaction(staff, make_ticket, plumbing, api):
    from tests.tickets.conftest import local

    def resolved(kind, when, category=None):
        ticket = make_ticket(kind=kind, category=category, now=when)
        services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"], now=when)
        services.ticket_start(ticket=ticket, actor=staff["engineer"], now=when)
        services.ticket_resolve(ticket=ticket, actor=staff["engineer"], resolution="ok", now=when)
        return ticket

    march = local(2026, 3, 10, 10, 0)
    one, two = resolved("repair", march, plumbing), resolved("repair", march, plumbing)
    resolved("complaint", march)
    resolved("repair", local(2026, 2, 10, 10, 0))
    services.ticket_return_visit(ticket=one, actor=staff["frontdesk"], method="phone", satisfaction=5, now=march)
    services.ticket_return_visit(ticket=two, actor=staff["frontdesk"], method="phone", satisfaction=4, now=march)
    report = api(staff["supervisor"]).get("/api/v1/reports/return-visits", {"period": "2026-03"}).json()
    assert report["total"]["resolved"] == 3 and report["total"]["visited"] == 2 and report["total"]["rate"] == "0.6667"
    assert report["total"]["avg_satisfaction"] == "4.50"
    by_kind = {row["kind"]: row for row in report["by_kind"]}
    assert by_kind["repair"]["rate"] == "1.0000" and by_kind["complaint"]["rate"] == "0.0000"
    assert {row["category__code"]: row["visited"] for row in report["by_category"]}["plumbing"] == 2
    assert report["by_assignee"][0]["assignee"] == staff["engineer"].pk
    assert [(row["month"], row["resolved"]) for row in report["by_month"]] == [("2026-02", 1), ("2026-03", 3)]
    assert api(staff["supervisor"]).get("/api/v1/reports/return-visits", {"period": "March"}).status_code == 400
    assert api(staff["cardclerk"]).get("/api/v1/reports/return-visits", {"period": "2026-03"}).status_code == 403


def test_my_cases_are_those_i_own_until_they_are_closed(staff, make_ticket, client, api):
    """首问负责制: the first receiver owns a case until it is closed. "My cases" lists the open ones and the resolved
    ones waiting for their return visit, most urgent first; closed and cancelled cases leave the tab (they stay in
    "all"). With every case a clerk ever took in it, the oldest closed ones came first, and a clerk of 5M work orders
    waited 14 s for the page to sort them."""
    desk = staff["frontdesk"]
    open_case = make_ticket(kind="repair", title="甲案进行中")
    resolved = make_ticket(kind="repair", title="乙案待回访")
    services.ticket_start(ticket=resolved, actor=desk)
    services.ticket_resolve(ticket=resolved, actor=desk, resolution="已修好")
    closed = make_ticket(kind="enquiry", title="丙案已关")
    services.ticket_start(ticket=closed, actor=desk)
    services.ticket_resolve(ticket=closed, actor=desk, resolution="已答复")
    services.ticket_close(ticket=closed, actor=desk)
    cancelled = make_ticket(kind="enquiry", title="丁案作废")
    services.ticket_cancel(ticket=cancelled, actor=desk, reason="重复")
    mine = selectors.queue(desk, "mine")
    assert set(mine) == {open_case, resolved}
    client.force_login(desk)
    page = client.get("/tickets/", {"q": "mine"}).content.decode()
    assert "甲案进行中" in page and "乙案待回访" in page and "丙案已关" not in page and "丁案作废" not in page
    assert re.search(r'id="tab-mine">[^<]*<span class="pill">2</span>', page)
    assert "丙案已关" in client.get("/tickets/", {"q": "all"}).content.decode()
    # asked for by their status, my closed (or cancelled) cases are still mine
    closed_page = client.get("/tickets/", {"q": "mine", "status": "closed"}).content.decode()
    assert "丙案已关" in closed_page and "甲案进行中" not in closed_page
    listed = api(desk).get("/api/v1/tickets/", {"queue": "mine", "status": "cancelled"}).json()["results"]
    assert [row["title"] for row in listed] == ["丁案作废"]
    assert {row["title"] for row in api(desk).get("/api/v1/tickets/", {"queue": "mine"}).json()["results"]} == {
        "甲案进行中", "乙案待回访"}
