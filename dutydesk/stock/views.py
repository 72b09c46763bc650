"""The stores' staff pages (server-rendered, phone-width first: a keeper works with a phone in the warehouse).

Items and levels, receiving, the pending batches with their inspect buttons (htmx: the row answers in place), the
issue form that shows which batches were taken, stocktakes, the slips to approve and the 三级数量帐 with its Excel
export. Forms go through the API's input serializers and the same services, so a page says what the API says."""
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.audit import history_rows
from dutydesk.core.background import runs_in_background
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.tasks import job_enqueue
from dutydesk.org import access
from dutydesk.stock import exports, selectors, services
from dutydesk.stock import serializers as s
from dutydesk.stock.api import ledger_range, project_item, valid
from dutydesk.stock.models import Item, Receipt
from dutydesk.web.forms import error_lists, error_text
from dutydesk.web.params import int_param, project_choice

# (name, label, url name, permission)
TABS = [
    ("levels", gettext_lazy("Stock levels"), "stock:levels", "stock.view"),
    ("receive", gettext_lazy("Receive"), "stock:receive", "stock.receive"),
    ("pending", gettext_lazy("Inspect"), "stock:pending", "stock.inspect"),
    ("issue", pgettext_lazy("stock", "Issue"), "stock:issue", "stock.issue"),
    ("count", gettext_lazy("Stocktake"), "stock:count", "stock.count"),
    ("slips", gettext_lazy("Slips to approve"), "stock:slips", "stock.approve"),
    ("ledger", gettext_lazy("Quantity ledger"), "stock:ledger", "stock.view"),
]
RECENT = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, template: str, tab: str, project: Project, projects: Any, **context: Any) -> HttpResponse:
    tabs = [{"name": name, "label": label, "url": reverse(url_name), "active": name == tab}
            for name, label, url_name, perm in TABS if access.has_perm(request.user, perm, project)]
    return render(request, template, {"project": project, "projects": projects, "tabs": tabs, "tab": tab,
                                      "today": clock.today(), **context})


def _back(name: str, project: Project, **params: Any) -> HttpResponse:
    query = "&".join([f"project={project.pk}", *(f"{key}={value}" for key, value in params.items())])
    return redirect(f"{reverse(name)}?{query}")


def _outside(request) -> str:
    """A form posted for a project the user may not act in is a 403; a page opened with one shows the first."""
    return "deny" if request.method == "POST" else "first"


def _errors(exc: ValidationError | BusinessRuleError) -> dict[str, list[str]]:
    return error_lists(exc)


def _item_choices(project: Project, *, with_stock: bool = False) -> Any:
    """The project's active items for the forms' item pickers; ``with_stock``: with what may be issued (one grouped
    query; only the issue form shows it)."""
    items = Item.objects.filter(project=project, active=True)
    return selectors.levels(items=items) if with_stock else items.order_by("code", "id")


# ---------------------------------------------------------------- items and levels
@access.staff_required("stock.view")
def levels(request):
    project, projects = project_choice(request, "stock.view", outside="first")
    rows = selectors.levels(items=Item.objects.filter(project=project))
    if request.GET.get("below") == "1":
        rows = rows.filter(below_safety=True)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return _page(request, "stock/levels.html", "levels", project, projects, page=page,
                 below=request.GET.get("below") == "1",
                 can_manage=access.has_perm(request.user, "stock.manage", project), form={}, errors={})


@access.staff_required("stock.view")
def item_detail(request, pk):
    item = get_object_or_404(selectors.items_visible_to(request.user), pk=pk)
    batches = (Receipt.objects.filter(item=item).select_related("received_by", "inspected_by")
               .order_by("-received_at", "-id")[:50])
    level = selectors.levels(items=Item.objects.filter(pk=item.pk)).get()
    return _page(request, "stock/item.html", "levels", item.project, None, item=item, level=level, batches=batches,
                 can_manage=access.has_perm(request.user, "stock.manage", item.project),
                 history=history_rows(item, limit=20), errors={})


