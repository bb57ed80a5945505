"""The course in a real browser: JupyterLab started as ``make lab`` starts it, driven in Debian's chromium.

Shared by the browser test (``tests/test_browser.py``) and the browser
benchmark (``benchmarks/browser_latency.py``):

- :func:`serve` starts JupyterLab with ``tools/lab.py``'s command on a folder
  (a copy of the course), with a fresh Jupyter profile, and yields the address
  it printed; it stops the server and its kernels afterwards;
- :func:`chromium` opens Debian's ``/usr/bin/chromium`` through Playwright
  (never a browser of Playwright's own, which would be downloaded);
- :func:`open_notebook`, :func:`wait_for_kernel` and :func:`run_cell` do what
  a learner does, waiting on the server's session API for the kernel.
"""

import contextlib
import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
LAPTOP = {"width": 1366, "height": 768}
# The notebook in the active tab: JupyterLab keeps other tabs in the page, hidden.
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"

_spec = importlib.util.spec_from_file_location("course_lab", Path(__file__).with_name("lab.py"))
lab_launcher = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lab_launcher)  # the command make lab runs


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(root, workdir, *, timeout=90):
    """JupyterLab serving ``root`` as ``make lab`` does, on 127.0.0.1, with its profile in ``workdir``.

    Yields ``{"url", "token", "printed", "base"}``: ``printed`` is the address JupyterLab printed (with
    its own token).  The learner's settings are fresh, but for one: the kernel starts without asking.
    """
    base = Path(workdir)
    env = dict(os.environ)
    fresh = ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR", "MPLCONFIGDIR")
    for name in fresh:
        env[name] = str(base / name.lower())
    notebook = base / "lab-settings" / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True, exist_ok=True)
    (notebook / "tracker.jupyterlab-settings").write_text(json.dumps({"autoStartDefaultKernel": True}))
    env["JUPYTERLAB_SETTINGS_DIR"] = str(base / "lab-settings")
    port = free_port()
    options = ["--no-browser", "--ip=127.0.0.1", f"--port={port}"]  # the token is JupyterLab's own, as printed
    log_path = base / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            lab_launcher.lab_command(root, python=sys.executable, options=options),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + timeout
            while not (printed := re.search(rf"{re.escape(url)}/\S*\?token=([0-9a-f]+)", log_path.read_text())):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; see {log_path}")
                time.sleep(0.5)
            yield {"url": url, "token": printed.group(1), "base": base, "printed": printed.group(0)}
        finally:  # always stop the server and its kernels
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def chromium(playwright, profile, viewport=LAPTOP):
    """A chromium context with a fresh profile in ``profile``, headless, at ``viewport`` (a laptop's)."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
        viewport=viewport,
    )


def api(lab, path):
    with urllib.request.urlopen(f"{lab['url']}{path}?token={lab['token']}", timeout=5) as response:
        return json.load(response)


def kernel_of(lab, path):
    """The server's record of the kernel of the notebook at ``path``, or None while it has none."""
    return next((s["kernel"] for s in api(lab, "/api/sessions") if s.get("path") == path and s.get("kernel")), None)


def wait_until(condition, message, timeout=30):
    """Poll ``condition()`` until it is true (widgets re-render their HTML, so element handles go stale)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.1)


def wait_for_kernel(page, lab, path):
    """Wait until the kernel of ``path`` is started, idle and connected to this page (and stays that kernel).

    Waiting on the server's session API rather than on the page: a cell run while the kernel is still
    connecting opens JupyterLab's "Select Kernel" dialog, and a click on it starts a second kernel.
    """
    page.wait_for_selector(f"{NOTEBOOK} .jp-Cell", state="attached")

    def kernel_ready():
        kernel = kernel_of(lab, path)
        return kernel is not None and kernel["execution_state"] == "idle" and kernel.get("connections", 0) >= 1

    wait_until(kernel_ready, f"the kernel of {path} did not start and connect", timeout=120)
    first = kernel_of(lab, path)["id"]
    time.sleep(1.5)
    assert kernel_of(lab, path)["id"] == first, f"JupyterLab replaced the kernel of {path} after it had started"
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", state="attached")
    page.wait_for_selector(".jp-Dialog", state="detached")  # no dialog asks anything


def open_notebook(page, lab, path):
    page.goto(f"{lab['url']}/lab/tree/{path}?token={lab['token']}&reset")  # reset: no tabs of an earlier page
    wait_for_kernel(page, lab, path)


def run_cell(page, text):
    """Run the first code cell whose source holds ``text`` (as a learner does, with Control+Enter)."""
    cells = page.locator(f"{NOTEBOOK} .jp-CodeCell")

    def found():
        sources = cells.evaluate_all("cs => cs.map(c => c.textContent)")
        return next((k for k, source in enumerate(sources) if text in source), None)

    # a notebook just opened may not have drawn its cells' text yet (seen on a busy machine): wait for it
    wait_until(lambda: found() is not None, f"no code cell holds {text!r}", timeout=60)
    index = found()
    prompt = cells.nth(index).locator(".jp-InputPrompt")
    cells.nth(index).scroll_into_view_if_needed()
    prompt.first.click()
    page.keyboard.press("Control+Enter")
    wait_until(lambda: re.search(r"\[\d+\]", prompt.inner_text()), f"the cell with {text!r} did not run", timeout=120)
    idle = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
    wait_until(lambda: page.locator(idle).count() > 0, "the kernel stayed busy", timeout=120)
