"""Staff pages of the registers: the registers I use, a register's entries (filter, finish, export), the entry
form generated from the register's fields, one entry with its history. Thin: scope here, rules in services."""
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dutydesk.archive.models import Project, Resident, Unit
from dutydesk.core.audit import history_rows
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.excel import ExportSheet, ExportWorkbook
from dutydesk.core.paging import BoundedPaginator
from dutydesk.core.permissions import Denied
from dutydesk.core.request_types import AuthenticatedHttpRequest
from dutydesk.core.templatetags.people import person
from dutydesk.org import access
from dutydesk.org.models import Register
from dutydesk.registers import selectors, services
from dutydesk.registers.filters import entries_in_window
from dutydesk.registers.models import Entry
from dutydesk.registers.values import display, field_name
from dutydesk.web.params import int_param

LIST_COLUMNS = 5  # value columns a list shows; the entry page shows all


def _register(request: HttpRequest, code: str) -> Register:
    return get_object_or_404(selectors.registers_for(request.user).select_related("procedure"), code=code)


def _project(request: HttpRequest, register: Register) -> tuple[Project, list[Project]]:
    """The project picked among those where the user's posts write or read the register (another: 403)."""
    projects = list(Project.objects.filter(pk__in=selectors.project_ids_for(request.user, register)).order_by("pk"))
    if not projects:
        raise PermissionDenied
    wanted = int_param({"project": request.GET.get("project") or request.POST.get("project")}, "project")
    project = next((p for p in projects if p.pk == wanted), None) if wanted is not None else projects[0]
    if project is None:
        raise PermissionDenied
    return project, projects


def _labels(entries: list[Entry], register: Register) -> dict[tuple[str, Any], str]:
    """Names of the units and residents the entries' values point at: two queries for the whole page."""
    ids: dict[str, set[int]] = {"unit": set(), "resident": set()}
    for entry in entries:
        for field in register.fields:
            if field["type"] in ids and isinstance(entry.values.get(field["code"]), int):
                ids[field["type"]].add(entry.values[field["code"]])
    labels: dict[tuple[str, Any], str] = {}
    if ids["unit"]:
        labels.update((("unit", u.pk), u.label) for u in Unit.objects.filter(pk__in=ids["unit"]).select_related("building"))
    if ids["resident"]:
        labels.update((("resident", r.pk), r.name) for r in Resident.objects.filter(pk__in=ids["resident"]).only("name"))
    return labels


def _rows(entries: list[Entry], register: Register, fields: list[dict]) -> list[tuple[Entry, list[tuple[dict, str]]]]:
    labels = _labels(entries, register)
    return [(entry, [(field, display(field, entry.values.get(field["code"]), labels)) for field in fields])
            for entry in entries]


@access.staff_required()
def index(request: HttpRequest) -> HttpResponse:
    registers = list(selectors.registers_for(request.user).select_related("procedure", "catalog")
                     .prefetch_related("writers", "readers").order_by("catalog_id", "position", "pk"))
    if not registers:
        raise PermissionDenied
    writable = selectors.writable_codes(request.user)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    counts = selectors.today_and_open(registers, request.user, today)
    return render(request, "registers/index.html", {
        "rows": [(r, r.code in writable, *counts.get(r.pk, (0, 0))) for r in registers]})


@access.staff_required()
def entries(request: HttpRequest, code: str) -> HttpResponse:
    register = _register(request, code)
    project, projects = _project(request, register)
    found = selectors.entries_visible_to(request.user, register).filter(project=project)
    try:
        found = entries_in_window(found, request.GET)
    except BusinessRuleError as exc:
        messages.warning(request, " ".join(m for msgs in exc.errors.values() for m in msgs))
    page = BoundedPaginator(found.select_related("recorded_by").order_by("-started_at", "-id"), 50).get_page(
        request.GET.get("page"))
    fields = [f for f in register.fields if f["type"] != Register.FieldType.PHOTO][:LIST_COLUMNS]
    return render(request, "registers/entries.html", {
        "register": register, "project": project, "projects": projects, "page": page,
        "rows": _rows(list(page), register, fields), "columns": [field_name(f) for f in fields],
        "can_write": services.writer_post(request.user, register, project) is not None or request.user.is_superuser,
        "statuses": Entry.Status.choices, "query": request.GET})


@access.staff_required()
def entry_new(request: HttpRequest, code: str) -> HttpResponse:
    register = _register(request, code)
    project, projects = _project(request, register)
    if services.writer_post(request.user, register, project) is None and not request.user.is_superuser:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = {f["code"]: request.POST.get(f"values.{f['code']}", "") for f in register.fields
                  if f["type"] != Register.FieldType.PHOTO}
        for field in register.fields:  # an unticked box is "no"
            if field["type"] == Register.FieldType.BOOLEAN:
                values[field["code"]] = request.POST.get(f"values.{field['code']}") == "on"
        files = {name.removeprefix("values."): upload for name, upload in request.FILES.items()
                 if isinstance(upload, UploadedFile)}
        try:
            entry = services.entry_record(register=register, project=project, user=request.user, values=values,
                                          files=files)
        except BusinessRuleError as exc:
            errors = {key.removeprefix("values."): msgs for key, msgs in exc.errors.items()}
        else:
            messages.success(request, _("Recorded as %(number)s.") % {"number": entry.number})
            if request.POST.get("then") == "another":
                return redirect(f"{reverse('registers:new', args=[register.code])}?project={project.pk}")
            return redirect(services.entry_url(entry))
    return render(request, "registers/entry_form.html", {
        "register": register, "project": project, "projects": projects, "errors": errors,
        "fields": [(field, field_name(field), values.get(field["code"], ""), errors.get(field["code"], []))
                   for field in register.fields],
        "other_errors": [m for key, msgs in errors.items() if key not in {f["code"] for f in register.fields}
                         for m in msgs]})


