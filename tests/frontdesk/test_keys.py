import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.frontdesk import jobs, services
from dutydesk.frontdesk.models import Key, KeyCount, KeyLoan
from dutydesk.inbox.models import Task
from tests.frontdesk.conftest import LEND
from tests.support.concurrency import in_threads

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_it_lends_a_key_once_and_takes_it_back(staff, api, key):
    client = api(staff["archivist"])
    lent = client.post(f"/api/v1/keys/{key.pk}/lend", LEND, format="json")
    assert lent.status_code == 200
    assert lent.json()["status"] == "lent"
    assert lent.json()["borrower_name"] == "李四"
    again = client.post(f"/api/v1/keys/{key.pk}/lend", LEND, format="json")
    assert again.status_code == 409
    assert "detail" in again.json()
    back = client.post(f"/api/v1/keys/{key.pk}/return")
    assert back.status_code == 200
    assert back.json()["status"] == "in_custody"
    assert client.post(f"/api/v1/keys/{key.pk}/return").status_code == 409
    loan = KeyLoan.objects.get()
    assert loan.returned_to == staff["archivist"] and loan.returned_at is not None
    assert key.history.count() == 3  # created, lent, back in custody


def test_a_key_is_due_back_by_the_end_of_the_day_it_was_lent(staff, key):
    with time_machine.travel(dt.datetime(2026, 3, 10, 15, 30, tzinfo=SHANGHAI), tick=False):
        loan = services.key_lend(key=key, clerk=staff["archivist"], **LEND)
    assert loan.due_at == dt.datetime(2026, 3, 11, 0, 0, tzinfo=SHANGHAI)


def test_it_rejects_a_borrower_phone_that_is_not_a_phone_number(staff, api, key):
    response = api(staff["archivist"]).post(f"/api/v1/keys/{key.pk}/lend", {**LEND, "borrower_phone": "12345"},
                                            format="json")
    assert response.status_code == 400
    assert "borrower_phone" in response.json()["errors"]
    key.refresh_from_db()
    assert key.status == "in_custody" and not KeyLoan.objects.exists()


def test_a_lost_key_cannot_be_lent(staff, api, key):
    client = api(staff["archivist"])
    assert client.post(f"/api/v1/keys/{key.pk}/lost", {"note": "业主遗失"}, format="json").status_code == 200
    assert client.post(f"/api/v1/keys/{key.pk}/lend", LEND, format="json").status_code == 409


def test_a_key_not_back_by_end_of_day_is_overdue_and_a_task_for_the_archivist(staff, api, key, public_key):
    client = api(staff["archivist"])
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert client.post(f"/api/v1/keys/{key.pk}/lend", LEND, format="json").status_code == 200
        assert client.post(f"/api/v1/keys/{public_key.pk}/lend", LEND, format="json").status_code == 200
        assert client.post(f"/api/v1/keys/{public_key.pk}/return").status_code == 200
        assert client.get("/api/v1/keys/", {"status": "lent", "overdue": "true"}).json()["count"] == 0
        assert jobs.keys_overdue(dt.datetime(2026, 3, 10, 23, 59, tzinfo=SHANGHAI)) == 0
    with time_machine.travel(dt.datetime(2026, 3, 11, 0, 5, tzinfo=SHANGHAI), tick=False):
        overdue = client.get("/api/v1/keys/", {"status": "lent", "overdue": "true"}).json()
        assert [k["label"] for k in overdue["results"]] == ["A-1201-1"]
        assert overdue["results"][0]["overdue"] is True
        now = dt.datetime(2026, 3, 11, 0, 5, tzinfo=SHANGHAI)
        assert jobs.keys_overdue(now) == 1
        assert jobs.keys_overdue(now) == 0  # idempotent
    task = Task.objects.get(source="frontdesk.key_overdue")
    assert task.post.code == "archivist" and task.project == key.project
    assert "A-1201-1" in task.title and "李四" in task.title


def test_staff_without_the_key_permission_get_403(staff, api, key):
    client = api(staff["visitordesk"])
    assert client.get("/api/v1/keys/").status_code == 403
    assert client.post(f"/api/v1/keys/{key.pk}/lend", LEND, format="json").status_code == 403


