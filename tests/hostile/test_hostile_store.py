"""Issue 14, item 14: a hostile --db (not SQLite, damaged, a folder, read-only, full, unreachable) is one line.

Every command that takes --db is run as a person runs it (a subprocess): exit 2 for a store that cannot
be opened, 1 for a run the store failed in the middle of, never a traceback, never a password, and the
file named is left byte for byte as it was (no -wal or -shm beside it either).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from collectors.history.importer import import_history_file
from store import open_store
from store.errors import StoreError, mask_secrets, shown_url
from store.sql.sqlite_check import SQLITE_HEADER
from tests.hostile.hostile_helpers import HISTORY, run_module

PASSWORD = "s3cret-Pa55"
CLOSED_PORT_URL = f"postgresql://adoption:{PASSWORD}@127.0.0.1:9/adoption"
# The flags each command needs besides --db; every command with --db must be listed (see the last test).
COMMANDS = {
    ("analysis", "snapshots"): [],
    ("analysis", "pulls"): [],
    ("analysis", "rank"): ["--by", "total"],
    ("analysis", "growth"): ["--start", "2024-01-01", "--end", "2024-06-01"],
    ("analysis", "milestone"): ["--target", "1000"],
    ("analysis", "lift"): ["--date", "2024-03-01"],
    ("analysis", "technology"): ["falco"],
    # The deck is never written: the store fails first (the folder is the system's temporary one).
    ("analysis", "deck"): ["pulls?image=falcosecurity/falco", "-o", str(Path(tempfile.gettempdir()) / "hostile.pptx")],
    ("collectors", "dockerhub"): ["--image", "library/nginx", "--api-url", "http://127.0.0.1:9"],
    ("collectors", "dockerhub-catalog"): ["--top", "5", "--api-url", "http://127.0.0.1:9"],
    ("collectors", "import-history"): [str(HISTORY / "issif_cercat.csv")],
}


def _real_store(path: Path) -> Path:
    engine = open_store(f"sqlite:///{path}")
    import_history_file(engine, HISTORY / "falcosecurity_falco.csv", ())
    engine.close()
    return path


def _random_bytes(path: Path) -> Path:
    path.write_bytes(random.Random(14).randbytes(8192))
    return path


def _text_file(path: Path) -> Path:
    path.write_text("namespace,name,pull_count\nlibrary,nginx,1\n", encoding="utf-8")
    return path


def _header_then_garbage(path: Path) -> Path:
    path.write_bytes(SQLITE_HEADER + random.Random(15).randbytes(4080))
    return path


def _damaged_page(path: Path) -> Path:
    _real_store(path)
    with path.open("r+b") as handle:
        handle.seek(4096 * 9)
        handle.write(random.Random(16).randbytes(4096))
    return path


def _truncated(path: Path) -> Path:
    _real_store(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _other_program(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE moz_places (url TEXT)")
        connection.commit()
    return path


def _own_images_table(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE images (id INTEGER PRIMARY KEY, url TEXT, width INTEGER)")
        connection.execute("INSERT INTO images VALUES (1, 'https://example.org/cat.png', 640)")
        connection.commit()
    return path


def _newer_store(path: Path) -> Path:
    _real_store(path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE store_meta SET value = '99' WHERE key = 'schema_version'")
        connection.commit()
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    (path / "notes.txt").write_text("a folder named like a store\n")
    return path


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "random-bytes": (_random_bytes, "is not a SQLite database"),
    "text-file": (_text_file, "is not a SQLite database"),
    "header-then-garbage": (_header_then_garbage, "is damaged"),
    "damaged-page": (_damaged_page, "is damaged"),
    "truncated": (_truncated, "is damaged"),
    "other-program": (_other_program, "another program's SQLite database"),
    "own-images-table": (_own_images_table, "another program's SQLite database (tables: images)"),
    "newer-store": (_newer_store, "was written by a newer version of this tool (store version 99"),
    "folder": (_folder, "is a folder"),
}
CASES = sorted(
    {(command, kind) for command in COMMANDS for kind in ("random-bytes", "damaged-page")}
    | {(command, kind) for command in (("analysis", "pulls"), ("collectors", "import-history")) for kind in HOSTILE}
)


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file under `folder` with its bytes (None for a folder): what 'left untouched' compares."""
    return {str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes() for path in folder.rglob("*")}


