from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from dutydesk.core.audit import history_rows
from dutydesk.core.filters import as_int
from dutydesk.core.paging import BoundedPaginator
from dutydesk.core.permissions import all_permissions
from dutydesk.org import access, kpis
from dutydesk.org.access import staff_required
from dutydesk.org.models import Catalog, PostHolding
from dutydesk.org.selectors import duty_coverage, holdings_in, post_list, post_tree
from dutydesk.org.serializers import executor_name

HOLDINGS_PER_PAGE = 50  # a large project's floor-butler post: 3,000 building/floor ranges (600,000 units)


def _project(request: HttpRequest) -> tuple[Any, Any]:
    """The project whose holders the chart and a post page name (asked for, else the first), and the viewer's projects
    to pick from: a group's posts are held by thousands across its projects. The projects are archive's, reached
    through the holdings' key (org sits below archive). None yet (a new install): none, nobody named."""
    projects = PostHolding._meta.get_field("project").related_model._default_manager.order_by("pk")
    if not request.user.is_superuser:
        projects = projects.filter(pk__in=access.project_ids(request.user, "org.view"))
    wanted = as_int(request.GET.get("project"))
    chosen = projects.filter(pk=wanted).first() if wanted is not None else None
    return chosen or projects.first(), projects


@staff_required("org.view")
def chart(request: HttpRequest) -> HttpResponse:
    """The org chart: posts as a tree along the reporting lines, with their holders."""
    catalogs = list(Catalog.objects.order_by("id"))
    code = request.GET.get("catalog") or (catalogs[0].code if catalogs else None)
    current = next((c for c in catalogs if c.code == code), None)
    coverage = duty_coverage(current) if current else None
    project, projects = _project(request)
    tree = post_tree(current, project) if current else []
    by_post = {post.pk: c for post, c in coverage.posts} if coverage else {}

    def mark(nodes: list) -> None:  # each post of the tree carries its coverage (a badge beside its name)
        for post, children in nodes:
            post.coverage = by_post.get(post.pk)
            mark(children)

    mark(tree)
    return render(request, "org/chart.html", {"catalogs": catalogs, "current": current, "coverage": coverage,
                                              "tree": tree, "project": project, "projects": projects})


@staff_required("org.view")
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(post_list(holdings=False), pk=pk)
    project, projects = _project(request)
    return render(request, "org/post.html", {
        "post": post, "project": project, "projects": projects,
        "holdings": BoundedPaginator(holdings_in(post, project) if project is not None else PostHolding.objects.none(),
                                     HOLDINGS_PER_PAGE).get_page(request.GET.get("page")),
        "chain": list(reversed(post.chain_of_superiors())),
        "subordinates": post.subordinates.all(), "history": history_rows(post),
        "permission_labels": [(code, all_permissions().get(code, code)) for code in post.permissions],
        "kpi_rows": [(kpi, kpis.label(kpi.source)) for kpi in post.kpis.all()],
        "duty_rows": [(duty, [(e["kind"], executor_name(e)) for e in duty.executed_by]) for duty in post.duties.all()],
    })
