"""Staff pages and the resident's billing page (server-rendered; they call the same services)."""
import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dutydesk.archive.models import Building, Project
from dutydesk.archive.selectors import ledger_order
from dutydesk.billing import pdfs, selectors, services
from dutydesk.billing.models import BillRun, DunningNotice, DunningRun, Payment
from dutydesk.core import clock
from dutydesk.core.audit import history_rows
from dutydesk.core.background import runs_in_background
from dutydesk.core.money import format_amount, to_cents
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.idempotency import idempotent
from dutydesk.core.paging import BoundedPaginator
from dutydesk.core.periods import Period
from dutydesk.core.tasks import job_enqueue
from dutydesk.org import access
from dutydesk.web.params import int_param, project_choice


def _period(request) -> str:
    """The ``period`` asked for, if it is a real YYYY-MM month (anything else is ignored)."""
    period = Period.parse_or_none(request.GET.get("period"))
    return period.label if period else ""


def _pdf(data, filename):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@access.staff_required("billing.view")
def home(request):
    project, projects = project_choice(request, "billing.view", outside="first")
    period = _period(request) or selectors.latest_period_with_bills(project=project)
    total, buildings = selectors.collection_by_building_with_total(project=project, period=period)
    context = {
        "project": project, "projects": projects, "period": period, "rate": total,
        "target": selectors.collection_rate_target(),
        "trend": selectors.collection_rate_trend(project=project, until_period=period, months=6),
        "buildings": buildings,
        "runs": BillRun.objects.filter(project=project)[:12],
        "can_run": access.has_perm(request.user, "billing.run", project),
        "next_period": selectors.current_period(),
        "in_background": runs_in_background(),
    }
    return render(request, "billing/home.html", context)


@access.staff_required("billing.view")
@require_POST
def run_create(request):
    project = get_object_or_404(Project, pk=int_param(request.POST, "project") or 0)
    access.require(request.user, "billing.run", project)
    month = Period.parse_or_none(request.POST.get("period"))
    if month is None:
        messages.error(request, _("Use the form YYYY-MM."))
        return redirect(f"{reverse('billing:home')}?project={project.pk}")
    try:
        if runs_in_background():  # a worker pool: the run goes to a job and the page shows its progress
            services.check_period_may_be_billed(month.label)
            job = job_enqueue("billing.run", user=request.user, params={"project": project.pk, "period": month.label})
            return redirect("job", pk=job.pk)
        run, created = services.bill_run_create(project=project, period=month.label, user=request.user)
    except BusinessRuleError as exc:
        messages.error(request, " ".join(message for messages_ in exc.errors.values() for message in messages_))
        return redirect(f"{reverse('billing:home')}?project={project.pk}")
    if created:
        services.fee_notice_task_create(run=run)
        messages.success(request, _("%(count)s bills created, total ¥%(total)s.") % {"count": run.bills_created, "total": format_amount(run.total, symbol="")})
    else:
        messages.info(request, _("The bills of this period were already out; nothing new was created."))
    return redirect("billing:run", pk=run.pk)


@access.staff_required("billing.view")
def run_detail(request, pk):
    run = get_object_or_404(BillRun.objects.filter(access.project_scope(request.user, "billing.view")), pk=pk)
    buildings = Building.objects.filter(project=run.project).order_by("name")
    return render(request, "billing/run.html", {"run": run, "buildings": buildings})


@access.staff_required("billing.view")
def bills(request):
    project, projects = project_choice(request, "billing.view", outside="first")
    queryset = selectors.bills_visible_to(request.user).filter(project=project)
    number = request.GET.get("q", "").strip()
    period = _period(request)
    # Opened from the menu: the latest billed month (the form's period stays empty, so a search
    # for a unit then finds all its months).
    default_period = "" if period or number or "period" in request.GET else \
        selectors.latest_period_with_bills(project=project)
    status = request.GET.get("status", "")
    if period or default_period:
        queryset = queryset.filter(period=period or default_period)
    if status:
        queryset = selectors.with_status(queryset, status)
    if number:
        queryset = queryset.filter(selectors.unit_search_q(number))
    rows = selectors.MonthByMonth(queryset, project, period or default_period)
    page = BoundedPaginator(rows, 50, counted=queryset).get_page(request.GET.get("page"))
    return render(request, "billing/bills.html", {"project": project, "projects": projects, "page": page,
                                                  "period": period, "default_period": default_period,
                                                  "status": status, "q": number})


