"""Currencies on a page (issue 14): never mix them silently.

When the tickers a page computes across are not all in dollars, the page shows one line
(``CurrencyBar``) naming the currencies — "VWRL.L is in GBP, the others in USD" — beside a
"Show in USD" check box. The choice is one app-wide setting (``Settings.in_usd``), so every page
follows it; ``ViewState.currency_changed`` tells the other pages when it changes.

- On: the page's closes come from ``data.prepared.prepare(..., in_currency="USD")``, the path of
  the command line's ``--in USD``, so the figures equal ``rotation-desk ... --in USD``.
- Off, with more than one currency: the figures across tickers (beta and correlation to a
  benchmark, side-by-side growth, a tilt, a plan) are refused in that line (``CurrencyRefused``)
  instead of being computed on mixed currencies. A page whose figures are per ticker (the
  watchlist's returns) may still show them, each in its own currency.
- One currency that is not the dollar (only London listings): the figures are in it, and the line
  says so.

``page_currency`` and the wording are Qt-free (tested without a window).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from rotation_desk.core.currency import BASE, Conversion, currency_groups
from rotation_desk.data.prepared import Prepared, prepare
from rotation_desk.errors import BadInput
from rotation_desk.ui.kit.theme import Theme

IN_USD = f"Show in {BASE}"


class CurrencyRefused(BadInput):
    """The page's tickers are in more than one currency and "Show in USD" is off."""

    def __init__(self, state: PageCurrency):
        super().__init__(state.line())
        self.state = state


def _names(names: Sequence[str]) -> str:
    return ", ".join(names)


def main_currency(groups: Mapping[str | None, list[str]]) -> str | None:
    """The currency most of the tickers are in (the dollar on a tie)."""
    return max(groups, key=lambda c: (len(groups[c]), c == BASE, c is not None)) if groups else None


def mix_words(groups: Mapping[str | None, list[str]]) -> str:
    """ "VWRL.L is in GBP, the others in USD" (the largest group, the dollar on a tie, is "the others", or
    named when it is one ticker: "VWRL.L is in GBP, SPY in USD");
    "VWRL.L is in GBP" for one currency; "" when there is nothing priced."""
    if not groups:
        return ""

    def said(code, names):
        verb = "is" if len(names) == 1 else "are"
        return f"{_names(names)} {verb} in {code or 'an unknown currency (refresh it)'}"

    if len(groups) == 1:
        return said(*next(iter(groups.items())))
    main = main_currency(groups)
    parts = [said(code, names) for code, names in groups.items() if code != main]
    rest = groups[main][0] if len(groups[main]) == 1 else "the others"  # "…, SPY in USD" for a pair
    return ", ".join(parts) + f", {rest} in {main or 'an unknown currency'}"


@dataclass(frozen=True)
class PageCurrency:
    """The currencies of a page's priced tickers, and what the page does with them."""

    groups: dict[str | None, list[str]]
    in_usd: bool
    what: str = "figures across them"  # what would mix ("beta, correlation and growth side by side")
    conversions: dict[str, Conversion] = field(default_factory=dict)
    partial: bool = False  # refused, the page still shows the tickers of the main currency (and per-ticker figures)

    @property
    def foreign(self) -> bool:
        """Some priced ticker is not (known to be) in dollars: the page shows its line."""
        return any(code != BASE for code in self.groups)

    @property
    def mixed(self) -> bool:
        return len(self.groups) > 1

    @property
    def refused(self) -> bool:
        return self.mixed and not self.in_usd

    @property
    def converted(self) -> bool:
        return self.in_usd and self.foreign

    @property
    def currency(self) -> str | None:
        """The one currency the page's figures are in (None when refused or nothing is priced)."""
        if self.converted:
            return BASE
        return None if self.mixed else next(iter(self.groups), None)

    def pairs(self) -> list[str]:
        return sorted({c.pair for c in self.conversions.values() if c.pair})

    def fx_hint(self) -> str:
        """ "GBPUSD=X": the pairs that convert (known after conversion; else the usual pair)."""
        pairs = self.pairs() or [f"{code}{BASE}=X" for code in self.groups if code and code != BASE]
        return ", ".join(pairs)

    def outside(self) -> list[str]:
        """The tickers not in the main currency (what a ``partial`` page leaves out of its figures across)."""
        main = main_currency(self.groups)
        return [t for code, names in self.groups.items() if code != main for t in names]

    def line(self) -> str:
        """The page's one line ("" when every priced ticker is in dollars)."""
        if not self.foreign:
            return ""
        words = mix_words(self.groups)
        if self.converted:
            return f"{words}: shown in {BASE}, converted through {self.fx_hint()}"
        if self.refused and self.partial:
            return (
                f"{words}: the chart leaves {_names(self.outside())} out, as {self.what} would mix currencies; "
                f"the table gives each one's returns in its own currency. Tick “{IN_USD}” to convert through "
                f"{self.fx_hint()}."
            )
        if self.refused:
            return (
                f"{words}: not computed, as {self.what} would mix currencies. "
                f"Tick “{IN_USD}” to convert through {self.fx_hint()}."
            )
        return f"{words}: the figures are in {self.currency}"


