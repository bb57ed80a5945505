"""Shared test set-up."""

import pytest


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
