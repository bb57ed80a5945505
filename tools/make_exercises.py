#!/usr/bin/env python3
"""Generate the learners' notebooks in exercises/ from the complete notebooks in solutions/.

A solution notebook is the single source of truth; its exercise copy is made by this script and never
edited by hand (as with nbgrader, otter-grader or fastbook's clean/). What the script changes:

1. Code cells: a region between a line ``### BEGIN SOLUTION`` and a line ``### END SOLUTION`` becomes
   two lines at the marker's indentation, ``# YOUR CODE HERE`` and ``raise NotImplementedError(...)``.
   A region must sit inside a function body, so that the exercise still runs from top to bottom:
   a region at the top level of a cell (or directly in a class body) is an authoring error.
2. Code cells: every assignment ``answers.NAME = VALUE`` or ``answers["NAME"] = VALUE`` keeps its
   target and any trailing comment but its value becomes ``...`` (no marker needed); the same holds for
   any other variable the notebook binds to ``Answers(...)``, e.g. ``mine = Answers(problem)``.
3. Markdown cells: ``<!-- BEGIN SOLUTION -->`` ... ``<!-- END SOLUTION -->`` becomes ``*Write your answer here.*``.
4. Cells tagged ``solution-only`` are left out.
5. Outputs, execution counts and volatile metadata (widget state, timings, full language_info) are
   dropped; cell ids are kept, so a change to one solution cell is a change to one exercise cell.
   The copy records in metadata["course"] the solution it came from and a SHA-256 of its own cell
   types and sources.

A learner's work is never lost: if an exercise's cells no longer match the hash it recorded (a
learner has edited it), the script will not overwrite it unless given --force, and then it first
copies it to backups/NAME.YYYYmmdd-HHMMSS.ipynb, a folder beside exercises/ that JupyterLab shows
and that git ignores nothing in (so ``git clean -fdX`` keeps it). With --check it writes nothing and
exits with 1 when an exercise is missing, stale or has no solution (outputs are ignored), 0 otherwise.

With --fresh it writes a blank copy of each named exercise beside the learner's own, as
NAME-fresh.ipynb (NAME-fresh-2.ipynb, ... if that exists), and touches nothing else. The blank copy
is made from the solution when there is one; in a learner's copy of the course (which has no
solutions/) it is the exercise as it was handed out, found in git's history (a clone or an
nbgitpuller link) or, if it was never edited, the exercise itself.

Messages give their advice as commands that work as printed: ``make ...`` when run by the Makefile
(``make exercises FORCE=1 EXERCISE=07-mazur``, ``make fresh EXERCISE=07-mazur``), this script's
options otherwise.

Cells are numbered from 1, counting every cell of the solution notebook, in messages.

    python tools/make_exercises.py [--check | --force | --fresh] [--solutions DIR] [--exercises DIR] [NAME ...]
"""

import argparse
import ast
import copy
import hashlib
import itertools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
BACKUP_FOLDER = "backups"  # beside exercises/: visible in JupyterLab, not ignored by git
FRESH = re.compile(r"-fresh(-\d+)?$")  # NAME-fresh.ipynb, NAME-fresh-2.ipynb: blank copies a learner asked for

SOLUTION_ONLY_TAG = "solution-only"
YOUR_CODE_HERE = "# YOUR CODE HERE"
RAISE_LINE = 'raise NotImplementedError("write this part yourself")'
YOUR_ANSWER_HERE = "*Write your answer here.*"

# Notebook metadata that changes whenever a notebook is run or opened somewhere else.
VOLATILE_NOTEBOOK_METADATA = ("widgets", "vscode", "papermill", "varInspector")
# Cell metadata that records a run (timings) or the state of outputs that the exercise no longer has.
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")

_BEGIN = re.compile(r"^([ \t]*)### BEGIN SOLUTION[ \t]*$")
_END = re.compile(r"^[ \t]*### END SOLUTION[ \t]*$")
# Anything that an author probably meant as a marker (wrong number of #, lower case, extra words).
_LIKE_A_CODE_MARKER = re.compile(r"^[ \t]*#+[ \t]*(BEGIN|END)[ \t]+SOLUTION\b", re.IGNORECASE)
_MARKDOWN_REGION = re.compile(r"<!--[ \t]*BEGIN SOLUTION[ \t]*-->.*?<!--[ \t]*END SOLUTION[ \t]*-->", re.DOTALL)
_LIKE_A_MARKDOWN_MARKER = re.compile(r"<!--\s*(BEGIN|END)\s*SOLUTION\s*-->", re.IGNORECASE)
_ANSWER_LINE = re.compile(r"^[ \t]*answers[ \t]*[.\[]", re.MULTILINE)
_MAGIC = ("%", "!")


