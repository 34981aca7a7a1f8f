"""Automatic augmentation policies: AutoAugment, RandAugment, TrivialAugmentWide, UniformAugment and
AugMix (+ its Jensen-Shannon loss), as ordinary augkit transforms.

Each policy is one registered transform: it composes in ``augkit.Compose``, serializes, records the
ops and magnitudes it applied (``record=True``) and replays them exactly. Geometric ops move masks,
boxes and keypoints with the image (AugMix, which blends differently warped copies, takes images
only). Calls on a frame stack (``images=``) share one draw, as video frames should; ``apply_batch``
draws independently for every sample of a batch.

The ops and their ranges follow torchvision v2 (checked against its outputs: ``interpolation="nearest"``
warps and the pixel ops match it on uint8, Color and ``"linear"`` warps within one level); RandAugment's
``scale`` also reads magnitudes on the paper's/timm's 0-10 scale. ``ops=``/``exclude=`` choose the ops
(``augkit.policies.OPS``), e.g. to leave out those that would change the label of your data.
Images: uint8 or float32 in [0, 1], 1 or 3 channels; ``apply_op`` is the op kernel on its own.

>>> import numpy as np
>>> from augkit.policies import RandAugment
>>> policy = RandAugment(num_ops=2, magnitude=9, exclude=["Solarize"])
>>> out = policy(image=np.zeros((32, 32, 3), np.uint8), bboxes=[[4, 4, 20, 20]], labels=[1], rng=0)
>>> sorted(out)
['bboxes', 'image', 'labels']
"""

from __future__ import annotations

from augkit.policies._ops import GEOMETRIC_OPS, OPS, apply_op
from augkit.policies.augmix import AUGMIX_ALL_OPS, AUGMIX_OPS, AugMix, augmix_jsd_loss
from augkit.policies.autoaugment import AUTOAUGMENT_POLICIES, AutoAugment, Policy, SpatialPolicy
from augkit.policies.randaugment import RAND_AUGMENT_OPS, UNIFORM_AUGMENT_OPS, RandAugment, TrivialAugmentWide, UniformAugment

__all__ = [
    "AUGMIX_ALL_OPS",
    "AUGMIX_OPS",
    "AUTOAUGMENT_POLICIES",
    "GEOMETRIC_OPS",
    "OPS",
    "RAND_AUGMENT_OPS",
    "UNIFORM_AUGMENT_OPS",
    "AugMix",
    "AutoAugment",
    "Policy",
    "RandAugment",
    "SpatialPolicy",
    "TrivialAugmentWide",
    "UniformAugment",
    "apply_op",
    "augmix_jsd_loss",
]
