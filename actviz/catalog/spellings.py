"""Every catalog name and alias, without importing NumPy: what shell completion offers.

``SPELLINGS`` is generated from the catalog (``actviz.catalog.registry.all_spellings``) and
committed; tests/test_completions.py fails when it differs from the catalog. Regenerate with::

    python -m actviz.catalog.spellings
"""

from __future__ import annotations

from pathlib import Path

# --- generated: canonical names and aliases, in catalog order --------------------------------
SPELLINGS: tuple[str, ...] = (
    'identity', 'linear', 'sigmoid', 'logistic', 'expit', 'tanh', 'hyperbolic_tangent', 'relu',
    'rectifier', 'relu6', 'leaky_relu', 'leakyrelu', 'lrelu', 'elu', 'selu', 'celu', 'gelu',
    'gelu_python', 'gelu_new', 'gelu_fast', 'gelu_pytorch_tanh', 'gelu_accurate',
    'gelu_python_tanh', 'gelu_tanh', 'gelu_approx', 'silu', 'swish', 'mish', 'softplus',
    'smooth_relu', 'softsign', 'soft_sign', 'log_sigmoid', 'logsigmoid', 'hard_sigmoid',
    'hardsigmoid', 'hard_sigmoid_keras2', 'hard_sigmoid_onnx', 'hard_tanh', 'hardtanh',
    'hard_swish', 'hard_silu', 'hardswish', 'squareplus', 'tanh_shrink', 'tanhshrink',
    'soft_shrink', 'softshrink', 'hard_shrink', 'hardshrink', 'exponential', 'exp', 'threshold',
    'fatrelu', 'step', 'heaviside', 'unit_step', 'prelu', 'parametric_relu', 'rrelu',
    'randomized_relu', 'sparse_plus', 'sparseplus', 'sparse_sigmoid', 'sparsesigmoid', 'log1mexp',
    'relu2', 'squared_relu', 'relu_squared', 'relu²', 'relusquared', 'sqrelu', 'quick_gelu',
    'gelu_fast_approx', 'quickgelu', 'hard_mish', 'hardmish', 'star_relu', 'starrelu',
    'star_relu_paper', 'xielu', 'snake', 'snake_beta', 'snakebeta', 'softcap', 'soft_cap',
    'logit_softcap', 'tanh_softcap', 'clipped_gelu', 'gelu_10', 'clippedgelu', 'laplace',
    'laplace_activation', 'sqrt_softplus', 'sqrtsoftplus', 'tanhexp', 'tanh_exp', 'smu1', 'smu_1',
    'smu-1', 'softmax', 'log_softmax', 'softmin', 'sparsemax', 'crelu', 'concatenated_relu',
    'softmax2d', 'gumbel_softmax', 'glu', 'gated_linear_unit', 'swiglu', 'silu_and_mul', 'geglu',
    'gelu_and_mul', 'reglu', 'bilinear', 'bilinear_glu', 'gpt_oss_swiglu', 'clamped_swiglu',
    'swiglu_oss',
)
# --- end of generated part ---------------------------------------------------------------------


def write() -> Path:
    """Rewrite the generated part of this file from the catalog; return its path."""
    from actviz.catalog.registry import all_spellings

    path = Path(__file__)
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("SPELLINGS: tuple[str, ...] = ", 1)
    tail = rest[rest.index("\n# --- end of generated part"):]
    lines = ["("]
    line = "   "
    for s in all_spellings():
        cell = f" {s!r},"
        if len(line) + len(cell) > 100:
            lines.append(line)
            line = "   "
        line += cell
    lines += [line, ")"]
    path.write_text(head + "SPELLINGS: tuple[str, ...] = " + "\n".join(lines) + tail, encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"Wrote {write()}")
