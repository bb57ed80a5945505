"""Open the course in JupyterLab: the whole course served, the first lesson open.

    python tools/lab.py [jupyter lab options, e.g. --no-browser --ip=0.0.0.0 --port=8888]

``make lab`` runs this, and the browser test starts its server with the same
command (:func:`lab_command`), so that the test sees what a learner gets:

- the server's root is the repository, so ``notebooks/`` and ``exercises/`` are
  both reachable (a lesson's link to its exercise works);
- the address JupyterLab prints opens ``notebooks/00-start-here.ipynb``
  directly: a learner under WSL, over SSH or in a container, for whom no
  browser opens, pastes it into their own;
- the course's JupyterLab settings (no news pop-up) are in the environment
  (:func:`install_settings`; ``make lab`` installs them with the
  environment, and this script checks they are there).
"""

import filecmp
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = "notebooks/00-start-here.ipynb"
SETTINGS = ROOT / "lab-settings" / "overrides.d" / "course-lib.json"


def lab_command(root=ROOT, *, python=sys.executable, options=()):
    """The command that serves ``root`` (the course's folder) and opens its first lesson, as a list."""
    command = [
        python,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url=/lab/tree/{START}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root in a container: Jupyter refuses without this
        command.append("--allow-root")
    return command + list(options)


def settings_path(prefix=sys.prefix):
    """Where JupyterLab reads the course's settings in the environment at ``prefix``."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / SETTINGS.name


def install_settings(prefix=sys.prefix):
    """Put the course's JupyterLab settings into the environment; return True if they were missing or old."""
    target = settings_path(prefix)
    if target.exists() and filecmp.cmp(SETTINGS, target, shallow=False):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SETTINGS, target)
    return True


def main(argv):
    if argv == ["--install-settings"]:
        install_settings()
        return 0
    if not (ROOT / START).exists():
        print(f"{START} is missing: run this from a copy of the course", file=sys.stderr)
        return 1
    install_settings()
    command = lab_command(options=argv)
    print(f"Serving the course in {ROOT}; JupyterLab opens {START} (the address is printed below).", flush=True)
    os.execv(command[0], command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
