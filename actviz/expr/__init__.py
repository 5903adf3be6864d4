"""Activations typed as formulas: ``actviz plot "x*sigmoid(1.702*x)"``.

- ``tokens``/``parser``: text → tree with an allow-list and limits (grammar in ``parser``'s
  docstring); nothing of the text is ever executed (no eval/exec/compile, no sympy/numexpr);
- ``tree``: the node types; ``printer``: canonical text, Unicode and mathtext;
- ``rewrite``: stable forms of the classic patterns (log(1+exp(x)) → softplus(x), …);
- ``jet``: f, f′, f″ by forward-mode 2-jets with a stable rule per primitive;
- ``kinks``: where abs/min/max/clip/where/catalog kinks switch branch, both one-sided f′;
- ``activation``: the formula as an ``Activation``; ``resolve``: formula, user name or catalog;
- ``user``: names from ``~/.config/actviz/activations.toml`` (or ``$ACTVIZ_ACTIVATIONS``);
- ``accuracy``: ``info --accuracy`` (the only module that imports mpmath).
"""
