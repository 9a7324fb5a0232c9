"""overview page: the layout lives in dashboard/page_overview.py."""

from dashboard.page_overview import render

render()
