"""softmax / log_softmax of actviz.core.vector against mpmath at 50 digits.

The reference is the textbook definition evaluated in mpmath: with m = max_j z_j/T,
log p_i = (z_i/T − m) − log(1 + Σ_{j ≠ argmax} e^{z_j/T − m}) and p_i = e^{log p_i}. Written as
log1p of the rest so that mpmath keeps a tiny log-probability like −4.2e−18 next to 0.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actviz.core.vector import log_softmax, softmax, softmax_and_log

MAX_ULP = 4  # "a few ULP": a random sweep (n ≤ 2000) measured at most 3.33 (p) and 3.01 (log p)
SEED_SCORES = [0.2, 0.02, 0.15, 1.3, 0.5, 0.06, 1.1, 0.05, 3.75]


def mp_softmax(logits: list[float], temperature: float = 1.0) -> tuple[list, list]:
    """Exact (50-digit) probabilities and log-probabilities as mpf values."""
    with mpmath.workdps(50):
        t = mpmath.mpf(temperature)
        scaled = [mpmath.mpf(float(v)) / t for v in logits]
        k = max(range(len(scaled)), key=lambda i: scaled[i])
        rest = mpmath.fsum(mpmath.exp(v - scaled[k]) for i, v in enumerate(scaled) if i != k)
        log_norm = mpmath.log1p(rest)
        logp = [(v - scaled[k]) - log_norm for v in scaled]
        return [mpmath.exp(v) for v in logp], logp


def ulp_error(got: float, want) -> float:
    """Distance of ``got`` from the exact value ``want`` in units of the float64 spacing at ``want``."""
    with mpmath.workdps(50):
        spacing = math.ulp(float(want))  # ulp(0.0) is the smallest subnormal
        return float(abs(mpmath.mpf(float(got)) - want) / mpmath.mpf(spacing))


def max_ulp(got, want) -> float:
    return max(ulp_error(g, w) for g, w in zip(np.asarray(got).tolist(), want, strict=True))


def assert_close(logits: list[float], temperature: float = 1.0, tol: float = MAX_ULP) -> None:
    p, lp = softmax_and_log(np.array(logits, dtype=np.float64), temperature)
    want_p, want_lp = mp_softmax(logits, temperature)
    assert max_ulp(p, want_p) <= tol, (logits, temperature, p, want_p)
    assert max_ulp(lp, want_lp) <= tol, (logits, temperature, lp, want_lp)


@pytest.mark.parametrize("temperature", [1.0, 0.1, 0.5, 3.0, 7.3])
def test_seed_scores_match_mpmath_and_pick_the_last(temperature):
    assert_close(SEED_SCORES, temperature)
    assert int(np.argmax(softmax(np.array(SEED_SCORES), temperature))) == 8


@pytest.mark.parametrize(
    "logits",
    [
        [1000.0, 1001.0, 1002.0],
        [-1000.0, 0.0],
        [0.0, -40.0],
        [0.0, 745.0],
        [1e-300, -1e-300, 0.0],
        [-5.5, 1e6, 1e6 - 1e-9],
        [700.0, -700.0, 0.5],
        [1e300, 1.5e300],
    ],
)
@pytest.mark.parametrize("temperature", [1.0, 3.0, 0.25])
def test_large_and_widely_spread_logits_match_mpmath(logits, temperature):
    assert_close(logits, temperature)


def test_large_logits_give_the_plain_formula_values():
    # softmax is shift invariant, so [1000, 1001, 1002] equals softmax([0, 1, 2]) = e^k / (1 + e + e²).
    p = softmax(np.array([1000.0, 1001.0, 1002.0]))
    with mpmath.workdps(50):
        denom = 1 + mpmath.e + mpmath.e**2
        want = [1 / denom, mpmath.e / denom, mpmath.e**2 / denom]
    assert max_ulp(p, want) <= MAX_ULP


def test_log_softmax_keeps_the_tiny_first_entry():
    # log(1/(1 + e^-40)) = −log1p(e^-40) ≈ −4.248e−18, which 0 − logsumexp rounds to 0.
    got = float(log_softmax(np.array([0.0, -40.0]))[0])
    with mpmath.workdps(50):
        want = -mpmath.log1p(mpmath.exp(-40))
    assert got != 0.0
    assert ulp_error(got, want) <= MAX_ULP
    assert math.isclose(got, -4.248354255291589e-18, rel_tol=1e-12)


def test_underflowing_probability_keeps_an_exact_log_probability():
    p, lp = softmax_and_log(np.array([-1000.0, 0.0]))
    assert p[0] == 0.0 and p[1] == 1.0
    assert lp[0] == -1000.0  # exact: −1000 − log1p(e^−1000), and e^−1000 is far below half an ULP of 1000
    assert lp[1] == 0.0 or abs(lp[1]) < 1e-300


def test_documented_non_finite_behaviour():
    p, lp = softmax_and_log(np.array([1.0, -np.inf, 2.0]))
    assert p[1] == 0.0 and lp[1] == -np.inf
    assert max_ulp(p[[0, 2]], mp_softmax([1.0, 2.0])[0]) <= MAX_ULP
    p, lp = softmax_and_log(np.array([np.inf, 3.0, np.inf]))
    assert p.tolist() == [0.5, 0.0, 0.5]
    assert lp[1] == -np.inf and lp[0] == lp[2] == -math.log(2)


def test_batch_rows_are_independent():
    z = np.array([SEED_SCORES[:3], [1000.0, 1001.0, 1002.0]])
    p, lp = softmax_and_log(z)
    for row, prow, lprow in zip(z.tolist(), p, lp, strict=True):
        want_p, want_lp = mp_softmax(row)
        assert max_ulp(prow, want_p) <= MAX_ULP
        assert max_ulp(lprow, want_lp) <= MAX_ULP


# --- properties --------------------------------------------------------------------------------

small_logits = st.lists(
    st.floats(min_value=-60, max_value=60, allow_nan=False, allow_infinity=False), min_size=1, max_size=8
)
wide_logits = st.lists(
    st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False), min_size=2, max_size=6
)
temperatures = st.sampled_from([1.0, 0.1, 0.5, 2.0, 3.0, 10.0]) | st.floats(min_value=0.05, max_value=50)


@settings(max_examples=150, deadline=None)
@given(small_logits, temperatures)
def test_matches_mpmath_on_random_vectors(logits, temperature):
    assert_close(logits, temperature)


@settings(max_examples=60, deadline=None)
@given(wide_logits, temperatures)
def test_matches_mpmath_on_widely_spread_vectors(logits, temperature):
    assert_close(logits, temperature)


@settings(max_examples=150, deadline=None)
@given(small_logits, temperatures)
def test_probabilities_sum_to_one(logits, temperature):
    p = softmax(np.array(logits), temperature)
    # Each p_i is within MAX_ULP·2^-53·p_i·2 of its true value, and the true values sum to 1.
    assert abs(math.fsum(p.tolist()) - 1.0) <= 2 * MAX_ULP * 2.0**-53 + len(logits) * 2.0**-1074


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(-4096, 4096), min_size=1, max_size=8),
    st.integers(-1000, 1000),
)
def test_shift_invariance(sixty_fourths, shift):
    # Logits on a 1/64 grid and an integer shift: z + c is exact, so softmax(z + c) = softmax(z)
    # holds exactly in real arithmetic and the core must agree to within its error bound.
    z = np.array(sixty_fourths, dtype=np.float64) / 64
    p, lp = softmax_and_log(z)
    p_shifted, lp_shifted = softmax_and_log(z + shift)
    for a, b in zip(p.tolist(), p_shifted.tolist(), strict=True):
        assert abs(a - b) <= 2 * MAX_ULP * math.ulp(max(a, b))
    # log-probabilities: the same up to the error bound as well
    for a, b in zip(lp.tolist(), lp_shifted.tolist(), strict=True):
        assert abs(a - b) <= 2 * MAX_ULP * math.ulp(max(abs(a), abs(b)))


# --- logits at the edge of float64 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("logits", "temperature", "want"),
    [([1e308, 1.5e308], 0.1, [0.0, 1.0]), ([-1e308, -1.7e308], 0.1, [1.0, 0.0])],
)
def test_core_when_logits_over_temperature_overflow(logits, temperature, want):
    p = softmax(np.array(logits), temperature)
    assert p.tolist() == want


def test_core_when_logit_spread_exceeds_float64():
    p = softmax(np.array([1e308, -1e308]))
    assert p.tolist() == [1.0, 0.0]
