"""ETF Comparison: growth, drawdown, rolling figures, calendar years, correlation, metrics and fees."""
