"""core.tickers: every Yahoo symbol form is accepted, and only those; the command line, settings and
fields use this one definition."""

from __future__ import annotations

import argparse

import pytest

from rotation_desk.cli.args import ticker as cli_ticker
from rotation_desk.core import tickers
from rotation_desk.core.pairs import parse_pair
from rotation_desk.ui.state.settings import Settings

ACCEPTED = [
    "SPY",
    "DFAT",
    "BRK-B",  # share class
    "^GSPC",  # indices and yields
    "^RUT",
    "^IXIC",
    "^SOX",
    "^VIX",
    "^TNX",
    "^IRX",
    "^N225",
    "EURUSD=X",  # currency
    "ES=F",  # future
    "BTC-USD",  # crypto
    "VWRL.L",  # foreign listings
    "7203.T",
    "0700.HK",
    "000001.SS",
    "VSIAX",  # mutual fund
    "spy",  # case-insensitive
    " vwrl.l ",
]

REJECTED = [
    "",
    " ",
    "^",
    "S P Y",
    "SPY;",
    "SPY,QQQ",
    "../etc/passwd",
    "SPY/QQQ",
    "SPY.",
    ".L",
    "A..B",
    "BRK--B",
    "-SPY",
    "SPY-",
    "GS^PC",
    "^^GSPC",
    "EURUSD=",
    "=X",
    "EURUSD=XX",
    "EUR=USD=X",
    "SPY$",
    "ÄPFEL",
    "١٢٣",  # Arabic-Indic digits
    "A" * 21,
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted_forms(text):
    assert tickers.is_ticker(text)
    assert tickers.parse_ticker(text) == text.strip().upper()
    assert cli_ticker(text) == text.strip().upper()


@pytest.mark.parametrize("text", REJECTED)
def test_rejected_forms(text):
    assert not tickers.is_ticker(text)
    with pytest.raises(ValueError, match="is not a ticker symbol"):
        tickers.parse_ticker(text)
    with pytest.raises(argparse.ArgumentTypeError):
        cli_ticker(text)


def test_non_text_is_not_a_ticker():
    for value in (None, 5, ["SPY"], {"SPY": 1}):
        assert not tickers.is_ticker(value)


def test_split_and_invalid():
    names = tickers.split_tickers("spy, ^gspc;eurusd=x  SPY bad!")
    assert names == ["SPY", "^GSPC", "EURUSD=X", "BAD!"]
    assert tickers.invalid(names) == ["BAD!"]


def test_settings_and_pairs_take_index_symbols():
    s = Settings.from_json({"version": 2, "benchmark": "^gspc", "overview": {"watchlist": ["^RUT", "EURUSD=X"]}})
    assert s.benchmark == "^GSPC" and s.notices == []
    assert s.overview.watchlist == ["^RUT", "EURUSD=X"]
    assert parse_pair("^RUT/^GSPC") == ("^RUT", "^GSPC")
    bad = Settings.from_json({"benchmark": "SPY;DROP"})
    assert bad.benchmark == "SPY" and "benchmark: 'SPY;DROP' is not a ticker symbol" in bad.notices[0]
