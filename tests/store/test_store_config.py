"""Image names and where the store lives: rules that need no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import DEFAULT_DB_PATH
from store import resolve_db_url
from store.values import split_image


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("nginx", ("library", "nginx")),
        ("library/nginx", ("library", "nginx")),
        ("bitnami/redis", ("bitnami", "redis")),
        ("  grafana/grafana  ", ("grafana", "grafana")),
        ("/traefik/", ("library", "traefik")),
    ],
)
def test_split_image(image: str, expected: tuple[str, str]) -> None:
    assert split_image(image) == expected


@pytest.mark.parametrize("image", ["", "   ", "/", "a/b/c", "a//b", "quay.io/org/name"])
def test_split_image_refuses_what_is_not_an_image_name(image: str) -> None:
    with pytest.raises(ValueError, match="image name"):
        split_image(image)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Remove both store variables so each test sets only what it means to."""
    monkeypatch.delenv("ADOPTION_DB_URL", raising=False)
    monkeypatch.delenv("ADOPTION_DB", raising=False)
    return monkeypatch


def test_default_is_the_bundled_sqlite_file(clean_env) -> None:
    assert resolve_db_url() == f"sqlite:///{DEFAULT_DB_PATH}"
    assert DEFAULT_DB_PATH == Path(__file__).resolve().parents[2] / "data" / "adoption.db"


def test_adoption_db_path_beats_the_default(clean_env, tmp_path: Path) -> None:
    clean_env.setenv("ADOPTION_DB", str(tmp_path / "env.db"))
    assert resolve_db_url() == f"sqlite:///{tmp_path / 'env.db'}"


def test_adoption_db_url_beats_adoption_db(clean_env, tmp_path: Path) -> None:
    clean_env.setenv("ADOPTION_DB", str(tmp_path / "env.db"))
    clean_env.setenv("ADOPTION_DB_URL", "postgresql+psycopg://u:p@db.example:5432/adoption")
    assert resolve_db_url() == "postgresql+psycopg://u:p@db.example:5432/adoption"


def test_flag_beats_both_variables(clean_env, tmp_path: Path) -> None:
    clean_env.setenv("ADOPTION_DB", str(tmp_path / "env.db"))
    clean_env.setenv("ADOPTION_DB_URL", "postgresql+psycopg://u:p@db.example:5432/adoption")
    assert resolve_db_url(str(tmp_path / "flag.db")) == f"sqlite:///{tmp_path / 'flag.db'}"
    assert resolve_db_url("sqlite:////srv/other.db") == "sqlite:////srv/other.db"


def test_a_relative_path_is_made_absolute(clean_env, tmp_path: Path) -> None:
    clean_env.chdir(tmp_path)
    assert resolve_db_url("stores/here.db") == f"sqlite:///{tmp_path.resolve() / 'stores' / 'here.db'}"


def test_empty_values_fall_through(clean_env, tmp_path: Path) -> None:
    clean_env.setenv("ADOPTION_DB_URL", "")
    clean_env.setenv("ADOPTION_DB", str(tmp_path / "env.db"))
    assert resolve_db_url("") == f"sqlite:///{tmp_path / 'env.db'}"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_plain_postgres_urls_use_the_installed_driver(clean_env, scheme: str) -> None:
    clean_env.setenv("ADOPTION_DB_URL", f"{scheme}://u:p@db.example/adoption")
    assert resolve_db_url() == "postgresql+psycopg://u:p@db.example/adoption"
    assert resolve_db_url(f"{scheme}://u:p@other/adoption") == "postgresql+psycopg://u:p@other/adoption"