class AuthoringError(ValueError):
    """A solution notebook breaks one of the conventions; the message names the notebook and the cell."""


class UnknownNotebook(LookupError):
    """A NAME on the command line matches neither a solution nor an exercise."""


# ---------------------------------------------------------------------------------------------------
# One notebook: solution -> exercise


def python_view(source):
    """The cell's source with IPython magics (lines starting with % or !) turned into ``pass``.

    Line numbers and the columns of every other line are unchanged, so positions found by ``ast`` in
    this text are positions in the cell.
    """
    lines = source.split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(_MAGIC):
            lines[i] = line[: len(line) - len(stripped)] + "pass"
    return "\n".join(lines)


def replace_code_regions(source, where="this cell"):
    """Replace each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region by the two placeholder lines.

    Returns the new source and, for each region, the pair (line of its BEGIN marker in ``source``, line
    of its ``raise`` in the new source), both counted from 1.
    """
    out, regions = [], []
    begin = None  # (line number, indentation) of the open region
    for number, line in enumerate(source.split("\n"), start=1):
        if match := _BEGIN.match(line):
            if begin is not None:
                raise AuthoringError(
                    f"{where}, line {number}: '### BEGIN SOLUTION' inside the region opened on line {begin[0]} "
                    "(regions do not nest)"
                )
            begin = (number, match.group(1))
        elif _END.match(line):
            if begin is None:
                raise AuthoringError(
                    f"{where}, line {number}: '### END SOLUTION' with no '### BEGIN SOLUTION' before it"
                )
            indent = begin[1]
            out += [indent + YOUR_CODE_HERE, indent + RAISE_LINE]
            regions.append((begin[0], len(out)))
            begin = None
        elif _LIKE_A_CODE_MARKER.match(line):
            raise AuthoringError(
                f"{where}, line {number}: {line.strip()!r} looks like a solution marker but is not one; "
                "write exactly '### BEGIN SOLUTION' or '### END SOLUTION' on a line of its own"
            )
        elif begin is None:
            out.append(line)
    if begin is not None:
        raise AuthoringError(f"{where}, line {begin[0]}: '### BEGIN SOLUTION' is never closed by '### END SOLUTION'")
    return "\n".join(out), regions


def _scopes_of_raises(tree):
    """Map the line of every ``raise`` statement to the def, class or module it runs in."""
    scopes = {}

    def visit(node, scope):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Raise):
                scopes.setdefault(child.lineno, scope)
            is_scope = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            visit(child, child if is_scope else scope)

    visit(tree, tree)
    return scopes


