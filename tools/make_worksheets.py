"""Printable worksheets for a workshop: the pen-and-paper part of each exercise, and its answer sheet.

For every exercise notebook ``exercises/NN-name.ipynb`` this writes

- ``worksheets/NN-name.html``: the network's diagram, its given numbers, and
  each part's questions (taken from the exercise itself) with a blank line
  per answer; no code;
- ``worksheets/NN-name-answers.html``: the same with the answers filled in,
  computed by course_lib (the same key the self-check uses).

The pages are made by nbconvert from a small notebook built here, and their
formulas are typeset by a copy of MathJax put beside them (from the
jupyter-server-mathjax package), so the folder works offline and can be
copied anywhere; open a page in a browser and print it.
Run:  make worksheets   (or  python tools/make_worksheets.py [NAME ...] [--out DIR])
"""

import argparse
import ast
import base64
import io
import re
import shutil
import sys
from pathlib import Path

import jupyter_server_mathjax
import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
OUT = ROOT / "worksheets"

PRINT_CSS = """<style>
  .jp-InputPrompt, .jp-OutputPrompt { display: none !important; }
  .course-sheet-head { border-bottom: 2px solid #333; margin-bottom: 1em; }
  .course-answers td { padding: 0.45em 1em; border-bottom: 1px solid #999; }
  .course-answers td.blank { width: 14em; }
  @media print {
    @page { margin: 1.6cm; }
    .course-answers, .course-given, img { break-inside: avoid; }
    h2 { break-after: avoid; }
  }
</style>"""


def answer_keys(source):
    """The quantity names a code cell gives answers for, in order (``answers.X = ...`` and ``answers["X"] = ...``)."""
    keys = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and getattr(target.value, "id", None) == "answers":
                    keys.append((node.lineno, target.attr))
                elif isinstance(target, ast.Subscript) and getattr(target.value, "id", None) == "answers":
                    keys.append((node.lineno, target.slice.value))
    return [key for _, key in sorted(keys)]


def sections(exercise):
    """The pen-and-paper parts of an exercise: ``(questions markdown, [quantity names])`` in order."""
    found, questions = [], None
    for cell in exercise.cells:
        if cell.cell_type == "markdown":
            questions = cell.source
        elif cell.cell_type == "code" and re.search(r"^answers[.\[]", cell.source, re.MULTILINE):
            found.append((questions or "", answer_keys(cell.source)))
            questions = None
    return found


def _png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _html_output(html):
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
    return cell


def worksheet(exercise, example, answers=False):
    """A notebook (to be rendered without its code) holding the worksheet of ``exercise``."""
    from course_lib import plot_network

    title = exercise.cells[0].source.splitlines()[0].lstrip("# ").strip()
    kind = "Answer sheet" if answers else "Worksheet"
    values = example.quantities() if answers else {}
    head = f"# {title}\n\n**{kind}.** {example.title}."
    if not answers:
        head += (
            "\n\nWork every answer out with pen and paper, in the order of the parts; keep at least 3 significant "
            "figures and write your intermediate results down too. Then type them into the exercise notebook "
            "to have them checked.\n\nName: ______________________  Date: ____________"
        )
    cells = [_html_output(PRINT_CSS), nbformat.v4.new_markdown_cell(head)]
    figure = plot_network(example)
    picture = f"<p><img alt='the diagram of the network' src='data:image/png;base64,{_png(figure)}'/></p>"
    cells.append(_html_output(example._repr_html_() + picture))
    for questions, keys in sections(exercise):
        rows = []
        for key in keys:
            blank = f"{values[key]:.6g}" if answers else ""
            rows.append(f"<tr><td>${example.latex(key)}$</td><td class='blank'>{blank}</td></tr>")
        cells.append(nbformat.v4.new_markdown_cell(questions))
        cells.append(_html_output(f"<table class='course-answers'>{''.join(rows)}</table>"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["title"] = f"{title}: {kind.lower()}"
    return notebook


def network_name(path):
    """The course network of an exercise file: ``07-mazur.ipynb`` -> ``mazur``, or the one its metadata names."""
    return _problem(nbformat.read(path, as_version=4), path)[0]


def _problem(exercise, path):
    """``(network, practice seed or None)``: an exercise that is not named after its network says which in
    its metadata, ``{"worksheet": {"network": "wider", "practice_seed": 10}}`` (lesson 10's exercise works
    a practice problem of lesson 08's network)."""
    named = exercise.metadata.get("worksheet")
    if isinstance(named, dict) and "network" in named:
        return named["network"], named.get("practice_seed")
    return path.stem.split("-", 1)[1], None


def example_of(path):
    """The course example whose numbers an exercise works: ``networks.get(name)`` or a practice problem."""
    from course_lib import networks, practice

    name, seed = _problem(nbformat.read(path, as_version=4), path)
    return networks.get(name) if seed is None else practice(name, seed)


MATHJAX = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"


def copy_mathjax(out):
    """Put MathJax beside the pages (once), so that they typeset their formulas without a network."""
    target = out / "mathjax"
    if not (target / "MathJax.js").exists():
        shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", target, dirs_exist_ok=True)


def make(path, out):
    """Write the worksheet and the answer sheet of one exercise; return their paths."""
    exercise = nbformat.read(path, as_version=4)
    example = example_of(path)
    exporter = HTMLExporter(template_name="lab", exclude_input=True, mathjax_url=MATHJAX)
    written = []
    for answers, suffix in ((False, ""), (True, "-answers")):
        html, _ = exporter.from_notebook_node(worksheet(exercise, example, answers))
        target = out / f"{path.stem}{suffix}.html"
        target.write_text(html, encoding="utf-8")
        written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="exercises, e.g. 07-mazur (default: all)")
    parser.add_argument("--exercises", type=Path, default=EXERCISES)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    paths = sorted(args.exercises.glob("*.ipynb"))
    if args.names:
        wanted = {Path(n).stem for n in args.names}
        paths = [p for p in paths if p.stem in wanted]
        missing = wanted - {p.stem for p in paths}
        if missing:
            print(f"no exercise called {', '.join(sorted(missing))} in {args.exercises}", file=sys.stderr)
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    copy_mathjax(args.out)
    for path in paths:
        for target in make(path, args.out):
            print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
