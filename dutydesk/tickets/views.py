"""Staff pages (queues, ticket page, phone intake, return visits) and the resident portal pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from dutydesk.archive.models import Resident, Unit
from dutydesk.archive.selectors import person_q
from dutydesk.core import clock, paging
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.paging import BoundedPaginator, badge_counts
from dutydesk.core.periods import Period
from dutydesk.core.permissions import Denied
from dutydesk.org import access
from dutydesk.tickets import actions as ticket_actions
from dutydesk.tickets import figures, selectors, services, table, workflow
from dutydesk.tickets.models import Channel, Kind, Priority, ReturnVisit, Status, TicketCategory
from dutydesk.web.forms import error_text
from dutydesk.web.params import int_param
from dutydesk.web.redirects import redirect_back

QUEUE_LABELS = {
    "mine": gettext_lazy("My cases"), "work": gettext_lazy("My work"), "post": gettext_lazy("My post queue"),
    "overdue": gettext_lazy("Overdue"), "today": gettext_lazy("Received today"),
    "new": gettext_lazy("Not yet dispatched"), "all": gettext_lazy("All"),
}


FILTER_PARAMS = ("status", "kind", "project", "age_from", "age_to", "resolved", "search", "sort")


@access.staff_required("tickets.view")
def queue(request):
    """The queues as tabs (the post's own tab first), with filters, search and sorting; a dashboard link (filters
    without a tab) opens on "all", so the list shows exactly the bar's tickets."""
    params = request.GET
    filtered = any(params.get(key) for key in FILTER_PARAMS if key != "sort")
    name = params.get("q") or ("all" if filtered else selectors.default_queue(request.user))
    if name not in selectors.QUEUES:
        name = "all"
    # a search looks for units and residents in the viewer's projects (everywhere for a superuser)
    projects = None if request.user.is_superuser else access.project_ids(request.user)
    with_project = selectors.spans_projects(request.user)
    tickets = selectors.filter_tickets(selectors.queue(request.user, name, status=params.get("status", "")), params,
                                       projects=projects)
    # counted on the tickets themselves: the rows' columns join the unit, building and people, which a count of
    # 1,000 rows would join too (1.9 → 0.3 ms, a third of a manager's tab's SQL)
    rows = selectors.in_pages(request.user, tickets, rows=table.rows_of(tickets), queue=name,
                              filters=[key for key in FILTER_PARAMS if params.get(key)])
    page = BoundedPaginator(rows, 50, cap=paging.BADGE_CAP, counted=tickets).get_page(params.get("page"))
    # the tabs' badges; the open tab's is the list's own count (the same rows when no filter narrows them)
    badges = ("mine", "work", "post", "overdue", "new")
    counts = badge_counts({key: selectors.queue(request.user, key) for key in badges if key != name or filtered})
    if name in badges and not filtered:
        counts[name] = page.paginator.count
    keep = urlencode({k: params[k] for k in FILTER_PARAMS if params.get(k)})
    return render(request, "tickets/queue.html", {
        "page": page, "rows": table.ticket_rows(page, with_project=with_project), "with_project": with_project,
        "queue": name,
        "tabs": [(key, label, counts.get(key)) for key, label in QUEUE_LABELS.items()],
        "kinds": Kind.choices, "statuses": Status.choices, "kind": params.get("kind", ""),
        "status": params.get("status", ""), "search": params.get("search", ""), "sort": params.get("sort", ""),
        "filtered": filtered, "keep": keep,
        "can_create": access.has_perm(request.user, "tickets.create"),
        "can_visit": access.has_perm(request.user, "tickets.return_visit"),
    })


def _resolve_lookup(user, term):
    """'A-1201' or '1201' → a unit; an 11-digit phone → a resident (intake without the mouse)."""
    units = Unit.objects.filter(access.unit_scope(user, "tickets.create")).select_related("building")
    term = (term or "").strip()
    if not term:
        return None, None
    residents = Resident.objects.filter(unit__in=units, move_out_date__isnull=True)
    if term.isdigit() and len(term) >= 7:
        found = list(residents.filter(phone=term).select_related("unit")[:2])
        if len(found) == 1:
            return found[0].unit, found[0]
    if "-" in term:
        building, number = term.split("-", 1)
        found = list(units.filter(building__name__iexact=building, number__iexact=number)[:2])
    else:
        found = list(units.filter(number__iexact=term)[:2])
    if len(found) == 1:
        return found[0], None
    return None, None


