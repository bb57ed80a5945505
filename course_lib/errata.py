"""The errata of a retelling of Han & Kamber's worked example: every line it prints, held against the library.

One of the course's source texts retells the 3-2-1 example of Han, Kamber & Pei (lesson 06) in names of
its own: ``a_j`` for the output ``O_j``, ``delta_j`` for the book's ``Err_j`` (with the book's sign: its
``delta_6`` is positive), ``b6`` for the bias ``theta_6``, ``eta`` for the learning rate ``l``.  Of the
numbers and formulas it prints, 21 items are wrong and four lines are right.

:func:`retelling_errata` returns them all, in the order of the text, as :class:`Erratum` records.  What
the text prints is a quotation and is typed here as printed (``printed``, ``value``); everything that is
*right* is computed from the example by the library (``correct``, and every number in ``right``,
``probably`` and ``check``), never typed.  Where an explanation says what the text probably did, the
record carries the number that this gives from the text's own numbers (``slip``, ``own``), and the
tests hold it to the printed number; they hold every ``correct`` to the library's network and to the
book's own published tables.

In a notebook, ``retelling_errata()`` shows itself as a table: the text's line, the right one, what was
probably done, and the cheap check that catches it; ``errata.table(1, 2, 3)`` shows a few rows.
"""

import re
from dataclasses import dataclass
from html import escape

from .networks import Example, get
from .sigmoid import sigmoid, sigmoid_prime
from .working import latex_number

__all__ = ["Erratum", "Errata", "retelling_errata", "KINDS", "WRONG_ITEMS"]

WRONG_ITEMS = 21  # the count of the wrong items; the tests hold the table to it
KINDS = {
    "digit": "a digit misread or mistyped",
    "sign": "a minus sign dropped",
    "rule": "a formula or rule not applied as it is",
    "copied": "a number copied from the wrong place",
    "carried": "right arithmetic on an earlier wrong number",
    "unknown": "a number whose source we could not find",
}


@dataclass(frozen=True)
class Erratum:
    """One item of the retelling: a number, a name or a formula it prints, and what is right.

    ``number`` is 1 ... 21 for a wrong item, None for a line the text prints right.  ``printed`` is the
    text's line (LaTeX, quoted), ``means`` what it stands for in the book's names, ``right`` the right
    line (LaTeX, numbers from the library), ``probably`` what the text probably did (empty for a right
    line) and ``check`` the quick check that catches the slip without redoing the whole calculation.
    ``value`` is the printed number (None for a name or a formula) and ``correct`` the library's number
    for it; ``key`` is the library quantity ``correct`` comes from, if it is one.  Two numbers back the
    explanation, both worked from the text's own numbers: ``slip``, what the probable slip gives (it
    reproduces ``value``), and ``own``, what the text's own numbers or formula give where the item
    contradicts them (e.g. the printed factors of ``delta6`` multiplied); None where there is none.
    ``kind`` sorts a wrong item into one of ``KINDS`` (``"digit"``, ``"sign"``, ...).
    """

    number: object
    printed: str
    means: str
    right: str
    probably: str
    check: str
    value: float = None
    correct: float = None
    slip: float = None
    own: float = None
    key: str = None
    kind: str = None

    @property
    def wrong(self):
        """True for one of the wrong items, False for a line printed right."""
        return self.number is not None


