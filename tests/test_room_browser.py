"""The room's dashboard in a real browser (Playwright driving Debian's chromium, as the course's browser test).

Opens the instructor's link at 1366x768, lets a simulated room report through the real client, and
watches the counts change on the page, live (the page is never reloaded); then the projector mode.
Screenshots of both are saved in ``test-artifacts/`` (room-dashboard.png, room-dashboard-projector.png).
"""

import os
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"

if not CHROMIUM.exists():
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail("COURSE_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing", pytrace=False)
    pytest.skip("the dashboard's browser test needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")
pytest.importorskip("starlette")

from course_lib import check_answers, networks  # noqa: E402
from course_lib.room import Room  # noqa: E402


@pytest.fixture
def page(tmp_path, request):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
        )
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            yield page
        finally:
            if getattr(request.node, "failed", False):
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
            browser.close()


def fits(page):
    """True when neither the page nor any exercise's table is wider than the window."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= innerWidth && [...document.querySelectorAll('section.exercise')]"
        ".every(s => s.scrollWidth <= s.clientWidth && s.querySelector('table').getBoundingClientRect().right"
        " <= s.getBoundingClientRect().right)"
    )


def red_share(page):
    """The share of net_h1's bar that is red (incorrect), as drawn."""
    bar = page.locator("tr[data-quantity='net_h1'] .stack")
    return bar.locator(".incorrect").bounding_box()["width"] / bar.bounding_box()["width"]


def cell(page, quantity, verdict):
    return page.locator(
        f"section[data-exercise='07-mazur'] tr[data-quantity='{quantity}'] td[data-verdict='{verdict}']"
    )


def test_the_dashboard_shows_the_room_live_and_large_for_the_projector(room_server, page, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_ROOM_STATE", str(tmp_path / "pseudonyms.json"))
    room = room_server.new_room("Browser test")
    page.goto(f"{room.url}/rooms/{room.code}/?token={room.token}")
    assert "token=" not in page.url, "the key leaves the address bar"
    page.wait_for_selector("#live.on")
    assert "No self-check reported yet" in page.inner_text("#exercises")
    page.evaluate("window.notReloaded = true")

    example = networks.get("mazur")
    exact = example.quantities()
    learners = [Room(room.url, room.code, pseudonym=f"{k:016x}") for k in range(12)]
    no_bias = exact["net_h1"] - exact["v11"]  # the bias left out: a mistake the self-check names
    wrong = check_answers(example, {"net_h1": no_bias, "out_h1": exact["out_h1"]})
    assert wrong["net_h1"].mistake == "bias-left-out"
    right = check_answers(example, {"net_h1": exact["net_h1"], "out_h1": exact["out_h1"]})
    for k, learner in enumerate(learners):
        learner.listener(example, wrong if k < 7 else right)
    for learner in learners:
        assert learner.flush(20), learner.status()
    page.wait_for_function(
        "document.querySelector(\"tr[data-quantity='net_h1'] td[data-verdict='incorrect']\")?.textContent === '7'"
    )
    assert cell(page, "net_h1", "correct").inner_text() == "5"
    assert page.inner_text("#learners") == "12" and page.inner_text("#reports") == "24"
    assert "Bias left out" in page.inner_text("#mistakes") and "7" in page.inner_text("#mistakes li")
    stuck = page.inner_text("#stuck li")
    assert stuck.startswith("7 on net_h1") and "Exercise 07: The 2-2-2 network" in stuck
    before = page.inner_text("#stuck .time")
    time.sleep(2.2)
    assert page.inner_text("#stuck .time") != before, "the 'stuck for' times count on by themselves"

    for learner in learners[:4]:  # four of the seven find their mistake
        learner.listener(example, right)
    for learner in learners:
        assert learner.flush(20)
    page.wait_for_function(
        "document.querySelector(\"tr[data-quantity='net_h1'] td[data-verdict='incorrect']\")?.textContent === '3'"
    )
    assert cell(page, "net_h1", "correct").inner_text() == "9"
    assert page.evaluate("window.notReloaded") is True, "updated live, not by reloading the page"

    ARTIFACTS.mkdir(exist_ok=True)
    assert fits(page), "nothing runs off the side at 1366x768"
    assert abs(red_share(page) - 3 / 12) < 0.02, "the bar shows the share of incorrect answers"
    page.screenshot(path=str(ARTIFACTS / "room-dashboard.png"))

    page.click("#projector")
    assert page.evaluate("document.body.classList.contains('projector')") and page.url.endswith("#projector")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#stuck li')).fontSize)")
    assert size >= 24, f"projector type is large ({size}px)"
    assert page.locator("#close").is_hidden(), "no close button on the projector"
    assert page.locator("#join").is_visible(), "learners can read the join line off the projector"
    assert page.locator("tr[data-quantity='out_h1']").is_hidden(), "steps everybody has right are left out"
    bar = page.locator("tr[data-quantity='net_h1'] .stack").bounding_box()
    assert bar["width"] > 150 and abs(red_share(page) - 3 / 12) < 0.02, f"the bar keeps its width ({bar})"
    assert page.inner_text("#projector") == "Normal view"
    assert fits(page), "nothing runs off the side on the projector"
    page.screenshot(path=str(ARTIFACTS / "room-dashboard-projector.png"))
    page.keyboard.press("p")
    assert not page.evaluate("document.body.classList.contains('projector')")

    for learner in learners:
        learner.close()


def test_the_dashboard_counts_one_learner_in_the_singular(room_server, page, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_ROOM_STATE", str(tmp_path / "pseudonyms.json"))
    room = room_server.new_room("One learner")
    page.goto(f"{room.url}/rooms/{room.code}/?token={room.token}")
    page.wait_for_selector("#live.on")
    example = networks.get("mazur")
    learner = Room(room.url, room.code, pseudonym="0" * 16)
    learner.listener(example, check_answers(example, {"net_h1": example.quantities()["net_h1"]}))
    assert learner.flush(20), learner.status()
    page.wait_for_function("document.querySelector('#learners').textContent === '1'")
    figures = page.inner_text(".figures").splitlines()
    assert "1 learner" in figures and "1 verdict reported" in figures, figures
    assert page.inner_text("section[data-exercise='07-mazur'] h2").endswith("· 1 learner"), "the exercise's count too"
