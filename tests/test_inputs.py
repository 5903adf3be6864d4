"""Reading numbers from text: every layout gives the same values, bad tokens name their line."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from actviz.inputs import InputError, parse_text

values = st.lists(st.floats(allow_nan=False), min_size=1, max_size=40)


@given(values, st.sampled_from(["\n", ",", " ", ";", ", ", "\t"]))
def test_one_dimensional_layouts_round_trip(xs, sep):
    text = sep.join(repr(x) for x in xs)
    got = parse_text(text)
    assert got.shape == (len(xs),) and got.tolist() == xs


@given(st.integers(2, 6), st.integers(2, 5), st.randoms())
def test_rows_of_equal_length_are_two_dimensional(rows, cols, rnd):
    data = [[rnd.uniform(-1e3, 1e3) for _ in range(cols)] for _ in range(rows)]
    text = "\n".join(",".join(repr(v) for v in row) for row in data) + "\n"
    assert parse_text(text).tolist() == data


def test_comments_blank_lines_and_unicode_minus():
    assert parse_text("# logits\n1\n\n−2.5\n").tolist() == [1.0, -2.5]
    assert np.isinf(parse_text("inf\n-inf\n")).all()


@pytest.mark.parametrize("text, line", [("1\n2\nx\n", 3), ("1,2\n3,4y\n", 2), ("# c\n\nabc", 3)])
def test_bad_token_names_its_line(text, line):
    with pytest.raises(InputError, match=f"line {line}: "):
        parse_text(text, "data.txt")


def test_empty_input():
    with pytest.raises(InputError, match="no numbers"):
        parse_text("  \n# only a comment\n")
