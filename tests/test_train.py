"""``actviz train``: the seed's claims about training reproduce with default settings, the
backward pass and the losses agree with mpmath, the data are deterministic and bounded.

Truth comes from mpmath (losses, gradients by numerical differentiation at 30 digits of a network
written with mpmath's own functions), from information theory (a constant guess cannot beat the
label entropy; a (0, 1)-valued prediction cannot beat the distance of the targets to [0, 1]) and
from the physics the seed states — never from our own output.
"""

from __future__ import annotations

import io
import math
import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actviz.catalog.registry import get, names
from actviz.flow.init import Init
from actviz.train import data as train_data
from actviz.train import network
from actviz.train.data import BUILTINS, DataError, load, read_csv
from actviz.train.heads import HeadError, choose_head
from actviz.train.result import TrainConfig
from actviz.train.trainer import baseline_loss, train

DEFAULT = TrainConfig()


def run(names: list[str], data: str = "moons", **overrides) -> object:
    config = TrainConfig(**overrides)
    return train([get(n) for n in names], load(data, seed=config.seed), config)


def by_name(result) -> dict:
    return {r.act.name: r for r in result.results}


# --- the physics of the seed, with default settings ----------------------------------------------
@pytest.fixture(scope="module")
def spirals_deep():
    return by_name(run(["sigmoid", "tanh", "relu"], "spirals", depth=6))


def test_deep_sigmoid_trains_markedly_worse_than_relu_and_tanh_on_spirals(spirals_deep) -> None:
    ln2 = math.log(2.0)  # the loss of guessing 50:50 on two balanced classes
    sig = spirals_deep["sigmoid"].final()
    assert sig.mean["train_loss"] > 0.9 * ln2  # it has not learned anything
    assert sig.mean["test_acc"] < 0.65
    for name in ("tanh", "relu"):
        other = spirals_deep[name].final()
        # (seeds 0-3 give at most 0.31 of sigmoid's loss and at least 89 % accuracy)
        assert other.mean["train_loss"] < 0.5 * sig.mean["train_loss"], name
        assert other.mean["test_acc"] > 0.85, name
    # why: the gradient reaching sigmoid's first layer is a tiny fraction of the output layer's
    first = spirals_deep["sigmoid"].curve()[0].grad_norm
    assert first[0] / first[-1] < 1e-2
    for name in ("tanh", "relu"):
        g = spirals_deep[name].curve()[0].grad_norm
        assert g[0] / g[-1] > 1e-1, name
    assert spirals_deep["sigmoid"].verdict.kind == "stalled"
    assert "first-layer gradient" in spirals_deep["sigmoid"].verdict.text
    assert "loss still" in spirals_deep["sigmoid"].verdict.text


def _steps_to(run_, target: float) -> float:
    return next((p.step for p in run_.points if p.train_loss <= target), math.inf)


def test_tanh_reaches_a_loss_in_fewer_steps_than_sigmoid() -> None:
    result = by_name(run(["sigmoid", "tanh"], "moons", seeds=3))
    target = 0.3
    for sig, tanh in zip(result["sigmoid"].runs, result["tanh"].runs, strict=True):
        assert _steps_to(tanh, target) < _steps_to(sig, target), (sig.seed, _steps_to(tanh, target),
                                                                  _steps_to(sig, target))
        assert 2 * _steps_to(tanh, target) <= _steps_to(sig, target)


def test_large_learning_rate_kills_relu_units_but_not_leaky_relu() -> None:
    big = by_name(run(["relu", "leaky_relu"], "moons", lr=10 * DEFAULT.lr, steps=2000))
    small = by_name(run(["relu"], "moons"))
    relu, leaky = big["relu"], big["leaky_relu"]
    assert not relu.diverged and not leaky.diverged
    assert max(relu.final().dead) >= 0.15
    assert max(relu.final().dead) > max(small["relu"].final().dead)
    assert all(max(p.dead) == 0.0 for r in leaky.runs for p in r.points)  # leaky_relu′ > 0 everywhere
    assert "dead" in relu.verdict.text and "dead" not in leaky.verdict.text