@access.staff_required("stock.manage")
@require_POST
def item_save(request):
    """Create an item (from the levels page) or change one (from its page)."""
    pk = int_param(request.POST, "item")
    item = get_object_or_404(selectors.items_visible_to(request.user), pk=pk) if pk else None
    project = item.project if item else get_object_or_404(Project, pk=int_param(request.POST, "project") or 0)
    access.require(request.user, "stock.manage", project)
    data = _blank_to_none(request.POST, "shelf_life_days", "safety_stock")
    data["active"] = "true" if (item is None or request.POST.get("active")) else "false"
    try:
        fields = valid(s.ItemSerializer, data)
        fields.pop("project", None)
        saved = services.item_save(project=project, item=item, **fields)
    except (ValidationError, BusinessRuleError) as exc:
        if item is not None:
            level = selectors.levels(items=Item.objects.filter(pk=item.pk)).get()
            return _page(request, "stock/item.html", "levels", project, None, item=item, level=level,
                         batches=item.receipts.order_by("-received_at")[:50], can_manage=True,
                         history=history_rows(item, limit=20), errors=_errors(exc), form=request.POST)
        rows = selectors.levels(items=Item.objects.filter(project=project))
        return _page(request, "stock/levels.html", "levels", project, None, page=Paginator(rows, 50).get_page(1),
                     can_manage=True, form=request.POST, errors=_errors(exc), open_form=True)
    messages.success(request, _("Item %(item)s saved.") % {"item": saved})
    if item is not None:
        return redirect("stock:item", pk=saved.pk)
    return _back("stock:levels", project)


# ---------------------------------------------------------------- receiving
@access.staff_required("stock.receive")
def receive(request):
    project, projects = project_choice(request, "stock.receive", outside=_outside(request))
    errors = dict[str, list[str]]()
    if request.method == "POST":
        access.require(request.user, "stock.receive", project)
        try:
            data = valid(s.ReceiptCreateSerializer, _blank_to_none(request.POST, "expires_on", "produced_on"))
            item = project_item(project, data.pop("item"))
            receipt = services.receipt_record(project=project, item=item, received_by=request.user, **data)
        except (ValidationError, BusinessRuleError) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Received %(quantity)s %(unit)s of %(item)s, batch %(batch)s: it waits for "
                                        "inspection.") % {"quantity": services.quantity_text(receipt.quantity),
                                                          "unit": item.unit, "item": item.name, "batch": receipt.batch})
            return _back("stock:receive", project)
    recent = (Receipt.objects.filter(project=project).select_related("item", "received_by")
              .order_by("-received_at", "-id")[:RECENT])
    return _page(request, "stock/receive.html", "receive", project, projects, items=_item_choices(project),
                 recent=recent, errors=errors, form=request.POST if errors else {},
                 can_inspect=access.has_perm(request.user, "stock.inspect", project))


def _blank_to_none(post: Any, *names: str) -> Any:
    data = post.copy()
    for name in names:
        if not data.get(name, "").strip():
            data.pop(name, None)
    return data


@access.staff_required("stock.inspect")
def pending(request):
    project, projects = project_choice(request, "stock.inspect", outside="first")
    return _page(request, "stock/pending.html", "pending", project, projects,
                 receipts=selectors.pending_receipts(project=project)[:200])


@access.staff_required("stock.inspect")
@require_POST
def inspect(request, pk):
    receipt = get_object_or_404(selectors.receipts_visible_to(request.user), pk=pk)
    access.require(request.user, "stock.inspect", receipt.project_id)
    error = ""
    try:
        data = valid(s.InspectSerializer, request.POST)
        receipt = services.receipt_inspect(receipt=receipt, inspected_by=request.user, **data)
    except (ValidationError, BusinessRuleError) as exc:
        error = error_text(exc)
    except StateConflict as exc:
        error = exc.detail
    receipt = selectors.receipts_visible_to(request.user).get(pk=receipt.pk)
    if request.headers.get("HX-Request"):
        return render(request, "stock/_pending_row.html", {"receipt": receipt, "error": error, "today": clock.today()})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Batch %(batch)s: %(zone)s.") % {"batch": receipt.batch,
                                                                     "zone": receipt.get_zone_display()})
    return _back("stock:pending", receipt.project)


# ---------------------------------------------------------------- issue
@access.staff_required("stock.issue")
def issue(request):
    project, projects = project_choice(request, "stock.issue", outside=_outside(request))
    errors = dict[str, list[str]]()
    if request.method == "POST":
        access.require(request.user, "stock.issue", project)
        try:
            data = valid(s.IssueCreateSerializer, request.POST)
            item = project_item(project, data.pop("item"))
            done = services.issue_record(project=project, item=item, issued_by=request.user, **data)
        except (ValidationError, BusinessRuleError) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Issued %(quantity)s %(unit)s of %(item)s to %(to)s.") % {
                "quantity": services.quantity_text(done.quantity), "unit": item.unit, "item": item.name,
                "to": done.to})
            return _back("stock:issue", project, done=done.pk)
    issues = selectors.issues_visible_to(request.user).filter(project=project).order_by("-issued_at", "-id")
    done_pk = int_param(request.GET, "done")
    done_issue = issues.filter(pk=done_pk).first() if done_pk else None
    return _page(request, "stock/issue.html", "issue", project, projects,
                 items=_item_choices(project, with_stock=True), recent=issues[:RECENT], done=done_issue,
                 errors=errors, form=request.POST if errors else {})


