"""``get_FOO_display()`` without rebuilding the field's choices on every call.

Django's ``Model._get_FIELD_display`` turns the field's whole choice list into a dict (``make_hashable`` of every
translated label, which translates each one) each time a label is shown: a list of 50 work orders showing kind
and status translated ~800 labels to show 100 (≈ 8 % of the ticket list's time at 10M work orders, issue 11). The
mixin keeps one ``{value: lazy label}`` dict per field; the label is still translated when it is shown, in the
reader's language."""
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class ChoiceLabels:
    """Put before ``models.Model`` in a model's bases; Django binds ``get_FOO_display`` to this method."""

    def _get_FIELD_display(self, field: models.Field) -> str:
        value = getattr(self, field.attname)
        labels = field.__dict__.get("_choice_labels")
        if labels is None:
            labels = field.__dict__["_choice_labels"] = dict(make_hashable(field.flatchoices))
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
