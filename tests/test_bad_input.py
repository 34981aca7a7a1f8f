"""Every bad input the foundation issue lists gets a clear error: who, which target, expected, got."""

from __future__ import annotations

import numpy as np
import pytest

import augkit as ak

IMAGE = np.zeros((20, 30, 3), np.uint8)


def pipe(**settings: object) -> ak.Compose:
    return ak.Compose([ak.image.HorizontalFlip(p=1.0)], **settings)


@pytest.mark.parametrize("dtype", ["int64", "bool", "float16", "float64", "int8"])
def test_wrong_image_dtype(dtype: str) -> None:
    with pytest.raises(
        ak.TargetTypeError, match=rf"^Compose: target 'image' expects dtype uint8, uint16 or float32; got {dtype}"
    ):
        pipe()(image=np.zeros((4, 4, 3), dtype=dtype))


@pytest.mark.parametrize("shape", [(5,), (2, 3, 4, 5)])
def test_wrong_image_ndim(shape: tuple[int, ...]) -> None:
    with pytest.raises(
        ak.TargetError,
        match=rf"target 'image' expects a H x W or H x W x C array; got shape {shape}".replace("(", r"\(").replace(")", r"\)"),
    ):
        pipe()(image=np.zeros(shape, np.uint8))


@pytest.mark.parametrize("shape", [(0, 4, 3), (4, 0), (4, 4, 0)])
def test_empty_image(shape: tuple[int, ...]) -> None:
    with pytest.raises(ak.TargetError, match="target 'image' is empty"):
        pipe()(image=np.zeros(shape, np.uint8))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_in_float_image(bad: float) -> None:
    image = np.zeros((4, 4, 3), np.float32)
    image[1, 2, 0] = bad
    with pytest.raises(ak.TargetError, match="target 'image' contains NaN or infinite values"):
        pipe()(image=image)


def test_not_an_array() -> None:
    with pytest.raises(ak.TargetTypeError, match="target 'image' expects a numpy array; got list of length 2"):
        pipe()(image=[[1, 2], [3, 4]])


def test_box_with_x_min_greater_than_x_max() -> None:
    with pytest.raises(ak.TargetError, match=r"'bboxes' row 1 in format 'pascal_voc' has x_min > x_max or y_min > y_max"):
        pipe()(image=IMAGE, bboxes=[[1, 1, 5, 5], [9, 1, 4, 5]], labels=[0, 1])


def test_coco_box_with_negative_width() -> None:
    with pytest.raises(ak.TargetError, match=r"row 0 in format 'coco' has x_min > x_max"):
        pipe(bbox_format="coco")(image=IMAGE, bboxes=[[10, 1, -4, 5]], labels=[0])


def test_box_far_outside_the_image() -> None:
    with pytest.raises(
        ak.TargetError, match=r"'bboxes' row 0 lies wholly outside the 30x20 image.*Check bbox_format='pascal_voc'"
    ):
        pipe()(image=IMAGE, bboxes=[[100, 100, 140, 150]], labels=[0])


def test_absolute_boxes_given_as_yolo_are_caught() -> None:
    with pytest.raises(ak.TargetError, match="lies wholly outside"):
        pipe(bbox_format="yolo")(image=IMAGE, bboxes=[[15, 10, 8, 6]], labels=[0])


def test_box_with_nan() -> None:
    with pytest.raises(ak.TargetError, match="'bboxes' row 0 has a NaN"):
        pipe()(image=IMAGE, bboxes=[[np.nan, 1, 5, 5]], labels=[0])


def test_box_table_of_the_wrong_shape() -> None:
    with pytest.raises(ak.TargetError, match=r"'bboxes' expects an N x 4\+ table; got shape \(2, 3\)"):
        pipe()(image=IMAGE, bboxes=[[1, 1, 5], [1, 2, 3]])


