"""The project's set-up files agree with each other."""

import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent


LOCKS = ROOT / "requirements"
LOCK_COMMAND = "make lock"


def requirement_name(spec):
    return re.split(r"[<>=!~ ;\[]", spec, maxsplit=1)[0].strip().lower().replace("_", "-")


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def environment(name="environment.yml"):
    return yaml.safe_load((ROOT / name).read_text())


def own_extras(spec):
    """The extras of a requirement on the course itself (``course_lib[room]`` -> ``["room"]``), else None."""
    requirement = Requirement(spec)
    if requirement.name.lower().replace("_", "-") != requirement_name(pyproject()["project"]["name"]):
        return None
    return sorted(requirement.extras)


def wanted(extras):
    """pyproject.toml's requirements for the course with ``extras``: {name: SpecifierSet}.

    A requirement on the course's own extras (``course_lib[room]``) stands for theirs.
    """
    project = pyproject()["project"]
    specs, todo, seen = list(project["dependencies"]), list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for spec in project["optional-dependencies"][extra]:
            if own_extras(spec) is None:
                specs.append(spec)
            else:
                todo += own_extras(spec)
    return {requirement_name(s): SpecifierSet(Requirement(s).specifier) for s in specs}


def locked(name):
    """A lock file: (the command that wrote it, {package: [(version, marker)]}, {packages pyproject asks for})."""
    text = (LOCKS / name).read_text()
    command = re.search(r"^#\s+(uv pip compile .*)$", text, re.MULTILINE).group(1)
    pins, direct = {}, set()
    for line in text.splitlines():
        if match := re.match(r"^([A-Za-z0-9._-]+)==(\S+)(?: ; ([^#]+?))?\s*(?:#\s*via (.*))?$", line):
            package = match[1].lower().replace("_", "-")
            pins.setdefault(package, []).append((match[2], (match[3] or "").strip()))
            if "course-lib (pyproject.toml)" in (match[4] or ""):
                direct.add(package)
    return command, pins, direct


# The locks and what they hold: every platform, Python 3.11 and newer.
LOCKED = {
    "course.txt": ["hub"],  # learners and hubs' single-user servers
    "room.txt": ["room"],  # the instructor's room server (make room)
    "dev.txt": sorted(pyproject()["project"]["optional-dependencies"]),
}


@pytest.mark.parametrize("lock", LOCKED)
def test_the_lock_agrees_with_pyproject(lock):
    command, pins, direct = locked(lock)
    want = wanted(LOCKED[lock])
    problems = [f"{name} is not locked" for name in sorted(want.keys() - pins.keys())]
    for name, specifier in sorted(want.items()):
        for version, _ in pins.get(name, []):
            if version not in specifier:
                problems.append(f"{name}=={version} is locked, pyproject.toml asks for {name}{specifier}")
    problems += [
        f"{name} is locked for the course but pyproject.toml no longer asks for it" for name in direct - want.keys()
    ]
    if lock != "dev.txt":
        problems += [
            f"{name} is locked but no longer part of the course" for name in pins.keys() - locked("dev.txt")[1].keys()
        ]
    assert not problems, f"requirements/{lock} is out of date: " + "; ".join(problems) + f". Run `{LOCK_COMMAND}`."
    extras = "--all-extras" if lock == "dev.txt" else " ".join(f"--extra {e}" for e in LOCKED[lock])
    assert "--universal" in command and "--python-version 3.11" in command and extras in command, command


@pytest.mark.parametrize("lock", ["course.txt", "room.txt"])
def test_the_learners_lock_has_the_versions_of_the_developers_lock(lock):
    """What learners (course.txt) and the room (room.txt) install is what the tests ran with (dev.txt)."""
    _, course, _ = locked(lock)
    _, dev, _ = locked("dev.txt")
    different = {name: (pins, dev.get(name)) for name, pins in course.items() if pins != dev.get(name)}
    assert not different, f"{different}: run `{LOCK_COMMAND}`"


