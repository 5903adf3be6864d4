"""Speed, memory and measured accuracy of the vector and gated entries.

    python benchmarks/vector.py          (the accuracy part needs the test extra: mpmath)

Timings are the median of 5 rounds of wall time on this machine; the accuracy part compares the
softmax Jacobian, J·v and sparsemax with the mpmath / exact-rational references of
tests/test_vector_entries.py on the adversarial vectors and 45 random ones, and prints the worst
error in ULP (J·v in ULP of its cancellation-free magnitude, sparsemax in ULP of its two terms).
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import actviz  # noqa: E402


def _median(fn, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def speed() -> None:
    rng = np.random.default_rng(0)
    batch = rng.normal(size=(100_000, 10))
    row = rng.normal(size=1_000_000)
    gated = rng.normal(size=(1000, 2 * 4096))
    sm, sp, sw = actviz.get("softmax"), actviz.get("sparsemax"), actviz.get("swiglu")
    cases = [
        ("sparsemax, 1e5 rows × 10", lambda: sp(batch), batch.size),
        ("sparsemax, one row of 1e6", lambda: sp(row), row.size),
        ("softmax J·v, one row of 1e6", lambda: sm.jvp(row, row), row.size),
        ("softmax Jacobian, 100 rows × 100", lambda: sm.jacobian(batch[:100].repeat(10, axis=1)), 100 * 100),
        ("swiglu, 1000 × 8192 (split in halves)", lambda: sw(gated), gated.size // 2),
        ("swiglu partials, 1000 × 8192", lambda: sw.partials(gated), gated.size // 2),
    ]
    print(f"{'case':<40}{'median s':>10}{'ns/value':>10}")
    for name, fn, n in cases:
        t = _median(fn)
        print(f"{name:<40}{t:>10.4f}{t / n * 1e9:>10.1f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def accuracy() -> None:
    import mpmath as mp

    from tests.test_vector_entries import ADVERSARIAL, DPS, mp_rest, mp_softmax, mp_sparsemax, ulps

    rng = np.random.default_rng(1)
    cases = ADVERSARIAL + [rng.normal(0, s, size=int(rng.integers(1, 30))).tolist()
                           for s in (0.5, 3, 30) for _ in range(15)]
    wj = wv = wp = 0.0
    for z in cases:
        for t in (1.0, 0.5, 3.0):
            jac = actviz.get("softmax", temperature=t).jacobian(np.array(z))
            s = mp_softmax(z, t)
            for i in range(len(z)):
                for j in range(len(z)):
                    with mp.workdps(DPS):
                        want = (s[i] * mp_rest(s, i) if i == j else -s[i] * s[j]) / t
                    wj = max(wj, ulps(jac[i, j], want))
        v = rng.normal(size=len(z))
        s = mp_softmax(z)
        got = actviz.get("softmax").jvp(np.array(z), v)
        for i in range(len(z)):
            with mp.workdps(DPS):
                vs = [mp.mpf(x) for x in v.tolist()]
                terms = [s[j] * (vs[i] - vs[j]) for j in range(len(z))]
                want, mag = s[i] * mp.fsum(terms), s[i] * mp.fsum(abs(x) for x in terms)
            wv = max(wv, ulps(got[i], want, max(mag, abs(want))))
        want, tau = mp_sparsemax(z)
        m = max(z)
        for g, w, zi in zip(actviz.get("sparsemax")(np.array(z)).tolist(), want, z, strict=True):
            with mp.workdps(DPS):
                wp = max(wp, ulps(g, w, max(abs(mp.mpf(zi) - m) + abs(tau - m), abs(w))))
    print(f"softmax Jacobian worst {wj:.2f} ULP; J·v worst {wv:.2f} ULP; sparsemax worst {wp:.2f} ULP")


if __name__ == "__main__":
    speed()
    accuracy()
