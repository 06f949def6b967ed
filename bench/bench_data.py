"""Issue 2 figures: loading the store, metrics vs empyrical-reloaded, incremental refresh."""

from __future__ import annotations

import lzma
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.timing import best_of, row
from rotation_desk.core.metrics import compute_metrics, daily_risk_free
from rotation_desk.core.returns import daily_returns
from rotation_desk.data.market import MarketData
from rotation_desk.data.paths import resolve_paths
from rotation_desk.data.resources import SNAPSHOT, read_bytes


def _write_csvs(target: Path) -> list[Path]:
    """The 88 per-ticker CSVs (date, adj_close), as shipped in ../shared/data, from the snapshot."""
    text = lzma.decompress(read_bytes(SNAPSHOT)).decode("ascii").splitlines()[1:]
    per: dict[str, list[str]] = {}
    for line in text:
        ticker, rest = line.split(",", 1)
        per.setdefault(ticker, []).append(rest)
    paths = []
    for ticker, lines in per.items():
        path = target / f"{ticker}.csv"
        path.write_text("date,adj_close\n" + "\n".join(lines) + "\n")
        paths.append(path)
    return paths


def read_csvs(paths: list[Path]) -> pd.DataFrame:
    """The peer of the store's load: one pandas.read_csv per ticker, concatenated."""
    cols = {p.stem: pd.read_csv(p, index_col="date", parse_dates=["date"])["adj_close"] for p in paths}
    return pd.DataFrame(cols).sort_index()


def bench_load(market: MarketData, tmp: Path, repeat: int) -> dict:
    csvs = _write_csvs(tmp)
    ours = best_of(lambda: market.store.read_closes(), repeat)
    peer = best_of(lambda: read_csvs(csvs), repeat)
    a, b = market.store.read_closes(), read_csvs(csvs)
    same = np.allclose(a.to_numpy(), b[a.columns].to_numpy(), equal_nan=True, rtol=0, atol=0)
    return row(
        "load 88 tickers, full history, into one wide frame",
        ours,
        "pandas.read_csv × 88 + concat",
        peer,
        f"{a.shape[0]}×{a.shape[1]}, identical values: {same}",
    )


def metrics_peer(closes: pd.DataFrame, bench: pd.Series, rf: float) -> list[dict]:
    """empyrical-reloaded's six measures per ticker, on the same data as ours."""
    import empyrical

    rf_d = daily_risk_free(rf)
    out = []
    rb_all = daily_returns(bench)
    for t in closes.columns:
        r = daily_returns(closes[t].dropna())
        aligned = pd.concat([r, rb_all], axis=1, join="inner").dropna()
        out.append(
            {
                "total_return": empyrical.cum_returns_final(r),
                "volatility": empyrical.annual_volatility(r),
                "sharpe": empyrical.sharpe_ratio(r, risk_free=rf_d),
                "sortino": empyrical.sortino_ratio(r, required_return=rf_d),
                "max_drawdown": empyrical.max_drawdown(r),
                "beta": empyrical.beta(aligned.iloc[:, 0], aligned.iloc[:, 1]),
            }
        )
    return out


def metrics_worst(ours, ref: list[dict]) -> float:
    worst = 0.0
    for m, expected in zip(ours, ref):
        for key, value in expected.items():
            worst = max(worst, abs(getattr(m, key) - value) / max(1.0, abs(value)))
    return worst


def bench_metrics(market: MarketData, repeat: int) -> list[dict]:
    closes = market.all_closes()
    bench = closes["SPY"]
    rf = 0.04

    def ours():
        return [compute_metrics(t, closes[t], bench, rf) for t in closes.columns]

    t_ours = best_of(ours, repeat)
    t_peer = best_of(lambda: metrics_peer(closes, bench, rf), repeat)
    worst = metrics_worst(ours(), metrics_peer(closes, bench, rf))
    return [
        row(
            "metrics, 88 tickers, full history (6 shared measures + ours' extras)",
            t_ours,
            "empyrical-reloaded, same data",
            t_peer,
            f"largest relative difference {worst:.1e}",
        )
    ]


def bench_health(market: MarketData, repeat: int) -> list[dict]:
    """The integrity check run when the store is opened, next to SQLite's full integrity_check."""
    from rotation_desk.data.store import PriceStore

    store = market.store
    healthy = store.check_health(force=True)
    ours = best_of(lambda: store.check_health(force=True), repeat)
    peer = best_of(lambda: store.conn.execute("PRAGMA integrity_check").fetchall(), repeat)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    size_mb = store.path.stat().st_size / 1e6
    rows = [
        row(
            "quick integrity check of the store (PRAGMA quick_check, 88 tickers)",
            ours,
            "PRAGMA integrity_check (also checks index contents)",
            peer,
            f"{pages} pages, {size_mb:.1f} MB; healthy: {healthy}",
        )
    ]

    def open_close(check: bool):
        s = PriceStore(store.path, check=check)
        s.close()

    store.check_health(force=True)  # leaves the stamp of a clean check
    skipped = best_of(lambda: open_close(True), repeat)

    def forced():
        s = PriceStore(store.path, check=False)
        s.check_health(force=True)
        s.close()

    checked = best_of(forced, repeat)
    rows.append(
        row(
            "open the store, file unchanged since its last clean check (check skipped)",
            skipped,
            "open and run the quick check",
            checked,
            "any change to the file (a write, a crash, damage) makes the next open check again",
        )
    )
    return rows


def run(quick: bool = False) -> list[dict]:
    repeat = 2 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        market = MarketData(resolve_paths(Path(tmp) / "data"), offline=True)
        csv_dir = Path(tmp) / "csv"
        csv_dir.mkdir()
        rows = [bench_load(market, csv_dir, repeat)]
        rows += bench_metrics(market, repeat)
        rows += bench_health(market, repeat)
        try:
            from bench.bench_refresh import bench_refresh
        except ImportError:
            pass
        else:
            rows.append(bench_refresh(market, Path(tmp)))
        market.store.close()
    return rows
