"""Reports (``rotation-desk report TAB|all``, File → Export report…): each tab's charts, tables and key
figures, its window, the data source and freshness, the number conventions and a not-investment-advice
note, as a PDF (vector charts and text, page numbers, A4 or Letter) or one HTML file.

The content comes from the same tabs the window shows (``RenderSession``), so the figures in a report
are the figures on screen, written by the same formatting rules (``ui.kit.formats``). ``collect``
gathers it on the GUI thread (Qt objects); ``report_pdf`` paints it (``report_html`` writes HTML);
both return bytes, which the caller writes whole (``data.atomic``), off the GUI thread in the window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from rotation_desk import APP_TITLE, __version__
from rotation_desk.core.export_views import VIEW_LINES
from rotation_desk.errors import BadInput
from rotation_desk.ui.app.dialogs import CONVENTIONS_HELP
from rotation_desk.ui.app.tab_host import TAB_CLASSES
from rotation_desk.ui.charts.composite import Cards, Chart, Table
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit import theme as themes
from rotation_desk.ui.tables.table_paint import TableCells, TablePainter, table_cells
from rotation_desk.ui.tabs.base import source_line

NOT_ADVICE = (
    "Not investment advice. This report shows what past prices did under the stated conventions; past returns "
    "do not predict future ones. Check the figures against your broker's statements before acting on them."
)
LETTER_COUNTRIES = {"UnitedStates", "Canada", "Mexico", "Philippines", "Chile", "Colombia", "Venezuela", "Guatemala"}
KEY_HEADERS = ("Total", "CAGR", "Volatility", "Max DD", "Sharpe", "1Y", "YTD", "3Y (ann.)", "Contribution")


def report_tabs() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Report TAB names (the tab keys): the tab's title and its views, in the window's order."""
    return {cls.key: (cls.title, cls.views) for cls in TAB_CLASSES if cls.views}


def default_page() -> str:
    """Letter where the locale's paper is Letter (North America and a few more), A4 elsewhere."""
    country = QLocale.system().territory()
    return "letter" if QLocale.territoryToString(country).replace(" ", "") in LETTER_COUNTRIES else "a4"


@dataclass
class ViewSection:
    view: str
    caption: str
    charts: list[Chart]
    cards: Cards | None


@dataclass
class TabSection:
    key: str
    title: str
    window: str
    views: list[ViewSection] = field(default_factory=list)
    tables: list[tuple[str, TableCells]] = field(default_factory=list)
    key_figures: list[str] = field(default_factory=list)


@dataclass
class ReportContent:
    sections: list[TabSection]
    source: str
    as_of: str
    made: str
    theme: themes.Theme


def report_steps(tabs: list[str]) -> list[tuple[str, str]]:
    """(tab title, view) for each view a report on ``tabs`` computes, in order (its progress steps)."""
    known = report_tabs()
    keys = list(known) if tabs == ["all"] else tabs
    for key in keys:
        if key not in known:
            raise BadInput(f"unknown report tab {key!r}; choose one of: {', '.join(known)}, all")
    return [(known[key][0], view) for key in keys for view in known[key][1]]


def collect(session, tabs: list[str], progress=None) -> ReportContent:
    """The content of a report on ``tabs`` (keys, or ["all"]) from a ``RenderSession``; DataUnavailable
    names a view that cannot be shown. ``progress(step, title, view)`` is called before each view
    (``report_steps``); it may raise to stop."""
    known = report_tabs()
    report_steps(tabs)  # the names are checked before anything is computed
    keys = list(known) if tabs == ["all"] else tabs
    sections = []
    step = 0
    for key in keys:
        title, views = known[key]
        section = None
        seen_tables: set[int] = set()
        for view in views:
            if progress is not None:
                progress(step, title, view)
            step += 1
            parts = session.parts(view, with_table=True)
            tab = session.tab(view)
            if section is None:
                window = tab.current_range()
                section = TabSection(key, title, f"{formats.date_range(window.start, window.end)}")
            charts = [p for p in parts if isinstance(p, Chart)]
            cards = next((p for p in parts if isinstance(p, Cards)), None)
            caption = VIEW_LINES[view].split(" (")[0]  # without the command-line hint
            section.views.append(ViewSection(view, caption, charts, cards))
            for table in (p for p in parts if isinstance(p, Table)):
                if id(table.table) in seen_tables:
                    continue
                seen_tables.add(id(table.table))
                cells = table_cells(table.table)
                if cells.rows:
                    section.tables.append((table.caption or _table_title(view), cells))
                    section.key_figures += key_figures(cells)
        sections.append(section)
    last = session.market.last_session()
    return ReportContent(
        sections=sections,
        source=source_line(session.market),
        as_of=formats.day(last) if last is not None else "—",
        made=dt.date.today().isoformat(),
        theme=themes.LIGHT,
    )


def _table_title(view: str) -> str:
    return {"watchlist": "Period returns", "ratios": "Rotation scorecard", "compare": "Metrics on the window"}.get(
        view, f"{VIEW_LINES[view].split(':')[0]} table"
    )


