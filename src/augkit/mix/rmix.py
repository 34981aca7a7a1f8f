"""``RMix``: saliency-guided mix-up through random gradient thresholding.

Luu, Huang, Xing, Lee, Wang, "Expeditious Saliency-guided Mix-up through Random Gradient
Thresholding", AAAI 2023 Practical-DL workshop, arXiv 2212.04875 (reference code
minhlong94/Random-Mixup). Saliency is the channel RMS of the loss gradient with respect to the
input, average-pooled to a P x P grid (P drawn from {2, 4, 8, 16, 32}); each image keeps the cells
above a random quantile q of its own map (q drawn from {0, 0.11, ..., 0.99}). Where an image and its
partner agree (both salient or both not) the pixels are blended with ``lam ~ Beta(alpha, alpha)``;
elsewhere the salient one's pixels are taken. The label weight follows those fractions.

Needs torch and the current model (one extra forward and backward pass per call).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, TargetError, TargetTypeError, describe
from augkit.core.validate import as_choice, as_probability
from augkit.mix import _kernels
from augkit.mix._backend import Batch, Labels, Masks, require_torch, soft_targets_torch, to_device
from augkit.mix._base import BatchMixer, Mixed, check_alpha
from augkit.mix.mixing import draw_partner

__all__ = ["RMix"]

DEFAULT_QUANTILES = tuple(round(float(q), 2) for q in np.linspace(0.0, 0.99, 10))


class RMix(BatchMixer):
    """Mix-up guided by the model's input-gradient saliency with a random threshold (arXiv 2212.04875).

    Args:
        model: the torch ``nn.Module`` being trained (called on the images as given).
        alpha: Beta(alpha, alpha) for the blend weight; the paper's code uses 0.2 (2.0 for CIFAR).
        num_patches: grid sizes P to draw from per call; default (2, 4, 8, 16, 32). Clipped to the image size.
        quantiles: thresholds q to draw from per image; default ``linspace(0, 0.99, 10)``.
        prob: chance of mixing a batch.
        model_mode: "eval" (default: the saliency pass runs in eval mode, so batch-norm statistics are
            not updated, and the mode is restored) or "train" (as the reference code).
        label_smoothing, num_classes, partner, seed: as in :class:`augkit.mix.Mix`.

    Images must be floating torch tensors (N, C, H, W). Parameter gradients are not touched (only
    the input gradient is computed). ``record=True`` reads the salient-cell grids back to the host
    (a sync, only then); replay uses them and does not call the model.

    >>> import torch
    >>> model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 8 * 8, 4))
    >>> out, targets = RMix(model, num_classes=4)(torch.rand(6, 3, 8, 8), torch.tensor([0, 1, 2, 3, 0, 1]), rng=0)
    >>> out.shape, targets.shape
    (torch.Size([6, 3, 8, 8]), torch.Size([6, 4]))
    """

    def __init__(
        self,
        model: Any,
        alpha: float = 0.2,
        num_patches: Sequence[int] = (2, 4, 8, 16, 32),
        quantiles: Sequence[float] = DEFAULT_QUANTILES,
        prob: float = 1.0,
        model_mode: str = "eval",
        label_smoothing: float = 0.0,
        num_classes: int | None = None,
        partner: str = "permutation",
        seed: int | None = None,
    ) -> None:
        owner = type(self).__name__
        if not callable(model) or not hasattr(model, "train"):
            raise ArgumentError(
                f"{owner}: argument 'model' expects a torch.nn.Module (the model being trained); got {describe(model)}"
            )
        self.model = model
        self.alpha = check_alpha(owner, "alpha", alpha)
        patches = tuple(num_patches) if isinstance(num_patches, (list, tuple)) else ()
        if not patches or not all(isinstance(p, int) and not isinstance(p, bool) and p >= 1 for p in patches):
            raise ArgumentError(
                f"{owner}: argument 'num_patches' expects a non-empty sequence of integers >= 1; got {describe(num_patches)}"
            )
        self.num_patches = patches
        levels = tuple(quantiles) if isinstance(quantiles, (list, tuple)) else ()
        if not levels or not all(isinstance(q, (int, float)) and not isinstance(q, bool) and 0.0 <= q <= 1.0 for q in levels):
            raise ArgumentError(
                f"{owner}: argument 'quantiles' expects a non-empty sequence of numbers in [0, 1]; got {describe(quantiles)}"
            )
        self.quantiles = tuple(float(q) for q in levels)
        self.prob = as_probability(owner, "prob", prob)
        self.model_mode = as_choice(owner, "model_mode", model_mode, ("eval", "train"))
        self._set_common(label_smoothing, num_classes, partner, seed)

    def _check(self, owner: str, images: Any, labels: Any, masks: Any) -> tuple[Batch, Labels | None, Masks | None]:
        if masks is not None:
            raise TargetError(
                f"{owner}: does not mix segmentation masks (its regions come from a classifier's gradients); got 'masks'"
            )
        if labels is None:
            raise TargetError(f"{owner}: needs 'labels' (the saliency pass takes the loss gradient)")
        batch, checked, _ = super()._check(owner, images, labels, None)
        if not batch.torch or not batch.array.is_floating_point():
            raise TargetTypeError(
                f"{owner}: target 'images' expects a floating torch tensor (N, C, H, W) the model takes; got {describe(images)}"
            )
        return batch, checked, None

    def sample(self, rng: np.random.Generator, n: int, height: int, width: int) -> dict[str, Any]:
        """Partner, blend weight, grid size and one quantile per image."""
        if self.prob < 1.0 and rng.random() >= self.prob:
            return {"applied": False}
        partner = draw_partner(rng, n, self.partner)
        lam = float(rng.beta(self.alpha, self.alpha))
        patches = min(int(self.num_patches[rng.integers(0, len(self.num_patches))]), height, width)
        levels = np.asarray(self.quantiles)[rng.integers(0, len(self.quantiles), n)]
        return {"applied": True, "partner": partner.tolist(), "blend": lam, "num_patches": patches, "quantile": levels.tolist()}

    def _salient(self, batch: Batch, labels: Labels, patches: int, levels: np.ndarray) -> Any:
        """(N, P, P) bool: the cells at or above each image's quantile of its gradient saliency."""
        torch = require_torch(type(self).__name__)
        functional = torch.nn.functional
        device = batch.device
        target_labels = labels.array if labels.torch else to_device(torch, labels.array, device)
        targets = soft_targets_torch(torch, target_labels, labels.num_classes, 0.0, device)
        was_training = bool(self.model.training)
        if self.model_mode == "eval":
            self.model.eval()
        try:
            with torch.enable_grad():
                inputs = batch.array.detach().requires_grad_(True)
                logits = self.model(inputs)
                loss = functional.cross_entropy(logits.float(), targets.to(logits.device))
                (gradient,) = torch.autograd.grad(loss, [inputs])
        finally:
            self.model.train(was_training)
        saliency = gradient.detach().float().pow(2).mean(dim=1, keepdim=True).sqrt()
        pooled = functional.adaptive_avg_pool2d(saliency, (patches, patches)).flatten(1)
        ordered = pooled.sort(dim=1).values
        position = levels * (patches * patches - 1)
        low = np.floor(position).astype(np.int64)
        high = np.minimum(low + 1, patches * patches - 1)
        frac = to_device(torch, (position - low).astype(np.float32), device)
        rows = torch.arange(batch.n, device=device)
        low_v = ordered[rows, to_device(torch, low, device)]
        high_v = ordered[rows, to_device(torch, high, device)]
        threshold = low_v + (high_v - low_v) * frac
        return (pooled >= threshold[:, None]).reshape(batch.n, patches, patches)

    def _mix(self, batch: Batch, masks: Masks | None, params: dict[str, Any], labels: Labels | None) -> Mixed:
        torch = require_torch(type(self).__name__)
        n, height, width, device = batch.n, batch.height, batch.width, batch.device
        partner = np.asarray(params["partner"], np.int64).reshape(n)
        patches = int(params["num_patches"])
        found: dict[str, Any] = {}
        if "salient" in params:  # replay: the grids the original call found
            salient = to_device(torch, np.asarray(params["salient"], bool).reshape(n, patches, patches), device)
        else:
            assert labels is not None
            salient = self._salient(batch, labels, patches, np.asarray(params["quantile"], np.float64).reshape(n))
            found["salient"] = salient
        rows = to_device(torch, np.minimum(np.arange(height) * patches // height, patches - 1), device)
        cols = to_device(torch, np.minimum(np.arange(width) * patches // width, patches - 1), device)
        own = salient.index_select(1, rows).index_select(2, cols)
        other = own.index_select(0, to_device(torch, partner, device))
        lam = float(params["blend"])
        mixed = _kernels.blend(batch.array, partner, np.full(n, lam), batch.first)
        mixed = torch.where((own & ~other)[:, None], batch.array, mixed)
        mixed = _kernels.paste_where(mixed, batch.array, partner, ~own & other, batch.first)
        area = float(height * width)
        same = (own == other).flatten(1).sum(1).to(torch.float32) / area
        own_only = (own & ~other).flatten(1).sum(1).to(torch.float32) / area
        return Mixed(mixed, None, same * lam + own_only, partner, found)
