"""actviz from Python and Jupyter: one function per command, the same defaults, the same output.

Each function returns what the command shows, as an object:

- :func:`plot` → a Matplotlib Figure (or draws into your Axes), unshown and unsaved;
- :func:`derive` → a :class:`DeriveReport` (value table, saturation, kinks; or the summary of
  an array of real inputs);
- :func:`softmax_report` → a :class:`~actviz.softmax_result.SoftmaxResult`;
- :func:`recommend` → a :class:`~actviz.advice.build.Recommendation`;
- :func:`flow` → a :class:`~actviz.flow.report.FlowReport`;
- :func:`check` → a :class:`~actviz.check.report.CheckReport` (the ULP audit);
- :func:`train` → a :class:`~actviz.train.result.TrainResult`;
- :func:`info` and :func:`catalog_report` → the data of ``actviz info`` and ``actviz list``.

Every report is frozen and has ``to_dict()`` (exactly the command's ``--format json``, strict
JSON data: no NaN or Infinity, arrays as lists), ``__rich__`` (``rich.print(report)`` prints the
command's tables), ``_repr_html_`` (Jupyter shows the tables as HTML) and, where the command
draws, ``figure(ax=None)``. Nothing here imports ``matplotlib.pyplot`` or touches its state;
Matplotlib itself is imported only when a picture is made.

Inputs: activation names with parameters (``"leaky_relu:alpha=0.1"``) or
:class:`~actviz.catalog.activation.Activation` objects; numbers as scalars, lists, NumPy arrays
or (when those libraries are loaded) PyTorch and JAX tensors. Bad input raises ``ValueError``
with one clear message (an unknown name suggests the closest ones).

>>> import actviz
>>> actviz.derive("sigmoid", at=[4.6]).to_dict()["points"][0]["df"]
0.009852763506506206
>>> round(actviz.softmax_report([0.2, 1.3, 3.75]).to_dict()["probabilities"][2], 6)
0.896846
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from actviz.catalog.activation import Activation
from actviz.core.arrays import as_array
from actviz.core.checks import grid_range, positive
from actviz.core.jsonsafe import bound, clean
from actviz.plot_defaults import DEFAULT_POINTS, DEFAULT_XLIM

if TYPE_CHECKING:
    from actviz.advice.build import Recommendation
    from actviz.check.report import CheckReport
    from actviz.derive_report import Report
    from actviz.flow.report import FlowReport
    from actviz.softmax_result import SoftmaxResult
    from actviz.summary import InputSummary
    from actviz.train.result import TrainResult

__all__ = [
    "Catalog",
    "DeriveReport",
    "Info",
    "catalog_report",
    "check",
    "derive",
    "flow",
    "info",
    "plot",
    "recommend",
    "softmax_report",
    "train",
]



# --- inputs ---------------------------------------------------------------------------------
def activation(spec: str | Activation, framework: str | None = None) -> Activation:
    """An Activation from a name/spec (``"elu:alpha=0.5"``) under ``framework``, or the one given.

    >>> activation("leaky_relu", framework="pytorch").params
    {'alpha': 0.01}
    """
    if isinstance(spec, Activation):
        if framework is not None:
            from actviz.catalog.frameworks import resolve_framework

            if resolve_framework(framework) != spec.framework:
                raise ValueError(f"{spec!r} follows {spec.framework}'s conventions; for {framework}'s use "
                                 f"actviz.get({spec.name!r}, framework={framework!r})")
        return spec
    if not isinstance(spec, str):
        raise ValueError(f"expected an activation name or an Activation, got {type(spec).__name__}")
    from actviz.catalog.registry import parse_spec

    return parse_spec(spec, framework=framework)


def _activations(specs: Iterable[str | Activation] | str | Activation,
                 framework: str | None) -> list[Activation]:
    if isinstance(specs, (str, Activation)):
        specs = [specs]
    return [activation(s, framework) for s in specs]


def _numbers(values: Any, what: str) -> np.ndarray:
    """Real numbers (scalar, list, array, tensor) as a float64 array of any shape."""
    arr = np.asarray(as_array(values))
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{what}: expected real numbers, got {arr.dtype}")
    return arr.astype(np.float64, copy=False)


def _threshold(value: float) -> float:
    return positive(float(value), "threshold", value)


def _range(pair: Sequence[float] | None, what: str) -> tuple[float, float] | None:
    if pair is None:
        return None
    return grid_range(*_pair(pair, what), what, shown=(pair[0], pair[1]))


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    return int(value)


# --- plot -----------------------------------------------------------------------------------
def plot(*activations: str | Activation, grad: bool = False, grad2: bool = False,
         xlim: Sequence[float] = DEFAULT_XLIM, ylim: Sequence[float] | None = None,
         points: int = DEFAULT_POINTS, framework: str | None = None, threshold: float = 0.01,
         shade: bool = True, theme: str = "light", size: Sequence[float] | None = None,
         dpi: float | None = None, title: str | None = None, ax: Any = None,
         layout: str = "overlay", legend: str = "below") -> Any:
    """The picture of ``actviz plot``: f solid, f′ dashed (``grad``), f″ dotted (``grad2``).

    Returns a new Matplotlib Figure — the one the CLI saves, so ``fig.savefig("relu.png")``
    writes the same bytes as ``actviz plot relu --grad -o relu.png`` — or, with ``ax``, draws
    into that Axes (legend inside it unless ``legend="none"``) and returns it. With ``grad``,
    regions where abs(f′) < ``threshold`` are shaded unless ``shade`` is False. ``layout``:
    "overlay" (one axes), "stacked" (f′ and f″ on their own axes below f) or "grid" (a panel
    per activation); ``legend``: "below", "right", "inside" or "none". Without ``size`` the
    figure grows with its legend, notes and panels. Nothing is shown or saved.

    >>> fig = plot("relu", "gelu", grad=True)
    >>> [line.get_label() for line in fig.axes[0].get_lines() if line.get_gid()][:2]
    ['relu', 'relu′']
    """
    from actviz.plot_defaults import LAYOUTS, LEGENDS, MAX_ACTIVATIONS, THEME_NAMES
    from actviz.scene import build_scene, check_range

    if not activations:
        raise ValueError("plot needs at least one activation")
    if len(activations) > MAX_ACTIVATIONS:
        raise ValueError(f"at most {MAX_ACTIVATIONS} activations in one plot (got {len(activations)})")
    if theme not in THEME_NAMES:
        raise ValueError(f"theme must be one of {', '.join(THEME_NAMES)}, got {theme!r}")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    if legend not in LEGENDS:
        raise ValueError(f"legend must be one of {', '.join(LEGENDS)}, got {legend!r}")
    if ax is not None and layout != "overlay":
        raise ValueError(f"layout={layout!r} draws several axes into a new figure; leave out ax")
    acts = _activations(activations, framework)
    x_range = check_range(*_pair(xlim, "xlim"), "xlim", points=_whole(points, "points"))
    y_range = None if ylim is None else check_range(*_pair(ylim, "ylim"), "ylim")
    width, height = _canvas(size, dpi)
    orders = [0] + ([1] if grad else []) + ([2] if grad2 else [])
    scene = build_scene(acts, orders, xlim=x_range, ylim=y_range, points=_whole(points, "points"),
                        threshold=_threshold(threshold), shade=grad and shade)
    return scene.figure(ax, theme=theme, size=None if size is None else (width, height),
                        dpi=None if dpi is None else float(dpi), title=title, layout=layout, legend=legend)


def _pair(values: Sequence[float], what: str) -> tuple[float, float]:
    if len(values) != 2:
        raise ValueError(f"{what} takes two numbers (min, max), got {len(values)}")
    return float(values[0]), float(values[1])


def _canvas(size: Sequence[float] | None, dpi: float | None) -> tuple[float, float]:
    """The figure size in inches, checked as ``actviz plot --size/--dpi`` checks it."""
    from actviz.plot_defaults import DEFAULT_SIZE, DPI_RANGE, MAX_PIXELS, SIZE_RANGE

    width, height = DEFAULT_SIZE if size is None else _pair(size, "size")
    lo, hi = SIZE_RANGE
    if not all(math.isfinite(v) and lo <= v <= hi for v in (width, height)):
        raise ValueError(f"size takes width and height in inches, each from {lo:g} to {hi:g}; "
                         f"got {width:g} {height:g}")
    if dpi is not None:
        if not (isinstance(dpi, (int, float)) and DPI_RANGE[0] <= dpi <= DPI_RANGE[1]):
            raise ValueError(f"dpi must be between {DPI_RANGE[0]} and {DPI_RANGE[1]} (got {dpi})")
        if round(width * dpi) * round(height * dpi) > MAX_PIXELS:
            raise ValueError(f"{width:g}×{height:g} in at {dpi:g} dpi is too large "
                             f"(at most {MAX_PIXELS // 10**6} megapixels)")
    return width, height


# --- derive ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeriveReport:
    """What ``actviz derive`` shows: formulas, a value table or an input summary, saturation, kinks.

    ``report`` is :class:`actviz.derive_report.Report`; ``points``, ``summary``, ``regions`` and
    ``activation`` are its parts.
    """

    report: Report

    def __repr__(self) -> str:
        r = self.report
        what = (f"summary of {r.summary.count:,} values" if r.summary is not None
                else f"{len(r.points or [])} points")
        return (f"DeriveReport({r.act.spec!r}, {r.act.framework}, {what}, "
                f"{len(r.regions)} saturation region{'s' * (len(r.regions) != 1)})")

    @property
    def activation(self) -> Activation:
        return self.report.act

    @property
    def points(self) -> Any:
        return self.report.points

    @property
    def summary(self) -> Any:
        return self.report.summary

    @property
    def regions(self) -> Any:
        return self.report.regions

    def to_dict(self) -> dict[str, Any]:
        """The ``actviz derive --format json`` document (strict-JSON data)."""
        from actviz.derive_report import to_json

        return clean(to_json(self.report))

    def __rich__(self) -> Any:
        from actviz.render.derive_view import render
        from actviz.render.display import Printed

        return Printed(lambda console: render(console, self.report))

    def _repr_html_(self) -> str:
        from rich.text import Text

        from actviz.render import derive_view
        from actviz.render.display import html

        report, act = self.report, self.report.act
        formulas = [act.formula.text, act.dformula.text] + ([act.d2formula.text] if report.order == 2 else [])
        if report.summary is not None:
            main = derive_view.summary_table(report.summary, report.source, report.threshold)
        else:
            main = derive_view.points_table(report.points or [], report.order, report.threshold)
        parts = [Text(act.label), Text("\n".join(formulas)), main, derive_view.saturation_table(report)]
        if act.kinks:
            parts.append(derive_view.kinks_table(report))
        return html(parts)


@dataclass(frozen=True)
class InputReport:
    """What ``actviz derive NAME --input FILE`` shows for more than 50 values: exact shares of
    dead, vanishing (by side) and active inputs, statistics of f and abs(f′), saturation, kinks.

    ``summary`` is :class:`actviz.summary.InputSummary` (its ``arrays[0]`` the one array).
    """

    summary: InputSummary

    def __repr__(self) -> str:
        s = self.summary
        return f"InputReport({s.act.spec!r}, {s.act.framework}, summary of {s.total.count:,} values)"

    @property
    def activation(self) -> Activation:
        return self.summary.act

    def to_dict(self) -> dict[str, Any]:
        """The ``actviz derive --input --format json`` document (strict-JSON data)."""
        from actviz.summary import document

        return clean(document([self.summary], single=True))

    def __rich__(self) -> Any:
        from actviz.render.display import Printed
        from actviz.render.summary_view import render_one

        return Printed(lambda console: render_one(console, self.summary))

    def _repr_html_(self) -> str:
        from actviz.derive_report import Report
        from actviz.render.derive_view import saturation_table
        from actviz.render.display import html
        from actviz.render.summary_view import one_table

        s = self.summary
        report = Report(s.act, 1, s.threshold, list(s.regions), None, None, s.source)
        return html([one_table(s.arrays[0], s), saturation_table(report)])


def derive(name: str | Activation, at: Any = None, *, xlim: Sequence[float] | None = None,
           points: int | None = None, data: Any = None, order: int = 1, threshold: float = 0.01,
           framework: str | None = None, source: str | None = None) -> DeriveReport | InputReport:
    """``actviz derive``: f, f′ (and f″ with ``order=2``) at chosen points, or for real inputs.

    Points: ``at`` (a number or several), a grid (``xlim`` from −6 to 6 by default, ``points``
    values) or, with neither, the teaching set −6 … 6 plus every kink. ``data`` (an array of any
    shape, a list, a tensor) is the ``--input`` path: up to 50 values give one row each (a
    :class:`DeriveReport`), more give an :class:`InputReport`, computed chunk by chunk
    (``source`` names the input; default ``"data"``).

    >>> rep = derive("relu", at=[-2, 0, 3], framework="jax")
    >>> [(p["x"], p["df"]) for p in rep.to_dict()["points"]]
    [(-2.0, 0.0), (0.0, 0.0), (3.0, 1.0)]
    """
    from actviz import derive_report as dr

    act = activation(name, framework)
    t = _threshold(threshold)
    if order not in (1, 2) or isinstance(order, bool):
        raise ValueError(f"order must be 1 or 2, got {order!r}")
    grid = _range(xlim, "xlim")
    if points is not None:
        points = _whole(points, "points")
        if not 2 <= points <= dr.MAX_POINTS:
            raise ValueError(f"points must be between 2 and {dr.MAX_POINTS}, got {points}")
    at_values = [] if at is None else _numbers(at, "at").reshape(-1).tolist()
    if data is not None:
        if at is not None or grid is not None or points is not None:
            raise ValueError("data cannot be combined with at, xlim or points")
        arr = np.asarray(as_array(data))  # an array is used as it is (memory-mapped: in chunks)
        if arr.dtype.kind not in "biuf":
            raise ValueError(f"data: expected real numbers, got {arr.dtype}")
        if arr.size == 0:
            raise ValueError("data: no numbers (empty input)")
        if arr.size <= dr.SMALL_INPUT:
            return DeriveReport(dr.build(act, order, t, data=arr, source=source))
        from actviz.summary import in_memory, summarize_input

        (summary,) = summarize_input([act], in_memory(arr, source or "data"), t)
        return InputReport(summary)
    xs = dr.chosen_points(at_values, grid, points, act)
    return DeriveReport(dr.build(act, order, t, xs=xs))


# --- softmax --------------------------------------------------------------------------------
def softmax_report(logits: Any, *, temperature: float = 1.0, labels: Sequence[str] | str | None = None,
                   sort: bool = False, top: int | None = None, fn: str = "softmax") -> SoftmaxResult:
    """``actviz softmax``: probabilities and log-probabilities of ``logits`` (a 2-D batch: per row).

    ``fn`` is softmax (the default), log_softmax, softmin or sparsemax (``actviz softmax --fn``).

    ``labels`` (a list or ``"cat,dog,bird"``) names the classes; ``sort`` ranks the entries,
    ``top`` keeps the K most probable (and reports the mass of the rest). For the bare numbers
    use :func:`actviz.softmax` and :func:`actviz.log_softmax`.

    >>> res = softmax_report([-1, -2.5, 3], labels="cat,dog,bird")
    >>> res.to_dict()["argmax"], res.to_dict()["labels"][2]
    (2, 'bird')
    """
    from actviz.softmax_result import build

    if isinstance(labels, str):
        labels = [label.strip() for label in labels.split(",")]
    if top is not None:
        top = _whole(top, "top")
    return build(_numbers(logits, "logits"), temperature, labels, sort, top, fn.lower())


# --- recommend ------------------------------------------------------------------------------
def recommend(task: str, *, layer: str = "both", depth: int = 3, output_range: str = "any",
              framework: str | None = None, units: int | None = None,
              context: str = "mlp") -> Recommendation:
    """``actviz recommend``: activations for the hidden and output layers of ``task``, with reasons.

    Tasks: binary, multiclass, multilabel, regression. ``depth`` counts hidden layers.
    ``context="transformer"``: the hidden layers are a Transformer's feed-forward blocks (SwiGLU).

    >>> adv = recommend("multiclass", depth=12)
    >>> adv.to_dict()["hidden"]["recommended"], adv.to_dict()["output"]["activation"]
    ('relu', 'softmax')
    """
    from actviz.advice.build import recommend as build

    return build(task.lower(), layer=layer.lower(), depth=_whole(depth, "depth"),
                 output_range=output_range.lower(), framework=framework,
                 units=None if units is None else _whole(units, "units"), context=context.lower())


# --- flow -----------------------------------------------------------------------------------
def flow(activations: Iterable[str | Activation] | str | Activation = ("sigmoid", "tanh", "relu"), *,
         depth: int = 10, width: int = 256, batch: int = 256, seed: int = 0, init: str | None = None,
         input_std: float = 1.0, bias: float = 0.0, threshold: float = 0.01,
         framework: str | None = None) -> FlowReport:
    """``actviz flow``: a plain deep MLP per activation, forward and backward, layer by layer.

    ``init`` is he, glorot, lecun or ``normal:STD`` (default: the one that suits each activation).

    >>> flo = flow(["sigmoid", "relu"], depth=10, width=32, batch=32)
    >>> [r["verdict_kind"] for r in flo.to_dict()["results"]]
    ['vanishing', 'stable']
    """
    from actviz.catalog.frameworks import resolve_framework
    from actviz.flow.init import parse_init
    from actviz.flow.report import run
    from actviz.flow.simulate import FlowConfig

    fw = resolve_framework(framework)
    acts = _activations(activations, fw)
    config = FlowConfig(depth=_whole(depth, "depth"), width=_whole(width, "width"),
                        batch=_whole(batch, "batch"), seed=_whole(seed, "seed"),
                        input_std=float(input_std), bias=float(bias), threshold=_threshold(threshold))
    return run(acts, config, parse_init(init) if init is not None else None, fw)


# --- list and info --------------------------------------------------------------------------
@dataclass(frozen=True)
class Info:
    """What ``actviz info`` shows for one activation, with saturation at ``threshold``."""

    activation: Activation
    threshold: float = 0.01

    def __repr__(self) -> str:
        return f"Info({self.activation.spec!r}, framework={self.activation.framework!r})"

    def document(self) -> dict[str, Any]:
        """The catalog's facts as plain data (unbounded region ends as ±inf)."""
        from actviz.info_report import info_document

        return info_document(self.activation, self.threshold)

    def to_dict(self) -> dict[str, Any]:
        """The ``actviz info --format json`` document: unbounded ends and ranges are null."""
        doc = self.document()
        for region in doc["saturation"]["regions"]:
            region["start"], region["end"] = bound(region["start"]), bound(region["end"])
        doc["properties"]["range_low"] = bound(doc["properties"]["range_low"])
        doc["properties"]["range_high"] = bound(doc["properties"]["range_high"])
        return clean(doc)

    def __rich__(self) -> Any:
        from rich.console import Group

        from actviz.render.catalog_view import info_parts

        return Group(*info_parts(self.document()))

    def _repr_html_(self) -> str:
        from actviz.render.activation_card import html

        return html(self.activation, self.threshold)


