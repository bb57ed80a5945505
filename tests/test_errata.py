"""The errata of the retelling of Han & Kamber's example (lesson 06), held against the library and the book.

The quotations (what the retelling prints) are typed in course_lib.errata; every "right" value there is
computed by the library. Here each item's right value is worked out again, independently, from the
network itself (its forward pass, its backward pass and its step), and held against the book's own
published tables; and every explanation's evidence (the slip that reproduces a printed number) is checked.
"""

import math

import pytest
from test_reference_tables import HAN, HAN_TOLERANCE

from course_lib import networks
from course_lib.errata import KINDS, WRONG_ITEMS, retelling_errata
from course_lib.selfcheck import read_answer
from course_lib.working import latex_number

EXAMPLE = networks.get("han-kamber")
ERRATA = retelling_errata()


def _independent():
    """The numbers each item is about, from the network's own passes (not from example.quantities())."""
    net, x, target = EXAMPLE.network, EXAMPLE.x, EXAMPLE.target
    record, grads, after = net.forward(x), net.backward(x, target), EXAMPLE.step().network
    (O4, O5), (O6,) = record.out[1], record.out[2]
    (Err4, Err5), (Err6,) = -grads.delta[0], -grads.delta[1]
    w46, w56 = net.weights[1][0]
    w35 = net.weights[0][1, 2]
    step46, step35 = after.weights[1][0, 0] - w46, after.weights[0][1, 2] - w35
    return {
        "a4": O4, 1: O5, 2: w56, 3: record.net[2][0], 4: O6, 5: O6, "error": 1 - O6, 6: Err6, "delta6": Err6,
        7: O6 * (1 - O6), 8: Err5, 9: Err4, 10: Err5, 11: step46, 13: O4, 14: step46, 15: step46,
        16: after.weights[1][0, 0], 17: after.weights[1][0, 0], 18: step35, 19: -step35,
        20: after.weights[0][1, 2], 21: after.weights[0][1, 2], "b6": after.biases[1][0],
    }  # fmt: skip


RIGHT_LINES = {"a_4 = 0.332": "a4", "= 0.526": "error", "= 0.131": "delta6", "b_6 = 0.218": "b6"}
# The book's own (published, rounded) values of what the items should have been.
BOOK = {1: "O5", 4: "O6", 5: "O6", 6: "Err6", 8: "Err5", 9: "Err4", 10: "Err5", 13: "O4", 16: "w46_new",
        17: "w46_new", 20: "w35_new", 21: "w35_new", "a4": "O4", "delta6": "Err6", "b6": "theta6_new"}  # fmt: skip


def _agrees(printed, exact):
    """The printed number is ``exact`` rounded to the digits it is written in (read as the self-check reads it)."""
    written = read_answer(repr(printed))
    return abs(written.value - exact) <= written.half_unit * (1 + 1e-9)


def test_there_are_21_wrong_items_in_order_and_four_right_lines():
    assert [e.number for e in ERRATA.wrong()] == list(range(1, WRONG_ITEMS + 1)) == list(range(1, 22))
    assert [e.printed for e in ERRATA.right_lines()] == list(RIGHT_LINES)
    assert ERRATA.summary() == "21 wrong items, 4 lines printed right"
    for e in ERRATA.wrong():
        assert e.probably and e.check and e.right, e
    for e in ERRATA.right_lines():
        assert not e.probably and e.check and e.value is not None


def test_every_right_value_is_what_the_network_computes():
    independent = _independent()
    for e in ERRATA:
        name = e.number if e.wrong else RIGHT_LINES[e.printed]
        if name == 12:  # a name, not a number: the weight the line means is w46, and w16 does not exist
            assert "w46" in EXAMPLE.notation.parameter_names() and "w16" not in EXAMPLE.notation.parameter_names()
            continue
        assert e.correct == pytest.approx(independent[name], rel=1e-12, abs=1e-15), e
        if e.key is not None:
            assert EXAMPLE.quantities()[e.key] == e.correct


def test_every_right_value_agrees_with_the_books_own_tables():
    for e in ERRATA:
        name = e.number if e.wrong else RIGHT_LINES[e.printed]
        if name in BOOK:
            assert e.correct == pytest.approx(HAN[BOOK[name]], abs=HAN_TOLERANCE), e


def test_the_right_column_shows_the_librarys_number():
    for e in ERRATA:
        if e.correct is not None and e.number not in (6, 11, 17, 20):  # those show the formula the number comes from
            assert latex_number(e.correct, 5 if e.number == 21 else 4) in e.right, e
    assert latex_number(ERRATA[11].correct, 4) in ERRATA[11].probably  # the rule's step for w46, in the explanation


