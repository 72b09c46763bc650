"""What each page and API endpoint asks of a request, asked one way everywhere: the project it is about
(``project_choice`` for a page's project picker, ``project_param`` for an endpoint's ``project``) and integer
parameters (``int_param``). The permission it needs is asked with ``access.staff_required(code)`` (a page) and
``access.require(user, code, project)`` (dutydesk/org/access.py: beside the rules, so that org's and archive's
pages, below this edge, use the same two).

Permission checks live at the web edge (docs/architecture.md "Where permission checks live"): a view or endpoint
checks the permission code it needs before it calls a service; services assume the caller was allowed. The helpers
raise Django's ``PermissionDenied`` / ``Http404`` (the site's 403 and 404 pages; DRF's 403 and 404 bodies) and
``BusinessRuleError`` for a bad parameter (the API's 400 ``{"errors": {name: [message]}}``). The messages are the
caller's: each app keeps its own wording and translations."""
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from dutydesk.archive.models import Project
from dutydesk.core.errors import BusinessRuleError
from dutydesk.core.filters import as_int
from dutydesk.org import access


def int_param(params: Mapping[str, Any], name: str, *, error: str | None = None, signed: bool = False) -> int | None:
    """``params[name]`` as an int; None when it is absent or empty. Not a number: with ``error``, 400
    ``{name: [error]}``; without, None (the parameter is ignored, as a page ignores a hand-edited URL). The API's list
    filters read their ids the same way (``core.filters.IntFilter``)."""
    value = params.get(name)
    if value in (None, ""):
        return None
    number = as_int(value, signed=signed)
    if number is None and error is not None:
        raise BusinessRuleError({name: [error]})
    return number


def projects_for(user: Any, code: str | None = None) -> QuerySet[Project]:
    """The projects the user works in (with ``code``: where one of their posts grants it), by id; a superuser:
    every project."""
    projects = Project.objects.order_by("pk")
    if getattr(user, "is_superuser", False):
        return projects
    return projects.filter(pk__in=access.project_ids(user, code))


def project_ids_for(user: Any, *codes: str) -> set[int]:
    """The ids of the projects where the user's posts grant any of ``codes`` (a superuser: every project);
    none at all → 403."""
    if getattr(user, "is_superuser", False):
        ids = set(Project.objects.values_list("pk", flat=True))
    else:
        ids = set().union(*(access.project_ids(user, code) for code in codes))
    if not ids:
        raise PermissionDenied
    return ids


def project_choice(request: HttpRequest, code: str | None = None, *,
                   outside: str = "deny") -> tuple[Project, QuerySet[Project]]:
    """A staff page's project picker: ``(project, projects)``, the ``project`` asked for (GET, else POST) among
    ``projects_for(user, code)``, else the first of them; no project at all → 403. A ``project`` outside them:
    403, or with ``outside="first"`` the first project (a page that falls back quietly)."""
    projects = projects_for(request.user, code)
    wanted = int_param({"project": request.GET.get("project") or request.POST.get("project")}, "project")
    project = projects.filter(pk=wanted).first() if wanted is not None else None
    if project is None and wanted is not None and outside == "deny":
        raise PermissionDenied
    project = project or projects.first()
    if project is None:
        raise PermissionDenied
    return project, projects


def project_param(params: Mapping[str, Any], user: Any, code: str, *, required: str | None = None,
                  invalid: str | None = None) -> Project:
    """An endpoint's ``project`` parameter, checked: a project where the user's posts grant ``code``.

    Absent: with ``required``, 400 ``{"project": [required]}``; without, the first such project (none → 403).
    Not a number: 400 with ``invalid`` (else ``required``). No such project → 404; one the user may not → 403."""
    projects = projects_for(user, code)
    wanted = int_param(params, "project", error=invalid or required)
    if wanted is None:
        if required is not None:
            raise BusinessRuleError({"project": [required]})
        project = projects.first()
        if project is None:
            raise Http404 if getattr(user, "is_superuser", False) else PermissionDenied
        return project
    project = projects.filter(pk=wanted).first()
    if project is None:
        raise PermissionDenied if Project.objects.filter(pk=wanted).exists() else Http404
    return project
