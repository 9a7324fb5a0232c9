"""surveys page: the layout lives in dashboard/page_surveys.py."""

from dashboard.page_surveys import render

render()
