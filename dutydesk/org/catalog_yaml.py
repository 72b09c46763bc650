"""Catalogues as YAML text (docs/catalog.md): parsing only, with the line of every mapping and key, so
``validate_catalog`` can name the line of each problem. Also the catalogues shipped with DutyDesk, and the
one-call ``import_catalog_yaml`` that the upload API and the ``import_catalog`` command use."""
import hashlib
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from dutydesk.org.catalog import (CatalogInvalid, DocumentMapping, ImportResult, ValidCatalog, import_catalog,
                                  validate_catalog)
from dutydesk.org.models import Organisation

CATALOG_DIR = Path(__file__).parent / "catalogs"
MAX_CATALOG_CHARS = 5 * 1024 * 1024  # shared/API.md: imports ≤ 5 MB


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader (the libyaml one when PyYAML has it: the shipped catalogue parses in a tenth of the
    time), making every mapping a DocumentMapping that knows its line and its keys' lines."""


def _construct_mapping(loader, node):
    return DocumentMapping(loader.construct_mapping(node, deep=True), line=node.start_mark.line + 1,
                           key_lines={key.value: key.start_mark.line + 1 for key, _value in node.value})


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def catalog_from_yaml(text: str | bytes) -> DocumentMapping:
    """Parse YAML text into a catalogue document (not validated). Too large, not YAML or not a mapping
    raises CatalogInvalid naming the line."""
    if len(text) > MAX_CATALOG_CHARS:
        raise CatalogInvalid([_("The catalogue is larger than %(mb)s MB.") % {"mb": MAX_CATALOG_CHARS // (1024 * 1024)}])
    try:
        document = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise CatalogInvalid([_("line %(line)s: not valid YAML: %(problem)s") % {
            "line": line, "problem": getattr(exc, "problem", None) or str(exc)}])
    if not isinstance(document, DocumentMapping):
        raise CatalogInvalid([_("line 1: a catalogue must be a YAML mapping with catalog, name, departments and posts")])
    return document


def validate_catalog_yaml(text: str | bytes) -> ValidCatalog:
    """Parse and validate; the SHA-256 of the text is kept as the catalogue's content hash."""
    source_hash = hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()
    return validate_catalog(catalog_from_yaml(text), source_hash=source_hash)


def import_catalog_yaml(text: str | bytes, *, organisation: Organisation | None = None) -> ImportResult:
    """Parse, validate and import YAML text. All or nothing; the same text twice changes nothing."""
    return import_catalog(validate_catalog_yaml(text), organisation=organisation)


def load_shipped(code: str) -> ValidCatalog:
    """A catalogue shipped with DutyDesk (dutydesk/org/catalogs/CODE.yaml), validated."""
    path = CATALOG_DIR / f"{code}.yaml"
    if not path.exists():
        raise FileNotFoundError(path)
    return validate_catalog_yaml(path.read_text(encoding="utf-8"))