@access.staff_required("billing.view")
def bill_detail(request, pk):
    bill = get_object_or_404(selectors.bills_visible_to(request.user).select_related("project"), pk=pk)
    payments = bill.payments.select_related("receipt", "reversal", "received_by").order_by("received_at")
    context = {
        "bill": bill, "payments": payments, "methods": Payment.Method.choices,
        "can_collect": access.allows_unit(request.user, "billing.collect", bill.unit),
        "can_reverse": access.has_perm(request.user, "billing.reverse", bill.project),
        "idempotency_key": uuid.uuid4().hex,
        "forward": selectors.arrears_brought_forward(unit=bill.unit, period=bill.period),
        "history": history_rows(bill, limit=20),
    }
    return render(request, "billing/bill.html", context)


@access.staff_required("billing.view")
@require_POST
def bill_pay(request, pk):
    """Record a payment in two steps: the form posts here, we show amount and bill for the
    clerk to confirm (a server-side step: no script needed), and the confirmed post records it."""
    bill = get_object_or_404(selectors.bills_visible_to(request.user), pk=pk)
    if not access.allows_unit(request.user, "billing.collect", bill.unit):
        raise PermissionDenied
    data = {"bill": bill.pk, "amount": request.POST.get("amount", "").strip(), "method": request.POST.get("method", ""),
            "prepayment": request.POST.get("prepayment") == "on"}
    amount = to_cents(data["amount"])
    if amount is None or amount <= 0:
        messages.error(request, _("Enter an amount greater than zero."))
        return redirect("billing:bill", pk=bill.pk)
    if data["method"] not in Payment.Method.values:
        messages.error(request, _("Choose a payment method."))
        return redirect("billing:bill", pk=bill.pk)
    if request.POST.get("confirmed") != "yes":
        return render(request, "billing/pay_confirm.html", {
            "bill": bill, "amount": amount, "method": Payment.Method(data["method"]).label, "data": data,
            "reference": request.POST.get("reference", ""), "idempotency_key": request.POST.get("idempotency_key", ""),
            "excess": amount - bill.balance if amount > bill.balance else None})

    def record():
        payment = services.payment_record(bill=bill, amount=data["amount"], method=data["method"],
                                          user=request.user, prepay=data["prepayment"],
                                          reference=request.POST.get("reference", ""))
        return 201, {"id": payment.pk, "receipt": payment.receipt.number}

    try:
        _status, body = idempotent(user=request.user, key=request.POST.get("idempotency_key", ""), data=data,
                                   action=record)
    except (BusinessRuleError, StateConflict) as exc:
        errors = exc.errors.values() if isinstance(exc, BusinessRuleError) else [[exc.detail]]
        for message in (m for group in errors for m in group):
            messages.error(request, message)
        return redirect("billing:bill", pk=bill.pk)
    except ArithmeticError:
        messages.error(request, _("Enter an amount."))
        return redirect("billing:bill", pk=bill.pk)
    messages.success(request, format_html(
        _("Payment recorded: receipt {link}."),
        link=format_html('<a href="{}" target="_blank" class="receipt-link" id="new-receipt">{}</a>',
                         reverse("billing:receipt", args=[body["id"]]), _("No. %(number)08d") % {"number": body["receipt"]})))
    return redirect("billing:bill", pk=bill.pk)


@access.staff_required("billing.view")
@require_POST
def payment_reverse(request, pk):
    payment = get_object_or_404(selectors.payments_visible_to(request.user), pk=pk)
    access.require(request.user, "billing.reverse", payment.project_id)
    try:
        services.payment_reverse(payment=payment, reason=request.POST.get("reason", ""), user=request.user)
        messages.success(request, _("The payment was reversed."))
    except (BusinessRuleError, StateConflict) as exc:
        messages.error(request, str(exc.detail if isinstance(exc, StateConflict) else "; ".join(
            m for group in exc.errors.values() for m in group)))
    return redirect("billing:bill", pk=payment.bill_id) if payment.bill_id else redirect("billing:home")


@access.staff_required("billing.view")
def receipt(request, pk):
    payment = get_object_or_404(selectors.payments_visible_to(request.user).prefetch_related("unit__residents", "bill__lines"), pk=pk)
    return _pdf(pdfs.receipt_pdf(payment), f"receipt-{payment.receipt.label}.pdf")


@access.staff_required("billing.view")
def fee_notices(request, run_pk, building_pk):
    run = get_object_or_404(BillRun.objects.filter(access.project_scope(request.user, "billing.view")), pk=run_pk)
    bills_qs = selectors.bills_visible_to(request.user).filter(run=run, building_id=building_pk)
    return _pdf(pdfs.fee_notice_pdf(pdfs.bills_for_notices(bills_qs)), f"fee-notices-{run.period}-{building_pk}.pdf")


@access.staff_required("billing.view")
def bill_notice(request, pk):
    bill_qs = selectors.bills_visible_to(request.user).filter(pk=pk)
    if not bill_qs.exists():
        raise Http404
    return _pdf(pdfs.fee_notice_pdf(pdfs.bills_for_notices(bill_qs)), f"fee-notice-{pk}.pdf")


