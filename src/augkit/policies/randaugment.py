"""RandAugment, TrivialAugmentWide and UniformAugment: random ops at a chosen (or random) magnitude.

The op ranges are torchvision's (``augkit.policies._ops.SPACES``): RandAugment and UniformAugment use
the standard ones (Shear 0.3, Translate 150/331 of the side, Rotate 30 degrees, enhance factors
1 +- 0.9, Posterize 8 -> 4 bits, Solarize threshold 1 -> 0), TrivialAugmentWide the wide ones
(Shear 0.99, Translate 32 px, Rotate 135 degrees, 1 +- 0.99, Posterize 8 -> 2 bits).

>>> import numpy as np
>>> from augkit.policies import RandAugment
>>> out = RandAugment(num_ops=2, magnitude=9)(image=np.zeros((32, 32, 3), np.uint8), rng=0, record=True)
>>> [step["op"] for step in out["applied"][0]["params"]["ops"]]
['Solarize', 'Contrast']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.targets import State
from augkit.core.validate import as_choice, as_float, as_int, as_probability
from augkit.policies._ops import SPACES
from augkit.policies.autoaugment import SpatialPolicy

__all__ = ["RAND_AUGMENT_OPS", "UNIFORM_AUGMENT_OPS", "RandAugment", "TrivialAugmentWide", "UniformAugment"]

#: The 14 ops of RandAugment (the paper's list, as torchvision) and of TrivialAugmentWide.
RAND_AUGMENT_OPS = (
    "Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast",
    "Sharpness", "Posterize", "Solarize", "AutoContrast", "Equalize",
)  # fmt: skip
#: UniformAugment's ops: AutoAugment's search space without Cutout and SamplePairing.
UNIFORM_AUGMENT_OPS = (
    "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "AutoContrast", "Invert", "Equalize", "Solarize",
    "Posterize", "Contrast", "Color", "Brightness", "Sharpness",
)  # fmt: skip
SCALES = ("torchvision", "paper")


class RandAugment(SpatialPolicy):
    """RandAugment (Cubuk et al. 2020): ``num_ops`` ops drawn uniformly with replacement, all at the
    same ``magnitude``, each with a random sign when the op has one.

    Args:
        num_ops: ops per image (N).
        magnitude: the shared magnitude (M), read on the ``scale``.
        num_magnitude_bins: the number of steps of torchvision's scale.
        magnitude_std: timm's ``mstd``: each op draws its magnitude from a normal law around
            ``magnitude`` with this deviation, clipped to the scale (0 keeps it fixed).
        scale: ``"torchvision"``: ``magnitude`` indexes ``num_magnitude_bins`` steps from 0 to the
            op's maximum, so M=9 of 31 bins is 9/30 = 0.3 of the maximum (Rotate 9 degrees);
            ``"paper"``: the paper's and timm's 0-10 scale, M=9 is 0.9 of the maximum (Rotate 27
            degrees; ``num_magnitude_bins`` is then unused). The op ranges are torchvision's on both
            scales. timm's ``rand-m9-n2`` also applies each op with probability 0.5
            (``op_probability=0.5``), uses Invert and SolarizeAdd (``ops=``), a 0.1-1.9 enhance range
            and a different Posterize scale.
        op_probability: probability of applying each drawn op (1 in the paper and torchvision).
        ops, exclude: the op names to draw from (default :data:`RAND_AUGMENT_OPS`; any name of
            ``augkit.policies.OPS``) and names to leave out (e.g. ``["ShearX", "Rotate"]`` for text).
        interpolation: ``"nearest"`` (torchvision's default, bit-exact with it), ``"linear"``, ``"cubic"``.
        fill, fill_mask: the value of pixels warped in from outside, for the image (its units, a
            number or one per channel) and the masks.

    Example:
        >>> import augkit as ak
        >>> from augkit.policies import RandAugment
        >>> timm_like = RandAugment(magnitude=9, magnitude_std=0.5, scale="paper", fill=128)
    """

    def __init__(
        self,
        num_ops: int = 2,
        magnitude: float = 9,
        num_magnitude_bins: int = 31,
        magnitude_std: float = 0.0,
        scale: str = "torchvision",
        op_probability: float = 1.0,
        ops: Sequence[str] | None = None,
        exclude: Sequence[str] = (),
        interpolation: str = "nearest",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.num_ops = as_int(owner, "num_ops", num_ops, low=0)
        self.num_magnitude_bins = as_int(owner, "num_magnitude_bins", num_magnitude_bins, low=2)
        self.scale = as_choice(owner, "scale", scale, SCALES)
        self._top = float(self.num_magnitude_bins - 1 if self.scale == "torchvision" else 10)
        self.magnitude = as_float(owner, "magnitude", magnitude, low=0.0, high=self._top)
        self.magnitude_std = as_float(owner, "magnitude_std", magnitude_std, low=0.0)
        self.op_probability = as_probability(owner, "op_probability", op_probability)
        self._store_common(RAND_AUGMENT_OPS, ops, exclude, interpolation, fill, fill_mask)

    def sample(self, rng: np.random.Generator, state: State) -> dict[str, Any]:
        names, space, top = self._op_names, SPACES[self._space_name], self._top
        steps = []
        for _ in range(self.num_ops):
            name = names[int(rng.integers(len(names)))]
            if self.op_probability < 1.0 and rng.random() >= self.op_probability:
                continue
            level = self.magnitude
            if self.magnitude_std > 0.0 and space[name] is not None:
                level = min(max(float(rng.normal(level, self.magnitude_std)), 0.0), top)
            steps.append(self._op(name, level / top, rng, state.height, state.width))
        return {"ops": steps}


class TrivialAugmentWide(SpatialPolicy):
    """TrivialAugment (Müller & Hutter 2021), torchvision's "wide" ranges: one op drawn uniformly and
    one of ``num_magnitude_bins`` magnitude steps drawn uniformly, per image.

    Args:
        num_magnitude_bins: steps from 0 to each op's maximum (31 as torchvision and the paper).
        ops, exclude, interpolation, fill, fill_mask: as for :class:`RandAugment`.

    Example:
        >>> from augkit.policies import TrivialAugmentWide
        >>> ta = TrivialAugmentWide(exclude=["Solarize"])
    """

    _space_name = "wide"

    def __init__(
        self,
        num_magnitude_bins: int = 31,
        ops: Sequence[str] | None = None,
        exclude: Sequence[str] = (),
        interpolation: str = "nearest",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        self.num_magnitude_bins = as_int(type(self).__name__, "num_magnitude_bins", num_magnitude_bins, low=2)
        self._store_common(RAND_AUGMENT_OPS, ops, exclude, interpolation, fill, fill_mask)

    def sample(self, rng: np.random.Generator, state: State) -> dict[str, Any]:
        names = self._op_names
        name = names[int(rng.integers(len(names)))]
        level = int(rng.integers(self.num_magnitude_bins)) / (self.num_magnitude_bins - 1)
        return {"ops": [self._op(name, level, rng, state.height, state.width)]}


class UniformAugment(SpatialPolicy):
    """UniformAugment (LingChen et al. 2020): ``num_ops`` ops drawn uniformly with replacement, each
    applied with probability ``op_probability`` at a magnitude drawn uniformly over its whole range
    (random sign for signed ops). No search, no hyperparameters to tune.

    Args:
        num_ops: ops drawn per image (2 in the paper).
        op_probability: probability of applying each (0.5: the paper's per-op probability drawn from
            U(0, 1) has this mean).
        ops, exclude, interpolation, fill, fill_mask: as for :class:`RandAugment` (default
            :data:`UNIFORM_AUGMENT_OPS`; the paper's Cutout is left to ``augkit.image.CoarseDropout``).

    Example:
        >>> from augkit.policies import UniformAugment
        >>> ua = UniformAugment(exclude=["Invert"])
    """

    def __init__(
        self,
        num_ops: int = 2,
        op_probability: float = 0.5,
        ops: Sequence[str] | None = None,
        exclude: Sequence[str] = (),
        interpolation: str = "nearest",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.num_ops = as_int(owner, "num_ops", num_ops, low=0)
        self.op_probability = as_probability(owner, "op_probability", op_probability)
        self._store_common(UNIFORM_AUGMENT_OPS, ops, exclude, interpolation, fill, fill_mask)

    def sample(self, rng: np.random.Generator, state: State) -> dict[str, Any]:
        names = self._op_names
        steps = []
        for _ in range(self.num_ops):
            name = names[int(rng.integers(len(names)))]
            if rng.random() < self.op_probability:
                steps.append(self._op(name, float(rng.random()), rng, state.height, state.width))
        return {"ops": steps}
