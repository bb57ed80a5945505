"""How long from a key press on a slider to the new diagram and read-out on screen, in a real browser?

JupyterLab is started as ``make lab`` starts it (``tools/browser.py``), with a
notebook holding the slider panels of lessons 07 (the 2-2-2 network) and 09
(four layers), and, beside each, the previous technique measured in the same
run: the same diagram drawn by matplotlib on an ipympl canvas and updated in
place, which sends a PNG to the browser at every change, with an HTML read-out.

For each panel, the first weight's slider gets 20 key presses (right, left, ...)
and for each the time from the key press to the first frame after the
diagram, and after the read-out, changed in the page (an SVG's attributes; the
ipympl canvas's drawing) is measured in the page itself (``performance.now()``).
Printed: median and max of each, the ratio previous / ours, and a last line
of JSON.  Needs Debian's chromium at /usr/bin/chromium.
Run:  make bench   (or  python benchmarks/browser_latency.py [--moves N])
"""

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from browser import NOTEBOOK, chromium, open_notebook, run_cell, serve  # noqa: E402

LESSONS = {"07": "mazur", "09": "four-layers"}

PREVIOUS = '''
import ipywidgets as widgets
from course_lib.diagram import diagram_figure
from course_lib.sliders import interactive_canvas


def previous_technique(example):
    """The panel's diagram as it was drawn before: matplotlib on an ipympl canvas, a PNG at every change."""
    figure, diagram = diagram_figure(example, values=True)
    canvas = interactive_canvas(figure, "peer-diagram")
    name = example.notation.weight_names()[0]
    slider = widgets.FloatSlider(value=example.given()[name], min=-4, max=4, step=0.01, description=name)
    slider.add_class("peer-slider")
    readout = widgets.HTML().add_class("peer-readout")

    def moved(change):  # as the panel did: the diagram updated in place, then the read-out of every number
        now = example.with_values({name: change["new"]})
        diagram.update(now)
        figure.canvas.draw_idle()
        q, n = now.quantities(), now.notation
        rows = "".join(
            f"<tr>{''.join(f'<td>{k} = {q[k]:.6g}</td>' for k in (n.name('net', j), n.name('out', j)))}</tr>"
            for layer in n.neurons[1:]
            for j in layer
        )
        gradients = "".join(
            f"<tr><td>{p} = {q[p]:.4g}</td><td>{q['dE/d' + p]:.6g}</td></tr>" for p in n.parameter_names()
        )
        readout.value = f"<b>E_total = {q['E_total']:.9g}</b><table>{rows}</table><table>{gradients}</table>"

    slider.observe(moved, "value")
    return widgets.VBox([slider, canvas, readout]).add_class("peer-panel")
'''

# Timestamps in the page: the key press, then the first frame after each picture changed.
WATCH = """([diagram, readout, canvas]) => {
    window.__t = null;
    const frame = (key) => { if (window.__t && !window.__t[key] && !window.__t['pending' + key]) {
        window.__t['pending' + key] = true;
        requestAnimationFrame(() => { window.__t[key] = performance.now() - window.__t.key; });
    } };
    document.addEventListener('keydown', () => { window.__t = {key: performance.now()}; }, true);
    new MutationObserver(() => frame('readout')).observe(readout, {subtree: true, childList: true,
                                                                    characterData: true});
    if (canvas) {
        const draw = CanvasRenderingContext2D.prototype.drawImage;
        CanvasRenderingContext2D.prototype.drawImage = function (...args) {
            const result = draw.apply(this, args);
            if (this.canvas.closest('.peer-diagram')) frame('diagram');
            return result;
        };
    } else {
        new MutationObserver(() => frame('diagram')).observe(diagram, {attributes: true, attributeFilter:
                                                                       ['data-version']});
    }
}"""


def notebook():
    cells = [nbformat.v4.new_code_cell("from course_lib import Playground, networks\n" + PREVIOUS)]
    for lesson, name in LESSONS.items():
        cells.append(nbformat.v4.new_code_cell(f"Playground(networks.get({name!r}))  # lesson {lesson}"))
        cells.append(nbformat.v4.new_code_cell(f"previous_technique(networks.get({name!r}))  # lesson {lesson}"))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return nb


def measure(page, output, moves, previous):
    """Key presses on the first slider of the panel in ``output``; the times (ms) to diagram and read-out."""
    output.scroll_into_view_if_needed()
    if previous:
        parts = [".peer-diagram", ".peer-readout", ".peer-diagram canvas"]
        handle = output.locator(".peer-slider .noUi-handle")
    else:
        parts = [".course-diagram", ".course-readout", None]
        handle = output.locator(".course-slider .noUi-handle").first
    elements = [output.locator(p).first.element_handle() if p else None for p in parts]
    page.evaluate(WATCH, elements)
    handle.focus()
    page.wait_for_timeout(500)
    times = {"diagram": [], "readout": []}
    for k in range(moves):
        page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        page.wait_for_function("() => window.__t && window.__t.diagram && window.__t.readout", timeout=20_000)
        t = page.evaluate("() => window.__t")
        times["diagram"].append(t["diagram"])
        times["readout"].append(t["readout"])
        page.wait_for_timeout(250)  # let the page settle: one move at a time, as a learner's key presses
    return times


def summary(times):
    return {
        part: {"median_ms": round(statistics.median(v), 1), "max_ms": round(max(v), 1)} for part, v in times.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="key presses per panel (default 20)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        served = Path(tmp) / "course"
        (served / "notebooks").mkdir(parents=True)
        nbformat.write(notebook(), served / "notebooks" / "latency.ipynb")
        with serve(served, tmp) as lab:
            context = chromium(p, Path(tmp) / "profile")
            page = context.new_page()
            page.set_default_timeout(60_000)
            open_notebook(page, lab, "notebooks/latency.ipynb")
            run_cell(page, "def previous_technique")
            outputs = page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-OutputArea")
            for k, (lesson, name) in enumerate(LESSONS.items()):
                run_cell(page, f"Playground(networks.get({name!r}))")
                run_cell(page, f"previous_technique(networks.get({name!r}))")
                ours = summary(measure(page, outputs.nth(1 + 2 * k), args.moves, previous=False))
                before = summary(measure(page, outputs.nth(2 + 2 * k), args.moves, previous=True))
                results[lesson] = {"network": name, "svg": ours, "ipympl_png": before}
            context.close()

    for lesson, r in results.items():
        for part in ("diagram", "readout"):
            ours, before = r["svg"][part], r["ipympl_png"][part]
            ratio = before["median_ms"] / ours["median_ms"]
            r[f"{part}_ratio"] = round(ratio, 2)
            print(
                f"lesson {lesson} ({r['network']:11s}) {part:8s} key -> screen: median {ours['median_ms']:6.1f} ms, "
                f"max {ours['max_ms']:6.1f} ms   previous (ipympl PNG): median {before['median_ms']:6.1f} ms, "
                f"max {before['max_ms']:6.1f} ms   {ratio:.1f}x faster ({args.moves} key presses)"
            )
    figures = {"moves": args.moves}
    for lesson, r in results.items():
        for part in ("diagram", "readout"):
            figures[f"lesson{lesson}_{part}_median_ms"] = r["svg"][part]["median_ms"]
            figures[f"lesson{lesson}_{part}_max_ms"] = r["svg"][part]["max_ms"]
            figures[f"lesson{lesson}_{part}_previous_median_ms"] = r["ipympl_png"][part]["median_ms"]
            figures[f"lesson{lesson}_{part}_ratio"] = r[f"{part}_ratio"]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
