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
])
def test_a_word_with_two_meanings_reads_right_in_each(context, word, chinese):
    """Django merges the apps' catalogues and the first app's translation of a plain msgid wins for every app: an
    English word meaning two things in two apps needs a context, or one app shows the other's Chinese."""
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.pgettext(context, word) == chinese
