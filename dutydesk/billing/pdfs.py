"""Printable documents in Chinese on A4: fee notices (交费通知单), receipts (收款收据) and
arrears follow-up notices (催缴通知单). Always rendered in simplified Chinese."""
import io
from decimal import Decimal

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from dutydesk.archive.selectors import ledger_order
from dutydesk.billing.models import Payment
from dutydesk.billing.selectors import arrears_brought_forward
from dutydesk.core import pdf
from dutydesk.core.money import amount_in_chinese_capitals, format_amount


def _unit_label(unit):
    return f"{unit.building.name}-{unit.number}"


def _owner(unit):
    resident = next((r for r in unit.residents.all() if r.role == "owner"), None) or next(iter(unit.residents.all()), None)
    return resident.name if resident else ""


def _fee_notice_story(bill):
    unit, project = bill.unit, bill.project
    forward = arrears_brought_forward(unit=unit, period=bill.period)
    story = [
        pdf.paragraph(project.name, "heading"),
        pdf.paragraph(_("Fee notice"), "title"),
        pdf.table([[_("Unit"), _unit_label(unit), pgettext("billing", "Owner"), _owner(unit)],
                   [_("Period"), bill.period, _("Due date"), bill.due_date.isoformat()]], header=False),
        pdf.spacer(),
        pdf.table([[_("Item"), _("Quantity"), _("Unit price"), _("Days"), _("Amount")]]
                  + [[line.description, line.quantity, format_amount(line.unit_price, symbol=""), line.days or "", format_amount(line.amount, symbol="")]
                     for line in bill.lines.all()], align_right_from=1),
        pdf.spacer(),
        pdf.table([[_("This period"), format_amount(bill.amount)],
                   [_("Already paid"), format_amount(bill.paid)],
                   [_("Arrears brought forward"), format_amount(forward)],
                   [_("Total to pay"), format_amount(bill.balance + forward)],
                   [_("In words"), amount_in_chinese_capitals(bill.balance + forward)]], header=False),
        pdf.paragraph(_("How to pay"), "heading"),
        pdf.paragraph(project.payment_instructions or _("Please pay at the customer-service centre.")),
        pdf.spacer(),
        pdf.paragraph(_("Please pay by the due date; overdue balances may incur late fees under the property "
                        "service contract."), "small"),
    ]
    return story


def fee_notice_pdf(bills):
    """One page per bill (a single unit or a whole building)."""
    bills = list(bills)
    with override("zh-hans"):
        story = []
        for index, bill in enumerate(bills):
            if index:
                story.append(pdf.page_break())
            story.extend(_fee_notice_story(bill))
        if not story:
            story = [pdf.paragraph(_("No bills."))]
        return pdf.render(story, title=_("Fee notice"))


def bills_for_notices(queryset):
    return (queryset.select_related("unit__building", "project")
            .prefetch_related("lines", "unit__residents").order_by(*ledger_order()))


def staff_name(user):
    """The clerk as people know them: the name on file (Chinese names sit in first_name), never the login."""
    if user is None:
        return ""
    name = f"{user.last_name}{user.first_name}" if user.last_name else user.first_name
    return name.strip() or _("(no name on file)")


def _payer(payment):
    unit = payment.unit
    residents = list(unit.residents.all()) if unit else []
    owner = next((r for r in residents if r.role == "owner"), None) or (residents[0] if residents else None)
    return owner.name if owner else (_unit_label(unit) if unit else "")


NUMBER = pdf.STYLES["number"]


def _figure(value):
    """An amount cell, right-aligned so the figures line up."""
    return Paragraph(format_amount(value, symbol=""), NUMBER)


def _receipt_items(payment):
    """What was paid for: the bill's lines, or the prepayment."""
    bill = payment.bill
    if bill is None:
        return [[_("Prepayment"), "", _figure(payment.amount)]]
    rows = [[line.description, bill.period, _figure(line.amount)] for line in bill.lines.all()]
    return rows or [[_("Bill of %(period)s") % {"period": bill.period}, bill.period, _figure(bill.amount)]]


