"""Kernels that give the same numbers on a float32 array as in float64 rounded once.

They only compare, clip, select or copy (relu, relu6, hard_tanh, the piecewise-constant
derivatives; leaky_relu rounds its one product once, in float64), or round once in float32
(soft_shrink's x − λ, sparse_sigmoid's x + 1: one float32 operation on float32 numbers rounds as
the float64 result rounded once, since 53 ≥ 2·24 + 2 — Figueroa, "When is double rounding
innocuous?", 1995), so evaluated directly on a
float32 array their results equal the float64 evaluation rounded to float32 — the catalog's
contract for that dtype — without the two conversions. Python float constants in them take the
array's dtype (NumPy's rule for scalars), which is exact for the constants used here (0, ±1, ±3,
6; α, 1/6 and 1/3 are rounded once, as the cast would). relu, hard_tanh′ and hard_sigmoid′ with
non-default parameters (Keras's threshold, PyTorch's bounds) convert to float64 themselves and
return float64, which the catalog rounds once. The catalog calls these kernels on
float64 and float32 input as it is. (Not float16: its max(−0, 0)
gives −0 where float64's gives +0.)
"""

from __future__ import annotations

from actviz.core import piecewise as pw
from actviz.core import smooth as sm
from actviz.core import zoo

SAME_IN_FLOAT32 = frozenset({
    sm.identity, sm.identity_grad, sm.identity_grad2,
    pw.relu, pw.relu_grad, pw.relu_grad2,
    pw.relu6, pw.relu6_grad,
    pw.leaky_relu, pw.leaky_relu_grad, pw.leaky_relu_grad2,
    pw.hard_tanh, pw.hard_tanh_grad,
    pw.hard_sigmoid_grad, pw.hard_swish_grad2,
    pw.soft_shrink, pw.soft_shrink_grad, pw.soft_shrink_grad2,  # λ not a float32: float64
    pw.hard_shrink, pw.hard_shrink_grad,
    zoo.prelu, zoo.prelu_grad, zoo.rrelu, zoo.rrelu_grad,  # leaky_relu with its slope
    # compare and select; a threshold t that is no float32 number sends them to float64
    zoo.threshold, zoo.threshold_grad, zoo.step, zoo.step_grad,
    zoo.sparse_sigmoid, zoo.sparse_sigmoid_grad,  # one rounding (x + 1), then an exact halving
})

# Of those, the ones that are a single NumPy operation: on a large input, one call over the whole
# array is one pass over memory, and evaluating it block by block would only add a copy.
ONE_PASS = frozenset({sm.identity, pw.relu, pw.relu6, pw.hard_tanh})
