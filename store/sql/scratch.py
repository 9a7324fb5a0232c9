"""A throw-away PostgreSQL schema, for benchmarks and tests that must not touch anyone's tables."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from store.errors import reason, shown_url, url_secrets


@contextmanager
def scratch_pg_schema(server_url: str, prefix: str = "scratch") -> Iterator[str | None]:
    """Yield a store URL on a new schema of `server_url` (dropped after), or None when the server does not answer."""
    admin = create_engine(server_url, connect_args={"connect_timeout": 5})
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        detail = reason(error, url_secrets(server_url))
        print(f"PostgreSQL not measured: {shown_url(server_url)} does not answer ({detail})", file=sys.stderr)
        admin.dispose()
        yield None
        return
    try:
        yield make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def scratch_bytes(store_url: str) -> int | None:
    """Return the bytes on disk of the tables and indexes of the scratch schema `store_url` names (None: none named)."""
    options = make_url(store_url).query.get("options", "")
    options = options if isinstance(options, str) else " ".join(options)
    if "search_path=" not in options:
        return None
    schema = options.split("search_path=", 1)[1].split()[0]
    engine = create_engine(store_url)
    query = text(
        "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema AND c.relkind = 'r'"
    )
    try:
        with engine.connect() as connection:
            return int(connection.execute(query, {"schema": schema}).scalar_one())
    finally:
        engine.dispose()
