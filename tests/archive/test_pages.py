import io

from dutydesk.archive.models import Unit
from tests.archive.excel_helpers import workbook_bytes
from tests.factories import ResidentFactory, UnitFactory


def test_unit_search_finds_by_resident_phone_and_htmx_returns_only_rows(client, staff, resident, unit):
    client.force_login(staff["frontdesk"])
    page = client.get("/units/", {"q": resident.phone}).content.decode()
    assert unit.label in page
    partial = client.get("/units/", {"q": "A-1201"}, HTTP_HX_REQUEST="true").content.decode()
    assert unit.label in partial and "<html" not in partial


def test_the_building_filter_lists_the_visible_buildings_escaped_and_keeps_the_chosen_one(client, staff, building,
                                                                                           other_building):
    other_building.name = 'B<script>"'
    other_building.save()
    client.force_login(staff["frontdesk"])
    page = client.get("/units/", {"building": building.pk}).content.decode()
    assert f'<option value="{building.pk}" selected>{building.name}</option>' in page
    assert f'<option value="{other_building.pk}">B&lt;script&gt;&quot;</option>' in page
    assert "<script>\"" not in page


def test_a_group_manager_sees_which_project_each_building_belongs_to(client, staff, building, project):
    from dutydesk.archive.models import Building, Project
    from dutydesk.org.models import PostHolding

    other = Project.objects.create(organisation=project.organisation, code="other", name="翠湖苑")
    twin = Building.objects.create(project=other, name=building.name, floors=10)
    manager_holding = PostHolding.objects.filter(user=staff["manager"]).first()
    PostHolding.objects.create(user=staff["manager"], post=manager_holding.post, project=other)
    client.force_login(staff["manager"])
    page = client.get("/units/").content.decode()
    assert f'<option value="{building.pk}">{project.name} · {building.name}</option>' in page
    assert f'<option value="{twin.pk}">翠湖苑 · {building.name}</option>' in page


def test_the_butler_cannot_open_a_unit_outside_their_floors(client, staff, building):
    high = UnitFactory(building=building, floor=25, number="2501")
    client.force_login(staff["butler"])
    assert client.get(f"/units/{high.pk}/").status_code == 404


def test_editing_a_resident_shows_in_the_history_with_who_and_what(client, staff, resident):
    client.force_login(staff["frontdesk"])
    response = client.post(f"/residents/{resident.pk}/", {"name": resident.name, "role": "owner", "phone": "13700001111"})
    assert response.status_code == 302
    page = client.get(f"/residents/{resident.pk}/").content.decode()
    assert "13912345678" in page and "13700001111" in page and staff["frontdesk"].first_name in page


def test_a_bad_phone_in_the_form_is_refused_and_nothing_changes(client, staff, resident):
    client.force_login(staff["frontdesk"])
    response = client.post(f"/residents/{resident.pk}/", {"name": resident.name, "role": "owner", "phone": "123"})
    assert response.status_code == 200 and "11 位手机号码" in response.content.decode()
    resident.refresh_from_db()
    assert resident.phone == "13912345678"


def test_import_page_shows_the_row_report(client, staff, project):
    client.force_login(staff["archivist"])
    data = workbook_bytes([("A", 1, "101", "abc", "已入住")], [])
    upload = io.BytesIO(data)
    upload.name = "units.xlsx"
    page = client.post("/archive/import/", {"project": project.pk, "file": upload}).content.decode()
    assert "建筑面积" in page and "未导入" in page
    assert not Unit.objects.exists()


def test_lists_use_a_constant_number_of_queries(client, staff, building, django_assert_max_num_queries):
    for floor in range(1, 31):
        ResidentFactory(unit=UnitFactory(building=building, floor=floor % 15 + 1, number=f"{floor}09"))
    client.force_login(staff["supervisor"])
    with django_assert_max_num_queries(12):
        assert client.get("/units/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/residents/").status_code == 200


def test_the_unit_and_resident_rows_say_what_they_did_every_value_escaped(client, staff, unit):
    """The lists' rows are written in Python (archive/table.py): the unit as staff write it and a link, its
    building, floor, area and status; the resident's name, unit, role, phone and move-in date."""
    from datetime import date

    ResidentFactory(unit=unit, name='<b>"王"</b>', role="tenant", phone="13800001111", move_in_date=date(2024, 3, 5))
    ResidentFactory(unit=unit, name="李四", role="family", phone="13800002222", move_in_date=None)
    client.force_login(staff["supervisor"])
    units = client.get("/units/").content.decode()
    assert (f'<tr><td><a href="/units/{unit.pk}/">{unit.label}</a></td><td>{unit.building.name}</td>'
            f'<td class="num">{unit.floor}</td><td class="num">{unit.area_m2}</td>'
            f'<td><span class="pill">{unit.get_status_display()}</span></td></tr>') in units
    residents = client.get("/residents/").content.decode()
    assert "&lt;b&gt;&quot;王&quot;&lt;/b&gt;" in residents and '<b>"王"</b>' not in residents
    assert f'<td><a href="/units/{unit.pk}/">{unit.label}</a></td><td>租户</td><td>13800001111</td><td>2024-03-05</td>' \
        in residents
    assert "<td>13800002222</td><td>—</td>" in residents
    assert "No units found" not in units and "未找到" not in units


def test_an_empty_search_says_nothing_was_found(client, staff, unit):
    client.force_login(staff["supervisor"])
    assert '<td colspan="5">' in client.get("/units/", {"q": "Z-9999"}).content.decode()
    assert '<td colspan="5">' in client.get("/residents/", {"q": "没有这个人"}).content.decode()


def test_a_floor_butlers_residents_are_their_floors_read_by_their_units(client, staff, resident, building):
    """A butler lists the residents of their floors only, through their units' ids: their floors as building/floor
    ranges let PostgreSQL walk every building of the project looking for theirs (a butler of 19 ranges in a project
    of 600,000 units: 278 ms for a page with nobody on it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ResidentFactory, UnitFactory

    upstairs = ResidentFactory(unit=UnitFactory(building=building, floor=20, number="2001"), name="高层业主")
    client.force_login(staff["butler"])  # floors 1–15 of the resident's building
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/residents/").content.decode()
    assert resident.name in page and upstairs.name not in page
    listed = next(q["sql"] for q in queries.captured_queries if "FROM \"archive_resident\"" in q["sql"]
                  and "ORDER BY" in q["sql"])
    assert '"archive_unit"."floor" <=' not in listed.split(" WHERE ", 1)[1]
    assert client.get(f"/residents/{upstairs.pk}/").status_code == 404
    client.force_login(staff["frontdesk"])
    assert upstairs.name in client.get("/residents/").content.decode()