def info(name: str | Activation, *, framework: str | None = None, threshold: float = 0.01) -> Info:
    """``actviz info``: formulas, parameters, properties, kinks and saturation of one activation.

    >>> info("sigmoid").to_dict()["properties"]["sup_abs_grad"]
    0.25
    """
    return Info(activation(name, framework), _threshold(threshold))


@dataclass(frozen=True)
class Catalog:
    """What ``actviz list`` shows: one row per activation with ``framework``'s defaults."""

    framework: str | None = None

    def __repr__(self) -> str:
        from actviz.catalog.registry import names

        return f"Catalog({len(names())} activations, framework={self.framework!r})"

    def rows(self) -> list[dict[str, Any]]:
        from actviz.catalog.describe import catalog_rows

        return catalog_rows(self.framework)

    def to_dict(self) -> list[dict[str, Any]]:
        """The ``actviz list --format json`` document (a list of rows)."""
        return clean(self.rows())

    def __rich__(self) -> Any:
        from actviz.render.catalog_view import render_list
        from actviz.render.display import Printed

        return Printed(lambda console: render_list(self.rows(), console))

    def _repr_html_(self) -> str:
        from actviz.render.catalog_view import list_table
        from actviz.render.display import html

        return html([list_table(self.rows(), wide=True)])


