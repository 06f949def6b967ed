"""User settings, kept as JSON in ``AppPaths.settings_file`` (Qt-free).

The settings are typed: app-wide fields here, one section per tab
(``sections``), each field with its default and check. Reading is lenient by
entry: a wrong value falls back to that entry's default and adds a notice,
which the app shows once; a file that is not a JSON object at all (bad JSON,
too large, nested too deep) is moved aside as ``settings.json.corrupt-<stamp>``
and the defaults are used. Files written by version 1 (watchlists and pairs at
the top level) load into the same sections. Saving is atomic.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path

from rotation_desk.data import atomic
from rotation_desk.ui.state import fields as f
from rotation_desk.ui.state.fields import SettingsError, load_section, setting
from rotation_desk.ui.state.ranges import PRESETS
from rotation_desk.ui.state.sections import (
    TAB_SECTIONS,
    ChartPrefs,
    CompareSettings,
    DcaSettings,
    ExportPrefs,
    OverviewSettings,
    SectorsSettings,
)

log = logging.getLogger(__name__)

SETTINGS_VERSION = 2
THEME_CHOICES = ("system", "light", "dark")
MAX_FILE_BYTES = 2_000_000  # a settings file is a few kB; anything this large is not ours
MAX_CHARTS = 200

__all__ = ["THEME_CHOICES", "ChartPrefs", "ExportPrefs", "Settings", "SettingsError", "load_settings", "save_settings"]


@dataclass
class Settings:
    theme: str = setting("system", f.choice(*THEME_CHOICES))
    default_range: str = setting("5Y", f.choice(*(p for p in PRESETS if p != "Custom")))
    benchmark: str = setting("SPY", f.ticker)
    # the annual risk-free rate of every Sharpe and Sortino ratio in the window, a fraction (0.04 = 4 %);
    # the command line keeps 0 unless given --rf
    risk_free: float = setting(0.0, f.number(-0.05, 0.25))
    # "Show in USD": pages whose tickers are in other currencies convert them through the cached FX pair
    # (as --in USD); off, figures across currencies are refused (ui.kit.currency_bar)
    in_usd: bool = setting(False, f.flag)
    refresh_on_start: bool = setting(True, f.flag)  # fetch new prices in the background when the app starts
    window_geometry: str = setting("", f.text(100_000))  # base64 of QMainWindow.saveGeometry()
    window_state: str = setting("", f.text(100_000))  # base64 of QMainWindow.saveState()
    last_tab: int = setting(0, f.number(0, 99, whole=True))
    export: ExportPrefs = field(default_factory=ExportPrefs)
    charts: dict[str, ChartPrefs] = field(default_factory=dict)  # chart id -> log scale, hidden series
    overview: OverviewSettings = field(default_factory=OverviewSettings)
    compare: CompareSettings = field(default_factory=CompareSettings)
    sectors: SectorsSettings = field(default_factory=SectorsSettings)
    dca: DcaSettings = field(default_factory=DcaSettings)
    notices: list[str] = field(default_factory=list, compare=False, repr=False)  # from loading; not saved

    def chart_prefs(self, chart_id: str) -> ChartPrefs:
        return self.charts.setdefault(chart_id, ChartPrefs())

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("notices")
        data["version"] = SETTINGS_VERSION
        return data

    @classmethod
    def from_json(cls, data) -> Settings:
        """Settings from a JSON value; each entry that cannot be used keeps its default, named in ``notices``."""
        s = cls()
        if not isinstance(data, dict):
            s.notices.append("the settings file does not hold a JSON object; the defaults are used")
            return s
        data = _upgrade(data)
        notices = s.notices
        for fl in fields(cls):
            if "check" in fl.metadata and fl.name in data:
                try:
                    setattr(s, fl.name, fl.metadata["check"](data[fl.name], fl.name))
                except SettingsError as exc:
                    notices.append(f"{exc}; the default is used")
        s.export = load_section(ExportPrefs, data.get("export"), "export", notices)
        s.charts = _charts(data.get("charts"), notices)
        for name, section in TAB_SECTIONS.items():
            setattr(s, name, load_section(section, data.get(name), name, notices))
        return s

    def check_tickers(self, known: set[str]) -> list[str]:
        """Entries naming tickers with no cached prices fall back to their defaults (what is cached of
        them); returns a notice per entry changed. The app calls it at start with the store's tickers."""
        notices: list[str] = []
        if self.benchmark not in known:
            fallback = "SPY" if "SPY" in known else (sorted(known)[0] if known else self.benchmark)
            notices.append(f"benchmark: no cached prices for {self.benchmark}; {fallback} is used")
            self.benchmark = fallback
        for where, section, name in (
            ("overview.watchlist", self.overview, "watchlist"),
            ("compare.tickers", self.compare, "tickers"),
            ("sectors.tickers", self.sectors, "tickers"),
        ):
            kept, gone = f.keep_known(getattr(section, name), known)
            if gone:
                if not kept:
                    kept = [t for t in f.default_of(type(section), name) if t in known]
                setattr(section, name, kept)
                notices.append(f"{where}: no cached prices for {', '.join(gone)}; left out")
        for where, section, name in (
            ("sectors.weights", self.sectors, "weights"),
            ("dca.allocation", self.dca, "allocation"),
        ):
            gone = [t for t in getattr(section, name) if t not in known]
            if gone:
                setattr(section, name, f.default_of(type(section), name))
                notices.append(f"{where}: no cached prices for {', '.join(gone)}; the default weights are used")
        pairs = [p for p in self.overview.pairs if all(side in known for side in p.split("/"))]
        if pairs != self.overview.pairs:
            gone = [p for p in self.overview.pairs if p not in pairs]
            self.overview.pairs = pairs
            notices.append(f"overview.pairs: no cached prices for {', '.join(gone)}; left out")
        return notices