def answer_objects(solution):
    """The names bound to ``Answers(...)`` anywhere in a solution notebook (always including ``answers``)."""
    names = {"answers"}
    for cell in solution.cells:
        if cell.cell_type != "code" or "Answers" not in cell.source:
            continue
        try:
            tree = ast.parse(python_view(cell.source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                function = node.value.func
                called = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
                if called == "Answers":
                    names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return frozenset(names)


def _is_answer(target, names=frozenset({"answers"})):
    """True for ``answers.NAME`` and ``answers["NAME"]`` (or another name of an ``Answers`` object)."""
    if not isinstance(target, ast.Attribute | ast.Subscript):
        return False
    if not (isinstance(target.value, ast.Name) and target.value.id in names):
        return False
    return isinstance(target, ast.Attribute) or (
        isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str)
    )


def _unpacks_into_answers(target, names):
    if isinstance(target, ast.Tuple | ast.List):
        return any(_is_answer(t, names) or _unpacks_into_answers(t, names) for t in target.elts)
    return isinstance(target, ast.Starred) and (
        _is_answer(target.value, names) or _unpacks_into_answers(target.value, names)
    )


def blank_answers(source, tree, where="this cell", names=frozenset({"answers"})):
    """Replace the value of every ``answers.NAME = VALUE`` in ``source`` (parsed as ``tree``) by ``...``.

    ``names`` are the variables that hold ``Answers`` objects (see :func:`answer_objects`).

    The target, the indentation and anything after the value on its last line (a comment) are kept.
    """
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        else:
            continue
        if any(_is_answer(t, names) for t in targets):
            value = node.value
            if not (isinstance(value, ast.Constant) and value.value is Ellipsis):
                # From the end of what precedes the value (the target, or the annotation) to the end of the
                # statement, which unlike the value's own end includes any closing parentheses.
                before = node.annotation if isinstance(node, ast.AnnAssign) else targets[-1]
                spans.append((before.end_lineno, before.end_col_offset, node.end_lineno, node.end_col_offset))
        elif any(_unpacks_into_answers(t, names) for t in targets):
            raise AuthoringError(
                f"{where}, line {node.lineno}: an answer is set by unpacking, so its value cannot be blanked; "
                "write one 'answers.NAME = VALUE' per line"
            )
    # ast's columns count UTF-8 bytes; replace from the end so that earlier positions stay valid.
    lines = [line.encode() for line in source.split("\n")]
    for first, start, last, end in sorted(spans, reverse=True):
        between = b"\n".join(lines[first - 1 : last])
        offset = len(b"\n".join(lines[first - 1 : last - 1])) + (1 if last > first else 0)
        equals = between.index(b"=", start)  # the first = after the target is the assignment's
        replaced = between[: equals + 1] + b" ..." + between[offset + end :]
        lines[first - 1 : last] = [replaced]
    return "\n".join(line.decode() for line in lines)


def exercise_code(source, where="this cell", names=frozenset({"answers"})):
    """The exercise version of a solution code cell's source (conventions 1 and 2).

    ``names`` are the variables that hold ``Answers`` objects in the notebook.
    """
    if "SOLUTION" not in source.upper() and not any(name in source for name in names):
        return source
    result, regions = replace_code_regions(source, where)  # first, so that marker errors are named as such
    try:
        ast.parse(python_view(source))
    except SyntaxError as error:
        if regions or _ANSWER_LINE.search(source):
            raise AuthoringError(
                f"{where}: the solution cell is not valid Python ({error.msg}, line {error.lineno}), "
                "so its solution regions and answers cannot be replaced safely"
            ) from None
        return source  # e.g. a %%bash cell that merely mentions the word answers
    try:
        tree = ast.parse(python_view(result))
    except SyntaxError as error:
        raise AuthoringError(
            f"{where}: without its solution regions the cell is not valid Python ({error.msg}, line {error.lineno}); "
            "put '### BEGIN SOLUTION' and '### END SOLUTION' around whole statements, indented like them"
        ) from None
    scopes = _scopes_of_raises(tree)
    for begin_line, raise_line in regions:
        scope = scopes.get(raise_line)
        if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            place = "directly in a class body" if isinstance(scope, ast.ClassDef) else "at the top level of the cell"
            raise AuthoringError(
                f"{where}, line {begin_line}: the solution region is {place}, not inside a function body; "
                "in the exercise its 'raise NotImplementedError' would run with the cell and stop Run All. "
                "Put the region inside a function, or tag the cell solution-only"
            )
    return blank_answers(result, tree, where, names)


def exercise_markdown(source, where="this cell"):
    """The exercise version of a solution markdown cell's source (convention 3)."""
    for number, line in enumerate(source.split("\n"), start=1):
        if _LIKE_A_CODE_MARKER.match(line):
            raise AuthoringError(
                f"{where}, line {number}: {line.strip()!r} in a markdown cell (it would show as a heading); "
                "use <!-- BEGIN SOLUTION --> and <!-- END SOLUTION --> in markdown"
            )
    result = _MARKDOWN_REGION.sub(YOUR_ANSWER_HERE, source)
    if leftover := _LIKE_A_MARKDOWN_MARKER.search(result):
        raise AuthoringError(
            f"{where}: {leftover.group(0)!r} is not part of a pair; "
            "write exactly <!-- BEGIN SOLUTION --> ... <!-- END SOLUTION -->"
        )
    return result


def clean_cell_metadata(metadata):
    """A cell's metadata without run timings and the display state of outputs."""
    kept = {k: copy.deepcopy(v) for k, v in metadata.items() if k not in VOLATILE_CELL_METADATA}
    if isinstance(kept.get("jupyter"), dict):
        kept["jupyter"].pop("outputs_hidden", None)
        if not kept["jupyter"]:
            del kept["jupyter"]
    return kept


def clean_notebook_metadata(metadata):
    """A notebook's metadata without widget state and other run-dependent parts; of language_info, the name."""
    kept = {k: copy.deepcopy(v) for k, v in metadata.items() if k not in VOLATILE_NOTEBOOK_METADATA}
    if "language_info" in kept:
        info = kept.pop("language_info")
        if isinstance(info, dict) and "name" in info:
            kept["language_info"] = {"name": info["name"]}
    return kept


def content_hash(nb):
    """SHA-256 of a notebook's cell types and sources: what a learner changes when they do an exercise."""
    cells = [[cell.cell_type, cell.source] for cell in nb.cells]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()


def recorded_hash(nb):
    """The hash an exercise recorded when it was generated, or None."""
    course = nb.metadata.get("course")
    return course.get("source_sha256") if isinstance(course, dict) else None


def _tags(cell):
    tags = cell.get("metadata", {}).get("tags", [])
    return tags if isinstance(tags, list) else []


def make_exercise(solution, name):
    """The exercise notebook made from a solution notebook (a NotebookNode) whose file name is ``name``."""
    cells = []
    names = answer_objects(solution)
    for number, cell in enumerate(solution.cells, start=1):
        if SOLUTION_ONLY_TAG in _tags(cell):
            continue
        where = f"{name}, cell {number}" + (f" (id {cell['id']!r})" if "id" in cell else "")
        new = copy.deepcopy(cell)
        if cell.cell_type == "code":
            new.source = exercise_code(cell.source, where, names)
            new.outputs = []
            new.execution_count = None
        elif cell.cell_type == "markdown":
            new.source = exercise_markdown(cell.source, where)
        new.metadata = nbformat.from_dict(clean_cell_metadata(cell.get("metadata", {})))
        if "id" not in new:  # a notebook saved before nbformat 4.5: give its cells stable ids
            new["id"] = hashlib.sha1(f"{name}:{number}".encode()).hexdigest()[:8]
        cells.append(new)
    exercise = nbformat.v4.new_notebook(cells=cells)
    exercise.nbformat_minor = max(5, solution.get("nbformat_minor", 5))
    metadata = clean_notebook_metadata(solution.metadata)
    course = dict(metadata.get("course", {})) if isinstance(metadata.get("course"), dict) else {}
    course.update(
        generated_from=name,
        generator="tools/make_exercises.py",
        source_sha256=content_hash(exercise),
    )
    metadata["course"] = course
    exercise.metadata = nbformat.from_dict(metadata)
    try:
        nbformat.validate(exercise)
    except nbformat.ValidationError as error:
        raise AuthoringError(f"{name}: the exercise would not be a valid notebook: {error.message}") from None
    return exercise


def render(nb):
    """The exact text written for a notebook: what nbformat.write writes (indent 1, sorted keys, final newline)."""
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def comparable(nb):
    """What --check compares: everything but outputs, execution counts and volatile metadata."""
    return {
        "metadata": clean_notebook_metadata(nb.get("metadata", {})),
        "cells": [
            {  # in the order difference() reports them
                "cell_type": cell.get("cell_type"),
                "source": cell.get("source"),
                "metadata": clean_cell_metadata(cell.get("metadata", {})),
                "attachments": cell.get("attachments"),
                "id": cell.get("id"),
            }
            for cell in nb.get("cells", [])
        ],
    }


def difference(expected, actual):
    """A short description of the first way ``actual`` differs from ``expected`` (per comparable), or None."""
    want, have = comparable(expected), comparable(actual)
    for number, (a, b) in enumerate(zip(want["cells"], have["cells"]), start=1):
        for key in a:
            if a[key] != b[key]:
                label = "tags" if key == "metadata" and a[key].get("tags") != b[key].get("tags") else key
                return f"cell {number}: {label.replace('_', ' ')} differs"
    if len(want["cells"]) != len(have["cells"]):
        return f"has {len(have['cells'])} cells, the generator makes {len(want['cells'])}"
    if want["metadata"] != have["metadata"]:
        return "notebook metadata differs"
    return None


# ---------------------------------------------------------------------------------------------------
# Folders


@dataclass
class Result:
    """What happened to one notebook, as one line of output."""

    name: str
    status: str  # generated, unchanged, refused, extra (generate); missing, stale, extra (check)
    path: Path
    detail: str = ""
    backup: Path | None = None

    def __str__(self):
        line = f"{self.status:<10} {_show(self.path)}"
        if self.backup is not None:
            line += f" (backed up the edited copy to {_show(self.backup)} first)"
        return line + (f": {self.detail}" if self.detail else "")


def _show(path):
    """A path relative to the working directory when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _notebooks(folder):
    """The exercise (or solution) notebooks of a folder by name; a learner's fresh copies are not among them."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {
        p.stem: p
        for p in sorted(folder.glob("*.ipynb"))
        if p.is_file() and not p.name.startswith(".") and not FRESH.search(p.stem)
    }