def _one_line_error(result, expected_code: int, words: str) -> str:
    assert result.returncode == expected_code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and words in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("command", "kind"), CASES, ids=lambda value: "-".join(value) if isinstance(value, tuple) else value
)
def test_a_hostile_file_is_refused_in_one_line_and_left_untouched(command, kind, tmp_path: Path) -> None:
    build, words = HOSTILE[kind]
    path = build(tmp_path / "adoption.db")
    before = _snapshot(tmp_path)

    result = run_module(*command, "--db", str(path), *COMMANDS[command])

    _one_line_error(result, 2, words)
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("command", sorted(COMMANDS), ids="-".join)
def test_an_unreachable_postgresql_is_one_line_without_the_password(command) -> None:
    result = run_module(*command, "--db", CLOSED_PORT_URL, *COMMANDS[command])

    line = _one_line_error(result, 2, "cannot open the store postgresql+psycopg://adoption:***@127.0.0.1:9/adoption")
    assert PASSWORD not in result.stdout + result.stderr
    assert "Connection refused" in line


def test_the_password_in_adoption_db_url_is_never_printed() -> None:
    result = run_module("analysis", "snapshots", env={"ADOPTION_DB_URL": CLOSED_PORT_URL})

    _one_line_error(result, 2, "adoption:***@127.0.0.1")
    assert PASSWORD not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://adoption:{PASSWORD}@127.0.0.1:notaport/adoption",
        f"postgresql://adoption@127.0.0.1:9/adoption?password={PASSWORD}",
        f"mysql://adoption:{PASSWORD}@127.0.0.1:9/adoption",
    ],
)
def test_a_bad_url_is_one_line_without_the_password(url: str) -> None:
    result = run_module("analysis", "snapshots", "--db", url)

    _one_line_error(result, 2, "***")
    assert PASSWORD not in result.stdout + result.stderr


@pytest.mark.parametrize("command", [("analysis", "pulls"), ("collectors", "import-history")], ids="-".join)
def test_a_read_only_folder_is_one_line_and_its_store_untouched(command, tmp_path: Path, make_read_only) -> None:
    folder = tmp_path / "shelf"
    folder.mkdir()
    _real_store(folder / "adoption.db")
    make_read_only(folder)
    before = _snapshot(folder)

    for name in ("adoption.db", "new.db"):
        result = run_module(*command, "--db", str(folder / name), *COMMANDS[command])
        _one_line_error(result, 2, "is read-only")

    assert _snapshot(folder) == before


