"""Shared test set-up."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A learner's copy of the course has no solutions/: the room branch, the zip and the nbgitpuller link of
# docs/instructor-guide.md all leave it out. There, the tests marked `maintainer` (they check the course's
# own sources, e.g. that exercises/ is generated from solutions/) are skipped, saying why.
LEARNERS_COPY = not any((ROOT / "solutions").glob("*.ipynb"))


def pytest_collection_modifyitems(config, items):
    if LEARNERS_COPY:
        skip = pytest.mark.skip(reason="a learner's copy (no solutions/): this test checks the course's sources")
        for item in items:
            if "maintainer" in item.keywords:
                item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Mark a test whose call failed, so that fixtures can save evidence (the browser test's screenshot)."""
    outcome = yield
    if call.when == "call" and outcome.get_result().failed:
        item.failed = True


@pytest.fixture
def figures(request):
    """Lines of measured figures (the room's load test): printed at the end of the run, after the results."""
    lines = request.config.stash.setdefault(_FIGURES, [])
    return lines.append


_FIGURES = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, config):
    lines = config.stash.get(_FIGURES, [])
    if lines:
        terminalreporter.section("measured figures")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def room_server(tmp_path_factory):
    """One room server (SQLite) for the room's tests; each test opens its own room in it (``new_room``)."""
    pytest.importorskip("starlette")
    from room_helpers import RoomServer

    folder = tmp_path_factory.mktemp("room-server")
    server = RoomServer(f"sqlite:///{folder / 'room.sqlite'}", folder)
    yield server
    server.stop()
