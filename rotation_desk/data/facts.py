"""ETF facts: name, group, issuer, expense ratio with as-of date and source.

The bundled table (from ../shared/data/etf_facts.csv) is the base; values
fetched from Yahoo replace the name and expense ratio, with their own date.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

from rotation_desk.data.resources import FACTS, read_bytes


@dataclass(frozen=True)
class FundFacts:
    ticker: str
    name: str
    group: str
    issuer: str
    expense_ratio_pct: float | None  # percent: 0.28 means 0.28 % a year
    expense_ratio_as_of: str  # a date, or the source's own wording when it has none
    confidence: str
    source: str

    @property
    def expense_ratio(self) -> float | None:
        """As a fraction (0.0028), the JSON convention."""
        return None if self.expense_ratio_pct is None else round(self.expense_ratio_pct / 100.0, 12)

    def yearly_fee(self, amount: float) -> float | None:
        return None if self.expense_ratio is None else round(amount * self.expense_ratio, 2)


def load_bundled_facts() -> dict[str, FundFacts]:
    text = read_bytes(FACTS).decode("utf-8")
    out: dict[str, FundFacts] = {}
    for rec in csv.DictReader(io.StringIO(text)):
        ratio = rec.get("expense_ratio_pct", "").strip()
        out[rec["ticker"].strip().upper()] = FundFacts(
            ticker=rec["ticker"].strip().upper(),
            name=rec["name"].strip(),
            group=rec["group"].strip(),
            issuer=rec["issuer"].strip(),
            expense_ratio_pct=float(ratio) if ratio else None,
            expense_ratio_as_of=rec["expense_ratio_as_of"].strip(),
            confidence=rec["confidence"].strip(),
            source=rec["source"].strip(),
        )
    return out


def merge_live(
    bundled: dict[str, FundFacts], live: dict[str, tuple[str | None, float | None, str]]
) -> dict[str, FundFacts]:
    """Overlay facts fetched from Yahoo (name, expense ratio %, fetched_at)."""
    out = dict(bundled)
    for ticker, (name, ratio, fetched_at) in live.items():
        base = out.get(ticker) or FundFacts(ticker, name or ticker, "Other", "", None, "", "", "")
        changes = {}
        if name:
            changes["name"] = name
        if ratio is not None:
            changes.update(
                expense_ratio_pct=ratio,
                expense_ratio_as_of=fetched_at[:10],
                confidence="yahoo",
                source="Yahoo Finance fund profile",
            )
        out[ticker] = replace(base, **changes)
    return out
