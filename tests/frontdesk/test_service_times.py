import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.frontdesk import selectors, services
from dutydesk.frontdesk.models import Key, ServiceRecord, Visit
from dutydesk.org.models import Standard
from tests.frontdesk.conftest import LEND

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 9, 10, 10, 0, tzinfo=SHANGHAI)


def ago(minutes, seconds=0):
    return NOW - dt.timedelta(minutes=minutes, seconds=seconds)


def visit(unit, clerk, started):
    return services.visit_register(unit=unit, clerk=clerk, visitor_name="王五", visitor_phone="13800138001",
                                   purpose="探亲", started_at=started)


def timed_fixture(staff, project, unit, resident):
    """Known start and finish times: key lending 4 min, 6 min, exactly 5 min; visitor desk 9 and 12 min;
    front desk 6 and 3 min; card 25 min; and one key lending in August that must not count."""
    with time_machine.travel(dt.datetime(2026, 8, 31, 12, 0, tzinfo=SHANGHAI), tick=False):
        old = Key.objects.create(project=project, label="OLD", unit=unit)
        services.key_lend(key=old, clerk=staff["archivist"], started_at=dt.datetime(2026, 8, 31, 11, 0, tzinfo=SHANGHAI), **LEND)
    with time_machine.travel(NOW, tick=False):
        for n, minutes in enumerate([4, 6, 5]):
            key = Key.objects.create(project=project, label=f"K{n}", unit=unit)
            services.key_lend(key=key, clerk=staff["archivist"], started_at=ago(minutes), **LEND)
        visit(unit, staff["visitordesk"], ago(9))
        visit(unit, staff["visitordesk"], ago(12))
        visit(unit, staff["frontdesk"], ago(6))
        visit(unit, staff["frontdesk"], ago(3))
        services.card_batch_record(project=project, clerk=staff["cardclerk"], bought_on=NOW.date(), quantity=5)
        services.card_make(resident=resident, clerk=staff["cardclerk"], number="C1", started_at=ago(25))


def by_procedure(body):
    return {row["procedure"]: (row["limit_minutes"], row["count"], row["within_limit"], row["compliance_rate"])
            for row in body["results"]}


def test_the_report_gives_exact_compliance_rates_per_procedure_and_clerk(staff, api, project, unit, resident):
    timed_fixture(staff, project, unit, resident)
    body = api(staff["manager"]).get("/api/v1/reports/service-times", {"period": "2026-09"}).json()
    assert by_procedure(body) == {
        "key_lending": (5, 3, 2, "0.6667"),
        "visitor_registration": (10, 2, 1, "0.5000"),
        "visitor_registration_front": (5, 2, 1, "0.5000"),
        "ic_card_issue": (20, 1, 0, "0.0000"),
    }
    clerks = {(row["procedure"], row["clerk_username"]): row["compliance_rate"] for row in body["by_clerk"]}
    assert clerks[("key_lending", "archivist")] == "0.6667"
    assert clerks[("visitor_registration_front", "frontdesk")] == "0.5000"
    august = api(staff["manager"]).get("/api/v1/reports/service-times", {"period": "2026-08"}).json()
    assert by_procedure(august) == {"key_lending": (5, 1, 0, "0.0000")}


def test_the_report_follows_a_changed_standard(staff, api, project, unit, resident):
    timed_fixture(staff, project, unit, resident)
    Standard.objects.filter(post__code="archivist", procedure__code="key_lending").update(limit_minutes=7)
    Standard.objects.filter(post__code="visitor-desk", procedure__code="visitor_registration").update(limit_minutes=8)
    body = api(staff["manager"]).get("/api/v1/reports/service-times", {"period": "2026-09"}).json()
    rows = by_procedure(body)
    assert rows["key_lending"] == (7, 3, 3, "1.0000")
    assert rows["visitor_registration"] == (8, 2, 0, "0.0000")


def test_the_report_filters_by_procedure_and_clerk(staff, api, project, unit, resident):
    timed_fixture(staff, project, unit, resident)
    client = api(staff["manager"])
    only_keys = client.get("/api/v1/reports/service-times", {"period": "2026-09", "procedure": "key_lending"}).json()
    assert list(by_procedure(only_keys)) == ["key_lending"]
    frontdesk = client.get("/api/v1/reports/service-times",
                           {"period": "2026-09", "clerk": staff["frontdesk"].pk}).json()
    assert by_procedure(frontdesk) == {"visitor_registration_front": (5, 2, 1, "0.5000")}


def test_the_duty_engine_reads_a_clerks_compliance(staff, project, unit, resident):
    timed_fixture(staff, project, unit, resident)
    start, end = selectors.parse_period("2026-09")
    assert str(selectors.service_time_compliance(start=start, end=end, user=staff["archivist"])) == "0.6667"
    assert selectors.service_time_compliance(start=start, end=end, user=staff["butler"]) is None


def test_every_register_entry_records_its_start_and_finish(staff, unit):
    with time_machine.travel(NOW, tick=False):
        entry = visit(unit, staff["visitordesk"], ago(2, 30))
    record = ServiceRecord.objects.get()
    assert (entry.started_at, entry.finished_at) == (ago(2, 30), NOW)
    assert (record.started_at, record.finished_at, record.duration_seconds) == (ago(2, 30), NOW, 150)
    assert record.post.code == "visitor-desk" and record.clerk == staff["visitordesk"] and record.entry == entry


def test_a_start_time_in_the_future_is_refused(staff, api, unit):
    future = (dt.datetime.now(SHANGHAI) + dt.timedelta(hours=1)).isoformat()
    response = api(staff["visitordesk"]).post("/api/v1/visits/", {
        "visitor_name": "王五", "visitor_phone": "13800138001", "unit": unit.pk, "purpose": "探亲",
        "started_at": future}, format="json")
    assert response.status_code == 400 and "started_at" in response.json()["errors"]
    assert not Visit.objects.exists()


def test_the_report_needs_the_reports_permission(staff, api):
    assert api(staff["frontdesk"]).get("/api/v1/reports/service-times", {"period": "2026-09"}).status_code == 403
    assert api(staff["archivist"]).get("/api/v1/reports/service-times", {"period": "2026-09"}).status_code == 200
    bad = api(staff["manager"]).get("/api/v1/reports/service-times", {"period": "09/2026"})
    assert bad.status_code == 400 and "period" in bad.json()["errors"]


def test_the_report_costs_the_same_queries_for_few_or_many_entries(staff, api, project, unit):
    client = api(staff["manager"])
    with time_machine.travel(NOW, tick=False):
        visit(unit, staff["visitordesk"], ago(1))
        with CaptureQueriesContext(connection) as few:
            client.get("/api/v1/reports/service-times", {"period": "2026-09"})
        for _ in range(8):
            visit(unit, staff["frontdesk"], ago(3))
        with CaptureQueriesContext(connection) as many:
            client.get("/api/v1/reports/service-times", {"period": "2026-09"})
    assert len(few) == len(many)
