"""Shareable views as data: the view a page shows, read from its query string, and the slide it makes."""
