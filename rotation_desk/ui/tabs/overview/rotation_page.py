"""The Market Overview's "Rotation pairs" page: the pairs as small multiples (``pairs_chart``) over
the breadth line, the scorecard (ratio change over 1M–12M, above or below the 200-day average and
since when, in words) and the pair editor.

Double-clicking a scorecard row shows that pair large in the chart. The tab owns the list of pairs
(and its settings); the editor's requests go to it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex
from PySide6.QtWidgets import QVBoxLayout, QWidget

from rotation_desk.core.rotation import CHANGE_PERIODS, MA_FAST, MA_SLOW
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.kit.widgets import chart_over_pane, fit_lower, headline, pane, scrolling
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tables.table import RAW_ROLE, Column, DataTable
from rotation_desk.ui.tabs.overview.compute import OverviewResult
from rotation_desk.ui.tabs.overview.pair_editor import PairEditor
from rotation_desk.ui.tabs.overview.pair_plot import PairView
from rotation_desk.ui.tabs.overview.pairs_chart import PairsChart

RATIOS_CHART = "overview.ratios"


class RotationPage(QWidget):
    """Pairs chart, breadth line, scorecard and pair editor (see the module docstring)."""

    def __init__(
        self,
        known,
        theme: Theme,
        settings: Settings,
        currency_bar: QWidget | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.theme = theme
        self.result: OverviewResult | None = None
        self._scorecard_frame: pd.DataFrame | None = None
        self.pairs_chart = PairsChart(RATIOS_CHART, theme=theme, settings=settings)
        self.breadth_label = headline(1.1)
        self.scorecard = DataTable("overview.scorecard", theme)
        self.scorecard.setToolTip("Double-click a row to show that pair large in the chart")
        self.scorecard.doubleClicked.connect(self.focus_row)
        self.pair_editor = PairEditor(known, theme)
        parts = [self.breadth_label] + ([currency_bar] if currency_bar is not None else [])
        lower = pane(QWidget(), [*parts, self.scorecard, self.pair_editor], grow=self.scorecard)
        content = QWidget()
        self.split = chart_over_pane(content, self.pairs_chart, lower, [5, 3])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = scrolling(content)  # a short window scrolls rather than squashing the small plots
        layout.addWidget(self.scroll)

    def settle(self, pairs: int) -> None:
        """After new plots: the page its new height and the split its sizes now, before the next paint
        (left to the layout events, the window painted the chart at one height and then at another)."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # the new minimum sizes, laid out
        self.scroll.fit()
        self.fit_split(pairs)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.pairs_chart.view.scene().prepareForPaint()  # the plots' ranges (and so their axes) set now

    def fit_split(self, pairs: int) -> None:
        """Room for the whole scorecard (``pairs`` rows) when the window is tall enough; the small plots
        keep their height."""
        table = self.scorecard
        rows = max(pairs, 4)
        needed = (
            table.verticalHeader().defaultSectionSize() * rows
            + table.horizontalHeader().sizeHint().height()
            + self.breadth_label.sizeHint().height()
            + self.pair_editor.sizeHint().height()
            + 40
        )
        fit_lower(self.split, needed)

    # ------------------------------------------------------------------ the scorecard's rows
    def selected_pairs(self) -> list[str]:
        table = self.scorecard
        j = table.column_index("pair")
        rows = sorted({i.row() for i in table.selectionModel().selectedIndexes()})
        return [table.proxy.index(r, j).data(RAW_ROLE) for r in rows]

    def focus_row(self, index: QModelIndex) -> None:
        """Show the pair of this scorecard row large in the chart."""
        key = self.scorecard.proxy.index(index.row(), self.scorecard.column_index("pair")).data(RAW_ROLE)
        if key in self.pairs_chart.pair_keys():
            self.pairs_chart.set_focus(key)

    # ------------------------------------------------------------------ showing a result
    def fill(self, result: OverviewResult, source: str) -> None:
        self.result = result
        self._fill_pairs(result, source)
        self._fill_scorecard(result)
        self.style_breadth()

    def _fill_pairs(self, result: OverviewResult, source: str) -> None:
        views = [PairView(p.key, p.pair.title, p.lines, p.score) for p in result.pairs if p.lines is not None]
        self.pairs_chart.set_pairs(views)
        if not views:
            if result.pairs:
                problems = "; ".join(f"{p.key}: {p.problem}" for p in result.pairs)
                self.pairs_chart.show_message(f"No pair can be drawn in this window ({problems}).")
            return
        starts = [v.lines.ratio.index[0] for v in views]
        ends = [v.lines.ratio.index[-1] for v in views]
        window = result.window
        note = (
            f"{window.label} window {formats.date_range(min(starts), max(ends))} · ratio rebased to 100, "
            f"rising = the first fund leads · dashed: {MA_SLOW}-day average, dotted: {MA_FAST}-day"
        )
        problems = [f"{p.key}: {p.problem}" for p in result.pairs if p.lines is None]
        if problems:
            note += " · not drawn: " + "; ".join(problems)
        self.pairs_chart.set_title("Rotation pairs: ratio of adjusted closes", note)
        self.pairs_chart.set_source(source)

    def _fill_scorecard(self, result: OverviewResult) -> None:
        rows, tips = [], {}
        for i, p in enumerate(result.pairs):
            s = p.score
            row = {"pair": p.key, "what": p.pair.title or f"{p.pair.numerator} vs {p.pair.denominator}"}
            for label in CHANGE_PERIODS:
                value = s.changes.get(label) if s is not None else None
                row[label] = np.nan if value is None else value
            if s is None or s.above_slow_ma is None:
                row.update(vs_slow="—", sessions=np.nan, since=pd.NaT)
                row["state"] = p.problem or (s.words() if s is not None else "")
            else:
                row["vs_slow"] = "above" if s.above_slow_ma else "below"
                row["sessions"] = np.nan if s.sessions_in_state is None else float(s.sessions_in_state)
                row["since"] = s.state_since if s.state_since is not None else pd.NaT
                row["state"] = s.words()
                if s.sessions_in_state is None:
                    tips[(i, "sessions")] = f"unchanged since the {MA_SLOW}-day average first existed"
                tips[(i, "vs_slow")] = f"ratio vs its {MA_SLOW}-session average on {formats.day(s.as_of)}"
            rows.append(row)
        frame = pd.DataFrame(rows, columns=["pair", "what", *CHANGE_PERIODS, "vs_slow", "sessions", "since", "state"])
        as_of = max((p.score.as_of for p in result.pairs if p.score is not None), default=None)
        columns = [Column("pair", "Pair", tooltip="numerator / denominator"), Column("what", "What it measures")]
        for label in CHANGE_PERIODS:
            columns.append(Column.change(label, label, f"change of the ratio over {label} to {formats.day(as_of)}"))
        columns += [
            Column("vs_slow", f"vs {MA_SLOW}-day", tooltip=f"ratio above or below its {MA_SLOW}-session average"),
            Column("sessions", "Sessions", kind="integer", tooltip="sessions since the ratio last crossed its average"),
            Column("since", "Since", kind="date", tooltip="first session on the current side of the average"),
            Column("state", "State", stretch=True),
        ]
        if self._scorecard_frame is None or not frame.equals(self._scorecard_frame):  # unchanged by most range changes
            self._scorecard_frame = frame
            self.scorecard.set_frame(frame, columns, tooltips=tips)

    def style_breadth(self) -> None:
        """ "Breadth: 5 of 7 pairs favour the rotation …", in the gain colour when most do."""
        result = self.result
        if result is None:
            self.breadth_label.setText("")
            return
        b = result.breadth
        as_of = max((p.score.as_of for p in result.pairs if p.score is not None), default=None)
        if b.total:
            text = f"Breadth: {b.words()} (ratio above its {MA_SLOW}-day average) · as of {formats.day(as_of)}"
        elif result.pairs:
            text = f"Breadth: no pair has the {MA_SLOW} sessions of history its average needs"
        else:
            text = "Breadth: no pairs to count; add one below or restore the default pairs"
        colour = self.theme.text
        if b.total:
            colour = (
                self.theme.gain
                if b.favouring * 2 > b.total
                else self.theme.loss
                if b.favouring * 2 < b.total
                else colour
            )
        self.breadth_label.setText(text)
        self.breadth_label.setStyleSheet(f"color: {colour};")

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.pair_editor.apply_theme(theme)
        self.style_breadth()
