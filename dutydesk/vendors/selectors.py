"""Reads of the vendors: lists scoped by the user's projects, the month's evaluation status, the year report, and
who still has to evaluate. Grouped queries: a report costs the same for 3 vendors or 300."""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Sum

from dutydesk.core.audit import ACTIONS, history_rows
from dutydesk.org import access
from dutydesk.org.models import Post, PostHolding
from dutydesk.vendors.models import Evaluation, Score, Supervision, Vendor

HUNDREDTH = Decimal("0.01")


def vendors_visible_to(user: Any) -> QuerySet[Vendor]:
    return (Vendor.objects.filter(access.project_scope(user, "vendors.view"))
            .prefetch_related(Prefetch("supervising_posts", queryset=Post.objects.order_by("position", "pk"))))


def evaluations_visible_to(user: Any) -> QuerySet[Evaluation]:
    return (Evaluation.objects.filter(access.project_scope(user, "vendors.view"))
            .select_related("vendor", "post", "evaluated_by")
            .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("id"))))


def held_posts(project: Any) -> QuerySet[Post]:
    """The posts held in ``project`` (the ones that may supervise a vendor), in catalogue order."""
    held = PostHolding.objects.filter(project=project, active=True).values("post_id")
    return Post.objects.filter(pk__in=held).order_by("catalog_id", "position", "pk")


def evaluated_posts(*, project: Any, month: str, vendors: list[int] | None = None) -> dict[int, set[int]]:
    """``{vendor id: {ids of the posts that evaluated it}}`` for one month (of ``vendors``, or all): one query."""
    found: dict[int, set[int]] = defaultdict(set)
    evaluations = Evaluation.objects.filter(project=project, month=month)
    if vendors is not None:
        evaluations = evaluations.filter(vendor_id__in=vendors)
    for vendor_id, post_id in evaluations.values_list("vendor_id", "post_id"):
        found[vendor_id].add(post_id)
    return found


def evaluator_posts(user: Any, vendor: Vendor) -> list[Post]:
    """The posts the user holds in the vendor's project that supervise it (prefetched posts: no query but the
    holdings, cached on the user)."""
    held = {holding.post_id for holding in access.holdings(user) if holding.project_id == vendor.project_id}
    return [post for post in vendor.supervising_posts.all() if post.pk in held]


def year_months(year: int) -> tuple[str, str]:
    """The first and last month label of ``year`` (``"2026-01"``, ``"2026-12"``): a range the index on (project,
    month) reads, where ``LIKE '2026-%'`` read every evaluation of the project (10^6: 200 ms)."""
    return f"{year:04d}-01", f"{year:04d}-12"


def _average(total: Decimal | None, count: int) -> Decimal | None:
    if not count or total is None:
        return None
    return (Decimal(total) / count).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass
class VendorYear:
    vendor: Vendor
    months: list[Decimal | None] = field(default_factory=list)  # January … December: the month's average total
    average: Decimal | None = None  # over every evaluation of the year
    evaluations: int = 0


def year_report(*, project: Any, year: int, vendors: QuerySet[Vendor] | None = None) -> list[VendorYear]:
    """Per vendor of ``project``: each month's average total (the posts' evaluations averaged), the year's average
    and the number of evaluations. Two queries (vendors, one grouped sum)."""
    evaluations = Evaluation.objects.filter(project=project, month__range=year_months(year))
    if vendors is None:
        vendors = Vendor.objects.filter(project=project)
    else:  # the vendors as a subquery: a project's thousands of ids are not sent back as parameters
        evaluations = evaluations.filter(vendor__in=vendors.values("pk"))
    rows = {vendor.pk: VendorYear(vendor=vendor, months=[None] * 12)
            for vendor in vendors.filter(project=project).order_by("kind", "name", "pk")}
    sums: dict[int, list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    grouped = evaluations.values("vendor_id", "month").annotate(total=Sum("total"), count=Count("id")).order_by()
    for group in grouped:
        row = rows[group["vendor_id"]]  # an evaluation's project is its vendor's (vendors.services)
        month = int(group["month"][5:7])
        row.months[month - 1] = _average(group["total"], group["count"])
        sums[row.vendor.pk][0] += group["total"]
        sums[row.vendor.pk][1] += group["count"]
    for vendor_id, (total, count) in sums.items():
        rows[vendor_id].average = _average(total, count)
        rows[vendor_id].evaluations = count
    return list(rows.values())


def _left_to_evaluate(*, project: Any, month: str) -> QuerySet[Supervision]:
    """The (vendor, post) pairs of ``project`` whose post is held there and has not evaluated the active vendor for
    ``month``."""
    held = PostHolding.objects.filter(project=project, active=True).values("post_id")
    evaluated = Evaluation.objects.filter(vendor=OuterRef("vendor"), post=OuterRef("post"), month=month)
    return Supervision.objects.filter(vendor__project=project, vendor__active=True, post_id__in=held).filter(
        ~Exists(evaluated))


def posts_to_remind(*, project: Any, month: str) -> dict[Post, list[str]]:
    """The supervising posts held in ``project`` with the names of the active vendors they have not evaluated for
    ``month``: two queries whatever the number of vendors (names, not vendor objects: a group's project with 5,000
    vendors has 20,000 pairs)."""
    pairs = (_left_to_evaluate(project=project, month=month)
             .order_by("post_id", "vendor__kind", "vendor__name", "vendor_id").values_list("post_id", "vendor__name"))
    names: dict[int, list[str]] = defaultdict(list)
    for post_id, name in pairs:
        names[post_id].append(name)
    posts = Post.objects.filter(pk__in=list(names)).order_by("position", "pk")
    return {post: names[post.pk] for post in posts}


def post_has_vendors_left(*, project: Any, month: str, post: Post | int) -> bool:
    """Whether ``post`` still has an active vendor to evaluate for ``month`` in ``project`` (one indexed probe)."""
    return _left_to_evaluate(project=project, month=month).filter(post=post).exists()


def vendor_history(vendor: Vendor, limit: int = 20) -> list[dict[str, Any]]:
    """The vendor's audit trail, newest first: its own changes and each supervising post added or removed (rows of
    ``core.audit.history_rows``' shape)."""
    rows = history_rows(vendor, limit=limit)
    links = (Supervision.history.filter(vendor_id=vendor.pk).select_related("history_user", "post")
             .order_by("-history_date", "-history_id")[:limit])
    label = str(Supervision._meta.verbose_name)
    for record in links:
        name = record.post.display_name if record.post else "—"
        change = (label, "—", name) if record.history_type == "+" else (label, name, "—")
        rows.append({"at": record.history_date, "user": record.history_user, "action": ACTIONS["~"], "reason": "",
                     "changes": [change]})
    return sorted(rows, key=lambda row: row["at"], reverse=True)[:limit]
