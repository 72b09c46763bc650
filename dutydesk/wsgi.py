import os

from django.core.wsgi import get_wsgi_application

from dutydesk.core.serving import prepare_process

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutydesk.settings")
application = get_wsgi_application()
prepare_process()
