"""Who may see and do what: permissions come from the posts a user holds in a project.

- staff see only the projects where they hold a post;
- a post with scope "floors" (楼层管家) sees only the building/floors of its holding;
- a resident (a user linked to Resident records) sees only their own units and records;
- superusers see everything.

Selectors filter querysets with the ``Q`` objects built here, so a list costs one query.
"""
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q
from django.http import HttpRequest, HttpResponse

from dutydesk.org.models import Post, PostHolding, units_covered_q

NOTHING = Q(pk__in=[])
# ``user`` below is whatever a request or a record carries: a User, an AnonymousUser or None (no post, no permission)
# ``project``: a Project or its id (None: any project)
ProjectRef = Model | int | None


def holdings(user: Any) -> list[PostHolding]:
    """The active post holdings of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_dutydesk_holdings", None)
    if cached is None:
        cached = list(PostHolding.objects.filter(user=user, active=True).select_related("post", "project", "building"))
        user._dutydesk_holdings = cached
    return cached


def posts_held(user: Any, holdings_: list[PostHolding] | None = None) -> list[tuple[int, list[int]]]:
    """The posts ``user`` holds, each with the projects it is held in: ``[(post id, [project ids])]`` in id order.
    A condition over "a post I hold, in its project" is then one term per post (``post=…, project IN (…)``), not
    one per holding: a floor butler holds their post on 19 building/floor ranges, a group's manager theirs in 40
    projects. ``holdings_``: some of the user's holdings only."""
    by_post: dict[int, set[int]] = {}
    for holding in holdings(user) if holdings_ is None else holdings_:
        by_post.setdefault(holding.post_id, set()).add(holding.project_id)
    return [(post, sorted(projects)) for post, projects in sorted(by_post.items())]


def forget(user: Any) -> None:
    """Drop what is cached on the user for the request (holdings, ticket scope), after a holding changes."""
    for name in [name for name in vars(user) if name.startswith("_dutydesk_")]:
        delattr(user, name)


def is_staff_member(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or holdings(user))


def is_resident(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or is_staff_member(user):
        return False
    return user.resident_profiles.exists()


def has_perm(user: Any, code: str, project: ProjectRef = None) -> bool:
    """Does any post the user holds (in ``project``, if given) grant ``code``?"""
    if getattr(user, "is_superuser", False):
        return True
    project_id = getattr(project, "pk", project)
    return any(
        code in holding.post.permissions and (project_id is None or holding.project_id == project_id)
        for holding in holdings(user)
    )


def permissions(user: Any, project: ProjectRef = None) -> set[str]:
    project_id = getattr(project, "pk", project)
    codes: set[str] = set()
    for holding in holdings(user):
        if project_id is None or holding.project_id == project_id:
            codes.update(holding.post.permissions)
    return codes


def project_ids(user: Any, code: str | None = None) -> set[int]:
    """Projects where the user holds a post (granting ``code``, if given)."""
    return {h.project_id for h in holdings(user) if code is None or code in h.post.permissions}


def whole_projects(user: Any, code: str) -> list[int]:
    """The projects where one of the user's posts grants ``code`` on the whole project (not on a floor butler's
    floors), in id order: every row of those projects is theirs to see."""
    return sorted({h.project_id for h in holdings(user) if code in h.post.permissions and not h.on_floors})


def posts_of(user: Any, project: ProjectRef = None) -> list[Post]:
    project_id = getattr(project, "pk", project)
    return [h.post for h in holdings(user) if project_id is None or h.project_id == project_id]


def unit_scope(user: Any, code: str, unit_path: str = "", own_project: str | None = None) -> Q:
    """A ``Q`` over units (through ``unit_path``, e.g. ``"unit__"``) that ``user`` may touch
    with permission ``code``. Residents get their own units whatever the code. ``own_project``: the row's own
    project field where it carries its unit's project (``PostHolding.units_q``)."""
    if getattr(user, "is_superuser", False):
        return Q()
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    granting = [holding for holding in holdings(user) if code in holding.post.permissions]
    if granting:  # a floor butler: their building/floors; any other post: the project
        return units_covered_q(granting, unit_path, own_project)
    if not holdings(user):
        return resident_units(user, unit_path)
    return NOTHING


def resident_units(user: Any, unit_path: str = "") -> Q:
    """A ``Q`` over the units a resident user lives in (a subquery: no duplicate rows). Read through the user's
    ``resident_profiles`` (archive's Resident → user relation), so the access rules need not import archive."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    return Q(**{f"{unit_path}pk__in": user.resident_profiles.values("unit_id")})


def project_scope(user: Any, code: str | None, project_path: str = "project") -> Q:
    """A ``Q`` over objects that belong to a project (through ``project_path``)."""
    if getattr(user, "is_superuser", False):
        return Q()
    ids = project_ids(user, code)
    return Q(**{f"{project_path}__in": ids}) if ids else NOTHING


def resident_scope(user: Any, code: str, resident_path: str = "") -> Q:
    """A ``Q`` over residents: staff by the units they may see, a resident only themself."""
    if getattr(user, "is_superuser", False):
        return Q()
    if getattr(user, "is_authenticated", False) and not holdings(user):
        return Q(**{f"{resident_path}user": user})
    return unit_scope(user, code, unit_path=f"{resident_path}unit__")


def subordinate_post_ids(user: Any) -> set[int]:
    """Posts below the user's posts through the reporting lines (for supervisors' views)."""
    mine = {h.post_id for h in holdings(user)}
    children: dict[int | None, list[int]] = {}
    for post_id, superior_id in Post.objects.values_list("id", "superior_id"):
        children.setdefault(superior_id, []).append(post_id)
    found: set[int] = set()
    stack = list(mine)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found and child not in mine:
                found.add(child)
                stack.append(child)
    return found


def allows_unit(user: Any, code: str, unit: Any) -> bool:
    """May ``user`` act with ``code`` on ``unit`` (no query: uses the cached holdings)?"""
    if getattr(user, "is_superuser", False):
        return True
    return any(code in holding.post.permissions and holding.covers(unit) for holding in holdings(user))


# ---- the checks a page or endpoint makes before it calls a service (docs/architecture.md "Where permission checks
# live"); defined here, beside the rules, so every app's pages use them — org's and archive's too, which sit below
# the web edge (dutydesk/web/params.py has the project and integer parameters)

def require(user: Any, code: str, project: ProjectRef = None) -> None:
    """403 unless the user's posts grant ``code`` (in ``project`` — a project or its id — when given)."""
    if not has_perm(user, code, project):
        raise PermissionDenied


def staff_required(code: str | None = None) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A staff page: signed in (else the login page) and holding a post (with ``code``: a post that grants it in
    some project), else 403. Which project, and which objects in it, is the view's next question."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not (has_perm(request.user, code) if code else is_staff_member(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
