from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from dutydesk.core.audit import history_rows
from dutydesk.core.permissions import all_permissions
from dutydesk.org import kpis
from dutydesk.org.access import staff_required
from dutydesk.org.models import Catalog
from dutydesk.org.selectors import duty_coverage, post_list, post_tree
from dutydesk.org.serializers import executor_name


@staff_required("org.view")
def chart(request: HttpRequest) -> HttpResponse:
    """The org chart: posts as a tree along the reporting lines, with their holders."""
    catalogs = list(Catalog.objects.order_by("id"))
    code = request.GET.get("catalog") or (catalogs[0].code if catalogs else None)
    current = next((c for c in catalogs if c.code == code), None)
    coverage = duty_coverage(current) if current else None
    tree = post_tree(current) if current else []
    by_post = {post.pk: c for post, c in coverage.posts} if coverage else {}

    def mark(nodes: list) -> None:  # each post of the tree carries its coverage (a badge beside its name)
        for post, children in nodes:
            post.coverage = by_post.get(post.pk)
            mark(children)

    mark(tree)
    return render(request, "org/chart.html", {"catalogs": catalogs, "current": current, "coverage": coverage,
                                              "tree": tree})


@staff_required("org.view")
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(post_list(), pk=pk)
    holdings = [h for h in post.holdings.all() if h.active]
    return render(request, "org/post.html", {
        "post": post, "holdings": holdings, "chain": list(reversed(post.chain_of_superiors())),
        "subordinates": post_list().filter(superior=post), "history": history_rows(post),
        "permission_labels": [(code, all_permissions().get(code, code)) for code in post.permissions],
        "kpi_rows": [(kpi, kpis.label(kpi.source)) for kpi in post.kpis.all()],
        "duty_rows": [(duty, [(e["kind"], executor_name(e)) for e in duty.executed_by]) for duty in post.duties.all()],
    })
