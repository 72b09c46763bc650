"""The task inbox sits below the domain apps (issue 16, "Hidden cycle"): it imports only core, org and archive, and
the apps that put work into inboxes (tickets, billing, frontdesk) reach tasks through it, never through the duty
engine, which reads them."""
import ast
from pathlib import Path

import pytest

import dutydesk

PACKAGE = Path(dutydesk.__file__).parent


def _dutydesk_apps_imported(app: str) -> set[str]:
    found = set()
    for path in (PACKAGE / app).rglob("*.py"):
        if "migrations" in path.relative_to(PACKAGE / app).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            found.update(name.split(".")[1] for name in names if name.startswith("dutydesk.") and name.count(".") >= 1)
    return found - {app}


def test_the_inbox_imports_only_core_org_and_archive():
    assert _dutydesk_apps_imported("inbox") <= {"core", "org", "archive"}


@pytest.mark.parametrize("app", ["tickets", "billing", "frontdesk", "archive", "org", "core"])
def test_the_apps_below_the_duty_engine_do_not_import_it(app):
    assert "duties" not in _dutydesk_apps_imported(app)
