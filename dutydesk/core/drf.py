"""Authentication and pagination classes named in settings.REST_FRAMEWORK. Kept apart from
``api.py`` because DRF imports these while ``rest_framework.views`` is still loading."""
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.pagination import PageNumberPagination


def token_expired(token: Token) -> bool:
    return token.created <= timezone.now() - timedelta(days=settings.DUTYDESK_TOKEN_DAYS)


class BearerTokenAuthentication(TokenAuthentication):
    """``Authorization: Bearer <token>`` (shared/API.md); a token dies ``DUTYDESK_TOKEN_DAYS`` after it was made."""

    keyword = "Bearer"

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(_("The token has expired: ask for a new one."))
        return user, token


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M`` (max 200) -> ``{count, next, previous, results}``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
