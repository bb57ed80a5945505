"""The notebooks as files: clean lessons, slides, links that lead somewhere, one exercise per network."""

import re
from pathlib import Path

import nbformat
import pytest

from course_lib import networks

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


def test_eleven_lessons_in_order():
    assert [p.name[:2] for p in LESSONS] == [f"{k:02d}" for k in range(11)]


@pytest.mark.maintainer
def test_one_exercise_per_course_network_in_course_order_and_one_for_lesson_10():
    names = networks.names()
    assert [p.stem.split("-", 1)[1] for p in SOLUTIONS[: len(names)]] == names
    assert [p.name for p in SOLUTIONS[len(names) :]] == [LESSONS[10].name]  # lesson 10's: matrices and batches
    assert [p.name for p in sorted((ROOT / "exercises").glob("*.ipynb"))] == [p.name for p in SOLUTIONS]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lessons_carry_slide_metadata(path):
    cells = nbformat.read(path, as_version=4).cells
    kinds = [cell.metadata.get("slideshow", {}).get("slide_type") for cell in cells]
    assert all(kind in SLIDE_TYPES for kind in kinds), set(kinds) - SLIDE_TYPES
    assert kinds[0] == "slide"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lessons_store_only_the_outputs_nbval_checks(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and "nbval-check-output" not in cell.metadata.get("tags", []):
            assert not cell.outputs and cell.execution_count is None, cell.source[:60]
    assert "widgets" not in nbformat.read(path, as_version=4).metadata


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_relative_links_lead_to_files(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        for target in re.findall(r"\]\(((?:\.\./|\./)?[\w./-]+\.(?:ipynb|md))(?:#[\w-]*)?\)", cell.source):
            assert (path.parent / target).resolve().exists(), f"{path.name} links to {target}"


@pytest.mark.parametrize("path", LESSONS[1:11], ids=lambda p: p.stem)
def test_each_lesson_ends_pointing_to_its_exercise(path):
    text = "".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    assert f"../exercises/{path.name}" in text


def test_readme_says_how_to_run_on_binder_and_a_hub():
    readme = (ROOT / "README.md").read_text()
    assert "urlpath=lab/tree/notebooks/00-start-here.ipynb" in readme
    assert (ROOT / "notebooks" / "00-start-here.ipynb").exists()
    assert "The Littlest JupyterHub" in readme and "Zero to JupyterHub" in readme
    assert "docs/instructor-guide.md" in readme and (ROOT / "docs" / "instructor-guide.md").exists()
    assert readme.index("make lab") < readme.index("make test") < 1200  # the two commands come first
