"""Units in the last place for binary floating-point formats: bit patterns, ULP distances,
fractional ULP errors against an exact value, and correct rounding into a target format.

Formats: float64, float32, float16 and bfloat16 (IEEE-style: sign, ``exp_bits`` biased exponent,
``frac_bits`` stored fraction, subnormals, ±inf, NaN). Values of a format are handled as their bit
patterns in an unsigned integer array (``uint64``/``uint32``/``uint16``), so bfloat16 needs no
extra package: a pattern ``b`` is the float32 whose upper half is ``b``.

Definitions (FPBench's ε_ulps and the libm tables' "ulp"):

- ordered key of a pattern: its magnitude bits for a positive sign, minus them for a negative one;
  consecutive floats have consecutive keys, and +0 and −0 share the key 0;
- ULP distance of two patterns: the difference of their keys, i.e. how many floats of the format
  lie between them (0 for equal values and for ±0; NaN counts as equal to NaN, whatever the
  payload or sign, and :data:`NAN_DISTANCE` from any number);
- ulp(v) of a real number v in a format: the spacing of the format's numbers in the binade of v,
  ``2^(max(e, emin) − frac_bits)`` with ``2^e ≤ |v| < 2^(e+1)``; the smallest subnormal for 0;
  the top binade's spacing beyond the largest finite number;
- fractional error of a result y against the exact value v: ``|y − v| / ulp(v)`` (a correctly
  rounded result scores at most 0.5);
- correct rounding: round-to-nearest, ties to even, *once* from the given float64 value (no
  intermediate format: converting float64 → float32 → bfloat16 can round twice), with overflow
  to ±inf from ``max + ulp/2`` on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FloatFormat:
    """A binary interchange format: ``bits`` wide, ``exp_bits`` of exponent, ``frac_bits`` stored."""

    name: str
    bits: int
    exp_bits: int
    frac_bits: int

    @property
    def uint(self) -> np.dtype:
        """The unsigned integer type holding one bit pattern."""
        return np.dtype(f"uint{self.bits}")

    @property
    def bias(self) -> int:
        return (1 << (self.exp_bits - 1)) - 1

    @property
    def emin(self) -> int:
        """Exponent of the smallest normal number."""
        return 1 - self.bias

    @property
    def emax(self) -> int:
        return self.bias

    @property
    def precision(self) -> int:
        """Significand bits p, the hidden bit included."""
        return self.frac_bits + 1

    @property
    def sign_mask(self) -> int:
        return 1 << (self.bits - 1)

    @property
    def exp_mask(self) -> int:
        return ((1 << self.exp_bits) - 1) << self.frac_bits

    @property
    def frac_mask(self) -> int:
        return (1 << self.frac_bits) - 1

    @property
    def max_finite(self) -> float:
        return float(np.ldexp(2.0 - 2.0 ** -self.frac_bits, self.emax))

    @property
    def min_normal(self) -> float:
        return float(np.ldexp(1.0, self.emin))

    @property
    def min_subnormal(self) -> float:
        return float(np.ldexp(1.0, self.emin - self.frac_bits))

    @property
    def eps(self) -> float:
        """ulp(1)."""
        return float(np.ldexp(1.0, -self.frac_bits))


FLOAT64 = FloatFormat("float64", 64, 11, 52)
FLOAT32 = FloatFormat("float32", 32, 8, 23)
FLOAT16 = FloatFormat("float16", 16, 5, 10)
BFLOAT16 = FloatFormat("bfloat16", 16, 8, 7)
FORMATS: dict[str, FloatFormat] = {f.name: f for f in (FLOAT64, FLOAT32, FLOAT16, BFLOAT16)}
_ALIASES = {"f64": "float64", "double": "float64", "f32": "float32", "single": "float32",
            "f16": "float16", "half": "float16", "bf16": "bfloat16"}

NAN_DISTANCE = np.iinfo(np.uint64).max  # distance between a NaN and a number


def format_named(name: str) -> FloatFormat:
    """The format for ``float32``, ``f32``, ``bf16`` …; ValueError naming the choices otherwise."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in FORMATS:
        raise ValueError(f"unknown float format '{name}'; choose from {', '.join(FORMATS)}")
    return FORMATS[key]


def format_of(dtype: np.dtype | type) -> FloatFormat | None:
    """The format of a NumPy dtype (ml_dtypes' ``bfloat16`` included), None for other dtypes."""
    dt = np.dtype(dtype)
    if dt.kind == "f" and dt.name in FORMATS:
        return FORMATS[dt.name]
    if dt.name == "bfloat16" and dt.itemsize == 2:
        return BFLOAT16
    return None


# --- bit patterns -------------------------------------------------------------------------------
def to_bits(values: np.ndarray, fmt: FloatFormat) -> np.ndarray:
    """The bit patterns of an array of ``fmt`` values (a view, no copy). An unsigned array of the
    format's width is taken as patterns already."""
    arr = np.asarray(values)
    if arr.dtype == fmt.uint:
        return arr
    if arr.dtype.itemsize * 8 != fmt.bits:
        raise ValueError(f"{arr.dtype} values are not {fmt.name} numbers")
    return arr.view(fmt.uint)


