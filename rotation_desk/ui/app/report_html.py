"""A report as one HTML file (``report … --out FILE.html``): the same content as the PDF
(``report.collect``), charts as inline SVG, tables as HTML tables with the screen's colours."""

from __future__ import annotations

import html

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QPainter
from PySide6.QtSvg import QSvgGenerator

from rotation_desk import APP_TITLE, __version__
from rotation_desk.ui.app.dialogs import CONVENTIONS_HELP
from rotation_desk.ui.app.report import NOT_ADVICE, ReportContent
from rotation_desk.ui.tables.table_paint import TableCells

CHART_SIZE = (960, 540)
STYLE = """body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#1f2328}
h1{margin-top:2em}table{border-collapse:collapse;margin:1em 0;font-size:90%}
th,td{padding:3px 8px;white-space:nowrap}th{border-bottom:2px solid #d0d7de}
tr:nth-child(even){background:#f6f8fa}.muted{color:#59636e}.cards{display:flex;flex-wrap:wrap;gap:1.5em}
.card b{display:block;font-size:140%}svg{max-width:100%;height:auto}@page{size:%PAGE%}"""


def chart_svg(panel, width: int, height: int) -> str:
    """The chart as SVG text (vector), laid out as an export of that size."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRect(0, 0, width, height))
    generator.setResolution(96)
    painter = QPainter(generator)
    try:
        painter.fillRect(QRectF(0, 0, width, height), QColor(panel.theme.base))
        panel.paint_into(painter, QRectF(0, 0, width, height), 1.0)
    finally:
        painter.end()
        buffer.close()
    text = bytes(data.data()).decode("utf-8")
    return text[text.index("<svg") :]


def _table(title: str, cells: TableCells) -> str:
    right = [bool(a & 0x2) for a in cells.header_align]  # Qt.AlignRight
    head = "".join(
        f'<th style="text-align:{"right" if r else "left"}">{html.escape(h)}</th>' for h, r in zip(cells.header, right)
    )
    rows = []
    for i, row in enumerate(cells.rows):
        tds = []
        for j, text in enumerate(row):
            style = [f"text-align:{'right' if right[j] else 'left'}"]
            if cells.fg[i][j] is not None:
                style.append(f"color:{cells.fg[i][j].name()}")
            if cells.bg[i][j] is not None:
                style.append(f"background:{cells.bg[i][j].name()}")
            if cells.bold[i]:
                style.append("font-weight:bold")
            tds.append(f'<td style="{";".join(style)}">{html.escape(text)}</td>')
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return f"<h3>{html.escape(title)}</h3><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def report_html(content: ReportContent, page: str) -> bytes:
    c = content
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{APP_TITLE} report {c.made}</title>",
        f'<meta name="generator" content="{APP_TITLE} {__version__}">',
        f"<style>{STYLE.replace('%PAGE%', 'letter' if page == 'letter' else 'A4')}</style></head><body>",
        f"<header><h1>{APP_TITLE} report</h1><p>Made on {c.made} · prices through {c.as_of}</p>",
        f'<p class="muted">{html.escape(c.source)}</p><p><b>{html.escape(NOT_ADVICE)}</b></p></header>',
    ]
    for s in c.sections:
        out.append(f'<section id="{s.key}"><h1>{html.escape(s.title)}</h1>')
        out.append(f'<p class="muted">Window: {html.escape(s.window)} · {html.escape(c.source)}</p>')
        if s.key_figures:
            out.append(
                "<h2>Key figures</h2><ul>" + "".join(f"<li>{html.escape(k)}</li>" for k in s.key_figures) + "</ul>"
            )
        for v in s.views:
            out.append(f"<h2>{html.escape(v.caption)}</h2>")
            if v.cards is not None:
                cards = "".join(
                    f'<div class="card"><span class="muted">{html.escape(cap)}</span><b style="color:{col}">'
                    f"{html.escape(val)}</b></div>"
                    for cap, val, col in v.cards.cards
                )
                out.append(f'<div class="cards">{cards}</div>')
            for chart in v.charts:
                out.append(f"<figure>{chart_svg(chart.panel, *CHART_SIZE)}</figure>")
        for title, cells in s.tables:
            out.append(_table(title, cells))
        out.append("</section>")
    out.append('<section id="conventions"><h1>Number conventions</h1>')
    out.append(CONVENTIONS_HELP.replace("<h3>How the numbers are computed</h3>", ""))
    out.append(f"<p><b>{html.escape(NOT_ADVICE)}</b></p></section></body></html>\n")
    return "\n".join(out).encode("utf-8")
