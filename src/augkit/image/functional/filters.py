"""Sharpening and segmentation kernels: sharpen, emboss, unsharp mask and superpixels.

Images are H x W or H x W x C (uint8, uint16 or float32 in [0, 1]; any channel count); every kernel
returns a new C-contiguous array of the same dtype and shape. 3 x 3 kernels reflect at the borders
without repeating the edge pixel (OpenCV's default).

>>> import numpy as np
>>> sharpen(np.full((3, 3), 100, np.uint8), alpha=0.5, lightness=1.0).tolist()[1]
[100, 100, 100]
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from augkit.image.functional._cv import CV_MAX_CHANNELS, by_channel_groups
from augkit.image.functional._lut import max_value
from augkit.image.functional.blur import _from_float, convolve, gaussian_blur

__all__ = [
    "emboss",
    "emboss_kernel",
    "sharpen",
    "sharpen_kernel",
    "slic",
    "superpixel_labels",
    "superpixels",
    "unsharp_mask",
]

_IDENTITY = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], np.float64)
_CV_DEPTHS = {"uint8": cv2.CV_8U, "uint16": cv2.CV_16U, "float32": cv2.CV_32F}


def sharpen_kernel(alpha: float, lightness: float) -> np.ndarray:
    """``(1 - alpha) * identity + alpha * L``, ``L`` the Laplacian-like ``[[-1]*3, [-1, 8 + lightness, -1], [-1]*3]``.

    Its weights sum to ``1 - alpha + alpha * lightness``: ``lightness=1`` keeps the mean brightness.

    >>> sharpen_kernel(1.0, 1.0)[1].tolist()
    [-1.0, 9.0, -1.0]
    """
    effect = np.full((3, 3), -1.0)
    effect[1, 1] = 8.0 + lightness
    return ((1.0 - alpha) * _IDENTITY + alpha * effect).astype(np.float32)


def sharpen(image: np.ndarray, alpha: float, lightness: float) -> np.ndarray:
    """Sharpen with :func:`sharpen_kernel` (``alpha=0`` returns a copy).

    Computed as ``(1 + alpha * (8 + lightness)) * image - alpha * sum3x3(image)``: an exact box sum in
    float32 and one weighted add (faster than a 9-tap ``cv2.filter2D``; the same within rounding).
    """
    if alpha == 0:
        return np.ascontiguousarray(image).copy()
    centre = 1.0 + alpha * (8.0 + lightness)

    def run(a: np.ndarray) -> np.ndarray:
        total = cv2.boxFilter(a, cv2.CV_32F, (3, 3), normalize=False, borderType=cv2.BORDER_REFLECT_101)
        return cv2.addWeighted(a, centre, total, -alpha, 0.0, dtype=_CV_DEPTHS[a.dtype.name])

    out = by_channel_groups(run, image, CV_MAX_CHANNELS)
    if out.dtype == np.float32:
        np.clip(out, 0.0, 1.0, out=out)
    return out


def emboss_kernel(alpha: float, strength: float) -> np.ndarray:
    """``(1 - alpha) * identity + alpha * E``, ``E = [[-1-s, -s, 0], [-s, 1, s], [0, s, 1+s]]`` (sums to 1).

    >>> emboss_kernel(1.0, 0.5).tolist()
    [[-1.5, -0.5, 0.0], [-0.5, 1.0, 0.5], [0.0, 0.5, 1.5]]
    """
    s = strength
    effect = np.array([[-1.0 - s, -s, 0.0], [-s, 1.0, s], [0.0, s, 1.0 + s]])
    return ((1.0 - alpha) * _IDENTITY + alpha * effect).astype(np.float32)


def emboss(image: np.ndarray, alpha: float, strength: float) -> np.ndarray:
    """Emboss with :func:`emboss_kernel` (``alpha=0`` returns a copy)."""
    return convolve(image, emboss_kernel(alpha, strength))


def unsharp_mask(image: np.ndarray, ksize: int, sigma: float, alpha: float, threshold: float) -> np.ndarray:
    """Unsharp masking with a soft threshold (Albumentations' definition).

    With ``G`` the Gaussian blur (:func:`gaussian_blur` with ``ksize``, ``sigma``), the residual
    ``r = image - G(image)`` and the mask ``m = |r| > threshold`` (``threshold`` in 8-bit units, scaled
    to the dtype's range): ``out = image + G(m) * (clip(image + alpha * r) - image)``. Computed in
    float32, then rounded (integer dtypes) and saturated.

    >>> unsharp_mask(np.full((5, 5), 80, np.uint8), 3, 0.0, 0.5, 10)[2].tolist()
    [80, 80, 80, 80, 80]
    """
    top = max_value(image.dtype)
    values = image.astype(np.float32)
    blurred = gaussian_blur(values, ksize, sigma)
    residual = np.subtract(values, blurred, out=blurred)
    mask = (np.abs(residual) > np.float32(threshold * top / 255.0)).astype(np.float32)
    soft = gaussian_blur(mask, ksize, sigma)
    residual *= np.float32(alpha)
    residual += values
    np.clip(residual, 0.0, top, out=residual)  # the sharpened image
    residual -= values
    residual *= soft
    residual += values
    return _from_float(residual, image.dtype)


# ---------------------------------------------------------------------------------------------- superpixels
def _slic_features(image: np.ndarray) -> np.ndarray:
    """Per-pixel colour features on a 0-100 scale: CIE Lab for 3 channels (RGB assumed), otherwise the
    intensities scaled so that squared distances average over the channels."""
    unit = image.astype(np.float32)
    if image.dtype != np.float32:
        unit *= np.float32(1.0 / max_value(image.dtype))
    if unit.ndim == 2:
        unit = unit[:, :, None]
    if unit.shape[2] == 3:
        return cv2.cvtColor(unit, cv2.COLOR_RGB2Lab)
    unit *= np.float32(100.0 / math.sqrt(unit.shape[2]))
    return unit


def slic(image: np.ndarray, n_segments: int, compactness: float = 10.0, iterations: int = 10) -> np.ndarray:
    """SLIC superpixels (Achanta et al. 2012), vectorized: labels ``0 .. L-1`` as an int32 H x W array.

    Cluster centres start on a regular grid of about ``n_segments`` cells of side ``S``; each pass
    assigns every pixel to the nearest of the 9 centres of its own and the neighbouring grid cells,
    with distance ``d_colour^2 + (compactness / S)^2 * d_xy^2`` (colour in CIE Lab for RGB images),
    then moves each centre to the mean of its pixels. Finally every connected piece becomes its own
    segment and pieces under a quarter of the mean segment size join their largest neighbour.

    >>> labels = slic(np.repeat(np.array([[0] * 8 + [255] * 8], np.uint8), 16, axis=0), 2)
    >>> len(np.unique(labels)), bool((labels[:, :8] == labels[0, 0]).all())
    (2, True)
    """
    from scipy.sparse import coo_matrix  # imported on first use: scipy.sparse takes 0.1 s to import

    features = _slic_features(image)
    height, width, depth = features.shape
    grid_y = max(1, min(height, round(math.sqrt(max(1, n_segments) * height / width))))
    grid_x = max(1, min(width, round(max(1, n_segments) / grid_y)))
    count = grid_y * grid_x
    step = math.sqrt(height * width / count)
    # features plus position scaled so that plain squared distances are the SLIC distance
    scale = compactness / step
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32) * np.float32(scale)
    points = np.concatenate([features, yy[:, :, None], xx[:, :, None]], axis=2).reshape(height * width, depth + 2)
    # group the pixels by their grid cell: the pixels of a cell share the same 9 candidate centres
    cell_y, cell_x = np.arange(height) * grid_y // height, np.arange(width) * grid_x // width
    home = (cell_y[:, None] * grid_x + cell_x[None, :]).ravel()
    order = np.argsort(home, kind="stable")
    home_sorted = home[order]
    members = np.bincount(home, minlength=count)
    rank = np.arange(home.size) - np.repeat(np.cumsum(members) - members, members)
    blocks = np.zeros((count, int(members.max()), depth + 2), np.float32)
    blocks[home_sorted, rank] = points[order]
    gy, gx = np.divmod(np.arange(count), grid_x)
    neighbours = np.stack(
        [np.clip(gy + oy, 0, grid_y - 1) * grid_x + np.clip(gx + ox, 0, grid_x - 1) for oy in (-1, 0, 1) for ox in (-1, 0, 1)],
        axis=1,
    )  # (cells, 9)
    centre_rows = np.rint((np.arange(grid_y) + 0.5) * height / grid_y - 0.5).astype(int)
    centre_cols = np.rint((np.arange(grid_x) + 0.5) * width / grid_x - 0.5).astype(int)
    centres = points.reshape(height, width, -1)[centre_rows[:, None], centre_cols[None, :]].reshape(count, -1)
    pixels = points[order]
    labels_sorted = home_sorted
    for _ in range(iterations):
        candidates = centres[neighbours]  # (cells, 9, features)
        # |p - c|^2 = |p|^2 - 2 p.c + |c|^2; |p|^2 is the same for every candidate of a pixel
        products = np.matmul(blocks, candidates.transpose(0, 2, 1))  # (cells, slots, 9)
        distance = np.einsum("ckf,ckf->ck", candidates, candidates)[:, None, :] - 2.0 * products
        choice = neighbours[np.arange(count)[:, None], distance.argmin(axis=2)]  # (cells, slots)
        labels_sorted = choice[home_sorted, rank]
        one_hot = coo_matrix((np.ones(home.size, np.float32), (labels_sorted, np.arange(home.size))), shape=(count, home.size))
        sums = one_hot.tocsr() @ pixels
        sizes = np.bincount(labels_sorted, minlength=count)
        filled = sizes > 0
        centres[filled] = sums[filled] / sizes[filled, None]
    labels = np.empty(home.size, np.intp)
    labels[order] = labels_sorted
    labels = labels.reshape(height, width)
    return _connected_segments(labels, max(1, height * width // (4 * count)))


def _connected_segments(labels: np.ndarray, min_size: int) -> np.ndarray:
    """Split labels into 4-connected pieces, merge pieces below ``min_size`` into their largest
    neighbour, and number the result ``0 .. L-1``."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    height, width = labels.shape
    index = np.arange(height * width).reshape(height, width)
    same_x = labels[:, :-1] == labels[:, 1:]
    same_y = labels[:-1, :] == labels[1:, :]
    src = np.concatenate([index[:, :-1][same_x], index[:-1, :][same_y]])
    dst = np.concatenate([index[:, 1:][same_x], index[1:, :][same_y]])
    graph = coo_matrix((np.ones(src.size, np.int8), (src, dst)), shape=(height * width, height * width))
    _, pieces = connected_components(graph, directed=False)
    pairs_a = np.concatenate([index[:, :-1].ravel(), index[:-1, :].ravel()])
    pairs_b = np.concatenate([index[:, 1:].ravel(), index[1:, :].ravel()])
    for _ in range(4):
        sizes = np.bincount(pieces)
        small = sizes < min_size
        if not small.any() or small.all():
            break
        a, b = pieces[pairs_a], pieces[pairs_b]
        border = a != b
        a, b = np.concatenate([a[border], b[border]]), np.concatenate([b[border], a[border]])
        keep = small[a]
        a, b = a[keep], b[keep]
        if a.size == 0:
            break
        order = np.lexsort((-sizes[b], a))  # by piece, largest neighbour first
        first = np.unique(a[order], return_index=True)[1]
        target = np.arange(sizes.size)
        target[a[order][first]] = b[order][first]
        pieces = target[pieces]
    return np.unique(pieces, return_inverse=True)[1].reshape(height, width).astype(np.int32)


def superpixel_labels(image: np.ndarray, n_segments: int, max_size: int | None = 128) -> np.ndarray:
    """:func:`slic` labels (int32, H x W) computed on a copy shrunk (area interpolation) so that its
    longer side is at most ``max_size`` (``None``: full size), then scaled back by nearest neighbour."""
    height, width = image.shape[:2]
    small = image
    if max_size is not None and max(height, width) > max_size:
        scale = max_size / max(height, width)
        size = (max(1, int(width * scale)), max(1, int(height * scale)))
        small = by_channel_groups(lambda a: cv2.resize(a, size, interpolation=cv2.INTER_AREA), image, CV_MAX_CHANNELS)
    labels = slic(small, n_segments)
    if small is image:
        return labels
    rows = np.arange(height) * labels.shape[0] // height
    cols = np.arange(width) * labels.shape[1] // width
    return labels[rows[:, None], cols[None, :]]


def superpixels(image: np.ndarray, n_segments: int, p_replace: float, seed: int, max_size: int | None = 128) -> np.ndarray:
    """Replace a random fraction of the superpixels by their mean colour.

    Segments come from :func:`superpixel_labels`; each is replaced with probability ``p_replace``
    (draws from ``numpy.random.default_rng(seed)``, one per segment in label order). Means are taken
    on the full-size image and rounded for integer dtypes; other segments keep their pixels.

    >>> image = np.repeat(np.array([[10] * 8 + [200] * 8], np.uint8), 16, axis=0)
    >>> bool((superpixels(image, 2, 1.0, seed=0) == image).all())
    True
    """
    labels = superpixel_labels(image, n_segments, max_size)
    count = int(labels.max()) + 1
    replace = np.random.default_rng(seed).random(count) < p_replace
    out = np.ascontiguousarray(image).copy()
    if not replace.any():
        return out
    flat = labels.ravel()
    pixels = out.reshape(flat.size, -1)
    chosen = replace[flat]
    members = flat[chosen]  # means of the replaced segments only
    sizes = np.maximum(np.bincount(members, minlength=count), 1)
    selected = pixels[chosen]
    means = np.stack(
        [np.bincount(members, weights=selected[:, c], minlength=count) / sizes for c in range(pixels.shape[1])], axis=1
    )
    if image.dtype != np.float32:
        np.floor(means + 0.5, out=means)
        np.clip(means, 0.0, max_value(image.dtype), out=means)
    pixels[chosen] = means.astype(image.dtype)[members]
    return out
