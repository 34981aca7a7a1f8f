"""Cutout and random erasing on whole batches: ``BatchCutout`` and ``BatchRandomErasing``.

The per-image transforms :class:`augkit.image.dropout.CoarseDropout` and
:class:`augkit.image.dropout.RandomErasing` run on one numpy image at a time; these take a batch
(numpy (N, H, W, C) or torch (N, C, H, W) on any device) and erase different holes in every image.
The holes are drawn on the host from ``rng`` (a numpy Generator or an int seed); the torch path
sends only the hole corners to the device and never reads tensor values back.

Call: ``eraser(images, labels=None, masks=None, rng=None, record=False)`` returns ``(images, labels)``,
then ``masks`` when masks were given, then the record when ``record=True`` -- the layout of every
:class:`augkit.mix.BatchMixer`, so an eraser drops into the same training loop or
:class:`augkit.mix.MixCollate`. Erasing does not mix images, so ``labels`` come back unchanged (a copy
of what was passed; None when none was). Masks ((N, H, W) class maps or soft maps) get ``fill_mask``
in the holes when it is set, and come back unchanged (copied) otherwise. Outputs never alias inputs.

>>> import numpy as np
>>> from augkit.mix import BatchCutout
>>> out, labels = BatchCutout(hole_height_range=2, hole_width_range=2)(np.ones((3, 4, 4, 1), np.uint8), rng=0)
>>> (out == 0).sum(axis=(1, 2, 3)).tolist()
[4, 4, 4]
"""

from __future__ import annotations

import copy
import math
import sys
from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, TargetError, describe
from augkit.core.rng import as_generator, draw_seed
from augkit.core.validate import as_int_range, as_probability, as_range
from augkit.image._erasing import as_erase_fill, as_hole_range, as_mask_fill
from augkit.mix import _kernels
from augkit.mix._backend import Batch, Masks, check_images, check_masks, is_torch, require_torch, to_device
from augkit.mix._base import BatchMixer

__all__ = ["BatchCutout", "BatchRandomErasing"]

#: Attempts per image of the random-erasing draw (torchvision's constant).
ATTEMPTS = 10


# ---------------------------------------------------------------------- host draws
def _uniform_int(u: np.ndarray, low: Any, high: Any) -> np.ndarray:
    """Integers uniform in ``[low, high]`` (inclusive, arrays broadcast) from uniforms ``u`` in [0, 1)."""
    low = np.asarray(low, np.int64)
    span = np.asarray(high, np.int64) - low
    return low + np.minimum(np.floor(u * (span + 1)).astype(np.int64), span)


def _sides(u: np.ndarray, size_range: tuple[Any, Any], side: int) -> np.ndarray:
    """Hole sides as in ``CoarseDropout``: ints are pixels, floats fractions of ``side`` (floored, >= 1)."""
    low, high = size_range
    if isinstance(low, int):
        return np.minimum(_uniform_int(u, low, high), side)
    return np.clip(np.floor((low + (high - low) * u) * side), 1, side).astype(np.int64)


# ---------------------------------------------------------------------- kernels
def _holes_array(holes: Any, n: int, height: int, width: int) -> np.ndarray:
    """Recorded holes (one list of ``[y0, y1, x0, x1]`` per image) as an (N, M, 4) array (empty holes are zeros)."""
    if not isinstance(holes, list) or len(holes) != n:
        raise ValueError(f"'holes' must hold one list of holes per image ({n})")
    count = max((len(h) for h in holes), default=0)
    out = np.zeros((n, count, 4), np.int64)
    for i, rows in enumerate(holes):
        if rows:
            out[i, : len(rows)] = np.asarray(rows, np.int64).reshape(len(rows), 4)
    y0, y1, x0, x1 = (out[..., k] for k in range(4))
    if (y0 < 0).any() or (x0 < 0).any() or (y1 > height).any() or (x1 > width).any() or (y1 < y0).any() or (x1 < x0).any():
        raise ValueError(f"holes must lie inside the {height} x {width} image with y0 <= y1 and x0 <= x1")
    return out


def _region(first: int, y0: int, y1: int, x0: int, x1: int) -> tuple[slice, ...]:
    return (slice(None),) * (first - 1) + (slice(y0, y1), slice(x0, x1))


