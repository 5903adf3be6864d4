"""``check --framework-run``: call an installed framework's activation and its autodiff f′.

Each runner imports its framework only when it runs (never at actviz's start-up), converts the
grid's bit patterns to the framework's array of the target dtype without any rounding, calls the
framework's own function (``jax.nn.gelu``, ``torch.nn.functional.gelu`` …), takes f′ by reverse
mode autodiff with a cotangent of ones (elementwise functions: the diagonal of the Jacobian, what
``grad`` gives per element), and hands the results back as bit patterns. Activations a framework
does not have (or not with the given parameters) are :class:`Unsupported`.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

import numpy as np

from actviz.check.audit import audit
from actviz.check.grid import hard_grid
from actviz.check.model import CheckResult
from actviz.core import ulp as u
from actviz.core.params import ParamError, param


class FrameworkMissing(ParamError):
    """The framework asked for is not installed (usage error: names the pip package)."""


class Unsupported(ValueError):
    """The framework has no function for this activation (with these parameters)."""


def _np_dtype(fmt: u.FloatFormat) -> Any:
    if fmt is u.BFLOAT16:
        import ml_dtypes  # installed with jax, torch-free; used only to hand patterns over

        return ml_dtypes.bfloat16
    return np.dtype(fmt.name)


class Runner:
    """One framework: its module, pip package, catalog preset and function table."""

    name = ""
    module = ""
    package = ""
    preset = ""

    def available(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def version(self) -> str:
        return str(getattr(importlib.import_module(self.module), "__version__", "?"))

    def function(self, act: Any) -> tuple[Callable, str]:
        """(callable on the framework's arrays, its name for the report)."""
        raise NotImplementedError

    def run(self, fn: Callable, bits: np.ndarray, fmt: u.FloatFormat) -> tuple[np.ndarray, np.ndarray]:
        """(f patterns, f′ patterns) of ``fn`` at the inputs ``bits``."""
        raise NotImplementedError

    def check(self, act: Any, fmt: u.FloatFormat, inputs: Any = None,
              limit: float | None = None) -> CheckResult:
        """Audit the framework on ``inputs`` (a :class:`~actviz.check.arrays.Loaded` array of
        ``fmt``, or None: actviz's hard grid for ``fmt``)."""
        fn, label = self.function(act)
        if inputs is None:
            bits, where = hard_grid(act, fmt), "hard grid"
        else:
            bits, where = inputs.bits, inputs.source
        f_bits, df_bits = self.run(fn, bits, fmt)
        impl = (f"{self.name} {self.version()}: {label} and its autodiff f′ on the {where} "
                f"({bits.size:,} inputs)")
        return audit(act, bits, fmt, {"f": f_bits, "df": df_bits}, implementation=impl, x_fmt=fmt,
                     max_ulp=limit)


def _param(act: Any, name: str, default: Any, framework: str) -> None:
    """Unsupported unless parameter ``name`` has the one value ``framework`` offers."""
    if act.params.get(name, default) != default:
        raise Unsupported(f"{framework} has no {act.name} with {name}={act.params[name]}")


class Jax(Runner):
    name, module, package, preset = "jax", "jax", "jax", "jax"

    def function(self, act: Any) -> tuple[Callable, str]:
        import jax
        import jax.numpy as jnp

        nn, p, n = jax.nn, act.params, act.name
        table: dict[str, tuple[Callable, str]] = {
            "identity": (lambda x: x, "identity"),
            "sigmoid": (nn.sigmoid, "jax.nn.sigmoid"), "tanh": (jnp.tanh, "jax.numpy.tanh"),
            "relu": (nn.relu, "jax.nn.relu"), "relu6": (nn.relu6, "jax.nn.relu6"),
            "selu": (nn.selu, "jax.nn.selu"), "mish": (nn.mish, "jax.nn.mish"),
            "softplus": (nn.softplus, "jax.nn.softplus"), "softsign": (nn.soft_sign, "jax.nn.soft_sign"),
            "log_sigmoid": (nn.log_sigmoid, "jax.nn.log_sigmoid"),
            "hard_sigmoid": (nn.hard_sigmoid, "jax.nn.hard_sigmoid"),
            "hard_tanh": (nn.hard_tanh, "jax.nn.hard_tanh"),
            "hard_swish": (nn.hard_swish, "jax.nn.hard_swish"),
            "exponential": (jnp.exp, "jax.numpy.exp"),
        }
        if n in table:
            return table[n]
        if n == "leaky_relu":
            label = f"jax.nn.leaky_relu({p['alpha']:g})"
            return (lambda x: nn.leaky_relu(x, negative_slope=p["alpha"])), label
        if n in ("elu", "celu"):
            f = nn.elu if n == "elu" else nn.celu
            return (lambda x: f(x, alpha=p["alpha"])), f"jax.nn.{n}(alpha={p['alpha']:g})"
        if n == "gelu":
            a = bool(p["approximate"])
            return (lambda x: nn.gelu(x, approximate=a)), f"jax.nn.gelu(approximate={a})"
        if n == "silu":
            _param(act, "beta", 1.0, "jax")
            return nn.silu, "jax.nn.silu"
        if n == "squareplus":
            return (lambda x: nn.squareplus(x, b=p["b"])), f"jax.nn.squareplus(b={p['b']:g})"
        raise Unsupported(f"jax has no {n}")

    def run(self, fn: Callable, bits: np.ndarray, fmt: u.FloatFormat) -> tuple[np.ndarray, np.ndarray]:
        import jax
        import jax.numpy as jnp

        if fmt is u.FLOAT64:
            jax.config.update("jax_enable_x64", True)
        x = jnp.asarray(np.asarray(bits, fmt.uint).view(_np_dtype(fmt)))
        y, pullback = jax.vjp(fn, x)
        (dy,) = pullback(jnp.ones_like(y))
        return _bits(np.asarray(y), fmt), _bits(np.asarray(dy), fmt)


class Torch(Runner):
    name, module, package, preset = "torch", "torch", "torch", "pytorch"

    def function(self, act: Any) -> tuple[Callable, str]:
        import torch
        import torch.nn.functional as F  # noqa: N812 - the usual spelling

        p, n = act.params, act.name
        simple = {"identity": lambda x: x * 1, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
                  "relu": F.relu, "relu6": F.relu6, "selu": F.selu, "mish": F.mish, "softplus": F.softplus,
                  "softsign": F.softsign, "log_sigmoid": F.logsigmoid, "hard_sigmoid": F.hardsigmoid,
                  "hard_tanh": F.hardtanh, "hard_swish": F.hardswish, "tanh_shrink": F.tanhshrink,
                  "exponential": torch.exp}
        if n in simple:
            return simple[n], f"torch {n}"
        if n == "leaky_relu":
            return (lambda x: F.leaky_relu(x, p["alpha"])), f"F.leaky_relu({p['alpha']:g})"
        if n in ("elu", "celu"):
            f = F.elu if n == "elu" else F.celu
            return (lambda x: f(x, p["alpha"])), f"F.{n}(alpha={p['alpha']:g})"
        if n == "gelu":
            mode = "tanh" if p["approximate"] else "none"
            return (lambda x: F.gelu(x, approximate=mode)), f"F.gelu(approximate='{mode}')"
        if n == "silu":
            _param(act, "beta", 1.0, "torch")
            return F.silu, "F.silu"
        if n in ("soft_shrink", "hard_shrink"):
            f = F.softshrink if n == "soft_shrink" else F.hardshrink
            return (lambda x: f(x, p["threshold"])), f"F.{n.replace('_', '')}({p['threshold']:g})"
        raise Unsupported(f"torch has no {n}")

    def run(self, fn: Callable, bits: np.ndarray, fmt: u.FloatFormat) -> tuple[np.ndarray, np.ndarray]:
        import torch

        signed = np.asarray(bits, fmt.uint).view(f"int{fmt.bits}")
        tdtype = {"float64": torch.float64, "float32": torch.float32, "float16": torch.float16,
                  "bfloat16": torch.bfloat16}[fmt.name]
        x = torch.from_numpy(signed.copy()).view(tdtype).requires_grad_(True)
        y = fn(x)
        y.backward(torch.ones_like(y))
        ints = {64: torch.int64, 32: torch.int32, 16: torch.int16}[fmt.bits]
        return tuple(t.detach().view(ints).numpy().view(fmt.uint).copy() for t in (y, x.grad))


class TensorFlow(Runner):
    name, module, package, preset = "tensorflow", "tensorflow", "tensorflow", "tensorflow"

    def function(self, act: Any) -> tuple[Callable, str]:
        import tensorflow as tf

        p, n = act.params, act.name
        simple = {"identity": tf.identity, "sigmoid": tf.math.sigmoid, "tanh": tf.math.tanh,
                  "relu": tf.nn.relu, "relu6": tf.nn.relu6, "selu": tf.nn.selu, "softplus": tf.math.softplus,
                  "softsign": tf.nn.softsign, "log_sigmoid": tf.math.log_sigmoid, "exponential": tf.math.exp}
        if n in simple:
            return simple[n], f"tensorflow {n}"
        if n == "leaky_relu":
            return (lambda x: tf.nn.leaky_relu(x, alpha=p["alpha"])), f"tf.nn.leaky_relu({p['alpha']:g})"
        if n == "elu":
            _param(act, "alpha", 1.0, "tensorflow")
            return tf.nn.elu, "tf.nn.elu"
        if n == "gelu":
            a = bool(p["approximate"])
            return (lambda x: tf.nn.gelu(x, approximate=a)), f"tf.nn.gelu(approximate={a})"
        if n == "silu":
            return (lambda x: tf.nn.silu(x, beta=p["beta"])), f"tf.nn.silu(beta={p['beta']:g})"
        raise Unsupported(f"tensorflow has no {n}")

    def run(self, fn: Callable, bits: np.ndarray, fmt: u.FloatFormat) -> tuple[np.ndarray, np.ndarray]:
        import tensorflow as tf

        x = tf.constant(np.asarray(bits, fmt.uint).view(_np_dtype(fmt)))
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        dy = tape.gradient(y, x, output_gradients=tf.ones_like(y))
        return _bits(y.numpy(), fmt), _bits(dy.numpy(), fmt)


class Mlx(Runner):
    name, module, package, preset = "mlx", "mlx", "mlx", "pytorch"

    def function(self, act: Any) -> tuple[Callable, str]:
        import mlx.core as mx
        import mlx.nn as nn

        p, n = act.params, act.name
        simple = {"sigmoid": mx.sigmoid, "tanh": mx.tanh, "relu": nn.relu, "relu6": nn.relu6,
                  "selu": nn.selu, "mish": nn.mish, "softplus": nn.softplus, "softsign": nn.softsign,
                  "log_sigmoid": nn.log_sigmoid, "hard_tanh": nn.hard_tanh, "hard_swish": nn.hardswish,
                  "exponential": mx.exp}
        if n in simple:
            return simple[n], f"mlx {n}"
        if n == "leaky_relu":
            label = f"mlx.nn.leaky_relu({p['alpha']:g})"
            return (lambda x: nn.leaky_relu(x, negative_slope=p["alpha"])), label
        if n == "gelu":
            return (nn.gelu_approx if p["approximate"] else nn.gelu), "mlx.nn.gelu"
        raise Unsupported(f"mlx has no {n}")

    def run(self, fn: Callable, bits: np.ndarray, fmt: u.FloatFormat) -> tuple[np.ndarray, np.ndarray]:
        import mlx.core as mx

        mdtype = {"float32": mx.float32, "float16": mx.float16, "bfloat16": mx.bfloat16}.get(fmt.name)
        if mdtype is None:
            raise Unsupported(f"mlx has no {fmt.name}")
        x = mx.array(np.asarray(bits, fmt.uint)).view(mdtype)
        (y,), (dy,) = mx.vjp(lambda t: fn(t), [x], [mx.ones_like(fn(x))])
        as_uint = {32: mx.uint32, 16: mx.uint16}[fmt.bits]
        return tuple(np.array(t.view(as_uint)).astype(fmt.uint) for t in (y, dy))


RUNNERS: dict[str, Runner] = {r.name: r for r in (Jax(), Torch(), TensorFlow(), Mlx())}
_ALIASES = {"pytorch": "torch", "tf": "tensorflow"}


def _bits(values: np.ndarray, fmt: u.FloatFormat) -> np.ndarray:
    arr = np.ascontiguousarray(values).reshape(-1)
    return arr.view(fmt.uint).copy()


def select(name: str) -> list[Runner]:
    """The runners for ``name`` (``all``: every installed one); FrameworkMissing otherwise."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key == "all":
        found = [r for r in RUNNERS.values() if r.available()]
        if not found:
            raise FrameworkMissing("no framework is installed; pip install one of: "
                                   + ", ".join(r.package for r in RUNNERS.values()))
        return found
    if key not in RUNNERS:
        raise FrameworkMissing(f"unknown framework '{name}' for {param('framework_run')}; choose from "
                               f"{', '.join(RUNNERS)} or all")
    runner = RUNNERS[key]
    if not runner.available():
        raise FrameworkMissing(f"{runner.name} is not installed (pip install {runner.package})")
    return [runner]
