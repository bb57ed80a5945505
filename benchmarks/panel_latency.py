"""How long does the slider panel's kernel take to answer a slider? Measured against the previous technique.

For the 2-2-2 and the four-layer network, moves one weight slider of a
``Playground`` 50 times and measures, for each move, the kernel's work: the
one calculation of the new state, the diagram's label texts and line styles,
the read-out, and the JSON the browser is sent (what the comm would send).
The previous technique, measured in the same run: the same diagram drawn by
matplotlib (updated in place, then a complete Agg render, as ipympl does
before it sends a PNG); and the naive one of ``interact``: re-create the
figures from scratch at every change.

What the learner sees, key press to screen, is measured in the browser by
``benchmarks/browser_latency.py``.  Each figure is the median over the moves;
the last line printed is one JSON object with the figures.
Run:  make bench   (or  python benchmarks/panel_latency.py [--quick])
"""

import argparse
import json
import statistics
import time

from matplotlib.backends.backend_agg import FigureCanvasAgg

from course_lib import networks, plot_network
from course_lib.diagram import diagram_figure
from course_lib.playground import Playground
from course_lib.plots import CourseFigure, LossCurve, WeightTrajectories


def panel_move(panel, name, value):
    panel.sliders[name].value = value  # one calculation, the diagram's state with the read-out's texts
    json.dumps(panel.diagram.state)  # what the browser is sent: the diagram and, in the same message, the read-out


def previous_move(example, figure, diagram, name, value):
    moved = example.with_values({name: value})
    diagram.update(moved)
    FigureCanvasAgg.draw(figure.canvas)  # what ipympl renders before it sends the PNG


def naive_move(example, history, name, value):
    moved = example.with_values({name: value})
    diagram = plot_network(moved, values=True)
    curves = CourseFigure(figsize=(10, 3.0))
    loss_axes, weights_axes = curves.subplots(1, 2, width_ratios=(1, 1.25))
    LossCurve(history, loss_axes)
    WeightTrajectories(history, moved, weights_axes)
    moved.quantities()
    for figure in (diagram, curves):
        FigureCanvasAgg.draw(figure.canvas)


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
    figure, diagram = diagram_figure(example, values=True)
    FigureCanvasAgg.draw(figure.canvas)
    ours = median_ms(lambda v: panel_move(panel, weight, v), values)
    previous = median_ms(lambda v: previous_move(example, figure, diagram, weight, v), values)
    naive = median_ms(lambda v: naive_move(example, panel.history, weight, v), values)
    return {
        "network": name,
        "median_ms": round(ours, 2),
        "previous_median_ms": round(previous, 1),
        "naive_median_ms": round(naive, 1),
        "ratio": round(previous / ours, 2),
        "naive_ratio": round(naive / ours, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 moves: a smoke test, not a measurement")
    args = parser.parse_args()
    moves = 5 if args.quick else 50
    results = [measure(name, moves) for name in ("mazur", "four-layers")]
    for r in results:
        print(
            f"{r['network']:12s} panel (kernel) {r['median_ms']:6.2f} ms   previous (diagram update + Agg render) "
            f"{r['previous_median_ms']:6.1f} ms: {r['ratio']:.1f}x   re-created figures "
            f"{r['naive_median_ms']:6.1f} ms: "
            f"{r['naive_ratio']:.1f}x   (median of {moves} slider moves)"
        )
    worst = max(results, key=lambda r: r["median_ms"])
    summary = {
        "moves": moves,
        "median_ms": worst["median_ms"],
        "previous_median_ms": max(r["previous_median_ms"] for r in results),
        "naive_median_ms": worst["naive_median_ms"],
        "ratio": min(r["ratio"] for r in results),
    }
    summary |= {f"{r['network']}_median_ms": r["median_ms"] for r in results}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