def catalog_report(*, framework: str | None = None) -> Catalog:
    """``actviz list``: the catalog.

    >>> [row["name"] for row in catalog_report().to_dict()][:3]
    ['identity', 'sigmoid', 'tanh']
    """
    from actviz.catalog.frameworks import resolve_framework

    return Catalog(resolve_framework(framework))


# --- check ---------------------------------------------------------------------------------
def check(name: str | Activation, x: Any = None, values: Any = None, *, grads: Any = None,
          dtype: str | None = None, framework_run: str | None = None, max_ulp: float | None = None,
          framework: str | None = None, implementation: str | None = None) -> CheckReport:
    """``actviz check``: the error in ULP of an implementation of an activation, against the exact values.

    ``x`` are the inputs the implementation saw and ``values`` its results f(x) (``grads``: its
    f′(x), optional), each an array, a list or a tensor, as long as each other. The dtype of
    ``values`` is the target dtype (float64, float32, float16, or ml_dtypes' bfloat16; unsigned
    bit patterns with ``dtype``); lists are decimal numbers, rounded once into ``dtype`` (default
    float64). Or ``framework_run`` (jax, torch, tensorflow, mlx, all) calls an installed
    framework on actviz's hard grid for ``dtype`` (default float32), or on ``x``. ``max_ulp`` is
    the limit of ``report.passed`` (the CLI's exit status 1 when it is False); ``implementation``
    names what was checked in the report (default: the parameters, ``x / values``).

    >>> import numpy as np
    >>> x = np.linspace(-4, 4, 9, dtype=np.float32)
    >>> rep = check("tanh", x, np.tanh(x))
    >>> rep.to_dict()["quantities"][0]["max_ulp"] <= 1
    True
    """
    from actviz.check.report import CheckReport, audit_arrays, framework_audits

    limit = _limit(max_ulp)
    target = _float_format(dtype)
    if framework_run is not None:
        if values is not None or grads is not None:
            raise ValueError("framework_run computes the values itself: drop values and grads")
        inputs = None if x is None else _loaded(x, "x", target or _float32(), strict=True)
        return framework_audits(name, framework_run, inputs, target or _float32(), limit,
                                lambda spec, preset: _elementwise(getattr(spec, "spec", spec), preset))
    if x is None or values is None:
        raise ValueError("give x and values (and optionally grads), or framework_run")
    x_arr = _loaded(x, "x", target, strict=False)
    y = _loaded(values, "values", target)
    g = None if grads is None else _loaded(grads, "grads", y.fmt)
    act = _elementwise(name, framework)
    return CheckReport((audit_arrays(act, x_arr, y, g, limit, implementation),))


