"""Plot defaults and limits as plain numbers, importable without NumPy (``plot``'s options and
shell completion need them before anything is drawn)."""

from __future__ import annotations

DEFAULT_XLIM = (-10.0, 10.0)
DEFAULT_POINTS = 1001
MAX_POINTS = 1_000_000
DEFAULT_SIZE = (6.4, 4.8)  # inches
DEFAULT_DPI = 150
MAX_ACTIVATIONS = 8  # colours in each palette (render.figure checks that they agree)
SIZE_RANGE = (2.0, 40.0)  # inches
DPI_RANGE = (30, 1200)
MAX_PIXELS = 40_000_000  # PNG: width × height
LAYOUTS = ("overlay", "stacked", "grid")  # one axes; f above f′ above f″; one panel per activation
LEGENDS = ("below", "right", "inside", "none")
THEME_NAMES = ("light", "dark")  # render.figure.THEMES (render.figure checks that they agree)
