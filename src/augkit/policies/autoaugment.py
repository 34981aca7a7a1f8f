"""AutoAugment (Cubuk et al. 2019) with the three published policies, as torchvision ships them,
and :class:`Policy` / :class:`SpatialPolicy`, the bases the policies of this package share.

A policy is 25 sub-policies of two ops, each op with a probability and a magnitude step out of 10
(step ``m`` is ``m / 9`` of the op's maximum, torchvision's reading; the original TensorFlow code
used ``m / 10`` and a different Posterize scale). The ImageNet list keeps its duplicated
sub-policies, so they are drawn more often, as in torchvision.

>>> import numpy as np
>>> from augkit.policies import AutoAugment
>>> out = AutoAugment("cifar10")(image=np.zeros((32, 32, 3), np.uint8), rng=1, record=True)
>>> out["applied"][0]["params"]["sub_policy"]
11
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, TargetError, describe
from augkit.core.registry import suggest
from augkit.core.rng import as_generator
from augkit.core.targets import State, check_image
from augkit.core.transform import BaseTransform, SpatialTransform, Transform
from augkit.core.validate import as_bool, as_choice, as_fill
from augkit.policies._ops import GEOMETRIC_OPS, INTERPOLATIONS, OPS, SPACES, apply_op, warp_array, warp_boxes, warp_keypoints

__all__ = ["AUTOAUGMENT_POLICIES", "AutoAugment", "Policy", "SpatialPolicy", "choose_ops"]

Params = dict[str, Any]


def choose_ops(owner: str, default: Sequence[str], ops: Sequence[str] | None, exclude: Sequence[str]) -> tuple[str, ...]:
    """The op set of a policy: ``ops`` (or the default) minus ``exclude``, checked by name."""
    for name, value in (("ops", ops), ("exclude", exclude)):
        if value is None and name == "ops":
            continue
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ArgumentError(f"{owner}: argument {name!r} expects a list of op names; got {describe(value)}")
        for item in value:
            if item not in OPS:
                hint = suggest(str(item), list(OPS))
                raise ArgumentError(f"{owner}: argument {name!r} has unknown op {item!r}.{hint} Valid ops: {', '.join(OPS)}")
    chosen = tuple(op for op in dict.fromkeys(default if ops is None else ops) if op not in exclude)
    if not chosen:
        raise ArgumentError(f"{owner}: arguments 'ops' and 'exclude' leave no op to apply; got ops={ops!r}, exclude={exclude!r}")
    return chosen


class Policy(Transform):
    """The base of every policy: the op set, interpolation and fills, the image kernel and
    :meth:`apply_batch` (independent draws per sample).

    Params hold the applied ops in order, ``{"ops": [{"op": name, "magnitude": value, "level": f}, ...]}``
    (no magnitude for ops without one), so a record names every op and magnitude and replays exactly.
    """

    _abstract = True
    has_random_params = True
    image_channels = (1, 3)
    image_dtypes = ("uint8", "float32")
    #: The magnitude space of the policy (a key of :data:`SPACES`).
    _space_name = "standard"
    _op_names: tuple[str, ...] = ()
    interpolation: str
    fill: float | tuple[float, ...]
    fill_mask: float | tuple[float, ...]

    def _store_common(
        self,
        default_ops: Sequence[str],
        ops: Sequence[str] | None,
        exclude: Sequence[str],
        interpolation: str,
        fill: float | Sequence[float],
        fill_mask: float | Sequence[float],
    ) -> None:
        owner = type(self).__name__
        self._op_names = choose_ops(owner, default_ops, ops, exclude)
        self.ops = None if ops is None else tuple(ops)
        self.exclude = tuple(exclude)
        self.interpolation = as_choice(owner, "interpolation", interpolation, INTERPOLATIONS)
        self.fill = as_fill(owner, "fill", fill)
        self.fill_mask = as_fill(owner, "fill_mask", fill_mask)

    def _op(self, name: str, level: float, rng: np.random.Generator, height: int, width: int) -> Params:
        """One op's params at ``level`` in [0, 1] (the sign of a signed op drawn here)."""
        spec = SPACES[self._space_name][name]
        if spec is None:
            return {"op": name}
        negative = spec.signed and rng.random() < 0.5
        return {"op": name, "magnitude": spec.value(level, negative, height, width), "level": level}

    # ------------------------------------------------------------------ kernels
    def _run_ops(self, image: np.ndarray, steps: Sequence[Params]) -> np.ndarray:
        out = image
        try:
            for step in steps:
                out = apply_op(out, step["op"], step.get("magnitude", 0.0), self.interpolation, self.fill)
        except ValueError as error:  # a per-channel fill of the wrong length
            raise TargetError(f"{type(self).__name__}: argument 'fill' does not fit the image: {error}") from None
        return out.copy() if out is image else out

    def apply_image(self, image: np.ndarray, params: Params, /) -> np.ndarray:
        return self._run_ops(image, params["ops"])

    # ------------------------------------------------------------------ batches
    def apply_batch(
        self,
        images: np.ndarray,
        *,
        rng: np.random.Generator | int | None = None,
        same_on_batch: bool = False,
        record: bool = False,
    ) -> dict[str, Any]:
        """Augment a batch ``(N, H, W[, C])`` of independent samples: each sample draws its own ops
        and magnitudes (sample ``i`` from a generator keyed ``[i, key]``, ``key`` drawn once from
        ``rng``), unless ``same_on_batch`` (one draw for all, as for the frames of one video).

        Returns ``{"images": ...}``, plus ``"applied"`` (one record per sample) when ``record``.

        >>> import numpy as np
        >>> from augkit.policies import RandAugment
        >>> out = RandAugment().apply_batch(np.zeros((4, 8, 8, 3), np.uint8), rng=0)
        >>> out["images"].shape
        (4, 8, 8, 3)
        """
        owner = f"{type(self).__name__}.apply_batch"
        batch = check_image(owner, "images", images, frames=True)
        generator = as_generator(owner, rng)
        if as_bool(owner, "same_on_batch", same_on_batch):
            return self(images=batch, rng=generator, record=record)
        key = int(generator.integers(2**63))
        outputs, records = [], []
        for index in range(len(batch)):
            out = self(image=batch[index], rng=np.random.default_rng([index, key]), record=record)
            outputs.append(out["image"])
            records.append(out.get("applied"))
        result: dict[str, Any] = {"images": np.stack(outputs)}
        if record:
            result["applied"] = records
        return result


