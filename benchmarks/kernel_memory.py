"""How much memory does a learner need? The kernel's resident memory (RSS) after each lesson and exercise.

Each notebook of notebooks/ and exercises/ runs top to bottom (nbclient, as Restart & Run All does) in a
kernel of its own, started fresh from this environment; then the kernel's resident set size is read from
outside (psutil), with its peak during the run (the kernel's own ru_maxrss). The peer, measured in the same
run, is a bare kernel that has only started. A JupyterLab server is measured too (started on a free port on
127.0.0.1, with nothing open), since a hub gives every learner a server and one kernel per open notebook.

Each figure is in MiB (2**20 bytes). The last line printed is one JSON object with every figure, so that
runs can be compared over time; docs/instructor-guide.md sizes a hub from it.
Run:  make bench   (or  python benchmarks/kernel_memory.py [--quick] [NOTEBOOK ...])
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
MIB = 2**20
# The kernel's peak RSS in MiB, as the kernel sees it (ru_maxrss: KiB on Linux, bytes on macOS).
PEAK = (
    "import resource, sys\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** (20 if sys.platform == 'darwin' else 10))"
)


def measure(path=None, timeout=600):
    """Run the notebook at ``path`` in a fresh kernel, in the notebook's folder (or nothing); memory in MiB."""
    notebook = nbformat.read(path, as_version=4) if path else nbformat.v4.new_notebook()
    folder = path.parent if path else ROOT / "notebooks"
    client = NotebookClient(
        notebook, timeout=timeout, allow_errors=True, kernel_name="python3", resources={"metadata": {"path": folder}}
    )
    with client.setup_kernel():  # nbclient's own way to run cells one by one and keep the kernel afterwards
        started = time.perf_counter()
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - started
        rss = psutil.Process(client.km.provisioner.pid).memory_info().rss / MIB
        errors = sum(o.get("output_type") == "error" for c in notebook.cells for o in c.get("outputs", []))
        asked = nbformat.v4.new_code_cell(PEAK)
        notebook.cells.append(asked)
        client.execute_cell(asked, len(notebook.cells) - 1)
        peak = float(asked.outputs[0]["text"])
    return {
        "rss_mib": round(rss, 1),
        "peak_mib": round(max(peak, rss), 1),
        "seconds": round(seconds, 1),
        "errors": errors,
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_memory():
    """The RSS of a JupyterLab server of this environment, once it answers, with no notebook open (MiB)."""
    port, token = free_port(), secrets.token_hex(16)
    with tempfile.TemporaryDirectory() as home:
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1"]
        command += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={home}", "--allow-root"]
        env = dict(os.environ, JUPYTER_CONFIG_DIR=home, JUPYTER_RUNTIME_DIR=home, JUPYTERLAB_WORKSPACES_DIR=home)
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/lab?token={token}"  # the page a learner opens: it loads the extensions
            for _ in range(240):
                try:
                    urllib.request.urlopen(url, timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                raise RuntimeError("the JupyterLab server did not answer within 2 minutes")
            time.sleep(1)
            return round(psutil.Process(server.pid).memory_info().rss / MIB, 1)
        finally:
            server.terminate()
            server.wait(timeout=30)


def notebooks():
    exercises = [p for p in sorted((ROOT / "exercises").glob("*.ipynb")) if "-fresh" not in p.stem]
    return sorted((ROOT / "notebooks").glob("*.ipynb")) + exercises


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one notebook, no server: a smoke test")
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: every lesson and exercise)")
    args = parser.parse_args(argv)
    paths = args.paths or ([ROOT / "exercises" / "01-perceptron.ipynb"] if args.quick else notebooks())
    bare = measure()
    print(f"a bare kernel: {bare['rss_mib']:.0f} MiB")
    figures = {}
    for path in paths:
        m = measure(path.resolve())
        name = str(path.resolve().relative_to(ROOT))
        figures[name] = m | {"ratio_vs_bare_kernel": round(m["rss_mib"] / bare["rss_mib"], 2)}
        errors = f", {m['errors']} error(s)" if m["errors"] else ""
        print(
            f"{name:<40} RSS {m['rss_mib']:6.0f} MiB  peak {m['peak_mib']:6.0f} MiB  "
            f"{figures[name]['ratio_vs_bare_kernel']:.1f}x a bare kernel  ({m['seconds']:.0f} s{errors})"
        )
    largest = max(figures.values(), key=lambda m: m["peak_mib"])
    result = {"bare_kernel_mib": bare["rss_mib"], "largest_peak_mib": largest["peak_mib"], "notebooks": figures}
    if not args.quick:
        result["jupyterlab_server_mib"] = server_memory()
        print(f"a JupyterLab server, nothing open: {result['jupyterlab_server_mib']:.0f} MiB")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
