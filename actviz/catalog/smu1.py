"""The catalog entry for smu1, a research activation (Biswas et al. 2022).

No framework ships it (the authors' PyTorch code learns α and μ per channel), so it has no
framework names. Kernels in ``actviz.core.smu1``; facts and golden values from
``shared/reference/catalog-gap.md`` (B17). Why its siblings ACON-C and SMU are not here: see
``actviz.core.smu1``.
"""

from __future__ import annotations

import functools
import math

from actviz.catalog.frameworks import BASE_FRAMEWORKS
from actviz.catalog.model import Definition, Formula, Param, ParamValues, Properties
from actviz.catalog.normal_moments import normal_moments
from actviz.core import smu1 as k

INF = math.inf
C_INF = "C∞"

SMU_ALPHA = Param("alpha", 0.25, "α", "slope for x → −∞ (the paper's code: 0.25)",
                  low=0.0, high=1.0, low_open=False, high_open=False)
SMU1_MU = Param("mu", 4.352665993287951e-9, "μ", "width of the corner, f(0) = μ/2 (learned; "
                "SMU_pytorch init 4.35e−9)", low=1e-150, high=1e100, low_open=False,
                high_open=False)


def _zero_centred(kernel, p: ParamValues) -> bool:
    """The catalog's own measurement of E[f(z)] (E√(((1 − α)z)² + μ²) has no elementary form)."""
    return bool(normal_moments(functools.partial(kernel, **p)).zero_centred)


def _smu1_props(p: ParamValues) -> Properties:
    a = p["alpha"]
    lo, text = (-INF, "(−∞, ∞)") if a > 0 else (0.0, "(0, ∞)")
    return Properties(lo, INF, text, _zero_centred(k.smu1, p), True, C_INF,
                      ("left",) if a == 0 else (), 1.0)


SMU1: tuple[Definition, ...] = (
    Definition(
        name="smu1", aliases=("smu_1", "smu-1"),
        f=k.smu1, df=k.smu1_grad, d2f=k.smu1_grad2,
        params=(SMU_ALPHA, SMU1_MU),
        formula=Formula(r"$f(x) = \frac{(1+\alpha)x + \sqrt{((1-\alpha)x)^2 + \mu^2}}{2}$",
                        "f(x) = ((1 + α)x + √(((1 − α)x)² + μ²))/2"),
        dformula=Formula(r"$f'(x) = \frac{1}{2}\left(1 + \alpha + \frac{(1-\alpha)^2 x}"
                         r"{\sqrt{((1-\alpha)x)^2 + \mu^2}}\right)$",
                         "f′(x) = (1 + α + (1 − α)²·x/√(((1 − α)x)² + μ²))/2"),
        d2formula=Formula(r"$f''(x) = \frac{(1-\alpha)^2\mu^2}{2\,(((1-\alpha)x)^2 + \mu^2)^{3/2}}$",
                          "f″(x) = (1 − α)²·μ²/(2·(((1 − α)x)² + μ²)^(3/2))"),
        properties=_smu1_props,
        description=(
            "SMU-1 (Biswas et al. 2022): max(x, αx) smoothed with a square root, like "
            "squareplus; f(0) = μ/2 and f″(0) = (1 − α)²/(2μ). The reference code's "
            "μ = 4.35e−9 makes it leaky_relu(0.25) with a corner 1e−8 wide; μ is learned."
        ),
        framework_names=dict.fromkeys(BASE_FRAMEWORKS),
    ),
)
