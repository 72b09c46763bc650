"""The post list's filters (shared/API.md "Organisation": ``/api/v1/posts/?name=`` the exact Chinese name, ``?code=``,
``?catalog=`` a catalogue's code)."""
import django_filters

from dutydesk.org.models import Post


class PostFilter(django_filters.FilterSet):
    name = django_filters.CharFilter()
    code = django_filters.CharFilter()
    catalog = django_filters.CharFilter(field_name="catalog__code")

    class Meta:
        model = Post
        fields: list[str] = []
