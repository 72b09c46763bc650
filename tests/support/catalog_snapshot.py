"""A shipped catalogue in a test's database in a few statements instead of about a thousand.

Most tests start from the shipped property-cs catalogue (the ``catalog`` and ``staff`` fixtures). Importing it
writes row by row (``org.catalog.import_catalog``: a lookup and an insert per department, post, duty, standard,
routine, KPI and register, with their history rows), 1–2 s per test, more than half of the suite's time. So the
first import on a test process is real, and every row it wrote, in every table, is kept; the tests after it get
the same rows put back by one bulk insert per table, with the same ids.

Only from the same start: no organisation and no catalogue yet (the import then makes the default organisation,
and nothing of the test's own points into the rows). Otherwise, or when a kept id is taken, the import is real.
``tests/org/test_catalog_snapshot.py`` checks that both ways leave the same rows."""
import copy

from django.apps import apps
from django.db import models, transaction

from dutydesk.org.catalog import import_catalog
from dutydesk.org.catalog_yaml import load_shipped
from dutydesk.org.models import Catalog, Organisation

_kept: dict[str, tuple[int, list[tuple[type[models.Model], list[dict]]]]] = {}


def _tables() -> list[type[models.Model]]:
    return [model for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy]


def _fields(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _import(code: str) -> Catalog:
    return import_catalog(load_shipped(code)).catalog


def _from_a_clean_start() -> bool:
    return not Organisation.objects.exists() and not Catalog.objects.exists()


def _ids_free(rows_by_table) -> bool:
    return not any(model._base_manager.filter(pk__in=[row[model._meta.pk.attname] for row in rows]).exists()
                   for model, rows in rows_by_table)


def shipped_catalog(code: str = "property-cs") -> Catalog:
    """The shipped catalogue ``code`` in the test database, as ``import_catalog(load_shipped(code))`` leaves it."""
    if not _from_a_clean_start():
        return _import(code)
    if code in _kept:
        catalog_id, rows_by_table = _kept[code]
        if _ids_free(rows_by_table):
            with transaction.atomic():  # the links are checked at COMMIT (a transactional test has no outer one)
                for model, rows in rows_by_table:
                    model._base_manager.bulk_create([model(**copy.deepcopy(row)) for row in rows])
            return Catalog.objects.get(pk=catalog_id)
        return _import(code)
    before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in _tables()}
    catalog = _import(code)
    written = []
    for model, ids in before.items():
        rows = [row for row in model._base_manager.values(*_fields(model)).order_by("pk")
                if row[model._meta.pk.attname] not in ids]
        if rows:
            written.append((model, rows))
    _kept[code] = (catalog.pk, written)
    return catalog
