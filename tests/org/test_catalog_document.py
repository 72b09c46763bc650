"""A catalogue document need not come from YAML (an importer may build it in Python), but every document goes
through the same validator before anything is written."""
import hashlib

import pytest
from django.utils import translation

from dutydesk.org.catalog import CatalogInvalid, ValidCatalog, import_catalog, validate_catalog
from dutydesk.org.catalog_yaml import import_catalog_yaml, validate_catalog_yaml
from dutydesk.org.models import KPI, Catalog, Post, Standard
from tests.org.test_catalog_import import SMALL


def small_document():
    """SMALL (tests/org/test_catalog_import.py) built in Python instead of read from YAML."""
    return {
        "catalog": "test-shop", "name": "测试门店",
        "departments": [{"code": "shop", "name": "门店"}],
        "procedures": [{"code": "checkout", "name": "收银"}],
        "posts": [
            {"code": "ts-boss", "name": "店长", "name_en": "Store manager", "department": "shop"},
            {"code": "ts-clerk", "name": "店员", "name_en": "Clerk", "department": "shop", "superior": "ts-boss",
             "standards": [{"procedure": "checkout", "limit_minutes": 3}],
             "kpis": [{"code": "sales", "name": "销售额", "target": 100, "weight": 60},
                      {"code": "smile", "name": "微笑", "target": 5, "weight": 40}]},
        ],
    }


def test_a_document_built_in_python_validates_and_imports_the_same_rows_as_its_yaml(db):
    result = import_catalog(validate_catalog(small_document()))
    assert (result.posts_created, result.posts_updated) == (2, 0)
    clerk = Post.objects.get(code="ts-clerk")
    assert clerk.superior.code == "ts-boss" and clerk.catalog.code == "test-shop"
    assert Standard.objects.get(post=clerk).limit_minutes == 3
    assert sorted(KPI.objects.filter(post=clerk).values_list("code", "weight")) == [("sales", 60), ("smile", 40)]
    again = import_catalog_yaml(SMALL)
    assert (again.posts_created, again.posts_updated) == (0, 0)


def test_an_invalid_python_document_names_the_path_of_each_problem(db):
    document = small_document()
    del document["posts"][0]["name_en"]
    document["posts"][1]["superior"] = "ts-nobody"
    document["posts"][1]["standards"][0]["limit_minutes"] = 0
    document["posts"][1]["kpis"][1]["weight"] = 30
    with translation.override("en"), pytest.raises(CatalogInvalid) as error:
        validate_catalog(document)
    assert error.value.errors == [
        "posts[0].name_en: 'name_en' is required",
        "posts[1].superior: unknown superior 'ts-nobody' of post 'ts-clerk'",
        "posts[1].standards[0].limit_minutes: limit_minutes must be a positive whole number of minutes",
        "posts[1].kpis: KPI weights of post 'ts-clerk' sum to 90, not 100 (give every KPI a weight, or none)",
    ]
    with pytest.raises(CatalogInvalid) as error:
        validate_catalog({**small_document(), "departments": [{"code": "shop"}]})
    assert error.value.errors == ["departments[0].name：缺少必填项“name”"]
    with pytest.raises(CatalogInvalid) as error:
        validate_catalog(["not", "a", "mapping"])
    assert error.value.errors == ["岗位目录必须是包含 catalog、name、departments 和 posts 的映射"]


def test_a_yaml_document_still_names_lines(db):
    with translation.override("en"), pytest.raises(CatalogInvalid) as error:
        validate_catalog_yaml(SMALL.replace("superior: ts-boss", "superior: ts-nobody"))
    assert error.value.errors == ["line 18: unknown superior 'ts-nobody' of post 'ts-clerk'"]


def test_import_refuses_anything_that_was_not_validated(db):
    for unvalidated in (small_document(), SMALL, None):
        with pytest.raises(TypeError):
            import_catalog(unvalidated)
    with pytest.raises(TypeError):
        ValidCatalog(small_document())  # only validate_catalog makes one
    assert not Catalog.objects.exists() and not Post.objects.exists()


def test_changing_the_document_after_validation_changes_nothing(db):
    document = small_document()
    valid = validate_catalog(document)
    document["posts"][1]["superior"] = "ghost"
    document["posts"].append({"code": "unchecked"})
    import_catalog(valid)
    assert sorted(Post.objects.values_list("code", "superior__code")) == [("ts-boss", None), ("ts-clerk", "ts-boss")]


def test_a_post_code_taken_between_validation_and_import_is_refused_at_import(db):
    valid = validate_catalog(small_document())
    other = small_document()
    other["catalog"] = "other-shop"
    other["posts"] = other["posts"][:1]
    import_catalog(validate_catalog(other))
    with translation.override("en"), pytest.raises(CatalogInvalid) as error:
        import_catalog(valid)
    assert error.value.errors == ["posts[0].code: duplicate post code 'ts-boss': already used by catalogue 'other-shop'"]
    assert not Catalog.objects.filter(code="test-shop").exists()


def test_a_yaml_import_records_the_hash_of_its_text(db):
    result = import_catalog_yaml(SMALL)
    assert result.catalog.content_hash == hashlib.sha256(SMALL.encode()).hexdigest()
    assert import_catalog(validate_catalog(small_document())).catalog.content_hash == ""


def test_yaml_aliases_are_not_expanded_by_validation(db):
    """40 levels of doubling aliases would be 2^40 entries if the document were copied naively."""
    bomb = "a0: &a0 [x, x]\n" + "".join(f"a{n}: &a{n} [*a{n - 1}, *a{n - 1}]\n" for n in range(1, 41))
    valid = validate_catalog_yaml(SMALL + bomb)
    assert valid.document["a40"][0] is valid.document["a39"]
