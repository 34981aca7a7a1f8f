"""Inputs for the contract suite: smooth, natural-looking images with matching masks, boxes and
keypoints drawn into them, so target consistency can be checked on the pixels themselves."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
