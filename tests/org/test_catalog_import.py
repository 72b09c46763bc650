import textwrap

import pytest

from dutydesk.org.catalog import CatalogInvalid, import_catalog
from dutydesk.org.catalog_yaml import CATALOG_DIR, import_catalog_yaml, load_shipped
from dutydesk.org.models import KPI, Post, Standard

SMALL = textwrap.dedent("""\
    catalog: test-shop
    name: 测试门店
    departments:
      - code: shop
        name: 门店
    procedures:
      - code: checkout
        name: 收银
    posts:
      - code: ts-boss
        name: 店长
        name_en: Store manager
        department: shop
      - code: ts-clerk
        name: 店员
        name_en: Clerk
        department: shop
        superior: ts-boss
        standards:
          - procedure: checkout
            limit_minutes: 3
        kpis:
          - {code: sales, name: 销售额, target: 100, weight: 60}
          - {code: smile, name: 微笑, target: 5, weight: 40}
    """)


def test_every_shipped_catalogue_imports_and_reimports_without_change(db):
    shipped = sorted(path.stem for path in CATALOG_DIR.glob("*.yaml"))
    assert {"property-cs", "supermarket", "telecom-store", "tobacco-account", "foot-spa"} <= set(shipped)
    for code in shipped:
        first = import_catalog(load_shipped(code))
        assert first.posts_created > 0
        history_before = Post.history.count() + Standard.history.count() + KPI.history.count()
        again = import_catalog(load_shipped(code))
        assert (again.posts_created, again.posts_updated) == (0, 0), code
        assert Post.history.count() + Standard.history.count() + KPI.history.count() == history_before, code


def test_it_names_the_line_of_an_unknown_superior(db):
    text = SMALL.replace("superior: ts-boss", "superior: ts-nobody")
    with pytest.raises(CatalogInvalid) as error:
        import_catalog_yaml(text)
    assert any("18" in e and "ts-nobody" in e for e in error.value.errors), error.value.errors
    assert not Post.objects.exists()


def test_it_finds_a_reporting_cycle(db):
    assert "    department: shop\n  - code: ts-clerk" in SMALL
    text = SMALL.replace("    department: shop\n  - code: ts-clerk", "    department: shop\n    superior: ts-clerk\n  - code: ts-clerk")
    with pytest.raises(CatalogInvalid) as error:
        import_catalog_yaml(text)
    assert any("cycle" in e or "循环" in e for e in error.value.errors), error.value.errors


def test_it_checks_weights_duplicates_and_procedures(db):
    text = (SMALL.replace("weight: 40", "weight: 30").replace("procedure: checkout", "procedure: refund")
            .replace("code: ts-clerk", "code: ts-boss"))
    with pytest.raises(CatalogInvalid) as error:
        import_catalog_yaml(text)
    joined = "\n".join(error.value.errors)
    assert "90" in joined and "refund" in joined and "ts-boss" in joined


def test_a_second_import_with_changes_updates_in_place(db):
    import_catalog_yaml(SMALL)
    result = import_catalog_yaml(SMALL.replace("limit_minutes: 3", "limit_minutes: 4").replace("weight: 60", "weight: 50")
                                 .replace("weight: 40", "weight: 50"))
    assert (result.posts_created, result.posts_updated) == (0, 1)
    assert Standard.objects.get(post__code="ts-clerk").limit_minutes == 4
    assert KPI.objects.get(post__code="ts-clerk", code="sales").weight == 50


def test_the_api_imports_for_managers_only_and_changes_nothing_on_error(staff, api):
    yaml_type = "application/yaml"
    denied = api(staff["frontdesk"]).generic("POST", "/api/v1/catalogs/import", SMALL, content_type=yaml_type)
    assert denied.status_code == 403
    before = Post.objects.count()
    cyclic = SMALL.replace("    department: shop\n  - code: ts-clerk", "    department: shop\n    superior: ts-clerk\n  - code: ts-clerk")
    response = api(staff["manager"]).generic("POST", "/api/v1/catalogs/import", cyclic, content_type=yaml_type)
    assert response.status_code == 400
    assert "ts-boss" in " ".join(response.json()["errors"]["catalog"])
    unknown = api(staff["manager"]).generic("POST", "/api/v1/catalogs/import", SMALL.replace("superior: ts-boss", "superior: ghost"),
                                            content_type=yaml_type)
    assert unknown.status_code == 400 and "ghost" in " ".join(unknown.json()["errors"]["catalog"])
    assert Post.objects.count() == before
    created = api(staff["manager"]).generic("POST", "/api/v1/catalogs/import", SMALL, content_type=yaml_type)
    assert created.status_code == 201 and created.json() == {"posts_created": 2, "posts_updated": 0}
    broken = api(staff["manager"]).generic("POST", "/api/v1/catalogs/import", "posts: [unclosed", content_type=yaml_type)
    assert broken.status_code == 400
