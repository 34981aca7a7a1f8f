"""Losses for mixed batches equal their manual computations, and agree with the mixers' soft targets."""

from __future__ import annotations

import numpy as np
import pytest
import torch  # the test extra installs it

from augkit.core.errors import TargetError
from augkit.mix import CutMix, Mix, MixedTargets, SoftTargetCrossEntropy, mix_criterion, mixed_targets

K = 5


def test_soft_target_cross_entropy_is_manual_formula() -> None:
    gen = torch.Generator().manual_seed(0)
    logits = torch.randn(6, K, generator=gen, dtype=torch.float64)
    targets = torch.softmax(torch.randn(6, K, generator=gen, dtype=torch.float64), dim=1)
    manual = np.mean([-sum(float(targets[i, k]) * float(torch.log_softmax(logits[i], 0)[k]) for k in range(K)) for i in range(6)])
    assert float(SoftTargetCrossEntropy()(logits, targets)) == pytest.approx(manual, rel=1e-12)
    assert torch.allclose(SoftTargetCrossEntropy()(logits, targets), torch.nn.functional.cross_entropy(logits, targets))
    with pytest.raises(TargetError, match="SoftTargetCrossEntropy: target 'targets' expects the logits' shape"):
        SoftTargetCrossEntropy()(logits, targets[:, :3])


def test_mix_criterion_scalar_and_per_image() -> None:
    gen = torch.Generator().manual_seed(1)
    out = torch.randn(4, K, generator=gen, dtype=torch.float64)
    ya, yb = torch.tensor([0, 1, 2, 3]), torch.tensor([4, 3, 2, 1])
    ce = torch.nn.CrossEntropyLoss()
    expected = 0.3 * ce(out, ya) + 0.7 * ce(out, yb)
    assert torch.allclose(mix_criterion(ce, out, (ya, yb, 0.3)), expected)
    lam = torch.tensor([0.1, 0.5, 0.9, 1.0], dtype=torch.float64)
    per = torch.nn.CrossEntropyLoss(reduction="none")
    manual = (lam * per(out, ya) + (1 - lam) * per(out, yb)).mean()
    assert torch.allclose(mix_criterion(per, out, MixedTargets(ya, yb, lam)), manual)
    assert torch.allclose(mix_criterion(per, out, (ya, yb, lam.numpy())), manual)
    with pytest.raises(TargetError, match="reduction='none'"):
        mix_criterion(ce, out, (ya, yb, lam))


@pytest.mark.parametrize("mixer", [Mix(num_classes=K, mode="elem"), CutMix(num_classes=K)], ids=repr)
def test_hard_label_route_equals_soft_target_route(mixer: Mix) -> None:
    images, labels = torch.rand(7, 3, 12, 10), torch.tensor([0, 1, 2, 3, 4, 0, 1])
    _, soft, record = mixer(images, labels, rng=5, record=True)
    logits = torch.randn(7, K, generator=torch.Generator().manual_seed(2))
    hard = mixed_targets(record, labels)
    assert torch.equal(hard.y_a, labels) and hard.lam.shape == (7,)
    via_hard = mix_criterion(torch.nn.CrossEntropyLoss(reduction="none"), logits, hard)
    assert torch.allclose(via_hard, SoftTargetCrossEntropy()(logits, soft), atol=1e-6)
    numpy_route = mixed_targets(record, labels.numpy())
    assert np.array_equal(numpy_route.y_b, hard.y_b.numpy())