class Errata:
    """The retelling's items in the text's order: ``errata[5]`` is wrong item 5; iterate for all of them."""

    def __init__(self, example, entries):
        self.example = example
        self.entries = tuple(entries)

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def __getitem__(self, number):
        for entry in self.entries:
            if entry.number == number:
                return entry
        raise KeyError(f"the retelling has wrong items 1 to {WRONG_ITEMS}, not {number!r}")

    def wrong(self):
        """The wrong items, 1 ... 21."""
        return [e for e in self.entries if e.wrong]

    def right_lines(self):
        """The lines the text prints right."""
        return [e for e in self.entries if not e.wrong]

    def table(self, *numbers, right_lines=True):
        """A table of the wrong items ``numbers`` (all if none are given), with the right lines among them
        (``right_lines=False`` leaves those out); it shows itself in a notebook."""
        unknown = [n for n in numbers if n not in {e.number for e in self.wrong()}]
        if unknown:
            raise KeyError(f"the retelling has wrong items 1 to {WRONG_ITEMS}, not {unknown}")
        chosen = list(self.entries)
        if numbers:  # from just after the wrong item before the first chosen to just before the one after the last
            places = [k for k, e in enumerate(self.entries) if e.wrong]
            first, last = self.entries.index(self[min(numbers)]), self.entries.index(self[max(numbers)])
            start = max([k + 1 for k in places if k < first], default=0)
            end = min([k for k in places if k > last], default=len(self.entries))
            chosen = [e for e in self.entries[start:end] if e.number in numbers or not e.wrong]
        return Errata(self.example, [e for e in chosen if e.wrong or right_lines])

    def kinds(self):
        """How many wrong items there are of each kind (see ``KINDS``), in the order of ``KINDS``."""
        return {kind: sum(1 for e in self.wrong() if e.kind == kind) for kind in KINDS}

    def summary(self):
        """One line: how many items are wrong and how many lines are right."""
        wrong, right = len(self.wrong()), len(self.right_lines())
        return f"{wrong} wrong item{'s' * (wrong != 1)}, {right} line{'s' * (right != 1)} printed right"

    def __repr__(self):
        lines = []
        for e in self.entries:
            mark = f"{e.number:>2}. wrong" if e.wrong else "    right"
            lines.append(f"{mark}: {e.printed}  ->  {e.right}")
        return "\n".join(lines + [self.summary()])

    def _repr_html_(self):
        """A table with fixed columns, so that it fits a laptop's notebook; long formulas break at their ``=``."""
        rows = []
        for e in self.entries:
            if e.wrong:
                mark = f"<td style='color:#cf222e;font-weight:bold;white-space:nowrap'>✘ {e.number}</td>"
            else:
                mark = "<td style='color:#1a7f37;font-weight:bold;white-space:nowrap'>✔ right</td>"
            cells = [f"{_math_lines(e.printed)}<br><small>{escape(e.means)}</small>", _math_lines(e.right)]
            cells += [_breakable(e.probably), _breakable(e.check)]
            cells = "".join(f"<td style='text-align:left;vertical-align:top'>{c}</td>" for c in cells)
            rows.append(f"<tr>{mark}{cells}</tr>")
        widths = ("7%", "23%", "22%", "24%", "24%")
        heads = ("", "the text prints", "right (the library)", "probably", "the cheap check")
        head = "".join(f"<th style='text-align:left;width:{w}'>{h}</th>" for w, h in zip(widths, heads))
        return (
            "<div class='course-errata'><table style='table-layout:fixed;width:100%;font-size:92%'>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p><small>{escape(self.summary())}</small></p></div>"
        )


def _breakable(text):
    """Text with inline formulas, each cut into pieces at its relations (``a = b`` -> ``$a$ $= b$``).

    MathJax keeps a formula on one line; cut at ``=``, ``<``, ``>``, ``\\le`` or ``\\approx``, a long one can wrap in
    a narrow column of the table instead of running into the next.
    """

    def cut(match):
        pieces = re.split(r"\s(?==\s|&lt;\s|&gt;\s|\\le\s|\\approx\s)", match.group(1))  # after escape()
        return " ".join(f"${piece}$" for piece in pieces)

    return re.sub(r"\$([^$]+)\$", cut, escape(text))


def _math_lines(latex):
    """``a = b = c`` as inline formulas, one per line (``a``, ``= b``, ``= c``): MathJax does not break lines.

    A newline in ``latex`` breaks a line too (for a long product).
    """
    lines = []
    for chunk in latex.split("\n"):
        pieces = re.split(r"\s=\s", chunk)
        lines += [pieces[0]] + [f"= {piece}" for piece in pieces[1:]] if pieces[0] else [chunk]
    return "<br>".join(f"${escape(line)}$" for line in lines)


def _n(value, digits=4):
    """A number for LaTeX, to ``digits`` significant figures, negative ones in brackets when inside a formula."""
    return latex_number(value, digits)


