from django.db.models import Prefetch

from dutydesk.org.models import Post, PostHolding, Standard


def post_list():
    """Posts with everything the API and the org chart show, in a fixed number of queries."""
    return Post.objects.select_related("department", "catalog", "superior").prefetch_related(
        "duties", Prefetch("standards", queryset=Standard.objects.select_related("procedure")), "routines", "kpis",
        Prefetch("holdings", queryset=PostHolding.objects.select_related("user", "building", "project")),
    )


def post_tree(catalog=None):
    """Posts as a forest following the reporting lines: ``[(post, [children...]), ...]``."""
    posts = list(post_list().filter(catalog=catalog) if catalog else post_list())
    children = {}
    for post in posts:
        children.setdefault(post.superior_id, []).append(post)
    ids = {post.pk for post in posts}

    def build(post, seen):
        if post.pk in seen:
            return (post, [])
        return (post, [build(child, seen | {post.pk}) for child in children.get(post.pk, [])])

    roots = [post for post in posts if post.superior_id is None or post.superior_id not in ids]
    return [build(root, frozenset()) for root in roots]