@access.staff_required("billing.view")
def arrears(request):
    project, projects = project_choice(request, "billing.view", outside="first")
    try:
        as_of = date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        as_of = clock.today()
    page = Paginator(selectors.arrears_page_rows(request.user, project, as_of), 100).get_page(request.GET.get("page"))
    return render(request, "billing/arrears.html", {
        "project": project, "projects": projects, "as_of": as_of, "page": page,
        "rows": [selectors.arrears_row(r) for r in page.object_list], "in_background": runs_in_background()})


@access.staff_required("billing.view")
def cash_up(request):
    project, projects = project_choice(request, "billing.view", outside="first")
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = clock.today()
    only = None if access.has_perm(request.user, "billing.reverse", project) else request.user
    methods = dict(Payment.Method.choices)
    rows = [{**row, "method_label": methods.get(row["method"], row["method"])}
            for row in selectors.cash_up(project=project, day=day, user=only)]
    return render(request, "billing/cash_up.html", {"project": project, "projects": projects, "day": day, "rows": rows})


@access.staff_required("billing.view")
def dunning_detail(request, pk):
    run = get_object_or_404(DunningRun.objects.filter(access.project_scope(request.user, "billing.view")), pk=pk)
    notices = (DunningNotice.objects.filter(run=run).filter(access.unit_scope(request.user, "billing.view", "unit__"))
               .select_related("unit__building").order_by(*ledger_order()))
    return render(request, "billing/dunning.html", {"run": run, "notices": notices, "in_background": runs_in_background()})


# --- files built by a worker (the buttons when a worker pool runs: a job, then its page with the download) ------

def _posted_date(request, name):
    try:
        return date.fromisoformat(request.POST.get(name, "")).isoformat()
    except ValueError:
        return None


EXPORT_KINDS = {"bills": "billing.export_bills", "payments": "billing.export_payments",
                "arrears": "billing.export_arrears"}


@access.staff_required("billing.view")
@require_POST
def export_job(request, kind):
    """The bills, payments or arrears export as a background job (the same file as the API's export)."""
    wanted = int_param(request.POST, "project")
    project = get_object_or_404(Project, pk=wanted) if wanted else None
    if kind not in EXPORT_KINDS or project is None:
        raise Http404
    access.require(request.user, "billing.view", project)
    params = {"project": project.pk}
    if kind == "bills":
        period = Period.parse_or_none(request.POST.get("period"))
        params["period"] = period.label if period else None
    elif kind == "payments":
        params.update({"from": _posted_date(request, "from"), "to": _posted_date(request, "to")})
    else:
        params["as_of"] = _posted_date(request, "as_of") or clock.today().isoformat()
    return redirect("job", pk=job_enqueue(EXPORT_KINDS[kind], user=request.user, params=params).pk)


@access.staff_required("billing.view")
@require_POST
def dunning_notices_job(request, pk):
    """The dunning run's notices (PDF) as a background job."""
    run = get_object_or_404(DunningRun.objects.filter(access.project_scope(request.user, "billing.view")), pk=pk)
    job = job_enqueue("billing.dunning_notices", user=request.user,
                      params={"project": run.project_id, "run": run.pk, "building": None})
    return redirect("job", pk=job.pk)


# --- resident portal ----------------------------------------------------------------------------

@login_required
def portal_bills(request):
    """A resident's bills, balance, receipts and how to pay (online payment is out of scope)."""
    mine = access.resident_units(request.user, "unit__")
    bills_qs = selectors.bills_visible_to(request.user).filter(mine).order_by("-period")[:24]
    payments = selectors.payments_visible_to(request.user).filter(mine).order_by("-received_at")[:24]
    units = {bill.unit_id: bill.unit for bill in bills_qs}
    projects = Project.objects.filter(units__residents__user=request.user).distinct()
    balance = sum((b.balance for b in selectors.bills_visible_to(request.user).filter(mine).exclude(status="paid")), start=0)
    return render(request, "billing/portal.html", {"bills": bills_qs, "payments": payments, "balance": balance,
                                                   "projects": projects, "units": units})


@login_required
def portal_receipt(request, pk):
    payment = get_object_or_404(selectors.payments_visible_to(request.user).filter(
        access.resident_units(request.user, "unit__")).prefetch_related("unit__residents", "bill__lines"), pk=pk)
    return _pdf(pdfs.receipt_pdf(payment), f"receipt-{payment.receipt.label}.pdf")


@login_required
def portal_notice(request, pk):
    bill_qs = selectors.bills_visible_to(request.user).filter(access.resident_units(request.user, "unit__"), pk=pk)
    if not bill_qs.exists():
        raise Http404
    return _pdf(pdfs.fee_notice_pdf(pdfs.bills_for_notices(bill_qs)), f"fee-notice-{pk}.pdf")
