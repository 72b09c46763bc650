"""Excel: meter-reading import (all-or-nothing, one error per bad cell) and exports of bills,
payments and arrears (streamed: constant memory whatever the row count)."""
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from dutydesk.archive.models import Unit
from dutydesk.archive.selectors import ledger_order
from dutydesk.billing import services
from dutydesk.core.excel import ExportWorkbook, ImportLimitExceeded, limited_rows, open_workbook
from dutydesk.billing.models import ChargeItem
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.excel import cell_text as _text
from dutydesk.core.money import to_cents
from dutydesk.core.periods import Period

READING_COLUMNS = [("building", "楼栋"), ("number", "房号"), ("item", "收费项目"), ("period", "期间"),
                   ("reading", "读数"), ("confirm", "确认")]
YES = {"1", "y", "yes", "true", "是", "确认", "√"}


def import_readings(data, *, project, user):
    """Returns ``(created, errors)``; with any error nothing is stored. ``data``: bytes or an uploaded file;
    files over the import limits are refused before they are parsed."""
    try:
        return _import_readings(data, project=project, user=user)
    except ImportLimitExceeded as exc:
        return 0, [{"row": 0, "column": "", "message": str(exc)}]


def _import_readings(data, *, project, user):
    errors = []

    def error(row, column, message):
        errors.append({"row": row, "column": column, "message": str(message)})

    try:
        sheet = open_workbook(data).worksheets[0]
    except ImportLimitExceeded:
        raise
    except Exception:
        error(0, "", _("This file is not an Excel workbook (.xlsx)."))
        return 0, errors
    rows = limited_rows(sheet)
    header = [_text(cell).lower() for cell in (next(rows, None) or ())]
    position = {key: header.index(title) for key, chinese in READING_COLUMNS
                for title in (key, chinese) if title in header}
    missing = [chinese for key, chinese in READING_COLUMNS[:5] if key not in position]
    if missing:
        error(1, ", ".join(missing), _("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
        return 0, errors
    units = {(u.building.name, u.number): u for u in Unit.objects.filter(project=project).select_related("building", "project")}
    items = {i.code: i for i in ChargeItem.objects.filter(project=project, basis=ChargeItem.Basis.METERED)}
    items.update({i.name: i for i in items.values()})
    parsed, seen = [], set()
    for number, row in enumerate(rows, start=2):
        values = {key: _text(row[index]) if index < len(row) else "" for key, index in position.items()}
        if not any(values.values()):
            continue
        unit = units.get((values["building"], values["number"]))
        if unit is None:
            error(number, "房号", _("unknown unit %(unit)s") % {"unit": f"{values['building']}-{values['number']}"})
        item = items.get(values["item"])
        if item is None:
            error(number, "收费项目", _("unknown metered item '%(item)s'") % {"item": values["item"]})
        if Period.parse_or_none(values["period"]) is None:
            error(number, "期间", _("period must be YYYY-MM"))
        reading = to_cents(values["reading"])
        if reading is None:
            error(number, "读数", _("reading must be a number"))
        key = (values["building"], values["number"], values["item"], values["period"])
        if key in seen:
            error(number, "房号", _("this meter appears twice for the period"))
        seen.add(key)
        parsed.append((number, unit, item, values["period"], reading, values.get("confirm", "").lower() in YES))
    if errors:
        return 0, errors
    try:
        with transaction.atomic():
            for number, unit, item, period, reading, confirm in parsed:
                try:
                    with transaction.atomic():
                        services.meter_reading_record(unit=unit, item=item, period=period, reading=reading,
                                                      user=user, confirm=confirm)
                except BusinessRuleError as exc:
                    for field, messages in exc.errors.items():
                        for message in messages:
                            error(number, {"reading": "读数", "period": "期间"}.get(field, field), message)
                except StateConflict as exc:
                    error(number, "期间", exc.detail)
            if errors:
                raise _Abort()
    except _Abort:
        return 0, errors
    return len(parsed), errors


class _Abort(Exception):
    pass


def _workbook(title, header):
    workbook = ExportWorkbook()
    return workbook, workbook.sheet(title, header)


def _each(rows, progress):
    """The rows, calling ``progress()`` after each (a background job's progress bar)."""
    for row in rows:
        yield row
        if progress is not None:
            progress()


def export_bills(bills, progress=None):
    workbook, sheet = _workbook("账单", ["楼栋", "房号", "期间", "应收", "已收", "欠费", "状态", "到期日"])
    for bill in _each(bills.select_related("unit__building").order_by(*ledger_order()).iterator(chunk_size=2000),
                      progress):
        sheet.append([bill.unit.building.name, bill.unit.number, bill.period, bill.amount, bill.paid, bill.balance,
                      bill.get_status_display(), bill.due_date])
    return workbook.content()


def export_payments(payments, progress=None):
    workbook, sheet = _workbook("收款", ["收据号", "楼栋", "房号", "账单期间", "金额", "方式", "收款人", "收款时间", "已冲正"])
    for p in _each(payments.select_related("unit__building", "bill", "receipt", "received_by", "reversal")
                   .iterator(chunk_size=2000), progress):
        sheet.append([p.receipt.label if hasattr(p, "receipt") else "", p.unit.building.name, p.unit.number,
                      p.bill.period if p.bill_id else "", p.amount, p.get_method_display(),
                      p.received_by.get_full_name() or p.received_by.username, p.received_at,
                      "是" if hasattr(p, "reversal") else ""])
    return workbook.content()


def export_arrears(rows, progress=None):
    workbook, sheet = _workbook("欠费账龄", ["单元", "账单数", "0–30天", "31–90天", "91–180天", "180天以上", "合计"])
    for row in _each(rows, progress):
        sheet.append([row["unit_label"], row["bills"], Decimal(row["d0_30"]), Decimal(row["d31_90"]),
                      Decimal(row["d91_180"]), Decimal(row["over_180"]), Decimal(row["total"])])
    return workbook.content()
