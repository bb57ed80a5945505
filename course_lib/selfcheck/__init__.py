"""Self-check: is my pen-and-paper answer right, and if not, what went wrong?

A learner writes answers by name (``answers.net_h1 = 0.3775``) and
:func:`check_answers` compares them with the answer key, which the library
computes (``example.quantities()``).  Each answer gets one of five verdicts:

- ``"correct"``;
- ``"too few digits"``: right as far as it goes, but give at least 3
  significant figures (and, for a new weight, enough to show its step);
- ``"carried forward"``: the method is right, but it starts from the learner's
  own earlier answer, which is off (an examiner's "follow-through");
- ``"incorrect"``, with the usual mistake named when one explains the number
  (``feedback.mistake``, see :mod:`course_lib.mistakes`) and a hint (the
  formula to use);
- ``"not attempted"``.

**The rule for "correct"** (fair to pen and paper): an answer is right when
it is the exact value rounded to the digits you wrote, or what you get by
working from your own earlier answers, rounding each number along the way to
3 significant figures or more.  Write at least 3 significant figures.  A new
weight must show its step: if the number you wrote could also be the old
weight, or a step the wrong way, write more digits.

:func:`check_forward` and :func:`check_backward` check a learner's code, on
a private copy of the network and with a time limit; :func:`check_batch_forward`
and :func:`check_batch_backward` do the same for code on a batch, one row per
example (lesson 10's exercise).  Every check's result goes to the listeners
(:func:`add_listener`), e.g. a room dashboard's client.

One module per idea:

- :mod:`~course_lib.selfcheck.reading`: a number as it was written (its digits);
- :mod:`~course_lib.selfcheck.typed`: the text a number was typed with, from the cell;
- :mod:`~course_lib.selfcheck.names`: names, misspelt names and other texts' names;
- :mod:`~course_lib.selfcheck.answers`: the :class:`Answers` object;
- :mod:`~course_lib.selfcheck.honest`: the range an honest hand calculation can reach;
- :mod:`~course_lib.selfcheck.verdicts`: the rule and the follow-through;
- :mod:`~course_lib.selfcheck.diagnose`: naming the mistake behind a wrong answer;
- :mod:`~course_lib.selfcheck.report`: :class:`Feedback` and :class:`Report`;
- :mod:`~course_lib.selfcheck.code`: checking a learner's forward and backward functions;
- :mod:`~course_lib.selfcheck.batch`: the same for functions on a batch (one row per example);
- :mod:`~course_lib.selfcheck.listeners`: who hears of each check.
"""

from .answers import Answers
from .batch import check_batch_backward, check_batch_forward
from .code import TIME_LIMIT, CodeCheck, check_backward, check_forward
from .listeners import add_listener, remove_listener
from .reading import AnswerProblem, Written, read_answer
from .report import STATUSES, Feedback, Report
from .verdicts import MIN_FIGURES, check_answers

__all__ = [
    "Answers",
    "check_answers",
    "check_forward",
    "check_backward",
    "check_batch_forward",
    "check_batch_backward",
    "add_listener",
    "remove_listener",
    "Report",
    "Feedback",
    "CodeCheck",
    "STATUSES",
    "MIN_FIGURES",
    "TIME_LIMIT",
    "read_answer",
    "Written",
    "AnswerProblem",
]
