"""The torch path: numpy/torch parity on the same draw, no host sync (meta device and patched
tensor methods), both CPU kernels, devices of labels, and the missing-torch error."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import numpy as np
import pytest
import torch  # the test extra installs it

from augkit.core.errors import MissingDependencyError
from augkit.mix import CutMix, FMix, Mix, MixUp, ResizeMix, RMix, SaliencyMix, _kernels
from augkit.mix._backend import require_torch

K = 6


def mixers() -> list:
    return [
        Mix(num_classes=K, mode="batch"),
        Mix(num_classes=K, mode="pair", prob=0.8, label_smoothing=0.1),
        Mix(num_classes=K, mode="elem", cutmix_minmax=(0.2, 0.7)),
        MixUp(num_classes=K),
        CutMix(num_classes=K, mode="elem"),
        ResizeMix(num_classes=K),
        ResizeMix(num_classes=K, mode="elem", interpolation="nearest"),
        FMix(num_classes=K, mode="elem"),
        SaliencyMix(num_classes=K, mode="elem"),
    ]


@pytest.fixture(params=[True, False], ids=["cpu-numpy-views", "torch-kernels"])
def cpu_route(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    monkeypatch.setattr(_kernels, "CPU_VIA_NUMPY", request.param)
    yield request.param


def textured(n: int, height: int, width: int, dtype: str) -> np.ndarray:
    rng = np.random.default_rng(7)
    images = rng.normal(0.5, 0.05, (n, height, width, 3))
    for i in range(n):  # a bright square per image, so saliency peaks are unambiguous
        y, x = rng.integers(0, height - 6), rng.integers(0, width - 6)
        images[i, y : y + 6, x : x + 6] += 0.4
    return (images * 255).clip(0, 255).astype(np.uint8) if dtype == "uint8" else images.astype(np.float32)


@pytest.mark.parametrize("mixer", mixers(), ids=repr)
@pytest.mark.parametrize("dtype", ["float32", "uint8"])
@pytest.mark.parametrize("n", [1, 3, 7])
def test_numpy_torch_parity(mixer: Mix, dtype: str, n: int, cpu_route: bool) -> None:
    images = textured(n, 24, 40, dtype)
    labels = np.arange(n) % K
    masks = None if mixer.blends() else np.random.default_rng(0).integers(0, 3, (n, 24, 40))
    for seed in range(3):
        out_np = mixer(images, labels, masks=masks, rng=seed, record=True)
        tensor = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()
        out_t = mixer(
            tensor, torch.from_numpy(labels), masks=None if masks is None else torch.from_numpy(masks), rng=seed, record=True
        )
        pixels_np, pixels_t = out_np[0].astype(np.float64), out_t[0].permute(0, 2, 3, 1).numpy().astype(np.float64)
        tolerance = 1.0 if dtype == "uint8" else 1e-5  # uint8: rounding of blends may differ by one level
        assert np.abs(pixels_np - pixels_t).max() <= tolerance
        assert out_t[0].dtype == tensor.dtype and out_t[0].is_contiguous()
        np.testing.assert_allclose(out_t[1].numpy(), out_np[1], atol=1e-6)
        if masks is not None:
            assert np.array_equal(out_t[2].numpy(), out_np[2])
        assert out_np[-1]["params"]["partner"] == out_t[-1]["params"]["partner"]


@pytest.mark.parametrize("mixer", mixers(), ids=repr)
def test_torch_replay_is_exact(mixer: Mix, cpu_route: bool) -> None:
    images = torch.from_numpy(textured(5, 16, 20, "float32")).permute(0, 3, 1, 2).contiguous()
    labels = torch.tensor([0, 1, 2, 3, 4])
    for seed in range(3):
        out, targets, record = mixer(images, labels, rng=seed, record=True)
        again, targets_again = mixer.replay(json.loads(json.dumps(record, allow_nan=False)), images, labels)
        assert torch.equal(out, again) and torch.equal(targets, targets_again)


def test_both_cpu_kernels_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    images = torch.from_numpy(textured(7, 10, 14, "uint8")).permute(0, 3, 1, 2).contiguous()
    for mixer in mixers():
        results = []
        for route in (True, False):
            monkeypatch.setattr(_kernels, "CPU_VIA_NUMPY", route)
            results.append(mixer(images, torch.arange(7) % K, rng=1)[0].to(torch.int16))
        assert (results[0] - results[1]).abs().max() <= 1


def meta_model() -> torch.nn.Module:
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.AdaptiveAvgPool2d(1),
        torch.nn.Flatten(),
        torch.nn.Linear(4, K),
    )


_META_CASES = [
    (mixer, dtype)
    for mixer in [*mixers(), RMix(meta_model().to("meta"), num_classes=K)]
    for dtype in (torch.float32, torch.uint8)
    if not (isinstance(mixer, RMix) and dtype == torch.uint8)  # RMix takes float images (gradients)
]


@pytest.mark.parametrize(("mixer", "dtype"), _META_CASES, ids=repr)
@pytest.mark.parametrize("labels_kind", ["indices", "soft", "numpy"])
def test_meta_device_means_no_host_sync(mixer: Mix, dtype: torch.dtype, labels_kind: str) -> None:
    """Meta tensors hold no data: .item(), .cpu(), .tolist() or `if tensor:` would raise."""
    images = torch.empty(7, 3, 12, 20, dtype=dtype, device="meta")
    labels = {
        "indices": torch.zeros(7, dtype=torch.int64, device="meta"),
        "soft": torch.empty(7, K, device="meta"),
        "numpy": np.arange(7) % K,
    }[labels_kind]
    masks = None if mixer.blends() else torch.zeros(7, 12, 20, dtype=torch.int64, device="meta")
    out = mixer(images, labels, masks=masks, rng=0)
    assert out[0].device.type == "meta" and out[0].shape == images.shape and out[0].dtype == dtype
    assert out[1].device.type == "meta" and out[1].shape == (7, K) and out[1].dtype == torch.float32
    if masks is not None:
        assert out[2].shape == masks.shape


def test_cpu_torch_kernels_never_read_tensors_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_kernels, "CPU_VIA_NUMPY", False)
    images = torch.from_numpy(textured(6, 12, 16, "float32")).permute(0, 3, 1, 2).contiguous()
    labels = torch.arange(6) % K

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("host sync inside a batch function")

    for name in ("item", "cpu", "tolist", "numpy", "__bool__"):
        monkeypatch.setattr(torch.Tensor, name, forbidden)
    for mixer in mixers():
        mixer(images, labels, rng=0)
        mixer(images, labels, masks=None if mixer.blends() else torch.zeros(6, 12, 16, dtype=torch.int64), rng=1)


def test_rmix_on_cpu_keeps_model_state() -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, padding=1),
        torch.nn.BatchNorm2d(4),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(4 * 8 * 8, K),
    )
    model.train()
    running = model[1].running_mean.clone()
    images, labels = torch.rand(6, 3, 8, 8), torch.tensor([0, 1, 2, 3, 4, 5])
    out, targets, record = RMix(model, num_classes=K, num_patches=(4,))(images, labels, rng=0, record=True)
    assert model.training and torch.equal(model[1].running_mean, running)  # eval pass, mode restored
    assert all(p.grad is None for p in model.parameters())
    np.testing.assert_allclose(targets.sum(1).numpy(), 1.0, atol=1e-6)
    params = record["params"]
    salient = np.asarray(params["salient"], bool)  # (N, 4, 4), upsampled 2x to 8x8
    own = salient.repeat(2, axis=1).repeat(2, axis=2)
    other = own[params["partner"]]
    lam = params["blend"]
    weight = (own == other).mean((1, 2)) * lam + (own & ~other).mean((1, 2))
    np.testing.assert_allclose(targets.numpy()[np.arange(6), labels.numpy()], weight, atol=1e-6)
    expected = np.where(
        (own & ~other)[:, None],
        images.numpy(),
        np.where(
            (~own & other)[:, None],
            images.numpy()[params["partner"]],
            lam * images.numpy() + (1 - lam) * images.numpy()[params["partner"]],
        ),
    )
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-6)
    calls = []
    model.register_forward_hook(lambda *args: calls.append(1))
    again, _ = RMix(model, num_classes=K, num_patches=(4,)).replay(json.loads(json.dumps(record)), images, labels)
    assert torch.equal(again, out) and not calls  # replay does not run the model


def test_labels_follow_their_device_and_images_kind() -> None:
    images = torch.zeros(3, 3, 4, 4)
    _, targets = Mix(num_classes=K)(images, [0, 1, 2], rng=0)
    assert isinstance(targets, torch.Tensor) and targets.dtype == torch.float32
    with pytest.raises(Exception, match="target 'labels' is a torch tensor but 'images' is a numpy array"):
        Mix(num_classes=K)(np.zeros((3, 4, 4, 3), np.float32), torch.tensor([0, 1, 2]))
    with pytest.raises(Exception, match=r"Mix: target 'labels' expects class indices in \[0, 6\)"):
        Mix(num_classes=K)(images, torch.tensor([0, 1, 9]), rng=0)


def test_import_does_not_load_torch() -> None:
    code = "import sys, augkit, augkit.mix; from augkit.mix import Mix, MixCollate; assert 'torch' not in sys.modules, 'loaded'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_missing_torch_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(MissingDependencyError, match=r"pip install augkit\[torch\]"):
        require_torch("MixUp")


@pytest.mark.parametrize("dtype", ["float32", "uint8"])
@pytest.mark.parametrize(
    "mixer", [Mix(num_classes=K, mode="elem"), MixUp(num_classes=K), CutMix(num_classes=K, mode="pair")], ids=repr
)
def test_inplace_tensors_match_the_copying_mixer(mixer: Mix, dtype: str, cpu_route: bool) -> None:
    tensor = torch.from_numpy(textured(7, 12, 16, dtype)).permute(0, 3, 1, 2).contiguous()
    labels = torch.arange(7) % K
    for seed in range(3):
        expected, targets = mixer(tensor, labels, rng=seed)
        work = tensor.clone()
        got, got_targets = mixer.with_params(inplace=True)(work, labels, rng=seed)
        assert got is work and torch.equal(work, expected) and torch.equal(got_targets, targets)
