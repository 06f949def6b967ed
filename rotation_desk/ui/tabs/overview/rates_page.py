"""The Market Overview's "Rates and risk" page: the rates strip over the small-cap ratio against the
10-year yield.

The strip (``core.rates_strip.rates_strip``): 10Y (^TNX) and 3M (^IRX) yields in percent with their
1M change in basis points (the figures of ``rotation-desk metrics ^TNX``), the 10Y − 3M spread, and the
VIX, each dated. A yield that is not cached is replaced by its bond-fund proxy (IEF, SHY), labelled
"proxy" with its 1M price return — a price, not a yield — and the line under the strip says so.

The chart: IWM/SPY rebased to 100 (left axis) and the 10-year yield in percent on a second axis (right,
``SecondAxis``: its own view, x-linked); without ^TNX, IEF's price rebased to 100, named as the proxy.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from rotation_desk.core.rates import level_text
from rotation_desk.core.rates_strip import Reading
from rotation_desk.ui.charts.axes import growth_style, number_style
from rotation_desk.ui.charts.panel import ChartPanel
from rotation_desk.ui.charts.second_axis import SecondAxis
from rotation_desk.ui.kit import formats
from rotation_desk.ui.kit.theme import Theme
from rotation_desk.ui.kit.widgets import StatCard, card_row
from rotation_desk.ui.state.settings import Settings
from rotation_desk.ui.tabs.overview.compute import OverviewResult

RATES_CHART = "overview.rates"
CAPTIONS = {"10y": "10Y yield (^TNX)", "3m": "3M yield (^IRX)", "spread": "Spread 10Y − 3M", "vix": "VIX (^VIX)"}


def reading_texts(r: Reading) -> tuple[str, str, str]:
    """(caption, figure, tooltip) of one reading, as the strip shows it."""
    if r.value is None:
        return CAPTIONS[r.key], "not cached", f"Not available: {r.note}."
    when = formats.day(r.date)
    if r.proxy:
        caption = f"{CAPTIONS[r.key].split(' (')[0]}: {r.ticker} proxy · {when}"
        return caption, f"{r.value * 100:+.1f} % 1M", f"{r.ticker}, {r.note}: its 1M price return to {when}."
    change = "" if r.change_1m is None else r.change_1m
    if r.unit == "percent":
        figure = level_text(r.value / 100.0) + ("" if change == "" else f"  {change:+.0f} bp 1M")
    elif r.unit == "bp":
        figure = f"{r.value:+.0f} bp" + ("" if change == "" else f"  {change:+.0f} bp 1M")
    else:
        figure = f"{r.value:.2f}" + ("" if change == "" else f"  {change:+.2f} 1M")
    return f"{CAPTIONS[r.key]} · {when}", figure, f"Last value on or before {when}; change over one month."


class RatesPage(QWidget):
    def __init__(self, theme: Theme, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self._rate = None
        self.cards = {key: StatCard(caption, theme) for key, caption in CAPTIONS.items()}
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.chart = ChartPanel(RATES_CHART, growth_style(), theme=theme, settings=settings)
        self.rate_axis = SecondAxis(self.chart, number_style(2), "10Y yield (%)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addLayout(card_row(list(self.cards.values()), spacing=18))
        layout.addWidget(self.note)
        layout.addWidget(self.chart, 1)
        self.apply_theme(theme)

    def fill(self, result: OverviewResult, source: str) -> None:
        strip = result.rates
        if strip is not None:
            for r in strip.readings:
                caption, figure, tip = reading_texts(r)
                card = self.cards[r.key]
                card.caption.setText(caption)
                card.set_value(figure, None, tip)
            self.note.setText(strip.note)
            self.note.setVisible(bool(strip.note))
        chart = result.rates_chart
        if chart is None:
            self.rate_axis.clear()
            self.chart.show_message("The small-cap ratio needs cached prices for IWM and SPY.")
            return
        self.chart.set_series({"IWM/SPY": chart.ratio})
        window = formats.date_range(chart.ratio.index[0], chart.ratio.index[-1])
        if chart.rate.empty:
            self.rate_axis.clear()
            self.rate_axis.set_label("")
            right = "no 10Y yield or IEF cached"
        elif chart.proxy:
            self.rate_axis.set_label("IEF price, proxy (rebased 100)")
            right = (
                "plain line, right axis: IEF (7–10 yr Treasury fund) price, a proxy for ^TNX (rises when yields fall)"
            )
        else:
            self.rate_axis.set_label("10Y yield (%)")
            right = "plain line, right axis: 10-year Treasury yield ^TNX, %"
        self._rate = None if chart.rate.empty else chart.rate
        if self._rate is not None:
            self.rate_axis.set_series(self._rate, self.theme.benchmark)
        self.chart.set_title("Small caps vs rates", f"{result.window.label} window {window} · IWM/SPY = 100 · {right}")
        self.chart.set_source(source)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.note.setStyleSheet(f"color: {theme.muted};")
        for card in self.cards.values():
            card.apply_theme(theme)
        self.chart.apply_theme(theme)
        if self._rate is not None:
            self.rate_axis.set_series(self._rate, theme.benchmark)
