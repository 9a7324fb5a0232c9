"""The catalog page's tables as shown: the headers and formats of each (dashboard.table_display)."""

from __future__ import annotations

from analysis.catalog.stats import pulls_label
from dashboard.table_display import Headers

LADDER_HEADERS: Headers = {
    "label": ("At least", None),
    "images": ("Images", "localized"),
    "base": ("Of images", "localized"),
    "bounds": ("By a bucket's lower bound", "localized"),
    "exact": ("Exact counts", "localized"),
    "straddling": ("Range straddles it (not counted)", "localized"),
}
HISTORY_HEADERS: Headers = {
    "observed": ("Snapshot taken", None),
    "images": ("Images at or above (at least)", "localized"),
    "base": ("Of images", "localized"),
    "exact": ("Exact counts", "localized"),
    "bounds": ("By a bucket's lower bound", "localized"),
    "cap": ("Stuck at the int32 cap", "localized"),
    "decrease": ("Count went down (reset)", "localized"),
    "stall": ("Stalled count", "localized"),
    "source": ("Source", None),
}
CONCENTRATION_HEADERS: Headers = {
    "top": ("Top images", "localized"),
    "share_of_lower_bounds": ("Share of pulls (lower bounds)", "percent"),
    "share_low": ("Share, at least", "percent"),
    "share_high": ("Share, at most", "percent"),
    "top_pulls": ("Their pulls (at least)", "localized"),
    "all_pulls": ("All pulls (at least)", "localized"),
    "base": ("Of images", "localized"),
    "exact": ("All counts exact", "check"),
}
CLAIM_HEADERS: Headers = {
    "who": ("Who", None),
    "words": ("Their words", None),
    "date": ("When", None),
    "counts": ("What it counts", None),
    "measured": ("Measured here", None),
    "difference": ("Why they differ", None),
    "verified": ("Checked", None),
    "url": ("Source", "link"),
}


def source_headers(pulls: int) -> Headers:
    """The by-publisher-type table's headers, its threshold column named for `pulls`."""
    return {
        "publisher": ("Publisher type", None),
        f"images_{pulls_label(pulls)}_plus": (f"Images with {pulls_label(pulls)}+ pulls", "localized"),
        "images": ("Images", "localized"),
        "share_of_images": ("Share of images", "percent"),
        "pulls": ("Pulls (at least)", "localized"),
        "pulls_at_most": ("Pulls (at most)", "localized"),
        "exact_images": ("Images with an exact count", "localized"),
        "pulls_exact": ("Pulls exact", "check"),
    }
