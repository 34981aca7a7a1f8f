"""Waveform MixUp on batches of real speech: the blend and its soft targets against float64 formulas
written here, the lambda distribution against scipy's Beta, partners, odd batches, records, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

import augkit as ak
from augkit.audio.mixup import MixUp
from augkit.samples import load_speech


def batch(n: int, channels: int = 2, samples: int = 4000) -> np.ndarray:
    """``n`` different clips of real speech, ``(n, channels, samples)`` float32."""
    x, _ = load_speech()
    clips = [[x[8000 + 997 * i + 113 * c : 8000 + 997 * i + 113 * c + samples] for c in range(channels)] for i in range(n)]
    return np.ascontiguousarray(np.array(clips, np.float32))


def expected_mix(audio: np.ndarray, partner: list[int], lam: list[float]) -> np.ndarray:
    a = audio.astype(np.float64)
    w = np.asarray(lam, np.float64)[:, None, None]
    return w * a + (1 - w) * a[partner]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("mode", ["batch", "pair", "elem"])
def test_mix_and_soft_targets(n: int, mode: str) -> None:
    audio = batch(n)
    labels = np.arange(n) % 4
    out, targets, record = MixUp(alpha=0.4, num_classes=4, mode=mode)(audio, labels, rng=n, record=True)
    params = record["params"]
    partner, lam = params["partner"], params["lam"]
    assert sorted(partner) == list(range(n)) if mode != "pair" or n % 2 == 0 else len(partner) == n
    assert out.dtype == np.float32 and out.shape == audio.shape and not np.shares_memory(out, audio)
    np.testing.assert_allclose(out, expected_mix(audio, partner, lam), atol=1e-6)
    one_hot = np.eye(4)[labels]
    soft = np.asarray(lam)[:, None] * one_hot + (1 - np.asarray(lam))[:, None] * one_hot[partner]
    np.testing.assert_allclose(targets, soft, atol=1e-6)
    np.testing.assert_allclose(targets.sum(axis=1), 1.0, atol=1e-6)
    if n == 1:
        np.testing.assert_array_equal(out, audio)  # mixed with itself
    elif mode == "batch":
        assert len(set(lam)) == 1 and all(p != i for i, p in enumerate(partner))  # a derangement, not a roll
    elif mode == "elem" and n >= 3:
        assert len(set(lam)) == n


def test_partners_are_random_permutations_not_a_roll() -> None:
    mixer = MixUp(num_classes=2)
    audio = batch(6, channels=1, samples=100)
    seen = set()
    for seed in range(30):
        partner = mixer(audio, np.zeros(6, int), rng=seed, record=True)[2]["params"]["partner"]
        assert sorted(partner) == list(range(6)) and all(p != i for i, p in enumerate(partner))
        seen.add(tuple(partner))
    assert len(seen) > 10
    flip = MixUp(num_classes=2, partner="flip")(audio, np.zeros(6, int), rng=0, record=True)[2]["params"]["partner"]
    assert flip == [5, 4, 3, 2, 1, 0]


def test_lambda_follows_beta_alpha_alpha() -> None:
    for alpha in (0.2, 1.0):
        record = MixUp(alpha=alpha, num_classes=2, mode="elem")(
            np.zeros((3000, 1, 2), np.float32), np.zeros(3000, int), rng=1, record=True
        )[2]
        lam = np.array(record["params"]["lam"])
        assert stats.kstest(lam, stats.beta(alpha, alpha).cdf).pvalue > 1e-3
        assert abs(lam.mean() - 0.5) < 0.03


def test_soft_labels_smoothing_and_no_labels() -> None:
    audio = batch(4)
    soft_in = np.array([[0.7, 0.3, 0.0], [0.0, 1.0, 0.0], [0.2, 0.2, 0.6], [0.0, 0.0, 1.0]], np.float32)
    out, targets, record = MixUp(alpha=1.0, label_smoothing=0.1)(audio, soft_in, rng=2, record=True)
    lam, partner = np.array(record["params"]["lam"]), record["params"]["partner"]
    smoothed = soft_in * 0.9 + 0.1 / 3
    np.testing.assert_allclose(targets, lam[:, None] * smoothed + (1 - lam[:, None]) * smoothed[partner], atol=1e-6)
    np.testing.assert_allclose(targets.sum(axis=1), 1.0, atol=1e-6)
    mixed, none = MixUp(alpha=1.0)(audio, rng=2)
    assert none is None
    np.testing.assert_array_equal(mixed, out)


def test_seeded_replayed_and_inplace() -> None:
    audio, labels = batch(5), np.array([0, 1, 2, 1, 0])
    mixer = MixUp(num_classes=3, mode="elem")
    a = mixer(audio, labels, rng=np.random.default_rng(9))
    b = mixer(audio, labels, rng=np.random.default_rng(9))
    np.testing.assert_array_equal(a[0], b[0])
    owned = MixUp(num_classes=3, seed=4)
    first, second = owned(audio, labels)[0], owned(audio, labels)[0]
    assert not np.array_equal(first, second)  # the owned generator advances call by call
    np.testing.assert_array_equal(MixUp(num_classes=3, seed=4)(audio, labels)[0], first)
    out, targets, record = mixer(audio, labels, rng=3, record=True)
    record = json.loads(json.dumps(record, allow_nan=False))
    again, targets_again = mixer.replay(record, audio, labels)
    np.testing.assert_array_equal(again, out)
    np.testing.assert_array_equal(targets_again, targets)
    buffer = audio.copy()
    result = MixUp(num_classes=3, mode="elem", inplace=True)(buffer, labels, rng=3)[0]
    assert result is buffer
    np.testing.assert_array_equal(result, out)
    with pytest.raises(
        ak.TargetError, match=r"MixUp.replay: the record is for a batch of \(N, channels, samples\) = \[5, 2, 4000\]"
    ):
        mixer.replay(record, audio[:4], labels[:4])


def test_torch_batches_match_numpy() -> None:
    torch = pytest.importorskip("torch")
    audio, labels = batch(3), np.array([0, 1, 2])
    out, targets = MixUp(num_classes=3)(audio, labels, rng=5)
    t_out, t_targets = MixUp(num_classes=3)(torch.from_numpy(audio), torch.from_numpy(labels), rng=5)
    np.testing.assert_allclose(t_out.numpy(), out, atol=1e-6)
    np.testing.assert_allclose(t_targets.numpy(), targets, atol=1e-6)


def test_bad_input_and_arguments() -> None:
    mixer = MixUp(num_classes=3)
    audio = batch(3)
    with pytest.raises(
        ak.TargetError,
        match=r"MixUp: target 'audio' expects a batch \(N, channels, samples\); got shape \(3, 4000\).*x\[:, None\]",
    ):
        mixer(audio[:, 0], np.arange(3))
    with pytest.raises(ak.TargetTypeError, match=r"MixUp: target 'audio' expects float32 .*integer PCM \(int16\)"):
        mixer((audio * 32767).astype(np.int16), np.arange(3))
    with pytest.raises(ak.TargetError, match=r"MixUp: target 'labels' has 2 rows but 'audio' holds 3 clips"):
        mixer(audio, np.arange(2))
    with pytest.raises(ak.TargetError, match="need the number of classes"):
        MixUp()(audio, np.arange(3))
    with pytest.raises(ak.TargetError, match=r"class indices in \[0, 3\)"):
        mixer(audio, np.array([0, 1, 3]))
    with pytest.raises(ak.TargetError, match="inplace=True writes into 'audio', but that array is read-only"):
        frozen = audio.copy()
        frozen.setflags(write=False)
        MixUp(num_classes=3, inplace=True)(frozen, np.arange(3))
    with pytest.raises(ak.ArgumentError, match=r"MixUp: argument 'alpha' expects a number > 0"):
        MixUp(alpha=0.0)
    with pytest.raises(ak.ArgumentError, match=r"MixUp: unknown argument 'lam'"):
        MixUp(lam=0.5)
    with pytest.raises(ak.ArgumentError, match=r"MixUp: argument 'mode' expects one of"):
        MixUp(mode="clip")
    with pytest.raises(AttributeError, match="immutable"):
        mixer.alpha = 1.0  # type: ignore[misc]
