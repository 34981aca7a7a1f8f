"""The core's modality plumbing: dispatch by target kind, paired targets, layouts in and out.

The transforms defined here are marked abstract so they stay out of the registry (and out of the
contract suite); they exercise the states of each modality directly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import augkit as ak
from augkit.audio.base import AudioTransform, ClipInfo
from augkit.text.base import TextTransform
from augkit.timeseries.base import SeriesTransform


class _CropAudio(AudioTransform):
    """Keeps a random number of samples (so clips of a batch end up with different lengths)."""

    _abstract = True
    has_random_params = True

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> dict[str, Any]:
        return {"keep": int(rng.integers(1, clip.num_samples + 1)), "rate": clip.sample_rate}

    def apply_audio(self, audio: np.ndarray, params: dict[str, Any], sample_rate: int, /) -> np.ndarray:
        return audio[:, : params["keep"]].copy()

    def output_sample_rate(self, params: dict[str, Any], sample_rate: int) -> int:
        return sample_rate * 2


class _Suffix(TextTransform):
    _abstract = True

    def __init__(self, n_aug: int = 1, p: float = 1.0) -> None:
        super().__init__(p)
        self.n_aug = n_aug

    def sample_text(self, rng: np.random.Generator, text: str) -> dict[str, Any]:
        return {"suffix": f"+{int(rng.integers(10))}"}

    def apply_text(self, text: str, params: dict[str, Any], /) -> str:
        return text + params["suffix"]


class _ReverseSteps(SeriesTransform):
    _abstract = True
    moves_time = True

    def apply_series(self, series: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        return series[:, ::-1].copy()

    def apply_step_labels(self, labels: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        return labels[:, ::-1].copy()


def test_audio_batch_of_unequal_lengths_comes_back_as_a_list() -> None:
    batch = np.random.default_rng(0).standard_normal((3, 2, 50)).astype(np.float32)
    out = _CropAudio()(audio=batch, sample_rate=8000, rng=1, record=True)
    assert isinstance(out["audio"], list) and len(out["audio"]) == 3
    keeps = [p["keep"] for p in out["applied"][0]["params"]["batch"]]
    assert [c.shape for c in out["audio"]] == [(2, k) for k in keeps]
    assert out["sample_rate"] == 16000
    assert out["applied"][0]["shape_in"] == [3, 2, 50]


def test_audio_paired_key_must_match_and_be_declared() -> None:
    wave = np.zeros((1, 40), np.float32)
    with pytest.raises(ak.TargetTypeError, match=r"unknown target 'clean' in an audio call"):
        _CropAudio()(audio=wave, clean=wave, sample_rate=8000)
    pipe = ak.Compose([_CropAudio()], additional_targets={"clean": "audio"})
    out = pipe(audio=wave, clean=wave + 1, sample_rate=8000, rng=0)
    assert out["clean"].shape == out["audio"].shape and (out["clean"] == 1).all()
    with pytest.raises(ak.TargetError, match=r"'clean' has shape \(1, 39\); paired audio expects the same number"):
        pipe(audio=wave, clean=wave[:, :39].copy(), sample_rate=8000)
    with pytest.raises(ak.TargetError, match=r"'clean' is paired with 'audio', which the call does not carry"):
        pipe(clean=wave, sample_rate=8000)


def test_compose_additional_targets_are_validated() -> None:
    with pytest.raises(ak.ArgumentError, match=r"maps 'clean' to 'sound'; expected one of .*audio"):
        ak.Compose([], additional_targets={"clean": "sound"})
    with pytest.raises(ak.ArgumentError, match=r"expects a new call key; 'mask' is taken"):
        ak.Compose([], additional_targets={"mask": "audio"})
    with pytest.raises(ak.ArgumentError, match=r"maps 'other' to 'text'; expected one of audio, spectrogram"):
        ak.Compose([], additional_targets={"other": "text"})
    with pytest.raises(ak.ArgumentError, match=r"expects a mapping of names to target kinds"):
        ak.Compose([], additional_targets=["clean"])
    pipe = ak.Compose([], additional_targets={"clean": "audio"})
    assert ak.from_dict(pipe.to_dict()).to_dict() == pipe.to_dict()


def test_a_transform_refuses_another_modality_before_drawing() -> None:
    with pytest.raises(ak.TargetTypeError, match=r"^HorizontalFlip: target 'audio' is not supported"):
        ak.image.HorizontalFlip()(audio=np.zeros(8, np.float32), sample_rate=8000)
    with pytest.raises(ak.TargetTypeError, match=r"^Compose: target 'text' is not supported"):
        ak.Compose([ak.image.HorizontalFlip()])(text="hello")
    with pytest.raises(ak.TargetTypeError, match=r"^_CropAudio: target 'image' is not supported"):
        _CropAudio()(image=np.zeros((4, 4), np.uint8))


def test_text_copies_group_by_input() -> None:
    assert _Suffix()(text="a", rng=0)["text"].startswith("a+")
    three = _Suffix(n_aug=3)(text="a", rng=0)["text"]
    assert isinstance(three, list) and len(three) == 3 and all(t.startswith("a+") for t in three)
    groups = ak.Compose([_Suffix(n_aug=2), _Suffix(n_aug=2)])(text=["a", "b"], rng=0)["text"]
    assert [len(g) for g in groups] == [4, 4]
    assert all(t.startswith("a+") for t in groups[0]) and all(t.startswith("b+") for t in groups[1])
    assert _Suffix()(text=["x", "y"], rng=0)["text"][1].startswith("y+")


@pytest.mark.parametrize(
    ("series_shape", "labels_shape"),
    [((6,), (6,)), ((6, 2), (6,)), ((6, 2), (6, 3)), ((3, 6, 2), (3, 6)), ((3, 6, 2), (3, 6, 2))],
)
def test_series_layouts_round_trip(series_shape: tuple[int, ...], labels_shape: tuple[int, ...]) -> None:
    values = np.arange(np.prod(series_shape), dtype=np.float64).reshape(series_shape)
    labels = np.arange(np.prod(labels_shape)).reshape(labels_shape)
    out = _ReverseSteps()(series=values, step_labels=labels)
    time_axis = 1 if len(series_shape) == 3 else 0
    np.testing.assert_array_equal(out["series"], np.flip(values, axis=time_axis))
    np.testing.assert_array_equal(out["step_labels"], np.flip(labels, axis=time_axis))
    assert out["series"].dtype == np.float64


def test_series_call_errors_name_the_target() -> None:
    pipe = ak.Compose([_ReverseSteps()], additional_targets={"target": "series"})
    with pytest.raises(ak.TargetError, match=r"^Compose: a time-series call needs 'series'"):
        pipe(target=np.zeros(3))
    with pytest.raises(ak.TargetTypeError, match=r"unknown target 'lables' in a series call\. Did you mean 'labels'"):
        pipe(series=np.zeros(3), lables=[1])
    with pytest.raises(ak.TargetError, match=r"'labels' expects one class label per series \(2\)"):
        pipe(series=np.zeros((2, 3, 1)), labels=[1, 2, 3])


def test_registry_names_carry_the_modality() -> None:
    for cls in ak.registered_classes():
        modality = getattr(cls, "modality", "image")
        prefix = {"audio": "audio.", "text": "text.", "series": "timeseries."}.get(modality, "")
        assert cls.registry_name == prefix + cls.__name__


def test_series_p_is_drawn_per_series() -> None:
    batch = np.repeat(np.sin(np.linspace(0, 6, 50))[None, :, None], 400, axis=0).astype(np.float32)
    jitter = ak.timeseries.Jitter(sigma=0.1, p=0.3)
    out = jitter(series=batch, rng=0, record=True)
    changed = (out["series"] != batch).any(axis=(1, 2))
    mask = np.asarray(out["applied"][0]["params"]["series_mask"])
    np.testing.assert_array_equal(changed, mask)
    assert 0.22 < changed.mean() < 0.38  # 400 Bernoulli(0.3) draws
    np.testing.assert_array_equal(jitter.replay(out["applied"], series=batch)["series"], out["series"])


def test_series_mixup_soft_labels_respect_the_per_series_draw() -> None:
    batch = np.random.default_rng(1).standard_normal((60, 20, 2)).astype(np.float32)
    labels = np.arange(60) % 3
    out = ak.timeseries.MixUp(alpha=0.4, num_classes=3, p=0.5)(series=batch, labels=labels, rng=3, record=True)
    soft = out["labels"]
    assert soft.shape == (60, 3) and soft.dtype == np.float32
    np.testing.assert_allclose(soft.sum(axis=1), 1.0, rtol=1e-6)
    kept = ~np.asarray(out["applied"][0]["params"]["series_mask"])
    assert kept.any() and (~kept).any()
    np.testing.assert_array_equal(soft[kept], np.eye(3, dtype=np.float32)[labels[kept]])
    np.testing.assert_array_equal(out["series"][kept], batch[kept])


def test_length_changing_series_transforms_decide_p_per_batch() -> None:
    batch = np.zeros((30, 40, 1), np.float32)
    lengths = {ak.timeseries.Crop(size=10, p=0.5)(series=batch, rng=seed)["series"].shape[1] for seed in range(20)}
    assert lengths == {10, 40}
