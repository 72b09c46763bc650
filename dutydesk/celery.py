"""The Celery application (``dutydesk worker``): background jobs and scheduled jobs on a Redis broker when
``DUTYDESK_BROKER_URL`` is set; without it tasks run in-process (task_always_eager), as the embedded default."""
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutydesk.settings")

app = Celery("dutydesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["dutydesk.core"])


@worker_process_init.connect
def _prepare_worker_process(**_kwargs: object) -> None:
    """Each pool process is readied as a web worker is (``core.serving``): a job's full garbage collections no
    longer walk the ~200,000 objects of the loaded project."""
    from dutydesk.core.serving import prepare_process

    prepare_process()
