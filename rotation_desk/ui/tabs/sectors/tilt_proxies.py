"""The tilt backtest's part for proxies (``TiltProxies``, mixed into the tilt page): "Extend history" per holding.

The button (``ui.kit.proxy_choice.ProxyBar``, beside the editor's "Add" field) offers each holding's suggested
proxies; the choice is remembered in ``settings.sectors.proxies``. The closes of both views go through
``compute.prepared`` with the chosen proxies, the path of ``rotation-desk tilt --proxy``, so the figures equal
the command's. A splice whose proxied span reaches into the window (``proxy_choice.used``) is shown: the span
shaded in the charts, the one line under the caption, the holding marked ᵖ in the contributions.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from rotation_desk.core.proxy import check_names
from rotation_desk.data.prepared import Prepared, load_spliced
from rotation_desk.ui.kit.currency_bar import CurrencyRefused
from rotation_desk.ui.kit.proxy_choice import MarkedColumn, ProxyShading, active, statement, through, ticker_tip
from rotation_desk.ui.tables.columns import Column
from rotation_desk.ui.tabs.sectors import compute


def contribution_columns(columns: list[Column], marked=()) -> list[Column]:
    """The contributions' columns with the holding's ticker marked ᵖ when a proxy's returns are in its figures."""
    return [MarkedColumn(**asdict(columns[0]), marked=tuple(marked)), *columns[1:]]


def marked_tips(tips: dict, rows: pd.DataFrame, splices: dict) -> dict:
    """The ticker tooltips of the proxied holdings, naming the proxy first."""
    out = dict(tips)
    for i, ticker in enumerate(rows["ticker"]):
        if ticker in splices:
            own = out.get((i, "ticker"))
            out[(i, "ticker")] = ticker_tip(splices[ticker]) + (f"\n{own}" if own else "")
    return out


class TiltProxies:
    """Needs the page's ``settings``, ``market``, ``editor``, ``side``, ``currency_bar``, ``proxy_bar``,
    ``proxy_note``, ``growth``, ``active_chart``, the two jobs and ``theme``."""

    def _init_proxies(self) -> None:
        self.shading, self.side_shading = ProxyShading(), ProxyShading()
        self.tilt_splices: dict = {}  # the splices the backtest shown used (none: no proxy reaches its window)
        self.side_splices: dict = {}
        self._tilt_start = self._side_start = None
        self.proxy_bar.chosen.connect(self.set_proxy)
        self.sync_proxy_bar()

    def proxy_funds(self) -> list[str]:
        """The tickers a proxy may extend: the editor's holdings and benchmark, then the pinned portfolios'."""
        weights = self.editor.weights()
        names = compute.holdings(weights, self.view_state.benchmark)
        return list(dict.fromkeys([*names, *(t for w in self.side.pinned() for t in w)]))

    def sync_proxy_bar(self) -> None:
        self.proxy_bar.set_funds(self.proxy_funds(), self.settings.sectors.proxies)

    def set_proxy(self, fund: str, proxy: str) -> None:
        """Extend ``fund`` before its first close with ``proxy``'s returns ("": none); remembered per holding."""
        chosen = {k: v for k, v in self.settings.sectors.proxies.items() if k != fund}
        self.set_proxies({**chosen, fund: proxy} if proxy else chosen)

    def set_proxies(self, chosen: dict[str, str]) -> None:
        self.settings.sectors.proxies = dict(chosen)
        self.sync_proxy_bar()
        self.tilt_job.invalidate()
        self.side_job.invalidate()

    def use_proxies(self, chosen: dict[str, str]) -> None:
        """Exactly these proxies (``export-chart tilt --proxy``), for tickers of the weights."""
        check_names(chosen, self.proxy_funds())
        if chosen:
            load_spliced(self.market, self.proxy_funds(), chosen)  # a refusal now, in tilt --proxy's words
        self.set_proxies(chosen)

    def _prepared(self, names: list[str]) -> Prepared:
        """The holdings' closes as ``rotation-desk tilt`` reads them, with the holdings' chosen proxies spliced
        (``--proxy``); in more than one currency: converted ("Show in USD", as ``--in USD``) or refused in the
        currency line."""
        state = self.currency_bar.check(self.market, names, "a tilt across them")
        if state.refused:
            raise CurrencyRefused(state)
        target = "USD" if state.converted else None
        chosen = active(self.settings.sectors.proxies, names)
        return through(
            compute.prepared, chosen, market=self.market, names=names, where="a tilt", prices_only="tilt weights",
            in_currency=target,
        )  # fmt: skip

    def show_tilt_proxies(self, splices: dict, start) -> None:
        """The backtest's proxied spans shaded in its charts and named in the line under the caption."""
        self.tilt_splices, self._tilt_start = dict(splices), start
        starts = {t: start for t in splices}
        self.shading.show([self.growth, self.active_chart], splices, starts, {}, self.theme)
        self.proxy_note.setText(statement(splices))
        self.proxy_note.setVisible(bool(splices))

    def show_side_proxies(self, splices: dict, start) -> None:
        self.side_splices, self._side_start = dict(splices), start
        side = self.side
        starts = {t: start for t in splices}
        self.side_shading.show([side.growth, side.drawdown], splices, starts, {}, self.theme, low=[side.drawdown])
        side.proxy_note.setText(statement(splices, "shaded in the charts"))
        side.proxy_note.setVisible(bool(splices))

    def restyle_proxies(self) -> None:
        self.proxy_bar.apply_theme(self.theme)
        self.proxy_note.setStyleSheet(f"color: {self.theme.muted};")
        self.side.proxy_note.setStyleSheet(f"color: {self.theme.muted};")
        if self.tilt_splices:
            self.show_tilt_proxies(self.tilt_splices, self._tilt_start)
        if self.side_splices:
            self.show_side_proxies(self.side_splices, self._side_start)