def test_unknown_bbox_format() -> None:
    with pytest.raises(
        ak.ArgumentError,
        match=r"Compose: argument 'bbox_format' expects one of 'pascal_voc', 'coco', 'yolo', 'cxcywh'; got 'xyxy'",
    ):
        pipe(bbox_format="xyxy")


def test_mismatched_labels_length() -> None:
    with pytest.raises(ak.TargetError, match="Compose: target 'labels' has 1 entries but there are 2 boxes"):
        pipe()(image=IMAGE, bboxes=[[1, 1, 5, 5], [2, 2, 6, 6]], labels=["cat"])


def test_labels_without_boxes() -> None:
    with pytest.raises(ak.TargetError, match="target 'labels' was given without 'bboxes'"):
        pipe()(image=IMAGE, labels=["cat"])


def test_mask_of_another_size() -> None:
    with pytest.raises(ak.TargetError, match=r"target 'mask' has size 10x30 \(HxW\); expected the image size 20x30"):
        pipe()(image=IMAGE, mask=np.zeros((10, 30), np.uint8))


def test_masks_of_another_size() -> None:
    with pytest.raises(ak.TargetError, match="target 'masks' has size 20x31"):
        pipe()(image=IMAGE, masks=[np.zeros((20, 30), np.uint8), np.zeros((20, 31), np.uint8)])


def test_mask_of_a_bad_dtype() -> None:
    with pytest.raises(ak.TargetTypeError, match=r"target 'mask' expects dtype .*; got complex64"):
        pipe()(image=IMAGE, mask=np.zeros((20, 30), np.complex64))


def test_misspelled_target_is_not_silently_ignored() -> None:
    with pytest.raises(ak.TargetTypeError, match=r"Compose: unknown target 'mask_'\. Did you mean 'mask'"):
        pipe()(image=IMAGE, mask_=np.zeros((20, 30), np.uint8))


def test_boxes_without_an_image_or_mask() -> None:
    with pytest.raises(ak.TargetError, match="needs 'image', 'images', 'mask' or 'masks' to know the image size"):
        pipe()(bboxes=[[1, 1, 2, 2]])


def test_keypoints_with_nan() -> None:
    with pytest.raises(ak.TargetError, match="target 'keypoints' contains NaN"):
        pipe()(image=IMAGE, keypoints=[[1, np.nan]])


def test_frames_of_another_size() -> None:
    with pytest.raises(ak.TargetError, match="target 'images' has frames of size"):
        pipe()(image=IMAGE, images=np.zeros((2, 21, 30, 3), np.uint8))


def test_bad_constructor_values() -> None:
    with pytest.raises(ak.ArgumentError, match=r"RandomCrop: argument 'height' expects an integer >= 1; got -3"):
        ak.image.RandomCrop(-3, 4)
    with pytest.raises(ak.ArgumentError, match=r"RandomBrightnessContrast: argument 'brightness' expects .* min <= max; got"):
        ak.image.RandomBrightnessContrast(brightness=(0.3, 0.1))
    with pytest.raises(ak.ArgumentError, match="Resize: argument 'interpolation' expects one of"):
        ak.image.Resize(4, 4, interpolation="bilinear")
    with pytest.raises(ak.ArgumentError, match="Normalize: argument 'std' expects a number or a sequence of numbers > 0"):
        ak.image.Normalize(std=(0.2, 0.0, 0.1))


def test_crop_larger_than_the_image() -> None:
    with pytest.raises(ak.TargetError, match=r"RandomCrop: the crop 200x180 \(HxW\) does not fit in the image 20x30"):
        ak.Compose([ak.image.RandomCrop(200, 180)])(image=IMAGE)


def test_normalize_mean_and_std_of_different_lengths() -> None:
    with pytest.raises(ak.ArgumentError, match="Normalize: arguments 'mean' and 'std' expect the same length; got 3 and 2"):
        ak.image.Normalize(mean=(0.1, 0.2, 0.3), std=(0.5, 0.5))
