"""The course as a learner meets it: JupyterLab in a real browser (Debian's chromium, driven by Playwright).

The server is started with the command ``make lab`` runs (``tools/lab.py``'s
``lab_command``), on a copy of the course's folders (so that the browser never
saves over the repository's files), and the page opened is the address it
prints.  The journey:

1. that address opens ``notebooks/00-start-here.ipynb``; the server's root
   holds ``notebooks/`` and ``exercises/``; the news pop-up is off by the
   course's own settings;
2. lesson 07's panel at 1366x768 with the file browser open: nothing cut, no
   number truncated, buttons, sliders, diagram and read-out on one screen,
   slider tracks long enough (one pixel at most 0.05), labels readable, the N
   box showing 100; Step twice (the read-out equals course_lib's numbers after
   one and two steps, and still does 2 s later; "Step 2"), Train N (the curves
   have every step), a learner's own slider move (a new run), Reset, and a
   long run whose curves follow it as it trains;
3. lesson 09's four-layer panel fits too;
4. the exercise reached from lesson 07's link: a wrong, then a right answer.

Needs /usr/bin/chromium (Debian: ``sudo apt-get install chromium``); without
it the test is skipped, except where COURSE_REQUIRE_BROWSER=1 (as in CI),
where a missing browser is a failure.  On failure a screenshot is saved in
``test-artifacts/`` (with COURSE_SCREENSHOTS=1, after every test).
"""

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from course_lib import networks

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
STEPS = 100  # the N box's value in the lessons' panels
ERRATA_LESSON = "06-han-kamber.ipynb"  # its tables of the retelling's errata must fit a laptop's page

if not CHROMIUM.exists():
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail("COURSE_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing", pytrace=False)
    pytest.skip(
        "the browser test needs Debian's chromium at /usr/bin/chromium: "
        "run `sudo apt-get install chromium` to enable it",
        allow_module_level=True,
    )

playwright = pytest.importorskip("playwright.sync_api")

