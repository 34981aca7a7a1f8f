"""Mixers that choose where to paste: ``ResizeMix``, ``FMix`` and ``SaliencyMix``.

* ResizeMix (Qin et al. 2020, arXiv 2012.11101): the whole partner, shrunk to ``tau`` of each side
  (``tau ~ U(0.1, 0.8)``), is pasted at a random place; the label weight follows the pasted area.
* FMix (Harris et al. 2020, arXiv 2002.12047): a low-frequency random mask (Fourier spectrum
  decaying as ``1 / f ** decay_power``, decay 3) keeps the top ``lam`` fraction of pixels of the
  image and takes the rest from the partner; ``lam ~ Beta(1, 1)``.
* SaliencyMix (Uddin et al., ICLR 2021, arXiv 2006.01791): a CutMix box centred on the partner's
  most salient point, saliency from the spectral residual (Hou & Zhang, CVPR 2007); ``lam ~ Beta(1, 1)``.

RMix (saliency from a model's input gradients) lives in :mod:`augkit.mix.rmix`.

>>> import numpy as np
>>> from augkit.mix import FMix
>>> images, targets = FMix(num_classes=3)(np.zeros((2, 16, 16, 3), np.uint8), np.array([0, 2]), rng=0)
>>> bool(np.allclose(targets.sum(1), 1.0))
True
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from augkit.core.validate import as_choice, as_float, as_probability, as_range
from augkit.mix import _kernels
from augkit.mix._backend import Batch, Labels, Masks, to_device
from augkit.mix._base import BatchMixer, Mixed, check_alpha
from augkit.mix.mixing import box_areas, units

__all__ = ["FMix", "ResizeMix", "SaliencyMix", "fourier_mask", "spectral_residual_saliency"]


def _unit_draws(mixer: Any, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, int, np.ndarray] | None:
    """Partner, unit of each image, unit count and which units are applied; None when the batch is skipped."""
    if mixer.mode == "batch" and mixer.prob < 1.0 and rng.random() >= mixer.prob:
        return None
    partner, unit_of, count = units(rng, n, mixer.mode, mixer.partner)
    applied = np.ones(count, bool) if mixer.mode == "batch" or mixer.prob >= 1.0 else rng.random(count) < mixer.prob
    return partner, unit_of, count, applied


def _active(partner: np.ndarray, unit_of: np.ndarray, applied: np.ndarray) -> np.ndarray:
    return applied[unit_of] & (partner != np.arange(partner.shape[0]))


# ---------------------------------------------------------------------- ResizeMix
def _nearest_index(size_in: int, size_out: int) -> np.ndarray:
    """Source index of each output pixel for a centre-aligned nearest-neighbour resize."""
    return np.minimum(((np.arange(size_out) + 0.5) * size_in / size_out).astype(np.int64), size_in - 1)


def _resized(array: Any, first: int, index: int, height: int, width: int, nearest: bool) -> Any:
    """Image ``array[index]`` resized to ``height x width`` (bilinear or nearest), same kind and dtype."""
    h_in, w_in = array.shape[first], array.shape[first + 1]
    if isinstance(array, np.ndarray):
        element = array[index]
        if nearest:
            rows, cols = _nearest_index(h_in, height), _nearest_index(w_in, width)
            return element[(slice(None),) * (first - 1) + (rows[:, None], cols[None, :])]
        out = cv2.resize(element, (width, height), interpolation=cv2.INTER_LINEAR)
        return out.reshape((height, width, *element.shape[2:]))
    torch = sys.modules["torch"]
    element = array[index]
    if nearest:
        rows = to_device(torch, _nearest_index(h_in, height), array.device)
        cols = to_device(torch, _nearest_index(w_in, width), array.device)
        return element.index_select(first - 1, rows).index_select(first, cols)
    source = element[None] if element.is_floating_point() else element[None].float()
    out = torch.nn.functional.interpolate(source, size=(height, width), mode="bilinear", align_corners=False)[0]
    return out if element.is_floating_point() else out.round_().clamp_(0, 255).to(element.dtype)


class ResizeMix(BatchMixer):
    """Paste a shrunken copy of each image's partner (Qin et al. 2020, "ResizeMix", arXiv 2012.11101).

    Args:
        scale: the patch is ``round(tau * H) x round(tau * W)`` with ``tau ~ U(min, max)``; paper: (0.1, 0.8).
        prob: chance of mixing per batch ("batch") or per image ("elem").
        mode: "batch" (one size and place for the batch) or "elem" (per image).
        interpolation: "bilinear" (default) or "nearest" for the images; masks always use nearest.
        label_smoothing, num_classes, partner, seed: as in :class:`augkit.mix.Mix`.

    The patch lies fully inside the image, so the label weight is exactly 1 - patch area / (H * W).

    >>> import numpy as np
    >>> out, targets = ResizeMix(scale=0.5, num_classes=2)(np.zeros((2, 8, 8, 1), np.float32), np.array([0, 1]), rng=0)
    >>> targets[0].tolist()
    [0.75, 0.25]
    """

    def __init__(
        self,
        scale: float | Sequence[float] = (0.1, 0.8),
        prob: float = 1.0,
        mode: str = "batch",
        interpolation: str = "bilinear",
        label_smoothing: float = 0.0,
        num_classes: int | None = None,
        partner: str = "permutation",
        seed: int | None = None,
    ) -> None:
        owner = type(self).__name__
        self.scale = as_range(owner, "scale", scale, low=0.0, high=1.0)
        self.prob = as_probability(owner, "prob", prob)
        self.mode = as_choice(owner, "mode", mode, ("batch", "elem"))
        self.interpolation = as_choice(owner, "interpolation", interpolation, ("bilinear", "nearest"))
        self._set_common(label_smoothing, num_classes, partner, seed)

    def blends(self) -> bool:
        return False

    def sample(self, rng: np.random.Generator, n: int, height: int, width: int) -> dict[str, Any]:
        """Partner, and per image the box the resized partner fills; ``lam`` is the kept fraction."""
        drawn = _unit_draws(self, rng, n)
        if drawn is None:
            return {"applied": False}
        partner, unit_of, count, applied = drawn
        tau = rng.uniform(self.scale[0], self.scale[1], count)
        ph = np.clip(np.rint(tau * height), 1, height).astype(np.int64)
        pw = np.clip(np.rint(tau * width), 1, width).astype(np.int64)
        y0 = rng.integers(0, height - ph + 1)
        x0 = rng.integers(0, width - pw + 1)
        boxes = np.stack([y0, y0 + ph, x0, x0 + pw], axis=1)[unit_of]
        active = _active(partner, unit_of, applied)
        boxes = np.where(active[:, None], boxes, 0)
        lam = 1.0 - box_areas(boxes) / (height * width)
        return {
            "applied": True,
            "partner": np.where(active, partner, np.arange(n)).tolist(),
            "boxes": boxes.tolist(),
            "lam": lam.tolist(),
        }

    def _mix(self, batch: Batch, masks: Masks | None, params: dict[str, Any], labels: Labels | None) -> Mixed:
        partner = np.asarray(params["partner"], np.int64).reshape(batch.n)
        boxes = np.asarray(params["boxes"], np.int64).reshape(batch.n, 4)
        images = self._paste(batch.array, batch.first, partner, boxes, self.interpolation == "nearest")
        mixed_masks = None if masks is None else self._paste(masks.array, masks.first, partner, boxes, True)
        return Mixed(images, mixed_masks, np.asarray(params["lam"], np.float64), partner)

    @staticmethod
    def _paste(array: Any, first: int, partner: np.ndarray, boxes: np.ndarray, nearest: bool) -> Any:
        out = _kernels.copy_batch(array)
        for i in range(partner.shape[0]):
            y0, y1, x0, x1 = (int(v) for v in boxes[i])
            if y1 > y0 and x1 > x0 and partner[i] != i:
                region = (i,) + (slice(None),) * (first - 1) + (slice(y0, y1), slice(x0, x1))
                out[region] = _resized(array, first, int(partner[i]), y1 - y0, x1 - x0, nearest)
        return out


# ---------------------------------------------------------------------- FMix
def fourier_mask(seed: int, lam: float, height: int, width: int, decay_power: float = 3.0) -> np.ndarray:
    """A (H, W) bool mask, True on exactly ``round(lam * H * W)`` pixels: the top values of a random
    low-frequency image (spectrum amplitude ``1 / max(f, 1 / max(H, W)) ** decay_power``), as in FMix.

    >>> m = fourier_mask(0, 0.25, 8, 12); m.shape, int(m.sum())
    ((8, 12), 24)
    """
    generator = np.random.default_rng(seed)
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.rfftfreq(width)[None, :]
    freq = np.sqrt(fy * fy + fx * fx)
    scale = 1.0 / np.maximum(freq, 1.0 / max(height, width)) ** decay_power
    shape = (height, fx.shape[1])
    spectrum = (generator.standard_normal(shape) + 1j * generator.standard_normal(shape)) * scale
    field = np.fft.irfft2(spectrum, s=(height, width))
    keep = round(lam * height * width)
    order = np.argsort(-field, axis=None, kind="stable")
    mask = np.zeros(height * width, bool)
    mask[order[:keep]] = True
    return mask.reshape(height, width)


class FMix(BatchMixer):
    """Mix through a random low-frequency binary mask (Harris et al. 2020, "FMix", arXiv 2002.12047).

    Args:
        alpha: Beta(alpha, alpha) for the kept fraction ``lam``; paper default 1.
        decay_power: spectrum decay exponent; paper default 3 (higher = smoother blobs).
        prob: chance of mixing per batch ("batch") or per image ("elem").
        mode: "batch" (one mask for the batch, as the reference code) or "elem" (one mask per image).
        label_smoothing, num_classes, partner, seed: as in :class:`augkit.mix.Mix`.

    The image keeps exactly ``round(lam * H * W)`` of its pixels, and that fraction is the label
    weight. Masks are binary (the paper's ``max_soft = 0``); segmentation masks are cut with them.
    The record stores an integer seed per mask (JSON-safe); the mask is rebuilt from it on replay.

    >>> import numpy as np
    >>> images = np.stack([np.zeros((8, 8, 1)), np.ones((8, 8, 1))]).astype(np.float32)
    >>> out, t = FMix(num_classes=2)(images, np.array([0, 1]), rng=0)
    >>> bool(np.isclose(out[0].mean(), t[0, 1]))
    True
    """

    def __init__(
        self,
        alpha: float = 1.0,
        decay_power: float = 3.0,
        prob: float = 1.0,
        mode: str = "batch",
        label_smoothing: float = 0.0,
        num_classes: int | None = None,
        partner: str = "permutation",
        seed: int | None = None,
    ) -> None:
        owner = type(self).__name__
        self.alpha = check_alpha(owner, "alpha", alpha)
        self.decay_power = as_float(owner, "decay_power", decay_power, low=0.0)
        self.prob = as_probability(owner, "prob", prob)
        self.mode = as_choice(owner, "mode", mode, ("batch", "elem"))
        self._set_common(label_smoothing, num_classes, partner, seed)

    def blends(self) -> bool:
        return False

    def sample(self, rng: np.random.Generator, n: int, height: int, width: int) -> dict[str, Any]:
        """Partner, ``lam`` and a mask seed per unit; ``lam`` per image is the exact kept fraction."""
        drawn = _unit_draws(self, rng, n)
        if drawn is None:
            return {"applied": False}
        partner, unit_of, count, applied = drawn
        lam_unit = np.array([round(v * height * width) / (height * width) for v in rng.beta(self.alpha, self.alpha, count)])
        seeds = rng.integers(0, 2**31, count)
        active = _active(partner, unit_of, applied)
        return {
            "applied": True,
            "partner": np.where(active, partner, np.arange(n)).tolist(),
            "unit": unit_of.tolist(),
            "mask_seed": seeds.tolist(),
            "mask_lam": lam_unit.tolist(),
            "lam": np.where(active, lam_unit[unit_of], 1.0).tolist(),
        }

    def _mix(self, batch: Batch, masks: Masks | None, params: dict[str, Any], labels: Labels | None) -> Mixed:
        partner = np.asarray(params["partner"], np.int64).reshape(batch.n)
        unit_of = np.asarray(params["unit"], np.int64).reshape(batch.n)
        keep = np.stack(
            [
                fourier_mask(int(s), float(v), batch.height, batch.width, self.decay_power)
                for s, v in zip(params["mask_seed"], params["mask_lam"], strict=True)
            ]
        )
        take = ~keep if keep.shape[0] == 1 else ~keep[unit_of]
        images = _kernels.paste_where(_kernels.copy_batch(batch.array), batch.array, partner, take, batch.first)
        mixed_masks = None
        if masks is not None:
            mixed_masks = _kernels.paste_where(_kernels.copy_batch(masks.array), masks.array, partner, take, masks.first)
        return Mixed(images, mixed_masks, np.asarray(params["lam"], np.float64), partner)


# ---------------------------------------------------------------------- SaliencyMix
def _pool_bounds(size_in: int, size_out: int) -> tuple[np.ndarray, np.ndarray]:
    i = np.arange(size_out)
    return (i * size_in) // size_out, -((-(i + 1) * size_in) // size_out)


def _adaptive_mean(grey: np.ndarray, height: int, width: int) -> np.ndarray:
    """Adaptive average pooling of (N, H, W) to (N, height, width), with torch's bins."""
    for axis, size in ((1, height), (2, width)):
        start, end = _pool_bounds(grey.shape[axis], size)
        total = np.cumsum(grey, axis=axis, dtype=np.float64)
        total = np.concatenate([np.zeros_like(np.take(total, [0], axis=axis)), total], axis=axis)
        count = (end - start).reshape((1, -1, 1) if axis == 1 else (1, 1, -1))
        grey = ((np.take(total, end, axis=axis) - np.take(total, start, axis=axis)) / count).astype(np.float32)
    return grey


_GAUSS = np.exp(-0.5 * (np.arange(-2, 3) / 8.0) ** 2)
_GAUSS = (_GAUSS / _GAUSS.sum()).astype(np.float32)


def spectral_residual_saliency(images: Any, size: int = 64) -> Any:
    """Spectral-residual saliency (Hou & Zhang 2007) of each image, on a grid of at most ``size`` x ``size``.

    Grey (channel mean) -> area-downscaled -> FFT; the log amplitude minus its 3x3 (circular) mean
    is recombined with the phase, transformed back, squared and smoothed (5x5 Gaussian, sigma 8).
    numpy (N, H, W, C) gives a numpy map, torch (N, C, H, W) a tensor on the same device.

    >>> import numpy as np
    >>> images = np.random.default_rng(0).normal(0.5, 0.05, (1, 64, 64, 1)).astype(np.float32)
    >>> images[0, 40:48, 10:18] += 0.5  # a bright square on a textured background
    >>> s = spectral_residual_saliency(images); s.shape
    (1, 64, 64)
    >>> [int(v) for v in np.unravel_index(int(s[0].argmax()), s[0].shape)]
    [46, 15]
    """
    if isinstance(images, np.ndarray):
        grey = images.astype(np.float32).mean(axis=3)
        hs, ws = min(size, grey.shape[1]), min(size, grey.shape[2])
        small = _adaptive_mean(grey, hs, ws)
        spectrum = np.fft.fft2(small)
        amplitude = np.abs(spectrum)
        log_amp = np.log(amplitude + 1e-8)
        local = sum(np.roll(log_amp, (dy, dx), axis=(1, 2)) for dy in (-1, 0, 1) for dx in (-1, 0, 1)) / 9.0
        rebuilt = np.exp(log_amp - local) * (spectrum / (amplitude + 1e-12))
        energy = np.abs(np.fft.ifft2(rebuilt)) ** 2
        padded = np.pad(energy.astype(np.float32), ((0, 0), (2, 2), (2, 2)), mode="edge")
        rows = sum(_GAUSS[k] * padded[:, k : k + hs, :] for k in range(5))
        return sum(_GAUSS[k] * rows[:, :, k : k + ws] for k in range(5)).astype(np.float32)
    torch = sys.modules["torch"]
    functional = torch.nn.functional
    grey = images.float().mean(dim=1, keepdim=True)
    hs, ws = min(size, grey.shape[2]), min(size, grey.shape[3])
    small = functional.adaptive_avg_pool2d(grey, (hs, ws))[:, 0]
    spectrum = torch.fft.fft2(small)
    amplitude = spectrum.abs()
    log_amp = torch.log(amplitude + 1e-8)
    local = sum(torch.roll(log_amp, (dy, dx), dims=(1, 2)) for dy in (-1, 0, 1) for dx in (-1, 0, 1)) / 9.0
    rebuilt = torch.exp(log_amp - local) * (spectrum / (amplitude + 1e-12))
    energy = torch.fft.ifft2(rebuilt).abs() ** 2
    padded = functional.pad(energy[:, None], (2, 2, 2, 2), mode="replicate")[:, 0]
    kernel = [float(v) for v in _GAUSS]
    rows = sum(kernel[k] * padded[:, k : k + hs, :] for k in range(5))
    return sum(kernel[k] * rows[:, :, k : k + ws] for k in range(5))


class SaliencyMix(BatchMixer):
    """CutMix with the box centred on the partner's saliency peak (Uddin et al., ICLR 2021, arXiv 2006.01791).

    Args:
        alpha: Beta(alpha, alpha) for the area; paper default 1 (their runs mix every batch on
            ImageNet and half the batches, ``prob=0.5``, on CIFAR).
        prob: chance of mixing per batch ("batch") or per image ("elem").
        mode: "batch" (one box size for the batch) or "elem" (one per image). Each image's box is
            centred on its own partner's peak (the reference code uses the first partner's for all).
        label_smoothing, num_classes, partner, seed: as in :class:`augkit.mix.Mix`.

    Saliency is the spectral residual (:func:`spectral_residual_saliency`; the paper used OpenCV
    contrib's fine-grained detector, which is not a dependency), computed on the device for torch
    input. The label weight is the exact unpasted fraction. For torch input the box depends on the
    pixels, so ``record=True`` reads the boxes back to the host (the only sync, and only then).

    >>> import numpy as np
    >>> images = np.random.default_rng(0).normal(0.5, 0.05, (2, 64, 64, 1)).astype(np.float32)
    >>> images[1, 40:48, 10:18] += 0.5  # image 1 has a salient square
    >>> out, t, rec = SaliencyMix(num_classes=2)(images, np.array([0, 1]), rng=0, record=True)
    >>> y0, y1, x0, x1 = rec["params"]["boxes"][0]  # image 0's box, centred on image 1's square
    >>> bool(y0 <= 44 < y1 and x0 <= 14 < x1)
    True
    """

    def __init__(
        self,
        alpha: float = 1.0,
        prob: float = 1.0,
        mode: str = "batch",
        label_smoothing: float = 0.0,
        num_classes: int | None = None,
        partner: str = "permutation",
        seed: int | None = None,
    ) -> None:
        owner = type(self).__name__
        self.alpha = check_alpha(owner, "alpha", alpha)
        self.prob = as_probability(owner, "prob", prob)
        self.mode = as_choice(owner, "mode", mode, ("batch", "elem"))
        self._set_common(label_smoothing, num_classes, partner, seed)

    def blends(self) -> bool:
        return False

    def sample(self, rng: np.random.Generator, n: int, height: int, width: int) -> dict[str, Any]:
        """Partner and box size per image; the box position comes from the pixels when mixing."""
        drawn = _unit_draws(self, rng, n)
        if drawn is None:
            return {"applied": False}
        partner, unit_of, count, applied = drawn
        ratio = np.sqrt(1.0 - rng.beta(self.alpha, self.alpha, count))
        size = np.stack([np.rint(height * ratio), np.rint(width * ratio)], axis=1).astype(np.int64)[unit_of]
        active = _active(partner, unit_of, applied)
        return {
            "applied": True,
            "partner": np.where(active, partner, np.arange(n)).tolist(),
            "size": np.where(active[:, None], size, 0).tolist(),
        }

    def _mix(self, batch: Batch, masks: Masks | None, params: dict[str, Any], labels: Labels | None) -> Mixed:
        n, height, width = batch.n, batch.height, batch.width
        partner = np.asarray(params["partner"], np.int64).reshape(n)
        if "boxes" in params:  # replay: the boxes found by the original call
            boxes = np.asarray(params["boxes"], np.int64).reshape(n, 4)
            return self._paste(batch, masks, partner, boxes, np.asarray(params["lam"], np.float64), {})
        size = np.asarray(params["size"], np.int64).reshape(n, 2)
        saliency = spectral_residual_saliency(batch.array)
        hs, ws = saliency.shape[1], saliency.shape[2]
        if not batch.torch:
            peak = saliency.reshape(n, -1).argmax(axis=1)[partner]
            cy, cx = (2 * (peak // ws) + 1) * height // (2 * hs), (2 * (peak % ws) + 1) * width // (2 * ws)
            y0, x0 = cy - size[:, 0] // 2, cx - size[:, 1] // 2
            boxes = np.stack(
                [y0.clip(0, height), (y0 + size[:, 0]).clip(0, height), x0.clip(0, width), (x0 + size[:, 1]).clip(0, width)], 1
            )
            lam = 1.0 - box_areas(boxes) / (height * width)
            return self._paste(batch, masks, partner, boxes, lam, {"boxes": boxes, "lam": lam})
        torch = sys.modules["torch"]
        device = batch.device
        index = to_device(torch, partner, device)
        peak = saliency.reshape(n, -1).argmax(dim=1).index_select(0, index)
        cy = torch.div((2 * torch.div(peak, ws, rounding_mode="floor") + 1) * height, 2 * hs, rounding_mode="floor")
        cx = torch.div((2 * (peak % ws) + 1) * width, 2 * ws, rounding_mode="floor")
        cut = to_device(torch, size, device)
        y0, x0 = cy - torch.div(cut[:, 0], 2, rounding_mode="floor"), cx - torch.div(cut[:, 1], 2, rounding_mode="floor")
        y1, x1 = (y0 + cut[:, 0]).clamp(0, height), (x0 + cut[:, 1]).clamp(0, width)
        y0, x0 = y0.clamp(0, height), x0.clamp(0, width)
        lam = 1.0 - ((y1 - y0) * (x1 - x0)).to(torch.float32) / (height * width)
        images = _kernels.paste_box_tensors(
            _kernels.copy_batch(batch.array), batch.array, index, y0, y1, x0, x1, first=batch.first
        )
        mixed_masks = None
        if masks is not None:
            mixed_masks = _kernels.paste_box_tensors(
                _kernels.copy_batch(masks.array), masks.array, index, y0, y1, x0, x1, first=masks.first
            )
        return Mixed(images, mixed_masks, lam, partner, {"boxes": torch.stack([y0, y1, x0, x1], 1), "lam": lam})

    @staticmethod
    def _paste(
        batch: Batch, masks: Masks | None, partner: np.ndarray, boxes: np.ndarray, lam: np.ndarray, found: dict[str, Any]
    ) -> Mixed:
        images = _kernels.paste_boxes(_kernels.copy_batch(batch.array), batch.array, partner, boxes, batch.first)
        mixed_masks = None
        if masks is not None:
            mixed_masks = _kernels.paste_boxes(_kernels.copy_batch(masks.array), masks.array, partner, boxes, masks.first)
        return Mixed(images, mixed_masks, lam, partner, found)
