"""The course's colours stay apart for colour-blind readers (as docs/instructor-guide.md says they do).

Each colour is seen as a reader with protanopia, deuteranopia or tritanopia sees it (the simulation of
Machado, Oliveira & Fernandes 2009, full severity, applied in linear RGB), then compared in CIELAB: a
difference (CIE76 Delta E) above about 10 is plainly visible side by side.
"""

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest

from course_lib import networks, plots

ROOT = Path(__file__).resolve().parent.parent

MACHADO_2009 = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
SRGB_TO_XYZ = [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
WHITE = np.array([0.95047, 1.0, 1.08883])  # D65


def linear(hex_colour):
    c = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb):
    xyz = np.array(SRGB_TO_XYZ) @ rgb / WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(hex_colour, vision):
    rgb = linear(hex_colour)
    return lab(rgb if vision == "normal" else np.clip(np.array(MACHADO_2009[vision]) @ rgb, 0, 1))


def closest(colours, vision):
    return min(np.linalg.norm(seen(a, vision) - seen(b, vision)) for a, b in itertools.combinations(colours, 2))


VISIONS = ["normal", *MACHADO_2009]


def test_the_simulation_is_right_where_it_must_be():
    assert np.allclose(lab(linear("#FFFFFF")), [100, 0, 0], atol=0.1)
    for vision in MACHADO_2009:  # grey stays grey, and pure red and green merge for red-green dichromats
        assert np.allclose(seen("#777777", vision), seen("#777777", "normal"), atol=1)
    for vision in ("protanopia", "deuteranopia"):
        assert np.linalg.norm(seen("#FF0000", vision) - seen("#008000", vision)) < 0.5 * np.linalg.norm(
            seen("#FF0000", "normal") - seen("#008000", "normal")
        )


@pytest.mark.parametrize("vision", VISIONS)
def test_the_colours_of_a_weights_sign_stay_far_apart(vision):
    assert closest([plots.POSITIVE, plots.NEGATIVE, plots.ZERO], vision) > 30


@pytest.mark.parametrize("vision", VISIONS)
def test_the_colours_of_the_curves_stay_apart(vision):
    assert closest(plots.LINES, vision) > 15


def test_in_black_and_white_the_signs_are_carried_by_the_numbers_not_the_colours():
    """Printed in grey, blue and vermillion look alike: the worksheet says the labels carry the values."""
    grey = [np.array([0.2126, 0.7152, 0.0722]) @ linear(c) for c in (plots.POSITIVE, plots.NEGATIVE)]
    assert abs(lab(np.full(3, grey[0]))[0] - lab(np.full(3, grey[1]))[0]) < 15  # why the numbers matter
    spec = importlib.util.spec_from_file_location("make_worksheets", ROOT / "tools" / "make_worksheets.py")
    ws = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ws)
    assert "labelled with its weight's name and value" in ws.diagram_description(networks.get("mazur"))