def page_currency(
    market, names: Sequence[str], in_usd: bool, what: str = "figures across them", partial: bool = False
) -> PageCurrency:
    """The currencies of ``names`` as stored (``MarketData.instruments``); yields have none."""
    groups = currency_groups(market.instruments(list(dict.fromkeys(names))).values())
    return PageCurrency(groups, bool(in_usd), what, partial=partial)


def prepare_page(
    market,
    names: Sequence[str],
    in_usd: bool,
    *,
    what: str = "figures across them",
    where: str = "this page",
    proxies: Mapping[str, str] | None = None,
    prices_only: str | None = None,
    start=None,
) -> tuple[Prepared, PageCurrency]:
    """The page's closes through ``prepare`` (converted to dollars when ``in_usd`` and needed);
    ``CurrencyRefused`` when they are in more than one currency and ``in_usd`` is off."""
    state = page_currency(market, names, in_usd, what)
    if state.refused:
        raise CurrencyRefused(state)
    target = BASE if state.converted else None
    try:
        prep = prepare(
            market, names, proxies=proxies, in_currency=target, prices_only=prices_only, where=where, start=start
        )
    except BadInput as exc:  # the command's wording ("--in USD: ...") said in the app's
        raise BadInput(str(exc).replace(f"--in {BASE}: ", f"{IN_USD}: ")) from None
    return prep, replace(state, conversions=dict(prep.conversions))


class CurrencyBar(QWidget):
    """The page's currency line and its "Show in USD" check box; hidden while every ticker is in dollars.

    Ticking the box sets ``settings.in_usd`` and emits ``view_state.currency_changed`` (every tab
    recomputes); each bar keeps its box in step with the setting.
    """

    def __init__(self, settings, view_state, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings, self.view_state, self.theme = settings, view_state, theme
        self.state: PageCurrency | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.box = QCheckBox(IN_USD)
        self.box.setToolTip(
            f"Convert every price on the pages to {BASE} through the cached FX pair (as --in {BASE} on the "
            "command line); off, figures across currencies are not computed"
        )
        self.box.setChecked(bool(settings.in_usd))
        self.box.toggled.connect(self._toggled)
        view_state.currency_changed.connect(self._sync)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1, Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setVisible(False)

    @property
    def in_usd(self) -> bool:
        return bool(self.settings.in_usd)

    def _toggled(self, on: bool) -> None:
        if on != self.settings.in_usd:
            self.settings.in_usd = on
            self.view_state.currency_changed.emit()

    def _sync(self) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(self.in_usd)
        self.box.blockSignals(False)

    def prepare(self, market, names: Sequence[str], **kwargs) -> Prepared:
        """``prepare_page`` with the setting, the line shown (refused or not) before it returns or raises."""
        try:
            prep, state = prepare_page(market, names, self.in_usd, **kwargs)
        except CurrencyRefused as exc:
            self.show_state(exc.state)
            raise
        self.show_state(state)
        return prep

    def check(
        self, market, names: Sequence[str], what: str = "figures across them", partial: bool = False
    ) -> PageCurrency:
        """The state of ``names`` (shown); a ``partial`` page computes what it can when refused."""
        state = page_currency(market, names, self.in_usd, what, partial)
        self.show_state(state)
        return state

    def currencies(self, market, names: Sequence[str]) -> dict[str, str | None]:
        """Each ticker's currency as a table shows it: USD when converted, else its own (None for a yield)."""
        converted = self.state is not None and self.state.converted
        return {
            t: None if i.is_rate else (BASE if converted else i.currency_code)
            for t, i in market.instruments(list(names)).items()
        }

    def refusal(self, text: str) -> bool:
        """``text`` is this bar's refusal (a page says it once, here, and points to it elsewhere)."""
        return self.state is not None and self.state.refused and text == self.label.text()

    def say(self, text: str, refused: bool = False) -> None:
        """A line of the page's own (its pairs' currencies, say); "" hides the bar."""
        self.state = None
        self.label.setText(text)
        self.setVisible(bool(text))
        self.theme_refused = refused
        self.apply_theme(self.theme)

    def show_state(self, state: PageCurrency | None) -> None:
        self.state = state
        text = state.line() if state is not None else ""
        self.label.setText(text)
        self.setVisible(bool(text))
        self.apply_theme(self.theme)

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        refused = self.state.refused if self.state is not None else getattr(self, "theme_refused", False)
        self.label.setStyleSheet(f"color: {theme.loss if refused else theme.text};")
        palette = QPalette(QApplication.palette())
        if theme.dark:  # Fusion fills an unticked box with the dark base: it would vanish into the page
            palette.setColor(QPalette.ColorRole.Base, QColor(theme.grid))
        self.box.setPalette(palette)
