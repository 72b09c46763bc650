"""Read a page's form the way a browser submits it (input values, the selected option, textareas, checkboxes),
so tests can post back exactly what the user saw."""
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = None
        self._option_value = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, None)
        elif tag == "option" and self._select:
            value = attrs.get("value")
            if self.data[self._select] is None or "selected" in attrs:
                self.data[self._select] = value if value is not None else ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_values(html: str, form_id: str | None = None) -> dict:
    """The values a browser would submit for the form (the first form, or the one with ``form_id``)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    values = {key: value for key, value in reader.data.items() if value is not None}
    values.pop("csrfmiddlewaretoken", None)
    return values
