"""The sampled ops and magnitudes follow each policy's definition (distribution checks on many draws,
with fixed seeds so they are reproducible)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest
from scipy import stats

from augkit.core.targets import DEFAULT_SETTINGS, State
from augkit.policies import (
    AUGMIX_ALL_OPS,
    AUGMIX_OPS,
    AUTOAUGMENT_POLICIES,
    RAND_AUGMENT_OPS,
    UNIFORM_AUGMENT_OPS,
    AugMix,
    AutoAugment,
    Policy,
    RandAugment,
    TrivialAugmentWide,
    UniformAugment,
)
from augkit.policies._ops import SPACES

SIGNED = {name for name, spec in SPACES["standard"].items() if spec is not None and spec.signed}


def draws(policy: Policy, count: int, seed: int = 0, height: int = 48, width: int = 64) -> list[dict[str, Any]]:
    state = State("test", DEFAULT_SETTINGS)
    state.height, state.width = height, width
    rng = np.random.default_rng(seed)
    return [policy.sample(rng, state) for _ in range(count)]


def steps(params: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [step for p in params for step in p["ops"]]


def assert_uniform(counts: Counter[Any], categories: list[Any]) -> None:
    observed = [counts.get(c, 0) for c in categories]
    assert set(counts) <= set(categories)
    assert stats.chisquare(observed).pvalue > 1e-3, dict(zip(categories, observed, strict=True))


# ------------------------------------------------------------------------------------ RandAugment
def test_randaugment_draws_ops_uniformly_at_one_magnitude() -> None:
    params = draws(RandAugment(), 3000)
    assert all(len(p["ops"]) == 2 for p in params)
    assert_uniform(Counter(s["op"] for s in steps(params)), list(RAND_AUGMENT_OPS))
    levels = {s["level"] for s in steps(params) if "level" in s}
    assert levels == {9 / 30}
    rotations = [s["magnitude"] for s in steps(params) if s["op"] == "Rotate"]
    assert set(np.round(np.abs(rotations), 9)) == {9.0}
    signed = [s["magnitude"] < 0 for s in steps(params) if s["op"] in SIGNED]
    assert stats.binomtest(sum(signed), len(signed)).pvalue > 1e-3


def test_randaugment_scales() -> None:
    """torchvision's 31 bins: M=9 is 0.3 of the range; the paper's and timm's 0-10 scale: 0.9."""
    tv = steps(draws(RandAugment(magnitude=9, ops=["Rotate", "Posterize", "TranslateX"]), 300))
    paper = steps(draws(RandAugment(magnitude=9, scale="paper", ops=["Rotate", "Posterize", "TranslateX"]), 300))
    assert {abs(s["magnitude"]) for s in tv if s["op"] == "Rotate"} == {9.0}
    assert np.allclose([abs(s["magnitude"]) for s in paper if s["op"] == "Rotate"], 27.0)
    assert {s["magnitude"] for s in tv if s["op"] == "Posterize"} == {7}  # 8 - round(4 * 0.3)
    assert {s["magnitude"] for s in paper if s["op"] == "Posterize"} == {4}  # 8 - round(4 * 0.9)
    assert {abs(s["magnitude"]) for s in tv if s["op"] == "TranslateX"} == {int(0.3 * 150 / 331 * 64)}
    coarse = steps(draws(RandAugment(magnitude=5, num_magnitude_bins=11, ops=["Rotate"]), 50))
    assert {abs(s["magnitude"]) for s in coarse} == {15.0}


def test_randaugment_magnitude_noise() -> None:
    """timm's mstd: a normal law around M per op, clipped to the scale."""
    levels = np.array(
        [s["level"] for s in steps(draws(RandAugment(magnitude=5, magnitude_std=0.5, scale="paper", ops=["Rotate"]), 3000))]
    )
    assert abs(levels.mean() * 10 - 5.0) < 0.05 and abs(levels.std() * 10 - 0.5) < 0.05
    assert stats.normaltest(levels).pvalue > 1e-3
    top = np.array(
        [s["level"] for s in steps(draws(RandAugment(magnitude=10, magnitude_std=1.0, scale="paper", ops=["Rotate"]), 2000))]
    )
    assert top.max() == 1.0 and abs((top == 1.0).mean() - 0.5) < 0.05
    clipped = np.array([s["level"] for s in steps(draws(RandAugment(magnitude=0, magnitude_std=2.0, ops=["Rotate"]), 2000))])
    assert clipped.min() == 0.0 and abs((clipped == 0).mean() - 0.5) < 0.05


def test_randaugment_op_probability() -> None:
    counts = Counter(len(p["ops"]) for p in draws(RandAugment(num_ops=2, op_probability=0.5), 4000))
    expected = np.array([0.25, 0.5, 0.25]) * 4000
    assert stats.chisquare([counts[0], counts[1], counts[2]], expected).pvalue > 1e-3


# ------------------------------------------------------------------------------------ TrivialAugment
def test_trivialaugment_uniform_op_and_bin() -> None:
    params = draws(TrivialAugmentWide(), 6200)
    assert all(len(p["ops"]) == 1 for p in params)
    assert_uniform(Counter(s["op"] for s in steps(params)), list(RAND_AUGMENT_OPS))
    bins = Counter(round(s["level"] * 30) for s in steps(params) if "level" in s)
    assert all(abs(s["level"] * 30 - round(s["level"] * 30)) < 1e-9 for s in steps(params) if "level" in s)
    assert_uniform(bins, list(range(31)))
    rotations = [abs(s["magnitude"]) for s in steps(params) if s["op"] == "Rotate"]
    assert max(rotations) == 135.0 and min(rotations) == 0.0  # the wide range


