from typing import Any

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

from dutydesk.org.models import Catalog, Duty, Post, PostHolding, Standard


def post_list(*, holdings: bool = True) -> QuerySet[Post]:
    """Posts with everything the API and the org chart show, in a fixed number of queries (``holdings=False``: without
    their holdings, which a group holds by the thousand: a page shows one project's, ``holdings_in``)."""
    posts = Post.objects.select_related("department", "catalog", "superior").prefetch_related(
        "duties", Prefetch("standards", queryset=Standard.objects.select_related("procedure")), "routines", "kpis")
    if holdings:
        posts = posts.prefetch_related(
            Prefetch("holdings", queryset=PostHolding.objects.select_related("user", "building", "project")))
    return posts


def holdings_in(post: Post, project: Any) -> QuerySet[PostHolding]:
    """The active holdings of ``post`` in ``project``: who holds it there, on which buildings and floors."""
    return (PostHolding.objects.filter(post=post, project=project, active=True).select_related("user", "building")
            .order_by("user__username", "building__name", "floor_from", "pk"))


def post_tree(catalog: Catalog | None = None, project: Any = None) -> list[tuple[Post, list]]:
    """Posts as a forest following the reporting lines: ``[(post, [children...]), ...]``; each post carries
    ``holders``, the people holding it (in ``project`` when given: a group of 400 projects has thousands of floor
    butlers), each once however many building/floor ranges they hold it on (a floor butler of 19 ranges was listed
    19 times, and the chart read 3,240 holdings with their buildings and projects at 600,000 units)."""
    posts = list(Post.objects.filter(catalog=catalog) if catalog else Post.objects.all())
    people: dict[int, list[int]] = {}
    holdings = PostHolding.objects.filter(post__in=posts, active=True)
    if project is not None:
        holdings = holdings.filter(project=project)
    for post_id, user_id in holdings.values_list("post_id", "user_id").order_by("pk"):
        if user_id not in people.setdefault(post_id, []):
            people[post_id].append(user_id)
    users = get_user_model().objects.in_bulk({user for ids in people.values() for user in ids})
    for post in posts:
        post.holders = [users[user] for user in people.get(post.pk, [])]  # type: ignore[attr-defined]
    children: dict[int | None, list[Post]] = {}
    for post in posts:
        children.setdefault(post.superior_id, []).append(post)
    ids = {post.pk for post in posts}

    def build(post: Post, seen: frozenset[int]) -> tuple[Post, list]:
        if post.pk in seen:
            return (post, [])
        return (post, [build(child, seen | {post.pk}) for child in children.get(post.pk, [])])

    roots = [post for post in posts if post.superior_id is None or post.superior_id not in ids]
    return [build(root, frozenset()) for root in roots]


def butler_holdings(*, project: Any = None, unit: Any = None) -> QuerySet[PostHolding]:
    """The floor butlers (楼层管家): active holdings of a floors-scoped post on a building (``PostHolding.on_floors``)
    — of ``project``, or those whose building and floors cover ``unit`` (the unit's butlers). A butler's units
    are ``holding.units_q()``."""
    holdings = PostHolding.objects.filter(active=True, post__scope=Post.Scope.FLOORS, building__isnull=False)
    if project is not None:
        holdings = holdings.filter(project=project)
    if unit is not None:
        holdings = holdings.filter(
            Q(floor_from__isnull=True) | Q(floor_from__lte=unit.floor),
            Q(floor_to__isnull=True) | Q(floor_to__gte=unit.floor), project_id=unit.project_id, building_id=unit.building_id)
    return holdings.select_related("post")


@dataclass
class Coverage:
    """How many duty sentences something in the system executes (issue 15): for a post, or a whole catalogue."""
    duties: int = 0
    executed: int = 0
    posts: list[tuple[Post, "Coverage"]] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        """executed ÷ duties, 0..1 to 4 places; None when there are no duties."""
        if not self.duties:
            return None
        return (Decimal(self.executed) / Decimal(self.duties)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def duty_coverage(catalog: Catalog | None = None) -> Coverage:
    """Duties and executed duties per post (of ``catalog``, or every catalogue): one GROUP BY."""
    posts = Post.objects.select_related("catalog").order_by("catalog_id", "position", "pk")
    if catalog is not None:
        posts = posts.filter(catalog=catalog)
    rows = (Duty.objects.filter(post__in=posts).values_list("post_id")
            .annotate(duties=Count("pk"), done=Count("pk", filter=~Q(executed_by=[]))).order_by())
    counts = {post_id: (duties, executed) for post_id, duties, executed in rows}
    total = Coverage()
    for post in posts:
        duties, executed = counts.get(post.pk, (0, 0))
        total.duties += duties
        total.executed += executed
        total.posts.append((post, Coverage(duties, executed)))
    return total

