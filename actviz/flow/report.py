"""The result of ``actviz flow``: simulations and verdicts for several activations, as one object.

:func:`run` simulates each activation with :mod:`actviz.flow.simulate` and judges it with
:mod:`actviz.flow.verdict`; the frozen :class:`FlowReport` it returns has the CLI's JSON
(``to_dict``), its tables (``__rich__``, ``_repr_html_``) and its figure (``figure(ax=None)``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from actviz.catalog.activation import Activation
from actviz.core.jsonsafe import clean
from actviz.flow.init import Init
from actviz.flow.simulate import FlowConfig, FlowResult, LayerStats, simulate_all
from actviz.flow.verdict import EXPLODING_ABOVE, VANISHING_BELOW, Verdict, verdict

GRADIENT_NOTE = "random unit-norm dL/da at the last layer, pushed back with the analytic f′"


def _layer_dict(s: LayerStats) -> dict[str, Any]:
    return {
        "layer": s.layer,
        "pre_mean": s.pre_mean,
        "pre_std": s.pre_std,
        "act_mean": s.act_mean,
        "act_std": s.act_std,
        "saturated": s.saturated,
        "dead": s.dead,
        "grad_norm": s.grad_norm,
        "grad_log10": None if math.isnan(s.grad_log10) else s.grad_log10,
    }


@dataclass(frozen=True)
class FlowReport:
    """Per activation: the simulated layers and a verdict, under one configuration."""

    config: FlowConfig
    framework: str
    init: str  # the initialiser asked for ("default": each activation's own)
    results: tuple[FlowResult, ...]
    verdicts: tuple[Verdict, ...]

    def __repr__(self) -> str:
        pairs = zip(self.results, self.verdicts, strict=True)
        verdicts = ", ".join(f"{r.act.label} {v.kind}" for r, v in pairs)
        return f"FlowReport(depth={self.config.depth}, width={self.config.width}: {verdicts})"

    def to_dict(self) -> dict[str, Any]:
        """The ``actviz flow --format json`` document (strict-JSON data)."""
        config = self.config
        return clean({
            "config": {
                "depth": config.depth,
                "width": config.width,
                "batch": config.batch,
                "seed": config.seed,
                "input_std": config.input_std,
                "bias": config.bias,
                "threshold": config.threshold,
                "framework": self.framework,
                "init": self.init,
                "gradient": GRADIENT_NOTE,
                "grad_norm": "‖δ_l‖/‖δ_L‖ with δ_l = dL/dz_l over the batch; grad_log10 is its log10",
                "vanishing_below": VANISHING_BELOW,
                "exploding_above": EXPLODING_ABOVE,
            },
            "results": [
                {
                    "function": r.act.name,
                    "spec": r.act.spec,
                    "params": r.act.params,
                    "init": r.init.init.spec,
                    "init_default": r.init.default,
                    "init_reason": r.init.reason,
                    "weight_std": r.weight_std,
                    "layers": [_layer_dict(s) for s in r.layers],
                    "verdict": v.text,
                    "verdict_kind": v.kind,
                }
                for r, v in zip(self.results, self.verdicts, strict=True)
            ],
        })

    def __rich__(self) -> Any:
        from rich.console import Group

        from actviz.render.flow_view import renderables

        return Group(*renderables(self))

    def _repr_html_(self) -> str:
        from actviz.render.display import html
        from actviz.render.flow_view import renderables

        return html(renderables(self, spaced=False))

    def figure(self, ax: Any = None) -> Any:
        """Gradient norm and activation std per layer: a new Figure, or drawn into two Axes."""
        from actviz.render.flow_chart import figure

        return figure(self, ax)



def run(acts: Sequence[Activation], config: FlowConfig, init: Init | None = None,
        framework: str | None = None) -> FlowReport:
    """Simulate every activation (ValueError for an out-of-range configuration) and judge it."""
    config.check()
    results = simulate_all(list(acts), config, init)
    fw = framework if framework is not None else (acts[0].framework if acts else "tensorflow")
    return FlowReport(config, fw, init.spec if init is not None else "default", tuple(results),
                      tuple(verdict(r) for r in results))