# ------------------------------------------------------------------------------------ AutoAugment
@pytest.mark.parametrize("name", sorted(AUTOAUGMENT_POLICIES))
def test_autoaugment_sub_policies_and_probabilities(name: str) -> None:
    table = AUTOAUGMENT_POLICIES[name]
    params = draws(AutoAugment(name), 25000, seed=1)
    assert_uniform(Counter(p["sub_policy"] for p in params), list(range(25)))
    by_index: dict[int, list[list[dict[str, Any]]]] = {}
    for p in params:
        by_index.setdefault(p["sub_policy"], []).append(p["ops"])
    for index, ((a, pa, ma), (b, pb, mb)) in enumerate(table):
        runs = by_index[index]
        count = len(runs)
        if a != b:
            for op, probability, step in ((a, pa, ma), (b, pb, mb)):
                applied = [s for ops in runs for s in ops if s["op"] == op]
                assert abs(len(applied) / count - probability) < 5 * np.sqrt(0.25 / count) + 1e-9, (index, op)
                if step is not None:
                    assert all(s["level"] == step / 9 for s in applied), (index, op)
        else:
            mean = np.mean([len(ops) for ops in runs])
            assert abs(mean - (pa + pb)) < 5 * np.sqrt(0.5 / count), index
        for ops in runs:  # order kept: the first op of the pair runs first
            if len(ops) == 2:
                assert [ops[0]["op"], ops[1]["op"]] == [a, b]


def test_autoaugment_exclude_keeps_sub_policy_frequencies() -> None:
    params = draws(AutoAugment("svhn", exclude=["Invert"]), 5000)
    assert all(s["op"] != "Invert" for s in steps(params))
    assert_uniform(Counter(p["sub_policy"] for p in params), list(range(25)))
    only = draws(AutoAugment("imagenet", ops=["Rotate"]), 2000)
    assert {s["op"] for s in steps(only)} == {"Rotate"}


# ------------------------------------------------------------------------------------ UniformAugment
def test_uniformaugment_probability_and_uniform_magnitudes() -> None:
    params = draws(UniformAugment(), 8000)
    counts = Counter(len(p["ops"]) for p in params)
    assert stats.chisquare([counts[0], counts[1], counts[2]], np.array([0.25, 0.5, 0.25]) * 8000).pvalue > 1e-3
    assert_uniform(Counter(s["op"] for s in steps(params)), list(UNIFORM_AUGMENT_OPS))
    levels = [s["level"] for s in steps(params) if "level" in s]
    assert stats.kstest(levels, "uniform").pvalue > 1e-3
    shears = np.array([s["magnitude"] for s in steps(params) if s["op"] == "ShearX"])
    assert np.abs(shears).max() <= 0.3 and stats.kstest((shears + 0.3) / 0.6, "uniform").pvalue > 1e-3


# ------------------------------------------------------------------------------------ AugMix
@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_augmix_weights_follow_beta_and_dirichlet(alpha: float) -> None:
    params = draws(AugMix(alpha=alpha), 4000)
    blends = np.array([p["blend"] for p in params])
    assert stats.kstest(blends, stats.beta(alpha, alpha).cdf).pvalue > 1e-3
    weights = np.array([p["weights"] for p in params])
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-9)
    for column in weights.T:  # a Dirichlet(alpha, alpha, alpha) marginal is Beta(alpha, 2 alpha)
        assert stats.kstest(column, stats.beta(alpha, 2 * alpha).cdf).pvalue > 1e-3


def test_augmix_chains_depths_ops_and_severity() -> None:
    params = draws(AugMix(severity=3), 3000)
    depths = Counter(len(chain) for p in params for chain in p["chains"])
    assert_uniform(depths, [1, 2, 3])
    ops = [s for p in params for chain in p["chains"] for s in chain]
    assert_uniform(Counter(s["op"] for s in ops), list(AUGMIX_ALL_OPS))
    assert_uniform(Counter(round(s["level"] * 9) for s in ops if "level" in s), [0, 1, 2])
    posterize = {s["magnitude"] for s in ops if s["op"] == "Posterize"}
    assert posterize == {4, 3}  # 4 - round(step / 2.25), steps 0-2
    fixed = draws(AugMix(depth=2, width=4, all_ops=False), 500)
    assert {len(chain) for p in fixed for chain in p["chains"]} == {2} and {len(p["chains"]) for p in fixed} == {4}
    assert {s["op"] for p in fixed for chain in p["chains"] for s in chain} == set(AUGMIX_OPS)


def test_exclude_and_ops_are_respected_everywhere() -> None:
    for policy in (RandAugment(exclude=["Rotate", "Solarize"]), TrivialAugmentWide(exclude=["Rotate", "Solarize"]),
                   UniformAugment(exclude=["Rotate", "Solarize"]), AugMix(exclude=["Rotate", "Solarize"])):  # fmt: skip
        params = draws(policy, 800)
        names = (
            {s["op"] for p in params for s in p["ops"]}
            if not isinstance(policy, AugMix)
            else {s["op"] for p in params for chain in p["chains"] for s in chain}
        )
        assert not names & {"Rotate", "Solarize"}, type(policy).__name__
    flips = steps(draws(RandAugment(ops=["HorizontalFlip", "Invert", "SolarizeAdd"]), 600))
    assert {s["op"] for s in flips} == {"HorizontalFlip", "Invert", "SolarizeAdd"}
    assert {s["magnitude"] for s in flips if s["op"] == "SolarizeAdd"} == {int(110 * 0.3)}