def _select(solutions_dir, exercises_dir, names):
    solutions, exercises = _notebooks(solutions_dir), _notebooks(exercises_dir)
    if not names:
        return solutions, exercises, sorted(solutions.keys() | exercises.keys())
    wanted = sorted({Path(n).name.removesuffix(".ipynb") for n in names})
    if unknown := [n for n in wanted if n not in solutions and n not in exercises]:
        raise UnknownNotebook(
            f"no notebook called {', '.join(unknown)} in {_show(solutions_dir)} or {_show(exercises_dir)}"
        )
    return solutions, exercises, wanted


def _build(solutions, wanted):
    """The exercise for each wanted solution; every authoring error of every notebook, or nothing."""
    built, errors = {}, []
    for name in wanted:
        if name not in solutions:
            continue
        path = solutions[name]
        try:
            solution = nbformat.read(path, as_version=4)
        except Exception as error:  # any unreadable notebook, whatever the reason
            errors.append(f"{path.name}: cannot be read as a notebook ({error})")
            continue
        try:
            built[name] = make_exercise(solution, path.name)
        except AuthoringError as error:
            errors.append(str(error))
    if errors:
        raise AuthoringError("\n".join(errors))
    return built


def _learner_edits(old_text, exercise):
    """Why the file's current content may be a learner's work, or None when it is safe to overwrite."""
    try:
        old = nbformat.reads(old_text, as_version=4)
    except Exception as error:  # an unreadable file may still hold work
        return f"it cannot be read as a notebook ({error})"
    current = content_hash(old)
    if current == exercise.metadata["course"]["source_sha256"]:
        return None  # its cells are already what would be written: nothing to lose
    recorded = recorded_hash(old)
    if recorded is None:
        return "it has no record of being generated, so it may hold a learner's work"
    if recorded != current:
        return "a learner has edited it since it was generated (its cells no longer match the hash it recorded)"
    return None