def _channel_axis(array: Any, first: int) -> int | None:
    """The channel axis of one element of the batch (None for (H, W) class maps)."""
    if array.ndim == 3:
        return None
    return 0 if first == 2 else 2


def _constant(owner: str, name: str, value: Any, array: Any, first: int) -> np.ndarray:
    """The fill as a numpy value shaped to broadcast against one hole of one element (checked, cast)."""
    axis = _channel_axis(array, first)
    channels = 1 if axis is None else int(array.shape[first - 1 if first == 2 else 3])
    values = np.asarray(value, np.float64).reshape(-1)
    if values.size not in (1, channels):
        raise TargetError(
            f"{owner}: argument {name!r} has {values.size} values but the target has {channels} channel(s); "
            "pass one number or one per channel"
        )
    dtype = _numpy_dtype(array)
    if dtype.kind in "iub":
        info = np.iinfo(dtype) if dtype.kind != "b" else None
        values = np.rint(values)
        if info is not None:
            values = np.clip(values, info.min, info.max)
    if values.size == 1 or axis is None:
        return values[:1].astype(dtype).reshape(())
    return values.astype(dtype).reshape((channels, 1, 1) if axis == 0 else (1, 1, channels))


def _numpy_dtype(array: Any) -> np.dtype:
    if isinstance(array, np.ndarray):
        return array.dtype
    name = str(array.dtype).removeprefix("torch.")
    return np.dtype("float32") if name == "bfloat16" else np.dtype(name)


def _noise(rng: np.random.Generator, shape: tuple[int, ...], dtype: np.dtype, channel_first: bool) -> np.ndarray:
    """Random fill for one hole, drawn in (h, w, C) order whatever the layout (numpy and torch agree)."""
    if channel_first:
        shape = (shape[1], shape[2], shape[0])
    values = rng.integers(0, 256, shape, dtype=np.uint8) if dtype == np.uint8 else rng.standard_normal(shape).astype(dtype)
    return values.transpose(2, 0, 1) if channel_first else values


def erase(owner: str, name: str, array: Any, first: int, holes: np.ndarray, fill: Any, seed: int) -> Any:
    """A copy of ``array`` with each element's holes (``holes[i]``: (M, 4) ``[y0, y1, x0, x1]``) set to ``fill``.

    ``fill`` is a number, one per channel, or ``"random"`` (standard normal noise for floating
    arrays, uniform over 0..255 for uint8; drawn from ``seed``). Host (numpy or CPU tensor) arrays
    are filled hole by hole in place of a copy; device tensors get one ``torch.where`` over a hole
    map built on the device from the corners, so no value is read back.

    >>> x = np.ones((2, 3, 3, 1), np.float32)
    >>> out = erase("doc", "fill", x, 1, np.array([[[0, 1, 0, 1]], [[1, 3, 1, 3]]]), 0.0, 0)
    >>> out[..., 0].sum(axis=(1, 2)).tolist()
    [8.0, 5.0]
    """
    real = (holes[..., 1] > holes[..., 0]) & (holes[..., 3] > holes[..., 2])
    random = isinstance(fill, str)
    if _kernels._numpy_view(array, for_blend=False) is not None or not real.any():
        out = _kernels.copy_batch(array)
        if not real.any():
            return out
        view = _kernels._numpy_view(out, for_blend=False)
        assert view is not None
        channel_first = _channel_axis(array, first) == 0
        rng = np.random.default_rng(seed) if random else None
        value = None if random else _constant(owner, name, fill, array, first)
        for i, j in zip(*np.nonzero(real), strict=True):
            y0, y1, x0, x1 = holes[i, j].tolist()
            key = _region(first, y0, y1, x0, x1)
            target = view[i][key]
            view[i][key] = value if rng is None else _noise(rng, target.shape, view.dtype, channel_first)
        return out
    torch = sys.modules["torch"]
    device = array.device
    n, height, width = array.shape[0], array.shape[first], array.shape[first + 1]
    coords = to_device(torch, np.ascontiguousarray(holes.transpose(2, 0, 1)), device)  # (4, N, M)
    rows = torch.arange(height, device=device)
    cols = torch.arange(width, device=device)
    inside_y = ((rows >= coords[0][..., None]) & (rows < coords[1][..., None])).to(torch.float32)  # (N, M, H)
    inside_x = ((cols >= coords[2][..., None]) & (cols < coords[3][..., None])).to(torch.float32)  # (N, M, W)
    take = torch.bmm(inside_y.transpose(1, 2), inside_x) > 0.5  # (N, H, W): covered by some hole
    take = take.reshape((n,) + (1,) * (first - 1) + (height, width) + (1,) * (array.ndim - first - 2))
    if random:
        generator = None
        if device.type != "meta":
            generator = torch.Generator(device=device)
            generator.manual_seed(int(seed))
        if array.dtype == torch.uint8:
            values = torch.randint(0, 256, tuple(array.shape), dtype=torch.uint8, device=device, generator=generator)
        else:
            values = torch.randn(tuple(array.shape), dtype=array.dtype, device=device, generator=generator)
    else:
        constant = _constant(owner, name, fill, array, first)  # () or (C, 1, 1): torch tensors are channel-first
        values = torch.as_tensor(constant).to(device=device, dtype=array.dtype)
    return torch.where(take, values, array)


