"""Staff pages of patrols: the routes (list, the form that lays one out, a route's page with its checkpoints' QR codes
and a printable sheet of them), the rounds (a list, and a round on a phone: one big button per checkpoint), a
checkpoint's page (ok, or an issue with a note and a photo) and the address a checkpoint's QR code opens. Forms go
through the API's input serializers and the same services, so a page and the API give the same 400 and 409
messages."""
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from dutydesk.core.audit import history_rows
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.filters import as_int
from dutydesk.core.paging import BoundedPaginator
from dutydesk.core.periods import Period
from dutydesk.core.qr import qr_data_uri
from dutydesk.core.permissions import Denied
from dutydesk.org import access
from dutydesk.patrols import pdfs, schedules, selectors, services
from dutydesk.patrols import serializers as s
from dutydesk.patrols.models import Round, RoundCheckpoint, Route
from dutydesk.web.forms import error_lists
from dutydesk.web.params import project_choice

PAGE_SIZE = 30
VIEW = selectors.VIEW


def actor(request: HttpRequest) -> Any:
    """The signed-in user acting (the web edge types users as ``Any``; the services take a ``User``)."""
    return request.user


def _validate(request: HttpRequest, serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _said(value: Any) -> list[str]:
    """The messages of one field's errors, however nested."""
    if isinstance(value, dict):
        return [message for inner in value.values() for message in _said(inner)]
    if isinstance(value, list):
        return [message for inner in value for message in _said(inner)]
    return [str(value)]


def _field_errors(exc: ValidationError | BusinessRuleError) -> dict[str, list[str]]:
    """The API's 400 as {field: [message]}; a checkpoint's own errors (one entry per checkpoint, by its position from
    0) are said with the checkpoint's position from 1."""
    if isinstance(exc, BusinessRuleError) or not isinstance(exc.detail, dict):
        return error_lists(exc)
    found: dict[str, list[str]] = {}
    for field, value in exc.detail.items():
        entries = (list(value.items()) if isinstance(value, dict) else list(enumerate(value))
                   if isinstance(value, list) else [(None, value)])
        said: list[str] = []
        for index, item in entries:
            if isinstance(item, dict) and isinstance(index, int):
                said += [_("Checkpoint %(label)s: %(problem)s") % {"label": index + 1, "problem": message}
                         for message in _said(item)]
            else:
                said += _said(item)
        found[str(field)] = said
    return found


def _run(request: HttpRequest, action: Callable[[], StrOrPromise]) -> dict[str, list[str]] | None:
    """Run a page action: its message on success (None), the API's 400 (the field errors, returned) or 409 message on
    failure; 403 when the posts do not allow it in the object's project."""
    try:
        messages.success(request, action())
        return None
    except (ValidationError, BusinessRuleError) as exc:
        found = _field_errors(exc)
        messages.error(request, " ".join(message for said in found.values() for message in said))
        return found
    except StateConflict as exc:
        messages.error(request, exc.detail)
        return {}
    except Denied:
        raise PermissionDenied from None


# ---------------------------------------------------------------- routes
def _schedule_typed(post: Any) -> dict[str, Any]:
    """The schedule of the route form: fixed times ("10:00, 15:00") or every N hours between two times."""
    window = post.get("window_minutes", "").strip() or schedules.DEFAULT_WINDOW
    if post.get("schedule_kind") == "every":
        return {"every_hours": post.get("every_hours", "").strip(), "from": post.get("from", "").strip() or "00:00",
                "until": post.get("until", "").strip() or "23:59", "window_minutes": window}
    times = [part.strip() for part in post.get("times", "").replace("，", ",").replace("、", ",").split(",")
             if part.strip()]
    return {"times": times, "window_minutes": window}


def _checkpoints_typed(text: str) -> list[dict[str, Any]]:
    """One checkpoint a line: "CODE name | location | work-order category | unit" (the last three optional)."""
    found = []
    for line in text.splitlines()[:services.MAX_CHECKPOINTS + 1]:
        parts = [part.strip() for part in line.replace("｜", "|").split("|")]
        head = parts[0].split(None, 1)
        if not head:
            continue
        item: dict[str, Any] = {"code": head[0], "name": head[1] if len(head) > 1 else ""}
        for key, value in zip(("location", "category", "unit"), parts[1:4], strict=False):
            if value:
                item[key] = value
        found.append(item)
    return found


def _route_context(request: HttpRequest, project: Any, projects: Any) -> dict[str, Any]:
    routes = (selectors.routes_for(request.user).filter(project=project)
              .annotate(open_rounds=selectors.open_rounds_count())
              .order_by("-active", "name", "pk"))
    return {"project": project, "projects": projects, "routes": routes, "tab": "routes",
            "may_manage": access.has_perm(request.user, "patrols.manage", project),
            "posts": selectors.walking_posts(), "window": schedules.DEFAULT_WINDOW,
            "default_post": services.DEFAULT_WALKER}


@access.staff_required(VIEW)
def routes(request: HttpRequest) -> HttpResponse:
    project, projects = project_choice(request, VIEW)
    errors: dict[str, list[str]] | None = None
    if request.method == "POST":
        access.require(request.user, "patrols.manage", project)
        created: list[Route] = []

        def lay_out() -> StrOrPromise:
            data = {"name": request.POST.get("name", ""), "post": request.POST.get("post") or None,
                    "schedule": _schedule_typed(request.POST),
                    "checkpoints": _checkpoints_typed(request.POST.get("checkpoints", ""))}
            values = _validate(request, s.PatrolRouteCreateSerializer, data)
            values.pop("project", None)
            created.append(services.route_create(project=project, actor=actor(request), **values))
            return _("Route %(name)s laid out: print its QR codes and put them up at the checkpoints.") % {
                "name": created[0].name}

        errors = _run(request, lay_out)
        if errors is None:
            return redirect("patrols:route", pk=created[0].pk)
    context = {**_route_context(request, project, projects), "errors": errors or {},
               "posted": request.POST if request.method == "POST" else {}}
    return render(request, "patrols/routes.html", context)


def _route_or_404(request: HttpRequest, pk: int) -> Route:
    return get_object_or_404(selectors.routes_for(request.user), pk=pk)


def _qr_cards(request: HttpRequest, route: Route) -> list[dict[str, Any]]:
    cards = []
    for checkpoint in route.active_checkpoints:  # type: ignore[attr-defined]  # the selector's prefetch
        url = request.build_absolute_uri(reverse("patrols:scan", args=[route.pk, checkpoint.code]))
        cards.append({"checkpoint": checkpoint, "url": url, "qr": qr_data_uri(url, scale=5)})
    return cards


@access.staff_required(VIEW)
def route(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _route_or_404(request, pk)
    if request.method == "POST":
        access.require(request.user, "patrols.manage", obj.project_id)
        wanted = request.POST.get("active") == "1"

        def switch() -> StrOrPromise:
            services.route_update(route=obj, actor=actor(request), active=wanted)
            return _("The route is walked again: its rounds are released by the schedule.") if wanted else \
                _("The route is no longer walked: no more rounds are released.")

        _run(request, switch)
        return redirect("patrols:route", pk=pk)
    recent = selectors.with_progress(selectors.rounds_for(request.user).filter(route=obj).prefetch_related(None)
                                     ).order_by("-starts_at", "-pk")[:10]
    context = {"route": obj, "project": obj.project, "cards": _qr_cards(request, obj), "tab": "routes",
               "schedule_text": schedules.describe(obj.schedule), "recent": recent,
               "current": selectors.current_round(obj), "history": history_rows(obj),
               "may_manage": access.has_perm(request.user, "patrols.manage", obj.project_id)}
    return render(request, "patrols/route.html", context)


@access.staff_required(VIEW)
def route_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The route's QR codes on a printable sheet (A4, one card per checkpoint)."""
    obj = _route_or_404(request, pk)
    return render(request, "patrols/route_qr.html", {"route": obj, "cards": _qr_cards(request, obj),
                                                     "schedule_text": schedules.describe(obj.schedule)})


@access.staff_required(VIEW)
def route_qr_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same sheet as a PDF (A4), always in Chinese like the other printed forms."""
    obj = _route_or_404(request, pk)
    cards = [(card["checkpoint"], card["url"]) for card in _qr_cards(request, obj)]
    response = HttpResponse(pdfs.qr_sheet_pdf(obj, cards), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="patrol-route-{obj.pk}-qr.pdf"'
    return response


@access.staff_required(VIEW)
def scan(request: HttpRequest, route_pk: int, code: str) -> HttpResponse:
    """What a checkpoint's QR code opens: the checkpoint's page in the route's open round (else the route's page,
    saying when the next round starts)."""
    obj = _route_or_404(request, route_pk)
    current = selectors.current_round(obj)
    if current is not None and current.checkpoints.filter(code=code).exists():
        return redirect("patrols:checkpoint", pk=current.pk, code=code)
    upcoming = selectors.next_round(obj)
    if upcoming is not None:
        messages.warning(request, _("No round of this route is open now; the next one starts at %(time)s.") % {
            "time": timezone.localtime(upcoming.starts_at).strftime("%m-%d %H:%M")})
    else:
        messages.warning(request, _("No round of this route is open now."))
    return redirect("patrols:route", pk=obj.pk)


# ---------------------------------------------------------------- rounds
def _round_list(request: HttpRequest, project: Any) -> tuple[QuerySet[Round], dict[str, Any]]:
    rounds = selectors.rounds_for(request.user).filter(project=project).prefetch_related(None)
    chosen: dict[str, Any] = {}
    route_id = as_int(request.GET.get("route"))
    if route_id is not None:
        rounds, chosen["route"] = rounds.filter(route_id=route_id), route_id
    walker = as_int(request.GET.get("walker"))
    if walker is not None:
        rounds, chosen["walker"] = rounds.filter(walker_id=walker), walker
    month = Period.parse_or_none(request.GET.get("month", ""))
    if month is not None:
        rounds, chosen["month"] = rounds.filter(due_at__gte=month.start_at, due_at__lt=month.end_at), month.label
    counts = selectors.status_counts(rounds)
    status = request.GET.get("status", "")
    if status == "overdue":
        rounds = selectors.overdue(rounds)
    elif status in Round.Status.values:
        rounds = rounds.filter(status=status)
    else:
        status = ""
    chosen["status"] = status
    rounds = selectors.with_progress(rounds).order_by("-starts_at", "-pk")
    return rounds, {"counts": counts, "chosen": chosen}


@access.staff_required(VIEW)
def rounds(request: HttpRequest) -> HttpResponse:
    project, projects = project_choice(request, VIEW)
    queryset, extra = _round_list(request, project)
    page = BoundedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    chosen = {key: value for key, value in extra["chosen"].items() if key != "status"}
    context = {"project": project, "projects": projects, "page": page, "tab": "rounds", **extra,
               "statuses": [("", _("All"), None),
                            ("open", Round.Status.OPEN.label, extra["counts"].get("open", 0)),
                            ("overdue", _("overdue"), extra["counts"]["overdue"]),
                            ("done", Round.Status.DONE.label, extra["counts"].get("done", 0)),
                            ("missed", Round.Status.MISSED.label, extra["counts"].get("missed", 0))],
               "keep": chosen, "routes": selectors.routes_for(request.user).filter(project=project)
               .select_related(None).prefetch_related(None).only("pk", "name").order_by("name")}
    return render(request, "patrols/rounds.html", context)


def _round_or_404(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(selectors.rounds_for(request.user), pk=pk)


def _may_walk(request: HttpRequest, round_: Round) -> bool:
    return round_.status == Round.Status.OPEN and access.has_perm(request.user, "patrols.walk", round_.project_id)


@access.staff_required(VIEW)
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A round on a phone: one big button per checkpoint (all is well here); an issue is reported on the
    checkpoint's page."""
    obj = _round_or_404(request, pk)
    points = list(obj.checkpoints.all())
    context = {"round": obj, "points": points, "may_walk": _may_walk(request, obj), "tab": "rounds",
               "recorded": sum(1 for point in points if point.result), "history": history_rows(obj)}
    return render(request, "patrols/round.html", context)


@access.staff_required(VIEW)
def checkpoint(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A checkpoint of a round: ok, or an issue (note, photo, and the unit when the checkpoint names none), which
    opens a work order. After a record, back to the round."""
    obj = _round_or_404(request, pk)
    point = get_object_or_404(RoundCheckpoint.objects.select_related(
        "checkpoint__unit__building", "checkpoint__category", "checkpoint__post", "recorded_by", "ticket"),
        round=obj, code=code)
    errors: dict[str, list[str]] | None = None
    if request.method == "POST":
        access.require(request.user, "patrols.walk", obj.project_id)

        def record() -> StrOrPromise:
            data = {key: request.POST.get(key, "") for key in ("result", "note")}
            if request.POST.get("unit", "").strip():
                data["unit"] = request.POST["unit"].strip()
            values = _validate(request, s.PatrolRecordSerializer, data)
            recorded = services.checkpoint_record(round=obj, code=code, walker=actor(request),
                                                  photo=request.FILES.get("photo"), **values)
            if recorded.ticket is not None:
                return _("%(code)s %(name)s: issue recorded, work order %(number)s opened.") % {
                    "code": recorded.code, "name": recorded.name, "number": recorded.ticket.number}
            return _("%(code)s %(name)s: ok.") % {"code": recorded.code, "name": recorded.name}

        errors = _run(request, record)
        if errors is None or errors == {}:  # recorded, or a 409: the round says where it stands
            return redirect(reverse("patrols:round", args=[pk]) + f"#cp-{code}")
    context = {"round": obj, "point": point, "where": point.checkpoint, "may_walk": _may_walk(request, obj),
               "errors": errors or {}, "posted": request.POST if request.method == "POST" else {}, "tab": "rounds"}
    return render(request, "patrols/checkpoint.html", context)