def test_a_key_of_another_project_is_404(staff, api, elsewhere):
    client = api(staff["archivist"])
    assert client.post(f"/api/v1/keys/{elsewhere['key'].pk}/lend", LEND, format="json").status_code == 404
    assert client.get(f"/api/v1/keys/{elsewhere['key'].pk}/").status_code == 404
    assert elsewhere["key"].pk not in [k["id"] for k in client.get("/api/v1/keys/").json()["results"]]


def test_it_registers_a_key_for_a_unit_and_rejects_an_unknown_unit(staff, api, unit, elsewhere):
    client = api(staff["archivist"])
    created = client.post("/api/v1/keys/", {"label": "A-1201-2", "unit": unit.pk, "location": "柜1-02"}, format="json")
    assert created.status_code == 201
    assert created.json()["unit"] == unit.pk and created.json()["status"] == "in_custody"
    bad = client.post("/api/v1/keys/", {"label": "X", "unit": elsewhere["unit"].pk}, format="json")
    assert bad.status_code == 400 and "unit" in bad.json()["errors"]
    assert not Key.objects.filter(label="X").exists()


def test_the_daily_count_records_missing_and_unexpected_keys(staff, api, key, public_key, project, unit):
    third = Key.objects.create(project=project, label="A-1201-3", unit=unit)
    services.key_lend(key=third, clerk=staff["archivist"], **LEND)
    response = api(staff["archivist"]).post("/api/v1/key-counts/", {
        "confirmed": [key.pk, third.pk], "unexpected": ["无标签钥匙"], "note": "晚班盘点"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["expected"], body["confirmed"], body["missing"], body["unexpected"]) == (2, 1, 1, 2)
    results = {line["label"]: line["result"] for line in body["lines"]}
    assert results == {"A-1201-1": "confirmed", "天台门": "missing", "A-1201-3": "unexpected", "无标签钥匙": "unexpected"}


def test_the_count_rejects_a_key_of_another_project(staff, api, key, elsewhere):
    response = api(staff["archivist"]).post("/api/v1/key-counts/", {"confirmed": [elsewhere["key"].pk]}, format="json")
    assert response.status_code == 400 and "confirmed" in response.json()["errors"]
    assert not KeyCount.objects.exists()


def test_the_monthly_key_summary_counts_lends_returns_overdue_and_lost(staff, api, key, public_key):
    clerk = staff["archivist"]
    with time_machine.travel(dt.datetime(2026, 4, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        services.key_lend(key=key, clerk=clerk, **LEND)
        services.key_return(key=key, clerk=clerk)
        services.key_lend(key=key, clerk=clerk, **LEND)
    with time_machine.travel(dt.datetime(2026, 4, 3, 9, 0, tzinfo=SHANGHAI), tick=False):
        services.key_return(key=key, clerk=clerk)  # a day late
        services.key_mark_lost(key=public_key, clerk=clerk)
        summary = api(clerk).get("/api/v1/reports/keys", {"period": "2026-04"}).json()
    assert (summary["lends"], summary["returns"], summary["overdue"], summary["lost"]) == (2, 2, 1, 1)


def test_key_list_runs_a_constant_number_of_queries(staff, api, project, unit):
    for n in range(6):
        k = Key.objects.create(project=project, label=f"K{n}", unit=unit)
        if n % 2:
            services.key_lend(key=k, clerk=staff["archivist"], **LEND)
    client = api(staff["archivist"])
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/keys/", {"page_size": 2}).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert len(client.get("/api/v1/keys/", {"page_size": 200}).json()["results"]) == 6
    assert len(small) == len(large)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_lending_the_same_key_at_once_get_one_200_and_one_409(catalog, project, building, api):
    if connection.vendor != "postgresql":
        pytest.skip("real row-level concurrency needs PostgreSQL")
    from tests.factories import UnitFactory, UserFactory, hold

    unit = UnitFactory(building=building, floor=12, number="1201")
    key = Key.objects.create(project=project, label="A-1201-1", unit=unit)
    clerks = [UserFactory(username=f"clerk{n}") for n in range(2)]
    for clerk in clerks:
        hold(clerk, "archivist", project)
    clients = [api(clerk) for clerk in clerks]
    statuses, errors = in_threads(2, lambda i: clients[i].post(f"/api/v1/keys/{key.pk}/lend", LEND,
                                                                 format="json").status_code)
    assert errors == []
    assert sorted(statuses) == [200, 409]
    assert KeyLoan.objects.filter(key=key).count() == 1
    assert Key.objects.get(pk=key.pk).status == "lent"