# ---------------------------------------------------------------------- the shared machinery
class _BatchErasing(BatchMixer):
    """Calls, checks, records and replay of the erasers; subclasses provide ``_holes``."""

    fill_mask: float | tuple[float, ...] | None
    prob: float

    def _set_erasing(self, fill_mask: object, prob: object, seed: object) -> None:
        owner = type(self).__name__
        self.fill_mask = as_mask_fill(owner, "fill_mask", fill_mask)
        self.prob = as_probability(owner, "prob", prob)
        if seed is not None and not (isinstance(seed, Integral) and not isinstance(seed, bool) and int(seed) >= 0):
            raise ArgumentError(f"{owner}: argument 'seed' expects an integer >= 0 or None; got {describe(seed)}")
        self.seed = None if seed is None else int(seed)
        self._own_rng = None if self.seed is None else np.random.default_rng(self.seed)

    def _fill(self) -> Any:
        raise NotImplementedError

    def _fill_name(self) -> str:
        return "fill"

    def _holes(self, rng: np.random.Generator, n: int, height: int, width: int) -> np.ndarray:
        """(N, M, 4) holes ``[y0, y1, x0, x1]`` (zeros where an image has fewer than M)."""
        raise NotImplementedError

    def blends(self) -> bool:
        return False

    def sample(self, rng: np.random.Generator, n: int, height: int, width: int) -> dict[str, Any]:
        """Per-image holes (lists of ``[y0, y1, x0, x1]``; an unerased image has none) and a seed for random fills."""
        erased = rng.random(n) < self.prob if self.prob < 1.0 else np.ones(n, bool)
        holes = self._holes(rng, n, height, width)
        real = (holes[..., 1] > holes[..., 0]) & (holes[..., 3] > holes[..., 2])
        kept = [holes[i][real[i]].tolist() if erased[i] else [] for i in range(n)]
        return {"holes": kept, "seed": draw_seed(rng)}

    def __call__(
        self,
        images: Any,
        labels: Any = None,
        *,
        masks: Any = None,
        rng: np.random.Generator | int | None = None,
        record: bool = False,
    ) -> tuple[Any, ...]:
        """Erase a batch; returns ``(images, labels[, masks][, record])`` (labels: an unchanged copy, or None)."""
        owner = type(self).__name__
        batch, checked_masks = self._check_erasing(owner, images, masks)
        own = self._own_rng
        generator = as_generator(owner, rng) if rng is not None or own is None else own
        params = self.sample(generator, batch.n, batch.height, batch.width)
        return self._erase_run(owner, batch, labels, checked_masks, params, record)

    def replay(self, record: dict[str, Any], images: Any, labels: Any = None, *, masks: Any = None) -> tuple[Any, ...]:
        """Apply a record from ``record=True`` again: same inputs give the same outputs, bit for bit."""
        owner = type(self).__name__
        if not isinstance(record, dict) or "params" not in record or "name" not in record:
            raise TargetError(
                f"{owner}.replay: argument 'record' expects the dict a record=True call returned; got {describe(record)}"
            )
        if record["name"] != owner:
            raise TargetError(f"{owner}.replay: the record was made by {record['name']!r}, not {owner!r}")
        batch, checked_masks = self._check_erasing(owner, images, masks)
        if list(record.get("shape", [])) != [batch.n, batch.height, batch.width]:
            raise TargetError(
                f"{owner}.replay: the record is for a batch of N, H, W = {record.get('shape')}; "
                f"got images with N, H, W = {[batch.n, batch.height, batch.width]}"
            )
        try:
            return self._erase_run(owner, batch, labels, checked_masks, record["params"], False)
        except (KeyError, TypeError, IndexError, ValueError) as error:
            if isinstance(error, TargetError):
                raise
            raise TargetError(
                f"{owner}.replay: the record's params do not fit this eraser ({type(error).__name__}: {error})"
            ) from None

    def _check_erasing(self, owner: str, images: Any, masks: Any) -> tuple[Batch, Masks | None]:
        batch = check_images(owner, images)
        return batch, None if masks is None else check_masks(owner, masks, batch, blends=False)

    def _erase_run(
        self, owner: str, batch: Batch, labels: Any, masks: Masks | None, params: dict[str, Any], record: bool
    ) -> tuple[Any, ...]:
        holes = _holes_array(params["holes"], batch.n, batch.height, batch.width)
        seed = int(params["seed"])
        images = erase(owner, self._fill_name(), batch.array, batch.first, holes, self._fill(), seed)
        out: list[Any] = [images, _copy_labels(labels)]
        if masks is not None:
            if self.fill_mask is None:
                out.append(_kernels.copy_batch(masks.array))
            else:
                out.append(erase(owner, "fill_mask", masks.array, masks.first, holes, self.fill_mask, seed))
        if record:
            out.append({"name": owner, "shape": [batch.n, batch.height, batch.width], "params": params})
        return tuple(out)