sys.path.insert(0, str(ROOT / "tools"))
from browser import (  # noqa: E402  (the course's browser helpers, shared with the browser benchmark)
    NOTEBOOK,
    api,
    chromium,
    kernel_of,
    lab_launcher,
    open_notebook,
    run_cell,
    serve,
    wait_for_kernel,
    wait_until,
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab started as ``make lab`` starts it, on a copy of the course, with a fresh profile and settings."""
    base = tmp_path_factory.mktemp("lab")
    served = base / "course"
    for folder in ("notebooks", "exercises"):
        shutil.copytree(ROOT / folder, served / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints", ".backup"))
    with serve(served, base) as lab:
        yield lab


@pytest.fixture
def page(lab, request):
    """A fresh chromium profile at 1366x768; a screenshot is saved if the test fails."""
    with playwright.sync_playwright() as p:
        context = chromium(p, lab["base"] / f"profile-{request.node.name}")
        page = context.new_page()
        page.set_default_timeout(60_000)
        try:
            yield page
        finally:
            failed = getattr(request.node, "failed", False)  # set by the hook in conftest.py
            if failed or os.environ.get("COURSE_SCREENSHOTS") == "1":
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
            context.close()


def run_lesson_panel(page, lab, lesson):
    """Open a lesson and run what its panel needs: the cell that makes the example, then the panel's."""
    open_notebook(page, lab, lesson)
    run_cell(page, "example = networks.get(")
    run_cell(page, "Playground(example)")
    panel = page.locator(f"{NOTEBOOK} .course-playground").first
    panel.locator(".course-readout [data-q]").first.wait_for()
    return panel


# -- 1. make lab ------------------------------------------------------------------------------


def test_the_printed_address_opens_the_first_lesson_of_the_whole_course(page, lab):
    assert lab["printed"].startswith(f"{lab['url']}/lab/tree/{lab_launcher.START}?token=")
    page.goto(lab["printed"])
    page.wait_for_selector(f"{NOTEBOOK} .jp-Cell", state="attached")
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
    assert tab.inner_text() == Path(lab_launcher.START).name
    root = {item["name"] for item in api(lab, "/api/contents")["content"]}
    assert {"notebooks", "exercises"} <= root, f"the server's root holds {sorted(root)}, not the whole course"
    news = api(lab, "/lab/api/settings/@jupyterlab/apputils-extension:notification")["schema"]["properties"]
    # the course's settings change JupyterLab's defaults (the learner's own settings are left alone)
    assert news["fetchNews"]["default"] == "false" and news["checkForUpdates"]["default"] is False
    time.sleep(1)
    assert not page.locator(".jp-toast-message, .Toastify__toast").filter(has_text=re.compile("news", re.I)).count()


# -- 2. lesson 07's panel -----------------------------------------------------------------------

FITS = """panel => {
    const notebook = document.querySelector(arguments_notebook).getBoundingClientRect();
    const output = panel.closest('.jp-OutputArea-output').getBoundingClientRect();
    const box = panel.getBoundingClientRect();
    const readout = panel.querySelector('.course-readout').getBoundingClientRect();
    const diagram = panel.querySelector('.course-diagram svg').getBoundingClientRect();
    const cut = [];
    const clipping = 'button, input, .widget-readout, .widget-label, .lm-TabBar-tabLabel, td, th, .course-title';
    for (const e of panel.querySelectorAll(clipping)) {
        const shown = e.offsetParent !== null;
        const text = e.tagName === 'INPUT' ? e.value : e.textContent;
        if (shown && e.scrollWidth > e.clientWidth + 1) cut.push(text.trim());
    }
    const tracks = [];
    for (const handle of panel.querySelectorAll('.noUi-handle')) {
        const track = handle.closest('.noUi-target');
        if (track.offsetParent === null) continue;
        const range = handle.getAttribute('aria-valuemax') - handle.getAttribute('aria-valuemin');
        tracks.push([handle.closest('.course-slider').className.match(/course-slider-(\\S+)/)[1],
                     range / track.getBoundingClientRect().width]);
    }
    return {notebook: notebook.toJSON(), output: output.toJSON(), box: box.toJSON(), readout: readout.toJSON(),
            diagram: diagram.toJSON(), cut, tracks, sidebar: document.querySelector('#jp-left-stack').offsetWidth,
            steps: panel.querySelector('.course-steps input').value,
            labels: [...panel.querySelectorAll('.course-slider .widget-label')].map(e => e.textContent)};
}""".replace("arguments_notebook", json.dumps(NOTEBOOK))


def check_fits(page, panel, name):
    """The panel at 1366x768 with the file browser open: nothing cut, the working part on one screen."""
    panel.evaluate("p => p.scrollIntoView({block: 'start'})")
    time.sleep(0.3)
    tabs = panel.locator(".course-slider-tabs > .lm-TabBar .lm-TabBar-tab")
    found = None
    for k in range(tabs.count()):
        tabs.nth(k).click()
        f = panel.evaluate(FITS)
        assert f["sidebar"] > 200, "the file browser is not open"
        assert not f["cut"], f"{name}: cut in the panel: {f['cut']}"
        for slider, per_pixel in f["tracks"]:
            assert per_pixel <= 0.05, f"{name}: one pixel of {slider}'s track moves it by {per_pixel:.3f}"
        found = f if found is None else found | {"tracks": found["tracks"] + f["tracks"]}
    f = found
    assert f["steps"] == str(STEPS), f"the N box shows {f['steps']!r}"
    sliders = {s for s, _ in f["tracks"]}
    assert sliders == set(networks.get(name).given()), f"{name}: the sliders seen are {sorted(sliders)}"
    assert {"target_o1", "target_o2", "w5", "η"} <= set(f["labels"]), f"{name}: the sliders read {f['labels']}"
    notebook, box = f["notebook"], f["box"]
    for part in ("box", "readout", "diagram"):
        assert f[part]["right"] <= min(notebook["right"], f["output"]["right"]) + 1, f"{name}: the {part} is cut"
    assert f["readout"]["bottom"] - box["top"] <= notebook["height"], (
        f"{name}: buttons, sliders, diagram and read-out take {f['readout']['bottom'] - box['top']:.0f} px; "
        f"the notebook shows {notebook['height']:.0f}"
    )
    return f


def readout(panel):
    """The read-out's numbers by name, as printed."""
    cells = panel.locator(".course-readout [data-q]").evaluate_all("cs => cs.map(c => [c.dataset.q, c.textContent])")
    return dict(cells)


def printed(example):
    """The read-out's numbers as course_lib computes them, printed as the panel prints them."""
    q = example.quantities()
    return {k: f"{q[k] + 0.0:.9g}" for k in q}


def assert_readout_is(panel, example, what):
    shown = readout(panel)
    expected = printed(example)
    wrong = {k: (v, expected[k]) for k, v in shown.items() if v != expected[k]}
    assert len(shown) > 30 and not wrong, f"{what}: the read-out differs from course_lib (shown, computed): {wrong}"


def watch_diagram_and_readout(panel):
    """Record, whenever the diagram is drawn anew, what it and the read-out show at that moment."""
    panel.evaluate("""p => { window.__drawn = [];
        const diagram = p.querySelector('.course-diagram'), readout = p.querySelector('.course-readout');
        const text = (root, selector) => root.querySelector(selector)?.textContent ?? root.querySelector(selector);
        new MutationObserver(() => window.__drawn.push({
            diagram: ['error', 'w5'].map(k => diagram.querySelector(`[data-label='${k}']`).dataset.text),
            readout: [text(readout, "[data-q='E_total']"), text(readout, "[data-q='w5']")],
        })).observe(diagram, {attributes: true, attributeFilter: ['data-version']}); }""")


def assert_diagram_and_readout_changed_together(page, w5):
    """Each time the diagram was drawn, the read-out showed the same state (one message, one frame)."""
    drawn = page.evaluate("() => window.__drawn")
    assert drawn, "the diagram was not drawn again"
    for seen in drawn:
        (error_label, w5_label), (error, shown_w5) = seen["diagram"], seen["readout"]
        assert error_label.endswith(f" = {float(error):.4g}") and w5_label == f"w5 = {float(shown_w5):.4g}", (
            f"the diagram and the read-out drifted apart: {seen}"
        )
    assert drawn[-1]["readout"][1] == w5


def points(panel):
    """How many points each live curve has (the loss, then every parameter's)."""
    return panel.locator(".course-curves polyline").evaluate_all("ls => ls.map(l => Number(l.dataset.points))")


def test_lesson_07s_panel_steps_trains_resets_fits_a_laptop_and_leads_to_its_exercise(page, lab):
    panel = run_lesson_panel(page, lab, "notebooks/07-mazur.ipynb")
    check_fits(page, panel, "mazur")
    message = panel.locator(".course-message")
    mazur = networks.get("mazur")
    assert_readout_is(panel, mazur, "at the start")

    one, two = mazur.step(), mazur.step().step()
    panel.locator(".course-step").click()
    wait_until(lambda: "Step 1" in message.inner_text(), "no Step 1 after Step")
    assert_readout_is(panel, one, "after one Step")
    w5 = panel.locator(".course-diagram [data-label='w5']")
    assert w5.get_attribute("data-text") == f"w5 = {mazur.given()['w5']:.4g} → {one.given()['w5']:.4g}"
    panel.locator(".course-step").click()
    wait_until(lambda: "Step 2" in message.inner_text(), "the step count does not count: no Step 2")
    assert_readout_is(panel, two, "after two Steps")
    time.sleep(2)  # the browser's echo of the sliders, rounded to their step, must not undo the steps
    assert "Step 2" in message.inner_text()
    assert_readout_is(panel, two, "2 s after two Steps")
    assert points(panel) == [3] * (1 + len(mazur.notation.parameter_names()))

    panel.locator(".course-train").click()
    wait_until(lambda: "Trained" in message.inner_text(), "Train N did not train")
    trained = two.with_values({}, network=two.train(STEPS).network)
    assert_readout_is(panel, trained, f"after Train {STEPS}")
    time.sleep(1)
    assert points(panel) == [STEPS + 3] * (1 + len(mazur.notation.parameter_names())), "the curves lack steps"
    assert_readout_is(panel, trained, f"1 s after Train {STEPS}")

    panel.locator(".course-slider-tabs .lm-TabBar-tab", has_text="output").click()
    handle = panel.locator(".course-slider-w5 .noUi-handle")
    handle.focus()
    watch_diagram_and_readout(panel)
    page.keyboard.press("ArrowRight")  # a learner's own move after training: a new run from there
    moved = round(round(trained.given()["w5"], 2) + 0.01, 2)
    wait_until(lambda: readout(panel)["w5"] == f"{moved:.9g}", "the slider's move did not change w5")
    assert_readout_is(panel, trained.with_values({"w5": moved}), "after a slider move")
    assert_diagram_and_readout_changed_together(page, f"{moved:.9g}")
    wait_until(lambda: points(panel)[0] == 1, "a slider move after training did not start a new run")

    panel.locator(".course-reset").click()
    wait_until(lambda: message.inner_text().strip() == "", "Reset did not reset")
    assert_readout_is(panel, mazur, "after Reset")
    assert points(panel)[0] == 1
    panel.locator(".course-train").click()
    wait_until(lambda: "Trained" in message.inner_text(), "Train N did not train after Reset")
    wait_until(lambda: points(panel)[0] == STEPS + 1, f"the curves do not have {STEPS + 1} points after Train")
    assert_readout_is(panel, mazur.with_values({}, network=mazur.train(STEPS).network), "after Reset, Train")

    # A long run: the curves follow it as it trains (the steps drawn, as they arrive in the page). Long
    # enough to last a second or more (the curves are sent every SHOW_EVERY = 0.1 s): a page busy on a
    # loaded machine draws only the latest of the messages that arrived in one frame.
    long = 60000
    curves = panel.locator(".course-curves").first
    curves.evaluate("""c => { window.__steps = [];
        new MutationObserver(() => window.__steps.push(Number(c.dataset.steps)))
            .observe(c, {attributes: true, attributeFilter: ['data-steps']}); }""")
    steps = panel.locator(".course-steps input")
    steps.fill(str(long))
    steps.press("Enter")
    panel.locator(".course-train").click()
    wait_until(lambda: f"Trained {long}" in message.inner_text(), f"Train {long} did not train", timeout=120)
    wait_until(lambda: page.evaluate("() => window.__steps.at(-1)") == STEPS + long, "the curves lack the run")
    seen = page.evaluate("() => window.__steps")
    assert len([s for s in seen if STEPS < s < STEPS + long]) >= 2, f"the curves did not follow the run: {seen}"

    exercise_from_its_lesson(page, lab)  # and on to the exercise, by the lesson's link


def test_lesson_09s_four_layer_panel_fits_a_laptop(page, lab):
    panel = run_lesson_panel(page, lab, "notebooks/09-four-layers.ipynb")
    check_fits(page, panel, "four-layers")
    assert_readout_is(panel, networks.get("four-layers"), "lesson 09 at the start")


# -- 4. the exercise, from its lesson ----------------------------------------------------------------


def set_cell(page, index, source):
    """Replace the source of code cell ``index`` and run it (Control+Enter keeps the notebook's cells as they are)."""
    cell = page.locator(f"{NOTEBOOK} .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(source)
    page.keyboard.press("Control+Enter")


def exercise_from_its_lesson(page, lab):
    """From lesson 07 (open), its link to exercise 07: a wrong, then a right answer typed and checked."""
    link = page.locator(f"{NOTEBOOK} a[href*='exercises/07-mazur.ipynb']").first
    link.scroll_into_view_if_needed()
    link.click()
    wait_until(lambda: kernel_of(lab, "exercises/07-mazur.ipynb") is not None, "the lesson's link did not open it")
    wait_for_kernel(page, lab, "exercises/07-mazur.ipynb")
    assert not page.locator(".jp-Dialog").count()
    run_cell(page, "answers = Answers(example)")
    run_cell(page, 'check_answers(example, answers, "forward")')  # not attempted yet
    cells = page.locator(f"{NOTEBOOK} .jp-Cell")
    sources = cells.evaluate_all("cells => cells.map(c => c.textContent)")
    answers = next(i for i, text in enumerate(sources) if "answers.net_h1 = ..." in text)
    check = answers + 1
    output = cells.nth(check).locator(".course-selfcheck")

    def verdict_after(value):
        row = output.locator("tr", has_text="net_h1")
        before = row.inner_text()
        set_cell(page, answers, f"answers.net_h1 = {value}")
        cells.nth(check).locator(".jp-InputArea").click()
        page.keyboard.press("Control+Enter")
        wait_until(lambda: row.count() and row.inner_text() != before, f"no new verdict for net_h1 = {value}")
        return row.inner_text()

    assert "incorrect" in verdict_after("0.412")
    verdict = verdict_after("0.3775")
    assert "correct" in verdict and "incorrect" not in verdict


def test_the_errata_tables_fit_a_laptop_and_are_typeset(page, lab):
    """Lesson 06's tables of the retelling's 21 errata, at 1366x768: every formula typeset, nothing overflowing.

    Found in the browser: a table that grew wider than the page, long formulas that ran into the next column,
    and a cell (the unknown weight "w16") that showed nothing at all.  The tables are checked outputs, stored in
    the lesson: this is what a learner sees on opening it (and what Run All draws again, as nbval checks).
    """
    page.set_viewport_size({"width": 1366, "height": 768})
    open_notebook(page, lab, f"notebooks/{ERRATA_LESSON}")
    tables = page.locator(f"{NOTEBOOK} .course-errata table")
    wait_until(lambda: tables.count() == 5, "lesson 06 should show its errata in five tables")
    rows = page.locator(f"{NOTEBOOK} .course-errata tbody tr")
    assert rows.count() == 25  # 21 wrong items and 4 lines printed right

    def typeset():  # MathJax replaces every $...$ by an element of its own
        raw = page.locator(f"{NOTEBOOK} .course-errata td").evaluate_all(
            "cells => cells.filter(c => c.textContent.includes('$')).length"
        )
        return raw == 0 and page.locator(f"{NOTEBOOK} .course-errata mjx-container").count() > 100

    wait_until(typeset, "the formulas of the errata tables were not typeset", timeout=60)
    too_wide = tables.evaluate_all(
        "tables => tables.filter(t => t.getBoundingClientRect().width > "
        "t.closest('.jp-OutputArea-output').getBoundingClientRect().width + 1).length"
    )
    assert too_wide == 0, f"{too_wide} errata tables are wider than the notebook's output area"
    overflowing = page.locator(f"{NOTEBOOK} .course-errata td").evaluate_all(
        "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.slice(0, 60))"
    )
    assert not overflowing, f"these cells of the errata tables overflow into the next column: {overflowing}"
    w16 = page.locator(f"{NOTEBOOK} .course-selfcheck", has_text="no quantity called 'w16'")
    assert w16.count() == 1, "the cell that checks the text's unknown weight w16 shows no answer"


def test_an_exercise_reads_the_digits_as_typed_and_shows_a_learners_error_in_their_lines(page, lab):
    open_notebook(page, lab, "exercises/07-mazur.ipynb")
    run_cell(page, "answers = Answers(example)")
    cells = page.locator(f"{NOTEBOOK} .jp-Cell")
    sources = cells.evaluate_all("cells => cells.map(c => c.textContent)")
    answers = next(i for i, text in enumerate(sources) if "answers.net_h1 = ..." in text)
    # 0.5930 arrives in Python as 0.593; the check reads the cell's text, so its fourth figure counts (and is off)
    set_cell(page, answers, "answers.out_h1 = 0.5930\nanswers.neth2 = 0.3925\n")
    cells.nth(answers + 1).locator(".jp-InputArea").click()
    page.keyboard.press("Control+Enter")
    row = cells.nth(answers + 1).locator(".course-selfcheck tr", has_text="out_h1")
    wait_until(lambda: row.count() and "Close" in row.inner_text(), "0.5930 was not read with its fourth figure")
    assert "0.5930" in row.inner_text() and "incorrect" in row.inner_text()
    typo = cells.nth(answers + 1).locator(".course-selfcheck tr", has_text="neth2")
    assert "did you mean net_h2" in typo.inner_text()  # a misspelt name is reported in the staged check
    code = next(i for i, text in enumerate(sources) if "def backward" in text)
    check = next(i for i, text in enumerate(sources) if "check_backward(example, backward)" in text)
    set_cell(page, code, "def backward(network, x, target):\nreturn (x - target) * outs\n")
    cells.nth(check).locator(".jp-InputArea").click()
    page.keyboard.press("Control+Enter")
    result = cells.nth(check).locator(".course-codecheck")
    wait_until(lambda: result.count() and "NameError" in result.inner_text(), "the learner's error was not shown")
    text = result.inner_text()
    assert re.search(r"Cell In\[\d+\], line 2, in backward", text) and "return (x - target) * outs" in text
    assert "course_lib" not in text and "Traceback" not in text