@access.staff_required("tickets.create")
def lookup(request):
    """htmx: residents by phone or name, units by "A-1201" — in the units I may take tickets for."""
    term = (request.GET.get("term") or request.GET.get("lookup") or "").strip()
    units = Unit.objects.filter(access.unit_scope(request.user, "tickets.create"))
    residents, matched_units = [], []
    if len(term) >= 2:
        condition = person_q(term)  # (a short term by its start: what an index can serve)
        unit_condition = Q(number__iexact=term)
        if "-" in term:
            building, number = term.split("-", 1)
            condition |= Q(unit__building__name__iexact=building, unit__number__istartswith=number)
            unit_condition = Q(building__name__iexact=building, number__istartswith=number)
        residents = list(Resident.objects.filter(condition, unit__in=units, move_out_date__isnull=True)
                         .select_related("unit__building").order_by("unit__building__name", "unit__number", "id")[:8])
        matched_units = list(units.filter(unit_condition).select_related("building").order_by("building__name", "number")[:5])
    return render(request, "tickets/_lookup.html", {"residents": residents, "units": matched_units, "term": term})


@access.staff_required("tickets.create")
def intake_panel(request):
    """htmx: the caller's unit at a glance once it is picked — open work orders, arrears (core/panels.py "intake")."""
    unit = Unit.objects.filter(access.unit_scope(request.user, "tickets.create")).select_related("building", "project") \
        .filter(pk=int_param(request.GET, "unit") or 0).first()
    return render(request, "tickets/_intake_panel.html", {"unit": unit})


@access.staff_required("tickets.create")
def intake(request):
    """The front desk's phone intake: one screen, keyboard only, Enter saves."""
    project_ids = access.project_ids(request.user, "tickets.create")
    categories = TicketCategory.objects.filter(Q(project__isnull=True) | Q(project__in=project_ids), active=True)
    values = {"kind": Kind.COMPLAINT, "priority": Priority.NORMAL, "channel": Channel.PHONE}
    errors = {}
    if request.method == "POST":
        values = request.POST.dict()
        units = Unit.objects.filter(access.unit_scope(request.user, "tickets.create"))
        unit_id = int_param(values, "unit")
        unit = units.filter(pk=unit_id).select_related("project").first() if unit_id else None
        resident = None
        if unit is None:
            unit, resident = _resolve_lookup(request.user, values.get("lookup"))
        if (resident_id := int_param(values, "resident")) is not None and unit is not None:
            resident = Resident.objects.filter(pk=resident_id, unit=unit).first()
        category_id = int_param(values, "category")
        category = categories.filter(pk=category_id).first() if category_id else None
        if unit is None:
            errors["unit"] = [_("Find the unit the call is about: type a phone number or a unit such as A-1201. "
                                "A caller who is not in the archive: pick the unit and give their name and phone below.")]
        else:
            try:
                ticket = services.ticket_create(
                    actor=request.user, unit=unit, resident=resident, kind=values.get("kind", ""),
                    caller_name=values.get("caller_name", ""), caller_phone=values.get("caller_phone", ""),
                    title=values.get("title", ""), description=values.get("description", ""),
                    channel=values.get("channel") or Channel.PHONE, priority=values.get("priority") or Priority.NORMAL,
                    category=category, location=values.get("location", ""), files=request.FILES.getlist("photos"))
            except BusinessRuleError as exc:
                errors = exc.errors
            except Denied:
                raise PermissionDenied from None
            else:
                messages.success(request, _("Work order %(number)s saved.") % {"number": ticket.number})
                return redirect("tickets:detail", ticket.pk)
    return render(request, "tickets/intake.html", {
        "values": values, "errors": errors, "kinds": Kind.choices, "priorities": Priority.choices,
        "channels": Channel.choices, "categories": categories,
    })


@access.staff_required("tickets.view")
def detail(request, pk):
    ticket = get_object_or_404(selectors.ticket_visible_to(request.user), pk=pk)
    actions = ticket_actions.offered_actions(request.user, ticket)
    return render(request, "tickets/detail.html", {
        "ticket": ticket, "events": ticket.events.select_related("actor"), "actions": actions,
        "visits": ticket.return_visits.select_related("by"),
        "workers": selectors.workers(ticket.project) if "dispatch" in actions else [],
        "posts": selectors.ticket_posts(ticket.project) if "dispatch" in actions else [],
        "methods": [m for m in ReturnVisit.Method.choices if m[0] != ReturnVisit.Method.PORTAL],
        "labels": workflow.ACTION_LABELS, "now": clock.now(),
    })


