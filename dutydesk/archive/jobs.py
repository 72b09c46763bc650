"""The archive export as a background job (a page with a worker pool, or ``Prefer: respond-async``)."""
from typing import Any

from django.utils.translation import gettext_lazy as _

from dutydesk.archive.excel import project_export
from dutydesk.archive.models import Project
from dutydesk.archive.selectors import may_see_identity
from dutydesk.core.background import RowProgress, background_job
from dutydesk.core.models import BackgroundJob
from dutydesk.org.downloads import holding_in_job_project


def _may_see_what_the_file_shows(user: Any, job: BackgroundJob) -> bool:
    """An export with unmasked ID numbers only for someone who may see them too."""
    return (job.result or {}).get("masked", True) or may_see_identity(user, job.params.get("project"))


@background_job("archive.export", title=_("Archive export"),
                may_download=holding_in_job_project("archive.import", also=_may_see_what_the_file_shows))
def archive_export(job: BackgroundJob, *, project: int) -> dict[str, Any]:
    """Units and residents of a project as .xlsx, as the requester sees them."""
    content, filename, masked = project_export(user=job.created_by, project=Project.objects.get(pk=project),
                                               progress=lambda total: RowProgress(job, total))
    job.attach(filename, content)
    return {"filename": filename, "masked": masked}
