"""What can go wrong with the store, said in one line that never holds a password.

Nothing here imports SQLAlchemy at module level: the command lines import this to map errors
to exit codes, and `--help` must not wait for the database layer to load.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

MASK = "***"
# user:password@ in any URL, and password=... in a query string or a libpq connection string.
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^/:@\s]*:)[^@\s]*@")
_KEY_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?:'[^']*'|\"[^\"]*\"|[^&\s]+)", re.IGNORECASE)
REASON_LIMIT = 300
# SQLite's words, and what they mean to the person who named the store.
_PLAIN_REASONS = {
    "database or disk is full": "the disk (or the store's size limit) is full",
    "attempt to write a readonly database": "the store is read-only",
    "database is locked": "another program holds the store locked",
    "disk i/o error": "the disk reported an input/output error",
}


class StoreError(Exception):
    """The store cannot be opened or used as named (not SQLite, damaged, unreachable…): one line, exit 2."""


class EngineError(Exception):
    """An engine reached without SQLAlchemy (ClickHouse) refused a statement; its message, secrets masked."""


def mask_secrets(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Return `text` with URL passwords, `password=` values and each of `secrets` replaced by ***."""
    masked = _URL_PASSWORD.sub(lambda found: found["head"] + MASK + "@", text)
    masked = _KEY_PASSWORD.sub(lambda found: found["head"] + MASK, masked)
    for secret in secrets:
        if secret:
            masked = masked.replace(secret, MASK)
    return masked


def _parsed(url: str) -> URL | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url)
    except (ArgumentError, ValueError):
        return None


def shown_url(url: str) -> str:
    """Return the store URL as it may be printed: its password masked, even in a URL that does not parse."""
    parsed = _parsed(url)
    rendered = url if parsed is None else parsed.render_as_string(hide_password=True)
    return mask_secrets(rendered, url_secrets(url))


def url_secrets(url: str) -> tuple[str, ...]:
    """Return the password inside `url` as written and as decoded (empty when it has none)."""
    parsed = _parsed(url)
    password = "" if parsed is None else parsed.password or ""
    if not password:
        return ()
    from urllib.parse import quote

    return tuple({password, quote(password, safe="")})


def reason(error: BaseException, secrets: tuple[str, ...] = ()) -> str:
    """Return the driver's reason for `error` on one line, plain where SQLite's words are known, secrets masked."""
    original = getattr(error, "orig", None) or error
    text = " ".join(str(original).split()) or type(original).__name__
    plain = _PLAIN_REASONS.get(text.lower())
    text = f"{plain} ({text})" if plain else text
    text = mask_secrets(text, secrets)
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


def run_failure(error: BaseException) -> str | None:
    """Return one line for a database error raised in the middle of a run, or None when `error` is not one."""
    if isinstance(error, EngineError):
        return f"the store failed during the run: {reason(error)}; what was saved before it stays saved"
    try:
        from sqlalchemy.exc import DBAPIError
    except ImportError:  # pragma: no cover - SQLAlchemy is a dependency
        return None
    if not isinstance(error, DBAPIError):
        return None
    return f"the store failed during the run: {reason(error)}; what was saved before it stays saved"
