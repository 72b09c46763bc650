"""Staff pages of move-ins, renovations and move-outs: a list with the form that opens one, and a detail page with
the checklist (htmx ticks a step and swaps the checklist) or the renovation's actions. Forms go through the API's
input serializers and the same services, so a page and the API give the same 400 and 409 messages."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from dutydesk.archive.models import Resident, Unit
from dutydesk.archive.selectors import UNIT_ORDER, search_units
from dutydesk.core import clock
from dutydesk.core.audit import history_rows
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.money import format_amount
from dutydesk.core.paging import BoundedPaginator
from dutydesk.core.permissions import Denied
from dutydesk.occupancy import pdfs, selectors, services, workflow
from dutydesk.occupancy import serializers as s
from dutydesk.occupancy.models import (METERS, MOVE_IN_STEPS, MOVE_OUT_STEPS, Checklist, MoveIn, MoveOut, Renovation,
                                       RenovationInspection)
from dutydesk.org import access
from dutydesk.web.forms import error_text

PAGE_SIZE = 30
VIEW = selectors.VIEW


def actor(request: HttpRequest) -> Any:
    """The signed-in user acting (the web edge types users as ``Any``; the services take a ``User``)."""
    return request.user

def _validate(request: HttpRequest, serializer_class: type[serializers.Serializer], data: Any = None) -> dict[str, Any]:
    serializer = serializer_class(data=request.POST if data is None else data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _form_started_at() -> str:
    """When the form was opened: the time standards are measured from here (seeds/004_418914185ea837fa.txt:40)."""
    return timezone.localtime(clock.now()).isoformat(timespec="seconds")


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> Any:
    return BoundedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _filtered(request: HttpRequest, queryset: QuerySet[Any], statuses: list[str]) -> tuple[QuerySet[Any], str, str]:
    status = request.GET.get("status", "")
    if status in statuses:
        queryset = queryset.filter(status=status)
    q = request.GET.get("q", "").strip()[:40]
    if q:
        queryset = queryset.filter(unit_id__in=selectors.units_matching(q, request.user))
    return queryset, (status if status in statuses else ""), q


def _run(request: HttpRequest, action: Callable[[], StrOrPromise]) -> bool:
    """Run a page action: its message on success, the API's 400 or 409 message on failure; 403 when the posts do not
    allow it in the unit's project. Returns whether it succeeded."""
    try:
        messages.success(request, action())
        return True
    except (ValidationError, BusinessRuleError) as exc:
        messages.error(request, error_text(exc))
    except StateConflict as exc:
        messages.error(request, exc.detail)
    except Denied:
        raise PermissionDenied
    return False


# ---------------------------------------------------------------- move-ins and move-outs
@dataclass(frozen=True)
class ChecklistKind:
    """What the move-in and the move-out pages share, said once."""

    name: str  # "move-in" | "move-out": the URL names
    perm: str
    model: type[Checklist]
    steps: list[tuple[str, Any]]
    select: Callable[[Any], QuerySet[Any]]
    create_input: type[serializers.Serializer]
    step_input: type[serializers.Serializer]
    open: Callable[..., Any]
    step_done: Callable[..., Any]
    title: StrOrPromise
    created: StrOrPromise


MOVE_IN = ChecklistKind(
    "move-in", "occupancy.move_in", MoveIn, MOVE_IN_STEPS, selectors.move_ins_for, s.MoveInCreateSerializer,
    s.StepDoneSerializer, lambda **kw: services.move_in_open(**kw),
    lambda obj, **kw: services.move_in_step_done(move_in=obj, **kw), gettext_lazy("Move-ins"),
    gettext_lazy("Move-in of %(unit)s opened: work through the checklist."))
MOVE_OUT = ChecklistKind(
    "move-out", "occupancy.move_out", MoveOut, MOVE_OUT_STEPS, selectors.move_outs_for, s.MoveOutCreateSerializer,
    s.MoveOutStepDoneSerializer, lambda **kw: services.move_out_open(**kw),
    lambda obj, **kw: services.move_out_step_done(move_out=obj, **kw), gettext_lazy("Move-outs"),
    gettext_lazy("Move-out of %(unit)s opened: work through the checklist."))
