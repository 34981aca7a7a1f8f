"""AugMix (Hendrycks et al. 2020) and its Jensen-Shannon consistency loss.

``width`` chains of 1-3 random ops (``depth``) are mixed with Dirichlet weights, and the mix is
blended with the original by a Beta-distributed weight: ``(1 - m) x + m sum_i w_i chain_i(x)``.
Ops and magnitudes follow torchvision's ``AugMix``: the magnitude step is drawn uniformly from the
first ``severity`` of 10 steps (the paper draws a continuous level in (0.1, severity)); Translate
goes up to a third of the side and Posterize keeps 4 -> 0 bits.

>>> import numpy as np
>>> from augkit.policies import AugMix
>>> AugMix()(image=np.full((16, 16, 3), 100, np.uint8), rng=0)["image"].shape
(16, 16, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import cv2
import numpy as np

from augkit.core.errors import ArgumentError, TargetError
from augkit.core.targets import State
from augkit.core.transform import Record
from augkit.core.validate import as_bool, as_float, as_int
from augkit.policies.autoaugment import Policy

__all__ = ["AUGMIX_ALL_OPS", "AUGMIX_OPS", "AugMix", "augmix_jsd_loss"]

#: The paper's default ops; ``all_ops=True`` adds the four enhance ops (:data:`AUGMIX_ALL_OPS`).
AUGMIX_OPS = ("AutoContrast", "Equalize", "Posterize", "Rotate", "Solarize", "ShearX", "ShearY", "TranslateX", "TranslateY")
AUGMIX_ALL_OPS = (*AUGMIX_OPS, "Brightness", "Color", "Contrast", "Sharpness")


class AugMix(Policy):
    """AugMix: a convex mix of ``width`` augmentation chains, blended with the original image.

    Args:
        severity: magnitude steps 0 .. ``severity - 1`` of 10 are drawn (1-10; 3 for CIFAR, 1 in the
            paper's ImageNet recipe).
        width: the number of chains (3).
        depth: ops per chain; ``-1`` draws 1, 2 or 3 per chain.
        alpha: the Dirichlet (chain weights) and Beta (blend weight) concentration.
        all_ops: also use Brightness, Color, Contrast and Sharpness (torchvision's default; the paper
            leaves them out as they overlap ImageNet-C corruptions).
        return_chains: a direct call also returns ``out["jsd_views"]``, an ``(3, H, W[, C])`` stack of
            the clean image, ``out["image"]`` and a second, independent AugMix image: the three views
            of the Jensen-Shannon loss (:func:`augmix_jsd_loss`). Inside a ``Compose`` only the image
            is returned; call AugMix on the pipeline's output instead. When ``p`` skips the call, the
            three views are the clean image.
        ops, exclude: the op names to draw from (default by ``all_ops``) and names to leave out.
        interpolation: ``"linear"`` (torchvision's default), ``"nearest"`` or ``"cubic"``.
        fill: the value of pixels warped in from outside.

    AugMix blends differently warped copies, so it takes images only (no masks, boxes, keypoints).
    uint8 results are rounded (torchvision truncates).

    Example:
        >>> from augkit.policies import AugMix
        >>> augmix = AugMix(severity=3, width=3, all_ops=False, return_chains=True)
    """

    targets: ClassVar[frozenset[str]] = frozenset({"image"})
    _space_name = "augmix"

    def __init__(
        self,
        severity: int = 3,
        width: int = 3,
        depth: int = -1,
        alpha: float = 1.0,
        all_ops: bool = True,
        return_chains: bool = False,
        ops: Sequence[str] | None = None,
        exclude: Sequence[str] = (),
        interpolation: str = "linear",
        fill: float | Sequence[float] = 0,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.severity = as_int(owner, "severity", severity, low=1, high=10)
        self.width = as_int(owner, "width", width, low=1)
        self.depth = as_int(owner, "depth", depth, low=-1)
        if self.depth == 0:
            raise ArgumentError(f"{owner}: argument 'depth' expects -1 (random 1-3) or an integer >= 1; got 0")
        self.alpha = as_float(owner, "alpha", alpha, low=1e-6)
        self.all_ops = as_bool(owner, "all_ops", all_ops)
        self.return_chains = as_bool(owner, "return_chains", return_chains)
        self._store_common(AUGMIX_ALL_OPS if self.all_ops else AUGMIX_OPS, ops, exclude, interpolation, fill, 0)

    def _mix_params(self, rng: np.random.Generator, height: int, width: int) -> dict[str, Any]:
        names = self._op_names
        blend = float(rng.beta(self.alpha, self.alpha))
        weights = [float(w) for w in rng.dirichlet([self.alpha] * self.width)]
        chains = []
        for _ in range(self.width):
            depth = self.depth if self.depth > 0 else int(rng.integers(1, 4))
            chain = []
            for _ in range(depth):
                name = names[int(rng.integers(len(names)))]
                chain.append(self._op(name, int(rng.integers(self.severity)) / 9.0, rng, height, width))
            chains.append(chain)
        return {"blend": blend, "weights": weights, "chains": chains}

    def sample(self, rng: np.random.Generator, state: State) -> dict[str, Any]:
        params = self._mix_params(rng, state.height, state.width)
        if self.return_chains:
            params["second"] = self._mix_params(rng, state.height, state.width)
        return params

    def _mix(self, image: np.ndarray, params: dict[str, Any]) -> np.ndarray:
        blend = params["blend"]
        is_uint8 = image.dtype == np.uint8
        out = image.astype(np.float32) * np.float32(1.0 - blend)
        for weight, chain in zip(params["weights"], params["chains"], strict=True):
            augmented = self._run_ops(image, chain)
            out = cv2.scaleAdd(augmented.astype(np.float32), weight * blend, out.reshape(augmented.shape))
        out = out.reshape(image.shape)
        if is_uint8:
            return np.clip(np.rint(out, out=out), 0.0, 255.0, out=out).astype(np.uint8)
        return np.clip(out, 0.0, 1.0, out=out)

    def apply_image(self, image: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        return self._mix(image, params)

    def _with_views(self, out: dict[str, Any], applied: Sequence[Record], image: Any) -> dict[str, Any]:
        if not isinstance(image, np.ndarray):
            return out
        entries = [entry for entry in applied if entry.get("applied") and "second" in (entry.get("params") or {})]
        second = self._mix(image, entries[-1]["params"]["second"]) if entries else image.copy()
        out["jsd_views"] = np.stack([image, out["image"], second])
        return out

    def __call__(self, *, rng: np.random.Generator | int | None = None, record: bool = False, **targets: Any) -> dict[str, Any]:
        if not self.return_chains or "image" not in targets:
            return super().__call__(rng=rng, record=record, **targets)
        out = super().__call__(rng=rng, record=True, **targets)
        out = self._with_views(out, out["applied"], targets["image"])
        if not record:
            del out["applied"]
        return out

    def replay(self, applied: Sequence[Record], **targets: Any) -> dict[str, Any]:
        out = super().replay(applied, **targets)
        if self.return_chains and "image" in targets:
            out = self._with_views(out, applied, targets["image"])
        return out


def augmix_jsd_loss(logits_clean: Any, logits_aug1: Any, logits_aug2: Any, weight: float = 12.0) -> Any:
    """The Jensen-Shannon consistency term of AugMix: ``weight * (KL(p_c || M) + KL(p_1 || M) +
    KL(p_2 || M)) / 3`` with ``M`` the mean of the three softmax distributions (clamped to
    [1e-7, 1] as in the paper's code), averaged over the batch. Add it to the cross-entropy on the
    clean logits. Needs PyTorch (imported only when called).

    >>> import torch
    >>> logits = torch.randn(4, 10)
    >>> float(augmix_jsd_loss(logits, logits, logits)) < 1e-6
    True
    """
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is installed in the test environment
        from augkit.core.errors import MissingDependencyError

        raise MissingDependencyError("augmix_jsd_loss needs PyTorch; install it with `pip install augkit[torch]`") from None
    shapes = {tuple(t.shape) for t in (logits_clean, logits_aug1, logits_aug2)}
    if len(shapes) != 1 or len(next(iter(shapes))) != 2:
        raise TargetError(f"augmix_jsd_loss: the three logits expect the same (N, K) shape; got {sorted(shapes)}")
    log_probs = [torch.log_softmax(t.float(), dim=1) for t in (logits_clean, logits_aug1, logits_aug2)]
    probs = [lp.exp() for lp in log_probs]
    log_mixture = torch.clamp((probs[0] + probs[1] + probs[2]) / 3.0, 1e-7, 1.0).log()
    batch = logits_clean.shape[0]
    divergence = sum((p * (lp - log_mixture)).sum() for p, lp in zip(probs, log_probs, strict=True)) / batch
    return weight * divergence / 3.0
