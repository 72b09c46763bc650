from decimal import Decimal

from django.template import Context, Template

from dutydesk.core.money import format_amount, format_percent, format_rate


def test_amounts_have_thousands_separators_and_two_places():
    assert format_amount(Decimal("222586.29")) == "¥222,586.29"
    assert format_amount(Decimal("5")) == "¥5.00"
    assert format_amount(Decimal("-1234.5")) == "-¥1,234.50"
    assert format_amount(None) == ""


def test_rates_read_as_percentages():
    assert format_rate(Decimal("0.8857")) == "88.57 %"
    assert format_rate("1") == "100.00 %"
    assert format_rate(None) == "—"
    assert format_percent(Decimal("95")) == "95.00 %"


def test_filters_in_templates():
    out = Template("{% load money %}{{ a|yuan }}|{{ a|amount }}|{{ r|rate }}|{{ p|percent }}").render(
        Context({"a": Decimal("1234567.891"), "r": Decimal("0.95"), "p": "88.571"}))
    assert out == "¥1,234,567.89|1,234,567.89|95.00 %|88.57 %"
