"""How fast does course_lib train? Measured against peers in the same run, at two scales.

1. **A step of the 2-2-2 network** (Mazur's, lesson 07): the whole 10,000-step run of the lesson,
   per step, for course_lib (``SigmoidNetwork.train``, NumPy), a straightforward pure-Python
   implementation (``pure_python.py``) and PyTorch.  Here a step is a few dozen multiplications:
   what counts is the cost of each call.
2. **The 8x8 digits** (scikit-learn's ``load_digits``, all 1,797 images): a 64-30-10 sigmoid network,
   300 steps of full-batch gradient descent, for course_lib and PyTorch.  Here a step is millions of
   multiplications: what counts is the arithmetic.

Every peer computes the same numbers in float64 (the final errors are printed, and checked to agree)
on one CPU thread: course_lib trains on one BLAS thread, and PyTorch is told ``set_num_threads(1)``.
PyTorch in float32, its default, is also timed on the digits for information (half the precision:
not the same computation, so not the ratio the course is held to).  PyTorch is not a dependency of
the course: install it to compare (``pip install torch==2.13.0``); without it the benchmark says so
and reports its ratios as null.

The repeats of the peers are interleaved (A, B, C, A, B, C, ...) and each figure is the best of its
repeats, so that a machine busy with other work slows every peer alike.  The last line printed is
one JSON object with the figures, so that runs can be compared over time.
Run:  make bench   (or  python benchmarks/training_speed.py [--quick])
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pure_python  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

from course_lib import SigmoidNetwork, networks  # noqa: E402

TORCH_MISSING = "PyTorch is not installed: its ratios are not measured (pip install torch==2.13.0 to compare)"


def import_torch():
    """PyTorch on one thread, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def interleaved_best(runs, repeats):
    """The shortest of ``repeats`` timings of each function in ``runs`` (a dict), taken in turns."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


# -- the peers ---------------------------------------------------------------------------------------


def course_lib_run(network, x, target, eta, steps, train_biases=True):
    return lambda: network.train(x, target, eta, steps, train_biases).errors[-1]


def pure_python_run(network, x, target, eta, steps, train_biases=True):
    def run():
        weights = [w.tolist() for w in network.weights]
        biases = [b.tolist() for b in network.biases]
        return pure_python.train(weights, biases, x.tolist(), target.tolist(), eta, steps, train_biases)[-1]

    return run


def torch_run(torch, network, x, target, eta, steps, train_biases=True, dtype=None):
    """Gradient descent as a PyTorch user writes it: autograd for the gradients, an update without it."""
    dtype = torch.float64 if dtype is None else dtype
    x, target = torch.tensor(x, dtype=dtype), torch.tensor(target, dtype=dtype)
    examples = x.shape[0] if x.ndim == 2 else 1

    def run():
        weights = [torch.tensor(W, dtype=dtype, requires_grad=True) for W in network.weights]
        biases = [torch.tensor(b, dtype=dtype, requires_grad=train_biases) for b in network.biases]
        trained = weights + (biases if train_biases else [])
        errors = []
        for step in range(steps + 1):
            a = x
            for W, b in zip(weights, biases):
                a = torch.sigmoid(a @ W.T + b)
            error = 0.5 * torch.sum((target - a) ** 2) / examples
            errors.append(error.detach())
            if step == steps:
                return error.item()
            grads = torch.autograd.grad(error, trained)
            with torch.no_grad():
                for p, g in zip(trained, grads):
                    p -= eta * g

    return run


# -- the two measurements ----------------------------------------------------------------------------


def measure_small(torch, steps, repeats):
    """Mazur's 2-2-2 network: microseconds per step, and the lesson's run with frozen biases."""
    example = networks.get("mazur")
    args = (example.network, example.x, example.target, example.eta, steps)
    peers = {"course_lib": course_lib_run(*args), "pure_python": pure_python_run(*args)}
    mazur = {"course_lib": course_lib_run(*args, False), "pure_python": pure_python_run(*args, False)}
    if torch is not None:
        peers["torch"], mazur["torch"] = torch_run(torch, *args), torch_run(torch, *args, False)
    final = {name: run() for name, run in mazur.items()}
    seconds = interleaved_best(peers, repeats)
    mazur_seconds = interleaved_best(mazur, repeats)
    print(f"1. A step of the 2-2-2 network ({steps:,} steps, best of {repeats})")
    for name in peers:
        print(
            f"   {name:12s} {steps / seconds[name]:10,.0f} steps/s  {1e6 * seconds[name] / steps:7.2f} us/step   "
            f"Mazur's run: {mazur_seconds[name]:.3f} s, E_total = {final[name]:.9e}"
        )
    if torch is None:
        print(f"   {TORCH_MISSING}")
    return seconds, mazur_seconds, final


def digits_data(examples=None):
    digits = load_digits()
    x = digits.data[:examples] / 16.0  # pixels 0..16 -> 0..1
    return x, np.eye(10)[digits.target[:examples]]


def measure_digits(torch, steps, repeats, examples=None):
    """The digits, 64-30-10, full batch: seconds for the whole run."""
    x, target = digits_data(examples)
    network = SigmoidNetwork.random((64, 30, 10), seed=0)
    args = (network, x, target, 3.0, steps)
    peers = {"course_lib": course_lib_run(*args)}
    if torch is not None:
        peers["torch"] = torch_run(torch, *args)
        peers["torch_float32"] = torch_run(torch, *args, dtype=torch.float32)
    final = {name: run() for name, run in peers.items()}
    seconds = interleaved_best(peers, repeats)
    print(f"2. The digits: {len(x):,} images, a 64-30-10 network, {steps} full-batch steps (best of {repeats})")
    for name in peers:
        note = "  (float32: not the same numbers)" if name == "torch_float32" else ""
        print(f"   {name:14s} {seconds[name]:7.3f} s   final error {final[name]:.9e}{note}")
    if torch is None:
        print(f"   {TORCH_MISSING}")
    elif abs(final["torch"] - final["course_lib"]) > 1e-9 * abs(final["course_lib"]):
        raise SystemExit("course_lib and PyTorch (float64) disagree on the digits: the comparison is void")
    return seconds, final


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few steps and repeats: a smoke test, not a measurement")
    args = parser.parse_args()
    torch = import_torch()
    small_steps, digits_steps, repeats = (200, 10, 1) if args.quick else (10_000, 300, 5)
    seconds, mazur_seconds, _ = measure_small(torch, small_steps, repeats)
    digits, digits_final = measure_digits(torch, digits_steps, repeats, examples=200 if args.quick else None)

    ours = small_steps / seconds["course_lib"]
    result = {"steps": small_steps, "steps_per_s": round(ours), "mazur_run_s": round(mazur_seconds["course_lib"], 4)}
    print("Ratios (how many times as fast course_lib is; above 1: faster):")
    for peer in ("pure_python", "torch"):
        key = f"ratio_vs_{peer.replace('pure_', '')}"
        if peer in seconds:
            result[f"{peer}_steps_per_s"] = round(small_steps / seconds[peer])
            result[key] = round(seconds[peer] / seconds["course_lib"], 2)
            print(f"   the 2-2-2 step: {result[key]:.2f}x {peer}")
        else:
            result[key] = None
    result |= {"digits_steps": digits_steps, "digits_s": round(digits["course_lib"], 4)}
    for peer in ("torch", "torch_float32"):
        if peer in digits:
            result[f"digits_{peer}_s"] = round(digits[peer], 4)
            result[f"digits_ratio_vs_{peer}"] = round(digits[peer] / digits["course_lib"], 2)
            print(f"   the digits:     {result[f'digits_ratio_vs_{peer}']:.2f}x {peer.replace('_', ' ')} (one thread)")
        else:
            result[f"digits_ratio_vs_{peer}"] = None
    if torch is None:
        print(f"   {TORCH_MISSING}")
    result["digits_final_error"] = digits_final["course_lib"]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
