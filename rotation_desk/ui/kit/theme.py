"""Light and dark themes: the Qt palette, the application style sheet for control states, chart
colours and a colour-blind-safe series palette.

Twelve series colours per theme, starting from Okabe & Ito ("Color Universal Design", 2008) and
completed with Paul Tol's and IBM's colour-blind-safe sets, chosen so that every pair (and the
benchmark's colour) stays apart under normal vision and simulated protanopia, deuteranopia and
tritanopia, each at least 3:1 against the plot background. Beyond twelve series the colours repeat
with a dashed line. Gains and losses use blue and vermillion instead of green and red, which readers
with red-green colour blindness cannot tell apart.

Text colours reach WCAG 2.1 AA (4.5:1) on the backgrounds they are used on, and control states
(selected tab, checked toolbar button, slider track and handle, focus frame) 3:1; ``contrast_ratio``
computes the WCAG ratio.
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
    accent: str  # control states: selected tab, checked button, slider, links
    on_accent: str  # text on the accent
    highlighted_text: str  # text on ``highlight`` (selected rows)
    track: str  # a slider's groove
    heat_strength: float  # how far a heat-coloured cell goes toward the gain/loss colour, at most
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
        return mix(QColor(self.base), target, 0.10 + (self.heat_strength - 0.10) * strength)


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
    loss="#B34A00",
    benchmark="#3a3f4b",
    accent="#2f6fb3",
    on_accent="#ffffff",
    highlighted_text="#ffffff",
    track="#7d8594",
    heat_strength=0.65,
    series=(
        "#0072B2",  # blue (Okabe-Ito)
        "#B87800",  # ochre (Okabe-Ito orange, darkened for 3:1 on white)
        "#009E73",  # bluish green (Okabe-Ito)
        "#B34A00",  # vermillion (Okabe-Ito, darkened)
        "#CC79A7",  # reddish purple (Okabe-Ito)
        "#332288",  # indigo (Tol)
        "#7F3C8D",  # purple
        "#785EF0",  # violet (IBM)
        "#8C564B",  # brown
        "#666633",  # olive (Tol dark)
        "#882255",  # wine (Tol)
        "#EE3377",  # magenta (Tol vibrant)
    ),
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
    accent="#4a8fd8",
    on_accent="#16181d",
    highlighted_text="#16181d",
    track="#737b8c",
    heat_strength=0.45,
    series=(
        "#56B4E9",  # sky blue (Okabe-Ito)
        "#E69F00",  # orange (Okabe-Ito)
        "#2FC193",  # bluish green (Okabe-Ito, lightened)
        "#FF8A4C",  # vermillion (lightened)
        "#E08FC0",  # reddish purple (lightened)
        "#F0E442",  # yellow (Okabe-Ito)
        "#EE6677",  # rose (Tol bright)
        "#648FFF",  # blue (IBM)
        "#AED581",  # light green
        "#785EF0",  # violet (IBM)
        "#228833",  # green (Tol bright)
        "#9C755F",  # brown
    ),
)


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour ("#rrggbb")."""
    c = QColor(colour)

    def channel(v: int) -> float:
        x = v / 255.0
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


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
    button = QColor(button_colour(theme))
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
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor(theme.highlighted_text))
        p.setColor(group, QPalette.ColorRole.Link, QColor(theme.accent))
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


def button_colour(theme: Theme) -> str:
    """The face of buttons and of the tabs not selected."""
    return QColor(theme.window).lighter(108).name() if theme.dark else "#eceef2"


def style_sheet(theme: Theme) -> str:
    """The application style sheet: control states Fusion draws too faintly in a dark palette. The
    selected tab has a bar in the accent colour; the checked button of a toolbar (the range preset) is
    filled with it; a slider's groove is in the track colour, its filled part and handle's rim in the
    accent."""
    t = theme
    return f"""
QTabBar::tab {{ background: {button_colour(t)}; color: {t.text}; border: 1px solid {t.grid};
    border-bottom: none; border-top-left-radius: 4px; border-top-right-radius: 4px;
    padding: 4px 12px 4px 12px; margin-right: 1px; }}
QTabBar::tab:selected {{ background: {t.window}; border-top: 3px solid {t.accent}; padding-top: 2px; }}
QTabBar::tab:hover:!selected {{ background: {t.alt_base}; }}
QTabBar::tab:disabled {{ color: {t.muted}; }}
QToolBar QToolButton:checked {{ background: {t.accent}; color: {t.on_accent}; border: 1px solid {t.accent};
    border-radius: 3px; }}
QSlider::groove:horizontal {{ height: 4px; background: {t.track}; border-radius: 2px; }}
QSlider::sub-page:horizontal {{ height: 4px; background: {t.accent}; border-radius: 2px; }}
QSlider::handle:horizontal {{ background: {t.base}; border: 2px solid {t.accent}; width: 10px; height: 10px;
    margin: -6px 0; border-radius: 7px; }}
"""


def apply_to_app(app: QApplication, theme: Theme) -> None:
    """Fusion style with the theme's palette and style sheet (the same look on every platform)."""
    app.setStyle("Fusion")
    app.setPalette(qt_palette(theme))
    app.setStyleSheet(style_sheet(theme))
    font = app.font()
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(10.0)
        app.setFont(font)


def heading_font(base: QFont, scale: float = 1.25, bold: bool = True) -> QFont:
    f = QFont(base)
    f.setPointSizeF(base.pointSizeF() * scale)
    f.setBold(bold)
    return f
