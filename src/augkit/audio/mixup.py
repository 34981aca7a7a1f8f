"""Waveform ``MixUp`` for a batch of clips (Zhang et al., ICLR 2018, arXiv 1710.09412).

``x = lam * x_i + (1 - lam) * x_j`` and ``y = lam * y_i + (1 - lam) * y_j`` with ``lam ~ Beta(alpha, alpha)``
and ``j`` the partner of clip ``i``. A batch-level operation, not a per-clip transform: use it after
collating, e.g. in the training step. It is :class:`augkit.mix.MixUp` (same call style, modes, partners,
label smoothing, records and replay) with an audio batch check and an audio default for ``alpha``.

>>> import numpy as np
>>> from augkit.audio.mixup import MixUp
>>> audio = np.stack([np.zeros((1, 4)), np.ones((1, 4))]).astype(np.float32)  # (N, C, S)
>>> mixed, targets = MixUp(alpha=1.0, num_classes=2)(audio, np.array([0, 1]), rng=0)
>>> bool(np.allclose(mixed[0], targets[0, 1]))  # the sample value is the partner's weight
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from augkit.audio.base import check_sample_dtype
from augkit.core.errors import TargetError, TargetTypeError, describe
from augkit.mix._backend import Batch, Labels, Masks, check_labels, is_torch, require_torch
from augkit.mix.mixup import MixUp as ImageMixUp

__all__ = ["MixUp"]


class MixUp(ImageMixUp):
    """Blend each clip of a batch with a partner clip; soft targets mixed with the same weight.

    Call ``mixer(audio, labels=None, *, rng=None, record=False)`` with ``audio`` a batch
    ``(N, channels, samples)`` (numpy float32/float64, or a floating torch tensor on any device) and
    ``labels`` class indices ``(N,)`` (with ``num_classes``) or one-hot / soft targets ``(N, K)``. It
    returns ``(audio, targets)`` - ``targets`` is ``(N, K)`` float32 (``None`` without labels) and each
    row sums to 1 - plus the record when ``record=True``: ``record["params"]`` holds ``partner`` (the
    partner index of each clip), ``lam`` (each clip's own weight, also its label weight) and ``applied``;
    ``replay(record, audio, labels)`` gives the same output bit for bit.

    Partners are a random cyclic permutation of the batch drawn per call (not a fixed roll: no clip is its
    own partner when N >= 2, and a sorted batch still mixes across classes); ``partner="flip"`` pairs clip
    ``i`` with ``N - 1 - i``. Any N works (N = 1 mixes the clip with itself: unchanged, smoothed target).
    Clips are not scanned for NaN.

    Args:
        alpha: Beta(alpha, alpha) for the weight (> 0). Default 0.4 (audio tagging recipes use 0.1-0.5;
            PANNs use 1.0).
        prob: the chance of mixing, per batch ("batch" mode) or per pair / clip; unmixed clips keep their
            samples and get their own (smoothed) target.
        mode: "batch" (one lambda for the batch), "pair" (one per pair of clips, mixed with each other) or
            "elem" (one lambda per clip).
        label_smoothing: targets are ``(1 - s) * one_hot + s / K`` before mixing.
        num_classes: K, needed for class-index labels.
        partner: "permutation" or "flip" (see above).
        seed: makes the mixer own a generator that advances call by call; ``rng=`` at call time overrides it.
        inplace: write the mixed clips into the array passed in and return it (saves a batch-sized
            allocation; each clip still mixes with its partner's original samples). Needs a writable
            float32/float64 array. Default False: the output never aliases the input.

    Example:
        >>> import numpy as np
        >>> from augkit.audio.mixup import MixUp
        >>> batch = np.random.default_rng(0).standard_normal((5, 2, 800)).astype(np.float32)
        >>> mixer = MixUp(alpha=0.4, num_classes=3, mode="elem")
        >>> mixed, targets, rec = mixer(batch, np.array([0, 1, 2, 0, 1]), rng=1, record=True)
        >>> mixed.shape, targets.shape, sorted(rec["params"]["partner"])
        ((5, 2, 800), (5, 3), [0, 1, 2, 3, 4])
    """

    def __init__(
        self,
        alpha: float = 0.4,
        prob: float = 1.0,
        mode: str = "batch",
        label_smoothing: float = 0.0,
        num_classes: int | None = None,
        partner: str = "permutation",
        seed: int | None = None,
        inplace: bool = False,
    ) -> None:
        # augkit.mix.MixUp's arguments; only alpha's default differs (mixers take their argument names from __init__)
        super().__init__(alpha, prob, mode, label_smoothing, num_classes, partner, seed, inplace)

    def __call__(  # type: ignore[override]
        self, audio: Any, labels: Any = None, *, rng: np.random.Generator | int | None = None, record: bool = False
    ) -> tuple[Any, ...]:
        """Mix a batch ``(N, channels, samples)``; returns ``(audio, targets[, record])``."""
        return super().__call__(audio, labels, rng=rng, record=record)

    def replay(self, record: dict[str, Any], audio: Any, labels: Any = None) -> tuple[Any, ...]:  # type: ignore[override]
        """Apply a record from ``record=True`` again (same batch in, same output out)."""
        owner = type(self).__name__
        shape = list(np.shape(audio)) if isinstance(audio, np.ndarray) or is_torch(audio) else None
        if isinstance(record, dict) and shape is not None and len(shape) == 3 and list(record.get("shape", shape)) != shape:
            raise TargetError(
                f"{owner}.replay: the record is for a batch of (N, channels, samples) = {record.get('shape')}; got audio of "
                f"shape {shape}"
            )
        return super().replay(record, audio, labels)

    def _check(self, owner: str, images: Any, labels: Any, masks: Any) -> tuple[Batch, Labels | None, Masks | None]:
        batch = _check_audio(owner, images)
        rows = np.shape(labels)[0] if labels is not None and len(np.shape(labels)) >= 1 else None
        if rows is not None and rows != batch.n:
            raise TargetError(f"{owner}: target 'labels' has {rows} rows but 'audio' holds {batch.n} clips")
        checked = None if labels is None else check_labels(owner, labels, batch, self.num_classes)
        if self._inplace and not batch.torch and not batch.array.flags.writeable:
            raise TargetError(f"{owner}: inplace=True writes into 'audio', but that array is read-only")
        return batch, checked, None


def _check_audio(owner: str, audio: object) -> Batch:
    """A batch ``(N, channels, samples)`` as a mixer batch (channels and samples in the height/width slots)."""
    layout = "a batch (N, channels, samples)"
    if is_torch(audio):
        torch = require_torch(owner)
        if not isinstance(audio, torch.Tensor):
            raise TargetTypeError(f"{owner}: target 'audio' expects a torch.Tensor; got {describe(audio)}")
        if audio.ndim != 3:
            raise TargetError(f"{owner}: target 'audio' expects {layout}; got shape {tuple(audio.shape)}")
        if not audio.is_floating_point():
            raise TargetTypeError(f"{owner}: target 'audio' expects a floating tensor; got dtype {audio.dtype}")
        shape = tuple(int(v) for v in audio.shape)
        is_tensor = True
    elif isinstance(audio, np.ndarray):
        check_sample_dtype(owner, "audio", audio.dtype)
        if audio.ndim != 3:
            hint = (
                "; add a batch axis (x[None]) for one clip or a channel axis (x[:, None]) for mono clips"
                if audio.ndim in (1, 2)
                else ""
            )
            raise TargetError(f"{owner}: target 'audio' expects {layout}; got shape {audio.shape}{hint}")
        shape = audio.shape
        is_tensor = False
    else:
        raise TargetTypeError(f"{owner}: target 'audio' expects a numpy array or torch tensor {layout}; got {describe(audio)}")
    if min(shape) < 1:
        raise TargetError(f"{owner}: target 'audio' is empty; got shape {shape}")
    n, channels, samples = shape
    return Batch(audio, is_tensor, n, channels, samples)
