"""The house's layers (docs/architecture.md, issue 16): core is the ground and imports no other DutyDesk app; no app
reads another app's models through ``apps.get_model`` outside migrations (it imports what it may use, or the other
app registers what it offers)."""
import ast
from pathlib import Path

import pytest

import dutydesk

PACKAGE = Path(dutydesk.__file__).parent
APPS = sorted(path.parent.name for path in PACKAGE.glob("*/__init__.py"))  # core, org, archive, ..., web


def _sources(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if "migrations" not in path.relative_to(root).parts)


def _imported_modules(tree: ast.AST) -> set[str]:
    """Every module a file imports, at the top or inside a function (``from dutydesk import org`` names
    ``dutydesk.org``)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "dutydesk" and parts[1] in APPS else None


def _get_model_apps(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, app label)`` of each ``….get_model("label", "Model")`` / ``get_model("label.Model")`` call."""
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_model"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value.split(".")[0]))
    return found


def test_the_layer_check_sees_the_apps():
    assert {"core", "org", "archive", "billing", "duties", "tickets"} <= set(APPS)


def test_core_imports_no_other_dutydesk_app():
    upward = [f"{path.relative_to(PACKAGE.parent)}: {module}"
              for path in _sources(PACKAGE / "core")
              for module in sorted(_imported_modules(ast.parse(path.read_text(), str(path))))
              if _app_of(module) not in (None, "core")]
    assert upward == []


def _foreign_get_model_reads() -> list[str]:
    reads = []
    for path in _sources(PACKAGE):
        parts = path.relative_to(PACKAGE).parts
        own = parts[0] if len(parts) > 1 else None
        for line, label in _get_model_apps(ast.parse(path.read_text(), str(path))):
            if label in APPS and label != own:
                reads.append(f"{path.relative_to(PACKAGE.parent)}:{line}: apps.get_model({label!r}, ...)")
    return reads


def test_no_app_reads_another_apps_models_through_get_model():
    assert _foreign_get_model_reads() == []


@pytest.mark.parametrize("source, expected", [
    ('from dutydesk.org import access\n', {"dutydesk.org"}),
    ('def f():\n    from dutydesk import billing\n', {"dutydesk"}),
    ('import dutydesk.tickets.models\n', {"dutydesk.tickets.models"}),
])
def test_the_import_check_sees_every_form_of_import(source, expected):
    modules = _imported_modules(ast.parse(source))
    assert expected <= modules and any(_app_of(m) not in (None, "core") for m in modules)


def test_the_get_model_check_sees_both_spellings():
    tree = ast.parse('apps.get_model("tickets", "Ticket")\ndjango_apps.get_model("billing.Bill")\n')
    assert [label for _line, label in _get_model_apps(tree)] == ["tickets", "billing"]


# ``selectors`` (every app's queries, the styleguide's name) is safe: the interpreter has imported the standard
# library's ``selectors`` (through ``subprocess``) before any management command runs app code
STDLIB_NAMES_ALLOWED = {"selectors"}


def test_no_module_is_named_like_a_standard_library_module():
    """Celery's Django fix-up puts the working directory first on ``sys.path``. ``makemessages`` runs in an app's
    folder, so a module named like a standard-library one (``core/http.py`` until 27 Nov) replaced the real one and
    stopped the extraction of that app's strings."""
    import sys

    clashing = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                      if path.stem in sys.stdlib_module_names and path.stem not in STDLIB_NAMES_ALLOWED)
    assert clashing == []
