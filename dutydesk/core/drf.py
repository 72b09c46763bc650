"""Authentication and pagination classes named in settings.REST_FRAMEWORK. Kept apart from
``api.py`` because DRF imports these while ``rest_framework.views`` is still loading."""
from rest_framework.authentication import TokenAuthentication
from rest_framework.pagination import PageNumberPagination


class BearerTokenAuthentication(TokenAuthentication):
    """``Authorization: Bearer <token>`` (shared/API.md)."""

    keyword = "Bearer"


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M`` (max 200) -> ``{count, next, previous, results}``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