def _loaded(value: Any, what: str, dtype: Any, strict: bool = True) -> Any:
    """An array for check: a Loaded as it is, an array keeping its dtype, a list as decimals."""
    from actviz.check.arrays import Loaded, from_array, from_numbers

    if isinstance(value, Loaded):
        return value
    if isinstance(value, np.ndarray) or hasattr(value, "dtype"):
        arr = np.asarray(as_array(value))
        if arr.size == 0:
            raise ValueError(f"{what}: no numbers (empty input)")
        return from_array(arr, what, dtype, strict)
    arr = _numbers(value, what)
    if arr.size == 0:
        raise ValueError(f"{what}: no numbers (empty input)")
    return from_numbers(arr, dtype, what)


def _limit(max_ulp: float | None) -> float | None:
    if max_ulp is None:
        return None
    limit = float(max_ulp)
    if not (limit >= 0) or math.isinf(limit):
        from actviz.core.params import ParamError, param

        raise ParamError(f"{param('max_ulp')} must be a finite number ≥ 0, got {max_ulp}")
    return limit


def _float_format(dtype: str | None) -> Any:
    if dtype is None:
        return None
    from actviz.core import ulp as u

    return u.format_named(dtype)


def _float32() -> Any:
    from actviz.core import ulp as u

    return u.FLOAT32


