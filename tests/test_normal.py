"""actviz.core.normal: its shipped table is what benchmarks/fit_ndtr.py fits, its kernels match
mpmath (exact gelu x·Φ(x) and Φ(x) + x·φ(x); Φ itself is in tests/test_erf.py, gelu through the
catalog in tests/test_accuracy.py), and the scratch rows never leak into results.
"""

from __future__ import annotations

import importlib.util
import math
import threading
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest

from actviz.core import normal, workspace
from tests.accuracy_grid import sample, ulp

mp.mp.dps = 40
_FIT = Path(__file__).resolve().parents[1] / "benchmarks" / "fit_ndtr.py"


def _generator():
    spec = importlib.util.spec_from_file_location("fit_ndtr", _FIT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_shipped_table_is_what_the_generator_fits():
    gen = _generator()
    m, n, b, _, shift = normal._tables()
    assert (b, 52 - shift, len(m) - 1) == (gen.B, gen.M_BITS, gen.DEGREE)
    assert m[0].size == gen.count()
    rng = np.random.default_rng(12)
    ks = sorted({0, 1, 255, 256, 257, gen.count() - 1, *rng.integers(0, gen.count(), 40).tolist()})
    for k in ks:
        want_m, want_n = gen.fit(k)
        got_m = [float(c[k]) for c in m]
        got_n = [float(c[k]) for c in n]
        assert got_m == want_m, k
        assert got_n == want_n + want_m[2:], k


def test_intervals_cover_the_range_and_u_is_exact():
    """The index of t is the interval that holds t (up to half an ULP of v = t + ¼, which
    rounds), and u = t − t_k is exact."""
    gen = _generator()
    rng = np.random.default_rng(5)
    t = np.concatenate([rng.uniform(0, 40, 3000), 10.0 ** rng.uniform(-300, 1.6, 2000), [0.0, 40.0]])
    t = t[t <= 40.0]
    ends = np.array([gen.left(k) for k in range(gen.count() + 1)])
    _, _, b, b_bits, shift = normal._tables()
    k = ((np.asarray(t + b).view(np.int64) - b_bits) >> shift).tolist()
    for ti, ki in zip(t.tolist(), k, strict=True):
        lo, hi = ends[ki], ends[ki + 1]
        slack = 1e-15 * (1 + hi)  # half an ULP of v = t + ¼ either way
        assert lo - slack <= ti <= hi + slack, (ti, ki, lo, hi)
        assert mp.mpf(ti) - mp.mpf(float(lo)) == mp.mpf(ti - float(lo))  # Sterbenz


def _check(fn, ref, slope, xs):
    bad = []
    for x, y in zip(xs.tolist(), fn(xs).tolist(), strict=True):
        mx = mp.mpf(x)
        true = ref(mx)
        if true == 0:
            if y != 0:
                bad.append(f"x={x!r}: got {y!r}, true 0")
            continue
        kappa = float(abs(mx * slope(mx) / true)) if x != 0 else 0.0
        err = float(abs(mp.mpf(y) - true) / mp.mpf(ulp(float(true))))
        if not err <= 4.0 * max(1.0, kappa):
            bad.append(f"x={x!r}: got {y!r}, true {mp.nstr(true, 17)}, err {err:.2f} ulp, κ={kappa:.3g}")
    return bad


def _gelu(x):
    return x * mp.ncdf(x)


def _gelu_d(x):
    return mp.ncdf(x) + x * mp.npdf(x)


def _gelu_d2(x):
    return mp.npdf(x) * (2 - x * x)


@pytest.mark.parametrize("fn, ref, slope", [(normal.x_ndtr, _gelu, _gelu_d),
                                            (normal.ndtr_plus_x_pdf, _gelu_d, _gelu_d2)],
                         ids=["x_ndtr", "ndtr_plus_x_pdf"])
def test_kernels_match_mpmath(fn, ref, slope):
    gen = _generator()
    edges = np.array([gen.left(k) for k in range(0, gen.count(), 7)])
    near = np.concatenate([edges, np.nextafter(edges, 0.0), np.nextafter(edges, 99.0)])
    xs = np.concatenate([near, -near, sample(3000, 41), np.random.default_rng(8).uniform(-4, 4, 2000),
                         [-0.7517915241, -math.sqrt(2), 38.0, -38.0, -37.5, 39.9, -39.9]])
    xs = xs[np.abs(xs) < 1e4]
    bad = _check(fn, ref, slope, xs)
    assert not bad, f"{len(bad)} of {xs.size} off:\n" + "\n".join(bad[:15])


@pytest.mark.parametrize("fn", [normal.ndtr, normal.x_ndtr, normal.ndtr_plus_x_pdf])
def test_limits_nan_shapes_and_fresh_results(fn):
    x = np.array([-np.inf, np.inf, np.nan, -1e300, 1e300])
    got = fn(x)
    lims = {normal.ndtr: [0.0, 1.0], normal.x_ndtr: [0.0, np.inf], normal.ndtr_plus_x_pdf: [0.0, 1.0]}[fn]
    assert got[:2].tolist() == lims and np.isnan(got[2])
    grid = np.linspace(-3, 3, 12).reshape(3, 4)
    first = fn(grid)
    assert first.shape == (3, 4) and fn(2.0).shape == ()
    second = fn(-grid)  # the same scratch rows again: the first result must not change
    assert np.array_equal(first, fn(grid)) and not np.shares_memory(first, second)


def test_scratch_rows_are_per_thread():
    seen = {}

    def grab(name):
        seen[name] = workspace.rows("test", 2, 100)

    threads = [threading.Thread(target=grab, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not np.shares_memory(seen[0], seen[1])
    big = workspace.rows("test", 2, workspace.MAX_VALUES + 1)
    assert big.shape == (2, workspace.MAX_VALUES + 1)


def test_the_table_file_is_package_data():
    """``pip install .`` copies only .py files unless pyproject names the others: every data file
    in actviz/ must match a package-data pattern (the tests run from the source tree, where a
    missing one would not show)."""
    import fnmatch

    tomllib = pytest.importorskip("tomllib")  # Python ≥ 3.11
    root = Path(__file__).resolve().parents[1]
    data = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    files = [p for p in (root / "actviz").rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
             and "__pycache__" not in p.parts]
    assert any(p.name == "ndtr_table.bin" for p in files)
    for p in files:
        package = ".".join(p.parent.relative_to(root).parts)
        assert any(fnmatch.fnmatch(p.name, pat) for pat in data.get(package, ())), p


def test_gelu_has_the_sign_of_x_where_it_underflows():
    """x·Φ(x) has x's sign: −0 (not +0) for x < −38.6 and at −inf, −0 at −0, +0 at +0."""
    x = np.array([-39.0, -1e300, -np.inf, -0.0, 0.0, -1e-320, 1e-320])
    got = normal.x_ndtr(x)
    assert np.signbit(got).tolist() == [True, True, True, True, False, True, False]
    assert got[:5].tolist() == [0.0] * 5
