"""Excel export of a period's rankings and awards (openpyxl), for the county's 通报."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font


def rankings_workbook(*, title: str, sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, header, rows in sheets:
        sheet = book.create_sheet(name[:31])
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        for col, width in zip("ABCDEFGH", (8, 30, 16, 10, 10, 10, 14, 30), strict=False):
            sheet.column_dimensions[col].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
