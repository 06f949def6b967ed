"""Argument types shared by commands: dates, tickers, formats."""

from __future__ import annotations

import argparse

import pandas as pd

from rotation_desk.core.dates import parse_day
from rotation_desk.core.tickers import parse_ticker


def iso_date(text: str) -> pd.Timestamp:
    """YYYY-MM-DD within the supported range (core.dates), as a timestamp at midnight."""
    try:
        return pd.Timestamp(parse_day(text.strip()))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def ticker(text: str) -> str:
    try:
        return parse_ticker(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def ticker_list(text: str) -> list[str]:
    return [ticker(t) for t in text.split(",") if t.strip()]


def add_format(parser: argparse.ArgumentParser, choices=("table", "csv", "json")) -> None:
    parser.add_argument("--format", choices=choices, default="table", help="output format (default: table)")


def add_proxy(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--proxy",
        action="append",
        metavar="T=P[,T=P]",
        help="extend T before its first close with P's daily returns (T's own prices unchanged; always reported), "
        "e.g. DFAT=VBR",
    )


def add_in_currency(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--in",
        dest="in_currency",
        metavar="CUR",
        help="show every price in this currency, converted through the cached FX pairs (e.g. --in USD uses "
        "GBPUSD=X for a listing in pounds); without it, tickers in different currencies are refused",
    )


def risk_free(text: str) -> float:
    """An annual risk-free rate as a fraction (0.04 = 4 %), from -0.5 to 1 (exclusive)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number; give the annual rate as a fraction, e.g. 0.04"
        ) from None
    if not -0.5 < value < 1.0:
        raise argparse.ArgumentTypeError(f"{text}: give the annual rate as a fraction, e.g. 0.04 for 4 %")
    return value