def backups_folder(exercises_dir):
    """Where backups of edited exercises go: ``backups/`` beside the exercises' folder."""
    return Path(exercises_dir).resolve().parent / BACKUP_FOLDER


def _write_new(folder, stem, suffix, data):
    """Write ``data`` to folder/STEM + SUFFIX, or STEM-2 + SUFFIX, ...: never over an existing file."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in itertools.count(1):
        target = folder / (stem + (f"-{n}" if n > 1 else "") + suffix)
        try:
            with open(target, "xb") as file:  # x: fails rather than overwrite
                file.write(data)
        except FileExistsError:
            continue
        return target


def backup(path, now=None, folder=None):
    """Copy ``path`` to backups/NAME.YYYYmmdd-HHMMSS.ipynb (``folder``), never over an earlier backup."""
    folder = backups_folder(Path(path).parent) if folder is None else Path(folder)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return _write_new(folder, f"{Path(path).stem}.{stamp}", ".ipynb", Path(path).read_bytes())


def _write(path, text):
    """Write atomically: a learner's notebook is either the old file or the new one, never half of each."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def generate(solutions_dir=SOLUTIONS, exercises_dir=EXERCISES, names=None, *, force=False, now=None):
    """Write the exercise of every solution (or of the named ones); return one Result per notebook.

    Nothing is written if any solution has an authoring error (AuthoringError is raised). An exercise a
    learner has edited is refused, unless ``force``: then it is backed up first (``now`` names the backup).
    """
    solutions, exercises, wanted = _select(solutions_dir, exercises_dir, names)
    built = _build(solutions, wanted)
    results = []
    for name in wanted:
        path = Path(exercises_dir) / f"{name}.ipynb"
        if name not in solutions:
            detail = f"no {_show(Path(solutions_dir) / path.name)}; left as it is"
            results.append(Result(name, "extra", path, detail))
            continue
        text = render(built[name])
        saved = None
        if path.exists():
            old = path.read_bytes()
            if old == text.encode():
                results.append(Result(name, "unchanged", path))
                continue
            reason = _learner_edits(old.decode("utf-8", errors="replace"), built[name])
            if reason and not force:
                results.append(Result(name, "refused", path, f"{reason}; not overwritten"))
                continue
            if reason:
                saved = backup(path, now, backups_folder(exercises_dir))
        _write(path, text)
        results.append(Result(name, "generated", path, backup=saved))
    return results


