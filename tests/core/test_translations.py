"""Chinese is the default language: every app's catalogue must be complete and compiled."""
from pathlib import Path

import polib
import pytest

APPS = sorted(p for p in (Path(__file__).resolve().parents[2] / "dutydesk").iterdir() if (p / "apps.py").exists())


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_every_string_has_a_chinese_translation(app):
    po_path = app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    if not po_path.exists():
        pytest.skip("no translatable strings")
    po = polib.pofile(str(po_path))
    missing = [entry.msgid for entry in po if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)]
    assert missing == [], f"{po_path}: untranslated or fuzzy: {missing[:10]}"


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
def test_compiled_catalogue_matches_the_po_file(app):
    po_path = app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    if not po_path.exists():
        pytest.skip("no translatable strings")
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run: bash scripts/messages compile ({mo_path} missing)"
    po = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.pofile(str(po_path)) if e.translated()}
    mo = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(mo_path)) if e.msgid}
    assert po == mo, f"{mo_path} is stale: run bash scripts/messages compile"


@pytest.mark.parametrize(("context", "word", "chinese"), [
    ("billing", "Received", "实收"),       # money received; the work orders' "Received" is 受理时间
    ("work orders", "Received", "受理"),   # the monthly report's count of work orders received
    ("cards", "Remaining", "剩余卡"),      # access cards left; a work order's "Remaining" is 剩余时间
    ("answer kind", "number", "数字"),     # a question answered by a number; a ticket's "number" is 编号
    ("post holding", "active", "在任"),    # a post held now; a charge item or a category that is "active" is 启用
    (None, "active", "启用"),
    ("visitors", "visit", "来访"),         # a visitor's visit at the gate; a return visit's "visit" is 上门
    ("mail", "letter", "平邮信件"),        # a letter in the mail room; an opinion that came by letter: 信函
    (None, "letter", "信函"),
    ("question kind", "choice", "单选"),   # a survey question answered by choosing; a register field of choices: 选项
    (None, "choice", "选项"),
    ("pre-registration", "code", "预约码"),  # the code a visitor shows at the gate; a post's or a project's code: 编码
    ("count", "Units", "单元数"),          # a column counting units; the archive's list of units: 房屋单元
    ("cash-up", "Clerk", "收款人"),        # who took the money; the front desk's clerk: 经办人
])
def test_a_word_with_two_meanings_reads_right_in_each(context, word, chinese):
    """Django merges the apps' catalogues and the first app's translation of a plain msgid wins for every app: an
    English word meaning two things in two apps needs a context, or one app shows the other's Chinese."""
    from django.utils import translation

    with translation.override("zh-hans"):
        assert (translation.pgettext(context, word) if context else translation.gettext(word)) == chinese


# Plain msgids that two apps translate differently where either translation reads right on every page that shows it
# (synonyms such as 查看/显示, or the same sentence worded twice). Django merges the apps' catalogues and the first app
# in INSTALLED_APPS wins everywhere, so only one of the translations is ever seen.
SYNONYMS = {
    "Approve", "Assignee", "Back", "By", "Completed", "Due", "Due time", "ID number", "KPI", "Kind", "Location",
    "Overdue", "Procedure", "Progress", "Received", "Record", "Recorded by", "Reject", "Resolved", "Search",
    "Service-time standards", "Show", "Subordinate posts", "Superior post", "Target", "Today", "Unit", "Within limit",
    "active", "cancelled", "closed", "closed at", "daily", "description", "e-mail", "kind", "location", "note",
    "overdue", "procedure", "reason", "received at", "recorded at", "recorded by", "resident", "target",
    "times a week", "unit", "visit", "routed to %(post)s",
    # the same message worded twice
    "Enter an amount such as 120.00.", "Give the period as YYYY-MM.", "No such unit in this project (write it as "
    "A-1201).", "Nobody holds this post in the project.", "This field is required.", "Unknown post.",
    "Unknown project.", "Use the form YYYY-MM-DD.",
}


def test_a_word_two_apps_translate_differently_is_a_known_synonym():
    """A new English word that another app already translates otherwise shows that app's Chinese on this app's pages:
    give it a context (``pgettext``, ``{% translate "…" context "…" %}``) if the meanings differ, or list it above if
    either translation reads right everywhere."""
    translations: dict[tuple[str | None, str], set[str]] = {}
    for app in APPS:
        po_path = app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
        if po_path.exists():
            for entry in polib.pofile(str(po_path)):
                if not entry.obsolete and entry.translated():
                    translations.setdefault((entry.msgctxt, entry.msgid), set()).add(
                        entry.msgstr or entry.msgstr_plural.get(0))
    differing = {msgid for (context, msgid), chinese in translations.items() if len(chinese) > 1 and context is None}
    with_context = sorted(f"{context}: {msgid}" for (context, msgid), chinese in translations.items()
                          if len(chinese) > 1 and context is not None)
    assert with_context == [], "a context should name one meaning"
    assert sorted(differing - SYNONYMS) == [], "translated differently by two apps: add a context, or a synonym above"
    assert sorted(SYNONYMS - differing) == [], "no longer translated differently: remove from SYNONYMS"


# labels that read the same in Chinese (file formats, a key's name)
SAME_IN_CHINESE = {"ID", "PDF", "Excel"}


def test_every_model_and_field_label_reads_in_chinese():
    """The admin, the history tables ("who changed what") and the forms name models and fields by their labels: a
    field declared without one (a foreign key, a counter) read in English on a Chinese page. Every label of the
    project's models goes through gettext and has its Chinese."""
    import re

    from django.apps import apps
    from django.utils import translation

    chinese = re.compile(r"[\u4e00-\u9fff]")
    english = []
    with translation.override("zh-hans"):
        for model in apps.get_models():
            if not model.__module__.startswith("dutydesk") or model.__name__.startswith("Historical"):
                continue
            labels = [("", model._meta.verbose_name), ("(plural)", model._meta.verbose_name_plural)]
            labels += [(field.name, field.verbose_name)
                       for field in [*model._meta.local_fields, *model._meta.local_many_to_many]]
            english += [f"{model._meta.label}.{name}: {label}" for name, label in labels
                        if str(label) not in SAME_IN_CHINESE and not chinese.search(str(label))]
    assert english == [], f"labels without Chinese (give the field a verbose_name=_(…)): {english[:20]}"
