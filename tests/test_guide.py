"""The instructor guide says what a room needs, and what it says is what the course does."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "instructor-guide.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()


def anchor(heading):
    """GitHub's anchor of a markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_inside_the_guide_leads_to_a_heading():
    anchors = {anchor(h) for h in re.findall(r"^#+ (.+)$", GUIDE, re.MULTILINE)}
    links = re.findall(r"\]\(#([\w-]+)\)", GUIDE)
    assert links and not set(links) - anchors, set(links) - anchors


@pytest.mark.parametrize(
    "topic",
    [
        "#### How 300 people log in",
        "### The solutions afterwards",
        "#### Handing out the notebooks: nbgitpuller, and its load",
        "prePuller.hook.enabled",
        "## 10. Accessibility",
        "| symptom | likely cause | what to do |",
    ],
)
def test_the_guide_covers_a_room_of_300(topic):
    assert topic in GUIDE


@pytest.mark.parametrize("symptom", ["The kernel appears to have died", "Error displaying widget", "an old browser"])
def test_the_troubleshooting_table_has_what_goes_wrong_in_a_room(symptom):
    table = GUIDE[GUIDE.index("| symptom | likely cause | what to do |") :].split("\n\n")[0]
    assert symptom in table


def test_the_commands_the_guide_gives_are_the_makefiles():
    for target in ("lab", "test", "worksheets", "exercises", "fresh", "lock", "bench", "notebooks"):
        assert re.search(rf"^{target}:", MAKEFILE, re.MULTILINE), target
    for variable in ("FORCE", "EXERCISE", "UPGRADE"):
        assert f"$({variable})" in MAKEFILE and f"{variable}=" in GUIDE, variable


def test_the_hub_sizing_cites_the_memory_benchmark():
    sizing = GUIDE[GUIDE.index("#### How much memory and CPU") : GUIDE.index("#### How 300 people log in")]
    assert "benchmarks/kernel_memory.py" in sizing and (ROOT / "benchmarks" / "kernel_memory.py").exists()
    assert re.search(r"guarantee 512 MiB, limit 1 GiB", sizing)
    assert "guarantee: 512M" in GUIDE and "limit: 1G" in GUIDE  # the Z2JH config says the same


def test_the_page_counts_in_the_guide_are_the_ones_the_print_test_holds():
    import test_worksheets_print as printed  # skips (with its reason) where there is no chromium

    row = re.search(r"^\| pages \|(.+)\|$", GUIDE, re.MULTILINE).group(1).split("|")
    counts = dict(zip([f"{k:02d}" for k in range(1, 10)], (int(c) for c in row)))
    for name, pages in printed.PAGES.items():
        assert counts[name[:2]] == pages, name
    assert sum(counts[f"{k:02d}"] for k in range(1, 8)) == int(re.search(r"01–07\) is (\d+) pages", GUIDE).group(1))


def test_the_messages_the_guide_quotes_are_the_self_checks():
    """Section 4 quotes the self-check word for word: these quotations come from the real check."""
    from course_lib import check_answers, networks, sigmoid

    mazur, han = networks.get("mazur"), networks.get("han-kamber")
    q, hq = mazur.quantities(), han.quantities()
    net = q["w1"] * q["i1"] + q["w3"] * q["i2"]
    quoted = [
        check_answers(mazur, {"net_h1": f"{net:.6g}"})["net_h1"].message,
        check_answers(mazur, {"out_h1": f"{float(sigmoid(net)):.6g}"})["out_h1"].message,
        check_answers(mazur, {"b1": 0.35})["b1"].message,
        check_answers(han, {"Err6": f"{-hq['Err6']:.4g}"})["Err6"].message,
        check_answers(han, {"delta6": f"{-hq['delta6']:.4g}"})["delta6"].message,
        check_answers(han, {"Err5": 0.00653})["Err5"].message.split("). ", 1)[1],
        repr(check_answers(mazur, {"net_h1": 0.3})).splitlines()[1].split("Hint: ")[1],
    ]
    for message in quoted:
        assert message in GUIDE, message
    assert "v11·b1" not in GUIDE