def check(solutions_dir=SOLUTIONS, exercises_dir=EXERCISES, names=None):
    """Every exercise that differs from what generate would make: a list of Results, empty when all agree."""
    solutions, exercises, wanted = _select(solutions_dir, exercises_dir, names)
    built = _build(solutions, wanted)
    problems = []
    for name in wanted:
        path = Path(exercises_dir) / f"{name}.ipynb"
        if name not in solutions:
            problems.append(Result(name, "extra", path, f"no {_show(Path(solutions_dir) / path.name)}"))
        elif name not in exercises:
            problems.append(Result(name, "missing", path, f"not generated from {_show(solutions[name])}"))
        else:
            try:
                actual = nbformat.read(path, as_version=4)
            except Exception as error:  # an unreadable exercise is out of date, not a crash
                problems.append(Result(name, "stale", path, f"cannot be read as a notebook ({error})"))
                continue
            if why := difference(built[name], actual):
                if recorded_hash(actual) != content_hash(actual):
                    why += " (and it has been edited since it was generated)"
                problems.append(Result(name, "stale", path, why))
    return problems


# ---------------------------------------------------------------------------------------------------
# A fresh copy of one exercise


def _pristine(text):
    """The notebook in ``text`` if it is an exercise as generated (its cells match the hash it recorded), else None."""
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception:  # an unreadable version is simply not a blank copy
        return None
    return nb if recorded_hash(nb) is not None and recorded_hash(nb) == content_hash(nb) else None


def _from_git(path, limit=50):
    """The newest version of ``path`` in git's history (any branch) that is an exercise as generated, or None.

    In a clone or an nbgitpuller copy the exercise as handed out is there even after the learner has
    worked in it (nbgitpuller commits the learner's changes before it merges: those versions are skipped).
    """
    git = shutil.which("git")
    if git is None:
        return None

    def run(folder, *args):
        result = subprocess.run([git, "-C", str(folder), *args], capture_output=True, text=True, check=False)
        return result.stdout if result.returncode == 0 else None

    top = run(Path(path).resolve().parent, "rev-parse", "--show-toplevel")
    if not top:
        return None
    top = Path(top.strip()).resolve()
    relative = Path(path).resolve().relative_to(top).as_posix()
    for commit in (run(top, "log", "--all", f"-n{limit}", "--format=%H", "--", relative) or "").split():
        text = run(top, "show", f"{commit}:{relative}")
        if text is not None and (nb := _pristine(text)) is not None:
            return nb
    return None


class NoFreshCopy(LookupError):
    """No blank version of an exercise can be found (no solution, no git history, and the file was edited)."""


def fresh_copy(name, solutions_dir=SOLUTIONS, exercises_dir=EXERCISES):
    """Write a blank copy of exercise ``name`` beside it, as NAME-fresh.ipynb; return its path.

    The learner's own NAME.ipynb is never touched, nor is an earlier fresh copy (the next one is
    NAME-fresh-2.ipynb). The copy records in metadata["course"]["fresh_copy_of"] what it is a copy of.
    """
    name = Path(name).name.removesuffix(".ipynb")
    solution, exercise = Path(solutions_dir) / f"{name}.ipynb", Path(exercises_dir) / f"{name}.ipynb"
    if solution.is_file():
        blank = _build({name: solution}, [name])[name]
    elif exercise.is_file():
        blank = _from_git(exercise) or _pristine(exercise.read_text(encoding="utf-8", errors="replace"))
        if blank is None:
            raise NoFreshCopy(
                f"no blank copy of {_show(exercise)} to be found: there is no solution, no earlier version in git, "
                "and the file itself has been edited. Download the course again (or ask your instructor) for one"
            )
    else:
        raise UnknownNotebook(f"no exercise called {name} in {_show(exercises_dir)}")
    course = dict(blank.metadata.get("course", {}))
    course["fresh_copy_of"] = f"{name}.ipynb"
    blank.metadata["course"] = course
    return _write_new(Path(exercises_dir), f"{name}-fresh", ".ipynb", render(blank).encode())


