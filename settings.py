"""Every data path and environment setting the tool reads, in one place (the bottom layer: imports nothing of ours).

Each reader takes an optional `environ` so tests can pass their own mapping; by default it reads
`os.environ` at call time, so a setting changed by a test or a deployment takes effect at once.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, MutableMapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB_PATH = DATA_DIR / "adoption.db"
DEFAULT_CACHE_DIR = DATA_DIR / "cache"
BUNDLED_HISTORY_DIR = DATA_DIR / "pull_history"
SURVEYS_DIR = DATA_DIR / "surveys"
MAPPINGS_DIR = SURVEYS_DIR / "mappings"
WATCHLIST = DATA_DIR / "watchlist.txt"
CATALOG_DIR = DATA_DIR / "catalog"
BUNDLED_CATALOG = CATALOG_DIR / "imrealq_4fun-dockerhub" / "docker_hub_images_info.json"
CLAIMS_FILE = CATALOG_DIR / "claims.csv"

ENV_DB_URL = "ADOPTION_DB_URL"
ENV_DB_PATH = "ADOPTION_DB"
ENV_CACHE_DIR = "ADOPTION_CACHE_DIR"
ENV_ALLOW_COLLECT = "ADOPTION_ALLOW_COLLECT"
ENV_UPLOAD_MAX_MB = "ADOPTION_UPLOAD_MAX_MB"
ENV_UPLOAD_QUOTA_MB = "ADOPTION_UPLOAD_QUOTA_MB"
ENV_UPLOAD_DISK_MB = "ADOPTION_UPLOAD_DISK_MB"
ENV_UPLOAD_TTL_HOURS = "ADOPTION_UPLOAD_TTL_HOURS"
ENV_SHARED_UPLOADS = "ADOPTION_SHARED_UPLOADS"
ENV_API_URL = "DOCKERHUB_API_URL"
ENV_USERNAME = "DOCKERHUB_USERNAME"
ENV_TOKEN = "DOCKERHUB_TOKEN"
ENV_RETRIES = "ADOPTION_HTTP_RETRIES"
ENV_BACKOFF = "ADOPTION_HTTP_BACKOFF"
ENV_RETRY_AFTER_MAX = "ADOPTION_HTTP_RETRY_AFTER_MAX"
ENV_BROWSER_PATH = "BROWSER_PATH"
ENV_HUB_PER_MINUTE = "ADOPTION_HUB_REQUESTS_PER_MINUTE"
ENV_WARM_UP = "ADOPTION_WARM_UP"
ENV_NUMPY_HUGEPAGE = "NUMPY_MADVISE_HUGEPAGE"  # numpy's own, read once when numpy is imported

DEFAULT_UPLOAD_MAX_MB = 50.0
# The anonymous Docker Hub API limit as observed (issue 10): 180 requests a minute.
DEFAULT_HUB_PER_MINUTE = 180
DEFAULT_UPLOAD_QUOTA_MB = 200.0
DEFAULT_UPLOAD_DISK_MB = 2000.0
DEFAULT_UPLOAD_TTL_HOURS = 24.0
_FALSE_WORDS = ("0", "false", "no", "off")
_TRUE_WORDS = ("1", "true", "yes", "on")
_MB = 1024 * 1024
# A number as people and servers write it, in ASCII only: float() and int() would also take "nan", "inf",
# "1_000" and digits of other scripts ("١٢"), none of which a flag, a setting or a header means.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
_WHOLE = re.compile(r"[+-]?[0-9]{1,30}")
_SHOWN_CHARS = 40


class BadNumber(ValueError):
    """A number from outside (a flag, the environment, a file, a server) that is not finite or not in range."""


def parse_number(raw: object, name: str, low: float, high: float, whole: bool = False) -> float:
    """Return `raw` as a finite number from `low` to `high` (a whole one if `whole`); BadNumber naming `name` otherwise.

    The one parser for numbers from outside: flags, settings, files and server headers all go through it.
    """
    value = _number(raw, whole)
    if value is None or not low <= value <= high:
        kind = "a whole number" if whole else "a number"
        shown = repr(str(raw)[:_SHOWN_CHARS]) + ("…" if len(str(raw)) > _SHOWN_CHARS else "")
        raise BadNumber(f"{name} must be {kind} from {low:g} to {high:g}, not {shown}")
    return value


def _number(raw: object, whole: bool) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        value = raw
    else:
        text = str(raw).strip()
        pattern = _WHOLE if whole else _DECIMAL
        if not pattern.fullmatch(text):
            return None
        value = int(text) if whole else float(text)
    if isinstance(value, int):
        # float() of a 400-digit whole number overflows; a whole number needs no finiteness check.
        return value if whole or abs(value) < 1e308 else None
    if not math.isfinite(value) or (whole and not value.is_integer()):
        return None
    return int(value) if whole else value


def number_setting(
    name: str, default: float, low: float, high: float, whole: bool = False, environ: Mapping[str, str] | None = None
) -> float:
    """Return setting `name` through `parse_number`, or `default` when it is unset; BadNumber when it is bad."""
    raw = get(name, environ=environ)
    return default if not raw else parse_number(raw, name, low, high, whole)


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def get(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    """Return the setting `name` stripped of spaces, or `default` when it is unset or blank."""
    value = _env(environ).get(name, "").strip()
    return value or default


def db_location(environ: Mapping[str, str] | None = None) -> str:
    """Return where the store is when no --db is given: $ADOPTION_DB_URL, then $ADOPTION_DB, then data/adoption.db."""
    return get(ENV_DB_URL, environ=environ) or get(ENV_DB_PATH, environ=environ) or str(DEFAULT_DB_PATH)


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Return the parsed-survey cache folder: $ADOPTION_CACHE_DIR, else data/cache."""
    configured = get(ENV_CACHE_DIR, environ=environ)
    return Path(configured) if configured else DEFAULT_CACHE_DIR


