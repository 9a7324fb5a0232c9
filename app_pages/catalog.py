"""catalog page: the layout lives in dashboard/page_catalog.py."""

from dashboard.page_catalog import render

render()
