from datetime import date

from dutydesk.billing import services
from dutydesk.billing.models import UnitCharge


def test_a_resident_sees_their_bills_balance_receipts_and_how_to_pay(bill, resident_user, staff, project, client):
    project.payment_instructions = "请到A座大堂客户服务中心缴费"
    project.save()
    payment = services.payment_record(bill=bill, amount="9.75", method="cash", user=staff["frontdesk"])
    client.force_login(resident_user)
    page = client.get("/portal/billing/").content.decode()
    assert "2026-10" in page and "¥300.00" in page and "请到A座大堂客户服务中心缴费" in page
    receipt = client.get(f"/portal/billing/receipts/{payment.pk}.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"


def test_a_resident_cannot_open_other_units_bills_or_receipts(bill, resident_user, staff, project, mgmt_fee, make_unit,
                                                              client, api):
    neighbour = make_unit("1202", floor=12)
    UnitCharge.objects.create(unit=neighbour, item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-11")
    other_bill = neighbour.bills.get()
    other_payment = services.payment_record(bill=other_bill, amount="1.00", method="cash", user=staff["frontdesk"])
    resident_api = api(resident_user)
    assert resident_api.get(f"/api/v1/bills/{other_bill.pk}/").status_code == 404
    assert resident_api.get(f"/api/v1/payments/{other_payment.pk}/receipt").status_code == 404
    assert {b["unit"] for b in resident_api.get("/api/v1/bills/").json()["results"]} == {bill.unit_id}
    client.force_login(resident_user)
    assert client.get(f"/portal/billing/receipts/{other_payment.pk}.pdf").status_code == 404
    assert client.get(f"/portal/billing/bills/{other_bill.pk}/notice.pdf").status_code == 404
    assert client.get(f"/portal/billing/bills/{bill.pk}/notice.pdf").status_code == 200


def test_a_resident_cannot_record_payments(bill, resident_user, api):
    response = api(resident_user).post("/api/v1/payments/", {"bill": bill.pk, "amount": "1.00", "method": "cash"}, format="json")
    assert response.status_code == 403


def test_staff_pages_render_for_the_manager(bill, staff, client):
    client.force_login(staff["manager"])
    for url in ("/billing/", "/billing/bills/", f"/billing/bills/{bill.pk}/", "/billing/arrears/", "/billing/cash-up/",
                f"/billing/runs/{bill.run_id}/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "309.75" in client.get(f"/billing/bills/{bill.pk}/").content.decode()


def test_the_overview_reads_receivable_before_received_in_each_building(bill, staff, client):
    """The summary and the table by building read their money in one order: 应收, 实收, 收费率."""
    services.payment_record(bill=bill, amount="100.00", method="cash", user=staff["frontdesk"])
    client.force_login(staff["manager"])
    page = client.get("/billing/", {"period": bill.period}).content.decode()
    table = page[page.index("按楼栋"):]
    assert table.index("应收") < table.index("实收") < table.index("收费率")
    row = table[table.index("<tbody>"):table.index("</tbody>")]
    assert row.index("309.75") < row.index("100.00")  # the building's receivable, then what came in


def test_staff_pages_are_hidden_from_residents_and_other_floors(bill, staff, resident_user, client, make_unit, mgmt_fee, project):
    client.force_login(resident_user)
    assert client.get("/billing/").status_code == 403  # issue 9: the site's 403, not a 404
    far = make_unit("2501", floor=25)
    UnitCharge.objects.create(unit=far, item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-11")
    client.force_login(staff["butler"])
    assert client.get(f"/billing/bills/{far.bills.get().pk}/").status_code == 404
    assert client.post(f"/billing/bills/{far.bills.get().pk}/pay", {"amount": "1", "method": "cash"}).status_code == 404


def test_the_pay_form_is_idempotent(bill, staff, client):
    client.force_login(staff["frontdesk"])
    data = {"amount": "100.00", "method": "cash", "idempotency_key": "form-1", "confirmed": "yes"}
    client.post(f"/billing/bills/{bill.pk}/pay", data)
    client.post(f"/billing/bills/{bill.pk}/pay", data)
    bill.refresh_from_db()
    assert bill.paid == 100 and bill.payments.count() == 1