def test_regression_with_a_sigmoid_output_cannot_fit_outside_0_1() -> None:
    data = load("sine")
    y = data.y_train.reshape(-1)
    # The best any prediction in (0, 1) can do: the squared distance of each target to [0, 1].
    bound = float(np.mean(np.square(y - np.clip(y, 0.0, 1.0))))
    assert bound > 0.15  # half of sin(x) on [−π, π] is negative
    config = TrainConfig(output="sigmoid")
    squashed = train([get("relu")], data, config, pictures=True).results[0]
    plain = train([get("relu")], data, TrainConfig()).results[0]
    assert squashed.final().mean["train_loss"] >= bound
    values = squashed.runs[0].picture.values
    assert np.all((values > 0.0) & (values < 1.0))
    assert plain.final().mean["train_loss"] < 0.1 * bound
    outside = float(np.mean((y < 0.0) | (y > 1.0)))
    assert f"only reaches (0, 1): {outside:.0%} of the targets lie outside" in squashed.verdict.text
    assert "only reaches" not in plain.verdict.text


def test_a_probability_output_outside_0_1_is_named() -> None:
    config = TrainConfig(output="identity", steps=100)
    r = train([get("tanh")], load("moons"), config).results[0]
    assert "the output identity ranges over (−∞, ∞), not (0, 1)" in r.verdict.text
    ok = train([get("tanh")], load("moons"), TrainConfig(output="hard_sigmoid", steps=100)).results[0]
    assert "ranges over" not in ok.verdict.text


def test_a_learning_rate_that_diverges_is_reported_with_its_step() -> None:
    result = run(["relu", "tanh"], "sine", lr=1.0)
    for r in result.results:
        (step,) = r.diverged
        assert 0 < step < DEFAULT.steps
        assert r.verdict.kind == "diverged"
        assert r.verdict.text.startswith(f"diverged at step {step}")
        assert all(math.isfinite(p.train_loss) for p in r.runs[0].points)
        assert r.runs[0].points[-1].step < step


def test_constant_guess_baseline_is_the_label_entropy() -> None:
    data = load("blobs", classes=4)
    shares = np.bincount(data.y_train) / len(data.y_train)
    entropy = -sum(mpmath.mpf(float(s)) * mpmath.log(float(s)) for s in shares)
    assert baseline_loss(data) == pytest.approx(float(entropy), rel=1e-14)


# --- the backward pass against mpmath -------------------------------------------------------------
MP_FUNCTIONS = {
    "tanh": mpmath.tanh,
    "sigmoid": lambda x: 1 / (1 + mpmath.exp(-x)),
    "softplus": lambda x: mpmath.log(1 + mpmath.exp(x)),
    "elu": lambda x: x if x > 0 else mpmath.exp(x) - 1,
}


def _mp_loss(weights, biases, x, y, f, task: str) -> mpmath.mpf:
    total = mpmath.mpf(0)
    for row, target in zip(x, y, strict=True):
        h = [mpmath.mpf(float(v)) for v in row]
        for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
            z = [sum(h[i] * w[i][j] for i in range(len(h))) + b[j] for j in range(len(b))]
            h = z if layer == len(weights) - 1 else [f(v) for v in z]
        if task == "binary":
            t = int(target)
            total += mpmath.log(1 + mpmath.exp(h[0])) - t * h[0]
        elif task == "multiclass":
            total += mpmath.log(sum(mpmath.exp(v) for v in h)) - h[int(target)]
        else:
            total += (h[0] - mpmath.mpf(float(target[0]))) ** 2
    return total / len(x)


