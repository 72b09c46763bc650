"""Request types for annotations. ``login_required`` (or ``staff_required``) guarantees a logged-in user, which
django-stubs cannot see: a view behind it takes an ``AuthenticatedHttpRequest`` (the django-stubs recipe)."""
from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    user: User
