"""Market Overview: rotation pairs, watchlist performance, thesis scorecard."""
