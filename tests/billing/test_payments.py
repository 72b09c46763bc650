from decimal import Decimal

from django.contrib import admin
from django.test import RequestFactory

from dutydesk.billing.models import Bill, Payment, PaymentReversal, Receipt, UnitCredit
from dutydesk.billing import services


def _pay(client, bill, amount, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/payments/", {"bill": bill.pk, "amount": amount, "method": "wechat", **extra},
                       format="json", **headers)


def test_a_partial_payment_leaves_a_balance(bill, staff, api):
    response = _pay(api(staff["frontdesk"]), bill, "100.00")
    assert response.status_code == 201, response.json()
    assert response.json()["receipt_number"] == 1
    bill.refresh_from_db()
    assert (bill.paid, bill.balance, bill.status) == (Decimal("100.00"), Decimal("209.75"), "partial")
    body = api(staff["frontdesk"]).get(f"/api/v1/bills/{bill.pk}/").json()
    assert (body["paid"], body["balance"], body["status"]) == ("100.00", "209.75", "partial")


def test_it_rejects_an_overpayment(bill, staff, api):
    response = _pay(api(staff["frontdesk"]), bill, "309.76")
    assert response.status_code == 400
    assert "amount" in response.json()["errors"]
    assert not Payment.objects.exists() and not Receipt.objects.exists()


def test_an_explicit_prepayment_holds_the_excess_as_credit_for_the_next_bill(bill, staff, api, project):
    response = _pay(api(staff["frontdesk"]), bill, "400.00", prepayment=True)
    assert response.status_code == 201, response.json()
    assert (response.json()["applied"], response.json()["credited"]) == ("309.75", "90.25")
    assert UnitCredit.objects.get(unit=bill.unit).balance == Decimal("90.25")
    services.bill_run_create(project=project, period="2026-11")
    november = Bill.objects.get(unit=bill.unit, period="2026-11")
    assert (november.paid, november.status) == (Decimal("90.25"), "partial")
    assert UnitCredit.objects.get(unit=bill.unit).balance == Decimal("0.00")


