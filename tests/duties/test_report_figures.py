"""The figures of the scorecards, the dashboard and the monthly report on a project with several holders per post,
floor butlers with overlapping floors, three buildings and a month of every KPI source's records, pinned to the
values the per-holder, per-building code computed before the reports became set-based (issue 11). The pinned
answers are tests/duties/pinned/report_figures_2026_06.json (ids replaced by codes and names)."""
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine

from dutydesk.archive.models import Building
from dutydesk.core.periods import Period
from dutydesk.duties.scorecards import latest_period_with_scores, scorecard
from dutydesk.org.models import KPI, Post, PostHolding
from tests.duties.report_data import SH, add_month, extra_kpis
from tests.factories import UnitFactory, UserFactory

PINNED = Path(__file__).parent / "pinned" / "report_figures_2026_06.json"
JUNE = Period.parse("2026-06")
FIRST_OF_JULY = datetime(2026, 7, 1, 10, 0, tzinfo=SH)


@pytest.fixture
def june_records(staff, project, building, other_building):
    extra_kpis()
    third = Building.objects.create(project=project, name="C", floors=5)
    a = [UnitFactory(building=building, floor=f, number=f"A{f}01") for f in (2, 9, 12, 16, 20)]
    b = [UnitFactory(building=other_building, floor=f, number=f"B{f}01", status="vacant") for f in (1, 3, 8)]
    c = [UnitFactory(building=third, floor=2, number="C201")]
    second = {"frontdesk-assistant": UserFactory(username="frontdesk2"), "floor-butler": UserFactory(username="butler2"),
              "repair-technician": UserFactory(username="engineer2"), "archivist": UserFactory(username="archivist2")}
    for code, user in second.items():
        post = Post.objects.get(code=code)
        if code == "floor-butler":  # two holdings: A floors 10–20 (overlapping butler's 1–15) and all of B
            PostHolding.objects.create(user=user, post=post, project=project, building=building, floor_from=10, floor_to=20)
            PostHolding.objects.create(user=user, post=post, project=project, building=other_building)
        else:
            PostHolding.objects.create(user=user, post=post, project=project)
    first = {code: staff[name] for name, code in [
        ("frontdesk", "frontdesk-assistant"), ("butler", "floor-butler"), ("engineer", "repair-technician"),
        ("archivist", "archivist"), ("visitordesk", "visitor-desk"), ("supervisor", "cs-supervisor"),
        ("cardclerk", "ic-card-clerk")]}
    with time_machine.travel(datetime(2026, 6, 30, 20, 0, tzinfo=SH), tick=False):
        add_month(project, date(2026, 5, 1), first, a[:3] + b[:1], seed=2, supervisor=staff["supervisor"])
        add_month(project, date(2026, 6, 1), first, a + c, seed=0, supervisor=staff["supervisor"])
        add_month(project, date(2026, 6, 1), second, a[2:] + b, seed=1, supervisor=staff["supervisor"])
    with time_machine.travel(FIRST_OF_JULY, tick=False):
        yield


def _names(project):
    """pk -> a stable name, per kind of id found in the answers."""
    from django.contrib.auth import get_user_model

    return {
        "post": {p.pk: p.code for p in Post.objects.all()},
        "user": {u.pk: u.username for u in get_user_model().objects.all()},
        "kpi": {k.pk: f"{k.post.code}/{k.code}" for k in KPI.objects.select_related("post")},
        "building": {b.pk: b.name for b in Building.objects.all()},
        "project": {project.pk: project.code},
    }


PARAM_KIND = {"post": "post", "user": "user", "staff": "user", "assignee": "user", "owner": "user", "clerk": "user",
              "kpi": "kpi", "building": "building", "project": "project"}


def stable(value, names, key=None):
    """The answer with every database id replaced by the code or name it stands for."""
    if isinstance(value, dict):
        if key in ("post", "user") and "id" in value:
            value = {**{k: stable(v, names) for k, v in value.items()}, "id": names[key][value["id"]]}
            if key == "user":  # the factories number first names in the order tests run
                value["name"] = re.sub(r"^员工\d+$", "员工…", value["name"])
            return value
        return {k: stable(v, names, k) for k, v in value.items()}
    if isinstance(value, list):
        return [stable(v, names, key) for v in value]
    if isinstance(value, str):
        return re.sub(r"([?&])(\w+)=(\d+)", lambda m: f"{m[1]}{m[2]}={names[PARAM_KIND[m[2]]][int(m[3])]}"
                      if m[2] in PARAM_KIND else m[0], value)
    if key == "project" and isinstance(value, int):
        return names["project"][value]
    return value


def test_the_reports_keep_their_figures(june_records, project, staff, api):
    client = api(staff["manager"])
    answers = {}
    for name, path in [("scorecards", "/api/v1/reports/scorecards"), ("dashboard", "/api/v1/reports/dashboard"),
                       ("monthly", "/api/v1/reports/monthly")]:
        response = client.get(path, {"project": project.pk, "period": "2026-06"})
        assert response.status_code == 200, response.content
        answers[name] = response.json()
    answers = stable(answers, _names(project))
    if not PINNED.exists() or json.loads(PINNED.read_text()) != answers:
        Path("/tmp/report_figures_actual.json").write_text(json.dumps(answers, ensure_ascii=False, indent=1))
    assert PINNED.exists(), "no pinned figures; the answers are in /tmp/report_figures_actual.json"
    pinned = json.loads(PINNED.read_text())
    for name in answers:
        assert answers[name] == pinned[name], f"{name} changed: see /tmp/report_figures_actual.json"


def test_one_card_alone_measures_what_it_measures_among_all_cards(june_records, project, staff, api):
    """The home page's "my KPIs" computes one person's card on its own: the same figures as in the full set."""
    body = api(staff["manager"]).get("/api/v1/reports/scorecards", {"project": project.pk, "period": "2026-06"}).json()
    by_card = {(c["post"]["code"], c["user"]["username"] if c["user"] else None): c for c in body["results"]}
    for post_code, username in [("floor-butler", "butler2"), ("floor-butler", "butler"), ("frontdesk-assistant", "frontdesk"),
                                ("floor-butler", None), ("archivist", None), ("repair-technician", "engineer")]:
        post = Post.objects.get(code=post_code)
        user = UserFactory(username=username) if username else None
        card = scorecard(post=post, project=project, period=JUNE, user=user)
        expected = by_card[(post_code, username)]
        assert [str(r.actual) if r.actual is not None else None for r in card.rows] == \
            [k["actual"] for k in expected["kpis"]], (post_code, username)
        assert (f"{card.total:.2f}" if card.total is not None else None) == expected["total"]
    assert latest_period_with_scores(project=project, posts=[Post.objects.get(code="frontdesk-assistant")]) == JUNE


def test_the_home_page_shows_a_butler_one_card_per_post_however_many_buildings_they_hold(june_records, client):
    """butler2 holds the floor-butler post on two buildings: one card (before, one per holding)."""
    client.force_login(UserFactory(username="butler2"))
    html = client.get("/").content.decode()
    assert 'id="kpis-home"' in html
    assert html.count("楼层管家 · 阳光花园") == 1
