"""A shipped catalogue in a test's database in a few statements instead of about a thousand.

Most tests start from the shipped property-cs catalogue (the ``catalog`` and ``staff`` fixtures). Importing it
writes row by row (``org.catalog.import_catalog``: a lookup and an insert per department, post, duty, standard,
routine, KPI and register, with their history rows), 1–2 s per test, more than half of the suite's time. So the
first import on a test process is real, and every row it wrote, in every table, is kept; the tests after it get
the same rows put back by one bulk insert per table, with the same ids.

Only from the same start: no catalogue yet, and either no organisation (the import makes the default one, kept
with the rows) or some (the rows go to the first one, as the import takes it). With a catalogue there already, or
when a kept id is taken, the import is real. ``tests/org/test_catalog_snapshot.py`` checks that both ways leave
the same rows."""
import copy
from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

from dutydesk.org.catalog import import_catalog
from dutydesk.org.catalog_yaml import load_shipped
from dutydesk.org.models import Catalog, Organisation


@dataclass
class _Kept:
    catalog_id: int
    organisation_id: int  # the organisation the rows belong to
    rows_by_table: list[tuple[type[models.Model], list[dict]]]


# by (catalogue, whether an organisation was there before): with none the import makes the default one, and its
# rows are kept too; with one, the rows are put back into the test's own (the first, as the import takes it)
_kept: dict[tuple[str, bool], _Kept] = {}


def _tables() -> list[type[models.Model]]:
    return [model for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy]


def _fields(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _import(code: str) -> Catalog:
    return import_catalog(load_shipped(code)).catalog


def _first_organisation_id() -> int | None:
    return Organisation.objects.order_by("id").values_list("id", flat=True).first()


def _ids_free(rows_by_table) -> bool:
    return not any(model._base_manager.filter(pk__in=[row[model._meta.pk.attname] for row in rows]).exists()
                   for model, rows in rows_by_table)


def _sequences_past_the_kept_ids(tables) -> None:
    """On PostgreSQL the id sequences move on past the rows put back: a ``flush`` (the schema test's demo module
    ends with one) starts them again at 1, and the next row a test makes would take a kept id."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(statement)


def _put_back(kept: _Kept, organisation_id: int | None) -> Catalog:
    """The kept rows, same ids; their links to the organisation of the first import go to ``organisation_id``."""
    with transaction.atomic():  # the links are checked at COMMIT (a transactional test has no outer one)
        for model, rows in kept.rows_by_table:
            links = [field.attname for field in model._meta.concrete_fields
                     if field.is_relation and field.related_model is Organisation]
            instances = []
            for row in rows:
                values = copy.deepcopy(row)
                for link in links:
                    if organisation_id is not None and values[link] == kept.organisation_id:
                        values[link] = organisation_id
                instances.append(model(**values))
            model._base_manager.bulk_create(instances)
        _sequences_past_the_kept_ids([model for model, _rows in kept.rows_by_table])
    return Catalog.objects.get(pk=kept.catalog_id)


def shipped_catalog(code: str = "property-cs") -> Catalog:
    """The shipped catalogue ``code`` in the test database, as ``import_catalog(load_shipped(code))`` leaves it."""
    if Catalog.objects.exists():
        return _import(code)
    organisation_id = _first_organisation_id()
    key = (code, organisation_id is not None)
    kept = _kept.get(key)
    if kept is not None:
        return _put_back(kept, organisation_id) if _ids_free(kept.rows_by_table) else _import(code)
    before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in _tables()}
    catalog = _import(code)
    written = []
    for model, ids in before.items():
        rows = [row for row in model._base_manager.values(*_fields(model)).order_by("pk")
                if row[model._meta.pk.attname] not in ids]
        if rows:
            written.append((model, rows))
    _kept[key] = _Kept(catalog.pk, _first_organisation_id(), written)
    return catalog
