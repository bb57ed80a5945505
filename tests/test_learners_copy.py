"""`make test` in a learner's copy of the course (one without solutions/) tests what makes sense there, and says so."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LEARNERS_COPY

ROOT = Path(__file__).resolve().parent.parent
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def dry_run_of_make_test(folder):
    """The commands `make test` would run in ``folder`` (make -n), with its .venv taken as installed."""
    (folder / ".venv" / "bin").mkdir(parents=True, exist_ok=True)
    (folder / ".venv" / "bin" / "python").touch()
    (folder / ".venv" / ".installed-test").touch()
    installed = ["-o.venv/.installed-test", "-o.venv/hub-proxy/node_modules/.bin/configurable-http-proxy"]
    result = subprocess.run(["make", "-n", "-C", str(folder), "test", *installed], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


@needs_make
def test_make_test_in_a_learners_copy_leaves_out_the_solutions_and_the_learners_code(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    commands = dry_run_of_make_test(tmp_path)
    assert "--nbval solutions" not in commands
    assert "ruff check . --extend-exclude exercises" in commands
    assert "A learner's copy (no solutions/)" in commands
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "01-perceptron.ipynb").write_text("{}")
    commands = dry_run_of_make_test(tmp_path)  # with solutions/: a maintainer's checkout
    assert commands.count("--nbval solutions") == 2 and "--extend-exclude" not in commands


@needs_make
def test_make_test_here_tests_the_solutions_unless_this_is_a_learners_copy():
    assert (
        "--nbval solutions"
        in subprocess.run(["make", "-n", "-C", str(ROOT), "test"], capture_output=True, text=True).stdout
    ) != LEARNERS_COPY


def test_maintainers_tests_are_skipped_in_a_learners_copy_with_the_reason(tmp_path):
    (tmp_path / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "tests" / "conftest.py")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")  # the markers, and --strict-markers
    (tmp_path / "tests" / "test_sources.py").write_text(
        "import pytest\n\n\n@pytest.mark.maintainer\ndef test_needs_the_solutions():\n    assert False\n\n\n"
        "def test_for_everyone():\n    assert True\n"
    )
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", str(tmp_path / "tests")]
    quick = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")  # only the conftest: nbval, hypothesis take seconds
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=quick)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped" in result.stdout
    assert "a learner's copy (no solutions/)" in result.stdout
