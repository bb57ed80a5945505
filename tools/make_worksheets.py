"""Printable worksheets for a workshop: the pen-and-paper part of each exercise, and its answer sheet.

For every exercise notebook ``exercises/NN-name.ipynb`` this writes

- ``worksheets/NN-name.html``, for learners: the network's diagram, its given
  numbers, and each part's questions (taken from the exercise itself), where
  every quantity asked for gets a row with room for the working and a box for
  the answer; no code;
- ``answer-sheets/NN-name-answers.html``, for the instructor and helpers only:
  the same rows with the working (formula, then the formula with the numbers)
  and the answer, computed by course_lib (the key the self-check uses).

The two folders are apart on purpose: ``worksheets/`` can be copied or printed
for the room as it is, and holds no answers (the script refuses to write the
answer sheets into it, and removes answer sheets an older version left there).

Each page stands alone and works offline: the formulas are typeset when the
page is made (LaTeX to SVG with ziamath, in the STIX Two Math font it ships),
the diagram is an inline SVG, and there is no script and no link to anything
outside the page. Pages are laid out for A4 (print them at 100 %); a part's
heading stays with its questions and a question with its answer row. Each
formula also carries its MathML, for screen readers, and the diagram a text
alternative.

Run:  make worksheets   (or  python tools/make_worksheets.py [NAME ...] [--out DIR] [--answers DIR])
"""

import argparse
import ast
import functools
import html
import io
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import latex2mathml.converter
import mistune
import nbformat
import ziamath

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
OUT = ROOT / "worksheets"
ANSWERS = ROOT / "answer-sheets"

MATH_SIZE = 14  # px: the size the formulas are set at; the SVGs are then scaled in em, so they follow the text
MATH_SCALE = 1.12  # STIX Two's letters are smaller than the text's (DejaVu Sans) at the same size
ziamath.config.svg2 = False  # plain paths, no <symbol>/<use>: no ids that clash when a page holds many formulas
ziamath.config.precision = 2

# ---------------------------------------------------------------------------------------------------
# What a part asks for


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


# A question as the exercises write it:  - $\delta_{o1}$ (`delta_o1`): short for ...
_ITEM = re.compile(r"^[-*] +\$(?P<tex>[^$]+)\$ +\(`(?P<key>[^`]+)`\)(?::\s*(?P<about>.*))?$")


def split_questions(markdown, keys):
    """Cut a part's markdown into prose and forms: ``[("text", markdown) | ("form", [(key, about)])]``.

    A run of list items that each name one of ``keys`` (``- $TeX$ (`key`): what it is``) becomes a form,
    a table with a row per quantity, where the list stood; keys that no item names get a form at the end.
    """
    blocks, prose, form, named = [], [], [], set()

    def flush_form():
        if form:
            blocks.append(("form", list(form)))
            form.clear()

    for line in markdown.split("\n"):
        match = _ITEM.match(line.strip())
        if match and match["key"] in keys and match["key"] not in named:
            if prose:
                blocks.append(("text", "\n".join(prose)))
                prose.clear()
            form.append((match["key"], match["about"] or ""))
            named.add(match["key"])
        elif form and not line.strip():
            continue  # a blank line inside a list of questions
        else:
            flush_form()
            prose.append(line)
    flush_form()
    if "\n".join(prose).strip():
        blocks.append(("text", "\n".join(prose)))
    if rest := [(key, "") for key in keys if key not in named]:
        blocks.append(("form", rest))
    return blocks


# ---------------------------------------------------------------------------------------------------
# Typesetting


def mathml(tex, display=False):
    """LaTeX to MathML (latex2mathml), with a hat that sits on its letter (``\\hat y``, not a stretched wedge)."""
    element = ET.fromstring(latex2mathml.converter.convert(tex, display="block" if display else "inline"))
    namespace = "{http://www.w3.org/1998/Math/MathML}"
    for over in element.iter(f"{namespace}mover"):
        accent = list(over)[-1]
        if over.get("accent") == "true" and accent.tag == f"{namespace}mo" and accent.text == "^":
            accent.text, accent.attrib["stretchy"] = "\u02c6", "false"
    # A minus (or plus) that starts a row or follows another operator is a sign, not a subtraction:
    # set tight to its number, as TeX does (w = -0.3, (-0.3)), not spaced like a binary operator.
    for row in element.iter():
        previous = None
        for child in row:
            sign = child.tag == f"{namespace}mo" and child.text in ("\u2212", "+")
            after_operator = previous is not None and previous.tag == f"{namespace}mo" and previous.text not in ")]|"
            if sign and (previous is None or after_operator):
                child.attrib["form"] = "prefix"
            previous = child
    ET.register_namespace("", namespace.strip("{}"))
    return ET.tostring(element, encoding="unicode")


