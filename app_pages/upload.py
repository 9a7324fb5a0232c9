"""upload page: the layout lives in dashboard/page_upload.py."""

from dashboard.page_upload import render

render()
