"""technologies page: the layout lives in dashboard/page_technologies.py."""

from dashboard.page_technologies import render

render()
