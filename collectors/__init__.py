"""Collectors: Docker Hub pull counts into the snapshot store, history files and survey exports in."""
