"""Inputs for the contract suite: smooth, natural-looking images with matching masks, boxes and
keypoints drawn into them, so target consistency can be checked on the pixels themselves."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from augkit.samples import load_speech

HEIGHT, WIDTH = 48, 64
DTYPES = ("uint8", "uint16", "float32")
LAYOUTS = ((), (1,), (3,), (7,), (130,))  # trailing channel axes: H x W, x 1, x 3, x 7, x 130 (past OpenCV's 128)

# Boxes (pascal_voc, pixel edges) that do not overlap; each is painted into the mask as its index+1.
BOXES = np.array([[4.0, 5.0, 20.0, 17.0], [30.0, 8.0, 44.0, 30.0], [40.0, 33.0, 60.0, 45.0]])
# Keypoints at pixel centres; each is painted into the keypoint mask as a 3x3 blob of value index+1.
KEYPOINTS = np.array([[6.0, 9.0], [50.0, 12.0], [21.0, 38.0], [33.0, 27.0]])


def make_image(dtype: str = "uint8", channels: tuple[int, ...] = (3,), seed: int = 0) -> np.ndarray:
    """Gradients plus texture: every pixel differs from its neighbours, values span the range."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    count = channels[0] if channels else 1
    planes = [
        0.5 + 0.35 * np.sin(xx / (5.0 + c) + c) * np.cos(yy / (7.0 + c)) + 0.1 * rng.random((HEIGHT, WIDTH)) for c in range(count)
    ]
    unit = np.clip(np.stack(planes, axis=2), 0.0, 1.0)
    if not channels:
        unit = unit[:, :, 0]
    if dtype == "uint8":
        return np.round(unit * 255).astype(np.uint8)
    if dtype == "uint16":
        return np.round(unit * 65535).astype(np.uint16)
    return unit.astype(np.float32)


def box_mask() -> np.ndarray:
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    for index, (x1, y1, x2, y2) in enumerate(BOXES.astype(int)):
        mask[y1:y2, x1:x2] = index + 1
    return mask


def keypoint_mask() -> np.ndarray:
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    for index, (x, y) in enumerate(KEYPOINTS.astype(int)):
        mask[y - 1 : y + 2, x - 1 : x + 2] = index + 1
    return mask


@dataclass
class Sample:
    image: np.ndarray
    mask: np.ndarray
    bboxes: np.ndarray
    labels: list[int]
    keypoints: np.ndarray

    def targets(self, kinds: frozenset[str]) -> dict[str, object]:
        out: dict[str, object] = {"image": self.image}
        if "mask" in kinds:
            out["mask"] = self.mask
        if "bboxes" in kinds:
            out["bboxes"] = self.bboxes
            out["labels"] = self.labels
        if "keypoints" in kinds:
            out["keypoints"] = self.keypoints
        return out


def make_sample(dtype: str = "uint8", channels: tuple[int, ...] = (3,)) -> Sample:
    return Sample(make_image(dtype, channels), box_mask(), BOXES.copy(), [1, 2, 3], KEYPOINTS.copy())


# ---------------------------------------------------------------------------------------------
# Other modalities: real speech, its spectrogram, a real-looking sentence, smooth series

SAMPLE_RATE = 16000
TEXT = (
    "Alice didn't like the old house because it was cold. She quickly moved to a sunny city near 3 rivers; "
    "see https://example.com/a?b=1 or ask @bob."
)
PROTECTED = ("https://example.com/a?b=1", "@bob", "3")
MODEL_TEXT = "the quick brown fox jumps over the lazy dog near the big river"
SERIES_SHAPE = (4, 64, 3)


@functools.lru_cache(maxsize=1)
def _speech_file() -> np.ndarray:
    data, rate = load_speech()
    assert rate == SAMPLE_RATE
    return data


def speech(seconds: float = 0.5, channels: int = 1, offset: float = 0.6) -> np.ndarray:
    """``(channels, samples)`` float32 real speech (CMU ARCTIC); extra channels are delayed copies."""
    data = _speech_file()
    start, count = int(offset * SAMPLE_RATE), int(seconds * SAMPLE_RATE)
    rows = [data[start + 37 * c : start + 37 * c + count] for c in range(channels)]
    return np.ascontiguousarray(np.stack(rows))


def spectrogram(channels: int = 1) -> np.ndarray:
    """``(channels, 64, T)`` float32 log-magnitude spectrogram of the speech (64 bins of a 126-point STFT)."""
    wave = speech(0.5, channels)
    frames = np.lib.stride_tricks.sliding_window_view(wave, 126, axis=-1)[:, ::64]
    magnitude = np.abs(np.fft.rfft(frames * np.hanning(126), axis=-1))  # (C, T, 64)
    return np.ascontiguousarray(np.log1p(magnitude).transpose(0, 2, 1).astype(np.float32))


def series(dtype: str = "float32") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A batch of smooth multichannel series, per-step labels (segments) and one class per series."""
    count, steps, channels = SERIES_SHAPE
    rng = np.random.default_rng(3)
    t = np.linspace(0.0, 1.0, steps)[None, :, None]
    phase = rng.random((count, 1, channels)) * 6.0
    values = np.sin(2 * np.pi * (2 + np.arange(channels)) * t + phase) + 0.05 * rng.standard_normal((count, steps, channels))
    step_labels = np.repeat(np.arange(4), steps // 4)[None].repeat(count, axis=0)
    return values.astype(dtype), step_labels, np.array([0, 1, 0, 1])


def inputs_for(transform: object, dtype: str = "uint8") -> dict[str, object]:
    """The contract suite's typical targets for a transform of any modality."""
    kinds = frozenset(getattr(transform, "targets", ()))
    if "audio" in kinds:
        return {"audio": speech(channels=2), "sample_rate": SAMPLE_RATE}
    if "spectrogram" in kinds:
        return {"spectrogram": spectrogram(channels=2)}
    if "text" in kinds:
        # a model transform gets words its tiny random model knows (else it keeps the input: see instance_for)
        return {"text": MODEL_TEXT if getattr(transform, "model_kinds", None) else TEXT}
    if "series" in kinds:
        values, step_labels, labels = series()
        return {"series": values, "step_labels": step_labels, "labels": labels}
    return make_sample(dtype).targets(kinds)


#: One typical call per modality, for checking that a transform refuses the others' targets.
def foreign_calls() -> dict[str, dict[str, object]]:
    values, _, _ = series()
    return {
        "image": {"image": make_image()},
        "audio": {"audio": speech(), "sample_rate": SAMPLE_RATE},
        "spectrogram": {"spectrogram": spectrogram()},
        "text": {"text": TEXT},
        "series": {"series": values},
    }


@functools.cache
def tiny_model(kind: str) -> str:
    """A tiny randomly initialised model of ``kind`` ("mlm" or "seq2seq"), built once per session."""
    import tempfile

    from ..tiny_models import build_masked_lm, build_seq2seq

    directory = Path(tempfile.mkdtemp(prefix=f"augkit-contract-{kind}-"))
    return str((build_masked_lm if kind == "mlm" else build_seq2seq)(directory))


def instance_for(cls: type) -> object:
    """The instance the contract suite checks: ``cls.example()``, with tiny local models for
    transforms that run one (their ``model_kinds`` says which argument takes which kind)."""
    example = cls.example()  # type: ignore[attr-defined]
    kinds = getattr(cls, "model_kinds", None)
    if not kinds:
        return example
    return example.with_params(**{name: tiny_model(kind) for name, kind in kinds.items()})
