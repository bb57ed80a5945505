"""How long does the slider panel take to answer a slider? Measured against re-creating the figures.

For the 2-2-2 and the four-layer network, moves one weight slider of a
``Playground`` 50 times and measures, for each move, the time from the
change to a fully rendered update: the recomputation of every quantity, the
update of the diagram and the read-out, and a complete Agg render of every
figure the panel asks to redraw (a slider move changes the diagram; the loss
and weight curves change only when the history does).  For comparison it
also measures re-rendering every figure of the panel at every move.  The
peer is the naive approach of ``interact``: re-create both figures from
scratch at every change and render them.

Each figure is the median over the moves.  The last line printed is one JSON
object with the figures, so that runs can be compared over time.
Run:  make bench   (or  python benchmarks/panel_latency.py [--quick])
"""

import argparse
import json
import statistics
import time

from matplotlib.backends.backend_agg import FigureCanvasAgg

from course_lib import networks, plot_network
from course_lib.playground import Playground
from course_lib.plots import CourseFigure, LossCurve, WeightTrajectories


def render(figure):
    """A complete Agg render of ``figure`` (what ipympl does before it sends the picture)."""
    FigureCanvasAgg.draw(figure.canvas)


def watch_redraws(panel):
    """Record which figures the panel asks to redraw (ipympl's draw_idle), so that exactly those are rendered."""
    asked = []
    for figure in panel.figures:
        figure.canvas.draw_idle = lambda figure=figure: asked.append(figure)
    return asked


def panel_move(panel, asked, name, value, every_figure=False):
    asked.clear()
    panel.sliders[name].value = value  # recompute, update the diagram and read-out
    for figure in panel.figures if every_figure else dict.fromkeys(asked):
        render(figure)


def naive_move(example, history, name, value):
    moved = example.with_values({name: value})
    diagram = plot_network(moved, values=True)
    curves = CourseFigure(figsize=(10, 3.0))
    loss_axes, weights_axes = curves.subplots(1, 2, width_ratios=(1, 1.25))
    curves.subplots_adjust(left=0.07, right=0.83, bottom=0.17, top=0.95, wspace=0.25)
    LossCurve(history, loss_axes)
    WeightTrajectories(history, moved, weights_axes)
    moved.quantities()
    for figure in (diagram, curves):
        render(figure)


def median_ms(move, values):
    times = []
    for value in values:
        start = time.perf_counter()
        move(value)
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def measure(name, moves):
    example = networks.get(name)
    weight = example.notation.weight_names()[0]
    start = example.given()[weight]
    values = [round(start + 0.01 * (k % 20 - 10), 2) for k in range(1, moves + 1)]
    panel = Playground(example)
    asked = watch_redraws(panel)
    for figure in panel.figures:
        render(figure)
    ours = median_ms(lambda v: panel_move(panel, asked, weight, v), values)
    every = median_ms(lambda v: panel_move(panel, asked, weight, v, every_figure=True), values)
    naive = median_ms(lambda v: naive_move(example, panel.history, weight, v), values)
    return {
        "network": name,
        "median_ms": round(ours, 1),
        "every_figure_median_ms": round(every, 1),
        "naive_median_ms": round(naive, 1),
        "ratio": round(naive / ours, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 moves: a smoke test, not a measurement")
    args = parser.parse_args()
    moves = 5 if args.quick else 50
    results = [measure(name, moves) for name in ("mazur", "four-layers")]
    for r in results:
        print(
            f"{r['network']:12s} panel {r['median_ms']:6.1f} ms (every figure re-rendered: "
            f"{r['every_figure_median_ms']:.1f} ms)   re-created figures {r['naive_median_ms']:6.1f} ms   "
            f"{r['ratio']:.1f}x faster (median of {moves} slider moves)"
        )
    worst = max(results, key=lambda r: r["median_ms"])
    summary = {
        "moves": moves,
        "median_ms": worst["median_ms"],
        "naive_median_ms": worst["naive_median_ms"],
        "ratio": min(r["ratio"] for r in results),
    }
    summary["every_figure_median_ms"] = max(r["every_figure_median_ms"] for r in results)
    summary |= {f"{r['network']}_median_ms": r["median_ms"] for r in results}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
