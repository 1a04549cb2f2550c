"""Meta-tests: every hook is documented and tested; every documented example runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from jobforge import hookspecs

REPO = Path(__file__).resolve().parents[1]
DOCS = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


@pytest.mark.parametrize("hook", hookspecs.__all_hooks__)
def test_every_hook_is_documented(hook: str) -> None:
    text = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert f"### `{hook}`" in text, f"docs/plugins.md has no section for hook {hook}"
    spec = getattr(hookspecs, hook)
    assert spec.__doc__, f"hook {hook} has no docstring"


@pytest.mark.parametrize("hook", hookspecs.__all_hooks__)
def test_every_hook_is_tested(hook: str) -> None:
    this = Path(__file__).resolve()
    test_files = [
        p
        for root in (REPO / "tests", REPO / "plugins")
        if root.exists()
        for p in root.rglob("test_*.py")
        if p.resolve() != this
    ]
    uses = [p for p in test_files if re.search(rf"\b{hook}\b", p.read_text(encoding="utf-8"))]
    assert uses, f"no test exercises hook {hook}"


def test_every_spec_is_listed() -> None:
    specs = {
        name for name, value in vars(hookspecs).items() if callable(value) and hasattr(value, "jobforge_spec")
    }
    assert specs == set(hookspecs.__all_hooks__)


def _examples() -> list[tuple[str, int, str]]:
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for n, match in enumerate(PYTHON_BLOCK.finditer(text), start=1):
            found.append((doc.relative_to(REPO).as_posix(), n, match.group(1)))
    return found


@pytest.mark.parametrize(("doc", "number", "code"), _examples(), ids=lambda v: str(v)[:40])
def test_documented_python_examples_run(doc: str, number: int, code: str, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "JOBFORGE_DATA_DIR": str(tmp_path / "data"),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        },
    )
    assert result.returncode == 0, f"{doc} example {number} failed:\n{result.stderr[-3000:]}"