KINDS = {"move-in": MOVE_IN, "move-out": MOVE_OUT}


def _kind(name: str) -> ChecklistKind:
    if name not in KINDS:
        raise Http404
    return KINDS[name]


@access.staff_required(VIEW)
def checklists(request: HttpRequest, kind: str) -> HttpResponse:
    config = _kind(kind)
    if request.method == "POST":
        access.require(request.user, config.perm)

        def open_checklist() -> StrOrPromise:
            obj = config.open(clerk=actor(request), **_validate(request, config.create_input))
            request.occupancy_created = obj  # type: ignore[attr-defined]
            return config.created % {"unit": obj.unit}

        if _run(request, open_checklist):
            return redirect(f"occupancy:{kind}", pk=request.occupancy_created.pk)  # type: ignore[attr-defined]
    queryset, status, q = _filtered(request, config.select(request.user), list(Checklist.Status.values))
    context = {
        "kind": config, "tab": kind, "page": _page(request, queryset), "status": status, "q": q,
        "statuses": Checklist.Status.choices, "step_count": len(config.steps),
        "may_open": access.has_perm(request.user, config.perm), "form_started_at": _form_started_at(),
        "today": clock.today(), "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "occupancy/checklists.html", context)


def _checklist_context(request: HttpRequest, config: ChecklistKind, obj: Any) -> dict[str, Any]:
    may_work = obj.status == Checklist.Status.OPEN and access.allows_unit(request.user, config.perm, obj.unit)
    return {"kind": config, "obj": obj, "steps": list(obj.steps.all()), "may_work": may_work, "meters": METERS,
            "meter_names": dict(METERS)}


@access.staff_required(VIEW)
def checklist(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    config = _kind(kind)
    obj = get_object_or_404(config.select(request.user), pk=pk)
    context = {**_checklist_context(request, config, obj), "tab": kind, "history": history_rows(obj),
               "may_print_goods": access.has_perm(request.user, "frontdesk.goods", obj.project_id)}
    return render(request, "occupancy/checklist.html", context)


@access.staff_required(VIEW)
@require_POST
def step_done(request: HttpRequest, kind: str, pk: int, code: str) -> HttpResponse:
    """Tick a step. From htmx: the checklist again, with the result above it; else back to the page."""
    config = _kind(kind)
    access.require(request.user, config.perm)
    obj = get_object_or_404(config.select(request.user), pk=pk)
    if code not in dict(config.steps):
        raise Http404
    data: dict[str, Any] = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
    data["readings"] = {meter: request.POST.get(f"reading_{meter}", "") for meter, _label in METERS
                        if request.POST.get(f"reading_{meter}", "").strip()}
    if code != "meters":
        data.pop("readings")
    if not data.get("count"):
        data.pop("count", None)

    def tick() -> StrOrPromise:
        config.step_done(obj, code=code, clerk=actor(request), **_validate(request, config.step_input, data))
        return _("%(step)s: done.") % {"step": dict(config.steps)[code]}

    _run(request, tick)
    if request.headers.get("HX-Request"):
        fresh = config.select(request.user).get(pk=pk)
        context = {**_checklist_context(request, config, fresh), "flash": list(messages.get_messages(request))}
        return render(request, "occupancy/_checklist.html", context)
    return redirect(f"occupancy:{kind}", pk=pk)


@access.staff_required(VIEW)
def move_in_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The move-in handover form to sign, as a PDF."""
    move_in = get_object_or_404(selectors.move_ins_for(request.user).select_related("project"), pk=pk)
    response = HttpResponse(pdfs.move_in_form_pdf(move_in), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="move-in-{move_in.pk}.pdf"'
    return response


@access.staff_required(VIEW)
def resident_options(request: HttpRequest) -> HttpResponse:
    """The residents of the unit typed in a form (htmx fills the resident choice as the clerk types the unit)."""
    perm = request.GET.get("perm", "")
    if perm not in ("occupancy.move_in", "occupancy.move_out", "occupancy.renovation"):
        raise Http404
    access.require(request.user, perm)
    unit = None
    label = request.GET.get("unit", "").strip()
    if "-" in label:
        building, number = label.split("-", 1)
        unit = (Unit.objects.filter(access.unit_scope(request.user, perm))
                .filter(building__name__iexact=building.strip(), number__iexact=number.strip()).first())
    residents = Resident.objects.filter(unit=unit).order_by("move_out_date", "id") if unit else Resident.objects.none()
    if perm == "occupancy.move_out":
        residents = residents.filter(move_out_date__isnull=True)
    return render(request, "occupancy/_resident_options.html", {"residents": residents, "unit": unit,
                                                                 "optional": perm == "occupancy.renovation"})


@access.staff_required(VIEW)
def unit_options(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.filter(access.unit_scope(request.user, VIEW)).select_related("building")
    units = search_units(units, request.GET.get("unit", "")).order_by(*UNIT_ORDER)[:10]
    return render(request, "occupancy/_unit_options.html", {"units": units})


# ---------------------------------------------------------------- renovations
@access.staff_required(VIEW)
def renovations(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        access.require(request.user, "occupancy.renovation")

        def apply() -> StrOrPromise:
            values = _validate(request, s.RenovationCreateSerializer)
            values["workers"] = _workers_typed(request.POST.get("workers_text", ""))
            renovation = services.renovation_apply(clerk=actor(request), **values)
            request.occupancy_created = renovation  # type: ignore[attr-defined]
            return (_("Renovation of %(unit)s filed; it waits for the supervisor's approval.")
                    % {"unit": renovation.unit})

        if _run(request, apply):
            return redirect("occupancy:renovation", pk=request.occupancy_created.pk)  # type: ignore[attr-defined]
    queryset, status, q = _filtered(request, selectors.renovation_list(selectors.renovations_for(request.user)),
                                    list(Renovation.Status.values))
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        queryset = selectors.overdue_renovations(queryset, clock.today())
    context = {
        "tab": "renovations", "page": _page(request, queryset), "status": status, "q": q, "overdue": overdue,
        "statuses": Renovation.Status.choices, "may_apply": access.has_perm(request.user, "occupancy.renovation"),
        "form_started_at": _form_started_at(), "today": clock.today(),
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "occupancy/renovations.html", context)


def _workers_typed(text: str) -> list[dict[str, str]]:
    """One worker a line, "name phone" (the phone may be left out); each checked like the API's worker."""
    workers = []
    for line in text.splitlines()[:50]:
        parts = line.replace("，", " ").replace(",", " ").split()
        if not parts:
            continue
        data = {"name": parts[0], "phone": parts[1] if len(parts) > 1 else ""}
        serializer = s.WorkerCreateSerializer(data=data)
        if not serializer.is_valid():
            raise BusinessRuleError({"workers": [_("Worker %(line)s: %(problem)s") % {
                "line": line.strip(), "problem": error_text(ValidationError(serializer.errors))}]})
        workers.append(dict(serializer.validated_data))
    return workers


@dataclass(frozen=True)
class RenovationAction:
    perm: str
    input: type[serializers.Serializer] | None
    run: Callable[..., Any]  # run(renovation, user, values, files) -> message
    workflow_action: str  # the transition the action asks for (offered in the states that allow it)


def _approve(renovation: Renovation, user: Any, values: dict[str, Any], files: list[Any]) -> str:
    services.renovation_approve(renovation=renovation, approver=user, **values)
    return _("Approved: the permit is issued, the workers' passes are valid until %(day)s.") % {
        "day": renovation.ends_on.isoformat()}


def _reject(renovation: Renovation, user: Any, values: dict[str, Any], files: list[Any]) -> str:
    services.renovation_reject(renovation=renovation, approver=user, **values)
    return _("The application is rejected.")


def _worker(renovation: Renovation, user: Any, values: dict[str, Any], files: list[Any]) -> str:
    worker = services.renovation_worker_add(renovation=renovation, clerk=user, **values)
    if worker.access_pass is not None:
        return _("%(name)s added, pass %(number)s.") % {"name": worker.name, "number": worker.access_pass.number}
    return _("%(name)s added; the pass is issued when the application is approved.") % {"name": worker.name}


def _extend(renovation: Renovation, user: Any, values: dict[str, Any], files: list[Any]) -> str:
    services.renovation_extend(renovation=renovation, clerk=user, **values)
    return _("Extended until %(day)s; the passes follow.") % {"day": values["ends_on"].isoformat()}


def _inspect(renovation: Renovation, user: Any, values: dict[str, Any], files: list[Any]) -> str:
    inspection = services.renovation_inspect(renovation=renovation, inspector=user, photos=files, **values)
    if inspection.final and inspection.result == RenovationInspection.Result.PASS:
        return _("Final inspection passed: the deposit may be refunded.")
    return _("Inspection recorded: %(result)s.") % {"result": inspection.get_result_display()}


def _close(renovation: Renovation, user: Any, values: dict[str, Any], files: list[Any]) -> str:
    services.renovation_close(renovation=renovation, clerk=user, **values)
    return _("Renovation closed; the workers' passes are cancelled.")


def _refund(renovation: Renovation, user: Any, values: dict[str, Any], files: list[Any]) -> str:
    refunded = services.renovation_deposit_refund(renovation=renovation, user=user, **values)
    return _("Deposit refunded: %(amount)s.") % {"amount": format_amount(refunded.refund_amount)}


RENOVATION_ACTIONS = {
    "approve": RenovationAction("occupancy.approve", s.DecisionSerializer, _approve, "approve"),
    "reject": RenovationAction("occupancy.approve", s.RejectSerializer, _reject, "reject"),
    "worker": RenovationAction("occupancy.renovation", s.WorkerCreateSerializer, _worker, "add_worker"),
    "extend": RenovationAction("occupancy.renovation", s.ExtendSerializer, _extend, "extend"),
    "inspect": RenovationAction("occupancy.inspect", s.InspectionCreateSerializer, _inspect, "inspect"),
    "close": RenovationAction("occupancy.renovation", s.CloseSerializer, _close, "close"),
    "refund": RenovationAction("occupancy.refund", s.RefundCreateSerializer, _refund, "refund"),
}


def offered_actions(user: Any, renovation: Renovation) -> set[str]:
    """The forms the renovation page shows ``user`` (the services still decide on the locked row)."""
    allowed = workflow.allowed_actions(renovation.status)
    offered = {name for name, action in RENOVATION_ACTIONS.items()
               if action.workflow_action in allowed and access.allows_unit(user, action.perm, renovation.unit)}
    if renovation.refunded_at is not None or renovation.deposit_charge_id is None:
        offered.discard("refund")
    return offered


@access.staff_required(VIEW)
def renovation(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(selectors.renovations_for(request.user), pk=pk)
    context = {
        "tab": "renovations", "obj": obj, "offered": offered_actions(request.user, obj),
        "deposit_collected": services.deposit_collected(obj) if obj.deposit_charge_id else False,
        "results": RenovationInspection.Result.choices, "methods": Renovation.RefundMethod.choices,
        "history": history_rows(obj), "form_started_at": _form_started_at(), "today": clock.today(),
        "may_print_passes": access.has_perm(request.user, "frontdesk.passes", obj.project_id),
    }
    return render(request, "occupancy/renovation.html", context)


@access.staff_required(VIEW)
@require_POST
def renovation_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    action = RENOVATION_ACTIONS.get(name)
    if action is None:
        raise Http404
    access.require(request.user, action.perm)
    obj = get_object_or_404(selectors.renovations_for(request.user), pk=pk)

    def act() -> str:
        values = _validate(request, action.input) if action.input is not None else {}
        return action.run(obj, request.user, values, request.FILES.getlist("photos"))

    _run(request, act)
    return redirect(reverse("occupancy:renovation", args=[pk]))
