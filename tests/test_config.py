"""ToyConfig: how densities and importances broadcast, and that bad input fails early with a useful message."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core import config
from core.config import ToyConfig

# ---- broadcasting -----------------------------------------------------------------


def test_defaults_are_the_reference_conventions() -> None:
    cfg = ToyConfig()
    assert cfg.model == "relu_output"
    assert (cfg.lr, cfg.weight_decay, cfg.betas) == (1e-3, 0.01, (0.9, 0.999))
    assert (cfg.batch_size, cfg.steps, cfg.lr_schedule) == (1024, 10_000, "constant")


def test_scalar_density_and_decay_importance() -> None:
    cfg = ToyConfig(n_features=5, feature_probability=0.25, importance=0.9)
    assert cfg.n_instances == 1
    p, imp = cfg.broadcast()
    assert p.shape == imp.shape == (1, 5)
    assert p.dtype == imp.dtype == np.float64
    np.testing.assert_array_equal(p, np.full((1, 5), 0.25))
    np.testing.assert_allclose(imp, [0.9 ** np.arange(5)])
    assert imp[0, 0] == 1.0  # I_0 = r**0


def test_one_density_per_instance() -> None:
    cfg = ToyConfig(n_features=4, feature_probability=[1.0, 0.3, 0.1], importance=0.7)
    assert cfg.n_instances == 3
    p, imp = cfg.broadcast()
    assert p.shape == imp.shape == (3, 4)
    np.testing.assert_array_equal(p, np.repeat([[1.0], [0.3], [0.1]], 4, axis=1))
    for row in imp:  # one importance shared by every instance
        np.testing.assert_allclose(row, 0.7 ** np.arange(4))


def test_importance_list_is_one_value_per_feature() -> None:
    cfg = ToyConfig(n_features=3, importance=[3.0, 0.0, 1.5], feature_probability=[0.5, 0.2])
    p, imp = cfg.broadcast()
    assert imp.shape == (2, 3)
    np.testing.assert_array_equal(imp, [[3.0, 0.0, 1.5], [3.0, 0.0, 1.5]])
    np.testing.assert_array_equal(p[:, 0], [0.5, 0.2])


def test_full_per_instance_arrays() -> None:
    dens = np.array([[1.0, 0.5, 0.25], [0.1, 0.2, 0.3]])
    imp_in = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.5]])
    cfg = ToyConfig(n_features=3, n_hidden=1, feature_probability=dens, importance=imp_in)
    assert cfg.n_instances == 2
    p, imp = cfg.broadcast()
    np.testing.assert_array_equal(p, dens)
    np.testing.assert_array_equal(imp, imp_in)


def test_single_row_broadcasts_against_many_instances() -> None:
    cfg = ToyConfig(n_features=2, n_hidden=1, feature_probability=[[0.5, 0.25]], importance=[[1.0, 2.0]] * 3)
    assert cfg.n_instances == 3
    p, imp = cfg.broadcast()
    np.testing.assert_array_equal(p, [[0.5, 0.25]] * 3)
    np.testing.assert_array_equal(imp, [[1.0, 2.0]] * 3)


def test_broadcast_returns_writable_copies() -> None:
    cfg = ToyConfig(n_features=3, feature_probability=0.5)
    p, _ = cfg.broadcast()
    p[0, 0] = 0.0
    np.testing.assert_array_equal(cfg.broadcast()[0], np.full((1, 3), 0.5))


def test_boundary_values_are_accepted() -> None:
    ToyConfig(feature_probability=1.0, importance=0.0, weight_decay=0.0, lr=10.0)
    ToyConfig(n_features=1, n_hidden=1, steps=1, batch_size=1, n_seeds=1, betas=(0.0, 0.0))
    ToyConfig(
        n_features=config.MAX_FEATURES,
        n_hidden=config.MAX_HIDDEN,
        steps=config.MAX_STEPS,
        batch_size=config.MAX_BATCH,
    )
    ToyConfig(n_features=np.int64(6), n_hidden=np.int32(2), steps=np.int64(10), lr=np.float32(0.01))


def test_frozen_and_with_revalidates() -> None:
    cfg = ToyConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.n_hidden = 3  # type: ignore[misc]
    other = cfg.with_(n_hidden=3, seed=7)
    assert (other.n_hidden, other.seed, cfg.n_hidden) == (3, 7, 2)
    with pytest.raises(ValueError, match="n_hidden"):
        cfg.with_(n_hidden=0)


def test_feature_sets_accepted() -> None:
    cfg = ToyConfig(n_features=7, feature_sets=(("correlated", 3), ("anticorrelated", 2)))
    assert cfg.feature_sets[1] == ("anticorrelated", 2)
    ToyConfig(n_features=4, feature_sets=(("correlated", 2), ("correlated", 2)))  # sets may cover every feature


# ---- errors -------------------------------------------------------------------------

BAD = [
    # (kwargs, words the message must contain)
    (dict(n_hidden=0), "n_hidden"),
    (dict(n_features=0), "n_features"),
    (dict(n_features=-3), "n_features"),
    (dict(n_features=True), "n_features must be an integer"),
    (dict(n_hidden=2.0), "n_hidden must be an integer"),
    (dict(steps=0), "steps"),
    (dict(steps=10.5), "steps must be an integer"),
    (dict(steps=1e4), "steps must be an integer"),
    (dict(batch_size=0), "batch_size"),
    (dict(seed=-1), "seed"),
    (dict(n_seeds=0), "n_seeds"),
    (dict(snapshot_every=-1), "snapshot_every"),
    (dict(n_features=config.MAX_FEATURES + 1), "n_features must be between"),
    (dict(n_hidden=config.MAX_HIDDEN + 1), "n_hidden must be between"),
    (dict(steps=config.MAX_STEPS + 1), "steps must be between"),
    (dict(batch_size=config.MAX_BATCH + 1), "batch_size must be between"),
    (dict(n_features=10**12), "n_features"),
    (dict(feature_probability=0.0), "feature_probability"),
    (dict(feature_probability=-0.1), "feature_probability"),
    (dict(feature_probability=1.0001), "feature_probability"),
    (dict(feature_probability=[0.5, 0.0]), "feature_probability"),
    (dict(feature_probability=float("nan")), "feature_probability must be finite"),
    (dict(feature_probability=float("inf")), "feature_probability"),
    (dict(feature_probability=[]), "feature_probability"),
    (dict(feature_probability="dense"), "feature_probability must be numeric"),
    (dict(feature_probability=[[0.5] * 5, [0.5] * 4]), "feature_probability"),
    (dict(feature_probability=np.full((2, 4), 0.5)), "feature_probability"),
    (dict(feature_probability=np.full((2, 5, 1), 0.5)), "feature_probability"),
    (dict(importance=-0.9), "importance"),
    (dict(importance=[1.0, 1.0, -1.0, 1.0, 1.0]), "importance must be >= 0"),
    (dict(importance=[[1.0] * 5, [1.0, -0.1, 1.0, 1.0, 1.0]]), "importance must be >= 0"),
    (dict(importance=float("nan")), "importance must be finite"),
    (dict(importance=[1.0, float("nan"), 1.0, 1.0, 1.0]), "importance must be finite"),
    (dict(importance=[1.0, 0.5]), "one value per feature"),
    (dict(importance=np.ones((2, 4))), "importance"),
    (dict(importance=np.ones((0, 5))), "importance"),
    (dict(importance="uniform"), "importance must be numeric"),
    (dict(feature_probability=[0.5, 0.4, 0.3], importance=np.ones((2, 5))), "instances"),
    (dict(model="transformer"), "model must be one of"),
    (dict(model="Linear"), "model must be one of"),
    (dict(lr_schedule="step"), "lr_schedule must be one of"),
    (dict(lr=0.0), "lr"),
    (dict(lr=-1e-3), "lr"),
    (dict(lr=10.5), "lr"),
    (dict(lr=float("nan")), "lr"),
    (dict(lr=float("inf")), "lr"),
    (dict(lr="1e-3"), "lr must be a number"),
    (dict(lr=True), "lr must be a number"),
    (dict(weight_decay=-0.01), "weight_decay"),
    (dict(eps=0.0), "eps"),
    (dict(betas=(1.0, 0.999)), "beta1"),
    (dict(betas=(0.9, 1.0)), "beta2"),
    (dict(betas=(-0.1, 0.999)), "beta1"),
    (dict(betas=0.9), "pair"),
    (dict(betas=(0.9,)), "pair"),
    (dict(importance=[1e25] * 5), "at most"),
    (dict(importance=2e6), "at most"),
    (dict(n_features=4, feature_sets=(("clustered", 2),)), "feature_sets"),
    (dict(n_features=4, feature_sets=(("correlated", 1),)), "at least 2"),
    (dict(n_features=4, feature_sets=(("correlated", 2.5),)), "at least 2"),
    (dict(n_features=4, feature_sets=(("correlated", 2, 3),)), "feature_sets"),
    (dict(n_features=4, feature_sets=(("correlated", 3), ("anticorrelated", 2))), "cover 5 features"),
    (dict(n_features=4, feature_sets=("correlated", 2)), "feature_sets"),
    (dict(n_features=4, feature_sets=(5,)), "feature_sets"),
    (dict(model="abs", n_features=4, feature_sets=(("correlated", 2),)), "absolute-value"),
    (dict(feature_probability=np.full(4097, 0.5)), "at most"),
    (dict(feature_probability=np.full(1024, 0.5), n_seeds=5), "instances x seeds"),
]


@pytest.mark.parametrize("kwargs,words", BAD, ids=[f"{i}-{'-'.join(k)}" for i, (k, _) in enumerate(BAD)])
def test_bad_values_raise_value_error(kwargs: dict, words: str) -> None:
    with pytest.raises(ValueError) as info:
        ToyConfig(**kwargs)
    assert words in str(info.value), str(info.value)


def test_messages_show_the_offending_value() -> None:
    with pytest.raises(ValueError, match=r"n_hidden must be between 1 and 1000, got 0"):
        ToyConfig(n_hidden=0)
    with pytest.raises(ValueError, match=r"lr is out of range: 0\.0"):
        ToyConfig(lr=0.0)
    with pytest.raises(ValueError, match=r"\('clustered', 2\)"):
        ToyConfig(n_features=4, feature_sets=(("clustered", 2),))
    with pytest.raises(ValueError, match=r"feature_probability has 3 instances but importance has 2"):
        ToyConfig(n_features=5, feature_probability=[0.5, 0.4, 0.3], importance=np.ones((2, 5)))


# ---- identity (key) and to_dict / from_dict -----------------------------------------


def _rich_configs() -> list[ToyConfig]:
    """Configs using every shape a density or importance may take, plus sets and non-default floats."""
    rng = np.random.default_rng(3)
    return [
        ToyConfig(),
        ToyConfig(n_features=4, feature_probability=[1.0, 0.3, 0.1], importance=0.7, betas=(0.8, 0.99)),
        ToyConfig(n_features=3, feature_probability=rng.uniform(0.01, 1, (7, 3)), importance=rng.uniform(0, 2, (7, 3))),
        ToyConfig(n_features=6, n_hidden=3, importance=[1.0, 0.5, 0.25, 0.2, 0.1, 0.0], lr=3e-3, eps=1e-7),
        ToyConfig(
            n_features=6,
            n_hidden=3,
            feature_sets=(("correlated", 3), ("anticorrelated", 2)),
            lr_schedule="cosine",
            n_seeds=4,
            snapshot_every=50,
            init_scale=0.2,
            seed=123,
        ),
    ]


def test_key_tells_apart_large_arrays_whose_repr_is_the_same() -> None:
    p = np.full((600, 2), 0.5)
    q = p.copy()
    q[300, 1] = 0.25  # a middle value: numpy's summary repr shows only the corners
    a, b = ToyConfig(n_features=2, feature_probability=p), ToyConfig(n_features=2, feature_probability=q)
    assert repr(a) == repr(b)  # the problem the key solves
    assert a.key() != b.key()


def test_equal_configs_have_equal_keys() -> None:
    dens = [1.0, 0.3, 0.1]
    base = ToyConfig(n_features=4, feature_probability=dens, importance=1.0, lr=0.001)
    same = [
        ToyConfig(n_features=4, feature_probability=np.array(dens), importance=1, lr=np.float64(0.001)),
        ToyConfig(n_features=4, feature_probability=tuple(dens), importance=np.float64(1.0), lr=1e-3),
        ToyConfig(n_features=np.int64(4), feature_probability=np.array(dens, dtype=np.float64)[::-1][::-1]),
        ToyConfig(n_features=4, feature_probability=dens, betas=[0.9, 0.999]),
    ]
    for other in same:
        assert other.key() == base.key()
    assert ToyConfig(importance=[0.0] * 5).key() == ToyConfig(importance=[-0.0] * 5).key()
    fortran = np.asfortranarray(np.linspace(0.1, 1, 6).reshape(3, 2))
    assert (
        ToyConfig(n_features=2, importance=fortran).key() == ToyConfig(n_features=2, importance=fortran.tolist()).key()
    )
    # Shape is part of the value: a scalar density and a one-instance list are different configs.
    assert ToyConfig(feature_probability=0.5).key() != ToyConfig(feature_probability=[0.5]).key()


def test_changing_any_field_changes_the_key() -> None:
    base = ToyConfig(n_features=6, n_hidden=3, feature_probability=[0.5, 0.2], importance=0.9)
    changes = {
        "model": "linear",
        "n_features": 7,
        "n_hidden": 2,
        "feature_probability": [0.5, 0.2000000001],
        "importance": 0.9000000001,
        "steps": 10_001,
        "batch_size": 512,
        "lr": 1.0000001e-3,
        "weight_decay": 0.0,
        "betas": (0.9, 0.99),
        "eps": 1e-9,
        "lr_schedule": "linear",
        "seed": 1,
        "n_seeds": 2,
        "feature_sets": (("correlated", 2),),
        "snapshot_every": 10,
        "eval_batch_size": 1000,
        "init_scale": 0.5,
    }
    assert set(changes) == {f.name for f in dataclasses.fields(ToyConfig)}, "a new field needs a case here"
    keys = {base.key()}
    for name, value in changes.items():
        keys.add(base.with_(**{name: value}).key())
    assert len(keys) == len(changes) + 1
    # The anticorrelated/correlated kind is part of a set's identity, not only its size.
    assert (
        base.with_(feature_sets=(("anticorrelated", 2),)).key() != base.with_(feature_sets=(("correlated", 2),)).key()
    )


@pytest.mark.parametrize("index", range(5))
def test_to_dict_is_json_and_from_dict_reads_it_back_exactly(index: int) -> None:
    import json

    cfg = _rich_configs()[index]
    d = cfg.to_dict()
    text = json.dumps(d)  # JSON-safe: no numpy scalars or arrays
    back = ToyConfig.from_dict(json.loads(text))
    assert back.key() == cfg.key()
    p, imp = cfg.broadcast()
    p2, imp2 = back.broadcast()
    assert np.array_equal(p, p2) and np.array_equal(imp, imp2)
    assert back.betas == tuple(cfg.betas) and back.feature_sets == tuple(tuple(s) for s in cfg.feature_sets)
    assert ToyConfig.from_dict(back.to_dict()).to_dict() == d


def test_from_dict_rejects_unknown_fields_and_fills_missing_ones() -> None:
    with pytest.raises(ValueError, match="unknown ToyConfig fields"):
        ToyConfig.from_dict({**ToyConfig().to_dict(), "densities": [1.0]})
    assert ToyConfig.from_dict({"n_features": 3}).key() == ToyConfig(n_features=3).key()
    with pytest.raises(ValueError):  # validation still runs
        ToyConfig.from_dict({"feature_probability": [0.0]})


def test_live_run_and_cache_restart_when_a_middle_density_changes(monkeypatch) -> None:
    """ui.live keys a learner's run by ToyConfig.key(): a changed middle value starts a new run."""
    from ui import live

    monkeypatch.setattr(live.st, "session_state", {})
    p = np.full((600, 2), 0.5)
    q = p.copy()
    q[300, 1] = 0.25
    a = ToyConfig(n_features=2, n_hidden=1, feature_probability=p, steps=10)
    first = live.get_run("k", a)
    assert live.get_run("k", ToyConfig(n_features=2, n_hidden=1, feature_probability=p.tolist(), steps=10)) is first
    assert live.get_run("k", a.with_(feature_probability=q)) is not first
