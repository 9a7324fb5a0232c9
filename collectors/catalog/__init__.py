"""Docker Hub catalog snapshots: search, namespace listings, bucketed counts, the bundled snapshot."""