# SQLite's max_page_count stands in for a full disk: a new store has 15 pages (store_meta included), one small
# history file takes it to 20, a big one would need more.
FULL_STORE = """
import sys
from sqlalchemy import event
import store.sql.engine

tune = store.sql.engine._tune_sqlite

def tune_and_cap(engine):
    tune(engine)
    event.listen(engine, "connect", lambda connection, _: connection.execute("PRAGMA max_page_count=20"))

store.sql.engine._tune_sqlite = tune_and_cap
from collectors.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def _stored_images(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        query = "SELECT DISTINCT i.name FROM snapshots s JOIN images i USING (image_id) ORDER BY i.name"
        return [name for (name,) in connection.execute(query)]


def test_a_full_store_fails_the_run_in_one_line_keeping_what_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "adoption.db"
    small, big = HISTORY / "issif_tcpdump.csv", HISTORY / "falcosecurity_falco.csv"

    result = run_module("import-history", str(small), str(big), "--db", str(path), code=FULL_STORE)

    _one_line_error(result, 1, "the store failed during the run: the disk (or the store's size limit) is full")
    assert f"{small}: docker-pulls-scraper" in result.stdout
    assert _stored_images(path) == ["tcpdump"]


def test_a_full_disk_fails_the_run_in_one_line_keeping_what_was_saved(small_disk: Path) -> None:
    path = small_disk / "adoption.db"
    files = [HISTORY / f"falcosecurity_{name}.csv" for name in ("driverkit-builder", "falco", "falcoctl")]

    result = run_module("collectors", "import-history", *map(str, files), "--db", str(path))

    _one_line_error(result, 1, "the disk (or the store's size limit) is full")
    assert f"{files[0]}: docker-pulls-scraper" in result.stdout
    stored = _stored_images(path)
    assert "driverkit-builder" in stored and "falcoctl" not in stored


def test_a_good_store_and_an_empty_file_still_open(tmp_path: Path) -> None:
    store_path = _real_store(tmp_path / "real.db")
    empty = tmp_path / "empty.db"
    empty.touch()
    for path in (store_path, empty, tmp_path / "new" / "fresh.db"):
        result = run_module("analysis", "snapshots", "--db", str(path), "--format", "csv")
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "new" / "fresh.db").exists()


def test_open_store_raises_store_error_never_a_driver_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is not a SQLite database"):
        open_store(f"sqlite:///{_text_file(tmp_path / 'a.db')}")
    with pytest.raises(StoreError, match=r"adoption:\*\*\*@"):
        open_store(CLOSED_PORT_URL)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgresql://u:p%40ss@h/db", "postgresql://u:***@h/db"),
        ("failed for postgresql+psycopg://u:pw@h:5432/db here", "failed for postgresql+psycopg://u:***@h:5432/db here"),
        ("host=h password=pw dbname=x", "host=h password=*** dbname=x"),
        ("postgresql://u@h/db?password=pw&sslmode=off", "postgresql://u@h/db?password=***&sslmode=off"),
        ("sqlite:////tmp/a.db", "sqlite:////tmp/a.db"),
    ],
)
def test_mask_secrets(text: str, expected: str) -> None:
    assert mask_secrets(text) == expected


def test_shown_url_masks_even_an_unparsable_url() -> None:
    assert shown_url(f"postgresql://u:{PASSWORD}@h:port/db") == "postgresql://u:***@h:port/db"
    assert PASSWORD not in shown_url(f"postgresql://u@h/db?password={PASSWORD}")


def _commands_with_db() -> set[tuple[str, str]]:
    found = set()
    for package in ("analysis", "collectors"):
        module = __import__(f"{package}.__main__", fromlist=["PARSER_ARGS"])
        parser = module.build_parser(*module.PARSER_ARGS)
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        for name, command in subparsers.choices.items():
            if any("--db" in action.option_strings for action in command._actions):
                found.add((package, name))
    return found


def test_every_command_with_db_is_covered() -> None:
    assert _commands_with_db() == set(COMMANDS)


def test_a_collection_into_a_full_store_fails_in_one_line(tmp_path: Path, httpserver) -> None:
    images = [f"hostile/image-{number}" for number in range(24)]
    for image in images:
        namespace, name = image.split("/")
        httpserver.expect_request(f"/v2/namespaces/{namespace}/repositories/{name}").respond_with_json(
            {"namespace": namespace, "name": name, "pull_count": 1000, "star_count": 1, "description": "x" * 3_900}
        )
    flags = [item for image in images for item in ("--image", image)]

    result = run_module(
        "dockerhub", "--db", str(tmp_path / "adoption.db"), "--api-url", httpserver.url_for(""), *flags, code=FULL_STORE
    )

    _one_line_error(result, 1, "the disk (or the store's size limit) is full")


def test_a_store_is_checked_again_once_it_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from store.sql import sqlite_check

    path = _real_store(tmp_path / "adoption.db")
    checks: list[Path] = []
    real_check = sqlite_check._quick_check
    monkeypatch.setattr(sqlite_check, "_quick_check", lambda *args: (checks.append(args[0]), real_check(*args))[1])
    for _ in range(2):
        open_store(f"sqlite:///{path}").close()
    assert checks == [path]  # the second open trusts the first check: the file has not changed

    with path.open("r+b") as handle:
        handle.seek(4096 * 9)
        handle.write(random.Random(16).randbytes(4096))
    with pytest.raises(StoreError, match="is damaged"):
        open_store(f"sqlite:///{path}")
    assert checks == [path, path]


@pytest.mark.postgres
def test_a_wrong_postgresql_password_is_one_line_without_it(pg_server_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_server_url).set(password=PASSWORD).render_as_string(hide_password=False)

    result = run_module("analysis", "snapshots", "--db", url)

    _one_line_error(result, 2, "password authentication failed")
    assert PASSWORD not in result.stdout + result.stderr
