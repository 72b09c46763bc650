# The Celery app is loaded with Django, so tasks sent from web requests and commands use its broker settings.
from dutydesk.celery import app as celery_app  # noqa: E402

__all__ = ["celery_app"]
