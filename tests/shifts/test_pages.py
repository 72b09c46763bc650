"""The shifts' staff pages, and "who is on duty now" where tasks and the front desk need it: the task page of a task
shared by a post, the team inbox and the front desk show the people of the post on duty."""
import re
from datetime import date

import pytest

from dutydesk.inbox.services import task_create_once
from dutydesk.shifts import services
from dutydesk.shifts.models import Handover, RosterEntry, SwapRequest
from tests.shifts.conftest import TODAY, at

pytestmark = pytest.mark.django_db


def test_the_roster_page_shows_the_month_grid_and_who_is_on_duty(client, staff, project, desk_post, desk,
                                                                 today_rota):
    client.force_login(desk[0])
    html = client.get(f"/shifts/?project={project.pk}&post={desk_post.pk}&month=2026-11").content.decode()
    assert 'id="roster-grid"' in html
    for person in ("林前台", "何前台", "罗前台", "郑前台"):
        assert person in html
    assert html.count('class="shift shift-') >= 6
    on_duty = html.split('id="on-duty"')[1].split("</p>")[0]
    assert "林前台" in on_duty and "何前台" not in on_duty  # 10:00: shift a only
    assert 'id="roster-add"' not in html  # the assistant reads the roster; the supervisor makes it


def test_the_supervisor_fills_adds_and_records_leave_from_the_page(client, staff, project, desk_post, desk):
    client.force_login(staff["supervisor"])
    base = {"project": project.pk, "post": desk_post.pk, "month": "2026-11"}
    response = client.post("/shifts/roster/fill/", {**base, "users": [u.pk for u in desk], "start": "2026-11-25"})
    assert response.status_code == 302
    assert RosterEntry.objects.filter(project=project, day__gte=date(2026, 11, 25)).count() == 18
    client.post("/shifts/roster/add/", {**base, "user": desk[3].pk, "day": "2026-12-02", "shift": "c"})
    assert RosterEntry.objects.filter(user=desk[3], day=date(2026, 12, 2), shift="c").exists()  # December's roster
    client.post("/shifts/roster/leave/", {**base, "user": desk[1].pk, "day": "2026-11-26", "reason": "病假"})
    assert set(RosterEntry.objects.filter(user=desk[1], day=date(2026, 11, 26)).values_list("status", flat=True)) == {
        "leave"}
    page = client.get(f"/shifts/?project={project.pk}&post={desk_post.pk}&month=2026-11&day=2026-11-26")
    panel = page.content.decode().split('id="day-panel"')[1].split("</section>")[0]
    # the shift and the status, translated: "a班 · 请假" on the badge, "a班" beside it, "请假 病假" in the status
    assert re.search(r'title="a班 · 请假">a</span>\s*a班</td>', panel) and '请假 <span class="muted">病假</span>' in panel
    bad = client.post("/shifts/roster/add/", {**base, "user": staff["archivist"].pk, "day": "2026-11-27",
                                              "shift": "a"}, follow=True)
    assert "请选择本项目的员工" in bad.content.decode() or "不担任" in bad.content.decode()


def test_an_assistant_may_not_post_the_supervisors_forms(client, project, desk_post, desk):
    client.force_login(desk[0])
    assert client.post("/shifts/roster/fill/", {"project": project.pk, "post": desk_post.pk, "month": "2026-11",
                                                "users": [desk[0].pk]}).status_code == 403
    assert client.post("/shifts/roster/leave/", {"project": project.pk, "user": desk[1].pk,
                                                 "day": "2026-11-20"}).status_code == 403


def test_a_swap_asked_on_the_page_is_approved_on_the_swaps_page(client, staff, project, desk, put):
    mine, theirs = put(desk[0], date(2026, 11, 15), "a"), put(desk[1], date(2026, 11, 16), "b")
    client.force_login(desk[0])
    client.post("/shifts/swaps/request/", {"entry": mine.pk, "other_entry": theirs.pk, "reason": "已商量"})
    swap = SwapRequest.objects.get()
    client.force_login(staff["supervisor"])
    html = client.get(f"/shifts/swaps/?project={project.pk}").content.decode()
    assert "已商量" in html and f"/shifts/swaps/{swap.pk}/approve/" in html
    client.post(f"/shifts/swaps/{swap.pk}/approve/")
    assert RosterEntry.objects.get(pk=mine.pk).user == desk[1]


