"""The monthly department report (issue 6 Deliver 7): on the 1st, PDF + Excel, in the archivist's inbox."""
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from dutydesk.duties import jobs
from dutydesk.duties.models import MonthlyReport
from dutydesk.duties.services import opinion_record
from dutydesk.inbox.models import Task
from tests.factories import ResidentFactory, UnitFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_OF_JUNE = datetime(2026, 6, 1, 0, 5, tzinfo=SHANGHAI)
TITLES = ["入住装修动态表", "工单统计", "服务时限", "费用及欠费", "业户意见及满意度调查"]


@pytest.fixture
def may(staff, project, building, other_building, unit):
    UnitFactory(building=building, floor=3, number="301", status="vacant")
    UnitFactory(building=building, floor=4, number="401", status="renovating")
    moved = UnitFactory(building=other_building, floor=2, number="201", status="occupied")
    ResidentFactory(unit=moved, move_in_date=date(2026, 5, 18))
    ResidentFactory(unit=moved, move_in_date=date(2026, 5, 18), role="family")  # same unit: one move-in
    ResidentFactory(unit=unit, move_in_date=date(2025, 1, 1))
    for day in (3, 9, 27):
        opinion_record(project=project, unit=unit, text="意见", actor=staff["frontdesk"],
                       received_at=datetime(2026, 5, day, 10, 0, tzinfo=SHANGHAI))


def _generate():
    with time_machine.travel(FIRST_OF_JUNE, tick=False):
        return jobs.generate_monthly_reports(FIRST_OF_JUNE)


def test_on_the_1st_the_report_is_generated_once_and_lands_in_the_archivists_inbox(may, staff, project, api):
    assert _generate() == 1
    assert _generate() == 0
    report = MonthlyReport.objects.get()
    assert report.period == date(2026, 5, 1)
    task = Task.objects.get(post__code="archivist", routine__code="monthly-summary-before-5th")
    assert task.url == f"/duties/reports/monthly/{report.pk}/"
    assert task.due_at == datetime(2026, 6, 5, 17, 0, tzinfo=SHANGHAI)  # Friday 5 June 2026 is a working day
    with time_machine.travel(FIRST_OF_JUNE, tick=False):
        jobs.generate_routine_tasks(FIRST_OF_JUNE)  # the routine's own generation makes no second task
    assert Task.objects.filter(post__code="archivist", routine__code="monthly-summary-before-5th").count() == 1
    ids = [r["id"] for r in api(staff["archivist"]).get("/api/v1/tasks/", {"assignee": "me"}).json()["results"]]
    assert task.pk in ids


def test_the_pdf_has_the_chinese_section_titles_and_the_api_totals(may, staff, project, api):
    _generate()
    report = MonthlyReport.objects.get()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report.pdf.read())).pages)
    for title in TITLES:
        assert title in text, title
    body = api(staff["manager"]).get("/api/v1/reports/monthly", {"project": project.pk, "period": "2026-05"}).json()
    occupancy = body["occupancy"]["total"]
    assert occupancy == {"units": 4, "occupied": 2, "vacant": 1, "renovating": 1, "moved_in": 1}
    assert body["opinions"]["opinions"] == 3
    lines = [line.strip() for line in text.splitlines()]
    at = lines.index("合计")  # the total row of the occupancy table, one cell a line
    assert lines[at + 1:at + 6] == [str(occupancy[k]) for k in ("units", "occupied", "vacant", "renovating", "moved_in")]
    at = lines.index("收集业户意见及建议")
    assert lines[at + 1] == str(body["opinions"]["opinions"])
    assert "暂无数据" in text  # work orders / service times / fees: no records yet
    assert body["pdf"] == f"/duties/reports/monthly/{report.pk}/pdf"


def test_the_excel_has_one_sheet_per_section(may, staff, client):
    _generate()
    report = MonthlyReport.objects.get()
    workbook = load_workbook(io.BytesIO(report.xlsx.read()))
    assert workbook.sheetnames == TITLES
    rows = list(workbook["入住装修动态表"].values)
    assert rows[-1][:6] == ("合计", 4, 2, 1, 1, 1)
    client.force_login(staff["archivist"])
    assert client.get(f"/duties/reports/monthly/{report.pk}/xlsx").status_code == 200
    client.force_login(staff["frontdesk"])
    assert client.get(f"/duties/reports/monthly/{report.pk}/pdf").status_code == 404


def test_the_monthly_report_api_needs_the_permission(may, staff, project, api):
    assert api(staff["frontdesk"]).get("/api/v1/reports/monthly", {"project": project.pk}).status_code == 403


