"""Billing's files (the bills, payments and arrears exports, the dunning notices) built as a user sees them. The API
answers them at once; with a worker pool, or ``Prefer: respond-async``, a background job (``billing/jobs.py``) builds
the same file and stores it for a download. Each returns ``(content, filename)``; ``progress(total)``, when given,
makes the per-row callback of the job's progress bar once the rows are counted (one COUNT)."""
from dutydesk.archive.selectors import ledger_order
from dutydesk.billing import excel, pdfs, selectors
from dutydesk.billing.models import DunningNotice
from dutydesk.org import access


def _per_row(progress, rows):
    if progress is None:
        return None
    return progress(len(rows) if isinstance(rows, list) else rows.count())


def bills_file(*, user, project, period=None, progress=None):
    bills = selectors.bills_visible_to(user).filter(project=project)
    if period:
        bills = bills.filter(period=period)
    return excel.export_bills(bills, progress=_per_row(progress, bills)), "bills.xlsx"


def payments_file(*, user, project, date_from=None, date_to=None, progress=None):
    payments = selectors.payments_visible_to(user).filter(project=project)
    if date_from:
        payments = payments.filter(received_at__date__gte=date_from)
    if date_to:
        payments = payments.filter(received_at__date__lte=date_to)
    rows = payments.order_by("received_at")
    return excel.export_payments(rows, progress=_per_row(progress, payments)), "payments.xlsx"


def arrears_rows(*, user, project, as_of):
    """The aged arrears of the units ``user`` may see (grouped in the database)."""
    return selectors.arrears(project=project, as_of=as_of,
                             queryset=selectors.bills_visible_to(user).filter(project=project))


def arrears_file(*, user, project, as_of, progress=None):
    rows = [selectors.arrears_row(r) for r in arrears_rows(user=user, project=project, as_of=as_of)]
    return excel.export_arrears(rows, progress=_per_row(progress, rows)), f"arrears-{as_of}.xlsx"


def dunning_notices_file(*, user, run, building=None, progress=None):
    """The follow-up notices of a dunning run (the units in ``user``'s scope, of one building if given) as PDF."""
    notices = (DunningNotice.objects.filter(run=run).filter(access.unit_scope(user, "billing.view", "unit__"))
               .select_related("unit__building").order_by(*ledger_order()))
    if building is not None:
        notices = notices.filter(unit__building_id=building)
    content = pdfs.dunning_pdf(notices, run.project, run.date, progress=_per_row(progress, notices))
    return content, f"dunning-{run.date}.pdf"
