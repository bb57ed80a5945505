"""How fast does course_lib train the 2-2-2 network? Measured against peers in the same run.

Times one training step (forward, backward, update) of Mazur's 2-2-2 network
and the whole 10,000-step run of the lesson, for:

- course_lib (``SigmoidNetwork.train``, NumPy);
- a straightforward pure-Python implementation (``pure_python.py``);
- PyTorch on the CPU, one thread, if it is installed (``pip install torch==2.13.0``).

Each figure is the best of several repeats.  The last line printed is one
JSON object with the figures, so that runs can be compared over time.
Run:  make bench   (or  python benchmarks/training_speed.py [--quick])
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pure_python  # noqa: E402

from course_lib import networks  # noqa: E402


def best_time(function, repeats):
    """The shortest of ``repeats`` timings of ``function()``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def course_lib_run(example, steps, train_biases=True):
    net = example.network
    return lambda: net.train(example.x, example.target, example.eta, steps, train_biases).errors[-1]


def pure_python_run(example, steps, train_biases=True):
    def run():
        weights = [w.tolist() for w in example.network.weights]
        biases = [b.tolist() for b in example.network.biases]
        return pure_python.train(
            weights, biases, example.x.tolist(), example.target.tolist(), example.eta, steps, train_biases
        )[-1]

    return run


def torch_run(example, steps, train_biases=True):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)  # a tiny network: threads only add overhead
    x = torch.tensor(example.x, dtype=torch.float64)
    target = torch.tensor(example.target, dtype=torch.float64)

    def run():
        params = [
            torch.tensor(p, dtype=torch.float64, requires_grad=True)
            for p in example.network.weights + example.network.biases
        ]
        layers = len(example.network.weights)
        weights, biases = params[:layers], params[layers:]
        trained = weights + (biases if train_biases else [])
        for step in range(steps + 1):
            a = x
            for W, b in zip(weights, biases):
                a = torch.sigmoid(W @ a + b)
            error = 0.5 * torch.sum((target - a) ** 2)
            if step == steps:
                return error.item()
            grads = torch.autograd.grad(error, trained)
            with torch.no_grad():
                for p, g in zip(trained, grads):
                    p -= example.eta * g

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few steps and repeats: a smoke test, not a measurement")
    args = parser.parse_args()
    steps, repeats = (200, 1) if args.quick else (10_000, 5)
    example = networks.get("mazur")

    peers = {"course_lib": course_lib_run, "pure_python": pure_python_run, "torch": torch_run}
    figures = {}
    for name, make in peers.items():
        run = make(example, steps)
        if run is None:
            print(f"{name:12s} not installed (pip install torch==2.13.0 to compare)")
            continue
        mazur = make(example, steps, train_biases=False)
        final_error = mazur()
        seconds = best_time(run, repeats)
        mazur_seconds = best_time(mazur, repeats)
        figures[name] = {"steps_per_s": steps / seconds, "mazur_run_s": mazur_seconds, "final_error": final_error}
        print(
            f"{name:12s} {steps / seconds:12,.0f} steps/s   {1e6 * seconds / steps:7.2f} us/step   "
            f"Mazur {steps:,} steps: {mazur_seconds:.3f} s, E_total = {final_error:.6e}"
        )

    ours = figures["course_lib"]["steps_per_s"]
    result = {"steps": steps, "steps_per_s": round(ours), "mazur_run_s": round(figures["course_lib"]["mazur_run_s"], 4)}
    for peer in ("pure_python", "torch"):
        if peer in figures:
            result[f"{peer}_steps_per_s"] = round(figures[peer]["steps_per_s"])
            result[f"ratio_vs_{peer.replace('pure_', '')}"] = round(ours / figures[peer]["steps_per_s"], 2)
            print(f"course_lib is {ours / figures[peer]['steps_per_s']:.2f}x as fast as {peer}")
        else:
            result[f"ratio_vs_{peer.replace('pure_', '')}"] = None
    print(json.dumps(result))


if __name__ == "__main__":
    main()
