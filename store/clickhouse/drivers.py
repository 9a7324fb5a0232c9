"""The seam between the ClickHouse store and the engine: run a query, run a command, insert a frame.

Two drivers speak the same SQL: chDB (the engine in this process, on a folder) and clickhouse-connect
(a server over HTTP). Query parameters are written as `{name:Type}` in the SQL and bound by the driver.
Neither package is needed to import this module: each driver imports its package when it is opened.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import numpy as np
import pandas as pd

from store.errors import EngineError, StoreError, mask_secrets
from user_files import open_user_file

PASSWORD_VARIABLE = "ADOPTION_CLICKHOUSE_PASSWORD"
INSTALL_HINT = "install the optional ClickHouse packages: pip install -r requirements-clickhouse.txt"
_CONNECT_TIMEOUT = 10  # seconds: an unreachable server is reported, never waited on for ever


class Driver(Protocol):
    """What the ClickHouse store needs from an engine: queries to frames, commands, frame inserts."""

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Return the rows of `sql` as a frame."""

    def command(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        """Run `sql` (DDL, DELETE, INSERT ... SELECT) for its effect."""

    def insert(self, table: str, frame: pd.DataFrame) -> None:
        """Insert the rows of `frame` into `table` (columns named as the table's)."""

    def close(self) -> None:
        """Release the engine or connection."""


class DriverError(EngineError):
    """The engine refused a statement; the message is the engine's own, secrets masked."""


def _quoted(value: Any) -> str:  # noqa: ANN401
    """A value inside an Array or Tuple parameter, in ClickHouse's quoted text form."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return _text(value)


def _text(value: Any) -> str:  # noqa: ANN401
    """A parameter value in the text form ClickHouse parses parameters from (chDB passes strings through)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    if isinstance(value, list | tuple):
        inner = ",".join(_quoted(item) for item in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    raise TypeError(f"no ClickHouse text form for {type(value).__name__}")


class ChdbDriver:
    """chDB: the ClickHouse engine inside this process, its data in one folder (one process per folder)."""

    def __init__(self, path: Path) -> None:
        try:
            from chdb import session
        except ImportError:
            raise StoreError(f"chdb://{path}: the chDB engine is not installed; {INSTALL_HINT}") from None
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the folder of the store {path}: {error.strerror or error}") from None
        try:
            self._session = session.Session(str(path))
        except RuntimeError as error:
            detail = _chdb_reason(error)
            if _locked_elsewhere(path):
                detail = "another process has this store open (chDB lets one process use a store at a time)"
            raise StoreError(f"cannot open the store chdb://{path}: {detail}") from None

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Return the rows of `sql` as a frame."""
        return self._run(sql, params, "DataFrame")

    def command(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        """Run `sql` for its effect."""
        self._run(sql, params, "CSV")

    def insert(self, table: str, frame: pd.DataFrame) -> None:
        """Insert `frame` into `table` through chDB's Python() table function (it reads the local by name)."""
        rows = frame.reset_index(drop=True)  # noqa: F841 - chDB finds it by name in this frame
        columns = ", ".join(f"`{column}`" for column in frame.columns)
        try:
            self._session.query(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM Python(rows)", "CSV")
        except (RuntimeError, ValueError) as error:
            raise DriverError(_chdb_reason(error)) from None

    def _run(self, sql: str, params: Mapping[str, Any] | None, fmt: str) -> Any:  # noqa: ANN401
        bound = {name: _text(value) for name, value in (params or {}).items()}
        try:
            return self._session.query(sql, fmt, params=bound)
        except (RuntimeError, ValueError) as error:
            raise DriverError(_chdb_reason(error)) from None

    def close(self) -> None:
        """Close the session; the folder is free for another process once every session on it is closed."""
        self._session.close()


def _locked_elsewhere(path: Path) -> bool:
    """True when another process holds the engine's lock on the folder (asked only after opening failed)."""
    import fcntl

    try:
        with open_user_file(path / "status") as status:  # a FIFO or device there is refused, never waited on
            fcntl.flock(status, fcntl.LOCK_SH | fcntl.LOCK_NB)
            fcntl.flock(status, fcntl.LOCK_UN)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def _chdb_reason(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if "Cannot lock file" in text or "Another server instance" in text:
        return "another process has this store open (chDB lets one process use a store at a time)"
    if "already initialized with path" in text:
        return "this process already has another chDB store open (chDB keeps one store per process)"
    return text[:300]


class HttpDriver:
    """A ClickHouse server (or cluster) through clickhouse-connect over HTTP(S)."""

    def __init__(self, url: str) -> None:
        try:
            import clickhouse_connect
            from clickhouse_connect.driver.exceptions import ClickHouseError
        except ImportError:
            shown = shown_clickhouse_url(url)
            raise StoreError(f"{shown}: clickhouse-connect is not installed; {INSTALL_HINT}") from None
        self._errors = (ClickHouseError,)
        parts = urlsplit(url)
        password = unquote(parts.password or "") or os.environ.get(PASSWORD_VARIABLE, "")
        self._secrets = (password,) if password else ()
        try:
            self._client = clickhouse_connect.get_client(
                host=parts.hostname or "localhost",
                port=parts.port,
                username=unquote(parts.username or "default"),
                password=password,
                database=parts.path.strip("/") or "default",
                secure=parts.scheme == "clickhouses",
                connect_timeout=_CONNECT_TIMEOUT,
            )
        except (*self._errors, OSError) as error:
            detail = mask_secrets(" ".join(str(error).split()), self._secrets)[:300]
            raise StoreError(f"cannot open the store {shown_clickhouse_url(url)}: {detail}") from None

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Return the rows of `sql` as a frame (nullable columns as pandas' nullable dtypes)."""
        try:
            return self._client.query_df(sql, parameters=dict(params or {}), use_extended_dtypes=True)
        except self._errors as error:
            raise DriverError(mask_secrets(" ".join(str(error).split()), self._secrets)[:300]) from None

    def command(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        """Run `sql` for its effect."""
        try:
            self._client.command(sql, parameters=dict(params or {}))
        except self._errors as error:
            raise DriverError(mask_secrets(" ".join(str(error).split()), self._secrets)[:300]) from None

    def insert(self, table: str, frame: pd.DataFrame) -> None:
        """Insert `frame` into `table`."""
        try:
            self._client.insert_df(table, frame.reset_index(drop=True), column_names=list(frame.columns))
        except self._errors as error:
            raise DriverError(mask_secrets(" ".join(str(error).split()), self._secrets)[:300]) from None

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()


def shown_clickhouse_url(url: str) -> str:
    """Return a clickhouse:// URL as it may be printed (password masked)."""
    return mask_secrets(url)


def chdb_path(url: str) -> Path:
    """Return the folder of a chdb:///PATH URL."""
    rest = url.split("://", 1)[1]
    path = unquote(rest.split("?", 1)[0])
    if not path or path == "/":
        raise StoreError(f"{url}: a chDB store needs a folder, e.g. chdb:///var/lib/adoption/store")
    return Path(path).expanduser().resolve()
