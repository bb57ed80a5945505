"""Verdicts and reports: what the self-check says about each answer, as text and as a table.

Each answer gets a :class:`Feedback`: one of the five ``STATUSES``, a
message in plain words, the hint (the formula to use, in LaTeX) and, when
the check recognised a usual mistake, its stable identifier ``mistake``
(defined in :mod:`course_lib.mistakes`, with a human title).  A
:class:`Report` holds the feedback of one check and shows it as a table in
a notebook, or as aligned lines of text.
"""

from dataclasses import dataclass
from html import escape

from ..mistakes import UNKNOWN_NAME
from .reading import describe

__all__ = ["Feedback", "Report", "STATUSES", "MARKS"]

STATUSES = ("correct", "incorrect", "not attempted", "too few digits", "carried forward")

MARKS = {
    "correct": ("✔", "#1a7f37"),
    "too few digits": ("≈", "#9a6700"),
    "carried forward": ("↪", "#9a6700"),
    "incorrect": ("✘", "#cf222e"),
    "not attempted": ("·", "#57606a"),
}


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer.

    ``key`` names the quantity; ``status`` is one of ``STATUSES``;
    ``message`` says why in plain words; ``answer`` is what the learner gave;
    ``hint`` is the formula to use (LaTeX) and ``hint_text`` the same in plain
    text (``out_h1 = 1 / (1 + e^(-net_h1))``, for a terminal); ``mistake`` is
    None or the identifier of the recognised mistake (e.g. ``"update-sign"``,
    see :data:`course_lib.mistakes.MISTAKES`); ``typed`` is the answer as
    typed in the cell, when the check could read it there.
    """

    key: str
    status: str
    message: str
    answer: object
    hint: str
    mistake: str = None
    typed: str = None  # the answer's text as typed in the cell (0.240, where Python keeps 0.24), when known
    hint_text: str = None

    @property
    def helps(self):
        """Whether the hint belongs with this verdict (it does with every verdict that asks for more work)."""
        return bool(self.hint) and self.status in ("incorrect", "carried forward", "too few digits")


class Report:
    """The self-check of several answers: ``report[name].status`` and ``.message``, a summary, an HTML table."""

    def __init__(self, example, feedback):
        self.example = example
        self.feedback = dict(feedback)

    def __getitem__(self, name):
        key = name
        if isinstance(name, str) and name not in self.feedback:
            key = self.example.calculation.canonical(name)
        if key not in self.feedback:
            raise KeyError(f"{describe(name)} was not checked; the report covers {list(self.feedback)}")
        return self.feedback[key]

    def __iter__(self):
        return iter(self.feedback.values())

    def __len__(self):
        return len(self.feedback)

    def count(self, status):
        return sum(1 for f in self.feedback.values() if f.status == status)

    @property
    def all_correct(self):
        return len(self.feedback) > 0 and self.count("correct") == len(self.feedback)

    def summary(self):
        """One line, e.g. ``9 of 14 correct; 2 carried forward, 1 incorrect, 2 not attempted``.

        A name the network does not have (a misspelt one) is not one of its quantities: it is told
        apart at the end, ``...; 1 name not known: neth1``.
        """
        unknown = [f.key for f in self.feedback.values() if f.mistake == UNKNOWN_NAME.id]
        checked = [f for f in self.feedback.values() if f.mistake != UNKNOWN_NAME.id]
        line = (
            f"{sum(f.status == 'correct' for f in checked)} of {len(checked)} correct" if checked else "Nothing checked"
        )
        counts = {s: sum(f.status == s for f in checked) for s in STATUSES[1:]}
        others = [f"{n} {s}" for s, n in counts.items() if n]
        if self.all_correct:
            return line + ". Well done!"
        line += "; " + ", ".join(others) if others else ""
        if unknown:
            names = f"{len(unknown)} name{'s' if len(unknown) > 1 else ''} not known: {', '.join(map(str, unknown))}"
            line += "; " + names
        return line

    def reveal(self, name):
        """The worked solution of one quantity (LaTeX in a notebook)."""
        from ..working import explain

        return explain(self.example, name)

    def __repr__(self):
        width = max([len(k) for k in self.feedback] + [8])
        lines = []
        for f in self.feedback.values():
            lines.append(f"{f.key:<{width}}  {f.status:<15}  {f.message}")
            if f.helps and f.hint_text:
                lines.append(f"{'':<{width}}  {'':<15}  Hint: {f.hint_text}")
        return "\n".join(lines + [self.summary()])

    def _repr_html_(self):
        rows = []
        for f in self.feedback.values():
            mark, colour = MARKS[f.status]
            shown = "" if f.answer is Ellipsis or f.answer is None else escape(f.typed or describe(f.answer, 30))
            hint = f"<br><small>Hint: ${escape(f.hint)}$</small>" if f.helps else ""
            name = f.key if f.key in self.example.calculation.by_key else None
            symbol = f"${escape(self.example.latex(name))}$ " if name else ""
            rows.append(
                f"<tr><td>{symbol}<code>{escape(f.key)}</code></td><td>{shown}</td>"
                f"<td style='color:{colour};font-weight:bold;white-space:nowrap'>{mark} {f.status}</td>"
                f"<td style='text-align:left'>{escape(f.message)}{hint}</td></tr>"
            )
        return (
            f"<div class='course-selfcheck'><p><b>{escape(self.summary())}</b></p>"
            "<table><thead><tr><th>quantity</th><th>your answer</th><th>result</th><th>feedback</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )
