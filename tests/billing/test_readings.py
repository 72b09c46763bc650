import io
from decimal import Decimal

from openpyxl import Workbook

from dutydesk.billing.models import MeterReading


def _post(client, unit, item, period, reading, **extra):
    return client.post("/api/v1/meter-readings/", {"unit": unit.pk, "item": item.pk, "period": period,
                                                   "reading": reading, **extra}, format="json")


def _history(unit, item, readings):
    """Baseline in 2026-05, then usages of about 10 a month."""
    previous = None
    for index, value in enumerate(readings):
        MeterReading.objects.create(unit=unit, item=item, period=f"2026-0{5 + index}", reading=value,
                                    usage=0 if previous is None else value - previous)
        previous = value


def test_the_archivist_records_a_reading_and_its_usage(unit, water, staff, api):
    _history(unit, water, [100, 110, 121, 130])
    response = _post(api(staff["archivist"]), unit, water, "2026-09", "141.50")
    assert response.status_code == 201, response.json()
    assert response.json()["usage"] == "11.50"


def test_it_rejects_a_reading_lower_than_the_last(unit, water, staff, api):
    _history(unit, water, [100, 110])
    response = _post(api(staff["archivist"]), unit, water, "2026-07", "99")
    assert response.status_code == 400 and "reading" in response.json()["errors"]
    assert MeterReading.objects.count() == 2


def test_a_far_jump_needs_confirmation_and_is_then_flagged(unit, water, staff, api):
    _history(unit, water, [100, 110, 121, 130])  # usual usage ≈ 10
    client = api(staff["archivist"])
    refused = _post(client, unit, water, "2026-09", "170")  # 40 > 3 × 10
    assert refused.status_code == 400 and "reading" in refused.json()["errors"]
    confirmed = _post(client, unit, water, "2026-09", "170", confirm=True)
    assert confirmed.status_code == 201 and confirmed.json()["flagged"] is True


def test_readings_need_billing_run_permission(unit, water, staff, api):
    _history(unit, water, [100])
    assert _post(api(staff["frontdesk"]), unit, water, "2026-06", "110").status_code == 403
    assert _post(api(staff["butler"]), unit, water, "2026-06", "110").status_code == 403


def _workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["楼栋", "房号", "收费项目", "期间", "读数", "确认"])
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    output.seek(0)
    output.name = "readings.xlsx"
    return output


def test_the_excel_import_stores_all_rows_or_none(unit, water, staff, api, project, make_unit):
    other = make_unit("308")
    _history(unit, water, [100, 110])
    client = api(staff["archivist"])
    bad = _workbook([["A", "1201", "water", "2026-07", 121, ""], ["A", "308", "water", "2026-07", "abc", ""],
                     ["A", "9999", "water", "2026-07", 5, ""]])
    response = client.post("/api/v1/meter-readings/import", {"project": project.pk, "file": bad}, format="multipart")
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]["rows"]] == [(3, "读数"), (4, "房号")]
    assert MeterReading.objects.count() == 2
    lower = _workbook([["A", "1201", "水费", "2026-07", 105, ""]])
    response = client.post("/api/v1/meter-readings/import", {"project": project.pk, "file": lower}, format="multipart")
    assert response.status_code == 400 and response.json()["errors"]["rows"][0]["row"] == 2
    good = _workbook([["A", "1201", "water", "2026-07", 121, ""], ["A", "308", "水费", "2026-07", 40, ""]])
    response = client.post("/api/v1/meter-readings/import", {"project": project.pk, "file": good}, format="multipart")
    assert response.status_code == 201 and response.json() == {"created": 2}
    assert MeterReading.objects.get(unit=unit, period="2026-07").usage == Decimal("11.00")
    assert MeterReading.objects.get(unit=other).usage == 0


def test_a_reading_for_an_already_billed_period_is_a_conflict(unit, water, staff, api, project):
    from dutydesk.billing import services

    _history(unit, water, [100])
    services.bill_run_create(project=project, period="2026-06")
    assert _post(api(staff["archivist"]), unit, water, "2026-06", "110").status_code == 409
