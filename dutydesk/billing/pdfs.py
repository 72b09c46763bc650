"""Printable documents in Chinese on A4: fee notices (交费通知单), receipts (收款收据) and
arrears follow-up notices (催缴通知单). Always rendered in simplified Chinese."""
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from dutydesk.billing.models import Payment
from dutydesk.billing.selectors import arrears_brought_forward
from dutydesk.core import pdf

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ["", "拾", "佰", "仟"]
GROUPS = ["", "万", "亿"]


def amount_in_words(value):
    """¥ amount in Chinese capital numerals (大写金额), e.g. 1234.50 → 壹仟贰佰叁拾肆元伍角."""
    value = Decimal(value).quantize(Decimal("0.01"))
    yuan, cents = divmod(int(value * 100), 100)
    words, zero, group_index = "", False, 0
    if yuan == 0:
        words = "零"
    while yuan > 0:
        yuan, group = divmod(yuan, 10000)
        part, need_zero = "", False
        for position in range(4):
            group, digit = divmod(group, 10)
            if digit:
                part = DIGITS[digit] + UNITS[position] + ("零" if need_zero and part else "") + part
                need_zero = False
            else:
                need_zero = True
        if part:
            words = part + GROUPS[group_index] + ("零" if zero and words else "") + words
        zero = need_zero or not part
        group_index += 1
    words += "元"
    jiao, fen = divmod(cents, 10)
    if not cents:
        return words + "整"
    return words + (DIGITS[jiao] + "角" if jiao else "零") + (DIGITS[fen] + "分" if fen else "")


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
                  + [[line.description, line.quantity, line.unit_price, line.days or "", line.amount]
                     for line in bill.lines.all()], align_right_from=1),
        pdf.spacer(),
        pdf.table([[_("This period"), f"¥{bill.amount}"],
                   [_("Already paid"), f"¥{bill.paid}"],
                   [_("Arrears brought forward"), f"¥{forward}"],
                   [_("Total to pay"), f"¥{bill.balance + forward}"],
                   [_("In words"), amount_in_words(bill.balance + forward)]], header=False),
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
            .prefetch_related("lines", "unit__residents").order_by("unit__building__name", "unit__floor", "unit__number"))


def receipt_pdf(payment):
    receipt = payment.receipt
    unit = payment.unit
    reversal = getattr(payment, "reversal", None)
    with override("zh-hans"):
        rows = [[_("Receipt number"), receipt.label, _("Date"), timezone.localtime(receipt.issued_at).strftime("%Y-%m-%d %H:%M")],
                [_("Unit"), _unit_label(unit), _("Bill period"), payment.bill.period if payment.bill_id else _("Prepayment")],
                [pgettext("billing", "Method"), Payment.Method(payment.method).label, _("Received by"),
                 payment.received_by.get_full_name() or payment.received_by.username],
                [_("Amount"), f"¥{payment.amount}", _("In words"), amount_in_words(payment.amount)]]
        if payment.credited:
            rows.append([_("Held as credit"), f"¥{payment.credited}", _("Applied to the bill"), f"¥{payment.applied}"])
        story = [pdf.paragraph(payment.project.name, "heading"), pdf.paragraph(_("Receipt"), "title"),
                 pdf.table(rows, header=False)]
        if reversal:
            story += [pdf.spacer(), pdf.paragraph(_("REVERSED on %(date)s: %(reason)s") % {
                "date": timezone.localtime(reversal.reversed_at).strftime("%Y-%m-%d"), "reason": reversal.reason}, "heading")]
        story += [pdf.spacer(8), pdf.paragraph(_("Cashier's signature: ______________    Payer: ______________"))]
        return pdf.render(story, title=_("Receipt"))


def dunning_pdf(notices, project, on):
    """One arrears follow-up notice per unit (催缴通知单)."""
    with override("zh-hans"):
        story = []
        for index, notice in enumerate(notices):
            if index:
                story.append(pdf.page_break())
            story += [pdf.paragraph(project.name, "heading"), pdf.paragraph(_("Arrears follow-up notice"), "title"),
                      pdf.paragraph(_("Dear resident of unit %(unit)s:") % {"unit": _unit_label(notice.unit)}),
                      pdf.spacer(),
                      pdf.paragraph(_("As of %(date)s your property fees of ¥%(balance)s (the oldest due on "
                                      "%(oldest)s) are unpaid. Please pay as soon as possible.")
                                    % {"date": on, "balance": notice.balance, "oldest": notice.oldest_due_date}),
                      pdf.paragraph(_("How to pay"), "heading"),
                      pdf.paragraph(project.payment_instructions or _("Please pay at the customer-service centre."))]
        if not story:
            story = [pdf.paragraph(_("No arrears."))]
        return pdf.render(story, title=_("Arrears follow-up notice"))