def test_a_wrong_number_is_wrong_and_a_right_line_is_right():
    for e in ERRATA:
        if e.value is None:
            continue
        assert _agrees(e.value, e.correct) is (not e.wrong), e


def test_each_slip_reproduces_the_printed_number():
    slips = [e for e in ERRATA if e.slip is not None]
    assert [e.number for e in slips] == [8, 10, 14, 16, 18, 21]
    for e in slips:
        assert _agrees(e.value, e.slip), e
        assert not _agrees(e.value, e.correct), e


def test_what_the_texts_own_numbers_give_contradicts_what_it_prints():
    own = {e.number: e.own for e in ERRATA if e.own is not None}
    assert sorted(own) == [3, 4, 5, 6, 7, 11, 17, 20]
    # 3: the bias left out comes closest to -0.206, but does not give it
    assert abs(own[3] - ERRATA[3].value) < abs(ERRATA[3].correct - ERRATA[3].value)
    assert not _agrees(ERRATA[3].value, own[3])
    assert not _agrees(ERRATA[4].value, own[4])  # sigma(-0.206) is not 0.194
    assert not _agrees(0.526, own[5])  # 1 - 0.414 is not 0.526 ...
    assert _agrees(0.526, ERRATA.right_lines()[1].correct)  # ... 1 - 0.474 is
    assert not _agrees(0.131, own[6]) and _agrees(0.131, ERRATA[6].correct)  # the printed factors give 0.142
    for n in (7, 11, 17, 20):  # the printed formula, or the text's rule on its own numbers, is not the right value
        assert not math.isclose(own[n], ERRATA[n].correct, rel_tol=1e-2), n
    assert own[20] > EXAMPLE.given()["w35"] > ERRATA[20].correct  # the text's rule would move w35 the wrong way


def test_every_wrong_item_has_a_kind():
    assert sum(ERRATA.kinds().values()) == 21 and list(ERRATA.kinds()) == list(KINDS)
    assert ERRATA.kinds() == {"digit": 5, "sign": 3, "rule": 5, "copied": 2, "carried": 4, "unknown": 2}
    for e in ERRATA.wrong():
        if e.kind == "carried":  # right arithmetic on a wrong number: the item before it in the line is wrong too
            assert e.slip is not None or e.number == 6


def test_the_table_shows_itself_and_picks_rows():
    html = ERRATA._repr_html_()
    assert html.count("✘") == 21 and html.count("✔") == 4
    # a formula breaks at its "=": item 6's right line is three formulas, one per line
    assert "$O_6 (1 - O_6)(T_6 - O_6)$<br>$= 0.4739 \\times 0.5261 \\times 0.5261$" in html
    assert "$= 0.526$" in html  # a right line that starts with "=" stays one formula
    # a formula in the text is cut at its relations, so that a narrow column can wrap it
    assert "$-0.3 \\times 0.3 - 0.2 \\times 0.5 + 0.1$ $\\approx -0.1$" in html
    assert "$|Err_5|$ $\\le \\tfrac14 |w_{56}|\\,|Err_6|$ $= 0.00656$" in html
    assert "$|l\\, Err_6\\, O_4|$ $&lt; \\tfrac14 l$ $= 0.225$" in html  # "<" is escaped for HTML, and cut too
    assert "$= 0.414 \\times (1 - 0.414)$<br>$\\times (1 - 0.414)$" in html  # a long product: a line it breaks
    some = ERRATA.table(8, 9, 10)
    assert [e.number for e in some] == [8, 9, 10]
    assert [e.number for e in ERRATA.table(5, 6)] == [5, None, 6, None]  # with the right lines of their lines
    assert [e.number for e in ERRATA.table(1, 2, 3, 4)] == [None, 1, 2, 3, 4]  # a4 = 0.332, printed right
    assert [e.number for e in ERRATA.table(18, 21)] == [18, 21, None]  # and b6 = 0.218 at the end
    assert [e.number for e in ERRATA.table(5, 6, right_lines=False)] == [5, 6]
    assert "21 wrong items" in repr(ERRATA)
    with pytest.raises(KeyError, match="1 to 21"):
        ERRATA.table(22)
    with pytest.raises(KeyError, match="1 to 21"):
        ERRATA[0]


def test_the_errata_belong_to_the_books_numbers():
    with pytest.raises(ValueError, match="han-kamber"):
        retelling_errata(EXAMPLE.with_values({"w56": 0.2}))
    with pytest.raises(ValueError, match="han-kamber"):
        retelling_errata(networks.get("mazur"))