def widen(bits: np.ndarray, fmt: FloatFormat) -> np.ndarray:
    """The values of the patterns, exactly, as float64 (float32 stays float32 for speed).
    Signalling NaNs become quiet NaNs (their conversion would raise NumPy's "invalid")."""
    b = np.asarray(bits, dtype=fmt.uint)
    if fmt is FLOAT64:
        return b.view(np.float64)
    if fmt is FLOAT32:
        return b.view(np.float32)
    with np.errstate(invalid="ignore"):
        if fmt is FLOAT16:
            out = b.view(np.float16).astype(np.float64)
        else:
            out = (b.astype(np.uint32) << np.uint32(16)).view(np.float32).astype(np.float64)
    out[np.isnan(out)] = np.nan  # NumPy's float16 conversion keeps a NaN signalling
    return out


def is_nan(bits: np.ndarray, fmt: FloatFormat) -> np.ndarray:
    """Whether each pattern is a NaN (all exponent bits set, fraction not zero)."""
    mag = np.asarray(bits) & fmt.uint.type(fmt.sign_mask - 1)
    return mag > fmt.uint.type(fmt.exp_mask)


def ordered(bits: np.ndarray, fmt: FloatFormat) -> np.ndarray:
    """Ordered keys (int64): consecutive floats have consecutive keys; ±0 → 0."""
    b = np.asarray(bits, dtype=fmt.uint)
    mag = (b & fmt.uint.type(fmt.sign_mask - 1)).astype(np.int64)
    negative = (b & fmt.uint.type(fmt.sign_mask)) != 0
    np.negative(mag, out=mag, where=negative)
    return mag


def from_ordered(keys: np.ndarray, fmt: FloatFormat) -> np.ndarray:
    """Bit patterns for ordered keys (key 0 → +0)."""
    k = np.asarray(keys, dtype=np.int64)
    mag = np.abs(k).astype(fmt.uint)
    return np.where(k < 0, mag | fmt.uint.type(fmt.sign_mask), mag).astype(fmt.uint)


def step(values: np.ndarray, n: int | np.ndarray, fmt: FloatFormat) -> np.ndarray:
    """The patterns ``n`` floats above (n > 0) or below the given patterns; ±0 count as one float.
    Moving past ±inf reaches NaN patterns: stay within the finite range."""
    return from_ordered(ordered(values, fmt) + np.asarray(n, dtype=np.int64), fmt)


def ulp_distance(a: np.ndarray, b: np.ndarray, fmt: FloatFormat) -> np.ndarray:
    """How many floats of ``fmt`` separate the patterns ``a`` and ``b`` (uint64).

    0 for equal values, ±0 and two NaNs (any payload); :data:`NAN_DISTANCE` for a NaN and a
    number. −inf to +inf is the largest distance and still fits: 2·(key of inf) < 2^64.
    """
    a, b = np.asarray(a, dtype=fmt.uint), np.asarray(b, dtype=fmt.uint)
    sign = fmt.uint.type(fmt.sign_mask)
    if not ((a ^ b) & sign).any():
        # The same signs throughout: the magnitudes differ by the distance. (float64 patterns of
        # negative numbers wrap around in int64, both by the same 2^64: the difference is right.)
        dist = np.abs(a.astype(np.int64) - b.astype(np.int64)).astype(np.uint64)
    else:
        ka, kb = ordered(a, fmt), ordered(b, fmt)
        same_side = (ka >= 0) == (kb >= 0)
        # Keys of one sign differ by less than 2^63; across zero the magnitudes add (uint64 holds it).
        within = np.abs(ka - np.where(same_side, kb, 0)).astype(np.uint64)
        across = np.abs(ka).astype(np.uint64) + np.abs(kb).astype(np.uint64)
        dist = np.where(same_side, within, across)
    nan_a, nan_b = is_nan(a, fmt), is_nan(b, fmt)
    if nan_a.any() or nan_b.any():
        dist[nan_a != nan_b] = NAN_DISTANCE
        dist[nan_a & nan_b] = 0
    return dist


# --- rounding and ulp of exact values --------------------------------------------------------
def _binade_exponent(mag: np.ndarray, fmt: FloatFormat) -> np.ndarray:
    """max(e, emin) with 2^e ≤ mag < 2^(e+1), capped at emax (mag ≥ 0, finite)."""
    _, e = np.frexp(mag)  # mag = m·2^e, m in [0.5, 1): the binade exponent is e − 1
    return np.clip(e - 1, fmt.emin, fmt.emax)


def ulp_of(values: np.ndarray, fmt: FloatFormat, nan: bool = True) -> np.ndarray:
    """ulp(v) in ``fmt`` of real numbers given as float64 (see the module docstring). inf: the
    top binade's spacing; NaN: NaN.

    The float64 exponent bits of v alone are 2^e (0 for zero and float64 subnormals); times
    ulp(1) of the format that is the spacing of its binade, clipped below by the subnormal
    spacing and above by the top binade's. ``nan=False`` skips setting NaN's (to the top ulp)."""
    v = np.asarray(values, dtype=np.float64)
    power = (v.view(np.uint64) & np.uint64(0x7FF0000000000000)).view(np.float64)
    out = np.multiply(power, fmt.eps)
    np.maximum(out, fmt.min_subnormal, out=out)  # (np.clip is several times slower)
    np.minimum(out, float(np.ldexp(1.0, fmt.emax - fmt.frac_bits)), out=out)
    if nan:
        where = np.isnan(v)
        if where.any():
            out[where] = np.nan
    return out