@functools.cache
def typeset(tex, display=False, large=False):
    """One formula as HTML: an SVG of it, sized in em on the text's baseline, and its MathML for screen readers.

    ``display``: a formula on a line of its own, centred; ``large``: in the text, but set as large as a
    displayed formula (a fraction at full size, as for the quantity of an answer row).
    Raises ValueError naming the formula when it cannot be typeset, so that a page never shows raw LaTeX.
    """
    source = mathml(tex, display or large)
    try:
        svg = ziamath.Math(source, size=MATH_SIZE).svg()
    except Exception as error:  # ziamath raises plain exceptions for unsupported input
        raise ValueError(f"cannot typeset ${tex}$: {error}") from None
    size = re.search(r'width="([\d.]+)" height="([\d.]+)" viewBox="[-\d.]+ ([-\d.]+)', svg)
    width, height, top = (float(v) for v in size.groups())
    below = height + top  # the viewBox puts the baseline at y = 0: this much of the formula is below it
    em = MATH_SCALE / MATH_SIZE
    attributes = (
        f'width="{width * em:.3f}em" height="{height * em:.3f}em" '
        f'style="vertical-align:{-below * em:.3f}em" aria-hidden="true" focusable="false"'
    )
    svg = svg.replace(f'width="{size.group(1)}" height="{size.group(2)}"', attributes, 1)
    kind = "math display" if display else "math"
    return f'<span class="{kind}" data-tex="{html.escape(tex)}">{svg}<span class="mathml">{source}</span></span>'


_MATH = re.compile(r"(`[^`]*`)|\$\$(.+?)\$\$|\$([^$]+?)\$", re.DOTALL)
_markdown = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def markdown_html(text, inline=False):
    """Markdown with $...$ and $$...$$ formulas to HTML, every formula typeset (see :func:`typeset`).

    Formulas are taken out before the markdown is converted, so that markdown never touches LaTeX
    (its underscores and backslashes); code spans are left alone.
    """
    formulas = []

    def hold(match):
        if match.group(1):
            return match.group(1)
        formulas.append(typeset(match.group(2) or match.group(3), display=bool(match.group(2))))
        return f"@@MATH{len(formulas) - 1}@@"

    converted = _markdown(_MATH.sub(hold, text)).strip()
    if inline:
        converted = re.sub(r"^<p>(.*)</p>$", r"\1", converted, flags=re.DOTALL)
    return re.sub(r"@@MATH(\d+)@@", lambda m: formulas[int(m.group(1))], converted)


# ---------------------------------------------------------------------------------------------------
# A page


STYLE = """
@page { size: A4; margin: 14mm 14mm 16mm; }
html { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 10pt; line-height: 1.35;
  color: #000; background: #fff; }
body { margin: 0 auto; max-width: 182mm; padding: 0 2mm; }
h1 { font-size: 15pt; margin: 0 0 1mm; }
h2 { font-size: 12pt; margin: 5mm 0 1.5mm; border-bottom: 1px solid #000; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; }
p, ul { margin: 1.2mm 0; }
h1, h2, h3 { break-after: avoid; }
.keep { break-inside: avoid; }
.after { break-before: avoid; }
.who { margin: 2mm 0 3mm; }
.blank-line { display: inline-block; border-bottom: 1px solid #000; width: 70mm; margin-right: 6mm; }
.blank-line.short { width: 35mm; }
.banner { border: 3px solid #000; padding: 2mm 3mm; margin: 2mm 0; font-weight: bold; font-size: 11pt; }
.given-and-diagram { display: flex; gap: 5mm; align-items: center; break-inside: avoid; margin: 2mm 0; }
.given-and-diagram > * { flex: 1 1 50%; }
table { border-collapse: collapse; }
table.given th { text-align: left; padding: 0.6mm 2mm 0.6mm 0; vertical-align: top; font-weight: normal;
  color: #333; white-space: nowrap; }
table.given td { padding: 0.6mm 2.5mm 0.6mm 0; }
.nobreak { white-space: nowrap; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; max-height: 72mm; }
table.form { width: 100%; margin: 1.5mm 0 2mm; }
table.form th { font-size: 8pt; font-weight: normal; color: #333; text-align: left; padding: 0 1.5mm 0.5mm; }
table.form td { border-top: 1px solid #888; border-bottom: 1px solid #888; padding: 1mm 1.5mm; height: 10mm;
  vertical-align: top; }
table.form tr { break-inside: avoid; }
td.quantity { width: 56mm; }
td.quantity .about { display: block; font-size: 8pt; color: #333; margin-top: 0.5mm; }
td.quantity .about code { font-size: 1em; }
td.work { border-left: 1px dotted #888; }
td.answer { width: 30mm; border-left: 1px solid #000; }
.worked { font-size: 9pt; }
.answer-value { font-weight: bold; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85em; }
.math svg { overflow: visible; }
.math.display { display: block; text-align: center; margin: 1.5mm 0; }
.mathml { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { margin-top: 4mm; font-size: 8pt; color: #333; }
@media print { .mathml { display: none; } }
"""


