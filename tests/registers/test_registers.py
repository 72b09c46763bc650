"""Registers declared in a catalogue (issue 12, shared/API.md "Registers"). The catalogue below was written from
docs/catalog.md alone: nothing in the code knows it."""
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from dutydesk.inbox.models import Task
from dutydesk.org.catalog import CatalogInvalid
from dutydesk.org.catalog_yaml import import_catalog_yaml
from dutydesk.org.models import KPI, Register
from dutydesk.registers.models import Entry
from tests.factories import ProjectFactory, UserFactory, hold

SHANGHAI = ZoneInfo("Asia/Shanghai")
CATALOGUE = """
catalog: spa-desk
name: 足浴店前台
name_en: Foot-spa front desk
departments:
  - code: front
    name: 前台
procedures:
  - code: guest_reception
    name: 接待顾客
posts:
  - code: spa-manager
    name: 店长
    name_en: Shop manager
    department: front
    permissions: [reports.view]
    duties: [管理前台]
  - code: spa-reception
    name: 前台接待
    name_en: Receptionist
    department: front
    superior: spa-manager
    duties: [接待顾客并登记房间与技师]
    standards:
      - procedure: guest_reception
        limit_minutes: 5
    kpis:
      - code: reception_on_time
        name: 5分钟内接待率
        target: 95
        unit: "%"
        weight: 50
        source: register
        register: spa-reception-log
        measure: on_time_rate
      - code: takings
        name: 营业额
        target: 1000
        unit: 元
        weight: 50
        source: register
        register: spa-reception-log
        measure: sum:amount
registers:
  - code: spa-reception-log
    name: 接待登记
    name_en: Reception log
    writers: [spa-reception]
    readers: [spa-manager]
    number_prefix: JD
    procedure: guest_reception
    fields:
      - {code: room, name: 房间, name_en: Room, type: choice, required: true, choices: ["1", "2", "3"]}
      - {code: guests, name: 人数, name_en: Guests, type: number, required: true}
      - {code: amount, name: 金额, name_en: Amount, type: money}
      - {code: vip, name: 会员, type: boolean}
      - {code: note, name: 备注, type: text}
    follow_ups:
      - when: {field: guests, at_least: 6}
        post: spa-manager
        title: 大团客人，店长到场
        due_minutes: 15
"""


@pytest.fixture
def spa(db):
    import_catalog_yaml(CATALOGUE)
    project = ProjectFactory(code="spa1", name="足浴一店")
    other = ProjectFactory(code="spa2", name="足浴二店")
    people = {"reception": UserFactory(username="reception"), "manager": UserFactory(username="spamanager"),
              "elsewhere": UserFactory(username="elsewhere"), "nobody": UserFactory(username="nobody")}
    hold(people["reception"], "spa-reception", project)
    hold(people["manager"], "spa-manager", project)
    hold(people["elsewhere"], "spa-reception", other)
    return project, other, people


def record(api, user, project, values, **extra):
    return api(user).post("/api/v1/registers/spa-reception-log/entries",
                          {"project": project.pk, "values": values, **extra}, format="json")


def test_the_catalogue_imports_with_its_register_and_timed_kpi(spa):
    register = Register.objects.get(code="spa-reception-log")
    assert register.limit_minutes == 5  # taken from the writer's standard for the procedure
    assert [f["type"] for f in register.fields] == ["choice", "number", "money", "boolean", "text"]
    assert list(register.writers.values_list("code", flat=True)) == ["spa-reception"]
    kpi = KPI.objects.get(code="reception_on_time")
    assert (kpi.source, kpi.register, kpi.measure) == ("register", register, "on_time_rate")
    import_catalog_yaml(CATALOGUE)  # idempotent
    assert Register.objects.filter(code="spa-reception-log").count() == 1


