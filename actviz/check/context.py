"""What an error should be compared with: documented bounds of the building block per dtype.

Sources (the project's reference notes): CUDA C++ Programming Guide, mathematical functions
appendix, single precision (``expf``, ``tanhf``, ``erff`` 2 ulp; ``logf``, ``log1pf``, ``expm1f``
1 ulp); glibc x86_64 ``libm-test-ulps`` (float: ``exp`` 1, ``tanh`` 2, ``log`` 1; ``erf``,
``expm1``, ``log1p`` correctly rounded since the CORE-MATH code; double: ``exp`` 1, ``erf`` 1,
``erfc`` 5, ``tanh`` 2, ``expm1`` 1, ``log1p`` 1). All are integer distances from the correctly
rounded result.
"""

from __future__ import annotations

from typing import Any

from actviz.core import ulp as u

# activation → the library functions it is built from
_BLOCKS = {
    "sigmoid": ("exp",), "silu": ("exp",), "exponential": ("exp",), "softplus": ("exp", "log1p"),
    "log_sigmoid": ("exp", "log1p"), "elu": ("expm1",), "selu": ("expm1",), "celu": ("expm1",),
    "mish": ("exp", "log1p", "tanh"), "tanh": ("tanh",), "tanh_shrink": ("tanh",), "gelu": ("erf",),
    "gelu_tanh": ("tanh",),
}
_CUDA_FLOAT = {"exp": "2", "tanh": "2", "erf": "2", "expm1": "1", "log1p": "1"}
_GLIBC_FLOAT = {"exp": "1", "tanh": "2", "erf": "CR", "expm1": "CR", "log1p": "CR"}
_GLIBC_DOUBLE = {"exp": "1", "tanh": "2", "erf": "1", "expm1": "1", "log1p": "1"}
_PIECEWISE = {"identity", "relu", "relu6", "leaky_relu", "hard_tanh", "hard_sigmoid", "hard_swish",
              "soft_shrink", "hard_shrink", "softsign", "squareplus"}


def bounds(act: Any, fmt: u.FloatFormat) -> tuple[str, ...]:
    """Context lines for ``act`` in ``fmt`` (integer distance from the correctly rounded value)."""
    name = getattr(act, "name", "")
    params = getattr(act, "params", {})
    key = "gelu_tanh" if name == "gelu" and params.get("approximate") else name
    if name in _PIECEWISE:
        return (f"{name} needs only +, −, ×, ÷, √ and comparisons, each correctly rounded in IEEE "
                f"arithmetic: a careful {fmt.name} kernel is within a few ulp",)
    blocks = _BLOCKS.get(key)
    if blocks is None:
        return ()
    if fmt is u.FLOAT32:
        cuda = ", ".join(f"{b}f {_CUDA_FLOAT[b]}" for b in blocks)
        glibc = ", ".join(f"{b} {_GLIBC_FLOAT[b]}" for b in blocks)
        return (f"documented max ulp of the building blocks — CUDA: {cuda}; glibc float: {glibc} "
                "(CR = correctly rounded, as CORE-MATH and LLVM libc)",
                "CUDA fast-math __expf: 2 + floor(1.173·|x|) ulp (13 ulp at |x| = 10)")
    if fmt is u.FLOAT64:
        glibc = ", ".join(f"{b} {_GLIBC_DOUBLE[b]}" for b in blocks)
        return (f"documented max ulp of the building blocks — glibc double: {glibc}",)
    return (f"{fmt.name} kernels usually compute in float32 and round once: expect ≤ 0.5 ulp plus a "
            f"float32 error scaled by 2^−{u.FLOAT32.frac_bits - fmt.frac_bits}",)
