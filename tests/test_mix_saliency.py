"""ResizeMix, FMix and SaliencyMix (numpy), and the spectral-residual saliency."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from augkit.mix import FMix, ResizeMix, SaliencyMix, spectral_residual_saliency
from augkit.mix.saliency import fourier_mask

K = 4


def constant_batch(n: int, height: int, width: int) -> np.ndarray:
    return np.broadcast_to(np.arange(1, n + 1, dtype=np.float32)[:, None, None, None], (n, height, width, 3)).copy()


@pytest.mark.parametrize("mode", ["batch", "elem"])
@pytest.mark.parametrize("n", [1, 3, 7])
def test_resizemix_pastes_the_shrunken_partner(mode: str, n: int) -> None:
    rng = np.random.default_rng(0)
    height, width = 20, 36
    images = rng.random((n, height, width, 3)).astype(np.float32)
    for seed in range(6):
        out, targets, rec = ResizeMix(num_classes=K, mode=mode)(images, np.arange(n) % K, rng=seed, record=True)
        params = rec["params"]
        for i in range(n):
            y0, y1, x0, x1 = params["boxes"][i]
            p = params["partner"][i]
            if p == i:
                assert np.array_equal(out[i], images[i]) and params["lam"][i] == 1.0
                continue
            tau = (y1 - y0) / height
            assert 0.1 - 0.5 / height <= tau <= 0.8 + 0.5 / height and y0 >= 0 and y1 <= height and x0 >= 0 and x1 <= width
            expected = cv2.resize(images[p], (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
            np.testing.assert_allclose(out[i, y0:y1, x0:x1], expected.reshape(y1 - y0, x1 - x0, 3), atol=1e-6)
            outside = np.ones((height, width), bool)
            outside[y0:y1, x0:x1] = False
            assert np.array_equal(out[i][outside], images[i][outside])
            assert params["lam"][i] == 1.0 - (y1 - y0) * (x1 - x0) / (height * width)
        np.testing.assert_allclose(targets.sum(1), 1.0, atol=1e-6)


def test_resizemix_masks_use_nearest() -> None:
    masks = np.zeros((2, 8, 8), np.int64)
    masks[1] = np.arange(64).reshape(8, 8)
    _, _, out_masks, rec = ResizeMix(scale=0.5)(np.zeros((2, 8, 8, 1), np.float32), masks=masks, rng=0, record=True)
    y0, y1, x0, x1 = rec["params"]["boxes"][0]
    assert (y1 - y0, x1 - x0) == (4, 4)
    assert out_masks[0, y0:y1, x0:x1].tolist() == masks[1][1::2, 1::2].tolist()


@pytest.mark.parametrize("shape", [(16, 16), (12, 30), (31, 7)])
def test_fourier_mask_fraction_and_smoothness(shape: tuple[int, int]) -> None:
    height, width = shape
    for seed, lam in enumerate([0.1, 0.37, 0.5, 0.93]):
        mask = fourier_mask(seed, lam, height, width)
        assert mask.shape == shape and int(mask.sum()) == round(lam * height * width)
    smooth = fourier_mask(0, 0.5, 64, 64)
    noise = np.random.default_rng(0).random((64, 64)) < 0.5
    edges = lambda m: int((m[1:] != m[:-1]).sum() + (m[:, 1:] != m[:, :-1]).sum())  # noqa: E731
    assert edges(smooth) < edges(noise) / 5  # low-frequency blobs, not salt and pepper
    assert edges(fourier_mask(0, 0.5, 64, 64, decay_power=1.0)) > edges(smooth)


@pytest.mark.parametrize("mode", ["batch", "elem"])
def test_fmix_weight_is_kept_fraction_and_masks_follow(mode: str) -> None:
    n, height, width = 5, 10, 14
    images = constant_batch(n, height, width)
    masks = np.broadcast_to(np.arange(n)[:, None, None], (n, height, width)).astype(np.uint8)
    out, targets, out_masks, rec = FMix(num_classes=n, mode=mode)(images, np.arange(n), masks=masks, rng=3, record=True)
    for i in range(n):
        kept = float((out[i, :, :, 0] == i + 1).mean())
        assert rec["params"]["lam"][i] == pytest.approx(kept, abs=1e-12)
        assert targets[i, i] == pytest.approx(kept, abs=1e-6)
    assert np.array_equal(out_masks.astype(np.float32) + 1, out[:, :, :, 0])
    again = FMix(num_classes=n, mode=mode).replay(json.loads(json.dumps(rec)), images, np.arange(n), masks=masks)
    assert np.array_equal(again[0], out) and np.array_equal(again[2], out_masks)


def salient_batch(n: int, height: int, width: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    rng = np.random.default_rng(1)
    images = rng.normal(0.5, 0.04, (n, height, width, 3)).astype(np.float32)
    centres = []
    for i in range(n):
        y, x = int(rng.integers(4, height - 12)), int(rng.integers(4, width - 12))
        images[i, y : y + 8, x : x + 8] += 0.5
        centres.append((y + 4, x + 4))
    return images, centres


def test_spectral_residual_finds_the_odd_square() -> None:
    images, centres = salient_batch(6, 64, 96)
    saliency = spectral_residual_saliency(images)
    assert saliency.shape == (6, 64, 64) and saliency.dtype == np.float32
    for i, (cy, cx) in enumerate(centres):
        py, px = np.unravel_index(int(saliency[i].argmax()), saliency[i].shape)
        assert abs(py - cy) <= 5 and abs(px * 96 / 64 - cx) <= 7


def test_spectral_residual_numpy_and_torch_agree() -> None:
    import torch

    images, _ = salient_batch(3, 50, 70)
    a = spectral_residual_saliency(images)
    b = spectral_residual_saliency(torch.from_numpy(images).permute(0, 3, 1, 2)).numpy()
    np.testing.assert_allclose(b / b.max(), a / a.max(), atol=2e-3)


@pytest.mark.parametrize("mode", ["batch", "elem"])
def test_saliencymix_box_is_centred_on_the_partner_peak(mode: str) -> None:
    n, height, width = 5, 64, 80
    images, centres = salient_batch(n, height, width)
    for seed in range(4):
        out, targets, rec = SaliencyMix(num_classes=K, mode=mode)(images, np.arange(n) % K, rng=seed, record=True)
        params = rec["params"]
        for i in range(n):
            p = params["partner"][i]
            y0, y1, x0, x1 = params["boxes"][i]
            if p == i or y1 == y0:
                continue
            cy, cx = centres[p]
            ch, cw = params["size"][i]
            if y0 > 0 and y1 < height:  # unclipped: the centre is within a few pixels of the square's
                assert abs((y0 + y1) / 2 - cy) <= 6
            if x0 > 0 and x1 < width:
                assert abs((x0 + x1) / 2 - cx) <= 8
            assert y1 - y0 <= ch and x1 - x0 <= cw
            assert np.array_equal(out[i, y0:y1, x0:x1], images[p, y0:y1, x0:x1])
            assert params["lam"][i] == 1.0 - (y1 - y0) * (x1 - x0) / (height * width)
        np.testing.assert_allclose(targets.sum(1), 1.0, atol=1e-6)
        if mode == "batch":  # one box size for the batch
            assert len({tuple(size) for j, size in enumerate(params["size"]) if params["partner"][j] != j}) == 1
