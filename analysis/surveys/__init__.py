"""Survey statistics: shares with base, n and 95% interval, crosstabs, banners, trends, weighting."""
