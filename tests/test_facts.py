"""ETF facts: the bundled table with as-of dates, overlaid by values fetched from Yahoo."""

import pytest

from rotation_desk.data.facts import load_bundled_facts, merge_live


def test_bundled_facts_cover_every_snapshot_ticker(market):
    facts = load_bundled_facts()
    assert set(facts) == set(market.ticker_names())
    dfat = facts["DFAT"]
    assert dfat.name == "Dimensional U.S. Targeted Value ETF"
    assert dfat.expense_ratio_pct == pytest.approx(0.28) and dfat.expense_ratio == pytest.approx(0.0028)
    assert dfat.expense_ratio_as_of == "2025-10-31" and dfat.source
    assert facts["VBR"].expense_ratio_pct == pytest.approx(0.05)
    assert facts["DFAT"].yearly_fee(10_000) == pytest.approx(28.0)
    # an as-of that is not a date is kept in the source's own words
    assert "approx" in facts["UUP"].expense_ratio_as_of


def test_live_facts_replace_bundled_with_their_own_date(market):
    market.store.save_live_facts("DFAT", "Dimensional US Targeted Value ETF", 0.27)
    market.store.save_live_facts("NEWX", "New Fund", None)
    merged = merge_live(load_bundled_facts(), market.store.live_facts())
    assert merged["DFAT"].expense_ratio_pct == pytest.approx(0.27)
    assert merged["DFAT"].confidence == "yahoo" and merged["DFAT"].expense_ratio_as_of[:4] == "2026"
    assert merged["DFAT"].group == "Targeted and small value"  # bundled fields kept
    assert merged["NEWX"].name == "New Fund" and merged["NEWX"].expense_ratio_pct is None
