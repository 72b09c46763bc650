import html
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dutydesk.archive import selectors, table
from dutydesk.archive.excel import import_workbook, project_export
from dutydesk.archive.models import IdentityReveal
from dutydesk.archive.forms import ImportForm, ResidentForm, UnitStatusForm
from dutydesk.archive.models import Unit
from dutydesk.core.audit import history_rows
from dutydesk.core.background import runs_in_background
from dutydesk.core.paging import BoundedPaginator
from dutydesk.core.tasks import job_enqueue
from dutydesk.org import access

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, queryset, per_page=50, counted=None):
    """``counted``: the list's rows before the columns were picked: the count then needs no join to the building."""
    return BoundedPaginator(queryset, per_page, counted=counted).get_page(request.GET.get("page"))


@access.staff_required("archive.view")
def units(request):
    queryset = selectors.search_units(selectors.units_visible_to(request.user), request.GET.get("q"))
    selected_building = int(request.GET["building"]) if request.GET.get("building", "").isdigit() else None
    if selected_building:
        queryset = queryset.filter(building_id=selected_building)
    if request.GET.get("status"):
        queryset = queryset.filter(status=request.GET["status"])
    page = _page(request, table.unit_values(queryset.order_by(*selectors.UNIT_ORDER)), counted=queryset)
    if request.headers.get("HX-Request"):  # the rows only: the filter form stays on the page
        return render(request, "archive/_unit_rows.html", {"page": page, "rows": table.unit_rows(page)})
    context = {"page": page, "rows": table.unit_rows(page),
               "building_options": _building_options(request.user, selected_building),
               "statuses": Unit.Status.choices, "may_import": any(_import_projects(request.user))}
    return render(request, "archive/units.html", context)


def _building_options(user: Any, selected: int | None) -> str:
    """The building filter's ``<option>``s, built in one pass: a group manager sees every building of the group
    (2,000 at 600k units), and rendering them one template variable at a time cost 20 ms of a 30 ms page."""
    buildings = list(selectors.buildings_visible_to(user).order_by("project__name", "name", "id")
                     .values_list("id", "name", "project__name"))
    # across projects the same building names recur ("A座" in every estate): name the project too
    several = len({project for _pk, _name, project in buildings}) > 1
    return mark_safe("".join(  # the names escaped here (html.escape, as Django's escape filter); ids are ints
        f'<option value="{pk}"{" selected" if pk == selected else ""}>'
        f'{html.escape(f"{project} · {name}" if several else name)}</option>'
        for pk, name, project in buildings))


def _save_edit(request, form, can_edit):
    """Handle the edit form of a detail page: True when it was saved (then redirect)."""
    if request.method != "POST":
        return False
    if not can_edit:
        raise PermissionDenied
    if not form.is_valid():
        return False
    form.save()
    messages.success(request, _("Saved."))
    return True


@access.staff_required("archive.view")
def unit_detail(request, pk):
    unit = get_object_or_404(selectors.units_visible_to(request.user), pk=pk)
    can_edit = access.allows_unit(request.user, "archive.edit", unit)
    form = UnitStatusForm(request.POST or None, instance=unit)
    # the area is what fees are billed on: only the billing configuration permission changes it
    form.fields["area_m2"].disabled = not access.has_perm(request.user, "billing.configure", unit.project_id)
    if _save_edit(request, form, can_edit):
        return redirect("archive:unit", pk=unit.pk)
    residents = list(unit.residents.all())
    if not selectors.may_see_contacts(request.user, unit.project_id):
        for resident in residents:
            resident.__dict__.update(selectors.masked_contacts(resident))  # for display only, never saved
    return render(request, "archive/unit.html", {
        "unit": unit, "residents": residents, "vehicles": unit.vehicles.select_related("parking_space"),
        "form": form, "can_edit": can_edit, "history": history_rows(unit),
    })


@access.staff_required("archive.view")
def residents(request):
    queryset = selectors.search_residents(selectors.residents_visible_to(request.user), request.GET.get("q"))
    page = _page(request, table.resident_values(
        queryset.order_by(*[f"unit__{field}" for field in selectors.UNIT_ORDER], "id")), counted=queryset)
    template = "archive/_resident_rows.html" if request.headers.get("HX-Request") else "archive/residents.html"
    return render(request, template, {"page": page, "rows": table.resident_rows(page)})


@access.staff_required("archive.view")
def resident_detail(request, pk):
    resident = get_object_or_404(selectors.residents_visible_to(request.user), pk=pk)
    can_edit = access.allows_unit(request.user, "archive.edit", resident.unit)
    identity = selectors.may_see_identity(request.user, resident.unit.project_id)
    form = ResidentForm(request.POST or None, instance=resident)
    if not identity:  # the number stays masked: a post without archive.view_identity neither sees nor changes it
        del form.fields["id_number"]
    if _save_edit(request, form, can_edit):
        return redirect("archive:resident", pk=resident.pk)
    if identity and can_edit and resident.id_number and request.method == "GET":
        IdentityReveal.objects.create(resident=resident, user=request.user, reason="edit form")
    contacts = selectors.may_see_contacts(request.user, resident.unit.project_id)
    return render(request, "archive/resident.html", {
        "resident": resident, "form": form, "can_edit": can_edit,
        "history": history_rows(resident, masked=None if contacts else selectors.CONTACT_MASKS),
        "masked_id": selectors.mask_id_number(resident.id_number),
        "contacts": {"emergency_contact": resident.emergency_contact, "emergency_phone": resident.emergency_phone,
                     "email": resident.email} if contacts else selectors.masked_contacts(resident)})


@login_required
def resident_create(request, unit_pk):
    unit = get_object_or_404(selectors.units_visible_to(request.user), pk=unit_pk)
    if not access.allows_unit(request.user, "archive.edit", unit):
        raise PermissionDenied
    form = ResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resident = form.save(commit=False)
        resident.unit = unit
        resident.save()
        messages.success(request, _("Resident added."))
        return redirect("archive:unit", pk=unit.pk)
    return render(request, "archive/resident_form.html", {"form": form, "unit": unit})


def _import_projects(user):
    return [p for p in selectors.projects_visible_to(user) if access.has_perm(user, "archive.import", p)]


@login_required
def archive_import(request):
    projects = _import_projects(request.user)
    if not projects:
        raise PermissionDenied
    from dutydesk.archive.models import Project

    form = ImportForm(request.POST or None, request.FILES or None,
                      projects=Project.objects.filter(pk__in=[p.pk for p in projects]))
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_workbook(form.cleaned_data["file"], project=form.cleaned_data["project"], user=request.user)
        if report.ok:
            messages.success(request, _("Imported: %(units)s units created, %(uu)s updated; %(res)s residents created, %(ru)s updated.") % {
                "units": report.units_created, "uu": report.units_updated, "res": report.residents_created,
                "ru": report.residents_updated})
            return redirect("archive:units")
    return render(request, "archive/import.html", {"form": form, "report": report, "projects": projects,
                                                   "in_background": runs_in_background()})


@login_required
def archive_export(request, project_pk):
    """GET: the workbook now. POST (the button when a worker pool runs): a background job, then its page."""
    project = next((p for p in _import_projects(request.user) if p.pk == project_pk), None)
    if project is None:
        raise PermissionDenied
    if request.method == "POST":
        return redirect("job", pk=job_enqueue("archive.export", user=request.user, params={"project": project.pk}).pk)
    data, filename, _masked = project_export(user=request.user, project=project)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
