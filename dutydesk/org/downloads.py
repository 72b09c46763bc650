"""Who may download the file a background job produced (``core.background.background_job(may_download=...)``):
rules written in terms of posts, so they live with the access rules, not in core."""
from collections.abc import Callable
from typing import Any

from dutydesk.org import access
from dutydesk.org.models import Post


def holding_in_job_project(code: str, *, also: Callable[[Any, Any], object] | None = None) -> Callable[[Any, Any], bool]:
    """A ``may_download`` rule: users holding ``code`` in the job's project (``params["project"]``) through a post
    that covers the whole project; a floors-scoped post sees fewer rows than the file may hold. ``also(user, job)``
    adds a condition (e.g. the identity right for an unmasked export)."""
    def check(user: Any, job: Any) -> bool:  # job: a core.BackgroundJob
        project_id = job.params.get("project")
        holds = any(code in holding.post.permissions and holding.project_id == project_id
                    and holding.post.scope != Post.Scope.FLOORS for holding in access.holdings(user))
        return holds and (also is None or bool(also(user, job)))
    return check