def test_the_makefile_installs_from_the_lock_and_locks_as_the_test_expects():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet -r requirements/course.txt" in makefile
    assert "pip install --quiet -r requirements/dev.txt" in makefile
    for lock in LOCKED:
        assert f"-o requirements/{lock}" in makefile
    assert re.search(r"^lock:", makefile, re.MULTILINE)


def test_this_environment_has_the_locked_versions():
    """`make test` runs in .venv installed from requirements/dev.txt: the versions tested are the locked ones."""
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip("not the course's .venv (other environments, e.g. conda's, are installed from the lock too)")
    _, pins, _ = locked("dev.txt")
    wrong = {}
    for name, entries in pins.items():
        for version, marker in entries:
            if not marker or Marker(marker).evaluate():
                installed = metadata.version(name)
                if installed != version:
                    wrong[name] = (installed, version)
    assert not wrong, f".venv differs from requirements/dev.txt (installed, locked): {wrong}; run `make test` again"


@pytest.mark.parametrize(
    ("name", "lock"), [("environment.yml", "course.txt"), ("environment-instructor.yml", "dev.txt")]
)
def test_the_conda_environments_install_python_3_11_and_the_lock(name, lock):
    deps = environment(name)["dependencies"]
    conda = [d for d in deps if isinstance(d, str)]
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert conda == ["python=3.11", "pip"]  # Python from conda-forge; every package from the lock
    assert pip == [f"-r requirements/{lock}", "-e ."]


def test_the_hub_environment_has_nbgitpuller():
    assert "nbgitpuller" in locked("course.txt")[1]


def test_every_dependency_has_a_lower_bound():
    project = pyproject()["project"]
    extras = project["optional-dependencies"]
    for spec in project["dependencies"] + [spec for specs in extras.values() for spec in specs]:
        if own_extras(spec) is not None:  # course_lib[room]: the course's own extras
            assert set(own_extras(spec)) <= set(extras), spec
        else:
            assert ">=" in spec, spec


def test_learners_install_none_of_the_room_servers_packages():
    """The room's server needs Starlette and friends; learners' kernels only the standard library's HTTP."""
    project = pyproject()["project"]
    learners = {requirement_name(s) for s in project["dependencies"]}
    room = {requirement_name(s) for s in project["optional-dependencies"]["room"]}
    assert room and not room & learners
    hub = {requirement_name(s).split("[")[0] for s in project["optional-dependencies"]["room-hub"]}
    assert {"jupyterhub", "psycopg"} <= hub and not hub & learners
    assert not room & set(locked("course.txt")[1]), "the learners' lock must not hold the room's server"


def test_container_images_leave_local_files_and_the_solutions_out():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    ignored = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for folder in (".venv/", ".git/", "solutions/", "worksheets/", "answer-sheets/", "backups/", "test-artifacts/"):
        assert folder in ignored, folder
    for needed in ("requirements/", "course_lib/", "pyproject.toml", "README.md", "notebooks/", "exercises/"):
        assert not any(needed.startswith(pattern.rstrip("/")) for pattern in ignored), needed


def quick_run(script):
    """Run a benchmark with --quick (a smoke test, not a measurement) and return its closing JSON."""
    command = [sys.executable, str(ROOT / "benchmarks" / script), "--quick"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_training_benchmark_runs_and_ends_with_json():
    figures = quick_run("training_speed.py")
    assert figures["steps_per_s"] > 0 and figures["ratio_vs_python"] > 0
    assert figures["digits_s"] > 0 and figures["digits_final_error"] > 0
    assert "ratio_vs_torch" in figures and "digits_ratio_vs_torch" in figures  # null without PyTorch


def test_the_panel_benchmark_runs_and_ends_with_json():
    figures = quick_run("panel_latency.py")
    assert figures["median_ms"] > 0 and figures["naive_median_ms"] > 0 and figures["ratio"] > 0


def test_the_memory_benchmark_runs_and_ends_with_json():
    figures = quick_run("kernel_memory.py")
    (measured,) = figures["notebooks"].values()
    assert figures["bare_kernel_mib"] > 10 and measured["rss_mib"] > figures["bare_kernel_mib"]
    assert measured["peak_mib"] >= measured["rss_mib"] and measured["errors"] == 0
