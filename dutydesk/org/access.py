"""Who may see and do what: permissions come from the posts a user holds in a project.

- staff see only the projects where they hold a post;
- a post with scope "floors" (楼层管家) sees only the building/floors of its holding;
- a resident (a user linked to Resident records) sees only their own units and records;
- superusers see everything.

Selectors filter querysets with the ``Q`` objects built here, so a list costs one query.
"""
from django.db.models import Q

from dutydesk.org.models import Post, PostHolding

NOTHING = Q(pk__in=[])


def holdings(user):
    """The active post holdings of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_dutydesk_holdings", None)
    if cached is None:
        cached = list(PostHolding.objects.filter(user=user, active=True).select_related("post", "project", "building"))
        user._dutydesk_holdings = cached
    return cached


def forget(user):
    """Drop what is cached on the user for the request (holdings, ticket scope), after a holding changes."""
    for name in [name for name in vars(user) if name.startswith("_dutydesk_")]:
        delattr(user, name)


def is_staff_member(user):
    return bool(getattr(user, "is_superuser", False) or holdings(user))


def is_resident(user):
    if not getattr(user, "is_authenticated", False) or is_staff_member(user):
        return False
    return user.resident_profiles.exists()


def has_perm(user, code, project=None):
    """Does any post the user holds (in ``project``, if given) grant ``code``?"""
    if getattr(user, "is_superuser", False):
        return True
    project_id = getattr(project, "pk", project)
    return any(
        code in holding.post.permissions and (project_id is None or holding.project_id == project_id)
        for holding in holdings(user)
    )


def permissions(user, project=None):
    project_id = getattr(project, "pk", project)
    codes = set()
    for holding in holdings(user):
        if project_id is None or holding.project_id == project_id:
            codes.update(holding.post.permissions)
    return codes


def project_ids(user, code=None):
    """Projects where the user holds a post (granting ``code``, if given)."""
    return {h.project_id for h in holdings(user) if code is None or code in h.post.permissions}


def posts_of(user, project=None):
    project_id = getattr(project, "pk", project)
    return [h.post for h in holdings(user) if project_id is None or h.project_id == project_id]


def unit_scope(user, code, unit_path=""):
    """A ``Q`` over units (through ``unit_path``, e.g. ``"unit__"``) that ``user`` may touch
    with permission ``code``. Residents get their own units whatever the code."""
    if getattr(user, "is_superuser", False):
        return Q()
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    scope = NOTHING
    granted = False
    for holding in holdings(user):
        if code not in holding.post.permissions:
            continue
        granted = True
        if holding.post.scope == Post.Scope.FLOORS and holding.building_id:
            part = Q(**{f"{unit_path}building_id": holding.building_id})
            if holding.floor_from is not None:
                part &= Q(**{f"{unit_path}floor__gte": holding.floor_from})
            if holding.floor_to is not None:
                part &= Q(**{f"{unit_path}floor__lte": holding.floor_to})
        else:
            part = Q(**{f"{unit_path}project_id": holding.project_id})
        scope |= part
    if granted:
        return scope
    if not holdings(user):
        return resident_units(user, unit_path)
    return NOTHING


def resident_units(user, unit_path=""):
    """A ``Q`` over the units a resident user lives in (a subquery: no duplicate rows)."""
    from dutydesk.archive.models import Resident

    return Q(**{f"{unit_path}pk__in": Resident.objects.filter(user=user).values("unit_id")})


def project_scope(user, code, project_path="project"):
    """A ``Q`` over objects that belong to a project (through ``project_path``)."""
    if getattr(user, "is_superuser", False):
        return Q()
    ids = project_ids(user, code)
    return Q(**{f"{project_path}__in": ids}) if ids else NOTHING


def resident_scope(user, code, resident_path=""):
    """A ``Q`` over residents: staff by the units they may see, a resident only themself."""
    if getattr(user, "is_superuser", False):
        return Q()
    if getattr(user, "is_authenticated", False) and not holdings(user):
        return Q(**{f"{resident_path}user": user})
    return unit_scope(user, code, unit_path=f"{resident_path}unit__")


def subordinate_post_ids(user):
    """Posts below the user's posts through the reporting lines (for supervisors' views)."""
    mine = {h.post_id for h in holdings(user)}
    children = {}
    for post_id, superior_id in Post.objects.values_list("id", "superior_id"):
        children.setdefault(superior_id, []).append(post_id)
    found, stack = set(), list(mine)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found and child not in mine:
                found.add(child)
                stack.append(child)
    return found


def allows_unit(user, code, unit):
    """May ``user`` act with ``code`` on ``unit`` (no query: uses the cached holdings)?"""
    if getattr(user, "is_superuser", False):
        return True
    for holding in holdings(user):
        if code not in holding.post.permissions:
            continue
        if holding.post.scope == Post.Scope.FLOORS and holding.building_id:
            if (holding.building_id == unit.building_id
                    and (holding.floor_from is None or unit.floor >= holding.floor_from)
                    and (holding.floor_to is None or unit.floor <= holding.floor_to)):
                return True
        elif holding.project_id == unit.project_id:
            return True
    return False
