"""``MixCollate``: a ``collate_fn`` for ``torch.utils.data.DataLoader`` that mixes in the workers.

Samples are ``(image, label)`` or ``(image, label, mask)`` with uint8 (H, W, C) numpy images (as
augkit pipelines return them) and integer or one-hot labels. Each batch is stacked, mixed on the
CPU by any numpy-capable mixer, and returned as torch tensors: images (N, C, H, W) (or (N, H, W, C)
with ``layout="NHWC"``), float32 soft targets (N, K), and masks when given.

Reproducibility: batch ``b`` of epoch ``e`` is mixed with ``rng_for(seed, e, b)``, so the output does
not depend on the number of workers. The batch index is counted per worker: PyTorch's DataLoader
hands batches to its workers in turn (batch ``b`` goes to worker ``b % num_workers``, the default
``in_order=True``), so worker ``w``'s ``k``-th batch is batch ``w + k * num_workers``. Call
``set_epoch(epoch)`` before each epoch (as with ``DistributedSampler``); with
``persistent_workers=True`` or ``in_order=False`` the workers cannot see the epoch or the order,
so pass those only if reproducibility across worker counts does not matter.

uint8 output (``dtype="uint8"``, the default, 4x less to move to the GPU) rounds mixup's blended
pixels to integers; the targets keep the exact weight. ``dtype="float32"`` mixes and returns floats
in the 0-255 range instead.

>>> import numpy as np
>>> from augkit.mix import CutMix, MixCollate
>>> collate = MixCollate(CutMix(num_classes=3), seed=0)
>>> images, targets = collate([(np.zeros((4, 6, 3), np.uint8), 1), (np.ones((4, 6, 3), np.uint8), 2)])
>>> tuple(images.shape), images.dtype, tuple(targets.shape)
((2, 3, 4, 6), torch.uint8, (2, 3))
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from augkit.core.errors import ArgumentError, TargetError, TargetTypeError, describe
from augkit.core.rng import rng_for
from augkit.core.validate import as_choice, as_int
from augkit.mix._backend import require_torch
from augkit.mix._base import BatchMixer

__all__ = ["MixCollate"]


class MixCollate:
    """Stack (image, label[, mask]) samples, mix the batch with ``mixer`` and return torch tensors.

    Args:
        mixer: a mixer that takes numpy batches (``Mix``, ``MixUp``, ``CutMix``, ``ResizeMix``, ``FMix``,
            ``SaliencyMix``; not ``RMix``, which needs the model).
        seed: the run's seed; batch ``b`` of epoch ``e`` uses ``rng_for(seed, e, b)``.
        epoch: the starting epoch (see :meth:`set_epoch`).
        dtype: "uint8" (mixup rounds) or "float32" (values 0-255, no rounding).
        layout: "NCHW" (contiguous (N, C, H, W) tensors) or "NHWC" (no transpose).
    """

    def __init__(self, mixer: BatchMixer, seed: int = 0, epoch: int = 0, dtype: str = "uint8", layout: str = "NCHW") -> None:
        owner = type(self).__name__
        if not isinstance(mixer, BatchMixer) or type(mixer).__name__ == "RMix":
            raise ArgumentError(
                f"{owner}: argument 'mixer' expects an augkit.mix mixer for numpy batches (not RMix); got {describe(mixer)}"
            )
        self.mixer = mixer
        self.seed = as_int(owner, "seed", seed, low=0)
        self.epoch = as_int(owner, "epoch", epoch, low=0)
        self.dtype = as_choice(owner, "dtype", dtype, ("uint8", "float32"))
        self.layout = as_choice(owner, "layout", layout, ("NCHW", "NHWC"))
        self._counts: dict[tuple[int, int, int, int], int] = {}
        self._lock = threading.Lock()

    def set_epoch(self, epoch: int) -> None:
        """Start epoch ``epoch``: batches are counted from 0 again. Call it before iterating the loader."""
        self.epoch = as_int(type(self).__name__, "epoch", epoch, low=0)
        with self._lock:
            self._counts.clear()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_counts"] = {}
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def _batch_index(self) -> int:
        """This batch's index in the epoch, from the worker id and how many batches this worker has made."""
        torch = require_torch(type(self).__name__)
        info = torch.utils.data.get_worker_info()
        worker, workers = (0, 1) if info is None else (int(info.id), int(info.num_workers))
        key = (os.getpid(), threading.get_ident() if info is None else worker, worker, self.epoch)
        with self._lock:
            count = self._counts.get(key, 0)
            self._counts[key] = count + 1
        return worker + count * workers

    def __call__(self, samples: Sequence[Any]) -> tuple[Any, ...]:
        """Collate one batch: ``(images, targets)`` or ``(images, targets, masks)`` as torch tensors."""
        owner = type(self).__name__
        torch = require_torch(owner)
        if not isinstance(samples, Sequence) or not samples:
            raise TargetError(f"{owner}: expects a non-empty list of (image, label[, mask]) samples; got {describe(samples)}")
        width = len(samples[0]) if isinstance(samples[0], (tuple, list)) else 0
        if width not in (2, 3) or any(not isinstance(s, (tuple, list)) or len(s) != width for s in samples):
            raise TargetError(
                f"{owner}: every sample must be an (image, label) or (image, label, mask) tuple; got {describe(samples[0])}"
            )
        images = [np.asarray(s[0]) for s in samples]
        first = images[0]
        for position, image in enumerate(images):
            if image.dtype != np.uint8 or image.ndim != 3 or image.shape != first.shape:
                raise TargetTypeError(
                    f"{owner}: sample {position} image expects a uint8 (H, W, C) array like sample 0 "
                    f"{first.shape}; got {describe(image)}"
                )
        labels = np.stack([np.asarray(s[1]) for s in samples])
        masks = np.stack([np.asarray(s[2]) for s in samples]) if width == 3 else None
        rng = rng_for(self.seed, self.epoch, self._batch_index())
        if self.layout == "NHWC":
            batch = np.stack(images)
            out = self.mixer(batch.astype(np.float32) if self.dtype == "float32" else batch, labels, masks=masks, rng=rng)
            return tuple(None if v is None else torch.from_numpy(np.ascontiguousarray(v)) for v in out)
        planar = _stack_planar(images)  # (N, C, H, W), transposed while stacking
        tensor = torch.from_numpy(planar.astype(np.float32) if self.dtype == "float32" else planar)
        mask_tensor = None
        if masks is not None:
            mask_tensor = torch.from_numpy(np.ascontiguousarray(masks.transpose(0, 3, 1, 2) if masks.ndim == 4 else masks))
        out = self.mixer(tensor, torch.from_numpy(labels), masks=mask_tensor, rng=rng)
        return tuple(None if v is None else v.contiguous() for v in out)


def _stack_planar(images: list[np.ndarray]) -> np.ndarray:
    """Stack (H, W, C) uint8 images into one (N, C, H, W) array, splitting the channels with OpenCV."""
    height, width, channels = images[0].shape
    out = np.empty((len(images), channels, height, width), np.uint8)
    for i, image in enumerate(images):
        if channels == 1 or channels > 4:
            out[i] = image.transpose(2, 0, 1)
        else:
            cv2.split(np.ascontiguousarray(image), [out[i, k] for k in range(channels)])
    return out
