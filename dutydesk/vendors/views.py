"""The vendors' staff pages: the vendor list with the month's evaluations, a vendor's page, the evaluation form (a
score per criterion, usable on a phone) and the year report with its Excel export. Forms go through the API's input
serializers and the same services, so a page says what the API says."""
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from rest_framework.exceptions import ValidationError

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.excel import ExportWorkbook
from dutydesk.core.paging import BoundedPaginator
from dutydesk.core.periods import Period
from dutydesk.core.permissions import Denied
from dutydesk.org import access
from dutydesk.vendors import selectors, services
from dutydesk.vendors import serializers as s
from dutydesk.vendors.api import project_posts, report_year, valid
from dutydesk.vendors.criteria import criteria_for
from dutydesk.vendors.models import Vendor
from dutydesk.web.forms import error_lists
from dutydesk.web.params import int_param, project_choice

TABS = [
    ("list", gettext_lazy("Vendors"), "vendors:list", "vendors.view"),
    ("report", gettext_lazy("Vendor report"), "vendors:report", "vendors.view"),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _page(request, template: str, tab: str, project: Project, projects: Any, **context: Any) -> HttpResponse:
    tabs = [{"name": name, "label": label, "url": reverse(url_name), "active": name == tab}
            for name, label, url_name, perm in TABS if access.has_perm(request.user, perm, project)]
    return render(request, template, {"project": project, "projects": projects, "tabs": tabs, "tab": tab,
                                      "today": clock.today(), **context})


def _default_month() -> Period:
    """The month to evaluate: the one that ended, until its evaluations fall due (the 5th); then this one."""
    current = Period.current()
    return current.previous() if clock.today().day <= services.DUE_DAY else current


def _vendor_form_data(post: Any) -> dict[str, Any]:
    data = {key: post.get(key, "") for key in ("name", "kind", "contact_name", "phone")}
    for key in ("contract_starts_on", "contract_ends_on"):
        if post.get(key, "").strip():
            data[key] = post[key]
    data["supervising_posts"] = post.getlist("supervising_posts")
    data["active"] = bool(post.get("active"))
    return data


def _chosen(post: Any) -> set[int]:
    return {int(value) for value in post.getlist("supervising_posts") if str(value).isdigit()}


def _form_of(vendor: Vendor) -> dict[str, Any]:
    return {"name": vendor.name, "kind": vendor.kind, "contact_name": vendor.contact_name, "phone": vendor.phone,
            "contract_starts_on": vendor.contract_starts_on.isoformat() if vendor.contract_starts_on else "",
            "contract_ends_on": vendor.contract_ends_on.isoformat() if vendor.contract_ends_on else ""}


@access.staff_required("vendors.view")
def vendor_list(request):
    project, projects = project_choice(request, "vendors.view", outside="first" if request.method != "POST" else "deny")
    errors: dict[str, list[str]] = {}
    can_manage = access.has_perm(request.user, "vendors.manage", project)
    if request.method == "POST":
        access.require(request.user, "vendors.manage", project)
        try:
            data = valid(s.VendorWriteSerializer, {**_vendor_form_data(request.POST), "active": True})
            data["supervising_posts"] = project_posts(project, data["supervising_posts"])
            vendor = services.vendor_save(project=project, **data)
        except (ValidationError, BusinessRuleError) as exc:
            errors = error_lists(exc)
        else:
            messages.success(request, _("Vendor %(vendor)s saved.") % {"vendor": vendor})
            return redirect(f"{reverse('vendors:list')}?project={project.pk}")
    month = Period.parse_or_none(request.GET.get("month")) or _default_month()
    page = BoundedPaginator(selectors.vendors_visible_to(request.user).filter(project=project)
                            .order_by("-active", "kind", "name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    done = selectors.evaluated_posts(project=project, month=month.label, vendors=[vendor.pk for vendor in page])
    rows = []
    for vendor in page:
        mine = [post for post in selectors.evaluator_posts(request.user, vendor) if post.pk not in done.get(vendor.pk, ())]
        rows.append({"vendor": vendor, "posts": [(post, post.pk in done.get(vendor.pk, ()))
                                                 for post in vendor.supervising_posts.all()],
                     "to_evaluate": bool(mine) and vendor.active})
    return _page(request, "vendors/list.html", "list", project, projects, rows=rows, page=page, month=month,
                 previous=month.previous(), following=Period.month_of(month.end), current=Period.current(),
                 can_manage=can_manage, can_evaluate=access.has_perm(request.user, "vendors.evaluate", project),
                 kinds=Vendor.Kind.choices, posts=selectors.held_posts(project) if can_manage else [], errors=errors,
                 form=request.POST if errors else {}, chosen=_chosen(request.POST) if errors else set())


@access.staff_required("vendors.view")
def vendor_detail(request, pk):
    vendor = get_object_or_404(selectors.vendors_visible_to(request.user), pk=pk)
    project = vendor.project
    can_manage = access.has_perm(request.user, "vendors.manage", project)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        access.require(request.user, "vendors.manage", project)
        try:
            data = valid(s.VendorWriteSerializer, _vendor_form_data(request.POST))
            data["supervising_posts"] = project_posts(project, data["supervising_posts"])
            services.vendor_save(project=project, vendor=vendor, **data)
        except (ValidationError, BusinessRuleError) as exc:
            errors = error_lists(exc)
        else:
            messages.success(request, _("Vendor %(vendor)s saved.") % {"vendor": vendor.name})
            return redirect("vendors:vendor", pk=vendor.pk)
    evaluations = selectors.evaluations_visible_to(request.user).filter(vendor=vendor).order_by("-month", "post_id")[:36]
    return _page(request, "vendors/vendor.html", "list", project, None, vendor=vendor, evaluations=evaluations,
                 criteria=criteria_for(vendor.kind), can_manage=can_manage, kinds=Vendor.Kind.choices,
                 posts=selectors.held_posts(project) if can_manage else [], errors=errors,
                 form=request.POST if errors else _form_of(vendor),
                 chosen=_chosen(request.POST) if errors else {post.pk for post in vendor.supervising_posts.all()},
                 can_evaluate=bool(selectors.evaluator_posts(request.user, vendor)) and vendor.active,
                 history=selectors.vendor_history(vendor))


@access.staff_required("vendors.evaluate")
def evaluate(request, pk):
    vendor = get_object_or_404(selectors.vendors_visible_to(request.user), pk=pk)
    access.require(request.user, "vendors.evaluate", vendor.project_id)
    posts = selectors.evaluator_posts(request.user, vendor)
    if not posts and not request.user.is_superuser:
        raise PermissionDenied
    criteria = criteria_for(vendor.kind)
    month = Period.parse_or_none(request.GET.get("month") or request.POST.get("month")) or _default_month()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        scores = {c.code: request.POST.get(f"score_{c.code}", "") for c in criteria}
        try:
            post_id = int_param(request.POST, "post")
            post = next((p for p in posts if p.pk == post_id), None) or (posts[0] if len(posts) == 1 else None)
            if post is None:
                raise BusinessRuleError({"post": [_("Choose the post you evaluate as.")]})
            evaluation = services.evaluation_record(vendor=vendor, month=request.POST.get("month", ""), post=post,
                                                    evaluated_by=request.user, scores=scores,
                                                    comments=request.POST.get("comments", ""))
        except BusinessRuleError as exc:
            errors = exc.errors
        except StateConflict as exc:
            errors = {"non_field_errors": [exc.detail]}
        except Denied as exc:
            raise PermissionDenied(str(exc)) from None
        else:
            messages.success(request, _("%(vendor)s evaluated for %(month)s: %(total)s points.") % {
                "vendor": vendor.name, "month": evaluation.month, "total": evaluation.total})
            return redirect(f"{reverse('vendors:list')}?project={vendor.project_id}&month={evaluation.month}")
    return _page(request, "vendors/evaluate.html", "list", vendor.project, None, vendor=vendor, posts=posts,
                 criteria=[{"code": c.code, "label": c.label, "weight": c.weight,
                            "value": request.POST.get(f"score_{c.code}", ""),
                            "errors": errors.get(f"scores.{c.code}", [])} for c in criteria],
                 month=month, errors=errors, form=request.POST)


def _report_request(request) -> tuple[Project, Any, int, QuerySet[Vendor], str]:
    project, projects = project_choice(request, "vendors.view", outside="first")
    error = ""
    try:
        year = report_year(request.GET)
    except BusinessRuleError as exc:
        year, error = clock.today().year, " ".join(exc.errors["year"])
    vendors = selectors.vendors_visible_to(request.user).filter(project=project).order_by("kind", "name", "pk")
    return project, projects, year, vendors, error


@access.staff_required("vendors.view")
def report(request):
    """The year's report a page of vendors at a time (the export has them all)."""
    project, projects, year, vendors, error = _report_request(request)
    page = BoundedPaginator(vendors, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.year_report(project=project, year=year, vendors=vendors.filter(pk__in=[v.pk for v in page]))
    return _page(request, "vendors/report.html", "report", project, projects, year=year, rows=rows, page=page,
                 error=error, months=range(1, 13))


@access.staff_required("vendors.view")
def report_export(request):
    """The report as an Excel sheet (rows streamed into it)."""
    project, _projects, year, vendors, _error = _report_request(request)
    rows = selectors.year_report(project=project, year=year, vendors=vendors)
    workbook = ExportWorkbook()
    sheet = workbook.sheet(f"外包方评价{year}", ["外包方", "服务类别", *[f"{month}月" for month in range(1, 13)],
                                                "全年平均", "评价次数"])
    with override("zh-hans"):  # the sheet is in Chinese, like its headers
        for row in rows:
            sheet.append([row.vendor.name, str(row.vendor.get_kind_display()), *row.months, row.average,
                          row.evaluations])
    response = HttpResponse(workbook.content(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="vendor-report-{project.code}-{year}.xlsx"'
    return response

