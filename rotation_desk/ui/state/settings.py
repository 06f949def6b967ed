"""User settings, kept as JSON in ``AppPaths.settings_file`` (Qt-free).

A file that cannot be read back into valid settings (bad JSON, wrong types,
unknown values) is moved aside as ``settings.json.corrupt-<stamp>`` and the
defaults are used; ``load_settings`` returns a notice saying so, which the
app shows once. Saving is atomic (write a temporary file, then rename).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from rotation_desk.core.pairs import DEFAULT_PAIR_KEYS, MAX_PAIRS, parse_pair
from rotation_desk.core.tickers import is_ticker
from rotation_desk.ui.state.ranges import PRESETS

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
THEME_CHOICES = ("system", "light", "dark")

DEFAULT_WATCHLISTS: dict[str, list[str]] = {
    "overview": ["SPY", "QQQ", "IWM", "IWD", "IWF", "IWN", "VBR", "DFAT", "AVUV", "ACWX", "EEMV", "GLD", "TLT"],
    "compare": ["DFAT", "VBR", "AVUV", "EEMV"],
    "sectors": ["XLK", "XLF", "XLI", "XLY", "XLP", "XLU", "XLE", "XLV", "XLB", "XLRE", "XLC"],
}

DEFAULT_DCA = {"contribution": 500.0, "allocation": {"VBR": 40.0, "DFAT": 30.0, "EEMV": 30.0}}

# Sector Tilts: the RRG's frequency and tail, and the tilt backtest's last valid weights and rule
DEFAULT_COMPARE = {"window_mode": "common", "rolling": "1Y", "fee_amount": 10_000.0}  # ETF Comparison inputs
COMPARE_MODES = ("common", "full", "range")
ROLLING_CHOICES = ("3M", "6M", "1Y", "3Y")

DEFAULT_SECTORS = {
    "frequency": "weekly",
    "tail": 8,
    "weights": {"SPY": 70.0, "XLI": 10.0, "XLF": 10.0, "XLY": 10.0},
    "rebalance": "monthly",
}


class SettingsError(ValueError):
    """The settings file holds something we cannot use."""


@dataclass
class ExportPrefs:
    width: int = 1600
    height: int = 900
    hidpi: bool = False
    folder: str = ""


@dataclass
class Settings:
    theme: str = "system"
    default_range: str = "5Y"
    benchmark: str = "SPY"
    watchlists: dict[str, list[str]] = field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_WATCHLISTS.items()}
    )
    dca: dict = field(default_factory=lambda: json.loads(json.dumps(DEFAULT_DCA)))
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState()
    last_tab: int = 0
    export: ExportPrefs = field(default_factory=ExportPrefs)
    charts: dict[str, dict] = field(default_factory=dict)  # chart id -> {"log": bool, "hidden": [names]}
    pairs: list[str] = field(default_factory=lambda: list(DEFAULT_PAIR_KEYS))  # Market Overview, "NUM/DEN"
    sectors: dict = field(default_factory=lambda: json.loads(json.dumps(DEFAULT_SECTORS)))  # Sector Tilts inputs
    compare: dict = field(default_factory=lambda: dict(DEFAULT_COMPARE))  # ETF Comparison inputs

    def watchlist(self, name: str) -> list[str]:
        return list(self.watchlists.get(name) or DEFAULT_WATCHLISTS.get(name, []))

    def chart_prefs(self, chart_id: str) -> dict:
        return self.charts.setdefault(chart_id, {"log": False, "hidden": []})

    def to_json(self) -> dict:
        data = asdict(self)
        data["version"] = SETTINGS_VERSION
        return data

    @classmethod
    def from_json(cls, data) -> Settings:
        """Validated settings; SettingsError names the first field that is wrong."""
        if not isinstance(data, dict):
            raise SettingsError("the file does not hold a JSON object")
        s = cls()
        if "theme" in data:
            s.theme = _choice(data["theme"], THEME_CHOICES, "theme")
        if "default_range" in data:
            s.default_range = _choice(
                data["default_range"], tuple(p for p in PRESETS if p != "Custom"), "default_range"
            )
        if "benchmark" in data:
            s.benchmark = _ticker(data["benchmark"], "benchmark")
        if "watchlists" in data:
            lists = data["watchlists"]
            if not isinstance(lists, dict):
                raise SettingsError("watchlists: expected an object of ticker lists")
            for name, tickers in lists.items():
                if not isinstance(tickers, list):
                    raise SettingsError(f"watchlists.{name}: expected a list of tickers")
                s.watchlists[str(name)] = [_ticker(t, f"watchlists.{name}") for t in tickers]
        if "dca" in data:
            s.dca = _dca(data["dca"])
        for key in ("window_geometry", "window_state"):
            if key in data:
                if not isinstance(data[key], str):
                    raise SettingsError(f"{key}: expected text")
                setattr(s, key, data[key])
        if "last_tab" in data:
            if not isinstance(data["last_tab"], int) or isinstance(data["last_tab"], bool) or data["last_tab"] < 0:
                raise SettingsError("last_tab: expected a tab number")
            s.last_tab = data["last_tab"]
        if "export" in data:
            s.export = _export(data["export"])
        if "charts" in data:
            s.charts = _charts(data["charts"])
        if "pairs" in data:  # absent in files written before the Market Overview tab: defaults
            s.pairs = _pairs(data["pairs"])
        if "sectors" in data:  # absent in files written before the Sector Tilts tab: defaults
            s.sectors = _sectors(data["sectors"])
        if "compare" in data:  # absent in older files: defaults
            s.compare = _compare(data["compare"])
        return s


def _choice(value, choices, name):
    if value not in choices:
        raise SettingsError(f"{name}: {value!r} is not one of {', '.join(choices)}")
    return value


def _ticker(value, name):
    if not isinstance(value, str) or not is_ticker(value):
        raise SettingsError(f"{name}: {value!r} is not a ticker symbol")
    return value.strip().upper()


def _number(value, name, lo, hi):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise SettingsError(f"{name}: expected a number between {lo} and {hi}")
    return value


def _dca(data) -> dict:
    if not isinstance(data, dict):
        raise SettingsError("dca: expected an object")
    out = json.loads(json.dumps(DEFAULT_DCA))
    if "contribution" in data:
        out["contribution"] = float(_number(data["contribution"], "dca.contribution", 1, 1e9))
    if "allocation" in data:
        alloc = data["allocation"]
        if not isinstance(alloc, dict) or not alloc:
            raise SettingsError("dca.allocation: expected ticker: percent pairs")
        out["allocation"] = {
            _ticker(k, "dca.allocation"): float(_number(v, f"dca.allocation.{k}", 0, 100)) for k, v in alloc.items()
        }
        if abs(sum(out["allocation"].values()) - 100.0) > 1e-6:
            raise SettingsError("dca.allocation: the percentages must sum to 100")
    if "last_plan" in data:  # the DCA tab's last plan: a file name in the plans folder
        name = data["last_plan"]
        if not isinstance(name, str) or not name or Path(name).name != name:
            raise SettingsError("dca.last_plan: expected a plan file name")
        out["last_plan"] = name
    if "target" in data:  # the DCA projection's target amount
        out["target"] = float(_number(data["target"], "dca.target", 0, 1e15))
    return out


def _compare(data) -> dict:
    if not isinstance(data, dict):
        raise SettingsError("compare: expected an object")
    out = dict(DEFAULT_COMPARE)
    if "window_mode" in data:
        out["window_mode"] = _choice(data["window_mode"], COMPARE_MODES, "compare.window_mode")
    if "rolling" in data:
        out["rolling"] = _choice(data["rolling"], ROLLING_CHOICES, "compare.rolling")
    if "fee_amount" in data:
        out["fee_amount"] = float(_number(data["fee_amount"], "compare.fee_amount", 1, 1e9))
    return out


def _sectors(data) -> dict:
    if not isinstance(data, dict):
        raise SettingsError("sectors: expected an object")
    out = json.loads(json.dumps(DEFAULT_SECTORS))
    if "frequency" in data:
        out["frequency"] = _choice(data["frequency"], ("weekly", "daily"), "sectors.frequency")
    if "tail" in data:
        tail = data["tail"]
        if isinstance(tail, bool) or not isinstance(tail, int) or not 1 <= tail <= 52:
            raise SettingsError("sectors.tail: expected a whole number of points from 1 to 52")
        out["tail"] = tail
    if "weights" in data:
        weights = data["weights"]
        if not isinstance(weights, dict) or not weights:
            raise SettingsError("sectors.weights: expected ticker: percent pairs")
        out["weights"] = {
            _ticker(k, "sectors.weights"): float(_number(v, f"sectors.weights.{k}", 0, 100)) for k, v in weights.items()
        }
        if abs(sum(out["weights"].values()) - 100.0) > 0.01:
            raise SettingsError("sectors.weights: the percentages must sum to 100")
    if "rebalance" in data:
        out["rebalance"] = _choice(data["rebalance"], ("monthly", "quarterly", "yearly", "never"), "sectors.rebalance")
    return out


def _export(data) -> ExportPrefs:
    if not isinstance(data, dict):
        raise SettingsError("export: expected an object")
    e = ExportPrefs()
    if "width" in data:
        e.width = int(_number(data["width"], "export.width", 100, 10000))
    if "height" in data:
        e.height = int(_number(data["height"], "export.height", 100, 10000))
    if "hidpi" in data:
        if not isinstance(data["hidpi"], bool):
            raise SettingsError("export.hidpi: expected true or false")
        e.hidpi = data["hidpi"]
    if "folder" in data:
        if not isinstance(data["folder"], str):
            raise SettingsError("export.folder: expected a folder path")
        e.folder = data["folder"]
    return e


def _charts(data) -> dict[str, dict]:
    if not isinstance(data, dict):
        raise SettingsError("charts: expected an object")
    out = {}
    for chart_id, prefs in data.items():
        if not isinstance(prefs, dict):
            raise SettingsError(f"charts.{chart_id}: expected an object")
        log_scale = prefs.get("log", False)
        hidden = prefs.get("hidden", [])
        if (
            not isinstance(log_scale, bool)
            or not isinstance(hidden, list)
            or not all(isinstance(h, str) for h in hidden)
        ):
            raise SettingsError(f"charts.{chart_id}: expected log (true/false) and hidden (names)")
        out[str(chart_id)] = {"log": log_scale, "hidden": list(hidden)}
    return out


def _pairs(data) -> list[str]:
    if not isinstance(data, list) or len(data) > MAX_PAIRS:
        raise SettingsError(f'pairs: expected a list of at most {MAX_PAIRS} pairs such as "IWM/SPY"')
    out = []
    for item in data:
        try:
            key = "/".join(parse_pair(item))
        except ValueError as exc:
            raise SettingsError(f"pairs: {exc}") from None
        if key not in out:
            out.append(key)
    return out


def load_settings(path: Path) -> tuple[Settings, str | None]:
    """Settings from ``path`` (defaults when it does not exist) and a notice for the user, if any."""
    path = Path(path)
    if not path.exists():
        return Settings(), None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Settings.from_json(data), None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, SettingsError, TypeError, ValueError) as exc:
        reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, SettingsError) else str(exc)
        backup = _move_aside(path)
        log.warning("settings file %s could not be used (%s); moved to %s", path, reason, backup)
        where = f"it was kept as {backup.name}" if backup else "it could not be moved aside"
        return Settings(), (
            f"Your settings file could not be read ({reason}), so the defaults are used; {where} in {path.parent}."
        )


def _move_aside(path: Path) -> Path | None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.corrupt-{stamp}")
    try:
        path.replace(backup)
        return backup
    except OSError:
        return None


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically; a failure is logged, never raised (settings are not worth a crash)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(settings.to_json(), indent=2), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("could not save settings to %s: %s", path, exc)
