"""The tests' fast way to the shipped catalogue (tests/support/catalog_snapshot.py) leaves the rows a real import
leaves: same tables, same rows, same links between them."""
import pytest
from django.db import connection, models, transaction

from dutydesk.org.catalog import import_catalog
from dutydesk.org.catalog_yaml import load_shipped
from dutydesk.org.models import KPI, Catalog, Organisation, Post, Register, Routine, Standard
from tests.support import catalog_snapshot
from tests.support.catalog_snapshot import shipped_catalog


class _Undo(Exception):
    pass


def _content():
    """Every row of every table, without what differs between two writes of the same rows (ids, links by id,
    write times; a history row's copy of its row's id), plus the links spelled by code."""
    content = {}
    for model in catalog_snapshot._tables():
        plain = [f.attname for f in model._meta.concrete_fields
                 if not f.primary_key and not f.is_relation and f.attname != "id"
                 and not isinstance(f, (models.DateTimeField, models.UUIDField))]
        rows = sorted(repr(row) for row in model._base_manager.values_list(*plain)) if plain else []
        content[model._meta.label] = (model._base_manager.count(), rows)
    content["links"] = sorted(
        (post.code, post.catalog.code, post.department.code, post.department.organisation.code,
         post.superior.code if post.superior else "", sorted(post.duties.values_list("position", "text")),
         sorted(KPI.objects.filter(post=post).values_list("code", "register__code")),
         sorted(Routine.objects.filter(post=post).values_list("code", flat=True)),
         sorted(Standard.objects.filter(post=post).values_list("procedure__code", "limit_minutes")))
        for post in Post.objects.select_related("catalog", "department__organisation", "superior"))
    content["registers"] = sorted((r.code, r.catalog.code, r.procedure.code if r.procedure else "",
                                   sorted(r.writers.values_list("code", flat=True)),
                                   sorted(r.readers.values_list("code", flat=True)))
                                  for r in Register.objects.select_related("catalog", "procedure"))
    return content


def _inside_a_rolled_back_transaction(write):
    result = {}
    try:
        with transaction.atomic():
            result["catalog"] = write()
            result["content"] = _content()
            raise _Undo
    except _Undo:
        pass
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["property-cs", "supermarket"])
@pytest.mark.parametrize("organisation_before", [False, True])
def test_the_kept_rows_are_the_rows_of_a_real_import(code, organisation_before):
    assert not Organisation.objects.exists() and not Catalog.objects.exists()
    if organisation_before:
        Organisation.objects.create(code="group", name="集团")
    _inside_a_rolled_back_transaction(lambda: shipped_catalog(code))  # keeps the rows, if not kept yet
    assert (code, organisation_before) in catalog_snapshot._kept
    real = _inside_a_rolled_back_transaction(lambda: import_catalog(load_shipped(code)).catalog)
    fast = _inside_a_rolled_back_transaction(lambda: shipped_catalog(code))
    assert fast["content"]["org.Post"][0] >= 3
    assert fast["content"] == real["content"]
    assert fast["catalog"].code == real["catalog"].code == code


@pytest.mark.django_db
def test_rows_kept_in_one_organisation_go_to_the_organisation_of_the_test():
    first = Organisation.objects.create(code="first", name="一")
    _inside_a_rolled_back_transaction(lambda: shipped_catalog("property-cs"))  # keeps the rows, if not kept yet
    first.delete()
    group = Organisation.objects.create(code="group", name="集团")
    catalog = shipped_catalog("property-cs")
    assert set(Post.objects.values_list("department__organisation__code", flat=True)) == {"group"}
    assert catalog.posts.count() > 10 and Organisation.objects.get() == group


@pytest.mark.django_db
def test_rows_made_after_the_kept_ones_get_new_ids_even_after_a_flush_restarted_the_sequences():
    _inside_a_rolled_back_transaction(lambda: shipped_catalog("property-cs"))  # keeps the rows, if not kept yet
    if connection.vendor == "postgresql":  # what `flush` does to every sequence
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('org_organisation', 'id'), 1, false)")
    shipped_catalog("property-cs")
    kept = Organisation.objects.get()
    other = Organisation.objects.create(code="group", name="集团")
    assert other.pk > kept.pk