@require_POST
@access.staff_required("tickets.view")
def act(request, pk, action):
    ticket = get_object_or_404(selectors.ticket_visible_to(request.user), pk=pk)
    if action not in ticket_actions.ACTIONS:
        raise Http404
    try:
        result = ticket_actions.run(action, ticket=ticket, actor=request.user, data=request.POST,
                                    files=request.FILES.getlist("files"))
    except (ValidationError, BusinessRuleError) as exc:  # the API's 400: the same serializers and services
        messages.error(request, error_text(exc))
    except StateConflict as exc:
        messages.error(request, exc.detail)
    except Denied:
        messages.error(request, _("Your posts do not allow this action."))
    else:
        if isinstance(result, ReturnVisit) and result.outcome == ReturnVisit.Outcome.REOPENED:
            ticket.refresh_from_db()
            messages.warning(request, _("Satisfaction %(score)s/5: work order %(number)s is reopened and back with "
                                        "%(who)s.") % {"score": result.satisfaction, "number": ticket.number,
                                                       "who": _person(ticket.assignee) or str(ticket.assigned_post or "—")})
        elif isinstance(result, ReturnVisit):
            messages.success(request, _("Return visit recorded: work order %(number)s is closed.") % {
                "number": ticket.number})
        else:
            messages.success(request, _("Saved."))
    return redirect_back(request, reverse("tickets:detail", args=[pk]))


def _person(user):
    return (user.get_full_name() or user.username) if user else ""


@access.staff_required("tickets.return_visit")
def return_visits(request):
    # counted up to 10,000 ("10,000+"): a group's resolved work orders are not counted to the last (10M: 3.3 s)
    page = BoundedPaginator(selectors.return_visit_queue(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "tickets/return_visits.html", {
        "page": page, "methods": [m for m in ReturnVisit.Method.choices if m[0] != ReturnVisit.Method.PORTAL]})


@access.staff_required("tickets.return_visit")
def report(request):
    period = (Period.parse_or_none(request.GET.get("period")) or Period.current()).start
    return render(request, "tickets/report.html", {"stats": figures.return_visit_stats(request.user, period),
                                                   "period": f"{period:%Y-%m}",
                                                   "kept": figures.kept_state(figures.whole_projects(request.user, None))})


# ---- resident portal -----------------------------------------------------------------------

@login_required
def portal_list(request):
    tickets = selectors.tickets_visible_to(request.user).filter(access.resident_units(request.user, "unit__"))
    return render(request, "tickets/portal_list.html", {"tickets": tickets[:100]})


@login_required
def portal_new(request):
    homes = Resident.objects.filter(user=request.user).select_related("unit__building", "unit__project")
    units = [home.unit for home in homes]
    if not units:
        raise Http404
    project_ids = {u.project_id for u in units}
    categories = TicketCategory.objects.filter(Q(project__isnull=True) | Q(project__in=project_ids), active=True)
    values, errors = {"kind": Kind.REPAIR, "unit": str(units[0].pk)}, {}
    if request.method == "POST":
        values = request.POST.dict()
        unit = next((u for u in units if str(u.pk) == values.get("unit")), None)
        category_id = int_param(values, "category")
        category = categories.filter(pk=category_id).first() if category_id else None
        kind = values.get("kind") if values.get("kind") in (Kind.REPAIR, Kind.COMPLAINT, Kind.SUGGESTION) else ""
        if unit is None:
            errors["unit"] = [_("Choose your unit.")]
        else:
            try:
                ticket = services.ticket_create(actor=request.user, unit=unit, kind=kind, title=values.get("title", ""),
                                                description=values.get("description", ""), category=category,
                                                location=values.get("location", ""),
                                                files=request.FILES.getlist("photos"))
            except BusinessRuleError as exc:
                errors = exc.errors
            else:
                messages.success(request, _("Thank you. Your request %(number)s has been received.") % {
                    "number": ticket.number})
                return redirect("tickets:portal-detail", ticket.pk)
    return render(request, "tickets/portal_new.html", {
        "units": units, "categories": categories, "values": values, "errors": errors,
        "kinds": [(k, label) for k, label in Kind.choices if k in (Kind.REPAIR, Kind.COMPLAINT, Kind.SUGGESTION)]})


@login_required
def portal_detail(request, pk):
    tickets = selectors.tickets_visible_to(request.user).filter(access.resident_units(request.user, "unit__"))
    ticket = get_object_or_404(tickets, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "attach":
                services.ticket_attach(ticket=ticket, actor=request.user, files=request.FILES.getlist("photos"))
            else:
                services.ticket_return_visit(ticket=ticket, actor=request.user, method=ReturnVisit.Method.PORTAL,
                                             satisfaction=request.POST.get("satisfaction"),
                                             comment=request.POST.get("comment", ""))
        except BusinessRuleError as exc:
            messages.error(request, " ".join(m for msgs in exc.errors.values() for m in msgs))
        except (StateConflict, Denied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thank you for your feedback."))
        return redirect("tickets:portal-detail", ticket.pk)
    return render(request, "tickets/portal_detail.html", {
        "ticket": ticket, "events": selectors.timeline_for(request.user, ticket),
        "labels": workflow.ACTION_LABELS, "can_rate": ticket.status == Status.RESOLVED,
        "visits": ticket.return_visits.all()})
