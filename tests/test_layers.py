"""The layer order of pyproject.toml holds: nothing imports upward, no circle, SQL only in store/, no private names."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cli", "dashboard", "app_pages", "analysis", "exports", "collectors", "store", "survey_model")
# Modules below every layer, beside the packages: they import nothing of the project.
BOTTOM = ("settings.py", "user_files.py")
LINT = [shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))]


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*LINT, "--no-cache"], capture_output=True, text=True, cwd=cwd)


def _modules() -> list[Path]:
    return [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")] + [ROOT / name for name in BOTTOM]


def _project_imports(tree: ast.AST) -> list[ast.ImportFrom | ast.Import]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom | ast.Import)]


def test_every_contract_is_kept() -> None:
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout and done.stdout.count("KEPT") >= 3


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("store/upward_probe.py", "import analysis.pulls.periods\n"),
        ("analysis/upward_probe.py", "from cli.toolkit import UserError\n"),
        ("collectors/upward_probe.py", "import dashboard.charts\n"),
        ("dashboard/sql_probe.py", "import sqlalchemy\n"),
        ("analysis/backend_probe.py", "from store.sql.schema import images\n"),
    ],
)
def test_the_contracts_fail_on_an_upward_import_or_sql_beside_the_store(tmp_path: Path, module: str, line: str) -> None:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for name in BOTTOM:
        shutil.copy(ROOT / name, tmp_path / name)
    assert _lint(tmp_path).returncode == 0
    (tmp_path / module).write_text(line)
    done = _lint(tmp_path)
    assert done.returncode != 0 and "BROKEN" in done.stdout
    assert module.removesuffix(".py").replace("/", ".") in done.stdout


@pytest.mark.parametrize("module", BOTTOM)
def test_settings_imports_nothing_of_the_project(module: str) -> None:
    tree = ast.parse((ROOT / module).read_text())
    names = [
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in _project_imports(tree)
        for alias in node.names
    ]
    assert not [name for name in names if name.split(".")[0] in PACKAGES]


def test_no_module_imports_a_private_name_of_another() -> None:
    borrowed = []
    for path in _modules():
        tree = ast.parse(path.read_text())
        project = {}
        for node in _project_imports(tree):
            for alias in node.names:
                source = alias.name if isinstance(node, ast.Import) else node.module or ""
                if source.split(".")[0] not in PACKAGES:
                    continue
                if isinstance(node, ast.ImportFrom) and alias.name.startswith("_"):
                    borrowed.append(f"{path.relative_to(ROOT)}: {source}.{alias.name}")
                project[alias.asname or alias.name.split(".")[0]] = source
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in project
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                borrowed.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert borrowed == []
