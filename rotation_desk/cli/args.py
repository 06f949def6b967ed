"""Argument types shared by commands: dates, tickers, formats."""

from __future__ import annotations

import argparse
import re

import pandas as pd

from rotation_desk.core.tickers import parse_ticker


def iso_date(text: str) -> pd.Timestamp:
    try:
        value = pd.Timestamp(text)
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None
    if value is pd.NaT or not re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)")
    return value.normalize()


def ticker(text: str) -> str:
    try:
        return parse_ticker(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def ticker_list(text: str) -> list[str]:
    return [ticker(t) for t in text.split(",") if t.strip()]


def add_format(parser: argparse.ArgumentParser, choices=("table", "csv", "json")) -> None:
    parser.add_argument("--format", choices=choices, default="table", help="output format (default: table)")
