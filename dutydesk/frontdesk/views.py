"""The front-desk screen: one page, the registers as htmx-loaded tabs; printable passes and slips;
the resident's visitor pre-registration in the portal. Forms go through the API's input serializers
and the same services, so the screen and the API give the same errors."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from dutydesk.archive.models import Resident, Unit
from dutydesk.archive.selectors import UNIT_ORDER, search_residents, search_units
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.qr import qr_data_uri
from dutydesk.frontdesk.templatetags.frontdesk_tags import when
from dutydesk.core.audit import history_rows
from dutydesk.frontdesk import selectors, services
from dutydesk.frontdesk import serializers as s
from dutydesk.frontdesk.models import AccessPass, Card, CardReport, GoodsRelease, Key, MailItem
from dutydesk.org import access
from dutydesk.web.forms import error_lists
from dutydesk.web.params import int_param, project_ids_for

# (tab, label, permission, accesskey)
TABS = [
    ("visitors", gettext_lazy("Visitors"), "frontdesk.visitors", "1"),
    ("keys", gettext_lazy("Keys"), "frontdesk.keys", "2"),
    ("goods", gettext_lazy("Goods release"), "frontdesk.goods", "3"),
    ("passes", gettext_lazy("Access passes"), "frontdesk.passes", "4"),
    ("cards", gettext_lazy("IC cards"), "frontdesk.cards", "5"),
    ("mail", gettext_lazy("Mail and parcels"), "frontdesk.mail", "6"),
    ("times", gettext_lazy("Service times"), "frontdesk.reports", "7"),
]
TAB_PERMS = {name: perm for name, _label, perm, _key in TABS}
LIST_LIMIT = 30


def _tabs_for(user):
    return [{"name": name, "label": label, "key": key} for name, label, perm, key in TABS if access.has_perm(user, perm)]


def _require_tab(user, tab: str) -> None:
    """403 unless the user's posts grant the register's permission somewhere; an unknown register is a 404."""
    if tab not in TAB_PERMS:
        raise Http404
    access.require(user, TAB_PERMS[tab])


@login_required
def desk(request, tab=None):
    tabs = _tabs_for(request.user)
    if not tabs:
        raise PermissionDenied
    current = request.GET.get("tab") or tab or tabs[0]["name"]
    if current not in {t["name"] for t in tabs}:
        current = tabs[0]["name"]
    context = {"tabs": tabs, "current": current, **_tab_context(request, current)}
    return render(request, "frontdesk/desk.html", context)


@login_required
def tab(request, name):
    _require_tab(request.user, name)
    return render(request, f"frontdesk/tabs/{name}.html", _tab_context(request, name))


# ---------------------------------------------------------------- actions posted from the tabs
def _validate(request, serializer_class):
    data = request.POST.copy()
    data.update(request.FILES)
    serializer = serializer_class(data=data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _key(request, pk):
    return get_object_or_404(selectors.keys_for(request.user), pk=pk)


def _key_register(request):
    key = services.key_register(clerk=request.user, **_validate(request, s.KeyCreateSerializer))
    return _("Key %(label)s is in the register.") % {"label": key.label}


def _key_lend(request):
    if int_param(request.POST, "key") is None:
        _validate(request, s.KeyLendSerializer)  # report the other fields' problems together with this one
        raise BusinessRuleError({"key": [_("Choose the key.")]})
    key = _key(request, int_param(request.POST, "key"))
    loan = services.key_lend(key=key, clerk=request.user, **_validate(request, s.KeyLendSerializer))
    return _("Key %(label)s lent to %(name)s, due back by %(due)s.") % {
        "label": key.label, "name": loan.borrower_name, "due": when(loan.due_at)}


def _key_return(request):
    key = _key(request, int_param(request.POST, "key") or 0)
    services.key_return(key=key, clerk=request.user)
    return _("Key %(label)s is back in custody.") % {"label": key.label}


def _key_count(request):
    data = _validate(request, s.KeyCountCreateSerializer)
    unexpected = [line for line in request.POST.get("unexpected_text", "").splitlines() if line.strip()]
    count = services.key_count_record(project=data["project"], clerk=request.user, note=data["note"],
                                      confirmed_key_ids=data["confirmed"], unexpected_labels=unexpected)
    return _("Key count saved: %(confirmed)s confirmed, %(missing)s missing, %(unexpected)s unexpected.") % {
        "confirmed": count.confirmed, "missing": count.missing, "unexpected": count.unexpected}


def _visit_register(request):
    visit = services.visit_register(clerk=request.user, **_validate(request, s.VisitCreateSerializer))
    request.frontdesk_created = visit
    return _("Visitor %(name)s registered, pass %(code)s.") % {"name": visit.visitor_name, "code": visit.pass_code}


def _visit_leave(request):
    visit = get_object_or_404(selectors.visits_for(request.user), pk=int_param(request.POST, "visit") or 0)
    services.visit_leave(visit=visit, clerk=request.user)
    return _("%(name)s has left.") % {"name": visit.visitor_name}


def _goods_release(request):
    release = services.goods_release_create(clerk=request.user, **_validate(request, s.GoodsReleaseCreateSerializer))
    request.frontdesk_created = release
    return _("Goods release recorded for %(unit)s.") % {"unit": release.unit}


def _pass_issue(request):
    access_pass = services.pass_issue(clerk=request.user, **_validate(request, s.AccessPassCreateSerializer))
    request.frontdesk_created = access_pass
    return _("Pass %(number)s issued.") % {"number": access_pass.number}


def _pass(request):
    return get_object_or_404(selectors.passes_for(request.user), pk=int_param(request.POST, "pass") or 0)


def _pass_renew(request):
    access_pass = services.pass_renew(access_pass=_pass(request), clerk=request.user,
                                      **_validate(request, s.AccessPassRenewSerializer))
    return _("Pass %(number)s renewed until %(day)s.") % {"number": access_pass.number, "day": access_pass.valid_until}


def _pass_cancel(request):
    access_pass = services.pass_cancel(access_pass=_pass(request), clerk=request.user)
    return _("Pass %(number)s cancelled.") % {"number": access_pass.number}


def _card_batch(request):
    batch = services.card_batch_record(clerk=request.user, **_validate(request, s.CardBatchCreateSerializer))
    return _("%(quantity)s blank cards recorded.") % {"quantity": batch.quantity}


def _card_make(request):
    card = services.card_make(clerk=request.user, **_validate(request, s.CardCreateSerializer))
    return _("Card %(number)s made; check it and confirm to issue it.") % {"number": card.number}


def _card(request):
    return get_object_or_404(selectors.cards_for(request.user), pk=int_param(request.POST, "card") or 0)


def _card_confirm(request):
    card = services.card_confirm(card=_card(request), clerk=request.user)
    return _("Card %(number)s checked and issued.") % {"number": card.number}


def _card_return(request):
    card = services.card_return(card=_card(request), clerk=request.user,
                                started_at=_validate(request, s.StartedAtSerializer).get("started_at"))
    return _("Card %(number)s returned.") % {"number": card.number}


def _card_scrap(request):
    card = services.card_scrap(card=_card(request), clerk=request.user, **_validate(request, s.CardScrapSerializer))
    return _("Card %(number)s scrapped.") % {"number": card.number}


def _mail_sign(request):
    item = services.mail_sign_for(clerk=request.user, **_validate(request, s.MailItemCreateSerializer))
    return _("Signed for; %(n)s resident(s) notified.") % {"n": item.residents_notified}


def _mail_item(request):
    return get_object_or_404(selectors.mail_for(request.user), pk=int_param(request.POST, "item") or 0)


def _mail_collect(request):
    item = services.mail_collect(item=_mail_item(request), clerk=request.user,
                                 **_validate(request, s.MailCollectSerializer))
    return _("Collected by %(name)s.") % {"name": item.collected_by_name}


def _mail_deliver(request):
    services.mail_deliver(item=_mail_item(request), user=request.user)
    return _("Marked as delivered.")


ACTIONS = {
    ("keys", "register"): _key_register, ("keys", "lend"): _key_lend, ("keys", "return"): _key_return,
    ("keys", "count"): _key_count,
    ("visitors", "register"): _visit_register, ("visitors", "leave"): _visit_leave,
    ("goods", "release"): _goods_release,
    ("passes", "issue"): _pass_issue, ("passes", "renew"): _pass_renew, ("passes", "cancel"): _pass_cancel,
    ("cards", "batch"): _card_batch, ("cards", "make"): _card_make, ("cards", "confirm"): _card_confirm,
    ("cards", "return"): _card_return, ("cards", "scrap"): _card_scrap,
    ("mail", "sign"): _mail_sign, ("mail", "collect"): _mail_collect, ("mail", "deliver"): _mail_deliver,
}


@login_required
@require_POST
def act(request, name, op):
    """Run one register action and re-render the tab with the result (htmx swaps it in)."""
    _require_tab(request.user, name)
    handler = ACTIONS.get((name, op))
    if handler is None:
        raise Http404
    context, status = {}, 200
    try:
        context["message"] = handler(request)
    except (ValidationError, BusinessRuleError) as exc:  # the API's 400: the same serializers and services
        context.update(errors=error_lists(exc), form_op=op, posted=request.POST)
        status = 400
    except StateConflict as exc:
        context.update(conflict=exc.detail, form_op=op)
        status = 409
    context["created"] = getattr(request, "frontdesk_created", None)
    context = {**_tab_context(request, name), **context}
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx answers into the tab; the errors are in the fragment
        return render(request, f"frontdesk/tabs/{name}.html", context)
    return render(request, "frontdesk/desk.html", {**context, "tabs": _tabs_for(request.user), "current": name},
                  status=status)


# ---------------------------------------------------------------- tab contents
KEY_CHOICE_FIELDS = ("pk", "label", "location", "status")


def _tab_context(request, name):
    user = request.user
    now = clock.now()
    # the form's start time: when the clerk opened it (seeds/004_418914185ea837fa.txt time standards are measured from here)
    context = {"tab": name, "form_started_at": timezone.localtime(now).isoformat(timespec="seconds"),
               "today": clock.today(), "now": now}
    if name == "keys":
        keys = selectors.keys_for(user)
        context.update(
            # the count form and the lend select show a label, a place and a state: plain rows, not keys with units
            keys=keys.order_by("status", "label").values(*KEY_CHOICE_FIELDS)[:200],
            lendable=keys.filter(status=Key.Status.IN_CUSTODY).values(*KEY_CHOICE_FIELDS),
            lent=keys.filter(status=Key.Status.LENT).order_by("due_at"),
            kinds=Key.Kind.choices, summary=selectors.key_summary(
                project_ids=access.project_ids(user, "frontdesk.keys") if not user.is_superuser else
                list(keys.values_list("project_id", flat=True).distinct()), period=clock.today().strftime("%Y-%m")),
            counts=selectors.key_counts_for(user)[:5])
    elif name == "visitors":
        visits = selectors.visits_for(user)
        context.update(inside=visits.filter(left_at__isnull=True)[:LIST_LIMIT],
                       left_today=visits.filter(left_at__isnull=False, arrived_at__date=clock.today())[:LIST_LIMIT])
    elif name == "goods":
        context.update(releases=selectors.goods_releases_for(user)[:LIST_LIMIT],
                       authorisations=GoodsRelease.Authorisation.choices)
    elif name == "passes":
        passes = selectors.passes_for(user)
        context.update(active=passes.filter(status=AccessPass.Status.ACTIVE, valid_until__gte=clock.today())[:LIST_LIMIT],
                       expired=selectors.expired_passes(passes)[:LIST_LIMIT], kinds=AccessPass.Kind.choices)
    elif name == "cards":
        cards = selectors.cards_for(user)
        project_ids = access.project_ids(user, "frontdesk.cards") if not user.is_superuser else \
            list(selectors.card_batches_for(user).values_list("project_id", flat=True).distinct())
        context.update(
            to_check=cards.filter(status=Card.Status.MADE), issued=cards.filter(status=Card.Status.ISSUED)[:LIST_LIMIT],
            batches=selectors.card_batches_for(user)[:10],
            report=selectors.card_report(project_ids=project_ids, period=clock.today().strftime("%Y-%m")),
            reports=CardReport.objects.filter(project_id__in=project_ids)[:6])
    elif name == "mail":
        items = selectors.mail_for(user)
        context.update(pending=items.filter(status=MailItem.Status.PENDING).order_by("unit__building__name",
                                                                                     "unit__floor", "signed_at"),
                       by_floor=selectors.mail_pending_by_floor(items), kinds=MailItem.Kind.choices)
    elif name == "times":
        period = request.GET.get("period") or clock.today().strftime("%Y-%m")
        try:
            context.update(report=selectors.service_time_report(
                project_ids=sorted(project_ids_for(user, "frontdesk.reports")), period=period), period=period)
        except BusinessRuleError as exc:
            context.update(errors=exc.errors, period=period)
    return context


# ---------------------------------------------------------------- autocomplete (datalist options)
@login_required
def unit_options(request):
    perm = TAB_PERMS.get(request.GET.get("tab", ""), "frontdesk.visitors")
    access.require(request.user, perm)
    units = Unit.objects.filter(access.unit_scope(request.user, perm)).select_related("building")
    units = search_units(units, request.GET.get("q") or request.GET.get("unit", "")).order_by(*UNIT_ORDER)[:10]
    return render(request, "frontdesk/_unit_options.html", {"units": units})


@login_required
def resident_options(request):
    access.require(request.user, "frontdesk.cards")
    residents = Resident.objects.filter(access.resident_scope(request.user, "frontdesk.cards")).select_related(
        "unit__building")
    residents = search_residents(residents, request.GET.get("q") or request.GET.get("resident", ""))[:15]
    return render(request, "frontdesk/_resident_options.html", {"residents": residents})


# ---------------------------------------------------------------- printable pages
@login_required
def visit_pass(request, pk):
    _require_tab(request.user, "visitors")
    visit = get_object_or_404(selectors.visits_for(request.user), pk=pk)
    return render(request, "frontdesk/print_visit_pass.html", {"visit": visit, "qr": qr_data_uri(visit.pass_code),
                                                               "history": history_rows(visit)})


@login_required
def access_pass_print(request, pk):
    _require_tab(request.user, "passes")
    access_pass = get_object_or_404(selectors.passes_for(request.user), pk=pk)
    return render(request, "frontdesk/print_access_pass.html", {"pass": access_pass,
                                                                "qr": qr_data_uri(access_pass.number)})


@login_required
def goods_receipt(request, pk):
    _require_tab(request.user, "goods")
    release = get_object_or_404(selectors.goods_releases_for(request.user), pk=pk)
    return render(request, "frontdesk/print_goods_release.html", {"release": release,
                                                                  "qr": qr_data_uri(f"GR{release.pk}")})


# ---------------------------------------------------------------- resident portal
@login_required
def portal_visitors(request):
    """A resident pre-registers a visitor and gets a code (and QR) to send them."""
    if access.is_staff_member(request.user):
        raise PermissionDenied
    homes = Resident.objects.filter(user=request.user, move_out_date__isnull=True).select_related("unit__building")
    if not homes:
        raise PermissionDenied
    context, status = {"homes": homes, "today": clock.today()}, 200
    if request.method == "POST":
        try:
            data = _validate(request, s.ExpectedVisitorCreateSerializer)
            data.pop("unit", None)
            context["created"] = services.expected_visitor_create(**data)
            context["created_qr"] = qr_data_uri(context["created"].code)
        except (ValidationError, BusinessRuleError) as exc:
            context.update(errors=error_lists(exc), posted=request.POST)
            status = 400
    context["expected"] = selectors.expected_visitors_for_resident(request.user)[:20]
    return render(request, "frontdesk/portal_visitors.html", context, status=status)
