"""The ETF Comparison's metrics table: its columns (each header's tooltip gives the formula), the
caption that names the window and the returns (daily, or month-end statistics as ``metrics --returns
monthly``), the returns box, copy and CSV export, and the "Fees paid on $…" box with the note on how
fees enter the figures.

The rows are ``compute.table_rows``: the numbers of ``rotation-desk metrics`` plus the fund facts.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QToolButton, QWidget

from rotation_desk.core.comparison_charts import Comparison
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.elided import ElidedLabel
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.kit.widgets import fit_combo, pane
from rotation_desk.ui.tables.table import Column, DataTable
from rotation_desk.ui.tabs.compare import proxies
from rotation_desk.ui.tabs.compare.compute import FundLookup, table_rows

FEES_HELP = (
    "Returns and the growth chart are already net of each fund's fees, so nothing is subtracted a second "
    "time (adjusted closes fall by the expense ratio every day). “Fees paid” is what each fund charged on the "
    "amount above, held over the window (accrued daily on the growing balance); “Fee / yr” is the current "
    "expense ratio on $10,000."
)
RETURNS = (("daily", "Daily returns"), ("monthly", "Month-end returns"))
RETURNS_WORDS = {
    "daily": "daily returns (×252, √252)",
    "monthly": "month-end statistics: monthly returns ×12 / √12, CAGR and drawdowns from month-end closes",
}
PER_YEAR = {"daily": ("daily", "252"), "monthly": ("monthly", "12")}


def metric_columns(
    bench: str | None, amount: float, returns: str = "daily", rf: float = 0.0, marked: tuple[str, ...] = ()
) -> list[Column]:
    per, n = PER_YEAR[returns]
    rate = formats.risk_free(rf)
    cols = [
        proxies.MarkedColumn("ticker", "Ticker", marked=marked),
        Column("name", "Name"),
        Column("start", "From", kind="date", tooltip="The window's first close (the base of every figure)"),
        Column("end", "To", kind="date", tooltip="The window's last close"),
        Column("total_return", "Total", kind="percent", signed=True, colour="sign", tooltip="last / first close − 1"),
        Column("cagr", "CAGR", kind="percent", signed=True, colour="sign", tooltip="(end/start)^(365.25 / days) − 1"),
        Column("volatility", "Volatility", kind="percent", tooltip=f"stdev of {per} returns (ddof 1) × √{n}"),
        Column("sharpe", "Sharpe", kind="number", tooltip=f"mean {per} excess × {n} / (stdev × √{n}); {rate}"),
        Column(
            "sortino",
            "Sortino",
            kind="number",
            tooltip=f"mean {per} excess × {n} / (downside deviation × √{n}); {rate}",
        ),
        Column("max_drawdown", "Max DD", kind="percent", colour="sign", tooltip="worst fall from a running peak"),
        Column("max_drawdown_peak", "DD peak", kind="date", tooltip="the close the worst drawdown fell from"),
        Column("max_drawdown_trough", "DD trough", kind="date", tooltip="the lowest close of the worst drawdown"),
        Column(
            "max_drawdown_recovery",
            "Recovered",
            kind="date",
            tooltip="first close back at the peak (— not yet recovered)",
        ),
        Column("calmar", "Calmar", kind="number", tooltip="CAGR / |max drawdown|"),
        Column("best_year", "Best year", tooltip="best full calendar year in the window"),
        Column("best_year_return", "Best yr %", kind="percent", signed=True, colour="sign"),
        Column("worst_year", "Worst year", tooltip="worst full calendar year in the window"),
        Column("worst_year_return", "Worst yr %", kind="percent", signed=True, colour="sign"),
    ]
    if bench:
        cols += [
            Column(
                "beta", f"Beta {bench}", kind="number", tooltip=f"cov(r, r_{bench}) / var(r_{bench}), {per} returns"
            ),
            Column("correlation", f"Corr {bench}", kind="number", tooltip=f"Pearson, {per} returns, to {bench}"),
            Column(
                "up_capture",
                "Up capture",
                kind="percent",
                digits=0,
                tooltip=f"in the months {bench} rose: the fund's annualised return / {bench}'s",
            ),
            Column(
                "down_capture",
                "Down capture",
                kind="percent",
                digits=0,
                tooltip=f"in the months {bench} fell: the fund's annualised return / {bench}'s (lower is better)",
            ),
        ]
    cols += [
        Column(
            "expense_ratio",
            "Exp. ratio",
            kind="percent",
            digits=2,
            tooltip="yearly expense ratio; hover a cell for its as-of date and source",
        ),
        Column("yearly_fee_on_10000", "Fee / yr on $10k", kind="money", tooltip="expense ratio × $10,000"),
        Column(
            "fees_paid",
            f"Fees paid on {formats.money(amount)}",
            kind="money",
            tooltip="dollars of expense ratio charged over the window (already inside the returns)",
        ),
        Column("first_date", "First date", kind="date", tooltip="first close in the price store"),
    ]
    return cols


class MetricsPage(QWidget):
    """The pane under the charts: caption, fee amount, copy/export, the table and the fees note."""

    amount_changed = Signal(float)  # the user set the amount "Fees paid" is computed on
    returns_changed = Signal(str)  # "daily" or "monthly", chosen in the returns box

    def __init__(self, theme: Theme, amount: float, returns: str = "daily", parent: QWidget | None = None):
        super().__init__(parent)
        self.returns_box = QComboBox()
        for key, text in RETURNS:
            self.returns_box.addItem(text, key)
        self.returns_box.setCurrentIndex(max(self.returns_box.findData(returns), 0))
        self.returns_box.setToolTip(
            "The returns behind the volatility, Sharpe, Sortino, beta and correlation columns and the correlation "
            "heat map.\nMonth-end: monthly returns ×12 / √12, CAGR and drawdowns from month-end closes."
        )
        self.returns_box.currentIndexChanged.connect(lambda _i: self.returns_changed.emit(self.returns()))
        fit_combo(self.returns_box)
        self.table = DataTable("compare.metrics", theme)
        self.table.setMinimumHeight(120)
        self.table_caption = ElidedLabel("Metrics over the window")
        copy_button = QToolButton(text="Copy table")
        copy_button.setToolTip("Copy the whole table as tab-separated text (Ctrl+C copies the selected cells)")
        copy_button.clicked.connect(self.table.copy_all)
        export_button = QToolButton(text="Export CSV…")
        export_button.setToolTip("Save the table as CSV (percent and dollar columns are marked in the header)")
        export_button.clicked.connect(self.table.export_csv_dialog)
        for b in (copy_button, export_button):
            b.setAutoRaise(True)

        self.amount_box = QDoubleSpinBox()
        self.amount_box.setRange(1.0, 1e9)
        self.amount_box.setDecimals(2)
        self.amount_box.setPrefix("$")
        self.amount_box.setGroupSeparatorShown(True)
        self.amount_box.setSingleStep(1000.0)
        self.amount_box.setValue(amount)
        self.amount_box.setKeyboardTracking(False)
        self.amount_box.setToolTip("The investment the “Fees paid” column is computed on")
        self.amount_box.valueChanged.connect(self.amount_changed)
        self.fees_help = ElidedLabel(FEES_HELP)  # one line; the whole note in its tooltip

        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.table_caption, 1)
        head.addWidget(self.returns_box)
        head.addSpacing(12)
        head.addWidget(QLabel("Fees paid on"))
        head.addWidget(self.amount_box)
        head.addSpacing(12)
        head.addWidget(copy_button)
        head.addWidget(export_button)
        pane(self, [head, self.table, self.fees_help], grow=self.table)

    def wanted_height(self, rows: int) -> int:
        """The height that shows ``rows`` table rows (at least 3) with the caption and the note."""
        table = self.table
        layout = self.layout()
        margins = layout.contentsMargins()
        body = (
            table.verticalHeader().defaultSectionSize() * max(rows, 3)
            + table.horizontalHeader().sizeHint().height()
            + table.horizontalScrollBar().sizeHint().height()
            + 2 * table.frameWidth()
        )
        return (
            margins.top()
            + margins.bottom()
            + layout.itemAt(0).sizeHint().height()
            + body
            + self.fees_help.sizeHint().height()
            + 2 * layout.spacing()
        )

    def returns(self) -> str:
        return self.returns_box.currentData()

    def set_amount(self, amount: float) -> None:
        """Show ``amount`` in the box (when it differs by a cent or more), without ``amount_changed``."""
        if abs(self.amount_box.value() - amount) > 0.004:
            self.amount_box.blockSignals(True)
            self.amount_box.setValue(amount)
            self.amount_box.blockSignals(False)

    def fill(
        self,
        data: Comparison,
        fund: FundLookup,
        fees: dict[str, float],
        amount: float,
        window: str,
        converted=False,
        splices=None,
    ) -> None:
        """The rows of ``data`` with the fees paid on ``amount``; ``window`` names the window in the caption;
        ``converted``: the closes were converted to USD ("Show in USD"); a fund extended by a proxy in
        ``splices`` is marked, its ticker's tooltip naming the proxy."""
        rows, tips, bold = table_rows(data, fund, fees, amount, converted)
        splices = splices or {}
        for i, r in enumerate(rows):
            if r["ticker"] in splices:
                own = tips.get((i, "ticker"))
                tips[(i, "ticker")] = proxies.ticker_tip(splices[r["ticker"]]) + (f"\n{own}" if own else "")
        columns = metric_columns(data.benchmark, amount, data.returns, data.rf, tuple(splices))
        self.table.set_frame(pd.DataFrame(rows), columns, tooltips=tips, bold_rows=bold)
        name_col = self.table.column_index("name")
        self.table.setColumnWidth(name_col, min(self.table.columnWidth(name_col), 240))
        self.table_caption.setText(
            f"Metrics over the window ({window}) · {RETURNS_WORDS[data.returns]} · Sharpe and Sortino with "
            f"{formats.risk_free(data.rf)} · hover a header for its formula"
        )

    def clear(self, amount: float) -> None:
        """No rows: the columns without a benchmark."""
        columns = metric_columns(None, amount)
        self.table.set_frame(pd.DataFrame(columns=[c.key for c in columns]), columns)

    def apply_theme(self, theme: Theme) -> None:
        self.fees_help.setStyleSheet(f"color: {theme.muted};")
        self.table_caption.setStyleSheet(f"color: {theme.muted};")
