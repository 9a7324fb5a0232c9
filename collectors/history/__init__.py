"""Pull histories recorded by other trackers: read into snapshot records, then imported per file."""
