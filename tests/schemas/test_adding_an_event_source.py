"""docs/adding-an-event-source.md, performed: its code blocks are applied to a copy of the
repository in order, and the schema suite must then pass there (and fail before the docs step)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pathwatch import PROJECT_ROOT

GUIDE = PROJECT_ROOT / "docs" / "adding-an-event-source.md"
# A fence whose info string names a file: "```python file=PATH" (create) or "append=PATH".
BLOCK = re.compile(
    r"^(?P<fence>`{3,})(?P<lang>\w+) (?P<op>file|append)=(?P<path>\S+)\n(?P<body>.*?)\n(?P=fence)$",
    re.MULTILINE | re.DOTALL,
)
COPIED = ("schemas", "streams", "pathwatch", "producers", "docs", "pyproject.toml")
THIS = Path(__file__).name
BIN = Path(sys.executable).parent


def _copy(dst: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", THIS)
    for name in COPIED:
        src = PROJECT_ROOT / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=ignore)
        else:
            shutil.copy2(src, dst / name)
    (dst / "tests").mkdir()
    for name in ("__init__.py", "factories.py"):
        shutil.copy2(PROJECT_ROOT / "tests" / name, dst / "tests" / name)
    shutil.copytree(PROJECT_ROOT / "tests" / "schemas", dst / "tests" / "schemas", ignore=ignore)


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH puts the copy ahead of the installed (editable) packages.
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.run(
        list(args), cwd=repo, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _apply(repo: Path, op: str, path: str, body: str) -> None:
    target = repo / path
    if op == "file":
        assert not target.exists(), f"the guide would overwrite {path}"
        target.write_text(body + "\n", encoding="utf-8")
    else:
        with target.open("a", encoding="utf-8") as out:
            out.write(body + "\n")


@pytest.mark.timeout(600)
def test_following_the_guide_gives_a_green_schema_suite(tmp_path: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = [(m["op"], m["path"], m["body"]) for m in BLOCK.finditer(text)]
    assert [p for _, p, _ in blocks] == [
        "schemas/events/attendance.py",
        "schemas/events/__init__.py",
        "docs/events.md",
        "tests/schemas/old_payloads/attendance.recorded.v1.json",
        "tests/schemas/test_attendance.py",
    ]
    for command in ("pathwatch schemas export\n", "pathwatch schemas export --check\n"):
        assert command in text  # the commands this test runs are the ones the guide shows
    repo = tmp_path / "repo"
    repo.mkdir()
    _copy(repo)

    # Steps 1-2: the module and its import.
    for op, path, body in blocks[:2]:
        _apply(repo, op, path, body)
    # Step 3: regenerate the JSON Schema.
    export = _run(repo, str(BIN / "pathwatch"), "schemas", "export")
    assert export.returncode == 0, export.stderr
    assert "missing: attendance.recorded.json" in export.stdout
    assert (repo / "schemas" / "json" / "attendance.recorded.json").exists()
    # Without the documented example the suite refuses the new type.
    early = _run(
        repo,
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/schemas/test_events_doc.py",
        "tests/schemas/test_versions.py",
    )
    assert early.returncode == 1, early.stdout[-2000:]
    assert "test_every_registered_type_has_exactly_one_section" in early.stdout
    assert "test_every_event_type_has_a_stored_version_1_payload" in early.stdout

    # Steps 4-6: docs section, stored payload, the type's own test.
    for op, path, body in blocks[2:]:
        _apply(repo, op, path, body)
    check = _run(repo, str(BIN / "pathwatch"), "schemas", "export", "--check")
    assert check.returncode == 0, check.stderr
    suite = _run(
        repo, sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "tests/schemas"
    )
    assert suite.returncode == 0, suite.stdout[-4000:]
    assert "test_attendance.py::test_attendance_is_decoded PASSED" in suite.stdout
    assert "test_example_is_accepted_by_the_decoder[attendance.recorded] PASSED" in suite.stdout
    lint = _run(
        repo,
        str(BIN / "ruff"),
        "check",
        "schemas/events/attendance.py",
        "tests/schemas/test_attendance.py",
    )
    assert lint.returncode == 0, lint.stdout
    fmt = _run(
        repo,
        str(BIN / "ruff"),
        "format",
        "--check",
        "schemas/events/attendance.py",
        "tests/schemas/test_attendance.py",
    )
    assert fmt.returncode == 0, fmt.stdout
