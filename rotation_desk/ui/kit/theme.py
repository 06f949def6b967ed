"""Light and dark themes: the Qt palette, chart colours and a colour-blind-safe series palette.

Series colours follow Okabe & Ito ("Color Universal Design", 2008), with the
yellow swapped for Paul Tol's olive on light backgrounds, where pure yellow is
unreadable. Beyond eight series the colours repeat with a dashed line, so
every series stays distinguishable without relying on hue alone.
Gains and losses use blue and vermillion instead of green and red, which
readers with red-green colour blindness cannot tell apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("light", "dark", "system")


def mix(base: QColor, target: QColor, t: float) -> QColor:
    """The colour ``t`` of the way from ``base`` to ``target`` (0: base, 1: target), per channel."""
    return QColor(
        round(base.red() + (target.red() - base.red()) * t),
        round(base.green() + (target.green() - base.green()) * t),
        round(base.blue() + (target.blue() - base.blue()) * t),
    )


@dataclass(frozen=True)
class Theme:
    name: str  # "light" or "dark" (what "system" resolved to)
    window: str
    base: str  # table and chart background
    alt_base: str
    text: str
    muted: str  # secondary text: subtitles, axis labels
    grid: str
    crosshair: str
    highlight: str
    gain: str
    loss: str
    benchmark: str  # neutral colour for the benchmark series
    series: tuple[str, ...] = field(default_factory=tuple)

    @property
    def dark(self) -> bool:
        return self.name == "dark"

    def series_colour(self, index: int) -> str:
        return self.series[index % len(self.series)]

    def series_dashed(self, index: int) -> bool:
        """Colours repeat after the palette runs out; the repeats are dashed."""
        return (index // len(self.series)) % 2 == 1

    def sign_colour(self, value: float) -> str | None:
        if value is None or value != value or value == 0:
            return None
        return self.gain if value > 0 else self.loss

    def heat_colour(self, value: float, scale: float) -> QColor | None:
        """Background for a heat-coloured cell: gain or loss colour, stronger with |value| / scale."""
        if value is None or value != value or not scale:
            return None
        strength = min(abs(value) / scale, 1.0)
        target = QColor(self.gain if value > 0 else self.loss)
        return mix(QColor(self.base), target, 0.10 + 0.55 * strength)


LIGHT = Theme(
    name="light",
    window="#f4f5f7",
    base="#ffffff",
    alt_base="#f7f8fa",
    text="#1d2330",
    muted="#5c6575",
    grid="#d9dde4",
    crosshair="#7a8291",
    highlight="#2f6fb3",
    gain="#0072B2",
    loss="#D55E00",
    benchmark="#3a3f4b",
    series=("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#999933", "#882255"),
)

DARK = Theme(
    name="dark",
    window="#1e2127",
    base="#16181d",
    alt_base="#1c1f25",
    text="#e3e6eb",
    muted="#9aa3b2",
    grid="#343944",
    crosshair="#8a93a3",
    highlight="#4a8fd8",
    gain="#56B4E9",
    loss="#FF8A4C",
    benchmark="#d0d4dc",
    series=("#56B4E9", "#E69F00", "#2FC193", "#FF8A4C", "#4A90E2", "#E08FC0", "#F0E442", "#C7A0F0"),
)


def system_prefers_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    try:
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    except AttributeError:  # Qt < 6.5
        return False


def resolve(name: str) -> Theme:
    if name == "dark":
        return DARK
    if name == "system":
        return DARK if system_prefers_dark() else LIGHT
    return LIGHT


def qt_palette(theme: Theme) -> QPalette:
    p = QPalette()
    window, base, text = QColor(theme.window), QColor(theme.base), QColor(theme.text)
    muted = QColor(theme.muted)
    button = QColor(theme.window).lighter(108) if theme.dark else QColor("#eceef2")
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, text)
        p.setColor(group, QPalette.ColorRole.Base, base)
        p.setColor(group, QPalette.ColorRole.AlternateBase, QColor(theme.alt_base))
        p.setColor(group, QPalette.ColorRole.ToolTipBase, base)
        p.setColor(group, QPalette.ColorRole.ToolTipText, text)
        p.setColor(group, QPalette.ColorRole.PlaceholderText, muted)
        p.setColor(group, QPalette.ColorRole.Text, text)
        p.setColor(group, QPalette.ColorRole.Button, button)
        p.setColor(group, QPalette.ColorRole.ButtonText, text)
        p.setColor(group, QPalette.ColorRole.BrightText, QColor(theme.loss))
        p.setColor(group, QPalette.ColorRole.Highlight, QColor(theme.highlight))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        p.setColor(group, QPalette.ColorRole.Link, QColor(theme.highlight))
        p.setColor(group, QPalette.ColorRole.Mid, QColor(theme.grid))
        p.setColor(group, QPalette.ColorRole.Midlight, QColor(theme.grid))
        p.setColor(group, QPalette.ColorRole.Dark, QColor(theme.grid).darker(130))
        p.setColor(group, QPalette.ColorRole.Light, button.lighter(110))
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(disabled, role, muted)
    p.setColor(disabled, QPalette.ColorRole.Base, window)
    p.setColor(disabled, QPalette.ColorRole.Button, window)
    p.setColor(disabled, QPalette.ColorRole.Window, window)
    return p


def apply_to_app(app: QApplication, theme: Theme) -> None:
    """Fusion style with the theme's palette (the same look on every platform)."""
    app.setStyle("Fusion")
    app.setPalette(qt_palette(theme))
    font = app.font()
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(10.0)
        app.setFont(font)


def heading_font(base: QFont, scale: float = 1.25, bold: bool = True) -> QFont:
    f = QFont(base)
    f.setPointSizeF(base.pointSizeF() * scale)
    f.setBold(bold)
    return f
