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