def test_the_handover_is_written_on_the_form_and_acknowledged_in_the_list(client, project, desk_post, desk,
                                                                         today_rota, traveller):
    traveller.move_to(at(TODAY, "16:50"))
    client.force_login(desk[0])
    form = client.get(f"/shifts/handovers/new/?project={project.pk}").content.decode()
    assert 'value="a" selected' in form  # the shift the writer is on now
    response = client.post(f"/shifts/handovers/new/?project={project.pk}", {
        "project": project.pk, "post": desk_post.pk, "shift": "a", "notes": "上午来访12人次",
        "open_items": "A-1201漏水待跟进\n\n快递柜无主包裹\n"})
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert handover.open_items == ["A-1201漏水待跟进", "快递柜无主包裹"]
    client.force_login(desk[1])
    html = client.get(f"/shifts/handovers/?project={project.pk}").content.decode()
    assert f"/shifts/handovers/{handover.pk}/ack/" in html and "A-1201漏水待跟进" in html
    row = client.post(f"/shifts/handovers/{handover.pk}/ack/", {"note": "收到"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and "已接班" in row.content.decode()
    assert Handover.objects.get().acknowledged_by == desk[1]
    again = client.post(f"/shifts/handovers/{handover.pk}/ack/", HTTP_HX_REQUEST="true").content.decode()
    assert "已由" in again  # the 409's message, in the row


def test_the_handover_form_reports_problems_beside_the_fields(client, project, desk_post, desk, today_rota,
                                                              traveller):
    traveller.move_to(at(TODAY, "16:50"))
    client.force_login(desk[3])  # holds the post, not on shift a today
    html = client.post(f"/shifts/handovers/new/?project={project.pk}", {
        "project": project.pk, "post": desk_post.pk, "shift": "a", "notes": ""}).content.decode()
    assert "errorlist" in html and not Handover.objects.exists()
    html = client.post(f"/shifts/handovers/new/?project={project.pk}", {
        "project": project.pk, "post": desk_post.pk, "shift": "a", "notes": "交接"}).content.decode()
    assert "您不在这个班次" in html and not Handover.objects.exists()


def test_someone_not_on_the_next_shift_cannot_acknowledge_on_the_page(client, project, desk_post, desk, today_rota,
                                                                     traveller):
    traveller.move_to(at(TODAY, "16:50"))
    handover = services.handover_record(project=project, post=desk_post, shift="a", notes="交接", handed_by=desk[0])
    client.force_login(desk[2])
    html = client.get(f"/shifts/handovers/{handover.pk}/").content.decode()
    assert "/ack/" not in html
    assert client.post(f"/shifts/handovers/{handover.pk}/ack/").status_code == 403


def test_the_task_page_shows_who_of_the_post_is_on_duty(client, staff, project, desk_post, desk, today_rota):
    task, _ = task_create_once(source="manual", source_key="t-1", title="大堂灯不亮，请当班前台跟进",
                               due_at=at(TODAY, "12:00"), post=desk_post, project=project)
    client.force_login(staff["supervisor"])
    html = client.get(f"/duties/tasks/{task.pk}/").content.decode()
    panel = html.split('id="on-duty-now"')[1].split("</section>")[0]
    assert "林前台" in panel and "罗前台" not in panel


def test_the_team_inbox_and_the_front_desk_show_who_is_on_duty(client, staff, project, desk, today_rota):
    client.force_login(staff["supervisor"])
    team = client.get("/duties/team/").content.decode()
    assert "林前台" in team.split('id="on-duty-now"')[1].split("</section>")[0]
    client.force_login(desk[1])
    desk_page = client.get("/frontdesk/").content.decode()
    assert "林前台" in desk_page.split('id="on-duty-now"')[1].split("</section>")[0]


def test_the_shift_times_page_changes_a_shift_for_the_manager_only(client, staff, project, shifts):
    client.force_login(staff["frontdesk"])
    assert client.post("/shifts/times/", {"project": project.pk, "code": "c", "start": "22:00",
                                          "end": "06:00"}).status_code == 403
    client.force_login(staff["manager"])
    client.post("/shifts/times/", {"project": project.pk, "code": "c", "start": "22:00", "end": "06:00",
                                   "name": "夜班"})
    shifts["c"].refresh_from_db()
    assert (shifts["c"].name, shifts["c"].crosses_midnight) == ("夜班", True)


def test_pages_are_for_staff_with_the_shifts(client, resident_user, staff):
    client.force_login(resident_user)
    assert client.get("/shifts/").status_code == 403
    client.force_login(staff["engineer"])  # the technician's post keeps no roster here
    assert client.get("/shifts/handovers/").status_code == 403
