"""Docker Hub catalog statistics: counts that may be ranges, thresholds, totals, claims."""
