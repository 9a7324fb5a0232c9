"""The store is reached through one interface: callers hold a Store, and only store/ knows SQLAlchemy."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from store.clickhouse.backend import ClickHouseStore
from store.interface import Store
from store.sql.backend import SqlStore

ROOT = Path(__file__).resolve().parents[2]
CALLERS = ["analysis", "collectors", "cli", "dashboard", "exports", "bench", "survey_model", "app_pages", "app.py"]


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _caller_files() -> list[Path]:
    files: list[Path] = []
    for name in CALLERS:
        target = ROOT / name
        files.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target])
    return files


def test_no_module_outside_the_store_imports_sqlalchemy() -> None:
    files = _caller_files()
    assert len(files) > 50  # the walk found the code it is meant to check
    offenders = sorted(
        str(path.relative_to(ROOT))
        for path in files
        if any(module == "sqlalchemy" or module.startswith("sqlalchemy.") for module in _imports(path))
    )
    assert offenders == []


def test_callers_reach_the_sql_backend_only_through_open_store() -> None:
    # The benchmarks may borrow the scratch PostgreSQL schema; nothing else names a backend module.
    allowed = {"store.sql.scratch"}
    offenders = sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path in _caller_files()
        for module in _imports(path)
        if (module == "store.sql" or module.startswith("store.sql.")) and module not in allowed
    )
    assert offenders == []


@pytest.mark.parametrize("backend", [SqlStore, ClickHouseStore])
def test_each_backend_implements_every_operation_of_the_interface_with_its_signature(backend: type) -> None:
    operations = [name for name, _ in inspect.getmembers(Store, inspect.isfunction) if not name.startswith("_")]
    assert {"save_snapshots", "window_counts", "start_run", "save_catalog_file", "version"} <= set(operations)
    for name in operations:
        wanted = inspect.signature(getattr(Store, name))
        assert inspect.signature(getattr(backend, name)) == wanted, name
