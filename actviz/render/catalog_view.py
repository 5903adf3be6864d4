"""Rich rendering of ``actviz list`` and ``actviz info`` (text only: the data comes ready-made)."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from actviz.core.numtext import number, numbers_in

LIST_DIGITS = 4  # the catalog overview (list) shows 4 significant digits unless --digits says otherwise

def num(v: float, digits: int | None = None) -> str:
    """A number for people (:func:`actviz.core.numtext.number`: in full, or ``digits``
    significant); −0 shown as 0 (a catalog value, not a computed one); a flag as yes/no."""
    if isinstance(v, bool):
        return _yes(v)
    return number(v + 0.0, digits)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _zero_centred(pr: dict[str, Any]) -> Text:
    """yes/no with the number behind it: E[f(z)] for z ~ N(0, 1) against the tolerance."""
    m = pr.get("normal_moments")
    if m is None:
        return Text(_yes(pr["zero_centred"]))
    mean, ratio = m["mean"], m.get("ratio")
    if mean is None or ratio is None:
        return Text(f"{_yes(pr['zero_centred'])}: E[f(z)], z ~ N(0, 1), undefined (f is not finite on ℝ)")
    share = abs(ratio)
    return Text(f"{_yes(pr['zero_centred'])}: E[f(z)] = {num(mean, 4)}, z ~ N(0, 1); "
                f"{num(100 * share, 3)} % of RMS, limit {num(100 * m['tolerance'], 2)} %")


def _sides(sides: list[str]) -> str:
    return "both" if len(sides) == 2 else (sides[0] if sides else "—")


def render_list(rows: list[dict[str, Any]], console: Console, digits: int | None = None) -> None:
    """The catalog table; aliases are shown when the terminal is wide enough for them."""
    wide = console.width >= 110
    console.print(list_table(rows, wide, digits))
    others = [r for r in rows if r.get("kind", "elementwise") != "elementwise"]
    if others:
        render_structured_list(others, console)
    if not wide:
        console.print("aliases: actviz info NAME, or a wider terminal", style="dim")


def list_table(rows: list[dict[str, Any]], wide: bool, digits: int | None = None) -> Table:
    """The catalog as one table (with an aliases column when ``wide``); sup|f′| to ``digits``
    (default 4) significant digits."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), collapse_padding=True, show_edge=False)
    table.add_column("name", style="bold cyan", no_wrap=True)
    if wide:
        table.add_column("aliases", overflow="fold")
    table.add_column("params", overflow="fold")
    table.add_column("range", no_wrap=True)
    table.add_column("mono", justify="center")
    table.add_column("smooth", justify="center")
    table.add_column("saturates", no_wrap=True)
    table.add_column("sup|f′|", justify="right", no_wrap=True)
    for r in (r for r in rows if r.get("kind", "elementwise") == "elementwise"):
        params = numbers_in(r["params_text"])
        cells = [r["name"]] + ([", ".join(r["aliases"]) or "—"] if wide else [])
        cells += [params or "—", r["range"], _yes(r["monotonic"]),
                  "jumps" if r["smoothness"] == "discontinuous" else r["smoothness"],
                  _sides(r["saturates"]), num(r["sup_abs_grad"], digits or LIST_DIGITS)]
        table.add_row(*cells)
    return table


