"""Bad inputs to the mixers raise clear errors: who, which argument or target, what was expected, what came."""

from __future__ import annotations

import numpy as np
import pytest

import augkit as ak
from augkit.mix import CutMix, FMix, Mix, MixUp, ResizeMix, SaliencyMix

IMAGES = np.zeros((3, 8, 10, 3), np.uint8)
LABELS = np.array([0, 1, 2])


@pytest.mark.parametrize(
    "build, message",
    [
        (
            lambda: MixUp(alpha=0.0),
            r"^MixUp: argument 'alpha' expects a number > 0 \(the Beta\(alpha, alpha\) parameter\); got 0.0",
        ),
        (
            lambda: CutMix(alpha=-1),
            r"^CutMix: argument 'alpha' expects a number > 0 \(the Beta\(alpha, alpha\) parameter\); got -1",
        ),
        (lambda: FMix(alpha=float("nan")), r"^FMix: argument 'alpha' expects a number > 0 .*; got nan"),
        (lambda: SaliencyMix(alpha=0), r"^SaliencyMix: argument 'alpha' expects a number > 0"),
        (lambda: Mix(mixup_alpha=0, cutmix_alpha=0), r"^Mix: both methods are off"),
        (
            lambda: Mix(mixup_alpha=-0.5),
            r"^Mix: argument 'mixup_alpha' expects a number >= 0 \(0 turns the method off\); got -0.5",
        ),
        (
            lambda: Mix(cutmix_minmax=(0.5, 0.2)),
            r"^Mix: argument 'cutmix_minmax' expects None or a \(min, max\) pair with 0 < min <= max <= 1",
        ),
        (lambda: Mix(mode="pairs"), r"^Mix: argument 'mode' expects one of 'batch', 'pair', 'elem'; got 'pairs'"),
        (lambda: Mix(partner="roll"), r"^Mix: argument 'partner' expects one of 'permutation', 'flip'; got 'roll'"),
        (lambda: Mix(label_smoothing=1.0), r"^Mix: argument 'label_smoothing' expects a number in \[0, 1\); got 1.0"),
        (lambda: Mix(num_classes=0), r"^Mix: argument 'num_classes' expects an integer >= 1; got 0"),
        (lambda: Mix(prob=1.5), r"^Mix: argument 'prob' expects a probability in \[0, 1\]; got 1.5"),
        (lambda: Mix(seed=-2), r"^Mix: argument 'seed' expects an integer >= 0 or None; got -2"),
        (lambda: MixUp(alpah=1.0), r"^MixUp: unknown argument 'alpah'. Did you mean 'alpha'\? Valid arguments: alpha, prob"),
        (lambda: ResizeMix(scale=(0.9, 0.2)), r"^ResizeMix: argument 'scale' expects"),
        (lambda: ResizeMix(mode="pair"), r"^ResizeMix: argument 'mode' expects one of 'batch', 'elem'"),
    ],
)
def test_bad_arguments(build, message: str) -> None:
    with pytest.raises(ak.ArgumentError, match=message):
        build()


@pytest.mark.parametrize(
    "images, labels, error, message",
    [
        (
            np.zeros((8, 10, 3), np.uint8),
            LABELS,
            ak.TargetError,
            r"^Mix: target 'images' expects a numpy array of shape \(N, H, W, C\)",
        ),
        (
            np.zeros((3, 8, 10, 3), np.int16),
            LABELS,
            ak.TargetTypeError,
            r"^Mix: target 'images' expects dtype uint8, float32 or float64; got int16",
        ),
        ([[1, 2]], LABELS, ak.TargetTypeError, r"^Mix: target 'images' expects a numpy array \(N, H, W, C\) or a torch tensor"),
        (np.zeros((0, 8, 10, 3), np.uint8), np.zeros(0, int), ak.TargetError, r"^Mix: target 'images' is empty"),
        (IMAGES, np.array([0, 1]), ak.TargetError, r"^Mix: target 'labels' has 2 rows but 'images' holds 3 images"),
        (
            IMAGES,
            np.array([0, 1, 5]),
            ak.TargetError,
            r"^Mix: target 'labels' expects class indices in \[0, 3\) for num_classes=3; got 5 at row 2",
        ),
        (IMAGES, np.array([0, -1, 2]), ak.TargetError, r"expects class indices in \[0, 3\).*got -1 at row 1"),
        (
            IMAGES,
            np.array([0.0, 1.0, 2.0]),
            ak.TargetTypeError,
            r"^Mix: target 'labels' of shape \(N,\) expects integer class indices; got dtype float64",
        ),
        (IMAGES, np.array([[0.5, np.nan, 0.5]] * 3), ak.TargetError, r"^Mix: target 'labels' contains NaN or infinite values"),
        (IMAGES, np.ones((3, 4)) / 4, ak.TargetError, r"^Mix: target 'labels' has 4 columns but num_classes=3"),
        (
            IMAGES,
            np.zeros((3, 1, 1)),
            ak.TargetError,
            r"^Mix: target 'labels' expects class indices \(N,\) or soft targets \(N, K\); got shape \(3, 1, 1\)",
        ),
    ],
)
def test_bad_targets(images, labels, error, message: str) -> None:
    with pytest.raises(error, match=message):
        Mix(num_classes=3)(images, labels, rng=0)


def test_index_labels_need_num_classes() -> None:
    with pytest.raises(ak.TargetError, match=r"^MixUp: class-index labels need the number of classes; pass num_classes=K"):
        MixUp()(IMAGES, LABELS)


def test_bad_masks_and_missing_targets() -> None:
    with pytest.raises(
        ak.TargetError, match=r"^CutMix: target 'masks' expects \(N, H, W\) class maps or \(N, H, W, K\) soft maps"
    ):
        CutMix()(IMAGES, masks=np.zeros((3, 8, 9), np.int64))
    with pytest.raises(ak.TargetTypeError, match=r"^CutMix: target 'masks' of shape \(3, 8, 10, 2\) expects float soft maps"):
        CutMix()(IMAGES, masks=np.zeros((3, 8, 10, 2), np.int64))
    with pytest.raises(ak.TargetError, match=r"^CutMix: needs 'labels' \(class indices or soft targets\) or 'masks'"):
        CutMix()(IMAGES)
    with pytest.raises(ak.ArgumentError, match=r"^Mix: argument 'rng' expects a numpy.random.Generator"):
        Mix(num_classes=3)(IMAGES, LABELS, rng="seed")


def test_bad_replay_records() -> None:
    _, _, record = Mix(num_classes=3)(IMAGES, LABELS, rng=0, record=True)
    with pytest.raises(ak.TargetError, match=r"^MixUp.replay: the record was made by 'Mix', not 'MixUp'"):
        MixUp(num_classes=3).replay(record, IMAGES, LABELS)
    with pytest.raises(ak.TargetError, match=r"^Mix.replay: the record is for a batch of N, H, W = \[3, 8, 10\]"):
        Mix(num_classes=3).replay(record, IMAGES[:2], LABELS[:2])
    broken = {**record, "params": {**record["params"], "partner": [0, 7, 1]}}
    with pytest.raises(ak.TargetError, match=r"^Mix.replay: the record's params do not fit this mixer"):
        Mix(num_classes=3).replay(broken, IMAGES, LABELS)
