"""Packaging promises: no torch on import, typed, CLI, README and CI in agreement, style."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import augkit as ak
from augkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(ak.__file__).resolve().parent


def test_import_does_not_import_torch() -> None:
    heavy = "{'torch', 'tensorflow', 'jax', 'ray'}"
    code = (
        "import json, sys, augkit, augkit.image, augkit.cli, augkit.demo\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {heavy})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_py_typed_marker_ships() -> None:
    assert (PACKAGE / "py.typed").exists()


def test_version_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"augkit {ak.__version__}"
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines] == ak.registered_names()
    assert all(len(line.split(None, 2)) == 3 for line in lines), "each line has a name, a kind and a summary"


def test_console_script_is_declared() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert 'augkit = "augkit.cli:main"' in text


def test_readme_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, flags=re.S)
    assert blocks[:2] == ["pip install . && augkit demo", 'pip install -c constraints.txt -e ".[test]" && pytest']
    install, _ = blocks[1].split(" && ")
    assert f"\n{install}\n" in ci and "\npytest\n" in ci
    assert (ROOT / "constraints.txt").read_text().strip() == "torch==2.13.0"


def test_modules_stay_small() -> None:
    sizes = {p.relative_to(ROOT): len(p.read_text().splitlines()) for p in (ROOT / "src").rglob("*.py")}
    assert {path: n for path, n in sizes.items() if n > 600} == {}


def test_ruff_is_clean() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    folders = [name for name in ("src", "tests", "benchmarks") if (ROOT / name).is_dir()]
    result = subprocess.run([str(ruff), "check", *folders], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    mypy = Path(sys.executable).with_name("mypy")
    result = subprocess.run([str(mypy), "--no-incremental", "src/augkit"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_quickstart_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)\n```", readme, flags=re.S)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    out, same = namespace["out"], namespace["same"]
    assert isinstance(out, dict) and isinstance(same, dict)
    np.testing.assert_array_equal(out["image"], same["image"])
    np.testing.assert_array_equal(out["bboxes"], same["bboxes"])
    assert (tmp_path / "pipe.yaml").exists() and namespace["pipe2"].to_dict() == namespace["pipe"].to_dict()
    for block in blocks[1:]:  # the later examples run in the quickstart's namespace
        exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["targets"].shape == (8, 10) and np.allclose(namespace["targets"].sum(axis=1), 1.0)
    assert namespace["augmented"].shape[0] == 2 and namespace["out"]["applied"][0]["name"] == "RandAugment"
    heard = namespace["heard"]
    np.testing.assert_array_equal(heard["audio"], heard["clean"])  # paired targets share the draws
    assert [entry["name"] for entry in heard["applied"]][:2] == ["audio.PitchShift", "audio.AddBackgroundNoise"]
    assert len(namespace["copies"]) == 16 and len(namespace["noisy"]) == 2
    assert namespace["warped"]["series"].shape == (32, 500, 3) and namespace["warped"]["step_labels"].shape == (32, 500)