def render_structured_list(rows: list[dict[str, Any]], console: Console) -> None:
    """The vector and gated entries: kind, parameters, gate half, the models that use them."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), collapse_padding=True,
                  show_edge=False, title="vector and gated entries", title_justify="left")
    table.add_column("name", style="bold cyan", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("params / gate", overflow="fold")
    table.add_column("used in", overflow="fold")
    for r in rows:
        extra = [numbers_in(r["params_text"])] if r["params_text"] else []
        if r["gate"] is not None:
            extra.append(f"gate {r['gate']}")
        table.add_row(r["name"], r["kind"], Text(", ".join(extra) or "—"), Text(r["models"][0]))
    console.print()
    console.print(table)


def render_structured_info(doc: dict[str, Any], console: Console, digits: int | None = None) -> None:
    """``info`` for a vector or gated entry."""
    title = Text(doc["label"], style="bold cyan")
    title.append(f"  ({doc['kind']}" + (f"; also: {', '.join(doc['aliases'])})" if doc["aliases"] else ")"),
                 style="dim")
    console.print(title)
    console.print(Text(doc["description"]))
    console.print()
    labels = {"f": "f", "jacobian": "J", "d_gate": "∂/∂gate", "d_value": "∂/∂value", "d2_gate": "∂²/∂gate²"}
    for key, text in doc["formula"].items():
        console.print(Text(f"{labels[key]:<10}", style="bold") + Text(text))
    console.print()
    facts = Table(show_header=False, pad_edge=False, title="facts", title_justify="left")
    facts.add_column("what", style="bold")
    facts.add_column("value", overflow="fold")
    for p in doc["params"]:
        facts.add_row(f"{p['name']} ({p['symbol']})",
                      Text(f"{_val(p['value'], digits)}  {p['range']}  {p['description']}"))
    if doc["kind"] == "gated":
        facts.add_row("gate", Text(doc["gate"]["half"]))
    else:
        facts.add_row("axis", Text(str(doc["axis"])))
        facts.add_row("output", Text(doc["output"]))
        facts.add_row("range", Text(doc["range"]))
        facts.add_row("derivatives", Text(doc["derivatives"]))
        if doc["stochastic"]:
            facts.add_row("stochastic", "yes: a seed fixes the sample")
    facts.add_row("smoothness", Text(doc["smoothness"]))
    facts.add_row("used in", Text("; ".join(doc["models"])))
    console.print(facts)
    conventions = doc["gate"]["conventions"] if doc["kind"] == "gated" else doc["conventions"]
    if conventions:
        ct = Table(title="conventions per framework", title_justify="left", pad_edge=False)
        ct.add_column("framework", style="bold")
        ct.add_column("convention", overflow="fold")
        for fw, text in conventions.items():
            ct.add_row(fw, Text(text))
        console.print(ct)
    if doc.get("warning"):
        console.print(Text("warning  ", style="bold yellow") + Text(doc["warning"]))
    names = [f"{fw}: {n}" for fw, n in doc["framework_names"].items() if n]
    console.print(Text("frameworks  ", style="bold") + Text("; ".join(names) or "none ship it"))


def render_info(doc: dict[str, Any], console: Console, digits: int | None = None) -> None:
    """Everything ``actviz info`` shows, on ``console`` (numbers in full, or to ``digits``); the
    kinks and saturation tables are never cut (:func:`actviz.render.fit.fit`): too wide, they stack."""
    for part in info_parts(doc, digits, width=console.width):
        console.print(part, highlight=False)


def info_parts(doc: dict[str, Any], digits: int | None = None, width: int | None = None) -> list[Any]:
    """The renderables of ``actviz info`` for an :func:`~actviz.info_report.info_document`.

    Numbers follow the one table rule (:func:`actviz.core.numtext.number`): every digit, as
    ``derive`` shows them, or at most ``digits`` significant digits. With ``width``, the tables
    of numbers (kinks, saturation) are fitted to it, stacked when they would not fit whole.
    """
    from actviz.render.fit import fit, fits, stacked

    def fitted(table: Table) -> Any:
        return table if width is None else fit(table, width)

    parts: list[Any] = []
    title = Text(doc["label"], style="bold cyan")
    if doc["aliases"]:
        title.append(f"  (also: {', '.join(doc['aliases'])})", style="dim")
    parts.append(title)
    if doc.get("resolved_from"):
        r = doc["resolved_from"]
        parts.append(Text(f"{r['alias']} is an alias of {doc['function']}: it resolves to {r['spec']}"))
    parts.append(Text(doc["description"]))
    for note in doc.get("notes", []):
        parts.append(Text("note: ", style="bold") + Text(note))
    parts.append(Text(""))
    parts.append(Text("f(x)   ", style="bold") + Text(doc["formula"]["f"].removeprefix("f(x) = ")))
    parts.append(Text("f′(x)  ", style="bold") + Text(_rhs(doc["formula"]["df"])))
    parts.append(Text("f″(x)  ", style="bold") + Text(_rhs(doc["formula"]["d2f"])))
    band = doc.get("training_band")
    if band:
        parts.append(Text("training band  ", style="bold") + Text(
            f"{band['region']}: {band['f']}, {band['df']} (slope {band['distribution']}; the "
            "curves above are the inference ones)"))
    parts.append(Text(""))

    if doc["params"]:
        rows = [(p, _preset_defaults(p, digits)) for p in doc["params"]]
        # Columns holding numbers are at least as wide as their longest number (a value, a
        # default with its colon, a range), so folding never splits one.
        widest = max(len(num(p["value"], digits)) for p in doc["params"])
        defaults = max(len(line.split(" ")[0]) for _, d in rows for line in d.splitlines())
        pt = Table(title="parameters", title_justify="left", pad_edge=False)
        pt.add_column("name", overflow="fold")
        pt.add_column("value", no_wrap=True, min_width=widest)
        pt.add_column("range", no_wrap=True, min_width=max(len(p["range"]) for p in doc["params"]))
        pt.add_column("defaults per preset", overflow="fold", min_width=defaults)
        pt.add_column("meaning", overflow="fold")
        for p, defaults in rows:
            pt.add_row(f"{p['name']} ({p['symbol']})", num(p["value"], digits), p["range"], defaults,
                       p["description"])
        # Its text folds and its number columns are as wide as their numbers; when even that is
        # wider than the terminal, one "name  value" block per parameter, the text folded.
        narrow = width is not None and not fits(pt, width)
        parts.append(stacked(pt, fold=True) if narrow else pt)

    pr = doc["properties"]
    props = Table(title="properties", title_justify="left", show_header=False, pad_edge=False)
    props.add_column("property", style="bold")
    props.add_column("value", overflow="fold")
    props.add_row("output range", pr["range"])
    props.add_row("bounded", f"below: {_yes(pr['bounded_below'])}, above: {_yes(pr['bounded_above'])}")
    props.add_row("zero-centred", _zero_centred(pr))
    props.add_row("monotonic", _yes(pr["monotonic"]))
    props.add_row("smoothness", pr["smoothness"])
    props.add_row("saturates", ", ".join(pr["saturates"]) or "no side")
    props.add_row("sup |f′|", num(pr["sup_abs_grad"], digits))
    parts.append(props)

    if doc["kinks"]:
        kt = Table(title=f"kinks (f′ jumps; {doc['framework']} value used)", title_justify="left",
                   pad_edge=False, box=box.SIMPLE_HEAD, padding=(0, 1), collapse_padding=True)
        frameworks = list(doc["kinks"][0]["frameworks"])
        for col in ("x", "f′(x⁻)", "f′(x⁺)"):
            kt.add_column(col, justify="right", no_wrap=True)
        for fw in frameworks:
            kt.add_column(_SHORT.get(fw, fw), justify="right")
        for k in doc["kinks"]:
            fw = k["frameworks"]
            kt.add_row(num(k["x"], digits) + (" (f jumps)" if k["f_jumps"] else ""), num(k["left"], digits),
                       num(k["right"], digits),
                       *("—" if fw[f] is None else num(fw[f], digits) for f in frameworks))
        parts.append(fitted(kt))
        for k in doc["kinks"]:
            if k.get("note"):
                parts.append(Text(f"  at x = {num(k['x'], digits)}: ", style="dim") + Text(k["note"]))

    sat = doc["saturation"]
    st = Table(title=f"saturation: |f′| < {num(sat['threshold'])}", title_justify="left", pad_edge=False)
    for col in ("from", "to", "kind", "note"):
        st.add_column(col, justify="right" if col in ("from", "to") else "left")
    for r in sat["regions"]:
        st.add_row(num(r["start"], digits), num(r["end"], digits), r["kind"], r["label"])
    if not sat["regions"]:
        parts.append(f"saturation: |f′| ≥ {num(sat['threshold'])} everywhere (no vanishing region)")
    else:
        parts.append(fitted(st))

    names = [f"{fw}: {n}" for fw, n in doc["framework_names"].items() if n]
    missing = [fw for fw, n in doc["framework_names"].items() if not n]
    line = "; ".join(names) + (f"; not in {', '.join(missing)}" if missing else "")
    parts.append(Text("frameworks  ", style="bold") + Text(line))
    return parts


_SHORT = {"tensorflow": "tf", "keras:jax": "keras:jax", "keras:torch": "keras:torch",
          "pytorch": "torch"}


def _rhs(formula: str) -> str:
    return formula.split(" = ", 1)[1] if " = " in formula else formula


def _preset_defaults(p: dict[str, Any], digits: int | None = None) -> str:
    """One line per distinct default, the value first so it is never split: ``0.2: tensorflow,
    keras`` (``(fixed)`` where a preset fixes it); ``0.125 (every preset)`` when all agree."""
    fixed = set(p.get("fixed_in", []))
    groups: dict[str, list[str]] = {}
    for fw, v in p["framework_defaults"].items():
        groups.setdefault(_val(v, digits), []).append(fw + (" (fixed)" if fw in fixed else ""))
    if len(groups) == 1 and not fixed:
        return f"{next(iter(groups))} (every preset)"
    return "\n".join(f"{v}: {', '.join(fws)}" for v, fws in groups.items())


def _val(v: Any, digits: int | None = None) -> str:
    return _yes(v) if isinstance(v, bool) else num(v, digits)