class SpatialPolicy(Policy, SpatialTransform):
    """A policy whose geometric ops move masks, boxes and keypoints with the image (the same sampling
    grid for masks; boxes tracked as polygons cut to the image after every op)."""

    _abstract = True

    def _moves(self, params: Params) -> list[tuple[str, float]]:
        return [(step["op"], step.get("magnitude", 0.0)) for step in params["ops"] if step["op"] in GEOMETRIC_OPS]

    def apply_mask(self, mask: np.ndarray, params: Params, /) -> np.ndarray:
        out = mask
        try:
            for op, value in self._moves(params):
                out = warp_array(out, op, value, "nearest", self.fill_mask)  # the image's sampling grid
        except ValueError as error:
            raise TargetError(f"{type(self).__name__}: argument 'fill_mask' does not fit the mask: {error}") from None
        return out

    def apply_bboxes(self, boxes: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        moves = self._moves(params)
        return warp_boxes(boxes, moves, height, width) if moves else boxes.copy()

    def apply_keypoints(self, points: np.ndarray, params: Params, height: int, width: int) -> np.ndarray:
        return warp_keypoints(points.copy(), self._moves(params), height, width)

    def is_reflection(self, params: Params) -> bool:
        return sum(step["op"] in ("HorizontalFlip", "VerticalFlip") for step in params["ops"]) % 2 == 1


# ------------------------------------------------------------------------------------- AutoAugment
Step = tuple[str, float, "int | None"]
SubPolicy = tuple[Step, Step]


def _parse(text: str) -> tuple[SubPolicy, ...]:
    """``"Op p m Op p m"`` per line (``-`` for no magnitude) into sub-policies."""
    out = []
    for line in text.strip().splitlines():
        a, pa, ma, b, pb, mb = line.split()
        out.append(((a, float(pa), None if ma == "-" else int(ma)), (b, float(pb), None if mb == "-" else int(mb))))
    return tuple(out)


#: The published sub-policies: ``{policy: ((op, probability, magnitude step or None), (...)) x 25}``.
AUTOAUGMENT_POLICIES: dict[str, tuple[SubPolicy, ...]] = {
    "imagenet": _parse("""
        Posterize .4 8 Rotate .6 9
        Solarize .6 5 AutoContrast .6 -
        Equalize .8 - Equalize .6 -
        Posterize .6 7 Posterize .6 6
        Equalize .4 - Solarize .2 4
        Equalize .4 - Rotate .8 8
        Solarize .6 3 Equalize .6 -
        Posterize .8 5 Equalize 1.0 -
        Rotate .2 3 Solarize .6 8
        Equalize .6 - Posterize .4 6
        Rotate .8 8 Color .4 0
        Rotate .4 9 Equalize .6 -
        Equalize .0 - Equalize .8 -
        Invert .6 - Equalize 1.0 -
        Color .6 4 Contrast 1.0 8
        Rotate .8 8 Color 1.0 2
        Color .8 8 Solarize .8 7
        Sharpness .4 7 Invert .6 -
        ShearX .6 5 Equalize 1.0 -
        Color .4 0 Equalize .6 -
        Equalize .4 - Solarize .2 4
        Solarize .6 5 AutoContrast .6 -
        Invert .6 - Equalize 1.0 -
        Color .6 4 Contrast 1.0 8
        Equalize .8 - Equalize .6 -
    """),
    "cifar10": _parse("""
        Invert .1 - Contrast .2 6
        Rotate .7 2 TranslateX .3 9
        Sharpness .8 1 Sharpness .9 3
        ShearY .5 8 TranslateY .7 9
        AutoContrast .5 - Equalize .9 -
        ShearY .2 7 Posterize .3 7
        Color .4 3 Brightness .6 7
        Sharpness .3 9 Brightness .7 9
        Equalize .6 - Equalize .5 -
        Contrast .6 7 Sharpness .6 5
        Color .7 7 TranslateX .5 8
        Equalize .3 - AutoContrast .4 -
        TranslateY .4 3 Sharpness .2 6
        Brightness .9 6 Color .2 8
        Solarize .5 2 Invert .0 -
        Equalize .2 - AutoContrast .6 -
        Equalize .2 - Equalize .6 -
        Color .9 9 Equalize .6 -
        AutoContrast .8 - Solarize .2 8
        Brightness .1 3 Color .7 0
        Solarize .4 5 AutoContrast .9 -
        TranslateY .9 9 TranslateY .7 9
        AutoContrast .9 - Solarize .8 3
        Equalize .8 - Invert .1 -
        TranslateY .7 9 AutoContrast .9 -
    """),
    "svhn": _parse("""
        ShearX .9 4 Invert .2 -
        ShearY .9 8 Invert .7 -
        Equalize .6 - Solarize .6 6
        Invert .9 - Equalize .6 -
        Equalize .6 - Rotate .9 3
        ShearX .9 4 AutoContrast .8 -
        ShearY .9 8 Invert .4 -
        ShearY .9 5 Solarize .2 6
        Invert .9 - AutoContrast .8 -
        Equalize .6 - Rotate .9 3
        ShearX .9 4 Solarize .3 3
        ShearY .8 8 Invert .7 -
        Equalize .9 - TranslateY .6 6
        Invert .9 - Equalize .6 -
        Contrast .3 3 Rotate .8 4
        Invert .8 - TranslateY .0 2
        ShearY .7 6 Solarize .4 8
        Invert .6 - Rotate .8 4
        ShearY .3 7 TranslateX .9 3
        ShearX .1 6 Invert .6 -
        Solarize .7 2 TranslateY .6 7
        ShearY .8 4 Invert .8 -
        ShearX .7 9 TranslateY .8 3
        ShearY .8 5 AutoContrast .7 -
        ShearX .7 2 Invert .1 -
    """),
}


class AutoAugment(SpatialPolicy):
    """AutoAugment: draw one of the 25 sub-policies uniformly, then apply each of its two ops with
    its probability, at its magnitude step (signed ops take a random sign).

    Args:
        policy: ``"imagenet"``, ``"cifar10"`` or ``"svhn"``.
        ops: keep only these ops (names of ``augkit.policies.OPS``); the others are skipped where
            they appear, so sub-policies keep their frequencies.
        exclude: ops to skip where they appear (e.g. ``["Invert"]``).
        interpolation: ``"nearest"`` (torchvision's default, bit-exact with it), ``"linear"``, ``"cubic"``.
        fill, fill_mask: the value of pixels warped in from outside, for the image and the masks.

    Params record the sub-policy index and the ops that ran, with their magnitudes.

    Example:
        >>> from augkit.policies import AutoAugment
        >>> aa = AutoAugment("svhn", exclude=["Invert"], fill=128)
    """

    def __init__(
        self,
        policy: str = "imagenet",
        ops: Sequence[str] | None = None,
        exclude: Sequence[str] = (),
        interpolation: str = "nearest",
        fill: float | Sequence[float] = 0,
        fill_mask: float | Sequence[float] = 0,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.policy = as_choice(owner, "policy", policy, tuple(AUTOAUGMENT_POLICIES))
        table = AUTOAUGMENT_POLICIES[self.policy]
        used = tuple(dict.fromkeys(step[0] for pair in table for step in pair))
        self._store_common(used, ops, exclude, interpolation, fill, fill_mask)
        if not set(self._op_names) & set(used):
            raise ArgumentError(
                f"{owner}: arguments 'ops' and 'exclude' leave none of the {self.policy!r} policy's ops "
                f"({', '.join(used)}); got ops={ops!r}, exclude={exclude!r}"
            )
        self._table = table

    def sample(self, rng: np.random.Generator, state: State) -> dict[str, Any]:
        table = self._table
        index = int(rng.integers(len(table)))
        steps = []
        for name, probability, step in table[index]:
            if name not in self._op_names or rng.random() >= probability:
                continue
            steps.append(self._op(name, 0.0 if step is None else step / 9.0, rng, state.height, state.width))
        return {"sub_policy": index, "ops": steps}

    @classmethod
    def example(cls) -> BaseTransform:
        return cls(policy="svhn")  # the geometric-heavy policy, so shared checks see boxes and masks move
