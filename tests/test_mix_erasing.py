"""BatchCutout and BatchRandomErasing: hole draws, numpy/torch parity, no host sync, masks, replay, errors."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import numpy as np
import pytest
import torch

from augkit import ArgumentError
from augkit.core.errors import TargetError
from augkit.mix import BatchCutout, BatchMixer, BatchRandomErasing, MixCollate, _kernels


@pytest.fixture(params=[True, False], ids=["cpu-numpy-views", "torch-kernels"])
def cpu_route(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    monkeypatch.setattr(_kernels, "CPU_VIA_NUMPY", request.param)
    yield request.param


def batch(n: int = 6, height: int = 20, width: int = 30, dtype: str = "float32") -> np.ndarray:
    images = np.random.default_rng(1).uniform(10, 250, (n, height, width, 3))
    return images.astype(dtype)


def to_torch(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()


def erasers() -> list[BatchMixer]:
    return [
        BatchCutout(),
        BatchCutout(num_holes_range=(1, 4), hole_height_range=(2, 7), hole_width_range=(0.1, 0.4), fill=(1, 2, 3)),
        BatchCutout(num_holes_range=2, fill="random", prob=0.5),
        BatchRandomErasing(),
        BatchRandomErasing(scale=(0.1, 0.5), ratio=(0.5, 2.0), value="random", prob=0.7),
    ]


def holes_of(record: dict) -> list[list[list[int]]]:
    return record["params"]["holes"]


def hole_map(record: dict, height: int, width: int) -> np.ndarray:
    covered = np.zeros((len(holes_of(record)), height, width), bool)
    for i, holes in enumerate(holes_of(record)):
        for y0, y1, x0, x1 in holes:
            covered[i, y0:y1, x0:x1] = True
    return covered


# ---------------------------------------------------------------------- draws
def test_cutout_hole_counts_and_sizes_within_ranges() -> None:
    cut = BatchCutout(num_holes_range=(2, 5), hole_height_range=(3, 6), hole_width_range=(0.2, 0.5))
    images = batch(64, 20, 30)
    _, _, record = cut(images, rng=0, record=True)
    counts = [len(h) for h in holes_of(record)]
    assert min(counts) >= 2 and max(counts) <= 5 and len(set(counts)) > 1
    for holes in holes_of(record):
        for y0, y1, x0, x1 in holes:
            assert 3 <= y1 - y0 <= 6 and math.floor(0.2 * 30) <= x1 - x0 <= math.floor(0.5 * 30)
            assert y0 >= 0 and y1 <= 20 and x0 >= 0 and x1 <= 30


def test_default_cutout_is_one_quarter_side_hole_and_pixels_match_holes() -> None:
    images = batch(8, 20, 32)
    out, labels, record = BatchCutout()(images, np.arange(8), rng=3, record=True)
    for i, holes in enumerate(holes_of(record)):
        assert len(holes) == 1
        y0, y1, x0, x1 = holes[0]
        assert (y1 - y0, x1 - x0) == (5, 8)
        expected = images[i].copy()
        expected[y0:y1, x0:x1] = 0
        assert np.array_equal(out[i], expected)
    assert labels.tolist() == list(range(8))


def test_holes_differ_per_sample() -> None:
    _, _, record = BatchCutout(hole_height_range=(2, 10), hole_width_range=(2, 10))(batch(16), rng=0, record=True)
    assert len({json.dumps(h) for h in holes_of(record)}) > 8
    _, _, record = BatchRandomErasing()(batch(16), rng=0, record=True)
    assert len({json.dumps(h) for h in holes_of(record)}) > 8


def test_prob_erases_a_fraction_of_samples() -> None:
    images = batch(400, 8, 8)
    out, _ = BatchCutout(prob=0.3)(images, rng=0)
    changed = (out != images).any(axis=(1, 2, 3)).mean()
    assert 0.2 < changed < 0.4
    out, _ = BatchCutout(prob=0.0)(images, rng=0)
    assert np.array_equal(out, images)


def test_random_erasing_follows_torchvision_sampling() -> None:
    height, width = 24, 40
    erase = BatchRandomErasing(scale=(0.05, 0.3), ratio=(0.5, 2.0))
    _, _, record = erase(batch(300, height, width), rng=0, record=True)
    areas, ratios = [], []
    for holes in holes_of(record):
        assert len(holes) <= 1
        if holes:
            y0, y1, x0, x1 = holes[0]
            h, w = y1 - y0, x1 - x0
            assert h < height and w < width and y0 >= 0 and y1 <= height and x0 >= 0 and x1 <= width
            areas.append(h * w / (height * width))
            ratios.append(h / w)
    assert len(areas) > 290
    assert min(areas) > 0.03 and max(areas) < 0.36  # rounding of sides moves areas a little
    assert min(ratios) > 0.35 and max(ratios) < 2.9
    assert abs(np.median(np.log(ratios))) < 0.1  # log-uniform ratio: median near log(1) = 0


def test_random_erasing_leaves_image_when_no_attempt_fits() -> None:
    images = batch(5, 4, 4)
    out, _, record = BatchRandomErasing(scale=(1.0, 1.0), ratio=(1.0, 1.0))(images, rng=0, record=True)
    assert holes_of(record) == [[]] * 5 and np.array_equal(out, images)


# ---------------------------------------------------------------------- backends
@pytest.mark.parametrize("eraser", erasers(), ids=repr)
@pytest.mark.parametrize("dtype", ["float32", "uint8"])
def test_numpy_torch_parity(eraser: BatchMixer, dtype: str, cpu_route: bool) -> None:
    images = batch(7, 18, 26, dtype)
    masks = np.random.default_rng(0).integers(0, 3, (7, 18, 26))
    eraser = eraser.with_params(fill_mask=255)
    for seed in range(3):
        out_np = eraser(images, np.arange(7), masks=masks, rng=seed, record=True)
        out_t = eraser(to_torch(images), torch.arange(7), masks=torch.from_numpy(masks), rng=seed, record=True)
        assert out_np[-1] == out_t[-1]
        assert out_t[0].dtype == torch.from_numpy(images).dtype
        assert np.array_equal(out_t[2].numpy(), out_np[2])
        assert torch.equal(out_t[1], torch.arange(7))
        random = "random" in (getattr(eraser, "fill", None), getattr(eraser, "value", None))
        pixels_t = out_t[0].permute(0, 2, 3, 1).numpy()
        if random and not cpu_route:  # device noise comes from a torch generator: same holes, other values
            outside = ~hole_map(out_np[-1], 18, 26)
            assert np.array_equal(pixels_t[outside], images[outside]) and np.array_equal(out_np[0][outside], images[outside])
        else:
            assert np.array_equal(pixels_t, out_np[0])


def test_random_fill_distributions() -> None:
    out, _, _record = BatchCutout(hole_height_range=0.5, hole_width_range=0.5, fill="random")(
        np.full((50, 20, 20, 3), 100.0, np.float32), rng=0, record=True
    )
    noise = out[out != 100.0]
    assert abs(noise.mean()) < 0.05 and abs(noise.std() - 1.0) < 0.05
    out8, _ = BatchCutout(hole_height_range=0.5, hole_width_range=0.5, fill="random")(np.zeros((50, 20, 20, 3), np.uint8), rng=0)
    assert out8.max() > 240 and 100 < out8[out8 > 0].mean() < 155


_META_CASES = [(e, d) for e in erasers() for d in (torch.float32, torch.uint8)]


@pytest.mark.parametrize(("eraser", "dtype"), _META_CASES, ids=repr)
def test_meta_device_means_no_host_sync(eraser: BatchMixer, dtype: torch.dtype) -> None:
    """Meta tensors hold no data: .item(), .cpu(), .tolist() or `if tensor:` would raise."""
    images = torch.empty(7, 3, 12, 20, dtype=dtype, device="meta")
    labels = torch.zeros(7, dtype=torch.int64, device="meta")
    masks = torch.zeros(7, 12, 20, dtype=torch.int64, device="meta")
    out, out_labels, out_masks = eraser.with_params(fill_mask=0)(images, labels, masks=masks, rng=0)
    assert out.device.type == "meta" and out.shape == images.shape and out.dtype == dtype
    assert out_labels.device.type == "meta" and out_labels.shape == (7,)
    assert out_masks.device.type == "meta" and out_masks.shape == masks.shape and out_masks.dtype == torch.int64


def test_cpu_torch_kernels_never_read_tensors_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_kernels, "CPU_VIA_NUMPY", False)
    images = to_torch(batch(6, 12, 16))
    masks = torch.zeros(6, 12, 16, dtype=torch.int64)

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("host sync inside a batch function")

    for name in ("item", "cpu", "tolist", "numpy", "__bool__"):
        monkeypatch.setattr(torch.Tensor, name, forbidden)
    for eraser in erasers():
        eraser.with_params(fill_mask=1)(images, torch.arange(6), masks=masks, rng=0)


def test_gradients_flow_outside_holes() -> None:
    images = to_torch(batch(3, 8, 8)).requires_grad_(True)
    out, _, record = BatchCutout(fill=0.5)(images, rng=0, record=True)
    out.sum().backward()
    grad = images.grad.permute(0, 2, 3, 1).numpy()
    for i, ((y0, y1, x0, x1),) in enumerate(holes_of(record)):
        assert (grad[i, y0:y1, x0:x1] == 0).all() and grad[i].sum() == 64 * 3 - (y1 - y0) * (x1 - x0) * 3


# ---------------------------------------------------------------------- targets
def test_masks_filled_only_when_asked() -> None:
    images = batch(4, 10, 10)
    masks = np.ones((4, 10, 10), np.int64)
    out, _, out_masks, _record = BatchCutout(hole_height_range=3, hole_width_range=3)(images, masks=masks, rng=0, record=True)
    assert np.array_equal(out_masks, masks) and out_masks is not masks
    _, _, filled = BatchCutout(hole_height_range=3, hole_width_range=3, fill_mask=7)(images, masks=masks, rng=0)
    assert ((filled == 7).sum(axis=(1, 2)) == 9).all()
    assert np.array_equal(filled == 7, (out == 0).all(axis=3))
    soft = np.ones((4, 10, 10, 2), np.float32)
    _, _, soft_out = BatchCutout(hole_height_range=3, hole_width_range=3, fill_mask=(0.0, 0.5))(images, masks=soft, rng=0)
    assert (soft_out[..., 1] == 0.5).sum() == 36 and (soft_out[..., 0] == 0.0).sum() == 36


def test_outputs_never_alias_inputs() -> None:
    images, labels, masks = batch(3), np.arange(3), np.zeros((3, 20, 30), np.int64)
    out = BatchCutout(prob=0.0)(images, labels, masks=masks, rng=0)
    for result, given in zip(out, (images, labels, masks), strict=True):
        assert not np.shares_memory(result, given)
    tensor = to_torch(images)
    out_t = BatchRandomErasing(prob=0.0)(tensor, torch.arange(3), rng=0)
    assert out_t[0].data_ptr() != tensor.data_ptr()
    assert BatchCutout()(images, rng=0)[1] is None


@pytest.mark.parametrize("eraser", erasers(), ids=repr)
def test_replay_is_exact_and_json_safe(eraser: BatchMixer, cpu_route: bool) -> None:
    images = batch(5, 16, 20)
    tensor = to_torch(images)
    masks = np.random.default_rng(0).integers(0, 4, (5, 16, 20))
    eraser = eraser.with_params(fill_mask=9)
    for seed in range(3):
        out, _, out_masks, record = eraser(images, masks=masks, rng=seed, record=True)
        record = json.loads(json.dumps(record, allow_nan=False))
        again, _, again_masks = eraser.replay(record, images, masks=masks)
        assert np.array_equal(out, again) and np.array_equal(out_masks, again_masks)
        out_t, _, record_t = eraser(tensor, rng=seed, record=True)
        again_t, _ = eraser.replay(json.loads(json.dumps(record_t)), tensor)
        assert torch.equal(out_t, again_t)


def test_seed_owns_a_generator_and_config_round_trips() -> None:
    cut = BatchCutout(num_holes_range=(1, 3), seed=4)
    images = batch(4)
    first, second = cut(images)[0], cut(images)[0]
    assert not np.array_equal(first, second)
    assert np.array_equal(first, BatchCutout(num_holes_range=(1, 3), seed=4)(images)[0])
    config = cut.to_dict()
    assert json.loads(json.dumps(config)) == config and config["name"] == "BatchCutout"
    assert BatchRandomErasing().to_dict()["scale"] == [0.02, 0.33]


def test_works_in_mix_collate() -> None:
    samples = [(np.full((8, 8, 3), 200, np.uint8), i) for i in range(4)]
    images, labels = MixCollate(BatchCutout(hole_height_range=2, hole_width_range=2))(samples)
    assert images.shape == (4, 3, 8, 8) and labels.tolist() == [0, 1, 2, 3]
    assert ((images == 0).sum(dim=(1, 2, 3)) == 12).all()


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("cls", "kwargs", "name"),
    [
        (BatchCutout, {"num_holes_range": (0, 2)}, "num_holes_range"),
        (BatchCutout, {"num_holes_range": (3, 2)}, "num_holes_range"),
        (BatchCutout, {"hole_height_range": 0.0}, "hole_height_range"),
        (BatchCutout, {"hole_width_range": (0.5, 1.5)}, "hole_width_range"),
        (BatchCutout, {"hole_width_range": (0, 3)}, "hole_width_range"),
        (BatchCutout, {"fill": "mean"}, "fill"),
        (BatchCutout, {"fill_mask": "x"}, "fill_mask"),
        (BatchCutout, {"prob": 1.5}, "prob"),
        (BatchCutout, {"seed": -1}, "seed"),
        (BatchCutout, {"p": 0.5}, "p"),
        (BatchRandomErasing, {"scale": (0.5, 0.1)}, "scale"),
        (BatchRandomErasing, {"scale": (0.1, 2.0)}, "scale"),
        (BatchRandomErasing, {"ratio": (0.0, 1.0)}, "ratio"),
        (BatchRandomErasing, {"value": "noise"}, "value"),
        (BatchRandomErasing, {"prob": -0.1}, "prob"),
    ],
)
def test_bad_arguments_name_class_and_argument(cls: type, kwargs: dict, name: str) -> None:
    with pytest.raises(ArgumentError, match=rf"^{cls.__name__}: .*'{name}'"):
        cls(**kwargs)


def test_bad_calls() -> None:
    images = batch(3, 8, 8)
    with pytest.raises(ArgumentError, match="BatchCutout: argument 'rng'"):
        BatchCutout()(images, rng="x")
    with pytest.raises(TargetError, match=r"BatchCutout: argument 'fill' has 2 values .* 3 channel"):
        BatchCutout(fill=(1, 2))(images, rng=0)
    with pytest.raises(TargetError, match="BatchCutout: target 'masks'"):
        BatchCutout()(images, masks=np.zeros((3, 4, 4), np.int64), rng=0)
    _, _, record = BatchCutout()(images, rng=0, record=True)
    with pytest.raises(TargetError, match="made by 'BatchCutout'"):
        BatchRandomErasing().replay(record, images)
    with pytest.raises(TargetError, match="N, H, W"):
        BatchCutout().replay(record, batch(3, 9, 8))
    record["params"]["holes"][0] = [[0, 20, 0, 2]]
    with pytest.raises(TargetError, match="do not fit"):
        BatchCutout().replay(record, images)
