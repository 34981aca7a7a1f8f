"""Pixel kernels shared by the mixers, for numpy arrays and torch tensors.

Every kernel takes host-side draws (numpy partner indices, weights, boxes) and never reads tensor
values back: on an accelerator the draws travel to the device as index/weight tensors.
``first`` is the index of the height axis (1 for numpy (N, H, W, C) and (N, H, W) masks, 2 for
torch (N, C, H, W)). Outputs are new arrays and inputs are never written, unless a kernel is
called with ``inplace=True`` (then the result is written into the input, which is returned).

On the CPU, contiguous uint8/float tensors are processed through zero-copy numpy views with the
numpy kernels (one pass per image, cache-friendly): uint8 blends by two byte-table lookups
(StringZilla) and an add, within one level of the exact blend (:func:`blend_uint8_tables`), float
blends by OpenCV; elsewhere the batched torch kernels run (uint8 rounded half to even).

>>> import numpy as np
>>> x = np.arange(8, dtype=np.float32).reshape(2, 2, 2, 1)
>>> blend(x, np.array([1, 0]), np.array([0.75, 1.0]), 1)[:, :, :, 0].tolist()
[[[1.0, 2.0], [3.0, 4.0]], [[4.0, 5.0], [6.0, 7.0]]]
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from augkit.image.functional import _lut
from augkit.mix._backend import to_device

__all__ = ["blend", "blend_paste", "blend_uint8_tables", "copy_batch", "paste_box_tensors", "paste_boxes", "paste_where"]

#: Route contiguous CPU tensors through numpy views (tests switch this off to check the torch kernels).
CPU_VIA_NUMPY = True

_BLEND_DTYPES = ("uint8", "float32", "float64")
_VIEW_DTYPES = ("uint8", "int8", "int16", "int32", "int64", "bool", "float16", "float32", "float64")


def _torch() -> Any:
    return sys.modules["torch"]


def _numpy_view(x: Any, *, for_blend: bool) -> np.ndarray | None:
    """A zero-copy numpy view of a CPU tensor the numpy kernels can take, else None."""
    if isinstance(x, np.ndarray):
        return x
    if not CPU_VIA_NUMPY or x.device.type != "cpu" or x.requires_grad or not x.is_contiguous():
        return None
    name = str(x.dtype).removeprefix("torch.")
    if name not in (_BLEND_DTYPES if for_blend else _VIEW_DTYPES):
        return None
    return x.numpy()


def _wrap(like: Any, array: np.ndarray) -> Any:
    return array if isinstance(like, np.ndarray) else _torch().from_numpy(array)


def copy_batch(x: Any) -> Any:
    """A contiguous copy that never aliases ``x`` (CPU tensors are copied through numpy, whose large
    allocations are cheaper to fault in than torch's)."""
    view = _numpy_view(x, for_blend=False)
    if view is not None:
        return _wrap(x, np.array(view, order="C", copy=True))
    return x.clone(memory_format=_torch().contiguous_format)


def _spatial_index(first: int, y0: int, y1: int, x0: int, x1: int) -> tuple[slice, ...]:
    return (slice(None),) * (first - 1) + (slice(y0, y1), slice(x0, x1))


def _key(head: Any, region: tuple[slice, ...]) -> tuple[Any, ...]:
    return (head, *region)


def _flat(batch: np.ndarray, first: int) -> tuple[np.ndarray, int]:
    """A C-contiguous batch with the width axis merged into the axes after it, and that merge factor:
    boxes of (N, H, W, C) images then copy rows 3x wider instead of C-element pieces."""
    inner = math.prod(batch.shape[first + 2 :])
    return batch.reshape((*batch.shape[: first + 1], -1)), inner


def _paste_flat(out: np.ndarray, x: np.ndarray, i: int, p: int, box: Sequence[int], first: int, inner: int) -> None:
    y0, y1, x0, x1 = box
    if y1 > y0 and x1 > x0:
        key = (slice(None),) * (first - 1) + (slice(y0, y1), slice(x0 * inner, x1 * inner))
        out[i][key] = x[p][key]


# ---------------------------------------------------------------------- blend
def blend(x: Any, partner: np.ndarray, weight: np.ndarray, first: int, *, inplace: bool = False) -> Any:
    """``w[i] * x[i] + (1 - w[i]) * x[partner[i]]``; w = 1 copies exactly.

    uint8 on the numpy route: within one level of the exact blend (see :func:`blend_uint8_tables`);
    the torch kernel rounds half to even. ``inplace=True`` writes the result into ``x`` and returns it.
    """
    return blend_paste(x, partner, weight, None, first, inplace=inplace)


def blend_paste(
    x: Any, partner: np.ndarray, weight: np.ndarray, boxes: np.ndarray | None, first: int, *, inplace: bool = False
) -> Any:
    """:func:`blend`, then :func:`paste_boxes`; on the numpy route both happen image by image in one pass.

    With ``inplace=True`` the result is written into ``x`` (every image reads its partner's original
    pixels) and ``x`` is returned.
    """
    blends = bool((weight < 1.0).any())
    view = _numpy_view(x, for_blend=blends)
    if view is not None and (not inplace or view.flags.writeable):
        mixed = _mix_numpy(view, partner, weight, boxes, first, inplace)
        return x if inplace else _wrap(x, mixed)
    if view is not None:  # a read-only numpy array cannot be written in place
        raise ValueError("inplace=True needs a writable array")
    if inplace:  # device tensors: mix into a new tensor, then copy back
        x.copy_(blend_paste(x, partner, weight, boxes, first))
        return x
    out = _blend_torch(x, partner, weight) if blends else copy_batch(x)
    return out if boxes is None else paste_boxes(out, x, partner, boxes, first)


def blend_uint8_tables(weight: float) -> tuple[np.ndarray, np.ndarray]:
    """The two byte tables of the uint8 blend: ``own[v] = rint(w * v)`` and ``other[v] = v - own[v]``.

    ``own[a] + other[b] = b + (own[a] - own[b])`` differs from ``w * a + (1 - w) * b`` by at most one
    level (each table entry is within 0.5 of its exact value), never leaves [0, 255], is exact when
    ``a == b`` (flat regions stay flat) and is monotone in both pixels.

    >>> own, other = blend_uint8_tables(0.25)
    >>> int(own[200] + other[200]), int(own[0] + other[255]), int(own[255] + other[0])
    (200, 191, 64)
    """
    own = np.rint(weight * np.arange(256, dtype=np.float64)).astype(np.uint8)
    return own, (np.arange(256, dtype=np.uint8) - own).astype(np.uint8)


def _inplace_order(partner: list[int], active: list[bool]) -> list[tuple[int, bool]]:
    """The order in which to write the active images of an in-place mix, each with a flag "save a copy
    first": an image is written after every image that reads it as a partner; in each cycle of the
    partner map one image is saved before it is written, and its readers take that copy.

    >>> _inplace_order([1, 2, 0], [True, True, True])
    [(0, True), (1, False), (2, False)]
    """
    n = len(partner)
    readers = [0] * n
    for i in range(n):
        if active[i]:
            readers[partner[i]] += 1
    done = [False] * n
    ready = [i for i in range(n) if active[i] and readers[i] == 0]
    order: list[tuple[int, bool]] = []
    save = False
    scan = 0
    while True:
        while ready:
            i = ready.pop()
            done[i] = True
            order.append((i, save))
            save = False
            j = partner[i]
            readers[j] -= 1
            if readers[j] == 0 and active[j] and not done[j]:
                ready.append(j)
        while scan < n and not (active[scan] and not done[scan]):
            scan += 1
        if scan == n:
            return order
        ready.append(scan)
        save = True


def _mix_numpy(
    x: np.ndarray, partner: np.ndarray, weight: np.ndarray, boxes: np.ndarray | None, first: int, inplace: bool
) -> np.ndarray:
    """Blend then paste, image by image; into a new array, or into ``x`` itself with ``inplace``."""
    if inplace and not x.flags.c_contiguous:
        np.copyto(x, _mix_numpy(x, partner, weight, boxes, first, False))
        return x
    x = np.ascontiguousarray(x)
    n = x.shape[0]
    partner_list, weight_list = partner.tolist(), weight.tolist()
    box_list = None if boxes is None else boxes.tolist()
    blends = [p != i and w < 1.0 for i, (p, w) in enumerate(zip(partner_list, weight_list, strict=True))]
    pastes = [
        box_list is not None and p != i and box_list[i][1] > box_list[i][0] and box_list[i][3] > box_list[i][2]
        for i, p in enumerate(partner_list)
    ]
    any_blend = any(blends)
    flat_x, inner = _flat(x, first)
    if inplace:
        out, flat_out = x, flat_x
    elif not any_blend:  # one copy of the whole batch, then the boxes (measured faster than image by image)
        out = x.copy()
        flat_out, _ = _flat(out, first)
    else:
        out = np.empty(x.shape, x.dtype)
        flat_out, _ = _flat(out, first)
    rows = x.shape[1]
    tables: dict[float, tuple[np.ndarray, np.ndarray]] = {}
    translate = _lut._translate
    use_cv = first == 1 and x.dtype.name in ("uint8", "float32")
    scratch = np.empty(x.shape[1:], np.uint8) if x.dtype == np.uint8 and any_blend and _lut_ready() else None

    lines_x, lines_out = x.reshape(n, -1), out.reshape(n, -1)
    line_scratch = None if scratch is None else scratch.reshape(-1)

    def write(i: int, source: np.ndarray, flat_source: np.ndarray) -> None:
        w = weight_list[i]
        if blends[i]:
            if w <= 0.0:
                out[i] = source
            elif line_scratch is not None and translate is not None:
                own, other = tables.get(w) or tables.setdefault(w, blend_uint8_tables(w))
                target = lines_out[i]
                translate(source.reshape(-1).data, other.data, out=line_scratch.data)
                translate(lines_x[i].data, own.data, out=target.data)
                np.add(target, line_scratch, out=target)  # never overflows (see blend_uint8_tables)
            else:
                cv2.addWeighted(x[i].reshape(rows, -1), w, source.reshape(rows, -1), 1.0 - w, 0.0, dst=out[i].reshape(rows, -1))
        elif not inplace and any_blend:
            np.copyto(lines_out[i], lines_x[i])
        if pastes[i] and box_list is not None:
            y0, y1, x0, x1 = box_list[i]
            key = (slice(None),) * (first - 1) + (slice(y0, y1), slice(x0 * inner, x1 * inner))
            if use_cv:  # OpenCV copies a strided block row by row with memcpy, faster than numpy here
                cv2.copyTo(flat_source[key], None, dst=flat_out[i][key])  # type: ignore[call-overload]
            else:
                flat_out[i][key] = flat_source[key]

    if not inplace:
        for i in range(n):
            write(i, x[partner_list[i]], flat_x[partner_list[i]])
        return out
    active = [b or q for b, q in zip(blends, pastes, strict=True)]
    saved: dict[int, np.ndarray] = {}
    for i, save in _inplace_order(partner_list, active):
        if save:
            saved[i] = x[i].copy()
        p = partner_list[i]
        source = saved.get(p, x[p])
        write(i, source, source.reshape(flat_x.shape[1:]))
    return out


def _lut_ready() -> bool:
    return _lut._translate is not None and _lut._TRANSLATE_TAKES_OUT


def _blend_torch(x: Any, partner: np.ndarray, weight: np.ndarray) -> Any:
    torch = _torch()
    device = x.device
    other = x.index_select(0, to_device(torch, partner, device))
    compute = x.dtype if x.is_floating_point() else torch.float32
    own_w: Any
    other_w: Any
    if np.all(weight == weight[0]):
        own_w, other_w = float(weight[0]), float(1.0 - weight[0])
    else:
        shape = (x.shape[0],) + (1,) * (x.ndim - 1)
        own_w = to_device(torch, weight.reshape(shape), device).to(compute)
        other_w = to_device(torch, (1.0 - weight).reshape(shape), device).to(compute)
    if x.is_floating_point():
        return (x * own_w).add_(other.mul_(other_w))
    mixed = (x.to(compute) * own_w).add_(other.to(compute).mul_(other_w))
    return mixed.round_().clamp_(0, 255).to(x.dtype)


# ---------------------------------------------------------------------- boxes
def paste_boxes(out: Any, x: Any, partner: np.ndarray, boxes: np.ndarray, first: int) -> Any:
    """Paste ``x[partner[i]]`` into ``out[i]`` inside box ``[y0, y1, x0, x1]``; returns the result (may be ``out``)."""
    n = boxes.shape[0]
    empty = (boxes[:, 1] <= boxes[:, 0]) | (boxes[:, 3] <= boxes[:, 2]) | (partner == np.arange(n))
    if empty.all():
        return out
    uniform = bool(np.all(boxes == boxes[0]))
    out_view = _numpy_view(out, for_blend=False)
    x_view = _numpy_view(x, for_blend=False)
    if out_view is not None and x_view is not None:  # image by image: no temporary for the gathered regions
        if out_view.flags.c_contiguous:
            flat_out, inner = _flat(out_view, first)
            flat_x, _ = _flat(np.ascontiguousarray(x_view), first)
        else:  # not reshapable without a copy: plain boxes
            flat_out, flat_x, inner = out_view, x_view, 1
        box_list, partner_list = boxes.tolist(), partner.tolist()
        for i in np.flatnonzero(~empty).tolist():
            _paste_flat(flat_out, flat_x, i, partner_list[i], box_list[i], first, inner)
        return out
    torch = _torch()
    index = to_device(torch, partner, x.device)
    if uniform:
        region = _spatial_index(first, *(int(v) for v in boxes[0]))
        out[_key(slice(None), region)] = x[_key(slice(None), region)].index_select(0, index)
        return out
    coords = [to_device(torch, np.ascontiguousarray(boxes[:, k]), x.device) for k in range(4)]
    return paste_box_tensors(out, x, index, *coords, first=first)


def paste_box_tensors(out: Any, x: Any, index: Any, y0: Any, y1: Any, x0: Any, x1: Any, *, first: int) -> Any:
    """Torch only: paste with per-image box corners held in device tensors (N,), via one masked select."""
    torch = _torch()
    n, height, width = x.shape[0], x.shape[first], x.shape[first + 1]
    rows = torch.arange(height, device=x.device)
    cols = torch.arange(width, device=x.device)
    inside_y = (rows >= y0[:, None]) & (rows < y1[:, None])
    inside_x = (cols >= x0[:, None]) & (cols < x1[:, None])
    take = inside_y[:, :, None] & inside_x[:, None, :]
    take = take.reshape((n,) + (1,) * (first - 1) + (height, width) + (1,) * (x.ndim - first - 2))
    return torch.where(take, x.index_select(0, index), out)


# ---------------------------------------------------------------------- masks
def _expand(mask: Any, element_ndim: int, first: int) -> Any:
    """A (H, W) mask shaped to broadcast against one element of the batch."""
    shape = (1,) * (first - 1) + tuple(mask.shape) + (1,) * (element_ndim - first - 1)
    return mask.reshape(shape)


def paste_where(out: Any, x: Any, partner: np.ndarray, take: Any, first: int) -> Any:
    """Where ``take[i]`` (bool (N or 1, H, W), numpy or device tensor) is True, ``out[i]`` gets ``x[partner[i]]``."""
    out_view = _numpy_view(out, for_blend=False)
    x_view = _numpy_view(x, for_blend=False)
    if isinstance(take, np.ndarray) and out_view is not None and x_view is not None:
        for i in range(x_view.shape[0]):
            p = int(partner[i])
            if p != i:
                np.copyto(out_view[i], x_view[p], where=_expand(take[i if take.shape[0] > 1 else 0], x_view.ndim - 1, first))
        return out
    torch = _torch()
    index = to_device(torch, partner, x.device)
    mask = to_device(torch, take, x.device) if isinstance(take, np.ndarray) else take.to(x.device)
    mask = mask.reshape((mask.shape[0],) + (1,) * (first - 1) + tuple(mask.shape[1:]) + (1,) * (x.ndim - first - 2))
    return torch.where(mask, x.index_select(0, index), out)