def _diagram_svg(example):
    """The network's diagram (course_lib.plot_network) as SVG text, fonts as paths, nothing that varies by run."""
    import matplotlib
    import matplotlib.pyplot as plt

    from course_lib import plot_network

    figure = plot_network(example)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": example.name, "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def diagram_description(example):
    """A text alternative for the diagram: the layers and their neurons, and where its numbers are written."""
    layers = example.notation.neurons
    names = ["inputs", *(["hidden layer"] * (len(layers) - 2)), "outputs"]
    parts = [f"{name} {', '.join(layer)}" for name, layer in zip(names, layers)]
    return (
        f"Diagram of the {'-'.join(str(n) for n in example.network.sizes)} network ({example.title}): "
        + "; ".join(parts)
        + ". Every neuron is joined to each neuron of the next layer by a weight; each arrow is labelled with "
        "its weight's name and value, the values listed in the table beside it (blue: positive, vermillion: "
        "negative)."
    )


def _given(example):
    """The given numbers, a row per kind (inputs, targets, weights, biases, learning rate)."""
    given = example.given()
    rows = []
    for title, keys in example.given_groups():
        if keys:
            # each number with its comma in one piece: a line may break after an SVG as well as before it
            numbers = [typeset(f"{example.latex(k)} = {given[k]:g}") for k in keys]
            values = " ".join([f"<span class='nobreak'>{n},</span>" for n in numbers[:-1]] + numbers[-1:])
            rows.append(f"<tr><th>{title}</th><td>{values}</td></tr>")
    return f"<table class='given'>{''.join(rows)}</table>"


def working_lines(example):
    """Every quantity's line of working (course_lib.show_working), by name."""
    from course_lib.working import PARTS, show_working

    return {line.key: line for part in PARTS for line in show_working(example, part).lines}


def _row(example, key, about, answers, working):
    label = typeset(example.latex(key), large=True)
    about_html = markdown_html(about, inline=True) + " " if about else ""
    about_html += f"<code>{html.escape(key)}</code>"
    work = answer = ""
    if answers:
        line = working.get(example.calculation.canonical(key))
        steps = [s for s in (line.symbolic, line.numeric) if s] if line else []
        if steps:
            work = "<span class='worked'>" + " = ".join(typeset(s) for s in dict.fromkeys(steps)) + "</span>"
        answer = f"<span class='answer-value'>{answers[key]:.6g}</span>"
    return (
        f"<tr><td class='quantity'>{label}<span class='about'>{about_html}</span></td>"
        f"<td class='work'>{work}</td><td class='answer'>{answer}</td></tr>"
    )


def _form(example, rows, answers, working, head=True):
    head = "<thead><tr><th>quantity</th><th>working</th><th>answer</th></tr></thead>" if head else ""
    body = "".join(_row(example, key, about, answers, working) for key, about in rows)
    return f"<table class='form'>{head}<tbody>{body}</tbody></table>"


# A form of at most this many rows is kept on one page with the text before it; a longer one keeps its
# first rows with that text and may break between later rows.
KEEP_ROWS = 6
FIRST_ROWS = 3


def groups(blocks):
    """Pair each form with the text before it: ``[(texts, form rows or None)]``; text after the last form alone."""
    found, texts = [], []
    for what, content in blocks:
        if what == "text":
            texts.append(content)
        else:
            found.append((texts, content))
            texts = []
    if texts:
        found.append((texts, None))
    return found


def part_html(example, questions, keys, answers, working):
    """One part of the exercise: its text and forms, each form kept on a page with the text that asks for it."""
    out = []
    for texts, rows in groups(split_questions(questions, keys)):
        text = "".join(markdown_html(t) for t in texts)
        if rows is None:
            out.append(f"<div class='after'>{text}</div>")
        elif len(rows) <= KEEP_ROWS:
            out.append(f"<div class='keep'>{text}{_form(example, rows, answers, working)}</div>")
        else:
            first, rest = rows[:FIRST_ROWS], rows[FIRST_ROWS:]
            out.append(f"<div class='keep'>{text}{_form(example, first, answers, working)}</div>")
            out.append(_form(example, rest, answers, working, head=False))
    return "<section class='part'>" + "".join(out) + "</section>"