def _elementwise(spec: str | Activation, framework: str | None) -> Activation:
    """An elementwise Activation (a gated unit as its gate at ``value``; a vector one refused)."""
    act = activation(spec, framework)
    if getattr(act, "kind", "elementwise") == "gated":
        return act.at_value()
    if getattr(act, "kind", "elementwise") == "vector":
        raise ValueError(f"{act.name} is a vector function (it needs the whole vector)")
    return act


# --- train ----------------------------------------------------------------------------------
def train(activations: Iterable[str | Activation] | str | Activation = ("sigmoid", "tanh", "relu"), *,
          data: str = "moons", points: int | None = None, classes: int | None = None,
          label: str | None = None, task: str | None = None, output: str | Activation | None = None,
          test_share: float = 0.25, depth: int = 3, width: int = 32, steps: int = 1000, lr: float = 0.02,
          optimizer: str = "sgd", momentum: float | None = None, batch: int = 32, init: str | None = None,
          seed: int = 0, seeds: int = 1, framework: str | None = None, pictures: bool = True,
          progress: Any = None) -> TrainResult:
    """``actviz train``: a small MLP trained per activation; loss, dead units and gradients.

    ``data`` is a built-in set (moons, circles, spirals, xor, blobs, sine; ``points`` of them,
    400 by default) or a CSV file with a label column (``label``). ``depth`` hidden layers of
    ``width`` units, ``steps`` optimiser steps of ``batch`` rows (0: all), SGD with ``momentum``
    (default 0.9) or Adam. ``output`` puts another activation at the output layer; ``init`` is
    he, glorot, lecun or ``normal:STD``. With ``seeds`` every number is a mean over seeds.
    ``pictures`` keeps what ``result.figure()`` needs for decision regions; ``progress(steps)``
    is called as training goes. Every run diverging is not an error here: see the verdicts.

    >>> res = train("relu", data="xor", points=80, steps=20, width=8, depth=2)
    >>> res.to_dict()["config"]["steps"], res.to_dict()["results"][0]["function"]
    (20, 'relu')
    """
    from actviz.catalog.frameworks import resolve_framework
    from actviz.core.params import ParamError, param
    from actviz.flow.init import parse_init
    from actviz.train.data import BUILTINS, load
    from actviz.train.result import TrainConfig
    from actviz.train.trainer import train as run

    fw = resolve_framework(framework)
    acts = _activations(activations, fw)
    opt = optimizer.lower()
    if opt == "adam" and momentum is not None:
        raise ParamError(f"{param('momentum')} is for {param('optimizer', 'sgd')} (Adam's β₁ = 0.9 is fixed)")
    if data.strip().lower() not in BUILTINS and points is not None:
        raise ParamError(f"{param('points')} is for the built-in data sets; a CSV file has its own rows")
    if isinstance(output, Activation):
        output = output.spec
    elif output is not None:
        output = "softmax" if output.strip().lower() == "softmax" else activation(output, fw).spec
    config = TrainConfig(depth=_whole(depth, "depth"), width=_whole(width, "width"),
                         steps=_whole(steps, "steps"), lr=float(lr), optimizer=opt,
                         momentum=0.9 if momentum is None else float(momentum), batch=_whole(batch, "batch"),
                         init=parse_init(init) if init is not None else None, seed=_whole(seed, "seed"),
                         seeds=_whole(seeds, "seeds"), framework=fw, output=output)
    config.check()
    dataset = load(data, points=400 if points is None else _whole(points, "points"), seed=config.seed,
                   task=task.lower() if task else None, test_share=float(test_share),
                   classes=None if classes is None else _whole(classes, "classes"), label=label)
    return run(acts, dataset, config, pictures=pictures, progress=progress)
