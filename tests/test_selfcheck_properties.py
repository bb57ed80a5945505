"""Properties of the self-check over many problems and any values: the zeros that tools/audit_selfcheck.py counts.

- an honest hand calculation (every number rounded to 3 or 4 significant figures, half up or half to even,
  typed in whole or in part, as text, as floats or as literals in a cell) is never called wrong;
- a wrong answer (a usual mistake, a wrong learning rate, a slip of a few per cent) is never called correct;
- after a slip, the rest of an honest calculation is followed through, never called incorrect;
- no value of any Python type, under any name, raises out of check_answers or its display.

The problems are practice problems with hypothesis-drawn seeds, the simulated learners those of the audit.
Hypothesis runs derandomized with a fixed number of examples, so the suite is the same on every run.
"""

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_lib import Answers, check_answers, networks, practice
from course_lib.mistakes import MISTAKES
from course_lib.selfcheck import STATUSES
from course_lib.selfcheck.verdicts import PARTS

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("audit_selfcheck", ROOT / "tools" / "audit_selfcheck.py")
audit = importlib.util.module_from_spec(_spec)
sys.modules["audit_selfcheck"] = audit  # dataclasses look their module up here
_spec.loader.exec_module(audit)


def profile(examples):
    """A fixed, derandomized run of ``examples`` cases; a failure is reported as found (shrinking a worked
    training step can take many minutes, and the failing case names everything needed to reproduce it)."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


problems = st.one_of(
    st.sampled_from(networks.names()).map(networks.get),
    st.builds(practice, st.sampled_from(networks.names()), st.integers(0, 10**6)),
)


def computed_keys(example):
    return [k for k, q in example.calculation.by_key.items() if q.stage not in ("given",)]


def _fail_message(tally):
    return "\n".join(tally.samples)


@profile(50)
@given(
    problems,
    st.sampled_from([3, 4]),
    st.sampled_from(sorted(audit.MODES)),
    st.sampled_from(["step", "weight"]),
    st.sampled_from(["all", "asked", "results", "sparse"]),
    st.sampled_from(["text", "float", "cell"]),
    st.integers(0, 1000),
)
def test_an_honest_hand_calculation_is_never_called_wrong(example, figures, mode, updates, typing, form, seed):
    sheet = audit.honest_sheet(example, figures, mode, updates, typing, form, seed)
    tally = audit.Tally()
    audit.judge_sheet(sheet, tally)
    assert tally.tracebacks == 0 and tally.wrong == 0, _fail_message(tally)


@profile(20)
@given(problems, st.data())
def test_a_wrong_answer_is_never_called_correct(example, data):
    keys = data.draw(st.lists(st.sampled_from(computed_keys(example)), min_size=1, max_size=4, unique=True))
    honest = audit._honest_values(example)
    exact = example.quantities()
    context = {k: f"{exact[k]:.6g}" for k in computed_keys(example)}
    tally = audit.Tally()
    for key in keys:
        for name, value, nameable in audit.wrong_values(example, key):
            for digits in (3, 6):
                text = f"{Decimal(repr(value)):.{digits - 1}E}"
                if audit.is_wrong(example, key, text, honest[key]):
                    earlier = {k: v for k, v in context.items() if example.calculation.position[k] <
                               example.calculation.position[key]}  # fmt: skip
                    for answers in ({key: text}, {**earlier, key: text}):
                        audit._judge_wrong(example, answers, key, f"{name} ({text})", tally, nameable)
    assert tally.tracebacks == 0 and tally.false_correct == 0 and tally.wrong == 0, _fail_message(tally)


@profile(40)
@given(problems, st.data(), st.sampled_from([3, 4]), st.sampled_from([0.8, 1.07, 1.3, -1.0]))
def test_after_a_slip_the_rest_of_an_honest_calculation_is_followed(example, data, figures, factor):
    key = data.draw(st.sampled_from([k for k in computed_keys(example) if not k.endswith("_new") or "E" not in k]))
    exact = example.quantities()
    slip = Decimal(f"{exact[key] * factor + 0.013:.3g}")
    written = audit.hand_calculation(example, figures, "half-up", "step", {key: slip})
    answers = {k: audit.as_text(d) for k, d in written.items()}
    report = check_answers(example, answers)
    wrong = {k: (f.status, f.message) for k, f in report.feedback.items()
             if k != key and f.status not in ("correct", "carried forward")}  # fmt: skip
    assert not wrong, (key, str(slip), wrong)


# -- any value at all ------------------------------------------------------------------------


class BrokenFloat:
    def __float__(self):
        raise RuntimeError("no float")

    def __repr__(self):
        raise RuntimeError("no repr")


class BrokenReal(float):
    def __repr__(self):
        raise ValueError("no repr")

    def __str__(self):
        raise ValueError("no str")


class BrokenEquality:
    def __eq__(self, other):
        raise RuntimeError("no comparing")

    __hash__ = object.__hash__


numeric_text = st.from_regex(r"\A\s?[-+\u2212]?\d{0,3}[.,]?\d{0,6}([eE][-+]?\d{1,4})?\s?\Z")
dtypes = st.sampled_from(["float16", "float32", "float64", "int8", "int64", "uint16", "bool", "complex128"])
scalars = st.one_of(
    st.none(),
    st.just(...),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**500),
    st.floats(),
    st.decimals(),
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.sampled_from([Decimal("sNaN"), Decimal("-sNaN"), Decimal("0E+999"), Decimal("1E-999999")]),
    st.fractions(),
    st.fractions(max_denominator=10**400),
    st.complex_numbers(),
    st.text(max_size=12),
    numeric_text,
    st.binary(max_size=8),
    dtypes.flatmap(lambda t: hnp.from_dtype(np.dtype(t))),
    dtypes.flatmap(lambda t: hnp.arrays(np.dtype(t), hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))),
    st.builds(BrokenFloat),
    st.builds(BrokenReal, st.floats(allow_nan=False)),
    st.builds(BrokenEquality),
    st.sampled_from([print, type, object(), range(3), slice(1), Answers, np.float64]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner), st.dictionaries(st.text(max_size=3),
                                                                                                  inner, max_size=2)),
    max_leaves=4,
)  # fmt: skip


def names(example):
    known = list(example.calculation.by_key) + list(example.calculation.aliases)
    return st.one_of(st.sampled_from(known), st.text(max_size=10), st.integers(), st.tuples(st.integers()),
                     st.sampled_from(["Err_o1", "C", "E_total", "dE/dw", "neth1", "w16_new", "_secret"]))  # fmt: skip


def keys_for(example):
    return st.one_of(st.none(), st.sampled_from(sorted(PARTS)), st.lists(names(example), max_size=3), names(example),
                     values)  # fmt: skip


def _look_at(report):
    repr(report)
    report._repr_html_()
    report.summary()
    for feedback in report:
        assert feedback.status in STATUSES and isinstance(feedback.message, str) and isinstance(feedback.key, str)
        assert feedback.mistake is None or feedback.mistake in MISTAKES


@profile(250)
@given(st.sampled_from(networks.names()).map(networks.get), st.data())
def test_no_value_of_any_type_raises_out_of_check_answers(example, data):
    answers = data.draw(st.dictionaries(names(example), values, max_size=5))
    _look_at(check_answers(example, answers, data.draw(keys_for(example))))


@profile(80)
@given(st.sampled_from(["mazur", "perceptron", "han-kamber"]).map(networks.get), st.data())
def test_no_value_typed_into_an_answers_object_raises(example, data):
    answers = Answers(example)
    for name, value in data.draw(st.lists(st.tuples(names(example), values), max_size=5)):
        answers[name] = value
    _look_at(check_answers(example, answers))
    _look_at(answers.check("forward"))


def test_the_audits_functions_on_a_batch_are_all_judged_right():
    """Lesson 10's batch checks, as the audit tries them: right, each usual mistake, broken, slow, hostile."""
    tally = audit.audit_batch()
    assert tally.tried > 150 and tally.samples == []
    assert (tally.clear, tally.tracebacks, tally.wrong, tally.false_correct) == (tally.tried, 0, 0, 0)
