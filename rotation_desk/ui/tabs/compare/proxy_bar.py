"""The ETF Comparison's part for proxies (``ProxyChoice``, mixed into the tab): the choice per fund from the
"Extend history" row (``ui.kit.proxy_choice.ProxyBar``), remembered in ``settings.compare.proxies``, and the
splices a comparison used shown: the shaded spans, the table's marks and the one line."""

from __future__ import annotations

from rotation_desk.core.comparison_charts import Comparison
from rotation_desk.core.proxy import check_names
from rotation_desk.data.prepared import load_spliced
from rotation_desk.ui.kit.proxy_choice import ProxyBar, ProxyShading
from rotation_desk.ui.tabs.compare import proxies

__all__ = ["ProxyBar", "ProxyChoice", "ProxyShading"]


class ProxyChoice:
    """The ETF Comparison's part for proxies: the choice per fund (remembered in ``settings.compare``),
    and showing the splices a comparison used (``splices``): shading, the table's marks, the line."""

    def use_proxies(self, chosen: dict[str, str], view: str = "") -> None:
        """Exactly these proxies (``export-chart --proxy``), checked now: a refusal is one line."""
        check_names(chosen, self.tickers)
        if chosen:
            load_spliced(self.market, self.tickers, chosen)  # the command line's wording: "--proxy DFAT=…"
        self.set_proxies(chosen)

    def prepared_closes(self, names, funds, **kwargs):
        """The closes through the currency line's ``prepare`` (``data.prepared.prepare``) with the funds' chosen
        proxies, the path of ``metrics --proxy``; the splices are kept for the result shown."""
        chosen = proxies.active(self.settings.compare.proxies, funds)
        prep = proxies.through(self.currency_bar.prepare, chosen, market=self.market, names=names, **kwargs)
        self._spliced = prep.splices
        return prep.closes

    def set_proxy(self, fund: str, proxy: str) -> None:
        """Extend ``fund`` before its first close with ``proxy``'s returns ("": none); remembered per fund."""
        chosen = {k: v for k, v in self.settings.compare.proxies.items() if k != fund}
        self.set_proxies({**chosen, fund: proxy} if proxy else chosen)

    def set_proxies(self, chosen: dict[str, str]) -> None:
        self.settings.compare.proxies = dict(chosen)
        self.proxy_bar.set_funds(self.tickers, chosen)
        self.invalidate()

    def _show_proxies(self, data: Comparison | None) -> None:
        """The chips' colours, the proxied spans shaded in the date charts, the line that names them."""
        self.splices = self.splices if data is not None else {}
        colours = self._colour_chips(data) if data is not None else {}
        starts = {t: s.index[0] for t, s in data.series.items()} if data is not None else {}
        charts = self.chart_tabs
        panels = [charts.growth, charts.drawdown, charts.rolling_return, charts.rolling_volatility]
        self.shading.show(panels, self.splices, starts, colours, self.theme, low=[charts.drawdown])
        self.proxy_bar.say(proxies.statement(self.splices))
