"""pulls page: the layout lives in dashboard/page_pulls.py."""

from dashboard.page_pulls import render

render()
