"""Writes of the vendors: keyword-only functions, one verb each, each in one transaction with its history.

The web edge has checked the permission and the project; these check the input (400), the state of the row they lock
(409: a second evaluation of the same vendor, month and post) and the rule of the object itself (403 ``Denied``: only a
post that supervises the vendor evaluates it, and only someone holding that post)."""
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.periods import Period
from dutydesk.core.permissions import Denied
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_complete, task_create_once
from dutydesk.org.models import Post, PostHolding, Routine
from dutydesk.vendors import selectors
from dutydesk.vendors.criteria import criteria_for
from dutydesk.vendors.models import Evaluation, Score, Supervision, Vendor

HUNDREDTH = Decimal("0.01")
REMINDER_SOURCE = "vendors.evaluation_due"
# seeds/004_418914185ea837fa.txt monthly summaries fall due before the 5th; the catalogue's 环境管理主管 routine
# monthly-vendor-evaluation does the same (day 5): the evaluation of a month is due on the 5th of the next
DUE_DAY = 5
# a post whose catalogue routine already is this duty gets no second reminder: the routine's task is the reminder
ROUTINE_CODE = "monthly-vendor-evaluation"


@transaction.atomic
def vendor_save(*, project: Project, name: str, kind: str, supervising_posts: Iterable[Post],
                contact_name: str = "", phone: str = "", contract_starts_on: date | None = None,
                contract_ends_on: date | None = None, active: bool = True, vendor: Vendor | None = None) -> Vendor:
    """Create a vendor, or change ``vendor``. It needs at least one supervising post held in the project (the posts
    that evaluate it)."""
    name, contact_name, phone = name.strip(), contact_name.strip(), phone.strip()
    posts = list(supervising_posts)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("This field is required.")]
    elif Vendor.objects.filter(project=project, name=name).exclude(pk=vendor.pk if vendor else 0).exists():
        errors["name"] = [_("The project has a vendor of this name already.")]
    if kind not in Vendor.Kind.values:
        errors["kind"] = [_("Choose the service.")]
    held = set(PostHolding.objects.filter(project=project, active=True).values_list("post_id", flat=True))
    if not posts:
        errors["supervising_posts"] = [_("Choose the posts that supervise and evaluate the vendor.")]
    elif any(post.pk not in held for post in posts):
        errors["supervising_posts"] = [_("Choose posts held in the project.")]
    if contract_starts_on and contract_ends_on and contract_ends_on < contract_starts_on:
        errors["contract_ends_on"] = [_("The contract ends before it starts.")]
    if errors:
        raise BusinessRuleError(errors)
    if vendor is not None:
        vendor = Vendor.objects.select_for_update().get(pk=vendor.pk)
    else:
        vendor = Vendor(project=project)
    vendor.name, vendor.kind, vendor.contact_name, vendor.phone = name[:100], kind, contact_name[:50], phone[:30]
    vendor.contract_starts_on, vendor.contract_ends_on, vendor.active = contract_starts_on, contract_ends_on, active
    try:
        with transaction.atomic():
            vendor.save()
    except IntegrityError:
        raise BusinessRuleError({"name": [_("The project has a vendor of this name already.")]}) from None
    _supervisions_set(vendor, posts)
    return vendor


def _supervisions_set(vendor: Vendor, posts: list[Post]) -> None:
    """Add and remove the vendor's supervising posts one row at a time, so each change has its history row."""
    wanted = {post.pk for post in posts}
    for supervision in Supervision.objects.filter(vendor=vendor).exclude(post_id__in=wanted):
        supervision.delete()
    present = set(Supervision.objects.filter(vendor=vendor).values_list("post_id", flat=True))
    for post in posts:
        if post.pk not in present:
            Supervision.objects.create(vendor=vendor, post=post)
            present.add(post.pk)


def _score(value: Any) -> int | None:
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        return None
    if not number.is_finite() or number != number.to_integral_value() or not 0 <= number <= 100:
        return None
    return int(number)


def evaluation_month(month: str | Period, field: str = "month") -> Period:
    """The month evaluated: ``YYYY-MM``, not after the current month."""
    period = Period.parse(month, field)
    if period.start > clock.today():
        raise BusinessRuleError({field: [_("A month still to come cannot be evaluated.")]})
    return period


def evaluation_post(*, vendor: Vendor, user: Any, post: Post | None = None) -> Post:
    """The post the evaluation is made as: ``post`` (checked below), else the only post of the user that supervises
    the vendor."""
    if post is not None:
        return post
    posts = selectors.evaluator_posts(user, vendor)
    if len(posts) == 1:
        return posts[0]
    if not posts:
        raise Denied(_("None of your posts supervises %(vendor)s.") % {"vendor": vendor})
    raise BusinessRuleError({"post": [_("Choose the post you evaluate as.")]})


