"""Array plumbing for the batch mixers: numpy/torch detection, input checks, soft targets.

Nothing here imports torch at module level: a torch tensor is recognised by its type's module, and
torch is imported only when such a tensor (or a torch model) reaches a mixer.

>>> import numpy as np
>>> soft_targets_numpy(np.array([0, 2]), 3, 0.3).astype(float).round(6).tolist()
[[0.8, 0.1, 0.1], [0.1, 0.1, 0.8]]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from augkit.core.errors import MissingDependencyError, TargetError, TargetTypeError, describe

__all__ = [
    "Batch",
    "Labels",
    "Masks",
    "check_images",
    "check_labels",
    "check_masks",
    "is_torch",
    "mix_soft_targets",
    "require_torch",
    "soft_targets_numpy",
    "to_device",
]

#: numpy dtypes the numpy kernels take (OpenCV does the arithmetic for these).
NUMPY_DTYPES = ("uint8", "float32", "float64")


def is_torch(value: object) -> bool:
    """True for a torch tensor, found without importing torch."""
    return type(value).__module__.startswith("torch") and "torch" in sys.modules


def require_torch(owner: str) -> ModuleType:
    """The torch module, or an error that names the extra to install."""
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is installed in the test environment
        raise MissingDependencyError(f"{owner}: this needs PyTorch; install it with `pip install augkit[torch]`") from None
    return torch


@dataclass(frozen=True)
class Batch:
    """A checked image batch: ``array`` is numpy (N, H, W, C) or torch (N, C, H, W)."""

    array: Any
    torch: bool
    n: int
    height: int
    width: int

    @property
    def first(self) -> int:
        """Index of the first spatial axis (height)."""
        return 2 if self.torch else 1

    @property
    def device(self) -> Any:
        return self.array.device if self.torch else None


@dataclass(frozen=True)
class Labels:
    """Checked labels: class indices (N,) or soft targets (N, K), numpy or torch."""

    array: Any
    torch: bool
    indices: bool
    num_classes: int


@dataclass(frozen=True)
class Masks:
    """Checked masks: hard (N, H, W) integer maps or soft per-class maps (numpy (N, H, W, K), torch (N, K, H, W))."""

    array: Any
    torch: bool
    soft: bool

    @property
    def first(self) -> int:
        return 2 if (self.torch and self.soft) else 1


def check_images(owner: str, images: object) -> Batch:
    """Check a batch: numpy (N, H, W, C) uint8/float32/float64 or torch (N, C, H, W) uint8/floating."""
    if is_torch(images):
        torch = require_torch(owner)
        if not isinstance(images, torch.Tensor):
            raise TargetTypeError(f"{owner}: target 'images' expects a torch.Tensor; got {describe(images)}")
        if images.ndim != 4:
            raise TargetError(
                f"{owner}: target 'images' expects a torch tensor of shape (N, C, H, W); got shape {tuple(images.shape)}"
            )
        if not (images.is_floating_point() or images.dtype == torch.uint8):
            raise TargetTypeError(f"{owner}: target 'images' expects a uint8 or floating torch tensor; got dtype {images.dtype}")
        n, _, height, width = (int(v) for v in images.shape)
        batch = Batch(images, True, n, height, width)
    elif isinstance(images, np.ndarray):
        if images.ndim != 4:
            raise TargetError(
                f"{owner}: target 'images' expects a numpy array of shape (N, H, W, C) (add a channel axis to a grey "
                f"batch); got shape {images.shape}"
            )
        if images.dtype.name not in NUMPY_DTYPES:
            raise TargetTypeError(f"{owner}: target 'images' expects dtype uint8, float32 or float64; got {images.dtype}")
        n, height, width, _ = (int(v) for v in images.shape)
        batch = Batch(images, False, n, height, width)
    else:
        raise TargetTypeError(
            f"{owner}: target 'images' expects a numpy array (N, H, W, C) or a torch tensor (N, C, H, W); got {describe(images)}"
        )
    if min(batch.array.shape) < 1:
        raise TargetError(f"{owner}: target 'images' is empty; got shape {tuple(batch.array.shape)}")
    return batch


def check_labels(owner: str, labels: object, batch: Batch, num_classes: int | None) -> Labels:
    """Check labels against the batch: indices (N,) in [0, num_classes) or soft targets (N, K)."""
    array: Any
    if is_torch(labels):
        torch = require_torch(owner)
        if not batch.torch:
            raise TargetTypeError(f"{owner}: target 'labels' is a torch tensor but 'images' is a numpy array; pass numpy labels")
        array = labels
        shape = tuple(int(v) for v in array.shape)
        floating = array.is_floating_point()
        integral = not floating and array.dtype not in (torch.bool, torch.complex64, torch.complex128)
    else:
        try:
            array = np.asarray(labels)
        except (TypeError, ValueError):
            raise TargetTypeError(
                f"{owner}: target 'labels' expects class indices (N,) or soft targets (N, K); got {describe(labels)}"
            ) from None
        shape = array.shape
        floating = array.dtype.kind == "f"
        integral = array.dtype.kind in "iu"
    if len(shape) not in (1, 2):
        raise TargetError(f"{owner}: target 'labels' expects class indices (N,) or soft targets (N, K); got shape {shape}")
    if shape[0] != batch.n:
        raise TargetError(f"{owner}: target 'labels' has {shape[0]} rows but 'images' holds {batch.n} images")
    if len(shape) == 1:
        if not integral:
            raise TargetTypeError(
                f"{owner}: target 'labels' of shape (N,) expects integer class indices; got dtype {array.dtype}"
            )
        if num_classes is None:
            raise TargetError(
                f"{owner}: class-index labels need the number of classes; pass num_classes=K (or labels of shape (N, K))"
            )
        if not is_torch(array):
            bad = (array < 0) | (array >= num_classes)
            if bad.any():
                raise TargetError(
                    f"{owner}: target 'labels' expects class indices in [0, {num_classes}) for num_classes={num_classes}; "
                    f"got {array[bad][0]} at row {int(np.flatnonzero(bad)[0])}"
                )
            array = array.astype(np.int64, copy=False)
        return Labels(array, is_torch(array), True, num_classes)
    if not (floating or integral):
        raise TargetTypeError(
            f"{owner}: target 'labels' of shape (N, K) expects numbers (one-hot or soft targets); got dtype {array.dtype}"
        )
    if num_classes is not None and shape[1] != num_classes:
        raise TargetError(f"{owner}: target 'labels' has {shape[1]} columns but num_classes={num_classes}")
    if not is_torch(array):
        array = array.astype(np.float32, copy=False)
        if not np.isfinite(array).all():
            raise TargetError(f"{owner}: target 'labels' contains NaN or infinite values")
    return Labels(array, is_torch(array), False, int(shape[1]))


def check_masks(owner: str, masks: object, batch: Batch, *, blends: bool) -> Masks:
    """Check masks against the batch; ``blends`` says whether the mixer blends pixels (then masks must be soft)."""
    hard_shape = (batch.n, batch.height, batch.width)
    if batch.torch:
        if not is_torch(masks):
            raise TargetTypeError(f"{owner}: target 'masks' expects a torch tensor like 'images'; got {describe(masks)}")
        torch = require_torch(owner)
        shape = tuple(int(v) for v in masks.shape)  # type: ignore[attr-defined]
        soft = len(shape) == 4
        ok = shape == hard_shape if not soft else (shape[0], shape[2], shape[3]) == hard_shape
        expected = f"(N, H, W) class maps or (N, K, H, W) soft maps with N, H, W = {hard_shape}"
        floating = masks.is_floating_point()  # type: ignore[attr-defined]
        integral = not floating and masks.dtype is not torch.bool  # type: ignore[attr-defined]
        if masks.dtype is torch.bool:  # type: ignore[attr-defined]
            integral = True
    else:
        if not isinstance(masks, np.ndarray):
            raise TargetTypeError(f"{owner}: target 'masks' expects a numpy array like 'images'; got {describe(masks)}")
        shape = masks.shape
        soft = len(shape) == 4
        ok = shape == hard_shape if not soft else shape[:3] == hard_shape
        expected = f"(N, H, W) class maps or (N, H, W, K) soft maps with N, H, W = {hard_shape}"
        floating = masks.dtype.kind == "f"
        integral = masks.dtype.kind in "iub"
    if len(shape) not in (3, 4) or not ok:
        raise TargetError(f"{owner}: target 'masks' expects {expected}; got shape {shape}")
    if soft and not floating:
        raise TargetTypeError(f"{owner}: target 'masks' of shape {shape} expects float soft maps; got dtype {masks.dtype}")  # type: ignore[attr-defined]
    if not soft and not integral:
        raise TargetTypeError(f"{owner}: target 'masks' of shape {shape} expects integer class maps; got dtype {masks.dtype}")  # type: ignore[attr-defined]
    if not soft and blends:
        layout = "(N, K, H, W)" if batch.torch else "(N, H, W, K)"
        raise TargetError(
            f"{owner}: blending mixes pixels, so target 'masks' must be soft (one-hot or probabilities, {layout} float); "
            f"got class maps of shape {shape}"
        )
    if not batch.torch and masks.dtype.name not in NUMPY_DTYPES and soft:  # type: ignore[attr-defined]
        raise TargetTypeError(f"{owner}: target 'masks' expects float32 or float64 soft maps; got {masks.dtype}")  # type: ignore[attr-defined]
    return Masks(masks, batch.torch, soft)


# ---------------------------------------------------------------------- soft targets
def soft_targets_numpy(labels: np.ndarray, num_classes: int, smoothing: float) -> np.ndarray:
    """(N, K) float32 targets: one-hot of class indices (or the given soft rows), smoothed by ``smoothing``."""
    off = smoothing / num_classes
    if labels.ndim == 1:
        out = np.full((labels.shape[0], num_classes), off, np.float32)
        out[np.arange(labels.shape[0]), labels] = 1.0 - smoothing + off
        return out
    out = labels.astype(np.float32, copy=True)
    if smoothing:
        out *= np.float32(1.0 - smoothing)
        out += np.float32(off)
    return out


def soft_targets_torch(torch: ModuleType, labels: Any, num_classes: int, smoothing: float, device: Any) -> Any:
    """The torch twin of :func:`soft_targets_numpy`, built on ``device`` without reading values back."""
    off = smoothing / num_classes
    if labels.ndim == 1:
        index = labels.to(device=device, dtype=torch.int64).unsqueeze(1)
        out = torch.full((labels.shape[0], num_classes), off, dtype=torch.float32, device=device)
        return out.scatter_(1, index, 1.0 - smoothing + off)
    out = labels.to(device=device, dtype=torch.float32, copy=True)
    if smoothing:
        out.mul_(1.0 - smoothing).add_(off)
    return out


def mix_soft_targets(targets: Any, partner: np.ndarray, weight: Any) -> Any:
    """``w * t + (1 - w) * t[partner]`` row by row; ``weight`` is host numpy (N,) or a device tensor (N,)."""
    if isinstance(targets, np.ndarray):
        own = np.asarray(weight, np.float64)
        w1 = own.astype(np.float32)[:, None]
        w2 = (1.0 - own).astype(np.float32)[:, None]
        return targets * w1 + targets[partner] * w2
    torch = sys.modules["torch"]
    device = targets.device
    index = to_device(torch, partner, device)
    if isinstance(weight, np.ndarray):
        own = np.asarray(weight, np.float64)
        w1 = to_device(torch, own.astype(np.float32)[:, None], device)
        w2 = to_device(torch, (1.0 - own).astype(np.float32)[:, None], device)
    else:
        w1 = weight.to(device=device, dtype=torch.float32)[:, None]
        w2 = 1.0 - w1
    return targets * w1 + targets.index_select(0, index) * w2


def to_device(torch: ModuleType, array: np.ndarray, device: Any) -> Any:
    """A host array as a tensor on ``device``, copied without blocking the host (pinned memory on accelerators)."""
    tensor = torch.from_numpy(np.ascontiguousarray(array))
    if device.type == "cpu":
        return tensor
    if device.type == "cuda":
        return tensor.pin_memory().to(device, non_blocking=True)
    return tensor.to(device)
