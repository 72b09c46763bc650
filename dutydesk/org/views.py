from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from dutydesk.core.audit import history_rows
from dutydesk.core.permissions import all_permissions
from dutydesk.org import access
from dutydesk.org.models import Catalog
from dutydesk.org.selectors import post_list, post_tree


def _require(request, code):
    if not access.has_perm(request.user, code):
        raise PermissionDenied


@login_required
def chart(request):
    """The org chart: posts as a tree along the reporting lines, with their holders."""
    _require(request, "org.view")
    catalogs = list(Catalog.objects.order_by("id"))
    code = request.GET.get("catalog") or (catalogs[0].code if catalogs else None)
    current = next((c for c in catalogs if c.code == code), None)
    return render(request, "org/chart.html", {"catalogs": catalogs, "current": current,
                                              "tree": post_tree(current) if current else []})


@login_required
def post_detail(request, pk):
    _require(request, "org.view")
    post = get_object_or_404(post_list(), pk=pk)
    holdings = [h for h in post.holdings.all() if h.active]
    return render(request, "org/post.html", {
        "post": post, "holdings": holdings, "chain": list(reversed(post.chain_of_superiors())),
        "subordinates": post_list().filter(superior=post), "history": history_rows(post),
        "permission_labels": [(code, all_permissions().get(code, code)) for code in post.permissions],
    })