@transaction.atomic
def evaluation_record(*, vendor: Vendor, month: str | Period, post: Post, evaluated_by: Any,
                      scores: Mapping[str, Any], comments: str = "") -> Evaluation:
    """One post's evaluation of one vendor for one month: a 0–100 score for every criterion of the vendor's kind
    (``criteria.py``), the weighted total (half up to the cent) and the comments. Only a post that supervises the vendor,
    by a holder of it (else 403); one per vendor, month and post (a second → 409; the vendor row is locked, so two
    at once give one 201 and one 409)."""
    period = evaluation_month(month)
    vendor = Vendor.objects.select_for_update().get(pk=vendor.pk)
    criteria = criteria_for(vendor.kind)
    errors: dict[str, list[str]] = {}
    given: dict[str, int] = {}
    for criterion in criteria:
        if criterion.code not in scores or scores[criterion.code] in (None, ""):
            errors[f"scores.{criterion.code}"] = [_("Give a score from 0 to 100.")]
            continue
        value = _score(scores[criterion.code])
        if value is None:
            errors[f"scores.{criterion.code}"] = [_("Give a whole number from 0 to 100.")]
        else:
            given[criterion.code] = value
    unknown = sorted(set(scores) - {criterion.code for criterion in criteria})
    if unknown:
        errors["scores"] = [_("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if len(comments) > 2000:
        errors["comments"] = [_("Keep the comments under 2,000 characters.")]
    if errors:
        raise BusinessRuleError(errors)
    if not vendor.supervising_posts.filter(pk=post.pk).exists():
        raise Denied(_("%(post)s does not supervise %(vendor)s.") % {"post": post, "vendor": vendor})
    if not (getattr(evaluated_by, "is_superuser", False) or PostHolding.objects.filter(
            user=evaluated_by, post=post, project=vendor.project_id, active=True).exists()):
        raise Denied(_("Only a holder of %(post)s evaluates as that post.") % {"post": post})
    if Evaluation.objects.filter(vendor=vendor, month=period.label, post=post).exists():
        raise StateConflict(_("%(post)s has already evaluated %(vendor)s for %(month)s.")
                            % {"post": post, "vendor": vendor, "month": period.label})
    total = sum((Decimal(given[c.code]) * c.weight for c in criteria), Decimal(0)) / 100
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                vendor=vendor, project_id=vendor.project_id, month=period.label, post=post, evaluated_by=evaluated_by,
                evaluated_at=clock.now(), total=total.quantize(HUNDREDTH, rounding=ROUND_HALF_UP),
                comments=comments.strip())
    except IntegrityError:
        raise StateConflict(_("%(post)s has already evaluated %(vendor)s for %(month)s.")
                            % {"post": post, "vendor": vendor, "month": period.label}) from None
    with override("zh-hans"):  # the criterion's name as the records keep it
        for criterion in criteria:
            Score.objects.create(evaluation=evaluation, criterion=criterion.code, name=str(criterion.label),
                                 weight=criterion.weight, score=given[criterion.code])
    _reminder_done(evaluation, evaluated_by)
    return evaluation


def reminder_key(project_id: int, post_id: int, month: str) -> str:
    return f"vendors:evaluate:{project_id}:{post_id}:{month}"


def _reminder_done(evaluation: Evaluation, user: Any) -> None:
    """The post's reminder for the month is done once the post has evaluated every active vendor it supervises."""
    task = Task.objects.filter(source_key=reminder_key(evaluation.project_id, evaluation.post_id, evaluation.month),
                               status=Task.Status.OPEN).first()
    if task is None:
        return
    if not selectors.post_has_vendors_left(project=evaluation.project_id, month=evaluation.month,
                                           post=evaluation.post_id):
        task_complete(task=task, user=user, note=_("Every vendor of the post is evaluated for %(month)s.")
                      % {"month": evaluation.month})


TITLE_NAMES = 5  # a reminder's title names this many vendors, then says how many there are in all


def _name_some(names: list[str]) -> str:
    """``A、B、C``; past ``TITLE_NAMES``: ``A、B、C、D、E 等 12 家`` (a title holds 200 characters)."""
    if len(names) <= TITLE_NAMES:
        return "、".join(names)
    return _("%(names)s and others, %(count)s in all") % {"names": "、".join(names[:TITLE_NAMES]),
                                                          "count": len(names)}


def evaluation_reminders(*, project: Project, month: str | Period) -> int:
    """One task per supervising post held in ``project`` with vendors left to evaluate for ``month``, due on the
    ``DUE_DAY`` of the next month at 17:00 (seeds/000_d44081c6db2527f0.txt:519 篇18 10.2 每月对…外包供应商的服务质量和
    效果进行考评). A post whose catalogue has the routine ``monthly-vendor-evaluation`` (环境管理主管, :437) already gets
    that routine's task and no second one. Idempotent (``task_create_once``). Returns the tasks created."""
    period = Period.parse(month)
    left = selectors.posts_to_remind(project=project, month=period.label)
    with_routine = set(Routine.objects.filter(post__in=list(left), code=ROUTINE_CODE).values_list("post_id", flat=True))
    due_at = clock.at(period.end + timedelta(days=DUE_DAY - 1), "17:00")
    created = 0
    for post, names in left.items():
        if post.pk in with_routine:
            continue
        url = f"{reverse('vendors:list')}?project={project.pk}&month={period.label}"
        with override("zh-hans"):
            title = _("Evaluate the vendors for %(month)s: %(vendors)s") % {
                "month": period.label, "vendors": _name_some(names)}
            description = _("Score each vendor your post supervises on its criteria (0–100) and note what must be "
                            "put right; the evaluations feed the vendor report and the fee certification.")
        _task, was_created = task_create_once(
            source=REMINDER_SOURCE, source_key=reminder_key(project.pk, post.pk, period.label), post=post,
            project=project, due_at=due_at, url=url, title=title, description=description)
        created += was_created
    return created
