"""Pull analytics: pulls per period from cumulative counts, growth, rankings, milestones, anomalies."""
