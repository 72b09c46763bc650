"""The staff pages of patrols: lay out a route on the routes page, its page with a QR code per checkpoint and the
printable sheet (a print page and a PDF), the rounds list, a round with one big button per checkpoint, the checkpoint's
page (ok, or an issue that opens a work order) and what a checkpoint's QR code opens. Lists cost a fixed number of
queries."""
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from dutydesk.patrols import services
from dutydesk.patrols.models import Round, RoundCheckpoint, Route
from dutydesk.tickets.models import Ticket
from tests.patrols.conftest import PNG, at


def test_a_supervisor_lays_out_a_route_on_the_page(patrollers, client, project, lobby_unit, categories):
    client.force_login(patrollers["envsup"])
    assert "id=\"route-form\"" in client.get("/patrols/routes/").content.decode()
    response = client.post("/patrols/routes/", {
        "project": project.pk, "name": "B座巡查", "post": "patrol-officer", "schedule_kind": "times",
        "times": "10:00， 15:00", "window_minutes": "45",
        "checkpoints": "B1 B座大堂 | 首层 | 公共区域 | A-101\nB2 B座水泵房 | 负二层 | plumbing\n\nB3 B座天台"})
    route = Route.objects.get(name="B座巡查")
    assert response.status_code == 302 and response["Location"] == f"/patrols/routes/{route.pk}/"
    assert route.schedule["times"] == ["10:00", "15:00"] and route.schedule["window_minutes"] == 45
    points = list(route.checkpoints.order_by("position"))
    assert [(p.code, p.name, p.location) for p in points] == [("B1", "B座大堂", "首层"), ("B2", "B座水泵房", "负二层"),
                                                              ("B3", "B座天台", "")]
    assert points[0].category.code == "public-area" and points[0].unit == lobby_unit
    assert points[1].category.code == "plumbing" and points[1].post.code == "repair-technician"
    assert route.rounds.count() == 2


def test_a_bad_route_form_shows_the_apis_messages(patrollers, client, project):
    client.force_login(patrollers["envsup"])
    form = {"project": project.pk, "name": "坏", "schedule_kind": "times", "times": "10:00", "checkpoints": "X1 甲"}
    bad_category = client.post("/patrols/routes/", {**form, "checkpoints": "X1 甲\nX2 乙 | | 不存在的类别"})
    assert bad_category.status_code == 200 and "巡查点 2：未知的工单类别。" in bad_category.content.decode()
    bad_time = client.post("/patrols/routes/", {**form, "times": "25:00"}).content.decode()
    assert "时刻的格式为 HH:MM" in bad_time and 'value="25:00"' in bad_time  # the form keeps what was typed
    twice = client.post("/patrols/routes/", {**form, "checkpoints": "X1 甲\nx1 乙"}).content.decode()
    assert "巡查点 x1：编号重复。" in twice
    assert not Route.objects.exists()