def _copy_labels(labels: Any) -> Any:
    """Labels are not changed by erasing; a copy keeps outputs from aliasing inputs."""
    if labels is None:
        return None
    if isinstance(labels, np.ndarray):
        return labels.copy()
    if is_torch(labels):
        require_torch("labels")
        return labels.clone()
    return copy.deepcopy(labels)


# ---------------------------------------------------------------------- the public erasers
class BatchCutout(_BatchErasing):
    """Cutout / coarse dropout on a batch: every image gets its own holes (``CoarseDropout`` semantics).

    Args:
        num_holes_range: how many holes per image, uniform in ``[min, max]`` (a single int is exact).
        hole_height_range, hole_width_range: hole sides, drawn independently per hole: floats are
            fractions of the image side in (0, 1] (``floor(u * side)``, at least 1 pixel), ints are
            pixels (uniform over ``[min, max]``, at most the side). Holes lie wholly inside the image
            (uniform position) and may overlap.
        fill: a number or one per channel (image units; rounded and clipped for uint8), or ``"random"``:
            standard normal noise for floating images, uniform 0..255 for uint8.
        fill_mask: the value masks get in the holes; None (default) returns masks unchanged.
        prob: the chance that each image is erased (independently per image).
        seed: makes the eraser own a generator that advances call by call; ``rng=`` overrides it.

    There is no ``p``: like every :class:`augkit.mix.BatchMixer`, ``prob`` is the per-image chance.
    Call and return values: see :mod:`augkit.mix.erasing` (labels come back unchanged). Random fills
    on host arrays (numpy, CPU tensors) are drawn hole by hole from the record's seed, so numpy and
    CPU torch agree exactly; on an accelerator the noise comes from a torch generator on the device
    seeded with the same seed (replay is exact, values differ from the host's).

    >>> import numpy as np
    >>> cut = BatchCutout(num_holes_range=(1, 3), hole_height_range=(2, 4), hole_width_range=0.5)
    >>> out, _, rec = cut(np.ones((4, 8, 8, 3), np.float32), rng=0, record=True)
    >>> [len(h) for h in rec["params"]["holes"]]  # one to three holes per image
    [2, 1, 1, 1]
    >>> again, _ = cut.replay(rec, np.ones((4, 8, 8, 3), np.float32))
    >>> bool((again == out).all())
    True
    """

    def __init__(
        self,
        num_holes_range: int | Sequence[int] = (1, 1),
        hole_height_range: float | Sequence[float] = (0.25, 0.25),
        hole_width_range: float | Sequence[float] = (0.25, 0.25),
        fill: float | Sequence[float] | str = 0,
        fill_mask: float | Sequence[float] | None = None,
        prob: float = 1.0,
        seed: int | None = None,
    ) -> None:
        owner = type(self).__name__
        self.num_holes_range = as_int_range(owner, "num_holes_range", num_holes_range, low=1)
        self.hole_height_range = as_hole_range(owner, "hole_height_range", hole_height_range)
        self.hole_width_range = as_hole_range(owner, "hole_width_range", hole_width_range)
        self.fill = as_erase_fill(owner, "fill", fill, ("random",))
        self._set_erasing(fill_mask, prob, seed)

    def _fill(self) -> Any:
        return self.fill

    def _holes(self, rng: np.random.Generator, n: int, height: int, width: int) -> np.ndarray:
        low, high = self.num_holes_range
        count = _uniform_int(rng.random(n), low, high)
        u = rng.random((4, n, high))
        h = _sides(u[0], self.hole_height_range, height)
        w = _sides(u[1], self.hole_width_range, width)
        top = _uniform_int(u[2], 0, height - h)
        left = _uniform_int(u[3], 0, width - w)
        holes = np.stack([top, top + h, left, left + w], axis=-1)
        holes[np.arange(high)[None, :] >= count[:, None]] = 0
        return holes