def key_figures(cells: TableCells, most: int = 12) -> list[str]:
    """One line per row: its label and the cells under the key headers (Total, CAGR, …), as shown."""
    cols = [j for j, h in enumerate(cells.header) if h in KEY_HEADERS]
    if not cols:
        return []
    return [
        f"{row[0]}: " + " · ".join(f"{cells.header[j]} {row[j]}" for j in cols if row[j]) for row in cells.rows[:most]
    ]


# ---------------------------------------------------------------------- PDF
class _Pages:
    """Collects what each page shows (painting closures), so the pages can be numbered "n of N"."""

    def __init__(self, content: QRectF):
        self.content = content
        self.pages: list[list] = [[]]
        self.y = content.top()

    def room(self) -> float:
        return self.content.bottom() - self.y

    def new_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])
        self.y = self.content.top()

    def place(self, height: float, paint, keep: bool = True) -> QRectF:
        """A block of ``height``; on a new page when it does not fit (``keep``) and the page has something."""
        if keep and height > self.room() and self.pages[-1]:
            self.new_page()
        rect = QRectF(self.content.left(), self.y, self.content.width(), height)
        self.pages[-1].append(lambda p, r=rect: paint(p, r))
        self.y += height
        return rect


def report_pdf(content: ReportContent, page: str, each_page=None) -> bytes:
    """The report as PDF bytes: title page, one section per tab, conventions and the note; numbered pages.
    ``each_page(n, total)`` is called before page n is painted (the window's progress; it may raise)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(f"{APP_TITLE} report {content.made}")
    writer.setCreator(f"{APP_TITLE} {__version__}")
    writer.setResolution(96)
    size = QPageSize(QPageSize.PageSizeId.Letter if page == "letter" else QPageSize.PageSizeId.A4)
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(15, 15, 15, 15)))
    painter = QPainter(writer)
    try:
        area = QRectF(writer.pageLayout().paintRectPixels(96))
        area.moveTo(0, 0)
        body = QRectF(0, 0, area.width(), area.height() - 28)
        pages = _Pages(body)
        _layout(pages, content)
        total = len(pages.pages)
        for n, ops in enumerate(pages.pages, 1):
            if each_page is not None:
                each_page(n, total)
            if n > 1:
                writer.newPage()
            for op in ops:
                painter.save()
                op(painter)
                painter.restore()
            _footer(painter, area, n, total, content)
    finally:
        painter.end()
        buffer.close()
    return bytes(data.data())


def _fonts():
    base = QFont(QGuiApplication.font())
    base.setPointSizeF(9.0)
    h1, h2, small = QFont(base), QFont(base), QFont(base)
    h1.setPointSizeF(18.0)
    h1.setBold(True)
    h2.setPointSizeF(12.5)
    h2.setBold(True)
    small.setPointSizeF(7.5)
    return base, h1, h2, small


def _text_block(pages: _Pages, text: str, font: QFont, colour: str, gap: float = 4.0, keep: bool = True) -> None:
    fm = QFontMetricsF(font)
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
    height = fm.boundingRect(QRectF(0, 0, pages.content.width(), 10000), flags, text).height() + gap

    def paint(p: QPainter, r: QRectF) -> None:
        p.setFont(font)
        p.setPen(QColor(colour))
        p.drawText(r, flags, text)

    pages.place(height, paint, keep)


def _rich_block(pages: _Pages, html: str) -> None:
    doc = QTextDocument()
    doc.setDefaultFont(_fonts()[0])
    doc.setTextWidth(pages.content.width())
    doc.setHtml(html)
    height = doc.size().height()

    def paint(p: QPainter, r: QRectF) -> None:
        p.translate(r.topLeft())
        doc.drawContents(p, QRectF(0, 0, r.width(), r.height()))

    pages.place(height, paint)


def _layout(pages: _Pages, c: ReportContent) -> None:
    base, h1, h2, small = _fonts()
    t = c.theme
    pages.y += 120
    _text_block(pages, f"{APP_TITLE} report", h1, t.text, 10)
    _text_block(pages, f"Made on {c.made} · prices through {c.as_of}", h2, t.muted, 14)
    _text_block(pages, "Contents: " + " · ".join(s.title for s in c.sections), base, t.text, 8)
    _text_block(pages, c.source, base, t.muted, 8)
    _text_block(pages, NOT_ADVICE, base, t.text, 8)
    for section in c.sections:
        pages.new_page()
        _text_block(pages, section.title, h1, t.text, 6)
        _text_block(
            pages, f"Range: {section.window} (each chart says the window it uses) · {c.source}", small, t.muted, 10
        )
        if section.key_figures:
            _text_block(pages, "Key figures", h2, t.text, 2)
            for line in section.key_figures:
                _text_block(pages, line, base, t.text, 1)
            pages.y += 8
        for view in section.views:
            _view(pages, view, base, h2, t)
        for title, cells in section.tables:
            _table(pages, title, cells, h2, t)
    pages.new_page()
    _text_block(pages, "Number conventions", h1, t.text, 6)
    _rich_block(pages, CONVENTIONS_HELP.replace("<h3>How the numbers are computed</h3>", ""))
    pages.y += 10
    _text_block(pages, NOT_ADVICE, base, t.text, 6)
    _text_block(pages, f"Data: {c.source}", small, t.muted, 6)


def _chart_height(pages: _Pages, charts: int) -> float:
    w = pages.content.width()
    return min(max(200.0, w * 0.56 * (1.0 / charts if charts > 1 else 1.0) * 1.3), w * 0.62)


def _view(pages: _Pages, view: ViewSection, base: QFont, h2: QFont, t) -> None:
    first = _chart_height(pages, len(view.charts)) if view.charts else 0.0
    if pages.room() < QFontMetricsF(h2).height() + 4 + first + (80 if view.cards else 0):
        pages.new_page()  # the heading stays with its chart
    _text_block(pages, view.caption, h2, t.text, 4)
    if view.cards is not None:
        fm, line = QFontMetricsF(base), QFontMetricsF(base).height() + 3
        per_row = 3
        rows = -(-len(view.cards.cards) // per_row)
        bold = QFont(base)
        bold.setBold(True)
        bold.setPointSizeF(base.pointSizeF() * 1.3)

        def paint_cards(p: QPainter, r: QRectF, cards=view.cards.cards) -> None:
            w = r.width() / per_row
            for i, (caption, value, colour) in enumerate(cards):
                x, y = r.left() + (i % per_row) * w, r.top() + (i // per_row) * line * 2.2
                p.setFont(base)
                p.setPen(QColor(t.muted))
                p.drawText(QRectF(x, y, w - 6, line), int(Qt.AlignmentFlag.AlignLeft), caption)
                p.setFont(bold)
                p.setPen(QColor(colour))
                p.drawText(QRectF(x, y + line, w - 6, line * 1.2), int(Qt.AlignmentFlag.AlignLeft), value)

        pages.place(rows * line * 2.2 + fm.height() * 0.5, paint_cards)
    for chart in view.charts:
        height = _chart_height(pages, len(view.charts))
        pages.place(height + 8, lambda p, r, c=chart.panel: c.paint_into(p, r.adjusted(0, 0, 0, -8), 1.0))


def subset(cells: TableCells, cols: list[int], first: int = 0, n: int | None = None) -> TableCells:
    """Some columns and rows of ``cells``."""
    rows = slice(first, None if n is None else first + n)

    def pick(grid):
        return [[row[j] for j in cols] for row in grid[rows]]

    return TableCells(
        [cells.header[j] for j in cols],
        [cells.header_align[j] for j in cols],
        pick(cells.rows),
        pick(cells.align),
        pick(cells.fg),
        pick(cells.bg),
        cells.bold[rows],
    )


def column_groups(widths: list[float], width: float) -> list[list[int]]:
    """Columns in groups that fit ``width``, each group led by the first column (the row's name)."""
    groups, current, used = [], [0], widths[0] if widths else 0.0
    for j in range(1, len(widths)):
        if used + widths[j] > width and len(current) > 1:
            groups.append(current)
            current, used = [0], widths[0]
        current.append(j)
        used += widths[j]
    groups.append(current)
    return groups


def _table(pages: _Pages, title: str, cells: TableCells, h2: QFont, t) -> None:
    """The whole table: a wide one in column groups (each led by the names), a long one over pages."""
    tp = TablePainter(cells, t)
    tp.fit_width(pages.content.width(), smallest=0.8)
    groups = column_groups(tp.natural, pages.content.width())
    title_h = QFontMetricsF(h2).height() + 4
    if pages.room() < title_h + tp.height(min(len(cells.rows), 12)) and pages.pages[-1]:
        pages.new_page()  # the title with the table (or its first dozen rows)
    _text_block(pages, title, h2, t.text, 4)
    for cols in groups:
        first = 0
        while first < len(cells.rows):
            if pages.room() < tp.row_height * 3:
                pages.new_page()
            n = max(1, min(len(cells.rows) - first, tp.rows_fitting(pages.room() - 10)))
            painter = TablePainter(subset(cells, cols, first, n), t)
            painter.font, painter.bold_font, painter.row_height = tp.font, tp.bold_font, tp.row_height
            painter.natural = [tp.natural[j] for j in cols]
            pages.place(painter.height() + 10, lambda p, r, tp=painter: tp.paint(p, r), keep=False)
            first += n


def _footer(p: QPainter, area: QRectF, n: int, total: int, c: ReportContent) -> None:
    small = _fonts()[3]
    p.setFont(small)
    p.setPen(QColor(c.theme.muted))
    line = QRectF(area.left(), area.bottom() - 16, area.width(), 16)
    p.drawText(line, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), f"{APP_TITLE} report · {c.made}")
    p.drawText(line, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"Page {n} of {total}")
