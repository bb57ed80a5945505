"""The worksheets printed by a real browser, offline: Debian's chromium (through Playwright) prints them to A4 PDF.

Checks what an instructor would look at: no request leaves the page, the formulas are typeset (worksheet 01's
C = 1/2 (y_hat - y)^2 as a fraction and a superscript, laid out in the browser), the page count, no page that
holds only a heading, and each part's heading on the same page as its first answer row.
Needs /usr/bin/chromium, like tests/test_browser.py (skipped without it, except where COURSE_REQUIRE_BROWSER=1).
"""

import importlib.util
import os
import re
import shutil
from pathlib import Path
from typing import NamedTuple

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
# The most pages each worksheet may take on A4 (34 pages for worksheets 01-07 before the rewrite; 21 now).
PAGES = {"01-perceptron": 2, "07-mazur": 5}

if not CHROMIUM.exists():
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail("COURSE_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing", pytrace=False)
    pytest.skip("printing the worksheets needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
pypdf = pytest.importorskip("pypdf")

_spec = importlib.util.spec_from_file_location("make_worksheets", ROOT / "tools" / "make_worksheets.py")
ws = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ws)


def print_page(browser, path, pdf):
    """Open ``path`` with every request but its own blocked; return what the page shows, the requests, the PDF."""
    context = browser.new_context()
    requests = []

    def block(route):
        requests.append(route.request.url)
        route.abort()

    context.route("**/*", block)
    context.route(path.as_uri(), lambda route: route.continue_())  # routes added later are tried first
    try:
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        seen = page.evaluate(IN_THE_PAGE)
        page.pdf(path=str(pdf), prefer_css_page_size=True)  # the page asks for A4
    finally:
        context.close()
    reader = pypdf.PdfReader(pdf)
    sizes = [(round(float(page.mediabox.width)), round(float(page.mediabox.height))) for page in reader.pages]
    return seen, requests, Printed([page.extract_text() for page in reader.pages], sizes), pdf


class Printed(NamedTuple):
    """A PDF as the tests read it: the text of each page (pypdf) and each page's size in points."""

    texts: list
    sizes: list


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Each worksheet of PAGES, made, opened and printed to PDF."""
    folder = tmp_path_factory.mktemp("print")
    results = {}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            for name in PAGES:
                source = ROOT / "exercises" / f"{name}.ipynb"
                exercise = nbformat.read(source, as_version=4)
                path = folder / f"{name}.html"
                path.write_text(ws.page(exercise, ws.example_of(source)), encoding="utf-8")
                results[name] = print_page(browser, path, folder / f"{name}.pdf")
        finally:
            browser.close()
    return results


@pytest.fixture(autouse=True)
def keep_the_pdfs_of_a_failure(request, printed):
    yield
    if getattr(request.node, "failed", False):
        ARTIFACTS.mkdir(exist_ok=True)
        for _, _, _, pdf in printed.values():
            shutil.copy(pdf, ARTIFACTS / pdf.name)


# Runs in the page: what a reader sees, and the layout of worksheet 01's cost formula as the browser drew it.
IN_THE_PAGE = r"""() => {
  const text = document.body.innerText;
  const formula = [...document.querySelectorAll(".math.display")].find(
    m => m.dataset.tex.startsWith("C = \\frac{1}{2}\\left(\\hat y - y\\right)^2"));
  let layout = null;
  if (formula) {
    const svg = formula.querySelector("svg");
    const box = svg.getBoundingClientRect();
    const glyphs = [...svg.querySelectorAll("path")].map(g => g.getBBox()).sort((a, b) => a.x - b.x);
    const rules = [...svg.querySelectorAll("rect")].map(r => r.getBBox());
    layout = {width: box.width, height: box.height, glyphs: glyphs.map(g => [g.x, g.y, g.width, g.height]),
              rules: rules.map(r => [r.x, r.y, r.width, r.height])};
  }
  return {text, scripts: document.scripts.length, formulas: document.querySelectorAll(".math svg").length, layout};
}"""


def test_nothing_is_loaded_from_anywhere_but_the_page(printed):
    for name, (seen, requests, _, _) in printed.items():
        assert requests == [], f"{name} asked for {requests}"
        assert seen["scripts"] == 0


def test_no_formula_is_left_as_latex_or_a_mathjax_error(printed):
    for name, (seen, _, pdf, _) in printed.items():
        pdf_text = "".join(pdf.texts)
        for text in (seen["text"], pdf_text):
            for raw in ("$", "\\frac", "\\hat", "Math Processing Error", "MathJax"):
                assert raw not in text, f"{name}: {raw!r} shown"
        assert seen["formulas"] > 10


def test_worksheet_01_shows_its_cost_formula_typeset(printed):
    layout = printed["01-perceptron"][0]["layout"]
    assert layout, "worksheet 01 has no displayed formula C = 1/2 (y_hat - y)^2"
    assert layout["width"] > 2 * layout["height"] > 0
    glyphs, (rule,) = layout["glyphs"], layout["rules"]  # one fraction, so one fraction rule
    assert len(glyphs) == len("C=12(yˆ−y)2.")
    x, y, width, height = rule

    def over_the_rule(g):
        return g[0] >= x - 1 and g[0] + g[2] <= x + width + 1

    above = [g for g in glyphs if over_the_rule(g) and g[1] + g[3] <= y]
    below = [g for g in glyphs if over_the_rule(g) and g[1] >= y + height]
    assert len(above) == 1 and len(below) == 1, "1 over 2 is not set as a fraction"
    *_, square, stop = glyphs  # left to right: ... ) 2 .
    assert square[1] + square[3] < -3, "the 2 of the square is not raised above the baseline"  # baseline: y = 0
    assert abs(stop[1] + stop[3]) < 1, "the full stop does not sit on the baseline"


def test_a4_pages_few_of_them_none_nearly_empty(printed):
    for name, (_, _, pdf, _) in printed.items():
        assert 1 <= len(pdf.texts) <= PAGES[name], f"{name}: {len(pdf.texts)} pages"
        for number, (text, size) in enumerate(zip(pdf.texts, pdf.sizes), start=1):
            assert size == (595, 842), f"{name} page {number} is not A4"
            assert len(text) > 300, f"{name} page {number} holds almost nothing"


def test_every_heading_is_on_the_page_of_its_first_answer_row(printed):
    pdf = printed["07-mazur"][2]
    pages = [re.sub(r"\s+", " ", text) for text in pdf.texts]
    exercise = nbformat.read(ROOT / "exercises" / "07-mazur.ipynb", as_version=4)
    checked = 0
    for questions, keys in ws.sections(exercise):
        heading = None
        for what, content in ws.split_questions(questions, keys):
            if what == "text":
                headings = re.findall(r"^#+ +(.+)$", content, re.MULTILINE)
                heading = headings[-1] if headings else heading
            elif heading:
                key = content[0][0]
                on = [i for i, text in enumerate(pages) if heading in text]
                assert on, f"heading {heading!r} not found"
                assert key in pages[on[0]], f"{heading!r} is on page {on[0] + 1}, its first row ({key}) is not"
                heading, checked = None, checked + 1
    assert checked >= 5
