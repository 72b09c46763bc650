"""A malformed catalogue is a 400 that names the problem, never a 500 (hardening)."""
import pytest

from dutydesk.org.catalog import CatalogInvalid
from dutydesk.org.catalog_yaml import validate_catalog_yaml

D = "catalog: x\nname: y\ndepartments: [{code: d, name: D}]\n"
MALFORMED = [
    "{}", "[]", "", "a", "1: 2\n3: 4", "&a [*a]", "posts: 5", "catalog: {}", "catalog: [1]\nname: {}\nposts: []",
    "catalog: x\nname: y\nposts: [1]", "catalog: x\nposts:\n - {}",
    "catalog: x\nname: y\ndepartments: {a: 1}\nposts: {}", "catalog: x\nname: y\ndepartments: [[]]\nposts: [[]]",
    D + "procedures: [5]\nposts: [{code: p, name: P, name_en: P, department: d, duties: 5, standards: 5, routines: 5,"
        " kpis: 5, permissions: {a: 1}}]",
    D + "posts: [{code: p, name: P, name_en: P, department: d, standards: [5, {procedure: [1], limit_minutes: x}],"
        " routines: [5, {code: r, title: t, schedule: [1]}, {code: r2, title: t, schedule: monthly, day: x, at: 99}],"
        " kpis: [5, {code: k, name: n, target: [], weight: {}, source: []}]}]",
    D + "posts: [{code: [1], name: P, name_en: P, department: [d], superior: {a: 1}, scope: [1]}]",
    "catalog: x\nname: y\ndepartments: [{code: {a: 1}, name: D}]\nposts: [{code: p, name: P, name_en: P, department: d,"
    " duties: [[1], {a: 1}]}]",
    D + "posts: [{code: p, name: P, name_en: P, department: d, kpis: [{code: k, name: n, target: 1e400, weight: -1,"
        " source: manual}]}]",
    D + "posts: [{code: p, name: P, name_en: P, department: d, routines: [{code: r, title: t, schedule: daily,"
        " at: '25:99'}, {code: r3, title: t, schedule: weekly, weekday: [1]}]}]",
    D + "posts: [{code: p, name: [P], name_en: {a: b}, department: d, scope: floors, permissions: [[1]]}]",
    # registers (issue 12): junk in every key of a register, its fields, follow-ups and the KPIs that read it
    D + "posts: [{code: p, name: P, name_en: P, department: d}]\nregisters: 5",
    D + "posts: [{code: p, name: P, name_en: P, department: d}]\nregisters: [5, {code: r}]",
    D + "posts: [{code: p, name: P, name_en: P, department: d, standards: 5}]\nregisters: [{code: r, name: [1], "
        "name_en: {a: 1}, writers: p, readers: [[1]], number_prefix: [x], procedure: {a: 1}, limit_minutes: x, "
        "fields: 5, follow_ups: [5, {when: 5, post: [1], due_minutes: x, due_hours: 1}]}]",
    D + "posts: [{code: p, name: P, name_en: P, department: d, kpis: [{code: k, name: n, target: 1, source: register, "
        "register: [1], measure: {a: 1}}]}]\nregisters: [{code: r, name: R, name_en: R, writers: [p], fields: [5, "
        "{code: f, name: F, type: [1], required: x, choices: 5}, {code: g, name: G, type: choice, choices: [{}, [1]]}], "
        "follow_ups: [{title: t, post: p, due_minutes: 5, when: {field: g, in: 5}}]}]",
    D + "posts: [{code: p, name: P, name_en: P, department: d}]\nregisters: [{code: r, name: R, name_en: R, writers: [p], "
        "fields: [{code: f, name: F, type: text}], portal: {title: [1], from: f, until: {a: 1}, when: 5, color: red}}]",
    D + "posts: [{code: p, name: P, name_en: P, department: d}]\nregisters: [{code: r, name: R, name_en: R, writers: [p], "
        "fields: [{code: f, name: F, type: text}], portal: 5}]",
]


@pytest.mark.parametrize("text", MALFORMED)
def test_it_rejects_a_malformed_catalogue_with_errors_not_a_crash(text, db):
    with pytest.raises(CatalogInvalid) as raised:
        validate_catalog_yaml(text)
    assert raised.value.errors


def test_the_import_endpoint_answers_400_for_an_empty_mapping(staff, api):
    response = api(staff["manager"]).post("/api/v1/catalogs/import", data="{}", content_type="application/yaml")
    assert response.status_code == 400
    assert response.json()["errors"]