def test_registers_list_shows_what_my_posts_use(spa, api):
    project, _other, people = spa
    body = api(people["reception"]).get(f"/api/v1/registers/?project={project.pk}").json()
    (register,) = [r for r in body["results"] if r["code"] == "spa-reception-log"]
    assert register["limit_minutes"] == 5 and register["procedure"] == "guest_reception"
    assert register["can_write"] is True
    assert register["fields"][0] == {"code": "room", "name": "房间", "name_en": "Room", "type": "choice",
                                     "required": True, "choices": [{"code": "1", "name": "1", "name_en": ""},
                                                                   {"code": "2", "name": "2", "name_en": ""},
                                                                   {"code": "3", "name": "3", "name_en": ""}]}
    manager = api(people["manager"]).get("/api/v1/registers/").json()["results"]
    assert [r["can_write"] for r in manager if r["code"] == "spa-reception-log"] == [False]
    assert api(people["nobody"]).get("/api/v1/registers/").json()["results"] == []


def test_an_entry_is_recorded_timed_and_finished(spa, api):
    project, _other, people = spa
    start = datetime(2026, 11, 10, 14, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        response = record(api, people["reception"], project, {"room": "2", "guests": 2, "amount": "398", "vip": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "JD202600001" and body["status"] == "open" and body["finished_at"] is None
    assert body["values"] == {"room": "2", "guests": "2", "amount": "398.00", "vip": True}
    assert body["recorded_by"] == people["reception"].pk
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        finished = api(people["reception"]).post(f"/api/v1/registers/spa-reception-log/entries/{body['id']}/finish")
    assert finished.status_code == 200 and finished.json()["status"] == "finished"
    assert finished.json()["on_time"] is True
    again = api(people["reception"]).post(f"/api/v1/registers/spa-reception-log/entries/{body['id']}/finish")
    assert again.status_code == 409
    entry = Entry.objects.get()
    assert [h.status for h in entry.history.order_by("history_id")] == ["open", "finished"]


def test_bad_values_are_400_keyed_by_field_and_record_nothing(spa, api):
    project, _other, people = spa
    response = record(api, people["reception"], project, {"room": "9", "guests": "many", "amount": "12.3.4",
                                                          "colour": "red"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"values.room", "values.guests", "values.amount", "values.colour"}
    missing = record(api, people["reception"], project, {"amount": "10"})
    assert set(missing.json()["errors"]) == {"values.room", "values.guests"}
    english = api(people["reception"], "en").post("/api/v1/registers/spa-reception-log/entries",
                                                  {"project": project.pk, "values": {"room": "1", "guests": "x"}},
                                                  format="json")
    assert english.json()["errors"]["values.guests"] == ["Enter a number."]
    chinese = record(api, people["reception"], project, {"room": "1", "guests": "x"})
    assert chinese.json()["errors"]["values.guests"] != ["Enter a number."]
    assert Entry.objects.count() == 0


def test_only_the_writers_in_their_project_may_record(spa, api):
    project, other, people = spa
    values = {"room": "1", "guests": 1}
    assert record(api, people["manager"], project, values).status_code == 403  # a reader
    assert record(api, people["elsewhere"], project, values).status_code == 403  # a writer, elsewhere
    assert record(api, people["nobody"], project, values).status_code == 404  # no post: the register is not theirs
    assert record(api, people["elsewhere"], other, values).status_code == 201
    # the reader sees the project's entries, not the other project's
    assert record(api, people["reception"], project, values).status_code == 201
    listed = api(people["manager"]).get("/api/v1/registers/spa-reception-log/entries").json()
    assert listed["count"] == 1 and listed["results"][0]["project"] == project.pk
    foreign = Entry.objects.get(project=other)
    assert api(people["manager"]).get(f"/api/v1/registers/spa-reception-log/entries/{foreign.pk}").status_code == 404
    assert api(people["manager"]).post(
        f"/api/v1/registers/spa-reception-log/entries/{foreign.pk}/finish").status_code == 404


def test_a_follow_up_puts_a_task_in_the_managers_inbox(spa, api):
    project, _other, people = spa
    with time_machine.travel(datetime(2026, 11, 10, 20, 0, tzinfo=SHANGHAI), tick=False):
        assert record(api, people["reception"], project, {"room": "3", "guests": 5}).status_code == 201
        assert not Task.objects.exists()
        assert record(api, people["reception"], project, {"room": "3", "guests": 8}).status_code == 201
    task = Task.objects.get()
    assert task.post.code == "spa-manager" and task.project == project
    assert task.due_at == datetime(2026, 11, 10, 20, 15, tzinfo=SHANGHAI)
    assert "大团客人" in task.title


def test_an_entry_open_past_its_standard_becomes_a_task_for_the_reader(spa, api):
    from dutydesk.registers.jobs import registers_overdue

    project, _other, people = spa
    start = datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        record(api, people["reception"], project, {"room": "1", "guests": 1})
    assert registers_overdue(start + timedelta(minutes=4)) == 0
    assert registers_overdue(start + timedelta(minutes=6)) == 1
    assert registers_overdue(start + timedelta(minutes=7)) == 0  # once
    assert Task.objects.get().post.code == "spa-manager"


def test_the_kpis_over_the_register_appear_in_scorecards(spa, api):
    project, _other, people = spa
    start = datetime(2026, 10, 5, 10, 0, tzinfo=SHANGHAI)
    for minutes, amount in [(3, "100"), (4, "250.50"), (9, "49.50")]:  # two within 5 minutes, one late
        with time_machine.travel(start, tick=False):
            entry = record(api, people["reception"], project, {"room": "1", "guests": 1, "amount": amount}).json()
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            api(people["reception"]).post(f"/api/v1/registers/spa-reception-log/entries/{entry['id']}/finish")
        start += timedelta(days=1)
    body = api(people["manager"]).get(f"/api/v1/reports/scorecards?period=2026-10&project={project.pk}").json()
    card = next(c for c in body["results"] if c["user"] and c["user"]["username"] == "reception")
    kpis = {k["code"]: k for k in card["kpis"]}
    assert Decimal(kpis["reception_on_time"]["actual"]) == Decimal("66.67")
    assert Decimal(kpis["takings"]["actual"]) == Decimal("400.00")


@pytest.mark.django_db
def test_catalogue_errors_name_the_line():
    broken = CATALOGUE.replace("type: number, required: true", "type: numeric, required: true").replace(
        "measure: sum:amount", "measure: sum:note")
    with pytest.raises(CatalogInvalid) as problem, translation.override("en"):
        import_catalog_yaml(broken)
    lines = broken.splitlines()
    messages = problem.value.errors
    assert any(m.startswith(f"line {next(i for i, l in enumerate(lines, 1) if 'numeric' in l)}:") and "type" in m
               for m in messages), messages
    assert any(m.startswith(f"line {next(i for i, l in enumerate(lines, 1) if 'sum:note' in l)}:") for m in messages)
    assert not Register.objects.exists()


@pytest.mark.django_db
def test_catalogue_rejects_unknown_posts_and_choice_without_choices():
    broken = CATALOGUE.replace("writers: [spa-reception]", "writers: [spa-nobody]").replace(
        ', choices: ["1", "2", "3"]', "")
    with pytest.raises(CatalogInvalid) as problem:
        import_catalog_yaml(broken)
    text = "\n".join(problem.value.errors)
    assert "spa-nobody" in text and "choice" in text


def test_the_entries_api_costs_the_same_for_more_rows(spa, api):
    """One query per entry for its register's code was an N+1 (59 queries for a page of 50 at 10^6 entries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project, _other, people = spa
    client = api(people["manager"])

    def listed():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/registers/spa-reception-log/entries?project={project.pk}").status_code == 200
        return len(queries)

    for _ in range(2):
        record(api, people["reception"], project, {"room": "1", "guests": 1})
    few = listed()
    for _ in range(4):
        record(api, people["reception"], project, {"room": "1", "guests": 1})
    assert listed() == few