def test_the_same_idempotency_key_twice_gives_one_payment(bill, staff, api):
    client = api(staff["frontdesk"])
    first = _pay(client, bill, "50.00", key="pay-1")
    second = _pay(client, bill, "50.00", key="pay-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Payment.objects.count() == 1
    bill.refresh_from_db()
    assert bill.paid == Decimal("50.00")


def test_a_reused_idempotency_key_with_another_body_is_a_conflict(bill, staff, api):
    client = api(staff["frontdesk"])
    assert _pay(client, bill, "50.00", key="k").status_code == 201
    assert _pay(client, bill, "60.00", key="k").status_code == 409
    assert Payment.objects.count() == 1


def test_a_failed_request_does_not_burn_its_key(bill, staff, api):
    client = api(staff["frontdesk"])
    assert _pay(client, bill, "999.00", key="k2").status_code == 400
    assert _pay(client, bill, "10.00", key="k2").status_code == 201


def test_a_reversal_restores_the_balance_and_keeps_the_payment(bill, staff, api):
    payment_id = _pay(api(staff["frontdesk"]), bill, "309.75").json()["id"]
    bill.refresh_from_db()
    assert bill.status == "paid"
    response = api(staff["manager"]).post(f"/api/v1/payments/{payment_id}/reverse", {"reason": "收错单元"}, format="json")
    assert response.status_code == 201
    assert response.json()["reversed"]["reason"] == "收错单元"
    bill.refresh_from_db()
    assert (bill.paid, bill.balance, bill.status) == (Decimal("0.00"), Decimal("309.75"), "open")
    assert Payment.objects.filter(pk=payment_id).exists() and PaymentReversal.objects.count() == 1
    again = api(staff["manager"]).post(f"/api/v1/payments/{payment_id}/reverse", {"reason": "x"}, format="json")
    assert again.status_code == 409


def test_a_reversal_needs_a_reason_and_a_manager(bill, staff, api):
    payment_id = _pay(api(staff["frontdesk"]), bill, "10.00").json()["id"]
    assert api(staff["frontdesk"]).post(f"/api/v1/payments/{payment_id}/reverse", {"reason": "x"}, format="json").status_code == 403
    assert api(staff["manager"]).post(f"/api/v1/payments/{payment_id}/reverse", {}, format="json").status_code == 400
    assert not PaymentReversal.objects.exists()


def test_payments_cannot_be_edited_or_deleted_through_the_api(bill, staff, api):
    payment_id = _pay(api(staff["frontdesk"]), bill, "10.00").json()["id"]
    client = api(staff["manager"])
    assert client.put(f"/api/v1/payments/{payment_id}/", {"amount": "1.00"}, format="json").status_code == 405
    assert client.patch(f"/api/v1/payments/{payment_id}/", {"amount": "1.00"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/payments/{payment_id}/").status_code == 405
    assert Payment.objects.get(pk=payment_id).amount == Decimal("10.00")


def test_payments_cannot_be_edited_or_deleted_in_the_admin(bill, staff):
    payment = services.payment_record(bill=bill, amount="10.00", method="cash", user=staff["frontdesk"])
    model_admin = admin.site._registry[Payment]
    request = RequestFactory().get("/admin/")
    request.user = staff["manager"]
    staff["manager"].is_superuser = True
    assert not model_admin.has_change_permission(request, payment)
    assert not model_admin.has_delete_permission(request, payment)
    assert not admin.site._registry[Bill].has_delete_permission(request, bill)


def test_a_butler_collects_only_on_their_floors(staff, api, project, mgmt_fee, make_unit):
    from datetime import date

    from dutydesk.billing.models import UnitCharge
    mine, other = make_unit("501", floor=5), make_unit("2001", floor=20)
    for u in (mine, other):
        UnitCharge.objects.create(unit=u, item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-10")
    client = api(staff["butler"])
    assert _pay(client, mine.bills.get(), "10.00").status_code == 201
    assert _pay(client, other.bills.get(), "10.00").status_code == 404
    assert client.get(f"/api/v1/bills/{other.bills.get().pk}/").status_code == 404


def test_staff_without_collect_may_not_record_payments(bill, staff, api):
    assert _pay(api(staff["supervisor"]), bill, "10.00").status_code == 403
    assert _pay(api(staff["archivist"]), bill, "10.00").status_code == 403
    assert not Payment.objects.exists()


def test_receipt_numbers_run_per_project_without_gaps(bill, staff):
    numbers = [services.payment_record(bill=bill, amount="1.00", method="cash", user=staff["frontdesk"]).receipt.number
               for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_bank_collection_is_accepted_as_a_method(bill, staff, api):
    response = api(staff["frontdesk"]).post("/api/v1/payments/", {"bill": bill.pk, "amount": "9.75", "method": "collection"},
                                            format="json")
    assert response.status_code == 201 and response.json()["method"] == "collection"


def test_payment_list_runs_a_constant_number_of_queries(bill, staff, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(4):
        services.payment_record(bill=bill, amount="1.00", method="cash", user=staff["frontdesk"])
    client = api(staff["manager"])
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/payments/", {"page_size": 2}).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert client.get("/api/v1/payments/", {"page_size": 200}).json()["count"] == 4
    assert len(small) == len(large)


def test_a_prepayment_without_a_bill_is_held_as_credit(billed_unit, staff, api, project):
    response = api(staff["frontdesk"]).post("/api/v1/payments/", {"unit": billed_unit.pk, "amount": "500.00",
                                                                   "method": "transfer", "prepayment": True}, format="json")
    assert response.status_code == 201 and response.json()["credited"] == "500.00"
    services.bill_run_create(project=project, period="2026-10")
    bill = Bill.objects.get(unit=billed_unit)
    assert (bill.paid, bill.status) == (Decimal("309.75"), "paid")
    assert UnitCredit.objects.get(unit=billed_unit).balance == Decimal("190.25")
