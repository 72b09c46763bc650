"""Fee notices and receipts are Chinese PDFs on A4 (the text is read back with pypdf)."""
import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from dutydesk.billing import services
from dutydesk.billing.models import UnitCharge
from dutydesk.core.money import amount_in_chinese_capitals


A4 = (595, 842)
A5_LANDSCAPE = (595, 420)  # receipts: half an A4 sheet


def _text(response, size=A4):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == size  # in points
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_a_fee_notice_carries_project_unit_items_arrears_and_how_to_pay(bill, project, staff, api):
    project.payment_instructions = "微信、支付宝请到客户服务中心缴纳"
    project.save()
    services.bill_run_create(project=project, period="2026-11")
    november = bill.unit.bills.get(period="2026-11")
    _reader, text = _text(api(staff["frontdesk"]).get(f"/api/v1/bills/{november.pk}/notice"))
    for expected in ("交费通知单", "阳光花园", "A-1201", "业主", "物业管理费", "309.75", "上期欠费", "619.50",
                     "微信、支付宝请到客户服务中心缴纳", "2026-11-15"):
        assert expected in text, expected


def test_the_batch_fee_notice_of_a_building_has_one_page_per_unit(project, mgmt_fee, make_unit, staff, api, building):
    for number in ("201", "202", "203"):
        UnitCharge.objects.create(unit=make_unit(number, floor=2), item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-10")
    reader, text = _text(api(staff["archivist"]).get("/api/v1/billing/fee-notices", {
        "project": project.pk, "period": "2026-10", "building": building.pk}))
    assert len(reader.pages) == 3
    assert all(f"A-{n}" in text for n in ("201", "202", "203"))


def test_a_receipt_carries_its_number_and_the_amount_in_words(bill, staff, api):
    payment = services.payment_record(bill=bill, amount="309.75", method="alipay", user=staff["frontdesk"])
    _reader, text = _text(api(staff["frontdesk"]).get(f"/api/v1/payments/{payment.pk}/receipt"), A5_LANDSCAPE)
    for expected in ("收款收据", "00000001", "A-1201", "309.75", "叁佰零玖元柒角伍分", "收款方式", "支付宝"):
        assert expected in text, expected


def test_a_reversed_receipt_says_so(bill, staff, api):
    payment = services.payment_record(bill=bill, amount="10.00", method="cash", user=staff["frontdesk"])
    services.payment_reverse(payment=payment, reason="重复收款", user=staff["manager"])
    _reader, text = _text(api(staff["frontdesk"]).get(f"/api/v1/payments/{payment.pk}/receipt"), A5_LANDSCAPE)
    assert "已冲正" in text and "重复收款" in text


def test_amounts_in_words():
    # the receipts' one rule (core.money; the unused copy in billing.pdfs, which left 整 off after 角, is gone):
    # 会计基础工作规范 第五十二条 — an amount ending in 元 or 角 is closed with 整, one ending in 分 is not
    assert amount_in_chinese_capitals(Decimal("1234.50"), prefix="") == "壹仟贰佰叁拾肆元伍角整"
    assert amount_in_chinese_capitals(Decimal("100010.01"), prefix="") == "壹拾万零壹拾元零壹分"
    assert amount_in_chinese_capitals(Decimal("20"), prefix="") == "贰拾元整"