class BatchRandomErasing(_BatchErasing):
    """Random erasing on a batch (torchvision's ``RandomErasing``, Zhong et al. 2017), drawn per image.

    For each image, up to 10 attempts draw an area ``u * H * W`` (``u`` uniform in ``scale``) and an
    aspect ratio ``h / w = exp(v)`` (``v`` uniform in ``log(ratio)``); ``h = round(sqrt(area * ratio))``,
    ``w = round(sqrt(area / ratio))`` (half to even, as Python's ``round``). The first attempt with
    ``h < H`` and ``w < W`` is placed uniformly (top in ``[0, H - h]``, left in ``[0, W - w]``); when
    none fits the image is left unchanged. All attempts of all images are drawn at once on the host.

    Args:
        scale: range of the erased share of the image area, within [0, 1].
        ratio: range of the aspect ratio (drawn log-uniformly), > 0.
        value: a number or one per channel, or ``"random"`` (normal noise for floating images, as
            torchvision; uniform 0..255 for uint8).
        fill_mask, prob, seed: as for :class:`BatchCutout` (``prob`` is torchvision's ``p``, per image).

    >>> import numpy as np
    >>> erase = BatchRandomErasing(scale=(0.25, 0.25), ratio=(1.0, 1.0))
    >>> out, _ = erase(np.ones((2, 8, 8, 1), np.uint8), rng=0)
    >>> (out == 0).sum(axis=(1, 2, 3)).tolist()
    [16, 16]
    """

    def __init__(
        self,
        scale: float | Sequence[float] = (0.02, 0.33),
        ratio: float | Sequence[float] = (0.3, 3.3),
        value: float | Sequence[float] | str = 0,
        fill_mask: float | Sequence[float] | None = None,
        prob: float = 1.0,
        seed: int | None = None,
    ) -> None:
        owner = type(self).__name__
        self.scale = as_range(owner, "scale", scale, low=0.0, high=1.0)
        self.ratio = as_range(owner, "ratio", ratio, low=1e-6)
        self.value = as_erase_fill(owner, "value", value, ("random",))
        self._set_erasing(fill_mask, prob, seed)

    def _fill(self) -> Any:
        return self.value

    def _fill_name(self) -> str:
        return "value"

    def _holes(self, rng: np.random.Generator, n: int, height: int, width: int) -> np.ndarray:
        u = rng.random((4, n, ATTEMPTS))
        low, high = self.scale
        area = height * width * (low + (high - low) * u[0])
        log_low, log_high = math.log(self.ratio[0]), math.log(self.ratio[1])
        aspect = np.exp(log_low + (log_high - log_low) * u[1])
        h = np.rint(np.sqrt(area * aspect)).astype(np.int64)
        w = np.rint(np.sqrt(area / aspect)).astype(np.int64)
        fits = (h < height) & (w < width)
        pick = fits.argmax(axis=1)
        rows = np.arange(n)
        h, w = np.where(fits.any(axis=1), h[rows, pick], 0), np.where(fits.any(axis=1), w[rows, pick], 0)
        top = _uniform_int(u[2, :, 0], 0, height - h)
        left = _uniform_int(u[3, :, 0], 0, width - w)
        return np.stack([top, top + h, left, left + w], axis=-1)[:, None, :]
