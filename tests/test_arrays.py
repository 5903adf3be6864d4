"""sorted_unique agrees with np.unique (which it replaces to keep numpy.ma out of start-up)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from actviz.core.arrays import sorted_unique


@given(st.lists(st.one_of(st.floats(), st.sampled_from([0.0, -0.0, 1.0, np.nan])), max_size=30))
def test_matches_numpy_unique(values):
    got = sorted_unique(values)
    want = np.unique(np.asarray(values, dtype=np.float64), equal_nan=True)
    assert got.shape == want.shape
    assert np.array_equal(got, want, equal_nan=True)
