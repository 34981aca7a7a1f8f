"""The audio, text and time-series rules every registered transform of those modalities keeps.

Parametrized over the registry like ``test_contract.py``: layouts and dtypes in and out, batches drawn
per item, paired targets sharing one draw, bad input refused with the transform and target named.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import augkit as ak
from augkit.core.transform import Transform

from .samples import PROTECTED, SAMPLE_RATE, TEXT, instance_for, series, spectrogram, speech
from .test_contract import assert_outputs_equal, complete

CLASSES = ak.registered_classes()


def _of(kind: str) -> list[type[ak.BaseTransform]]:
    return [cls for cls in CLASSES if issubclass(cls, Transform) and cls.modality != "image" and kind in cls.targets]


def _params(kind: str) -> Any:
    classes = _of(kind)
    return pytest.mark.parametrize("cls", classes, ids=[c.registry_name for c in classes])


def _random_transform(transform: ak.BaseTransform) -> bool:
    return bool(getattr(type(transform), "has_random_params", False))


# ---------------------------------------------------------------------------------------------
# Audio


@_params("audio")
def test_audio_layouts_and_dtype(cls: type[ak.BaseTransform]) -> None:
    transform = instance_for(cls)
    stereo = speech(channels=2)
    for wave in (stereo[0], stereo, stereo.astype(np.float64)):
        out = transform(audio=wave, sample_rate=SAMPLE_RATE, rng=1)
        result = out["audio"]
        assert result.dtype == np.float32 and result.flags.c_contiguous
        assert result.ndim == wave.ndim and result.shape[:-1] == wave.shape[:-1], "channels are kept"
        assert result.shape[-1] > 0 and np.isfinite(result).all()
        assert not np.shares_memory(result, wave)
        assert isinstance(out["sample_rate"], int) and out["sample_rate"] > 0


@_params("audio")
def test_audio_batch_draws_per_clip(cls: type[ak.BaseTransform]) -> None:
    transform = instance_for(cls)
    clip = speech(channels=1)
    batch = np.stack([clip, clip, clip])  # (3, 1, S): three identical clips
    out = transform(audio=batch, sample_rate=SAMPLE_RATE, rng=np.random.default_rng(4), record=True)
    clips = out["audio"]
    assert len(clips) == 3 and all(c.shape[0] == 1 for c in clips)
    params = out["applied"][0]["params"]["batch"]
    assert len(params) == 3
    for index in range(3):  # each clip equals a single call replaying its own draw
        record = [{**out["applied"][0], "params": params[index]}]
        single = transform.replay(record, audio=clip, sample_rate=SAMPLE_RATE)["audio"]
        np.testing.assert_array_equal(clips[index], single)
    if _random_transform(transform):
        draws = {
            json.dumps(transform(audio=batch, sample_rate=SAMPLE_RATE, rng=seed, record=True)["applied"][0]["params"]["batch"][i])
            for seed in range(4)
            for i in range(3)
        }
        assert len(draws) >= 2, "clips of a batch draw their own parameters"


@_params("audio")
def test_audio_paired_targets_share_the_draw(cls: type[ak.BaseTransform]) -> None:
    pipe = ak.Compose([instance_for(cls)], additional_targets={"clean": "audio"})
    wave = speech(channels=2)
    for seed in range(3):
        out = pipe(audio=wave, clean=wave.copy(), sample_rate=SAMPLE_RATE, rng=seed)
        np.testing.assert_array_equal(out["audio"], out["clean"])


@_params("audio")
def test_audio_bad_input_is_named(cls: type[ak.BaseTransform]) -> None:
    transform = instance_for(cls).with_params(p=1.0)
    name = cls.__name__
    wave = speech()
    with pytest.raises(ak.TargetTypeError, match=rf"^{name}: target 'audio' .*integer PCM \(int16\).*pcm_to_float"):
        transform(audio=(wave * 32767).astype(np.int16), sample_rate=SAMPLE_RATE)
    bad = wave.copy()
    bad[0, 10] = np.nan
    with pytest.raises(ak.TargetError, match=rf"^{name}: target 'audio' contains NaN"):
        transform(audio=bad, sample_rate=SAMPLE_RATE)
    with pytest.raises(ak.TargetError, match=rf"^{name}: target 'audio' is empty"):
        transform(audio=np.zeros(0, np.float32), sample_rate=SAMPLE_RATE)
    with pytest.raises(ak.TargetError, match=rf"^{name}: an audio call needs sample_rate"):
        transform(audio=wave)
    with pytest.raises(ak.TargetError, match=rf"^{name}: target 'sample_rate' expects a positive integer"):
        transform(audio=wave, sample_rate=-5)
    with pytest.raises(ak.TargetError, match=rf"^{name}: target 'audio' expects \(samples,\)"):
        transform(audio=wave[None, None], sample_rate=SAMPLE_RATE)
    with pytest.raises(ak.TargetError, match=rf"^{name}: target 'audio' expects \(channels, samples\).*x\.T"):
        transform(audio=np.ascontiguousarray(speech(channels=2).T), sample_rate=SAMPLE_RATE)


# ---------------------------------------------------------------------------------------------
# Spectrograms


@_params("spectrogram")
def test_spectrogram_layouts_and_pairs(cls: type[ak.BaseTransform]) -> None:
    transform = instance_for(cls)
    spec = spectrogram(channels=2)
    for value in (spec[0], spec):
        out = transform(spectrogram=value, rng=2)["spectrogram"]
        assert out.dtype == np.float32 and out.ndim == value.ndim and out.shape[:-1] == value.shape[:-1]
        assert not np.shares_memory(out, value)
    pipe = ak.Compose([transform], additional_targets={"target": "spectrogram"})
    for seed in range(3):
        out = pipe(spectrogram=spec, target=spec.copy(), rng=seed)
        np.testing.assert_array_equal(out["spectrogram"], out["target"])
    bad = spec.copy()
    bad[0, 0, 0] = np.inf
    with pytest.raises(ak.TargetError, match=rf"^{cls.__name__}: target 'spectrogram' contains NaN or infinite"):
        transform(spectrogram=bad)


# ---------------------------------------------------------------------------------------------
# Text


@_params("text")
def test_text_layouts(cls: type[ak.BaseTransform]) -> None:
    transform = instance_for(cls)
    copies = int(getattr(transform, "n_aug", 1))
    one = transform(text=TEXT, rng=0)["text"]
    if copies == 1:
        assert isinstance(one, str)
    else:
        assert isinstance(one, list) and len(one) == copies and all(isinstance(t, str) for t in one)
    many = transform(text=[TEXT, "Short one.", ""], rng=0)["text"]
    assert isinstance(many, list) and len(many) == 3
    if copies > 1:
        assert all(isinstance(group, list) and len(group) == copies for group in many)


@_params("text")
def test_text_edge_cases_and_protected_spans(cls: type[ak.BaseTransform]) -> None:
    transform = instance_for(cls).with_params(p=1.0)
    copies = int(getattr(transform, "n_aug", 1))
    for text in ("", "Word", "   "):
        out = transform(text=text, rng=0)["text"]
        assert (out if copies == 1 else out[0]) is not None
    unicode = "Café naïve 東京 is 🙂 great, isn't it? Ünïcödé 👩‍💻 works because it must."
    for seed in range(5):
        for text in (TEXT, unicode):
            out = transform(text=text, rng=seed)["text"]
            for result in [out] if copies == 1 else out:
                assert isinstance(result, str)
                result.encode("utf-8")  # no lone surrogates or broken code points
                if text is TEXT:
                    for span in PROTECTED:
                        assert span in result, f"protected span {span!r} changed: {result!r}"


@_params("text")
def test_text_bad_input_is_named(cls: type[ak.BaseTransform]) -> None:
    transform = instance_for(cls).with_params(p=1.0)
    name = cls.__name__
    for bad in (3, b"bytes", None, ["ok", 5]):
        with pytest.raises(ak.TargetTypeError, match=rf"^{name}: target 'text' .*expects a str"):
            transform(text=bad)


# ---------------------------------------------------------------------------------------------
# Time series


@_params("series")
def test_series_layouts_and_dtypes(cls: type[ak.BaseTransform]) -> None:
    transform = instance_for(cls)
    for dtype in ("float32", "float64"):
        values, step_labels, labels = series(dtype)
        for given, steps in ((values[0, :, 0], step_labels[0]), (values[0], step_labels[0]), (values, step_labels)):
            targets = complete(transform, {"series": given, "step_labels": steps})
            if given.ndim == 3:
                targets["labels"] = labels
            elif "labels" in getattr(transform, "required_targets", ()):
                continue  # class-guided methods need a labelled batch
            out = transform(rng=5, **targets)
            result = out["series"]
            assert result.dtype == np.dtype(dtype) and result.ndim == given.ndim and result.flags.c_contiguous
            assert not np.shares_memory(result, given)
            if given.ndim >= 2:
                assert result.shape[-1] == given.shape[-1], "channels are kept"
            if given.ndim == 3:
                assert result.shape[0] == given.shape[0], "every series comes back"
            time_axis = 0 if given.ndim < 3 else 1
            assert out["step_labels"].shape[time_axis] == result.shape[time_axis], "labels keep the series' steps"
            assert set(np.unique(out["step_labels"])) <= set(np.unique(steps)), "labels are moved, never interpolated"


@_params("series")
def test_series_draws_per_series_and_pairs(cls: type[ak.BaseTransform]) -> None:
    transform = instance_for(cls)
    values, _, labels = series()
    pipe = ak.Compose([transform], additional_targets={"target": "series"})
    for seed in range(3):
        out = pipe(series=values, target=values.copy(), labels=labels, rng=seed)
        np.testing.assert_array_equal(out["series"], out["target"])
    if _random_transform(transform) and not getattr(transform, "mixes_series", False):
        same = np.repeat(values[:1], 4, axis=0)
        outs = [transform(series=same, labels=labels, rng=seed)["series"] for seed in range(4)]
        differing = any(len({o[i].tobytes() for i in range(4)}) > 1 for o in outs)
        assert differing, "series of a batch draw their own parameters"


@_params("series")
def test_series_bad_input_is_named(cls: type[ak.BaseTransform]) -> None:
    transform = instance_for(cls).with_params(p=1.0)
    name = cls.__name__
    values, _, labels = series()
    bad = values.copy()
    bad[0, 3, 1] = np.nan
    with pytest.raises(ak.TargetError, match=rf"^{name}: target 'series' contains NaN"):
        transform(series=bad, labels=labels)
    with pytest.raises(ak.TargetTypeError, match=rf"^{name}: target 'series' expects dtype float32 or float64; got int64"):
        transform(series=values.astype(np.int64), labels=labels)
    with pytest.raises(ak.TargetError, match=rf"^{name}: target 'series' expects \(T,\), \(T, C\) or \(N, T, C\)"):
        transform(series=values[None], labels=labels)
    with pytest.raises(ak.TargetError, match=rf"^{name}: target 'step_labels' expects"):
        transform(series=values, step_labels=np.zeros((4, 3)), labels=labels)


def test_every_modality_is_covered() -> None:
    """Each modality's rules above run over at least one transform once the catalogs exist."""
    assert_outputs_equal({}, {})
    kinds = {kind for cls in CLASSES if issubclass(cls, Transform) for kind in cls.targets}
    assert {"image", "audio", "spectrogram", "text", "series"} <= kinds
