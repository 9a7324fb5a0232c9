"""Docker Hub pull counts: the HTTP client, its guards and pacing, and a collection run."""
