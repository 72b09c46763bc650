from dutydesk.billing.models import Bill, BillRun
from dutydesk.inbox.models import Task


def test_the_archivist_runs_the_bills_and_a_repeat_returns_the_same_run(billed_unit, project, staff, api):
    client = api(staff["archivist"])
    first = client.post("/api/v1/billing/runs", {"project": project.pk, "period": "2026-10"}, format="json")
    assert first.status_code == 201
    assert {k: first.json()[k] for k in ("bills_created", "total")} == {"bills_created": 1, "total": "309.75"}
    again = client.post("/api/v1/billing/runs", {"project": project.pk, "period": "2026-10"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Bill.objects.count() == 1


def test_a_run_creates_the_archivists_fee_notice_task_once(billed_unit, project, staff, api):
    client = api(staff["archivist"])
    run_id = client.post("/api/v1/billing/runs", {"project": project.pk, "period": "2026-10"}, format="json").json()["id"]
    client.post("/api/v1/billing/runs", {"project": project.pk, "period": "2026-10"}, format="json")
    task = Task.objects.get(source="billing.fee_notices")
    assert task.post.code == "archivist" and task.url == f"/billing/runs/{run_id}/"
    assert task.due_at.day == 10 and "交费通知单" in task.title


def test_only_billing_run_holders_may_run_bills(billed_unit, project, staff, api, resident_user):
    for who in ("frontdesk", "butler", "supervisor"):
        response = api(staff[who]).post("/api/v1/billing/runs", {"project": project.pk, "period": "2026-10"}, format="json")
        assert response.status_code == 403, who
    assert api(resident_user).post("/api/v1/billing/runs", {"project": project.pk, "period": "2026-10"}, format="json").status_code == 403
    assert not BillRun.objects.exists()


def test_a_bad_period_is_a_400(billed_unit, project, staff, api):
    response = api(staff["archivist"]).post("/api/v1/billing/runs", {"project": project.pk, "period": "2026-13"}, format="json")
    assert response.status_code == 400 and "period" in response.json()["errors"]


def test_adjustments_need_a_manager(bill, staff, api):
    assert api(staff["frontdesk"]).post(f"/api/v1/bills/{bill.pk}/adjust", {"amount": "-5", "reason": "x"}, format="json").status_code == 403
    response = api(staff["manager"]).post(f"/api/v1/bills/{bill.pk}/adjust", {"amount": "-5.00", "reason": "协商减免"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["amount"], body["lines"][-1]["kind"], body["lines"][-1]["amount"]) == ("304.75", "adjustment", "-5.00")
    too_much = api(staff["manager"]).post(f"/api/v1/bills/{bill.pk}/adjust", {"amount": "-400", "reason": "x"}, format="json")
    assert too_much.status_code == 400


def test_a_far_future_period_is_refused_everywhere_and_bills_nothing(billed_unit, project, staff, api, client,
                                                                      time_machine):
    time_machine.move_to("2026-01-15 10:00 +08:00")
    archivist = api(staff["archivist"])
    response = archivist.post("/api/v1/billing/runs", {"project": project.pk, "period": "2030-01"}, format="json")
    assert response.status_code == 400 and "2026-02" in response.json()["errors"]["period"][0]
    response = archivist.post("/api/v1/billing/runs", {"project": project.pk, "period": "2026-03"}, format="json",
                              HTTP_PREFER="respond-async")
    assert response.status_code == 400  # refused before any job is queued
    client.force_login(staff["archivist"])
    page = client.post("/billing/runs/", {"project": project.pk, "period": "2030-01"}, follow=True).content.decode()
    assert "2026-02" in page and "2030-01" in page
    assert not BillRun.objects.exists() and not Bill.objects.exists()
    # next month is the furthest a run goes (December → January of the next year)
    time_machine.move_to("2026-12-20 10:00 +08:00")
    assert api(staff["archivist"]).post("/api/v1/billing/runs", {"project": project.pk, "period": "2027-01"},
                          format="json").status_code == 201
