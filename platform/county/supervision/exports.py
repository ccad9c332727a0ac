"""Tables to Excel (openpyxl) with Chinese headings: what the dashboard shows, as numbers."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

# (key, heading, number format): rates as percentages, days with two decimals
COLUMNS = [
    ("received", "收件", "0"),
    ("accepted", "受理", "0"),
    ("concluded", "办结", "0"),
    ("completion_rate", "办结率", "0.00%"),
    ("same_day_rate", "日结率", "0.00%"),
    ("on_time_rate", "按时办结率", "0.00%"),
    ("avg_accept_days", "平均受理用时(工作日)", "0.00"),
    ("avg_handle_days", "平均办理用时(工作日)", "0.00"),
    ("promised_speedup_rate", "承诺提速率", "0.00%"),
    ("actual_speedup_rate", "实际提速率", "0.00%"),
    ("overdue", "超时件数", "0"),
    ("deemed", "逾期默认同意", "0"),
    ("supplements", "补办件", "0"),
    ("supplement_return_rate", "补办件补齐率", "0.00%"),
    ("rating_rate", "评价率", "0.00%"),
    ("satisfaction_rate", "满意度", "0.00%"),
    ("integration_rate", "审批职能整合率", "0.00%"),
    ("in_hall_rate", "应进事项进厅率", "0.00%"),
    ("authorised_rate", "窗口授权到位率", "0.00%"),
    ("hall_completion_rate", "进厅事项办结率", "0.00%"),
]
GROUP_HEADINGS = {
    "site": "站点",
    "department": "部门(窗口)",
    "item": "事项",
    "month": "月份",
    "day": "日期",
}


def figures_workbook(*, title: str, by: str, rows: list[dict], total: dict, names: dict) -> bytes:
    """One sheet: a title line, the headings, a row per group, then 合计."""
    book = Workbook()
    sheet = book.active
    sheet.title = "统计"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    headings = [GROUP_HEADINGS[by], *(h for _, h, _ in COLUMNS)]
    sheet.append(headings)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in [*rows, {"key": None, **total}]:
        label = "合计" if row["key"] is None else names.get(row["key"], row["key"])
        sheet.append([label, *(row.get(k) for k, _, _ in COLUMNS)])
        for (_, _, fmt), cell in zip(COLUMNS, sheet[sheet.max_row][1:], strict=True):
            cell.number_format = fmt
    sheet.column_dimensions["A"].width = 28
    for letter in "BCDEFGHIJKLMNOPQRSTU":
        sheet.column_dimensions[letter].width = 12
    sheet.freeze_panes = "B3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
