from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def field_errors(errors, name, form_op=None, op=None):
    """The errors of one field, shown under the form that was posted (``op``)."""
    if not hasattr(errors, "get") or name not in errors or (op is not None and form_op != op):
        return ""
    return format_html_join("", '<div class="error" data-field="{}">{}</div>', ((name, m) for m in errors[name]))


@register.simple_tag
def posted_value(posted, name, default="", form_op=None, op=None):
    """What the clerk typed, kept when the form comes back with errors."""
    if not hasattr(posted, "get") or (op is not None and form_op != op):
        return default
    return posted.get(name, default)
