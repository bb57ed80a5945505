"""Execute the course's notebooks in place, so that nbval has fresh outputs to compare.

- ``solutions/``: every output is kept (the solutions are saved with outputs and tested with strict nbval);
- ``notebooks/`` (the lessons): only the outputs of cells tagged ``nbval-check-output`` are kept (the
  numbers nbval checks under ``--nbval-lax``); the rest is stored without outputs, for clean diffs.

In the lessons the kept cells are numbered 1, 2, ... and the others have no execution count; widget state is
never stored (model ids are random), nor are timings.
Run:  make notebooks   (or  python tools/run_notebooks.py [PATH ...])
"""

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
CHECKED = "nbval-check-output"


def keeps_all_outputs(path):
    """Solutions keep their outputs; lessons keep only the checked ones."""
    return path.resolve().parent.name == "solutions"


def execute(path, timeout=120):
    """Execute one notebook in its own folder and write it back; return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
        record_timing=False,
    )
    client.execute()
    seconds = time.perf_counter() - start
    notebook.metadata.pop("widgets", None)
    if not keeps_all_outputs(path):
        checked = 0
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            if CHECKED in cell.metadata.get("tags", []):
                checked += 1  # nbval skips a cell without a count as never run: number the kept ones 1, 2, ...
                cell.execution_count = checked
            else:
                cell.outputs, cell.execution_count = [], None
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = cell.execution_count
    nbformat.write(notebook, path)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks or folders (default: notebooks/ and solutions/)")
    args = parser.parse_args(argv)
    paths = args.paths or [ROOT / "notebooks", ROOT / "solutions"]
    notebooks = []
    for path in paths:
        notebooks += sorted(path.glob("*.ipynb")) if path.is_dir() else [path]
    for path in notebooks:
        seconds = execute(path)
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
