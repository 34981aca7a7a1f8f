"""Losses for mixed batches (torch).

* :class:`SoftTargetCrossEntropy`: ``mean_i(-sum_k t_ik * log_softmax(x_i)_k)``, for the soft targets
  the mixers return. Label smoothing is already inside those targets (``label_smoothing=`` of the
  mixer), so do not smooth again in the loss.
* :func:`mix_criterion`: for code that keeps hard labels and a weight: ``lam * criterion(out, y_a) +
  (1 - lam) * criterion(out, y_b)``, with ``(y_a, y_b, lam)`` from :func:`mixed_targets`.

>>> import torch
>>> from augkit.mix.losses import SoftTargetCrossEntropy
>>> logits, targets = torch.zeros(2, 4), torch.full((2, 4), 0.25)
>>> round(float(SoftTargetCrossEntropy()(logits, targets)), 6) == round(float(torch.log(torch.tensor(4.0))), 6)
True
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from augkit.core.errors import MissingDependencyError, TargetError, describe

try:
    import torch
    from torch import nn
except ImportError:  # pragma: no cover - torch is installed in the test environment
    raise MissingDependencyError("augkit.mix.losses needs PyTorch; install it with `pip install augkit[torch]`") from None

__all__ = ["MixedTargets", "SoftTargetCrossEntropy", "mix_criterion", "mixed_targets"]


class SoftTargetCrossEntropy(nn.Module):
    """Cross-entropy against soft targets (N, K), averaged over the batch.

    >>> loss = SoftTargetCrossEntropy()
    >>> float(loss(torch.tensor([[0.0, 0.0]]), torch.tensor([[1.0, 0.0]]))) == float(torch.log(torch.tensor(2.0)))
    True
    """

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        if logits.shape != targets.shape:
            raise TargetError(
                "SoftTargetCrossEntropy: target 'targets' expects the logits' shape "
                f"{tuple(logits.shape)}; got {tuple(targets.shape)}"
            )
        per_sample = -(targets * torch.log_softmax(logits, dim=-1)).sum(dim=-1)
        return per_sample.mean()


class MixedTargets(NamedTuple):
    """Hard labels of each image and of its partner, and the weight of the first: ``(y_a, y_b, lam)``."""

    y_a: Any
    y_b: Any
    lam: Any


def mixed_targets(record: dict[str, Any], labels: Any) -> MixedTargets:
    """``(y_a, y_b, lam)`` from a mixer's record (``record=True``) and the hard labels it was called with.

    ``lam`` is an (N,) array/tensor of the own-label weights (one value per image even in "batch" mode).

    >>> import torch
    >>> from augkit.mix import CutMix
    >>> _, _, rec = CutMix(num_classes=3)(torch.zeros(2, 1, 4, 4), torch.tensor([0, 2]), rng=0, record=True)
    >>> ya, yb, lam = mixed_targets(rec, torch.tensor([0, 2])); yb.tolist()
    [2, 0]
    """
    if not isinstance(record, dict) or "params" not in record or "shape" not in record:
        raise TargetError(f"mixed_targets: argument 'record' expects the record of a record=True call; got {describe(record)}")
    params, n = record["params"], int(record["shape"][0])
    if params.get("applied", True):
        partner = np.asarray(params["partner"], np.int64)
        lam = np.asarray(params["lam"], np.float64)
    else:
        partner, lam = np.arange(n), np.ones(n)
    if isinstance(labels, torch.Tensor):
        index = torch.from_numpy(partner).to(labels.device)
        return MixedTargets(labels, labels.index_select(0, index), torch.from_numpy(lam.astype(np.float32)).to(labels.device))
    labels = np.asarray(labels)
    return MixedTargets(labels, labels[partner], lam.astype(np.float32))


def mix_criterion(criterion: Any, output: torch.Tensor, mixed_targets: MixedTargets | tuple[Any, Any, Any]) -> torch.Tensor:
    """``lam * criterion(output, y_a) + (1 - lam) * criterion(output, y_b)``.

    ``lam`` may be a number (one weight for the batch; any reduction works) or an (N,) tensor/array of
    per-image weights, which needs a criterion with ``reduction="none"``; the weighted per-image
    losses are then averaged.

    >>> out, ya, yb = torch.zeros(2, 3), torch.tensor([0, 1]), torch.tensor([1, 2])
    >>> ce = torch.nn.CrossEntropyLoss()
    >>> bool(torch.isclose(mix_criterion(ce, out, (ya, yb, 0.3)), ce(out, ya)))
    True
    """
    if not isinstance(mixed_targets, tuple) or len(mixed_targets) != 3:
        raise TargetError(f"mix_criterion: argument 'mixed_targets' expects (y_a, y_b, lam); got {describe(mixed_targets)}")
    y_a, y_b, lam = mixed_targets
    if isinstance(lam, (int, float)):
        return lam * criterion(output, y_a) + (1.0 - lam) * criterion(output, y_b)
    weight = torch.as_tensor(np.asarray(lam, np.float32)) if isinstance(lam, np.ndarray) else lam
    weight = weight.to(device=output.device, dtype=output.dtype if output.is_floating_point() else torch.float32)
    loss_a, loss_b = criterion(output, y_a), criterion(output, y_b)
    if weight.ndim == 0:
        return weight * loss_a + (1.0 - weight) * loss_b
    if loss_a.ndim == 0 or loss_a.shape[0] != weight.shape[0]:
        raise TargetError(
            f"mix_criterion: per-image weights 'lam' of shape {tuple(weight.shape)} need per-image losses; build the "
            f"criterion with reduction='none'; got a loss of shape {tuple(loss_a.shape)}"
        )
    shape = (-1,) + (1,) * (loss_a.ndim - 1)
    return (weight.reshape(shape) * loss_a + (1.0 - weight.reshape(shape)) * loss_b).mean()