def round_to(values: np.ndarray, fmt: FloatFormat) -> np.ndarray:
    """Bit patterns of float64 ``values`` correctly rounded (to nearest, ties to even) into ``fmt``.

    One rounding, whatever the format: the value is scaled by its quantum ulp(v) (a power of two,
    exact), rounded to an integer by ``rint`` (ties to even) and scaled back (exact again); the
    result is a number of ``fmt`` and converts to it without a further rounding. Overflow gives
    ±inf, NaN a quiet NaN of the same sign.
    """
    v = np.asarray(values, dtype=np.float64)
    if fmt is FLOAT64:
        return v.view(np.uint64).copy()
    if fmt is FLOAT32:  # IEEE conversion, a single rounding (NumPy's cast is the C one)
        with np.errstate(over="ignore"):
            return v.astype(np.float32).view(np.uint32)
    return round_generic(v, fmt)


def round_generic(values: np.ndarray, fmt: FloatFormat) -> np.ndarray:
    """:func:`round_to` by the quantum method for any format narrower than float64 (used for
    bfloat16 and float16; for float32 it agrees with the C cast, which the tests check)."""
    v = np.asarray(values, dtype=np.float64)
    mag = np.abs(v)
    finite = np.isfinite(mag)
    m = np.where(finite, mag, 0.0)
    quantum_exp = _binade_exponent(m, fmt) - fmt.frac_bits
    r = np.ldexp(np.rint(np.ldexp(m, -quantum_exp)), quantum_exp)
    r[~finite] = mag[~finite]
    with np.errstate(over="ignore"):
        r[r > fmt.max_finite] = np.inf  # rint reached 2^(emax+1): overflow
    return _encode(np.copysign(r, v), fmt)


def _encode(exact: np.ndarray, fmt: FloatFormat) -> np.ndarray:
    """Bit patterns of float64 values that are numbers of ``fmt`` (or ±inf/NaN)."""
    if fmt is FLOAT64:
        return exact.view(np.uint64).copy()
    if fmt is FLOAT32:
        return exact.astype(np.float32).view(np.uint32)
    if fmt is FLOAT16:
        with np.errstate(over="ignore"):
            return exact.astype(np.float16).view(np.uint16)
    # bfloat16: the upper half of the float32 holding the value exactly (NaN stays NaN).
    wide = exact.astype(np.float32).view(np.uint32)
    bits = (wide >> np.uint32(16)).astype(np.uint16)
    nan = np.isnan(exact)
    bits[nan] = np.where(np.signbit(exact[nan]), 0xFFC0, 0x7FC0).astype(np.uint16)
    return bits


def fractional_error(got: np.ndarray, exact: np.ndarray, fmt: FloatFormat,
                     rest: np.ndarray | None = None) -> np.ndarray:
    """``|got − exact| / ulp(exact)`` in ``fmt``, with the exact value as float64 (accurate for
    formats narrower than float64: the float64 rounding of ``exact`` moves it by 2^−29 ulp of
    float32 at most), or, for an exact value known beyond float64 (float64 results), as
    ``exact + rest·ulp(exact)``: ``rest`` is what the float64 ``exact`` misses, in units of its
    ulp in ``fmt`` (within ±1/2 when ``exact`` is the nearest float64), so the error
    ``abs((got − exact)/ulp(exact) − rest)`` keeps its digits down to the subnormals.

    0 where both are the same infinity or both NaN; inf where one is NaN or infinite and the other
    is not. An exact value beyond the range of ``fmt`` (one that rounds to ±inf in it) makes that
    infinity the right result (0) and any other one wrong (inf)."""
    with np.errstate(invalid="ignore", over="ignore"):  # NaN and inf inputs are sorted out below
        g = np.asarray(got, dtype=np.float64)
        e = np.asarray(exact, dtype=np.float64)
        err = (g - e) / ulp_of(e, fmt)
        if rest is not None:
            err -= np.asarray(rest, dtype=np.float64)
        np.abs(err, out=err)
    same_special = ((g == e) & np.isinf(g)) | (np.isnan(g) & np.isnan(e))
    err[same_special] = 0.0
    err[np.isnan(err)] = np.inf
    if fmt.bits < 64:  # max + ulp/2 and beyond round to inf (the tie goes to even: inf); exact in float64
        limit = float(np.ldexp(2.0 - 2.0 ** -(fmt.frac_bits + 1), fmt.emax))
        beyond = (np.abs(e) >= limit) & np.isfinite(e)
        if beyond.any():
            err[beyond] = np.where(g[beyond] == np.copysign(np.inf, e[beyond]), 0.0, np.inf)
    return err
