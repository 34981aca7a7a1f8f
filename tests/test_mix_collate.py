"""MixCollate in a real DataLoader: batches do not depend on the number of workers."""

from __future__ import annotations

import numpy as np
import pytest
import torch  # the test extra installs it

from augkit.core.errors import ArgumentError, TargetTypeError
from augkit.core.rng import rng_for
from augkit.mix import CutMix, Mix, MixCollate, MixUp, RMix

K = 4


class Photos(torch.utils.data.Dataset):
    """Twenty random uint8 HWC images with labels and class masks."""

    def __init__(self, with_masks: bool = False) -> None:
        rng = np.random.default_rng(0)
        self.images = rng.integers(0, 256, (22, 10, 14, 3), dtype=np.uint8)
        self.labels = rng.integers(0, K, 22)
        self.masks = rng.integers(0, 3, (22, 10, 14)).astype(np.int64)
        self.with_masks = with_masks

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple:
        if self.with_masks:
            return self.images[index], int(self.labels[index]), self.masks[index]
        return self.images[index], int(self.labels[index])


def run(collate: MixCollate, workers: int, epoch: int, with_masks: bool = False) -> list[tuple]:
    collate.set_epoch(epoch)
    sampler = torch.utils.data.RandomSampler(Photos(), generator=torch.Generator().manual_seed(epoch))
    loader = torch.utils.data.DataLoader(
        Photos(with_masks),
        batch_size=4,
        sampler=sampler,
        num_workers=workers,
        collate_fn=collate,
        prefetch_factor=2 if workers else None,
    )
    return [tuple(t.clone() for t in batch) for batch in loader]


def same(a: list[tuple], b: list[tuple]) -> bool:
    return len(a) == len(b) and all(all(torch.equal(x, y) for x, y in zip(p, q, strict=True)) for p, q in zip(a, b, strict=True))


@pytest.mark.parametrize("mixer", [Mix(num_classes=K), MixUp(num_classes=K, mode="elem")], ids=repr)
def test_worker_count_does_not_change_batches(mixer: Mix) -> None:
    collate = MixCollate(mixer, seed=7)
    single, double = run(collate, 0, epoch=0), run(collate, 2, epoch=0)
    assert same(single, double)
    assert single[0][0].shape == (4, 3, 10, 14) and single[0][0].dtype == torch.uint8 and single[0][0].is_contiguous()
    assert single[-1][0].shape[0] == 2  # the odd last batch (22 = 5 * 4 + 2)
    for _, targets in single:
        assert targets.dtype == torch.float32 and torch.allclose(targets.sum(1), torch.ones(len(targets)))
    next_epoch = run(collate, 2, epoch=1)
    assert same(next_epoch, run(collate, 0, epoch=1)) and not same(next_epoch, double)


@pytest.mark.parametrize("layout", ["NHWC", "NCHW"])
@pytest.mark.parametrize("mixer", [CutMix(num_classes=K), MixUp(num_classes=K)], ids=repr)
def test_batches_use_rng_for_seed_epoch_index(layout: str, mixer: Mix) -> None:
    collate = MixCollate(mixer, seed=3, layout=layout)
    batches = run(collate, 2, epoch=1)
    sampler = torch.utils.data.RandomSampler(Photos(), generator=torch.Generator().manual_seed(1))
    order = list(sampler)
    data = Photos()
    for b, (images, targets) in enumerate(batches):
        index = order[4 * b : 4 * b + 4]
        expected = mixer(data.images[index], data.labels[index], rng=rng_for(3, 1, b))
        pixels = images.numpy() if layout == "NHWC" else images.permute(0, 2, 3, 1).numpy()
        assert images.is_contiguous() and np.array_equal(pixels, expected[0])
        np.testing.assert_allclose(targets.numpy(), expected[1], rtol=0, atol=1e-7)


def test_masks_and_float_output() -> None:
    collate = MixCollate(CutMix(num_classes=K), seed=1, dtype="float32")
    batches = run(collate, 2, epoch=0, with_masks=True)
    assert same(batches, run(collate, 0, epoch=0, with_masks=True))
    images, _, masks = batches[0]
    assert images.dtype == torch.float32 and masks.shape == (4, 10, 14) and masks.dtype == torch.int64


def test_bad_collate_inputs() -> None:
    with pytest.raises(ArgumentError, match="MixCollate: argument 'mixer'"):
        MixCollate(RMix(torch.nn.Linear(2, 2)))
    with pytest.raises(ArgumentError, match="MixCollate: argument 'dtype'"):
        MixCollate(Mix(num_classes=K), dtype="float16")
    collate = MixCollate(Mix(num_classes=K))
    with pytest.raises(TargetTypeError, match=r"MixCollate: sample 1 image expects a uint8 \(H, W, C\) array"):
        collate([(np.zeros((4, 4, 3), np.uint8), 0), (np.zeros((4, 4, 3), np.float32), 1)])
