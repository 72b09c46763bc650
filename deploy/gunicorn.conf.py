"""gunicorn settings for DutyDesk (`gunicorn -c deploy/gunicorn.conf.py dutydesk.wsgi:application`).

Sync workers: the pages are short requests against PostgreSQL; long work goes to Celery workers, so no request
needs more than the timeout. Rule of thumb: 2 × cores + 1 workers per machine (DUTYDESK_WEB_WORKERS)."""
import multiprocessing
import os

bind = os.environ.get("DUTYDESK_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("DUTYDESK_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("DUTYDESK_WEB_THREADS", "1"))
timeout = int(os.environ.get("DUTYDESK_WEB_TIMEOUT", "30"))  # a request over 30 s is a bug: make it a job
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then (memory)
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("DUTYDESK_FORWARDED_ALLOW_IPS", "127.0.0.1")