def page(exercise, example, answers=False):
    """The HTML of the worksheet (``answers=False``) or of the answer sheet of ``exercise``."""
    title = exercise.cells[0].source.splitlines()[0].lstrip("# ").strip()
    values = example.quantities() if answers else None
    working = working_lines(example) if answers else {}
    kind = "Answer sheet" if answers else "Worksheet"
    notebook = exercise.metadata.get("course", {}).get("generated_from", "")
    out = [f"<h1>{html.escape(title)}</h1>"]
    if answers:
        out.append("<p class='banner'>Answer sheet: for the instructor and helpers. Do not hand out.</p>")
    else:
        out.append(
            "<p class='who'>Name <span class='blank-line'></span> Date <span class='blank-line short'></span></p>"
            "<p>Work every answer out with pen and paper, in the order of the parts, in the row of its quantity; "
            "keep at least 3 significant figures. Then type your answers into the exercise notebook "
            f"<code>exercises/{html.escape(notebook)}</code> to have them checked; under each quantity is its name "
            "there (<code>answers.NAME</code>).</p>"
        )
    description = diagram_description(example)
    out.append(
        f"<div class='given-and-diagram'><div><p><b>{kind}.</b> {html.escape(example.title)}. "
        f"The given numbers:</p>{_given(example)}</div>"
        f"<figure role='img' aria-label='{html.escape(description, quote=True)}'>{_diagram_svg(example)}</figure></div>"
    )
    for questions, keys in sections(exercise):
        out.append(part_html(example, questions, keys, values, working))
    out.append(
        f"<footer>{kind} made by tools/make_worksheets.py from the exercise notebook; the network: "
        f"{html.escape(example.source or example.title)}. The numbers come from course_lib, as in the self-check."
        "</footer>"
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}: {kind.lower()}</title><style>{STYLE}</style></head>"
        f"<body class='{'answers' if answers else 'worksheet'}'>\n" + "\n".join(out) + "\n</body></html>\n"
    )


def exercise_paths(folder):
    """The exercise notebooks of ``folder``, without the fresh copies a learner asked for (NAME-fresh.ipynb,
    made by tools/make_exercises.py --fresh)."""
    return [p for p in sorted(Path(folder).glob("*.ipynb")) if not re.search(r"-fresh(-\d+)?$", p.stem)]


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


def make(path, out, answers_out):
    """Write the worksheet of one exercise to ``out`` and its answer sheet to ``answers_out``; return the paths."""
    exercise = nbformat.read(path, as_version=4)
    example = example_of(path)
    sheet, key = out / f"{path.stem}.html", answers_out / f"{path.stem}-answers.html"
    sheet.write_text(page(exercise, example), encoding="utf-8")
    key.write_text(page(exercise, example, answers=True), encoding="utf-8")
    return [sheet, key]


def tidy(out):
    """Remove what older versions of this script left in the worksheets' folder: answer sheets and MathJax."""
    removed = sorted(out.glob("*-answers.html"))
    for path in removed:
        path.unlink()
    mathjax = out / "mathjax"
    if (mathjax / "MathJax.js").exists():
        shutil.rmtree(mathjax)
        removed.append(mathjax)
    return removed


def _inside(path, folder):
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="exercises, e.g. 07-mazur (default: all)")
    parser.add_argument("--exercises", type=Path, default=EXERCISES, help="default: %(default)s")
    parser.add_argument("--out", type=Path, default=OUT, help="the worksheets, for learners (default: %(default)s)")
    parser.add_argument("--answers", type=Path, default=ANSWERS, help="the answer sheets (default: %(default)s)")
    args = parser.parse_args(argv)
    if _inside(args.answers, args.out):
        print(
            f"the answer sheets cannot go into {args.answers}: it is inside {args.out}, the folder of the worksheets "
            "that learners get; choose --answers elsewhere",
            file=sys.stderr,
        )
        return 2
    paths = exercise_paths(args.exercises)
    if args.names:
        wanted = {Path(n).stem for n in args.names}
        paths = [p for p in paths if p.stem in wanted]
        missing = wanted - {p.stem for p in paths}
        if missing:
            print(f"no exercise called {', '.join(sorted(missing))} in {args.exercises}", file=sys.stderr)
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    args.answers.mkdir(parents=True, exist_ok=True)
    for old in tidy(args.out):
        print(f"removed {old} (answer sheets now go to {args.answers}; the pages need no MathJax)")
    for path in paths:
        sheet, key = make(path, args.out, args.answers)
        print(f"wrote {sheet}  and, for you only, {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
