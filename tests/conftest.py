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
