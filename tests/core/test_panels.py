from django.template import Context, Template
from django.test import RequestFactory

from dutydesk.core import panels


def test_panels_render_in_order_and_hide_when_context_is_none(tmp_path, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    (tmp_path / "p_a.html").write_text("A:{{ unit }}:{{ extra }};")
    (tmp_path / "p_b.html").write_text("B;")
    (tmp_path / "p_hidden.html").write_text("HIDDEN;")
    panels.register("test-slot", template="p_b.html", order=20)(lambda request, *, unit: {})
    panels.register("test-slot", template="p_a.html", order=10)(lambda request, *, unit: {"extra": "x"})
    panels.register("test-slot", template="p_hidden.html", order=5)(lambda request, *, unit: None)
    try:
        request = RequestFactory().get("/")
        out = Template('{% load panels %}{% panels "test-slot" unit="A-1201" %}').render(Context({"request": request}))
        assert out == "A:A-1201:x;B;"
    finally:
        panels._registry.pop("test-slot", None)