# ---------------------------------------------------------------------------------------------------
# The command line


@dataclass
class Advice:
    """The commands a message suggests, written the way the user ran this script: by make, or directly."""

    via_make: bool
    folders: tuple = ()  # --solutions DIR / --exercises DIR, when not the course's own

    def script(self, *options):
        python = "python" if shutil.which("python") == sys.executable else _show(sys.executable)
        return shlex.join([python, _show(Path(__file__)), *self.folders, *options])

    def force(self, name):
        return f"make exercises FORCE=1 EXERCISE={name}" if self.via_make else self.script("--force", name)

    def fresh(self, name):
        return f"make fresh EXERCISE={name}" if self.via_make else self.script("--fresh", name)

    def regenerate(self):
        return "make exercises" if self.via_make else self.script()


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Generate the learners' notebooks in exercises/ from the notebooks in solutions/."
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="write nothing; exit 1 if an exercise is out of date")
    mode.add_argument("--force", action="store_true", help="back up and overwrite exercises a learner has edited")
    mode.add_argument("--fresh", action="store_true", help="write a blank copy of each NAME beside it (NAME-fresh)")
    parser.add_argument("--solutions", type=Path, default=SOLUTIONS, help="default: %(default)s")
    parser.add_argument("--exercises", type=Path, default=EXERCISES, help="default: %(default)s")
    parser.add_argument("--via-make", action="store_true", help="(the Makefile's) give advice as make commands")
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these notebooks (default: all)")
    args = parser.parse_args(argv)
    folders = []  # a command suggested to the user repeats the folders they named
    for option, folder, default in (
        ("--solutions", args.solutions, SOLUTIONS),
        ("--exercises", args.exercises, EXERCISES),
    ):
        if folder.resolve() != default.resolve():
            folders += [option, _show(folder)]
    advice = Advice(args.via_make, tuple(folders))
    if args.fresh:
        return _fresh(args, advice)
    try:
        if args.check:
            problems = check(args.solutions, args.exercises, args.names)
        else:
            results = generate(args.solutions, args.exercises, args.names, force=args.force)
    except (AuthoringError, UnknownNotebook) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.check:
        for problem in problems:
            print(problem)
        if problems:
            print(f"{len(problems)} exercise notebook(s) out of date: run `{advice.regenerate()}` to regenerate them")
            return 1
        print(f"no drift: the exercises in {_show(args.exercises)} agree with {_show(args.solutions)}")
        return 0
    for result in results:
        print(result)
    if not results:
        print(f"no notebooks in {_show(args.solutions)}: nothing to do")
    refused = [r.name for r in results if r.status == "refused"]
    for name in refused:
        print(
            f"  {name} keeps your work. To have it regenerated, run `{advice.force(name)}` (your edited copy is "
            f"saved in {_show(backups_folder(args.exercises))}/ first); to get a blank copy beside it instead, "
            f"run `{advice.fresh(name)}`."
        )
    return 1 if refused else 0


def _fresh(args, advice):
    if not args.names:
        print(f"error: name the exercise to copy, e.g. `{advice.fresh('07-mazur')}`", file=sys.stderr)
        return 2
    status = 0
    for name in args.names:
        try:
            path = fresh_copy(name, args.solutions, args.exercises)
        except (AuthoringError, UnknownNotebook, NoFreshCopy) as error:
            print(f"error: {error}", file=sys.stderr)
            status = 2
            continue
        mine = Path(args.exercises) / f"{Path(name).name.removesuffix('.ipynb')}.ipynb"
        print(f"fresh      {_show(path)}: a blank copy; your {_show(mine)} is as you left it")
    return status


if __name__ == "__main__":
    sys.exit(main())
