"""The Celery application (``dutydesk worker``): background jobs and scheduled jobs on a Redis broker when
``DUTYDESK_BROKER_URL`` is set; without it tasks run in-process (task_always_eager), as the embedded default."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutydesk.settings")

app = Celery("dutydesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["dutydesk.core"])