@pytest.mark.parametrize("name", list(MP_FUNCTIONS))
@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_backward_pass_matches_mpmath_derivatives(name: str, task: str) -> None:
    rng = np.random.default_rng(7)
    act = get(name)
    classes = 3 if task == "multiclass" else 2
    head = choose_head(task, classes, None, "tensorflow")
    net = network.build(2, 3, 2, head.units, Init("normal", 0.9), seed=5)
    for b in net.biases:
        b += rng.normal(0.0, 0.3, b.shape)
    x = rng.normal(0.0, 1.0, (5, 2))
    y = rng.integers(0, classes, 5) if task != "regression" else rng.normal(0.0, 1.0, (5, 1))
    fwd = network.forward(net, act, x)
    loss, delta = head.loss_and_grad(fwd.out, y)
    dw, db = network.backward(net, fwd, delta)

    saved_dps = mpmath.mp.dps  # other tests' precision stays as they set it

    mpmath.mp.dps = 30
    try:
        weights = [[[mpmath.mpf(float(v)) for v in row] for row in w] for w in net.weights]
        biases = [[mpmath.mpf(float(v)) for v in b] for b in net.biases]
        f = MP_FUNCTIONS[name]
        assert loss == pytest.approx(float(_mp_loss(weights, biases, x, y, f, task)), rel=1e-13)
        for layer, i, j in [(0, 0, 1), (0, 1, 2), (1, 2, 0), (2, 1, 0), (2, 0, head.units - 1)]:
            def at(v, layer=layer, i=i, j=j):
                saved = weights[layer][i][j]
                weights[layer][i][j] = v
                out = _mp_loss(weights, biases, x, y, f, task)
                weights[layer][i][j] = saved
                return out

            want = float(mpmath.diff(at, weights[layer][i][j]))
            assert dw[layer][i, j] == pytest.approx(want, rel=1e-10, abs=1e-15), (layer, i, j)
        def at_bias(v):
            saved = biases[0][1]
            biases[0][1] = v
            out = _mp_loss(weights, biases, x, y, f, task)
            biases[0][1] = saved
            return out

        assert db[0][1] == pytest.approx(float(mpmath.diff(at_bias, biases[0][1])), rel=1e-10, abs=1e-15)
    finally:
        mpmath.mp.dps = saved_dps


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e308, 1e308, allow_nan=False), min_size=1, max_size=6),
       st.lists(st.integers(0, 1), min_size=6, max_size=6))
