"""How an :class:`~actviz.catalog.activation.Activation` shows itself in Jupyter.

``_repr_png_``: a small plot of f and f′ with the saturation regions shaded (the same drawing
as ``actviz plot NAME --grad``). ``_repr_html_``: the tables of ``actviz info`` as HTML with that
plot inline. Matplotlib is imported only when a picture is asked for.
"""

from __future__ import annotations

from typing import Any

CARD_SIZE = (6.4, 4.4)  # inches
CARD_DPI = 100
CARD_XLIM = (-6.0, 6.0)


def figure(act: Any) -> Any:
    """The card's Figure: f and f′ on [−6, 6], regions where abs(f′) < 0.01 shaded."""
    from actviz.render.figure import LIGHT, build_figure, style
    from actviz.scene import build_scene

    scene = build_scene([act], [0, 1], xlim=CARD_XLIM, shade=True)
    with style(LIGHT):
        return build_figure(scene, size=CARD_SIZE, dpi=CARD_DPI, theme=LIGHT)


def png(act: Any) -> bytes:
    from actviz.render.display import png as to_png

    return to_png(figure(act))


def html(act: Any, threshold: float = 0.01) -> str:
    from actviz.info_report import info_document
    from actviz.render.catalog_view import info_parts
    from actviz.render.display import Figure
    from actviz.render.display import html as to_html

    parts = info_parts(info_document(act, threshold))
    picture = Figure(act._repr_png_(), f"{act.label} and its derivative")
    return to_html([*parts[:2], picture, *parts[2:]])
