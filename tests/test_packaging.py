"""The project's set-up files agree with each other."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def requirement_name(spec):
    return re.split(r"[<>=!~ ]", spec, maxsplit=1)[0].strip().lower().replace("_", "-")


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def bounds(spec):
    """The version part of a requirement, e.g. '>=1.26' of 'numpy>=1.26'."""
    return spec.replace(" ", "")[len(requirement_name(spec)) :]


def test_environment_yml_lists_the_same_packages_as_pyproject():
    # conda-forge spells some names with _ where PyPI has - (jupyterlab_rise): names are compared normalised
    wanted = {requirement_name(s): bounds(s) for s in pyproject()["project"]["dependencies"]}
    conda = [d for d in environment()["dependencies"] if isinstance(d, str)]
    listed = {requirement_name(s): bounds(s) for s in conda if requirement_name(s) not in {"python", "pip"}}
    assert listed == wanted


def test_environment_yml_pins_python_and_installs_the_course():
    deps = environment()["dependencies"]
    assert "python=3.11" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e ." in pip


def test_every_dependency_has_a_lower_bound():
    project = pyproject()["project"]
    extras = project["optional-dependencies"]
    for spec in project["dependencies"] + [spec for specs in extras.values() for spec in specs]:
        if requirement_name(spec).split("[")[0] == requirement_name(project["name"]):  # course_lib[room]: ours
            assert re.fullmatch(r"course_lib\[[a-z,]+\]", spec) and set(spec[11:-1].split(",")) <= set(extras), spec
        else:
            assert ">=" in spec, spec


def test_learners_install_none_of_the_room_servers_packages():
    """The room's server needs Starlette and friends; learners' kernels only the standard library's HTTP."""
    project = pyproject()["project"]
    learners = {requirement_name(s) for s in project["dependencies"]}
    room = {requirement_name(s) for s in project["optional-dependencies"]["room"]}
    assert room and not room & learners
    hub = {requirement_name(s).split("[")[0] for s in project["optional-dependencies"]["hub"]}
    assert {"jupyterhub", "psycopg"} <= hub and not hub & learners


def quick_run(script):
    """Run a benchmark with --quick (a smoke test, not a measurement) and return its closing JSON."""
    command = [sys.executable, str(ROOT / "benchmarks" / script), "--quick"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_training_benchmark_runs_and_ends_with_json():
    figures = quick_run("training_speed.py")
    assert figures["steps_per_s"] > 0 and figures["ratio_vs_python"] > 0
    assert "ratio_vs_torch" in figures


def test_the_panel_benchmark_runs_and_ends_with_json():
    figures = quick_run("panel_latency.py")
    assert figures["median_ms"] > 0 and figures["naive_median_ms"] > 0 and figures["ratio"] > 0
