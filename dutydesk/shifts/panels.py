"""Who is on duty now, on other apps' pages (core/panels.py): the task page and the team inbox of the duty engine
("a task put to a post: who of that post is on duty now"), and the front desk. Bounded queries: the shift times and
the on-duty entries, whatever the number of posts (``selectors.on_duty_by_post``)."""
from typing import Any

from django.http import HttpRequest

from dutydesk.archive.models import Project
from dutydesk.core import panels
from dutydesk.org import access
from dutydesk.org.models import Post
from dutydesk.shifts import selectors

TEMPLATE = "shifts/panels/on_duty.html"


def _rows(project_ids: set[int], post_ids: set[int] | None) -> list[dict[str, Any]]:
    on_duty = selectors.on_duty_by_post(project_ids, post_ids)
    if not on_duty:
        return []
    posts = Post.objects.in_bulk({post_id for _project, post_id in on_duty})
    projects = Project.objects.in_bulk({project_id for project_id, _post in on_duty}) if len(project_ids) > 1 else {}
    return [{"post": posts[post_id], "project": projects.get(project_id), "users": users}
            for (project_id, post_id), users in sorted(on_duty.items(), key=lambda item: (item[0][0],
                                                                                        posts[item[0][1]].position))]


@panels.register("task", template=TEMPLATE, order=20)
def task_on_duty(request: HttpRequest, *, task: Any, **kwargs: Any) -> dict[str, Any] | None:
    """A task shared by a post: who of that post is on duty now, in the task's project."""
    if not (task.post_id and task.project_id and access.has_perm(request.user, "shifts.view", task.project_id)):
        return None
    users = list(selectors.on_duty(task.project_id, task.post_id))
    return {"on_duty_rows": [{"post": task.post, "project": None, "users": users}]}


@panels.register("team", template=TEMPLATE, order=20)
def team_on_duty(request: HttpRequest, **kwargs: Any) -> dict[str, Any] | None:
    """The supervisor's posts and those below them: who is on duty now."""
    user = request.user
    projects = access.project_ids(user, "duties.team") & access.project_ids(user, "shifts.view")
    if not projects:
        return None
    posts = access.subordinate_post_ids(user) | {holding.post_id for holding in access.holdings(user)}
    wanted = kwargs.get("post")
    if wanted is not None:
        posts &= {wanted.pk}
    return {"on_duty_rows": _rows(projects, posts)}


@panels.register("desk", template=TEMPLATE, order=20)
def desk_on_duty(request: HttpRequest, **kwargs: Any) -> dict[str, Any] | None:
    """The front desk: every post of the desk's projects with someone on duty now."""
    projects = access.project_ids(request.user, "shifts.view")
    if not projects:
        return None
    return {"on_duty_rows": _rows(projects, None)}