def _render_half_page(story, *, title):
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=RECEIPT_PAGE, title=title, author="DutyDesk 岗责通", leftMargin=10 * mm,
                      rightMargin=10 * mm, topMargin=8 * mm, bottomMargin=8 * mm).build(list(story))
    return buffer.getvalue()


RECEIPT_PAGE = landscape(A5)  # half an A4 sheet: two receipts per page on the counter printer


def receipt_pdf(payment):
    """收款收据 on A5 landscape: payer, unit, number, date, items, amount in figures and in
    capitals, method, cashier, and a box for the seal."""
    receipt = payment.receipt
    unit = payment.unit
    reversal = getattr(payment, "reversal", None)
    width = RECEIPT_PAGE[0] - 20 * mm
    with override("zh-hans"):
        head = pdf.table([[_("Receipt number"), receipt.label, _("Date"), timezone.localtime(receipt.issued_at).strftime("%Y-%m-%d")],
                          [_("Payer"), _payer(payment), _("Unit"), _unit_label(unit) if unit else ""]],
                         col_widths=[0.16 * width, 0.34 * width, 0.16 * width, 0.34 * width], header=False)
        items = pdf.table([[_("Item"), _("Bill period"), Paragraph(_("Amount (yuan)"), NUMBER)]] + _receipt_items(payment),
                          col_widths=[0.5 * width, 0.2 * width, 0.3 * width], align_right_from=2)
        rows = [[_("Total"), format_amount(payment.amount), _("In words"), amount_in_chinese_capitals(payment.amount)],
                [pgettext("billing", "Method"), Payment.Method(payment.method).label, _("Cashier"),
                 staff_name(payment.received_by)]]
        if payment.credited:
            rows.append([_("Held as credit"), format_amount(payment.credited), _("Applied to the bill"),
                         format_amount(payment.applied)])
        totals = pdf.table(rows, col_widths=[0.16 * width, 0.24 * width, 0.16 * width, 0.44 * width], header=False)
        seal = Table([[pdf.paragraph(_("Payer's signature:"), "small"), pdf.paragraph(_("Cashier's signature:"), "small"),
                       pdf.paragraph(_("Seal"), "small")]],
                     colWidths=[0.34 * width, 0.34 * width, 0.32 * width], rowHeights=[22 * mm])
        seal.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (2, 0), (2, 0), 0.5, colors.grey)]))
        story = [pdf.paragraph(payment.project.name, "small"), pdf.paragraph(_("Receipt"), "title"),
                 head, pdf.spacer(2), items, pdf.spacer(2), totals]
        if reversal:
            story += [pdf.paragraph(_("REVERSED on %(date)s: %(reason)s") % {
                "date": timezone.localtime(reversal.reversed_at).strftime("%Y-%m-%d"), "reason": reversal.reason}, "heading")]
        story += [pdf.spacer(2), seal]
        return _render_half_page(story, title=_("Receipt"))


def dunning_pdf(notices, project, on, progress=None):
    """One arrears follow-up notice per unit (催缴通知单); ``progress()`` after each (a background job's bar)."""
    with override("zh-hans"):
        story = []
        for index, notice in enumerate(notices):
            if progress is not None and index:
                progress()
            if index:
                story.append(pdf.page_break())
            story += [pdf.paragraph(project.name, "heading"), pdf.paragraph(_("Arrears follow-up notice"), "title"),
                      pdf.paragraph(_("Dear resident of unit %(unit)s:") % {"unit": _unit_label(notice.unit)}),
                      pdf.spacer(),
                      pdf.paragraph(_("As of %(date)s your property fees of ¥%(balance)s (the oldest due on "
                                      "%(oldest)s) are unpaid. Please pay as soon as possible.")
                                    % {"date": on, "balance": format_amount(notice.balance, symbol=""), "oldest": notice.oldest_due_date}),
                      pdf.paragraph(_("How to pay"), "heading"),
                      pdf.paragraph(project.payment_instructions or _("Please pay at the customer-service centre."))]
        if not story:
            story = [pdf.paragraph(_("No arrears."))]
        return pdf.render(story, title=_("Arrears follow-up notice"))

