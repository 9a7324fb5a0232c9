"""Pure analysis: frames in, frames out. Adoption trends from pull snapshots, statistics from surveys."""
