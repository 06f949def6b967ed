"""What the app remembers and what every tab follows: typed settings, the range and benchmark selection."""