def upload_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Return where uploaded survey files are kept: `uploads` under the cache folder."""
    return cache_dir(environ) / "uploads"


def _positive(name: str, default: float, environ: Mapping[str, str] | None, high: float = 1e6) -> float:
    """Return setting `name` as a number above 0 and under `high`; `default` when unset, unreadable or out of range."""
    try:
        value = parse_number(get(name, str(default), environ), name, 0, high)
    except BadNumber:
        return default
    return value if 0 < value < high else default


def upload_max_bytes(environ: Mapping[str, str] | None = None) -> int:
    """Return the largest survey upload accepted: $ADOPTION_UPLOAD_MAX_MB megabytes (default 50)."""
    return int(_positive(ENV_UPLOAD_MAX_MB, DEFAULT_UPLOAD_MAX_MB, environ) * _MB)


def upload_quota_bytes(environ: Mapping[str, str] | None = None) -> int:
    """Return what one browser session may keep uploaded: $ADOPTION_UPLOAD_QUOTA_MB megabytes (default 200)."""
    return int(_positive(ENV_UPLOAD_QUOTA_MB, DEFAULT_UPLOAD_QUOTA_MB, environ) * _MB)


def upload_disk_bytes(environ: Mapping[str, str] | None = None) -> int:
    """Return what all uploads together may take on disk: $ADOPTION_UPLOAD_DISK_MB megabytes (default 2000)."""
    return int(_positive(ENV_UPLOAD_DISK_MB, DEFAULT_UPLOAD_DISK_MB, environ) * _MB)


def upload_ttl_seconds(environ: Mapping[str, str] | None = None) -> float:
    """Return how long an upload is kept: $ADOPTION_UPLOAD_TTL_HOURS hours (default 24), in seconds."""
    return _positive(ENV_UPLOAD_TTL_HOURS, DEFAULT_UPLOAD_TTL_HOURS, environ, high=24 * 3650) * 3600


def shared_uploads(environ: Mapping[str, str] | None = None) -> bool:
    """True when $ADOPTION_SHARED_UPLOADS is 1 (true/yes/on): uploads are then listed for every visitor."""
    return get(ENV_SHARED_UPLOADS, "0", environ).lower() in _TRUE_WORDS


def collect_allowed(environ: Mapping[str, str] | None = None) -> bool:
    """False when $ADOPTION_ALLOW_COLLECT is 0, false, no or off: the dashboard then hides *Collect now*."""
    return get(ENV_ALLOW_COLLECT, "1", environ).lower() not in _FALSE_WORDS


def api_url(environ: Mapping[str, str] | None = None) -> str:
    """Return $DOCKERHUB_API_URL, or an empty string when unset."""
    return get(ENV_API_URL, environ=environ)


def hub_credentials(environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Return ($DOCKERHUB_USERNAME, $DOCKERHUB_TOKEN), each empty when unset."""
    return get(ENV_USERNAME, environ=environ), get(ENV_TOKEN, environ=environ)


def browser_path(environ: Mapping[str, str] | None = None) -> str:
    """Return $BROWSER_PATH, or an empty string when unset."""
    return get(ENV_BROWSER_PATH, environ=environ)


def hub_requests_per_minute(environ: Mapping[str, str] | None = None) -> int:
    """Return the most Docker Hub requests a catalog run sends a minute: $ADOPTION_HUB_REQUESTS_PER_MINUTE (180)."""
    return int(_positive(ENV_HUB_PER_MINUTE, DEFAULT_HUB_PER_MINUTE, environ, high=1e6))


def warm_up(environ: Mapping[str, str] | None = None) -> bool:
    """True unless $ADOPTION_WARM_UP is 0/false/no/off: the server loads each page's default view when it starts."""
    return get(ENV_WARM_UP, "1", environ).lower() not in _FALSE_WORDS


def command_memory(environ: MutableMapping[str, str] | None = None) -> None:
    """Before numpy is imported by a command: no huge-page advice for its arrays, unless the user chose.

    A command allocates its large arrays once and exits. numpy's advice makes Linux (transparent huge
    pages set to `madvise`, the usual default) defragment memory for each new array on first touch:
    0.3-0.4 s of system time for `python -m analysis questions` on 100,000 respondents, and no gain.
    """
    (os.environ if environ is None else environ).setdefault(ENV_NUMPY_HUGEPAGE, "0")
