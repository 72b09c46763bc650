"""dutydesk draft_catalog FILE.txt > draft.yaml"""
import io

import pytest
from django.core.management import CommandError, call_command

from dutydesk.drafts.models import CatalogDraft
from dutydesk.org.catalog import validate_catalog
from dutydesk.org.catalog_yaml import catalog_from_yaml


def test_it_prints_a_valid_catalogue_and_the_warnings_apart(db, tmp_path, jd_text):
    path = tmp_path / "jd.txt"
    path.write_text(jd_text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("draft_catalog", str(path), "--catalog", "cli-test", stdout=out, stderr=err)
    document = validate_catalog(catalog_from_yaml(out.getvalue())).document
    assert document["catalog"] == "cli-test"
    assert [p["name"] for p in document["posts"]] == ["客服主管", "客服员"]
    assert "# line 10" in out.getvalue()  # every item says where it was read
    assert "客户服务总监" in err.getvalue() and "warning" not in out.getvalue()
    assert not CatalogDraft.objects.exists()


def test_save_keeps_a_draft(db, tmp_path, jd_text):
    path = tmp_path / "jd.txt"
    path.write_text(jd_text, encoding="gb18030")
    call_command("draft_catalog", str(path), "--save", stdout=io.StringIO(), stderr=io.StringIO())
    assert CatalogDraft.objects.get().source_name == "jd.txt"


def test_a_missing_or_junk_file_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("draft_catalog", str(tmp_path / "nothing.txt"), stdout=io.StringIO())
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\xff\x00binary")
    with pytest.raises(CommandError):
        call_command("draft_catalog", str(junk), stdout=io.StringIO())
