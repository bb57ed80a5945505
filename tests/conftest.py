"""Shared test set-up."""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Mark a test whose call failed, so that fixtures can save evidence (the browser test's screenshot)."""
    outcome = yield
    if call.when == "call" and outcome.get_result().failed:
        item.failed = True