def test_a_report_file_missing_from_the_storage_is_drawn_again_from_its_figures(may, staff, client):
    _generate()
    report = MonthlyReport.objects.get()
    lost = report.pdf.name
    report.pdf.storage.delete(lost)  # media not restored with the database, or removed by hand
    client.force_login(staff["archivist"])
    response = client.get(f"/duties/reports/monthly/{report.pk}/pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert TITLES[0] in text and report.data["project_name"] in text
    report.refresh_from_db()
    assert report.pdf.storage.exists(report.pdf.name)  # stored again: the next download reads it


def test_a_wrapped_tables_figures_are_right_aligned_as_a_lined_ones_are():
    """The report's wrapped tables (work orders, service times, opinions) align their figures right, as the tables of
    a row per building do: ``align_right_from`` did not reach a wrapped cell's paragraph, which aligns itself."""
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT

    from dutydesk.core import pdf

    wrapped = pdf.table([["项目", "数值"], ["收集业户意见及建议", 3]], align_right_from=1)
    assert [[cell.style.alignment for cell in row] for row in wrapped._cellvalues] == [[TA_LEFT, TA_RIGHT]] * 2
    assert [cell.style.alignment for cell in pdf.table([["a", 1]])._cellvalues[0]] == [TA_LEFT, TA_LEFT]


def test_a_table_of_single_lines_is_laid_out_without_measuring_its_cells():
    """A row per building (1,500 in a large project) is drawn as plain lines one line high, the columns sharing the
    page's width: ReportLab measures no cell (0.2 s of a large project's report); a cell with a line break, or a
    wrapped table, is still measured."""
    from dutydesk.core import pdf

    rows = [["楼栋", "单元数"], *([f"{n:04d}", n] for n in range(1500))]
    lines = pdf.table(rows, align_right_from=1, wrap=False)
    assert lines._argH == [pdf.LINE_ROW_HEIGHT] * 1501
    assert lines._argW == [pdf.A4_WIDTH_INSIDE_MARGINS / 2] * 2
    assert pdf.table([["一\n二", 1]], wrap=False)._argH == [None]
    assert pdf.table(rows[:3])._argH == [None] * 3
    assert pdf.render([lines]).startswith(b"%PDF")


def test_the_report_page_lists_each_buildings_occupancy_in_its_columns_escaped(may, staff, client):
    """The occupancy table's rows are written in Python (``reports.occupancy_rows``): each building's name (escaped)
    and its five counts in the header's order, as the template wrote them."""
    _generate()
    report = MonthlyReport.objects.get()
    rows = report.data["occupancy"]["rows"]
    rows[0]["building"] = "<i>A</i>栋"  # as a name typed into the archive could read
    report.save(update_fields=["data"])
    client.force_login(staff["archivist"])
    page = client.get(f"/duties/reports/monthly/{report.pk}/").content.decode()
    body = page[page.index("<tbody>") + len("<tbody>"):page.index("</tbody>")]
    expected = ["<tr><td>" + (row["building"].replace("<", "&lt;").replace(">", "&gt;")) + "</td>"
                + "".join(f'<td class="num">{row[key]}</td>'
                          for key in ("units", "occupied", "vacant", "renovating", "moved_in")) + "</tr>"
                for row in rows]
    assert body.split("\n") == expected
    assert [row["units"] for row in rows] == [3, 1] and "<i>A</i>" not in page


def test_the_report_page_writes_its_money_as_the_billing_pages_do(may, staff, client):
    """The fees line reads ¥222,586.29, as the billing overview does, not the bare figure kept in the report."""
    _generate()
    report = MonthlyReport.objects.get()
    report.data["fees"] = {"total": {"receivable": "222586.29", "received": "197499.25", "arrears": "25087.04",
                                     "rate": "88.73"}}
    report.save(update_fields=["data"])
    client.force_login(staff["archivist"])
    page = client.get(f"/duties/reports/monthly/{report.pk}/").content.decode()
    assert "应收 ¥222,586.29" in page and "实收 ¥197,499.25" in page and "欠费 ¥25,087.04" in page
    assert "88.73" in page


def test_the_files_write_the_fees_as_numbers_people_can_add_up(may, staff):
    """The Excel's amounts and rates are numbers (text cells are skipped by SUM and flagged "number stored as text");
    the PDF's amounts have their thousands marked, as the billing pages write them."""
    from dutydesk.duties.reports import render_report

    _generate()
    data = MonthlyReport.objects.get().data
    data["fees"] = {"rows": [{"building": "1", "receivable": "222586.29", "received": "197499.25",
                              "arrears": "25087.04", "rate": "88.73"}],
                    "total": {"receivable": "222586.29", "received": "197499.25", "arrears": "25087.04",
                              "rate": "88.73"}}
    sheet = load_workbook(io.BytesIO(render_report(data, "xlsx")))["费用及欠费"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[2] == ["1", 222586.29, 197499.25, 25087.04, 88.73]  # the building's name stays text
    assert rows[3][1:] == [222586.29, 197499.25, 25087.04, 88.73]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_report(data, "pdf"))).pages)
    assert "222,586.29" in text and "25,087.04" in text
