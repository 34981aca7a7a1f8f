"""Batch mixing for classification and segmentation: MixUp, CutMix and friends, with soft targets.

Mixers take a batch (numpy (N, H, W, C) or torch (N, C, H, W) on any device) and labels (class
indices or soft targets) and return the mixed batch with (N, K) float soft targets. Draws happen on
the host from an explicit ``rng``; the torch path never synchronises with the device.
``import augkit.mix`` does not import torch: the losses and the DataLoader collate load it lazily.

Detection and instance mixing work on whole samples (dicts with ``image``, ``bboxes`` and label
fields, ``masks``, ``mask``, ``keypoints``): ``Mosaic``, ``DetectionMixUp`` and ``CopyPaste`` take a
list of samples and return one; ``InstaBoost`` is a registered transform for one sample (usable in
``augkit.Compose``).

>>> import numpy as np
>>> from augkit.mix import Mix
>>> images, targets = Mix(num_classes=10)(np.zeros((8, 32, 32, 3), np.uint8), np.arange(8), rng=0)
>>> targets.shape
(8, 10)
"""

from __future__ import annotations

from typing import Any

from augkit.mix._base import BatchMixer
from augkit.mix.collate import MixCollate
from augkit.mix.copy_paste import CopyPaste
from augkit.mix.cutmix import CutMix
from augkit.mix.detection import DetectionMixUp
from augkit.mix.erasing import BatchCutout, BatchRandomErasing
from augkit.mix.instaboost import InstaBoost
from augkit.mix.mixing import Mix
from augkit.mix.mixup import MixUp
from augkit.mix.mosaic import Mosaic
from augkit.mix.rmix import RMix
from augkit.mix.saliency import FMix, ResizeMix, SaliencyMix, spectral_residual_saliency

__all__ = [
    "BatchCutout",
    "BatchMixer",
    "BatchRandomErasing",
    "CopyPaste",
    "CutMix",
    "DetectionMixUp",
    "FMix",
    "InstaBoost",
    "Mix",
    "MixCollate",
    "MixUp",
    "MixedTargets",
    "Mosaic",
    "RMix",
    "ResizeMix",
    "SaliencyMix",
    "SoftTargetCrossEntropy",
    "mix_criterion",
    "mixed_targets",
    "spectral_residual_saliency",
]

_LAZY = {"SoftTargetCrossEntropy", "mix_criterion", "mixed_targets", "MixedTargets"}


def __getattr__(name: str) -> Any:
    """The losses need torch, so they load on first use."""
    if name in _LAZY:
        from augkit.mix import losses

        return getattr(losses, name)
    raise AttributeError(f"module 'augkit.mix' has no attribute {name!r}")