# ---------------------------------------------------------------- stocktake
@access.staff_required("stock.count")
def count(request):
    project, projects = project_choice(request, "stock.count", outside=_outside(request))
    errors = dict[str, list[str]]()
    if request.method == "POST":
        access.require(request.user, "stock.count", project)
        try:
            data = valid(s.CountCreateSerializer, request.POST)
            item = project_item(project, data.pop("item"))
            stocktake = services.count_record(project=project, item=item, counted_by=request.user, **data)
        except (ValidationError, BusinessRuleError) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Stocktake of %(item)s saved: book %(book)s, counted %(counted)s, "
                                        "difference %(difference)s.") % {
                "item": item.name, "book": services.quantity_text(stocktake.book),
                "counted": services.quantity_text(stocktake.counted),
                "difference": services.quantity_text(stocktake.difference)})
            return _back("stock:count", project)
    counts = selectors.counts_visible_to(request.user).filter(project=project).order_by("-counted_at", "-id")
    items = _item_choices(project)
    return _page(request, "stock/count.html", "count", project, projects, items=items, recent=counts[:RECENT],
                 errors=errors, form=request.POST if errors else {})


# ---------------------------------------------------------------- slips approved
@access.staff_required("stock.approve")
def slips(request):
    project, projects = project_choice(request, "stock.approve", outside="first")
    receipts, issues = selectors.slips_to_approve(project=project)
    return _page(request, "stock/slips.html", "slips", project, projects, receipts=receipts[:100],
                 issues=issues[:100])


@access.staff_required("stock.approve")
@require_POST
def slip_approve(request, kind, pk):
    queryset = {"receipt": selectors.receipts_visible_to(request.user),
                "issue": selectors.issues_visible_to(request.user)}.get(kind)
    if queryset is None:
        raise PermissionDenied
    slip = get_object_or_404(queryset, pk=pk)
    access.require(request.user, "stock.approve", slip.project_id)
    try:
        services.slip_approve(slip=slip, approved_by=request.user)
    except StateConflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Slip approved."))
    return _back("stock:slips", slip.project)


# ---------------------------------------------------------------- the 三级数量帐
def _ledger_request(request) -> tuple[Project, Any, date, date, Item | None, dict[str, list[str]]]:
    project, projects = project_choice(request, "stock.view", outside="first")
    return (project, projects, *_ledger_choice(request.GET, project))


def _ledger_choice(params: Any, project: Project) -> tuple[date, date, Item | None, dict[str, list[str]]]:
    """The ledger's days and item from ``params`` (``from``, ``to``, ``item``); bad dates: today, and the errors."""
    errors = dict[str, list[str]]()
    try:
        start, end = ledger_range(params)
    except BusinessRuleError as exc:
        errors = exc.errors
        start = end = clock.today()
    item_id = int_param(params, "item")
    item = Item.objects.filter(project=project, pk=item_id).first() if item_id else None
    return start, end, item, errors


@access.staff_required("stock.view")
def ledger(request):
    project, projects, start, end, item, errors = _ledger_request(request)
    rows = selectors.ledger(project=project, start=start, end=end, item=item)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    choices = Item.objects.filter(project=project).order_by("code").values_list("pk", "code", "name")
    return _page(request, "stock/ledger.html", "ledger", project, projects, page=page, start=start, end=end,
                 item=item, items=choices, errors=errors, in_background=runs_in_background())


@access.staff_required("stock.view")
def ledger_export(request):
    """The same rows as an Excel sheet, built while the request waits (no worker pool)."""
    project, _projects, start, end, item, _errors = _ledger_request(request)
    content, filename = exports.ledger_file(project=project, start=start, end=end, item=item)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access.staff_required("stock.view")
@require_POST
def ledger_export_job(request):
    """The export as a background job (with a worker pool: a month of a large store is tens of thousands of rows);
    the job's page shows its progress and the download."""
    project = get_object_or_404(Project, pk=int_param(request.POST, "project") or 0)
    access.require(request.user, "stock.view", project)
    start, end, item, errors = _ledger_choice(request.POST, project)
    if errors:
        messages.error(request, "; ".join(message for field in errors.values() for message in field))
        return _back("stock:ledger", project)
    params = {"project": project.pk, "start": start.isoformat(), "end": end.isoformat(),
              "item": item.pk if item else None}
    return redirect("job", pk=job_enqueue("stock.export_ledger", user=request.user, params=params).pk)