def test_the_route_page_shows_a_qr_code_per_checkpoint_and_prints_them(patrollers, client, route):
    client.force_login(patrollers["officer"])
    page = client.get(f"/patrols/routes/{route.pk}/").content.decode()
    assert page.count('src="data:image/svg+xml') == 3
    sheet = client.get(f"/patrols/routes/{route.pk}/qr/").content.decode()
    assert sheet.count('class="qr-card"') == 3 and f"http://testserver/patrols/scan/{route.pk}/P01/" in sheet
    response = client.get(f"/patrols/routes/{route.pk}/qr.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "P01" in text and "配电房" in text and "天台门" in text


def test_a_scan_opens_the_checkpoint_in_the_open_round(patrollers, client, route, morning, traveller):
    client.force_login(patrollers["officer"])
    traveller.move_to(at("09:45"))  # on the way: the 10:00 round may be walked from 09:30
    response = client.get(f"/patrols/scan/{route.pk}/P02/")
    assert response.status_code == 302 and response["Location"] == f"/patrols/rounds/{morning.pk}/checkpoints/P02/"
    traveller.move_to(at("15:10"))
    afternoon = route.rounds.get(starts_at=at("15:00"))
    assert client.get(f"/patrols/scan/{route.pk}/P02/")["Location"] == f"/patrols/rounds/{afternoon.pk}/checkpoints/P02/"
    traveller.move_to(at("09:00"))
    response = client.get(f"/patrols/scan/{route.pk}/P02/", follow=True)
    assert response.redirect_chain[-1][0] == f"/patrols/routes/{route.pk}/"
    assert "10:00" in response.content.decode()  # when the next round starts


def test_a_round_is_walked_on_its_pages(patrollers, client, morning, traveller, lobby_unit):
    client.force_login(patrollers["officer"])
    traveller.move_to(at("10:03"))
    page = client.get(f"/patrols/rounds/{morning.pk}/").content.decode()
    assert page.count('class="big ok"') == 3
    ok = client.post(f"/patrols/rounds/{morning.pk}/checkpoints/P01/", {"result": "ok"})
    assert ok.status_code == 302 and ok["Location"] == f"/patrols/rounds/{morning.pk}/#cp-P01"
    issue_page = client.get(f"/patrols/rounds/{morning.pk}/checkpoints/P03/").content.decode()
    assert 'name="unit"' in issue_page  # the roof door names no unit: the walker says which
    missing = client.post(f"/patrols/rounds/{morning.pk}/checkpoints/P03/", {"result": "issue", "note": "天台门未锁"})
    assert missing.status_code == 200 and "A-1201" in missing.content.decode()  # the form again, with the message
    photo = SimpleUploadedFile("roof.png", PNG, content_type="image/png")
    recorded = client.post(f"/patrols/rounds/{morning.pk}/checkpoints/P03/",
                           {"result": "issue", "note": "天台门未锁", "unit": "A-101", "photo": photo}, follow=True)
    ticket = Ticket.objects.get()
    assert ticket.unit == lobby_unit and ticket.number in recorded.content.decode()
    assert RoundCheckpoint.objects.get(round=morning, code="P03").photo.name.startswith("patrols/")
    twice = client.post(f"/patrols/rounds/{morning.pk}/checkpoints/P01/", {"result": "ok"}, follow=True)
    assert "P01" in twice.content.decode() and RoundCheckpoint.objects.filter(round=morning, code="P01").count() == 1
    client.post(f"/patrols/rounds/{morning.pk}/checkpoints/P02/", {"result": "ok"})
    assert Round.objects.get(pk=morning.pk).status == "done"
    done = client.get(f"/patrols/rounds/{morning.pk}/").content.decode()
    assert 'class="big ok"' not in done and ticket.number in done


@pytest.fixture
def many_rounds(route, patrollers, project, lobby_unit, traveller):
    """Six routes more, each with two rounds today, some walked."""
    from dutydesk.org.models import Post

    for index in range(6):
        extra = services.route_create(project=project, actor=patrollers["envsup"], name=f"路线{index}",
                                      post=Post.objects.get(code="patrol-officer"),
                                      schedule={"times": ["11:00", "16:00"]},
                                      checkpoints=[{"code": f"C{n}", "name": f"点{n}", "unit": lobby_unit}
                                                   for n in range(4)])
        first = extra.rounds.order_by("starts_at").first()
        services.checkpoint_record(round=first, code="C0", walker=patrollers["officer"], result="ok")
    return Round.objects.count()


def _count(response):
    return len(re.findall(r"<tr[ >]", response.content.decode())) - 1  # minus the header row


def test_the_lists_cost_a_fixed_number_of_queries(patrollers, client, api, many_rounds,
                                                  django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rest = api(patrollers["officer"])
    for path in ("/api/v1/patrols/rounds/", "/api/v1/patrols/routes/"):
        counts = []
        for size in (2, 200):
            with CaptureQueriesContext(connection) as captured:
                response = rest.get(path, {"page_size": size})
            assert response.status_code == 200
            counts.append(len(captured))
        assert counts[0] == counts[1], (path, counts)
    client.force_login(patrollers["officer"])
    for path, rows in (("/patrols/rounds/", many_rounds), ("/patrols/routes/", 7)):
        client.get(path)
        with django_assert_max_num_queries(14):
            response = client.get(path)
        assert response.status_code == 200 and _count(response) == rows, path
    route = Route.objects.get(name="路线0")
    with django_assert_max_num_queries(16):
        assert client.get(f"/patrols/routes/{route.pk}/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/patrols/rounds/{route.rounds.first().pk}/").status_code == 200


@pytest.mark.parametrize("path", ["/patrols/rounds/", "/patrols/rounds/?status=open", "/patrols/routes/",
                                  "/patrols/routes/{route}/"])
def test_the_pages_cost_the_same_for_two_routes_or_six(patrollers, client, route, project, lobby_unit, path):
    """The rounds' progress and the routes' open rounds are counted per shown row by subqueries, the status buttons
    bounded: no query per row and no count of every round (scripts/bench_modules.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dutydesk.org.models import Post

    client.force_login(patrollers["envsup"])
    url = path.format(route=route.pk)

    def listed():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add_routes(first, last):
        for index in range(first, last):
            extra = services.route_create(project=project, actor=patrollers["envsup"], name=f"路线{index}",
                                          post=Post.objects.get(code="patrol-officer"),
                                          schedule={"times": ["11:00", "16:00"]},
                                          checkpoints=[{"code": f"C{n}", "name": f"点{n}", "unit": lobby_unit}
                                                       for n in range(3)])
            first_round = extra.rounds.order_by("starts_at").first()
            services.checkpoint_record(round=first_round, code="C0", walker=patrollers["officer"], result="ok")

    add_routes(0, 2)
    few = listed()
    add_routes(2, 6)
    assert listed() == few