def _upgrade(data: dict) -> dict:
    """Version 1 kept the tabs' ticker lists under "watchlists" and the pairs at the top level."""
    if data.get("version", 1) != 1:
        return data
    data = dict(data)
    lists = data.get("watchlists") if isinstance(data.get("watchlists"), dict) else {}
    overview = {}
    if "overview" in lists:
        overview["watchlist"] = lists["overview"]
    if "pairs" in data:
        overview["pairs"] = data["pairs"]
    data["overview"] = overview
    for name in ("compare", "sectors"):
        section = data.get(name, {})
        if isinstance(section, dict) and name in lists:
            section = {**section, "tickers": lists[name]}
        data[name] = section
    return data


def _charts(data, notices: list[str]) -> dict[str, ChartPrefs]:
    if data is None:
        return {}
    if not isinstance(data, dict) or len(data) > MAX_CHARTS:
        notices.append("charts: expected an object of chart preferences; the defaults are used")
        return {}
    return {str(k): load_section(ChartPrefs, v, f"charts.{k}", notices) for k, v in data.items()}


def load_settings(path: Path) -> tuple[Settings, str | None]:
    """Settings from ``path`` (defaults when it does not exist) and a notice for the user, if any."""
    path = Path(path)
    try:
        if not path.exists():
            return Settings(), None
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SettingsError(f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, SettingsError, RecursionError, ValueError) as exc:
        reason = str(exc) if isinstance(exc, (SettingsError, OSError)) else f"{type(exc).__name__}: {exc}"
        if isinstance(exc, RecursionError):
            reason = "it is nested too deeply"
        if isinstance(exc, OSError) and not path.is_file():
            return (Settings(), f"Your settings file could not be read ({reason}), so the defaults are used.")
        backup = _move_aside(path)
        log.warning("settings file %s could not be used (%s); moved to %s", path, reason, backup)
        where = f"it was kept as {backup.name}" if backup else "it could not be moved aside"
        return Settings(), (
            f"Your settings file could not be read ({reason}), so the defaults are used; {where} in {path.parent}."
        )
    settings = Settings.from_json(data)
    if not settings.notices:
        return settings, None
    log.warning("settings file %s: %s", path, "; ".join(settings.notices))
    return settings, "Some settings could not be used: " + "; ".join(settings.notices) + "."


def _move_aside(path: Path) -> Path | None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.corrupt-{stamp}")
    try:
        path.replace(backup)
        return backup
    except OSError:
        return None


def save_settings(path: Path, settings: Settings) -> bool:
    """Write atomically; a failure is logged, never raised (settings are not worth a crash)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(path, json.dumps(settings.to_json(), indent=2))
        return True
    except OSError as exc:
        log.warning("could not save settings to %s: %s", path, exc)
        return False
