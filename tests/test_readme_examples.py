"""The README's examples, run as written from the project root, succeed and print what the README shows."""

from __future__ import annotations

import glob
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _console_examples() -> list[tuple[str, str]]:
    """Each `$ python -m ...` command of the README's console blocks with the output printed under it."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S):
        lines = block.splitlines()
        index = 0
        while index < len(lines):
            line = lines[index]
            index += 1
            if not line.startswith("$ "):
                continue
            command = line[2:]
            while command.rstrip().endswith("\\") and index < len(lines):
                command = command.rstrip()[:-1] + " " + lines[index].strip()
                index += 1
            output = []
            while index < len(lines) and lines[index].strip() and not lines[index].startswith("$ "):
                output.append(lines[index])
                index += 1
            examples.append((command.split("  #")[0].strip(), "\n".join(output)))
    return examples


def _argv(command: str) -> list[str]:
    words = shlex.split(command)
    assert words[:3] == ["python", "-m", words[2]], command
    expanded = []
    for word in words[3:]:
        matches = sorted(glob.glob(word, root_dir=ROOT)) if any(ch in word for ch in "*?[") else []
        expanded += matches or [word]
    return [sys.executable, "-m", words[2], *expanded]


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_readme_has_examples() -> None:
    assert len(_console_examples()) >= 10


def test_every_readme_example_runs_and_prints_what_the_readme_says() -> None:
    # One test, run in order: the pull examples share the default store, seeded on first use.
    for command, shown in _console_examples():
        result = subprocess.run(_argv(command), cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{command}\n{result.stderr}"
        assert result.stdout.strip(), command
        if shown:
            assert _words(shown) == _words(result.stdout), command
