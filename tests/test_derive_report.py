"""The data behind ``actviz derive``: points, chunked summaries and CSV rows.

Truth comes from the catalog (values must be passed through unchanged), from plain NumPy written
here (region fractions, quantiles) and from the definitions themselves (relu is dead for x ≤ 0).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from actviz import derive_report as dr
from actviz.analysis import saturation_regions
from actviz.catalog.registry import get
from actviz.derive_report import reading
from actviz.derive_report.summary import _AbsHistogram
from actviz.inputs import InputError, read_numbers


def _rng_data(n: int, seed: int = 7) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(n) * 4


def _sigmoid_prime(x: np.ndarray) -> np.ndarray:
    """σ′ written independently: e^{−abs(x)}/(1 + e^{−abs(x)})²."""
    e = np.exp(-np.abs(x))
    return e / (1 + e) ** 2


# --- points ---------------------------------------------------------------------------------
def test_default_points_are_the_teaching_set_plus_kinks():
    xs = dr.default_points(get("relu6"))
    assert set(dr.TEACHING_POINTS) <= set(xs) and {0.0, 6.0} <= set(xs)
    assert list(xs) == sorted(xs)
    assert {-3.0, 3.0} <= set(dr.default_points(get("hard_sigmoid")))
    assert {-0.5, 0.5} <= set(dr.default_points(get("soft_shrink")))


@pytest.mark.parametrize("spec", ["sigmoid", "gelu", "relu6", "leaky_relu:alpha=0.1", "selu", "hard_shrink"])
def test_points_carry_the_catalog_values_exactly(spec):
    from actviz.catalog.registry import parse_spec

    act = parse_spec(spec, framework="pytorch")
    xs = dr.default_points(act)
    points = dr.evaluate_points(act, xs, 2, saturation_regions(act, 0.01), 0.01)
    assert [p.x for p in points] == xs.tolist()
    for p in points:
        assert p.f == float(act(p.x))
        assert p.df == float(act.grad(p.x))
        assert p.d2f == float(act.grad2(p.x))


def test_points_are_marked_by_region_and_kink():
    relu = get("relu")
    rows = dr.evaluate_points(relu, np.array([-1.0, 0.0, 2.0, math.nan]), 1,
                              saturation_regions(relu, 0.01), 0.01)
    assert [r.region for r in rows] == ["dead", "dead", "active", "nan"]  # relu′(0) = 0 in TensorFlow
    assert [r.kink for r in rows] == [False, True, False, False]
    assert rows[0].d2f is None
    sig = get("sigmoid")
    rows = dr.evaluate_points(sig, np.array([-6.0, 0.0, 4.0, 5.0]), 1, saturation_regions(sig, 0.01), 0.01)
    # σ′(4) ≈ 0.0177 is above 0.01, σ′(±5) ≈ 0.0066 below: independent of the catalog.
    assert [r.region for r in rows] == ["vanishing", "active", "active", "vanishing"]


def test_chosen_points_merge_at_and_grid_sorted_unique():
    act = get("tanh")
    xs = dr.chosen_points([0.25, -2.0, 0.25], (-1.0, 1.0), 5, act)
    assert xs.tolist() == [-2.0, -1.0, -0.5, 0.0, 0.25, 0.5, 1.0]
    assert dr.chosen_points([], None, 3, act).tolist() == [-6.0, 0.0, 6.0]  # --points alone: −6 … 6
    with pytest.raises(ValueError, match="between 2 and"):
        dr.grid_points(0.0, 1.0, dr.MAX_POINTS + 1)


# --- summary --------------------------------------------------------------------------------
def _independent_sigmoid_summary(x: np.ndarray) -> dict:
    x = x[~np.isnan(x)]
    a = _sigmoid_prime(x)
    return {
        "vanishing": np.mean(a < 0.01),
        "mean": a.mean(),
        "min": a.min(),
        "max": a.max(),
        "q": {k: np.quantile(a, q, method="inverted_cdf") for k, q in dr.QUANTILES},
    }


def test_summary_matches_numpy_on_the_whole_array(monkeypatch):
    monkeypatch.setattr(reading, "CHUNK", 997)  # many chunks, the last one partial
    x = _rng_data(20_011)
    x[[3, 5000, 19_999]] = np.nan
    act = get("sigmoid")
    s = dr.summarize(act, x, saturation_regions(act, 0.01), 0.01)
    ref = _independent_sigmoid_summary(x)
    assert (s.count, s.nan, s.valid) == (20_011, 3, 20_008)
    assert s.counts["dead"] == 0
    assert s.fraction("vanishing") == pytest.approx(ref["vanishing"], abs=0.5 / s.valid)
    assert s.fraction("active") == pytest.approx(1 - ref["vanishing"], abs=0.5 / s.valid)
    assert s.abs_df_mean == pytest.approx(ref["mean"], rel=1e-12)
    assert s.abs_df_min == pytest.approx(ref["min"], rel=1e-14)
    assert s.abs_df_max == pytest.approx(ref["max"], rel=1e-14)
    for key, _ in dr.QUANTILES:
        assert s.quantiles[key] == pytest.approx(ref["q"][key], rel=2**-8)
    finite = x[~np.isnan(x)]
    assert (s.x_min, s.x_max) == (finite.min(), finite.max())


def test_summary_relu_fractions_follow_the_definition(monkeypatch):
    monkeypatch.setattr(reading, "CHUNK", 4096)
    x = _rng_data(30_000, seed=3)
    x[:500] = 0.0  # exactly at the kink: TensorFlow's relu′(0) = 0, so dead
    act = get("relu")
    s = dr.summarize(act, x, saturation_regions(act, 0.01), 0.01)
    assert s.counts["dead"] == int(np.sum(x <= 0))
    assert s.counts["active"] == int(np.sum(x > 0))
    assert s.counts["vanishing"] == 0
    assert s.abs_df_mean == pytest.approx(np.mean(x > 0), rel=1e-15)
    # Half the values are dead (f′ = 0): low quantiles are exactly 0, high ones exactly 1.
    assert s.quantiles["p25"] == 0.0 and s.quantiles["p75"] == 1.0


def test_summary_chunked_equals_one_chunk_and_reads_npy(tmp_path, monkeypatch):
    path = tmp_path / "x.npy"
    np.save(path, _rng_data(50_000, seed=11).astype(np.float32))
    act = get("tanh")
    regions = saturation_regions(act, 0.05)
    arr = read_numbers(str(path))
    assert isinstance(arr, np.memmap)
    calls = []
    real = reading.iter_chunks

    def spy(a, size):
        calls.append(size)
        return real(a, size)

    monkeypatch.setattr(reading, "iter_chunks", spy)
    small = dr.summarize(act, arr, regions, 0.05, chunk=1000)  # 50 chunks, pages released as it goes
    whole = dr.summarize(act, np.load(path).astype(np.float64), regions, 0.05, chunk=10**6)
    assert calls == [1000, 10**6]
    assert small == whole


def test_summary_non_contiguous_array_in_pieces(tmp_path):
    x = np.asfortranarray(_rng_data(6_000, seed=5).reshape(60, 100))
    np.save(tmp_path / "f.npy", x)
    arr = read_numbers(str(tmp_path / "f.npy"))
    assert not arr.flags.c_contiguous
    act = get("elu")
    regions = saturation_regions(act, 0.01)
    assert dr.summarize(act, arr, regions, 0.01, chunk=256) == dr.summarize(
        act, np.ascontiguousarray(x), regions, 0.01, chunk=10**6)


def test_summary_infinite_gradients_and_all_nan():
    act = get("exponential")
    x = np.concatenate([np.full(10, 1000.0), np.zeros(90)])  # e^1000 overflows to inf
    s = dr.summarize(act, x, saturation_regions(act, 0.01), 0.01)
    assert s.abs_df_max == math.inf and s.abs_df_mean == math.inf
    assert s.quantiles["p50"] == pytest.approx(1.0, rel=2**-8) and s.quantiles["p95"] == math.inf
    with pytest.raises(InputError, match="NaN"):
        dr.summarize(act, np.full(60, np.nan), saturation_regions(act, 0.01), 0.01)


@pytest.mark.parametrize("batch", [10, 1000, 1 << 20])
def test_histogram_quantiles_within_a_bin_whatever_the_batching(monkeypatch, batch):
    monkeypatch.setattr(_AbsHistogram, "BATCH", batch)
    rng = np.random.default_rng(4)
    a = np.concatenate([np.exp(rng.uniform(-700, 700, 3000)), np.zeros(100), [5e-324, 1.7e308]])
    hist = _AbsHistogram()
    for piece in np.array_split(rng.permutation(a), 7):  # pieces bigger and smaller than the batch
        hist.add(piece)
    assert hist.quantile(1.0, a.min(), a.max()) == a.max()
    assert hist.counts.sum() == a.size
    for q in (0.01, 0.02, 0.3, 0.5, 0.9, 0.999):
        exact = np.quantile(a, q, method="inverted_cdf")
        assert hist.quantile(q, a.min(), a.max()) == pytest.approx(exact, rel=2**-8)


# --- CSV ------------------------------------------------------------------------------------
def test_csv_rows_round_trip_the_catalog_values(monkeypatch):
    monkeypatch.setattr(reading, "CHUNK", 64)
    act = get("silu")
    x = np.concatenate([_rng_data(300), [math.inf, -math.inf, math.nan, 0.0]])
    regions = saturation_regions(act, 0.01)
    text = "".join(dr.csv_lines(act, x, 2, regions, 0.01))
    lines = text.splitlines()
    assert lines[0] == "x,f,df,d2f,region"
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == x.size
    got = np.array([[float(v) for v in r[:4]] for r in rows])
    np.testing.assert_array_equal(got[:, 0], x)
    np.testing.assert_array_equal(got[:, 1], act(x))
    np.testing.assert_array_equal(got[:, 2], act.grad(x))
    np.testing.assert_array_equal(got[:, 3], act.grad2(x))
    expected = np.where(np.abs(act.grad(x[:300])) < 0.01, "vanishing", "active")
    assert [r[4] for r in rows[:300]] == expected.tolist()
    assert rows[-2][4] == "nan"
