"""Argument types shared by commands: dates, tickers, formats."""

from __future__ import annotations

import argparse
import re

import pandas as pd

TICKER_RE = re.compile(r"^[A-Z0-9][A-Z0-9.\-=^]{0,14}$")


def iso_date(text: str) -> pd.Timestamp:
    try:
        value = pd.Timestamp(text)
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None
    if value is pd.NaT or not re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)")
    return value.normalize()


def ticker(text: str) -> str:
    value = text.strip().upper()
    if not TICKER_RE.match(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a ticker symbol")
    return value


def ticker_list(text: str) -> list[str]:
    return [ticker(t) for t in text.split(",") if t.strip()]


def add_format(parser: argparse.ArgumentParser, choices=("table", "csv", "json")) -> None:
    parser.add_argument("--format", choices=choices, default="table", help="output format (default: table)")
