import datetime as dt

import pytest
import time_machine

from dutydesk.frontdesk import jobs, services
from dutydesk.frontdesk.models import Card, CardReport
from tests.factories import ResidentFactory

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day, hour=10):
    return time_machine.travel(dt.datetime(2026, *day, hour, 0, tzinfo=SHANGHAI), tick=False)


def test_the_card_report_gives_exact_numbers_for_a_month(staff, api, project, unit, resident):
    clerk = staff["cardclerk"]
    client = api(clerk)
    with at((6, 20)):
        assert client.post("/api/v1/card-batches/", {"bought_on": "2026-06-20", "quantity": 50}, format="json").status_code == 201
        for n in range(3):
            services.card_make(resident=resident, clerk=clerk, number=f"JUN{n}")
    with at((7, 2)):
        client.post("/api/v1/card-batches/", {"bought_on": "2026-07-02", "quantity": 20}, format="json")
        client.post("/api/v1/card-batches/", {"bought_on": "2026-07-15", "quantity": 10}, format="json")
        made = [client.post("/api/v1/cards/", {"resident": resident.pk, "number": f"JUL{n}"}, format="json").json()
                for n in range(4)]
        services.card_scrap(card=Card.objects.get(number="JUN0"), clerk=clerk, reason="芯片损坏")
        client.post(f"/api/v1/cards/{made[0]['id']}/scrap", {"reason": "照片打印不清"}, format="json")
    with at((8, 1)):
        services.card_make(resident=resident, clerk=clerk, number="AUG0")
        july = client.get("/api/v1/reports/cards", {"period": "2026-07"}).json()
        june = client.get("/api/v1/reports/cards", {"period": "2026-06"}).json()
    assert {k: july[k] for k in ("bought", "made", "scrapped", "remaining")} == {
        "bought": 30, "made": 4, "scrapped": 2, "remaining": 50 + 30 - 3 - 4}
    assert {k: june[k] for k in ("bought", "made", "scrapped", "remaining")} == {
        "bought": 50, "made": 3, "scrapped": 0, "remaining": 47}


def test_a_card_is_issued_only_after_the_second_look(staff, api, resident):
    client = api(staff["cardclerk"])
    client.post("/api/v1/card-batches/", {"bought_on": "2026-01-01", "quantity": 5}, format="json")
    made = client.post("/api/v1/cards/", {"resident": resident.pk, "number": "C001"}, format="json")
    assert made.status_code == 201 and made.json()["status"] == "made"
    pk = made.json()["id"]
    assert client.post(f"/api/v1/cards/{pk}/return").status_code == 409  # not issued yet
    confirmed = client.post(f"/api/v1/cards/{pk}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "issued"
    assert confirmed.json()["confirmed_by"] == staff["cardclerk"].pk
    assert client.post(f"/api/v1/cards/{pk}/confirm").status_code == 409
    assert client.post(f"/api/v1/cards/{pk}/return").json()["status"] == "returned"
    assert client.post(f"/api/v1/cards/{pk}/scrap", {"reason": "退卡报废"}, format="json").json()["status"] == "scrapped"
    assert client.post(f"/api/v1/cards/{pk}/scrap", {"reason": "again"}, format="json").status_code == 409


def test_no_card_can_be_made_without_blank_cards(staff, api, resident):
    response = api(staff["cardclerk"]).post("/api/v1/cards/", {"resident": resident.pk, "number": "C001"}, format="json")
    assert response.status_code == 409
    assert not Card.objects.exists()


def test_cards_need_the_card_permission_and_residents_in_scope(staff, api, resident, elsewhere):
    assert api(staff["frontdesk"]).get("/api/v1/cards/").status_code == 403
    outsider = ResidentFactory(unit=elsewhere["unit"])
    client = api(staff["cardclerk"])
    client.post("/api/v1/card-batches/", {"bought_on": "2026-01-01", "quantity": 5}, format="json")
    response = client.post("/api/v1/cards/", {"resident": outsider.pk, "number": "C9"}, format="json")
    assert response.status_code == 400 and "resident" in response.json()["errors"]


@pytest.mark.parametrize("period", ["2026-13", "July", ""])
def test_the_card_report_needs_a_valid_period(staff, api, period):
    response = api(staff["cardclerk"]).get("/api/v1/reports/cards", {"period": period})
    assert response.status_code == 400 and "period" in response.json()["errors"]


def test_the_monthly_card_report_is_generated_once_in_the_first_days_of_the_month(staff, project, resident):
    clerk = staff["cardclerk"]
    with at((6, 10)):
        services.card_batch_record(project=project, clerk=clerk, bought_on=dt.date(2026, 6, 10), quantity=8)
        services.card_make(resident=resident, clerk=clerk, number="X1")
    assert jobs.card_report(dt.datetime(2026, 6, 20, 9, 0, tzinfo=SHANGHAI)) == 0
    assert jobs.card_report(dt.datetime(2026, 7, 1, 9, 0, tzinfo=SHANGHAI)) == 1
    assert jobs.card_report(dt.datetime(2026, 7, 2, 9, 0, tzinfo=SHANGHAI)) == 0
    report = CardReport.objects.get()
    assert (report.period, report.bought, report.made, report.remaining) == ("2026-06", 8, 1, 7)
