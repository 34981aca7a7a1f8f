"""Property tests over random boxes and random pipelines of the registered spatial transforms.

Every geometric pipeline must keep boxes inside the image, keep each box around its object (drawn
into a mask that travels with the image) and move keypoints with their pixels.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import augkit as ak
from augkit.core.transform import SpatialTransform

SPATIAL = [cls for cls in ak.registered_classes() if issubclass(cls, SpatialTransform)]
HEIGHT, WIDTH = 48, 64


@st.composite
def scenes(draw: st.DrawFn) -> tuple[list[type], np.ndarray, tuple[float, float], int]:
    pipeline = draw(st.lists(st.sampled_from(SPATIAL), min_size=1, max_size=3))
    x1 = draw(st.integers(0, WIDTH - 6))
    y1 = draw(st.integers(0, HEIGHT - 6))
    x2 = draw(st.integers(x1 + 4, min(WIDTH, x1 + 30)))
    y2 = draw(st.integers(y1 + 4, min(HEIGHT, y1 + 30)))
    point = (float(draw(st.integers(2, WIDTH - 3))), float(draw(st.integers(2, HEIGHT - 3))))
    return pipeline, np.array([[x1, y1, x2, y2]], dtype=float), point, draw(st.integers(0, 2**31 - 1))


def _extent(mask: np.ndarray, value: int) -> np.ndarray | None:
    ys, xs = np.nonzero(mask == value)
    if len(xs) == 0:
        return None
    return np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], dtype=float)


@settings(max_examples=150, deadline=None)
@given(scenes())
def test_random_pipelines_keep_boxes_and_keypoints_on_their_pixels(scene: tuple) -> None:
    classes, box, point, seed = scene
    pipe = ak.Compose([cls.example().with_params(p=1.0) for cls in classes])
    image = np.random.default_rng(seed).integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)
    box_mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    x1, y1, x2, y2 = box[0].astype(int)
    box_mask[y1:y2, x1:x2] = 1
    dot = np.zeros((HEIGHT, WIDTH), np.uint8)
    px, py = int(point[0]), int(point[1])
    dot[py - 1 : py + 2, px - 1 : px + 2] = 1
    try:
        out = pipe(image=image, masks=[box_mask, dot], bboxes=box, labels=[1], keypoints=[point], rng=seed)
    except ak.TargetError as error:  # a fixed-size crop after a shrinking transform: not a valid scene
        assume("does not fit" not in str(error) and "leaves the image" not in str(error))
        raise
    height, width = out["image"].shape[:2]
    steps = len(classes)
    # boxes stay inside the image
    boxes = out["bboxes"]
    assert (boxes[:, :2] >= 0).all() and (boxes[:, 2] <= width).all() and (boxes[:, 3] <= height).all()
    extent = _extent(out["masks"][0], 1)
    if len(boxes) and extent is None:
        # the object's last pixels can vanish in resampling at the border; its box must be a sliver
        thinnest = min(boxes[0, 2] - boxes[0, 0], boxes[0, 3] - boxes[0, 1])
        assert thinnest <= 2.0 * steps, ("a box survived but its object left the image", boxes)
    elif len(boxes):
        # the box encloses its object, up to one pixel of resampling per transform; a later upscale
        # magnifies an earlier step's sub-pixel quantisation of the mask, so the slack grows with it
        grown = (boxes[0, 2] - boxes[0, 0]) * (boxes[0, 3] - boxes[0, 1]) / ((x2 - x1) * (y2 - y1))
        slack = steps * max(1.0, float(np.sqrt(grown)))
        assert (boxes[0, :2] <= extent[:2] + slack).all() and (boxes[0, 2:] >= extent[2:] - slack).all(), (boxes, extent)
    elif extent is not None:
        assert (extent[2] - extent[0]) * (extent[3] - extent[1]) <= 4 * steps, "a visible object lost its box"
    # the keypoint stays with its dot
    kx, ky = out["keypoints"][0, :2]
    blob = _extent(out["masks"][1], 1)
    if blob is not None and blob[0] > 0 and blob[1] > 0 and blob[2] < width and blob[3] < height:
        reach = 1.0 + 1.5 * steps
        assert blob[0] - reach <= kx <= blob[2] - 1 + reach and blob[1] - reach <= ky <= blob[3] - 1 + reach, (kx, ky, blob)