def test_binary_loss_from_logits_is_exact_and_quiet_for_any_finite_logit(logits, labels) -> None:
    head = choose_head("binary", 2, None, "tensorflow")
    z = np.array(logits).reshape(-1, 1)
    y = np.array(labels[: len(logits)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = head.loss_and_grad(z, y)
    saved_dps = mpmath.mp.dps  # other tests' precision stays as they set it
    mpmath.mp.dps = 40
    try:
        # softplus(v) − t·v, as softplus(−v) when t = 1: mpmath at 40 digits would cancel
        # log1p(e^65) − 65 down to 10 digits
        want = sum(mpmath.log1p(mpmath.exp(mpmath.mpf(v if t == 0 else -v)))
                   for v, t in zip(logits, y.tolist(), strict=True)) / len(logits)
        # σ(v) − t, written so that mpmath itself does not cancel (1 − σ(v) = 1/(1 + e^v) exactly)
        want_grad = [((1 - t) / (1 + mpmath.exp(-mpmath.mpf(v))) - t / (1 + mpmath.exp(mpmath.mpf(v))))
                     / len(logits) for v, t in zip(logits, y.tolist(), strict=True)]
    finally:
        mpmath.mp.dps = saved_dps
    assert math.isfinite(loss)
    assert loss == pytest.approx(float(want), rel=1e-12, abs=1e-300)
    assert grad[:, 0] == pytest.approx([float(g) for g in want_grad], rel=1e-12, abs=1e-300)


def test_multiclass_loss_is_exact_for_huge_logits() -> None:
    head = choose_head("multiclass", 3, None, "tensorflow")
    z = np.array([[1000.0, 1001.0, 1002.0], [-800.0, 0.0, 800.0]])
    y = np.array([0, 1])
    loss, grad = head.loss_and_grad(z, y)
    saved_dps = mpmath.mp.dps  # other tests' precision stays as they set it
    mpmath.mp.dps = 40
    try:
        rows = [[mpmath.mpf(v) for v in row] for row in z.tolist()]
        want = sum(mpmath.log(sum(mpmath.exp(v) for v in r)) - r[t] for r, t in zip(rows, y, strict=True)) / 2
    finally:
        mpmath.mp.dps = saved_dps
    assert loss == pytest.approx(float(want), rel=1e-14)
    assert np.allclose(grad.sum(axis=1), 0.0, atol=1e-16)  # softmax − onehot sums to 0 per row


# --- heads follow recommend -------------------------------------------------------------------------
def test_heads_are_what_recommend_advises() -> None:
    from actviz.advice.build import recommend

    for task, classes in (("binary", 2), ("multiclass", 4), ("regression", 0)):
        advice = recommend(task, units=classes if task == "multiclass" else None)
        head = choose_head(task, classes, None, "tensorflow")
        assert head.output == advice.output.activation == head.recommended
        assert head.units == (classes if task == "multiclass" else 1)


def test_output_override_checks_the_task() -> None:
    with pytest.raises(HeadError, match="softmax"):
        choose_head("multiclass", 3, get("sigmoid"), "tensorflow")
    with pytest.raises(HeadError, match="multiclass"):
        choose_head("binary", 2, "softmax", "tensorflow")
    head = choose_head("binary", 2, get("hard_sigmoid"), "tensorflow")
    assert not head.from_logits and not head.is_recommended


def test_an_output_override_keeps_its_parameters_to_the_last_bit(actviz_cli) -> None:
    """The head is built from the output's spec: a rounded spec trained a different activation."""
    out = actviz_cli("train", "relu", "--data", "sine", "--steps", "2", "--output",
                     "leaky_relu:alpha=0.123456789", "-f", "json").stdout
    import json

    assert json.loads(out)["output"]["activation"] == "leaky_relu:alpha=0.123456789"


# --- data -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(BUILTINS))
def test_builtin_data_are_deterministic_and_shaped(name: str) -> None:
    a, b, other = load(name, seed=3), load(name, seed=3), load(name, seed=4)
    assert np.array_equal(a.x_train, b.x_train) and np.array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.x_train, other.x_train)
    assert len(a.x_train) + len(a.x_test) == 400 and len(a.x_test) == 100
    assert a.x_train.shape[1] == (1 if name == "sine" else 2)
    assert np.allclose(a.x_train.mean(axis=0), 0.0, atol=1e-12)
    assert np.allclose(a.x_train.std(axis=0), 1.0)
    if a.task != "regression":
        counts = np.bincount(np.concatenate([a.y_train, a.y_test]))
        assert counts.max() - counts.min() <= (1 if name != "xor" else 80)


def test_xor_labels_are_the_xor_of_the_signs() -> None:
    d = load("xor")
    raw = d.raw(d.x_train)
    assert np.array_equal(d.y_train, ((raw[:, 0] > 0) == (raw[:, 1] > 0)).astype(int))
    assert np.min(np.abs(raw)) >= 0.05 - 1e-12


def test_csv_with_a_label_column_is_read_and_standardised(tmp_path) -> None:
    path = tmp_path / "d.csv"
    rows = ["a,b,label"] + [f"{i},{(i * 7) % 5},{'yes' if i % 3 else 'no'}" for i in range(30)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    d = load(str(path), test_share=0.2)
    assert d.task == "binary" and d.classes == ("no", "yes") and d.features == ("a", "b")
    assert len(d.x_train) == 24 and len(d.x_test) == 6
    raw = np.concatenate([d.raw(d.x_train), d.raw(d.x_test)])
    assert sorted(raw[:, 0].round(9).tolist()) == list(range(30))


def test_csv_numeric_targets_are_regression_and_whole_numbers_classes() -> None:
    text = "x,y\n" + "".join(f"{i},{i * 0.37}\n" for i in range(10))
    x, labels, names, label = read_csv("-", stdin=io.StringIO(text))
    assert names == ("x",) and label == "y"
    y, classes, task = train_data.encode_labels(labels, "t")
    assert task == "regression" and classes == () and y.shape == (10, 1)
    y, classes, task = train_data.encode_labels(["3", "1", "2", "1"], "t")
    assert task == "multiclass" and classes == ("1", "2", "3") and y.tolist() == [2, 0, 1, 0]


@pytest.mark.parametrize("text, message", [
    ("a,b,c\n1,2,3\n4,5,6\n", "no label column"),
    ("1,2,3\n4,5,6\n", "no header row"),
    ("a,label\n1,0\nx,1\n", "line 3: feature 'a' is 'x'"),
    ("a,label\n1,0\n2\n", "line 3: 1 fields"),
    ("a,label\n1,0\n2,1\n", "at least 4"),
    ("a,label\n1,0\n2,0\n3,0\n4,0\n", "every label is the same"),
    ("", "is empty"),
])
def test_bad_csv_is_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        load("-", stdin=io.StringIO(text))


def test_csv_reading_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(train_data, "MAX_ROWS", 50)

    def endless():
        yield "a,label\n"
        i = 0
        while True:  # an endless stream: reading must stop at the limit
            i += 1
            yield f"{i},{i % 2}\n"

    class Stream(io.TextIOBase):
        def __init__(self):
            self.lines = endless()

        def readline(self, size=-1):
            return next(self.lines)

    with pytest.raises(DataError, match="more than 50 rows"):
        load("-", stdin=Stream())


def test_a_line_without_end_is_refused_not_read_whole(monkeypatch) -> None:
    monkeypatch.setattr(train_data, "MAX_LINE", 1000)
    with pytest.raises(DataError, match="line 2 is longer than 1,000 characters"):
        load("-", stdin=io.StringIO("a,label\n" + "1" * 5000))


def test_unknown_data_set_suggests_the_built_in_ones() -> None:
    with pytest.raises(DataError, match="unknown data set 'moon'.*moons"):
        load("moon")


# --- the result is deterministic and complete -------------------------------------------------------
def test_same_seed_same_numbers_different_seed_different() -> None:
    a = run(["tanh"], steps=50).to_dict()
    b = run(["tanh"], steps=50).to_dict()
    c = run(["tanh"], steps=50, seed=1).to_dict()
    assert a == b and a != c


def test_curves_have_a_point_every_fiftieth_and_the_end() -> None:
    r = run(["relu"], steps=251, depth=2).results[0]
    steps = [p.step for p in r.runs[0].points]
    assert steps == [*range(0, 251, 6), 251]
    p = r.runs[0].points[-1]
    assert len(p.dead) == 2 and len(p.grad_norm) == 3


def test_seeds_give_mean_and_spread() -> None:
    r = run(["tanh"], steps=60, seeds=3).results[0]
    finals = [run_.last.train_loss for run_ in r.runs]
    f = r.final()
    assert f.seeds == 3
    assert f.mean["train_loss"] == pytest.approx(float(np.mean(finals)))
    assert f.std["train_loss"] == pytest.approx(float(np.std(finals, ddof=1)))
    assert [run_.seed for run_ in r.runs] == [0, 1, 2]


def test_adam_and_full_batch_train_too() -> None:
    r = run(["tanh"], optimizer="adam", lr=0.01, batch=0, steps=300).results[0]
    assert r.verdict.kind == "learned" and r.final().mean["test_acc"] > 0.95


def test_config_limits_name_the_parameter_and_the_cli_its_option() -> None:
    from actviz.cli.errors import cli_message

    for bad, name in ((dict(depth=0), "depth"), (dict(lr=float("nan")), "lr"),
                      (dict(momentum=1.0), "momentum"), (dict(batch=-1), "batch"),
                      (dict(seeds=0), "seeds"), (dict(steps=0), "steps")):
        with pytest.raises(ValueError, match=f"^{name} must be") as info:
            TrainConfig(**bad).check()
        assert cli_message(info.value).startswith(f"--{name} must be")
    with pytest.raises(ValueError, match="multiply-adds"):
        TrainConfig(width=1024, depth=50, steps=1_000_000, batch=0).check(rows=1000)


@pytest.mark.parametrize("name", names())
def test_every_catalog_activation_trains_quietly(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = run([name], steps=30, width=8, seeds=2).results[0]
    assert len(r.runs) == 2
    for run_ in r.runs:
        if run_.diverged_at is None:
            assert all(math.isfinite(p.train_loss) and math.isfinite(p.test_loss) for p in run_.points)
            assert run_.last.step == 30
    assert r.verdict.text


def test_huge_learning_rates_stay_quiet_across_seeds() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run(["relu", "tanh"], "blobs", lr=100.0, seeds=2, steps=200)
        for r in result.results:
            r.curve()
            r.final()
        doc = result.to_dict()
    assert any(r.diverged for r in result.results)
    assert doc["results"][0]["verdict"]


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(BUILTINS)), st.integers(4, 600), st.integers(0, 2**32), st.integers(2, 6))
def test_builtin_data_invariants(name: str, points: int, seed: int, classes: int) -> None:
    k = classes if BUILTINS[name].classes_free else None
    d = load(name, points=points, seed=seed, classes=k)
    assert len(d.x_train) + len(d.x_test) == points
    assert np.all(np.isfinite(d.x_train)) and np.all(np.isfinite(d.x_test))
    if d.task == "regression":
        assert d.y_train.shape == (len(d.x_train), 1)
    else:
        labels = np.concatenate([d.y_train, d.y_test])
        assert set(np.unique(labels)) <= set(range(len(d.classes)))
        if name != "xor":  # every class gets its share of the points, to one point
            counts = np.bincount(labels, minlength=len(d.classes))
            assert counts.max() - counts.min() <= 1
    same = load(name, points=points, seed=seed, classes=k)
    assert np.array_equal(d.x_train, same.x_train) and np.array_equal(d.y_test, same.y_test)