def _entry(request: HttpRequest, code: str, pk: int) -> Entry:
    register = _register(request, code)
    entry = selectors.entries_visible_to(request.user, register).select_related(
        "register", "recorded_by", "finished_by", "project", "post").filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


@access.staff_required()
def entry_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    entry = _entry(request, code, pk)
    register = entry.register
    (_entry_row, values), = _rows([entry], register, register.fields)
    photos = [(field_name(f), reverse("stored-file", args=[entry.values[f["code"]]])) for f in register.fields
              if f["type"] == Register.FieldType.PHOTO and entry.values.get(f["code"])]
    return render(request, "registers/entry.html", {
        "entry": entry, "register": register, "values": [(field_name(f), text) for f, text in values
                                                         if f["type"] != Register.FieldType.PHOTO],
        "photos": photos, "history": history_rows(entry),
        "can_finish": entry.status == Entry.Status.OPEN and (
            services.writer_post(request.user, register, entry.project_id) is not None or request.user.is_superuser)})


@require_POST
@access.staff_required()
def entry_finish(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    entry = _entry(request, code, pk)
    try:
        entry = services.entry_finish(entry=entry, user=request.user)
    except StateConflict as exc:
        messages.warning(request, exc.detail)
    except Denied as exc:
        raise PermissionDenied(str(exc)) from exc
    else:
        if entry.on_time:
            messages.success(request, _("Finished in %(minutes)s minutes, within the standard.")
                             % {"minutes": entry.duration_minutes})
        else:
            messages.warning(request, _("Finished in %(minutes)s minutes: over the %(limit)s-minute standard.")
                             % {"minutes": entry.duration_minutes, "limit": entry.register.limit_minutes})
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/registers/") else services.entry_url(entry))


@access.staff_required()
def export(request: HttpRequest, code: str) -> HttpResponse:
    """The filtered entries as an Excel workbook (rows streamed into it: memory stays flat)."""
    register = _register(request, code)
    project, _projects = _project(request, register)
    try:
        found = entries_in_window(selectors.entries_visible_to(request.user, register).filter(project=project),
                                  request.GET)
    except BusinessRuleError as exc:
        messages.warning(request, " ".join(m for msgs in exc.errors.values() for m in msgs))
        return redirect(f"{reverse('registers:entries', args=[code])}?project={project.pk}")
    workbook = ExportWorkbook()
    fields = [f for f in register.fields if f["type"] != Register.FieldType.PHOTO]
    timed = [_("Finished at"), _("Minutes"), _("On time")] if register.timed else []
    sheet = workbook.sheet(register.name, [_("Number"), _("Started at"), *timed, _("Recorded by"),
                                           *[field_name(f) for f in fields]])
    chunk: list[Entry] = []
    for entry in found.select_related("recorded_by").order_by("started_at", "id").iterator(chunk_size=2000):
        chunk.append(entry)
        if len(chunk) == 2000:
            _write(sheet, chunk, register, fields)
            chunk = []
    _write(sheet, chunk, register, fields)
    response = HttpResponse(workbook.content(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="register-{register.code}.xlsx"'
    return response


def _write(sheet: ExportSheet, entries: list[Entry], register: Register, fields: list[dict]) -> None:
    for entry, values in _rows(entries, register, fields):
        timed = ([timezone.localtime(entry.finished_at).strftime("%Y-%m-%d %H:%M") if entry.finished_at else "",
                  entry.duration_minutes, "" if entry.on_time is None else (_("yes") if entry.on_time else _("no"))]
                 if register.timed else [])
        sheet.append([entry.number, timezone.localtime(entry.started_at).strftime("%Y-%m-%d %H:%M"),
                      *timed, person(entry.recorded_by), *[text for _f, text in values]])


@login_required
def portal_notices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The notices of the resident's projects that are shown today (registers with a ``portal``)."""
    project_ids = sorted(set(Resident.objects.filter(user=request.user).values_list("unit__project_id", flat=True)))
    if not project_ids:
        raise PermissionDenied
    notices = [_notice(register, entry) for register, entry in selectors.portal_notices(project_ids, timezone.localdate())]
    return render(request, "registers/portal_notices.html", {"notices": notices})


def _notice(register: Register, entry: Entry) -> dict[str, Any]:
    portal = register.portal
    return {"entry": entry, "register": register, "title": entry.values.get(portal["title"], ""),
            "body": entry.values.get(portal.get("body", ""), ""), "from": entry.values.get(portal["from"], ""),
            "until": entry.values.get(portal.get("until", ""), "")}


@access.staff_required()
def entry_print(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One entry on an A4 sheet: a notice for the lobby board (a register with a ``portal``: title and text large),
    otherwise the entry's values, to sign or file."""
    entry = _entry(request, code, pk)
    register = entry.register
    (_row, values), = _rows([entry], register, register.fields)
    return render(request, "registers/entry_print.html", {
        "entry": entry, "register": register, "notice": _notice(register, entry) if register.portal else None,
        "values": [(field_name(f), text) for f, text in values if f["type"] != Register.FieldType.PHOTO]})
