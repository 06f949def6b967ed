"""Record Yahoo Finance answers as test fixtures (tests/fixtures/yahoo/).

The tests never go online: tests/yahoo_replay.py answers yfinance's HTTP calls
from recordings. This tool makes those recordings.

Online — needs the network; run it by hand, never in CI. It saves Yahoo's
answers exactly as sent (the same calls yfinance 1.7 makes):

    python tools/record_yahoo.py online VBR --start 2026-06-01 --end 2026-08-04

    chart-VBR-2026-06-01_2026-08-04.json   /v8/finance/chart/VBR?period1=…&period2=…&interval=1d&events=div,splits,capitalGains
    quoteSummary-VBR.json                  /v10/finance/quoteSummary/VBR (the modules Ticker.info asks for)
    quote-VBR.json                         /v7/finance/quote?symbols=VBR
    timeseries-VBR-trailingPegRatio.json   the side request at the end of Ticker.info
    chart-404-unknown-ticker.json          the chart answer for an unknown ticker (NOPE)
    quoteSummary-404-unknown-ticker.json   the quoteSummary answer for it
    http-429-body.txt                      only if Yahoo rate-limits a request meanwhile

Offline — rebuilds the committed chart fixture from the bundled snapshot with the
replay's own builder (adjusted closes from the snapshot; closes and the last
dividend recovered from them, see tests/yahoo_replay.py):

    python tools/record_yahoo.py from-snapshot VBR --start 2026-06-01 --end 2026-08-04

Synthetic — for the instrument types the repository has no real series of (an
index, a yield, a foreign listing, currency pairs, crypto, a mutual fund):
Yahoo's chart JSON structure with made-up values, labelled as test fixtures in
each file's ``_fixture`` key (tests/yahoo_synthetic.py):

    python tools/record_yahoo.py synthetic
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "yahoo"
NEW_YORK = ZoneInfo("America/New_York")
CHART = "https://query2.finance.yahoo.com/v8/finance/chart/{}"
SUMMARY = "https://query2.finance.yahoo.com/v10/finance/quoteSummary/{}"
QUOTE = "https://query1.finance.yahoo.com/v7/finance/quote"
TIMESERIES = "https://query1.finance.yahoo.com/ws/fundamentals-timeseries/v1/finance/timeseries/{}"
INFO_MODULES = "financialData,quoteType,defaultKeyStatistics,assetProfile,summaryDetail"


def midnight(day: str) -> int:
    """Unix seconds of midnight New York, as yfinance sends for a start/end date."""
    d = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=NEW_YORK)
    return int(d.timestamp())


def chart_name(ticker: str, start: str, end: str) -> str:
    return f"chart-{ticker}-{start}_{end}.json"


def record_online(ticker: str, start: str, end: str, out: Path) -> None:
    from curl_cffi import requests

    session = requests.Session(impersonate="chrome")
    session.get("https://fc.yahoo.com", allow_redirects=True, timeout=30)
    crumb = session.get("https://query1.finance.yahoo.com/v1/test/getcrumb", timeout=30).text

    def save(name: str, response) -> None:
        if response.status_code == 429:
            (out / "http-429-body.txt").write_bytes(response.content)
            sys.exit(f"rate limited by Yahoo while fetching {name}; try again later")
        (out / name).write_bytes(response.content)
        print(f"{name}: HTTP {response.status_code}, {len(response.content)} bytes")

    chart_params = {
        "period1": midnight(start),
        "period2": midnight(end),
        "interval": "1d",
        "includePrePost": "False",
        "events": "div,splits,capitalGains",
        "crumb": crumb,
    }
    save(chart_name(ticker, start, end), session.get(CHART.format(ticker), params=chart_params, timeout=30))
    info_params = {
        "modules": INFO_MODULES,
        "corsDomain": "finance.yahoo.com",
        "formatted": "false",
        "symbol": ticker,
        "lang": "en-US",
        "region": "US",
        "crumb": crumb,
    }
    save(f"quoteSummary-{ticker}.json", session.get(SUMMARY.format(ticker), params=info_params, timeout=30))
    save(
        f"quote-{ticker}.json",
        session.get(
            QUOTE,
            params={"symbols": ticker, "formatted": "false", "lang": "en-US", "region": "US", "crumb": crumb},
            timeout=30,
        ),
    )
    save(
        f"timeseries-{ticker}-trailingPegRatio.json",
        session.get(
            TIMESERIES.format(ticker),
            params={
                "symbol": ticker,
                "type": "trailingPegRatio",
                "period1": midnight(start),
                "period2": midnight(end),
                "crumb": crumb,
            },
            timeout=30,
        ),
    )
    save("chart-404-unknown-ticker.json", session.get(CHART.format("NOPE"), params=chart_params, timeout=30))
    info_params["symbol"] = "NOPE"
    save("quoteSummary-404-unknown-ticker.json", session.get(SUMMARY.format("NOPE"), params=info_params, timeout=30))


def record_from_snapshot(ticker: str, start: str, end: str, out: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from yahoo_replay import chart_payload, chart_rows, snapshot_recording

    rec = snapshot_recording(ticker)
    rows = chart_rows(rec, {"period1": midnight(start), "period2": midnight(end)})
    path = out / chart_name(ticker, start, end)
    path.write_text(json.dumps(chart_payload(rec, rows), separators=(",", ":")) + "\n")
    print(f"{path.name}: {len(rows)} sessions from the snapshot")
    return path


def record_synthetic(out: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from yahoo_synthetic import write_all

    for path in write_all(out):
        print(f"{path.name}: synthetic test fixture")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=["online", "from-snapshot", "synthetic"])
    ap.add_argument("ticker", nargs="?")
    ap.add_argument("--start", help="first date, YYYY-MM-DD (inclusive)")
    ap.add_argument("--end", help="last date, YYYY-MM-DD (exclusive, as Yahoo's period2)")
    ap.add_argument("--out", type=Path, default=FIXTURES)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.mode == "synthetic":
        record_synthetic(args.out)
        return 0
    if not (args.ticker and args.start and args.end):
        ap.error(f"{args.mode} needs TICKER, --start and --end")
    ticker = args.ticker.upper()
    if args.mode == "online":
        record_online(ticker, args.start, args.end, args.out)
    else:
        record_from_snapshot(ticker, args.start, args.end, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