def retelling_errata(example=None):
    """The retelling's items (an :class:`Errata`), with every right number computed from ``example``.

    ``example`` is the course's Han & Kamber network (``networks.get("han-kamber")``, the default); a
    version with other numbers is refused, since the quotations belong to the book's numbers.
    """
    example = get("han-kamber") if example is None else example
    if not isinstance(example, Example) or example != get("han-kamber"):
        raise ValueError("the retelling's errata are about networks.get('han-kamber') with the book's own numbers")
    q = example.quantities()
    eta, O4, O5, O6, I6 = q["eta"], q["O4"], q["O5"], q["O6"], q["I6"]
    Err4, Err5, Err6 = q["Err4"], q["Err5"], q["Err6"]
    step46, step35 = q["w46_new"] - q["w46"], q["w35_new"] - q["w35"]
    no_bias = q["w46"] * O4 + q["w56"] * O5  # I6 without theta6
    bound5, bound4 = 0.25 * abs(q["w56"]) * abs(Err6), 0.25 * abs(q["w46"]) * abs(Err6)
    biggest_step = eta * 0.25 * 1.0  # l |Err| O for an output unit: |T - O| < 1, O (1 - O) <= 1/4, O < 1
    swapped = eta * Err4 * O6  # "eta delta_i a_j" for w46 (i = 4, j = 6): Err4 times O6
    # The text's own numbers, quoted, for reproducing its slips.
    text = dict(a5=0.525, delta6=0.131, delta5=0.00653, step16=0.046, w16=-0.3)

    kinds = {1: "digit", 2: "sign", 3: "unknown", 4: "copied", 5: "digit", 6: "carried", 7: "rule", 8: "rule",
             9: "copied", 10: "sign", 11: "rule", 12: "digit", 13: "digit", 14: "carried", 15: "digit",
             16: "carried", 17: "rule", 18: "sign", 19: "unknown", 20: "rule", 21: "carried"}  # fmt: skip

    def row(number, printed, means, right, probably="", check="", **numbers):
        return Erratum(number, printed, means, right, probably, check, kind=kinds.get(number), **numbers)

    entries = [
        row(None, r"a_4 = 0.332", "the output of unit 4", rf"O_4 = {_n(O4)}",
            check=r"The sigmoid of $I_4 = -0.7$: below $\tfrac12$, because $I_4 < 0$.",
            value=0.332, correct=O4, key="O4"),
        row(1, r"a_5 = 0.325", "the output of unit 5", rf"O_5 = {_n(O5)}",
            "A digit slip: 0.525 with its first 5 read as 3.",
            rf"$I_5 = {_n(q['I5'], 3)} > 0$, so $O_5 > \tfrac12$: the sigmoid is $\tfrac12$ at 0 and rises.",
            value=0.325, correct=O5, key="O5"),
        row(2, r"w_{56} = 0.2", "the weight from unit 5 to unit 6, as the text uses it",
            rf"w_{{56}} = {_n(q['w56'])}",
            "The minus sign lost in copying the table of starting weights.",
            "Compare every number you copy with the given table, sign by sign.",
            value=0.2, correct=q["w56"], key="w56"),
        row(3, r"\text{net input of unit 6} = -0.206", "the book's $I_6$", rf"I_6 = {_n(I6)}",
            "No slip we tried gives $-0.206$ exactly; leaving out the bias comes closest: "
            rf"$w_{{46}} O_4 + w_{{56}} O_5 = {_n(no_bias)}$.",
            r"Estimate with one digit: $-0.3 \times 0.3 - 0.2 \times 0.5 + 0.1 \approx -0.1$.",
            value=-0.206, correct=I6, key="I6", own=no_bias),
        row(4, r"a_6 = 0.194", "the output of unit 6, the network's output", rf"O_6 = {_n(O6)}",
            r"0.194 is a number of the book's third table (its $w_{35}^{+}$ and $\theta_5^{+}$): perhaps "
            "copied from the wrong line.",
            rf"An output is the sigmoid of its own net input: $\sigma(-0.206) = {_n(sigmoid(-0.206))}$, not "
            r"0.194; a net input near 0 gives an output near $\tfrac12$.",
            value=0.194, correct=O6, key="O6", own=float(sigmoid(-0.206))),
        row(5, r"\text{Error} = 1 - 0.414", "$T_6 - O_6$: the 0.414 stands for $O_6$", rf"O_6 = {_n(O6)}",
            "A digit slip: 0.474 with its 7 read as 1. The result 0.526 is $1 - 0.474$: the calculation behind "
            "the page used the right output.",
            r"Subtract again: $1 - 0.414 = 0.586$, not the printed 0.526. The text now has three values of $a_6$.",
            value=0.414, correct=O6, key="O6", own=1 - 0.414),
        row(None, r"= 0.526", r"$T_6 - O_6$, the last factor of $Err_6$", rf"T_6 - O_6 = {_n(q['T6'] - O6)}",
            check=r"Positive, as it must be: the output is below its target.",
            value=0.526, correct=q["T6"] - O6),
        row(6, "\\delta_6 = 0.414 \\times (1 - 0.414)\n\\times (1 - 0.414)", "the three factors of $Err_6$",
            rf"O_6 (1 - O_6)(T_6 - O_6) = {_n(O6)} \times {_n(1 - O6)} \times {_n(q['T6'] - O6)}",
            "The wrong 0.414 of item 5 copied into every factor; the result, 0.131, was worked out with 0.474.",
            rf"Multiply the printed factors: $0.414 \times 0.586 \times 0.586 = {_n(0.414 * 0.586 * 0.586, 3)}$, "
            "not the printed 0.131.",
            correct=Err6, own=0.414 * (1 - 0.414) * (1 - 0.414)),
        row(None, r"= 0.131", r"$Err_6$, the text's $\delta_6$ (with the book's sign)",
            rf"Err_6 = -\delta_6 = {_n(Err6)}",
            check="Positive, as it must be: the output is below its target.",
            value=0.131, correct=Err6, key="Err6"),
        row(7, r"\sigma'(a_j)", "the slope of unit $j$'s sigmoid",
            rf"\frac{{\partial O_j}}{{\partial I_j}} = \sigma'(I_j) = O_j(1 - O_j)"
            rf" = {_n(q['dO6/dI6'])}\ \text{{for unit 6}}",
            r"$\sigma'$ taken of the output $a_j$, which is already $\sigma(\mathrm{net}_j)$: "
            rf"$\sigma'(a_6) = {_n(sigmoid_prime(O6))}$ is the slope at another place of the curve.",
            r"Name what the derivative is taken of. At a net input near 0 the slope is near its largest value, "
            r"$\tfrac14$.",
            correct=q["dO6/dI6"], key="dO6/dI6", own=float(sigmoid_prime(O6))),
        row(8, r"\delta_5 = 0.095", "the book's $Err_5$", rf"Err_5 = {_n(Err5)}",
            r"0.095 is exactly $(1 - 0.525) \times 0.2$: two of the four factors of $a_5 (1 - a_5)\,"
            r"\delta_6\, w_{56}$, with the sign of $w_{56}$ dropped.",
            rf"The slope is at most $\tfrac14$, so $|Err_5| \le \tfrac14 |w_{{56}}|\,|Err_6| = {_n(bound5, 3)}$; "
            r"and $Err_5 < 0$, since $Err_6 > 0$ and $w_{56} < 0$.",
            value=0.095, correct=Err5, key="Err5", slip=(1 - text["a5"]) * 0.2),
        row(9, r"\delta_4 = 0.095", "the book's $Err_4$", rf"Err_4 = {_n(Err4)}",
            "The number of $\\delta_5$ given to unit 4 as well, though units 4 and 5 have different weights and "
            "outputs.",
            rf"$|Err_4| \le \tfrac14 |w_{{46}}|\,|Err_6| = {_n(bound4, 3)}$; and $Err_4 < 0$, since $w_{{46}} < 0$.",
            value=0.095, correct=Err4, key="Err4"),
        row(10, r"0.00653", r"the value of $\delta_5$ the text goes on with", rf"Err_5 = {_n(Err5)}",
            r"The size is right, from the book's rounded numbers, $0.525 \times 0.475 \times 0.131 \times 0.2$; "
            r"the minus sign of $w_{56}$ is dropped. It also contradicts the text's own $\delta_5 = 0.095$.",
            r"Signs first: $Err_6 > 0$, the slope $> 0$ and $w_{56} < 0$, so $Err_5 < 0$.",
            value=0.00653, correct=Err5, key="Err5",
            slip=text["a5"] * (1 - text["a5"]) * text["delta6"] * 0.2),
        row(11, r"\Delta w_{ij} = \eta\, \delta_i\, a_j", "the update rule",
            r"\Delta w_{ij} = l\, Err_j\, O_i",
            rf"The indices swapped. For $w_{{46}}$ the step is $l\, Err_6\, O_4 = {_n(step46)}$; the printed rule "
            rf"gives $\eta\, \delta_4\, a_6 = {_n(swapped)}$, the error of the wrong unit times the wrong output.",
            r"$w_{ij}$ runs from unit $i$ to unit $j$: its step uses the output that travels along it, $O_i$, "
            r"and the error of the unit it feeds, $Err_j$.",
            correct=step46, own=swapped),
        row(12, r"w_{16}", "the name of the weight updated", r"w_{46}",
            "A 4 read as 1: the line is the update of the weight from unit 4 to unit 6.",
            "A weight's name must be a line of the diagram: unit 1 feeds units 4 and 5 only."),
        row(13, r"0.392", "the output $w_{46}$ carries, in the update of $w_{16}$", rf"O_4 = {_n(O4)}",
            r"$a_4 = 0.332$ with its second 3 read as 9; with 0.392 the step comes out as the printed 0.046 "
            "(item 14).",
            r"The only output that $w_{46}$ carries is $a_4$, printed 0.332 a few lines before.",
            value=0.392, correct=O4, key="O4"),
        row(14, r"\Delta w_{16} = 0.046", "the step of $w_{46}$",
            rf"\Delta w_{{46}} = l\, Err_6\, O_4 = {_n(step46)}",
            r"The step worked out with the 0.392 of item 13: $0.9 \times 0.131 \times 0.392$.",
            r"Estimate: $0.9 \times 0.13 \times 0.33 \approx 0.039$.",
            value=0.046, correct=step46, slip=eta * text["delta6"] * 0.392),
        row(15, r"w_{16}^{new} = 0.939 - 0.3", "the 0.939 stands for the step",
            rf"\Delta w_{{46}} = {_n(step46)}",
            "Perhaps the step 0.039 with the 0 after its point typed as 9, the key beside it; it is neither the "
            "text's own step (0.046) nor the right one.",
            r"A step is small: for an output unit $|Err| \le \tfrac14$ and $O < 1$, so "
            rf"$|l\, Err_6\, O_4| < \tfrac14 l = {_n(biggest_step, 3)}$.",
            value=0.939, correct=step46),
        row(16, r"w_{16}^{new} = 0.639", "the new $w_{46}$", rf"w_{{46}}^{{+}} = {_n(q['w46_new'])}",
            r"Right arithmetic on the wrong 0.939: $0.939 - 0.3 = 0.639$.",
            rf"The new weight is the old one, $-0.3$, plus a step smaller than {_n(biggest_step, 3)}: it cannot "
            "change sign.",
            value=0.639, correct=q["w46_new"], key="w46_new", slip=0.939 - 0.3),
        row(17, r"0.939 - 0.3", "how the new $w_{46}$ is made",
            rf"w_{{46}}^{{+}} = w_{{46}} + \Delta w_{{46}} = {_n(q['w46'])} + {_n(step46)}",
            r"The text's own rule, $w + \Delta w$, is not applied: with its own numbers it gives "
            rf"$-0.3 + 0.046 = {_n(text['w16'] + text['step16'], 3)}$. The line subtracts 0.3 from another "
            "number instead.",
            "Write the rule's two terms into the line: the old weight, plus the step.",
            correct=q["w46_new"], own=text["w16"] + text["step16"]),
        row(18, r"\Delta w_{35} = 0.00588", "the step of $w_{35}$",
            rf"\Delta w_{{35}} = l\, Err_5\, x_3 = {_n(step35)}",
            r"Right in size, $0.9 \times 0.00653$, but with the sign dropped in item 10.",
            r"Signs: $Err_5 < 0$ and $x_3 = 1$, so $w_{35}$ must fall.",
            value=0.00588, correct=step35, slip=eta * text["delta5"]),
        row(19, r"w_{35} = 0.2 - 0.00857", "the 0.00857 stands for the size of the step",
            rf"|\Delta w_{{35}}| = {_n(-step35)}",
            rf"We could not find where 0.00857 comes from: it is not $l\,|Err_5| = {_n(eta * abs(Err5), 3)}$ (the "
            rf"text's own 0.00588) nor $l\,|Err_4| = {_n(eta * abs(Err4), 3)}$.",
            r"$x_3 = 1$, so $w_{35}$ moves exactly as $\theta_5$ does, by $l\, Err_5$: the book's table has both "
            "at 0.194.",
            value=0.00857, correct=-step35),
        row(20, r"0.2 - 0.00857", "how the new $w_{35}$ is made",
            rf"w_{{35}}^{{+}} = w_{{35}} + \Delta w_{{35}} = {_n(q['w35'])} + \left({_n(step35)}\right)",
            "Subtracting where the text's rule adds. With the sign already dropped (item 18) the two slips "
            r"cancel in direction: the rule with the text's own step gives $0.2 + 0.00588 = "
            rf"{_n(0.2 + 0.00588, 5)}$, upwards.",
            "Write the rule's two terms, old weight plus step, the step with its sign.",
            correct=q["w35_new"], own=0.2 + 0.00588),
        row(21, r"w_{35} = 0.19143", "the new $w_{35}$", rf"w_{{35}}^{{+}} = {_n(q['w35_new'], 5)}",
            r"Right arithmetic on the wrong 0.00857: $0.2 - 0.00857 = 0.19143$.",
            "Compare with the book's own third table: 0.194.",
            value=0.19143, correct=q["w35_new"], key="w35_new", slip=0.2 - 0.00857),
        row(None, r"b_6 = 0.218", r"the new bias of unit 6, the book's $\theta_6^{+}$",
            rf"\theta_6^{{+}} = \theta_6 + l\, Err_6 = {_n(q['theta6_new'])}",
            check=r"The rule $w + \Delta w$, applied as written, with the bias's input 1.",
            value=0.218, correct=q["theta6_new"], key="theta6_new"),
    ]  # fmt: skip
    return Errata(example, entries)
