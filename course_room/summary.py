"""The dashboard's figures: per exercise and quantity, how many learners stand where.

For every learner only their latest verdict on each quantity counts.  A
learner is *in* an exercise once they have checked anything in it; for each
quantity of it they are counted once, under one of the five verdicts, and
under "not attempted" if they have not checked it yet.  A learner is *stuck*
on a step while their latest verdict there is "incorrect": for as long as it
has been (``since``, the first of those incorrect checks in a row).  The
named mistakes are those of the latest incorrect verdicts.

Times are the server's clock (seconds since the epoch); the page counts the
"stuck for" minutes on from the ``now`` of the figures.
"""

import statistics
from collections import Counter, defaultdict

from course_lib.room import VERDICTS

from .course import exercise_key, exercise_title, mistake_title, quantity_key

TOP = 8  # mistakes and stuck steps shown in the room-wide lists


def summarise(room, rows, total, last, now, active_for=600.0):
    """Figures from the ``latest`` rows (learner, exercise, quantity, verdict, mistake, checked_at, since)."""
    learners = defaultdict(set)  # exercise -> learners in it
    counts = defaultdict(Counter)  # (exercise, quantity) -> verdict -> learners
    mistakes = defaultdict(Counter)  # (exercise, quantity) -> mistake -> learners
    stuck = defaultdict(list)  # (exercise, quantity) -> since, of each learner stuck there
    by_mistake = defaultdict(set)  # mistake -> learners
    where = defaultdict(Counter)  # mistake -> (exercise, quantity) -> learners
    active = set()
    for learner, exercise, quantity, verdict, mistake, checked_at, since in rows:
        learners[exercise].add(learner)
        counts[exercise, quantity][verdict] += 1
        if checked_at >= now - active_for:
            active.add(learner)
        if verdict == "incorrect":
            stuck[exercise, quantity].append(since)
            if mistake:
                mistakes[exercise, quantity][mistake] += 1
                by_mistake[mistake].add(learner)
                where[mistake][exercise, quantity] += 1

    exercises = []
    for exercise in sorted(learners, key=exercise_key):
        quantities = []
        for quantity in sorted({q for e, q in counts if e == exercise}, key=lambda q: quantity_key(exercise, q)):
            tally = {verdict: counts[exercise, quantity][verdict] for verdict in VERDICTS}
            tally["not attempted"] += len(learners[exercise]) - sum(tally.values())
            quantities.append(
                {
                    "quantity": quantity,
                    "counts": tally,
                    "stuck": _stuck(stuck[exercise, quantity], now),
                    "mistakes": [
                        {"mistake": m, "title": mistake_title(m), "learners": n}
                        for m, n in mistakes[exercise, quantity].most_common()
                    ],
                }
            )
        exercises.append(
            {
                "exercise": exercise,
                "title": exercise_title(exercise),
                "learners": len(learners[exercise]),
                "quantities": quantities,
            }
        )

    top_mistakes = sorted(by_mistake, key=lambda m: (-len(by_mistake[m]), m))[:TOP]
    stuck_steps = sorted(
        (key for key in stuck if stuck[key]), key=lambda key: (-len(stuck[key]), min(stuck[key]), key)
    )[:TOP]
    return {
        "room": {"code": room.code, "title": room.title},
        "now": now,
        "reports": total,
        "learners": len({learner for members in learners.values() for learner in members}),
        "active": len(active),
        "active_for": active_for,
        "last_report": last,
        "exercises": exercises,
        "mistakes": [
            {
                "mistake": m,
                "title": mistake_title(m),
                "learners": len(by_mistake[m]),
                "where": [{"exercise": e, "quantity": q, "learners": n} for (e, q), n in where[m].most_common(3)],
            }
            for m in top_mistakes
        ],
        "stuck": [
            {"exercise": e, "title": exercise_title(e), "quantity": q, **_stuck(stuck[e, q], now)}
            for e, q in stuck_steps
        ],
    }


def _stuck(since, now):
    """How many learners are stuck, and for how long (seconds): the median and the longest."""
    if not since:
        return {"learners": 0, "median": 0.0, "longest": 0.0}
    spans = [max(now - s, 0.0) for s in since]
    return {"learners": len(spans), "median": statistics.median(spans), "longest": max(spans)}
