"""Policies as ordinary transforms: seeds, records and replay, configs, Compose, batches and frame
stacks, supported inputs, argument errors, AugMix's JSD views and loss."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from typing import Any

import numpy as np
import pytest
import torch

import augkit as ak
from augkit.policies import AugMix, AutoAugment, Policy, RandAugment, TrivialAugmentWide, UniformAugment, augmix_jsd_loss
from augkit.samples import load_samples

PHOTO = np.ascontiguousarray(load_samples()[1].image[100:164, 150:230])  # 64 x 80 RGB
BOXES = np.array([[5.0, 6.0, 30.0, 40.0], [40.0, 20.0, 75.0, 60.0]])
MASK = np.zeros(PHOTO.shape[:2], np.uint8)
MASK[6:40, 5:30], MASK[20:60, 40:75] = 1, 2
KEYPOINTS = np.array([[10.0, 12.0], [60.0, 30.0]])

POLICIES: list[Policy] = [
    AutoAugment("svhn"),
    AutoAugment("imagenet", interpolation="linear", fill=(10, 20, 30)),
    RandAugment(num_ops=3, magnitude=15, magnitude_std=0.5),
    RandAugment(scale="paper", op_probability=0.5, ops=["Rotate", "HorizontalFlip", "Invert", "SolarizeAdd"]),
    TrivialAugmentWide(fill=128, fill_mask=255),
    UniformAugment(num_ops=3, interpolation="cubic"),
    AugMix(severity=5, width=2, depth=2, alpha=0.5, all_ops=False),
]
IDS = [f"{type(p).__name__}{i}" for i, p in enumerate(POLICIES)]


def targets_for(policy: Policy) -> dict[str, Any]:
    if isinstance(policy, AugMix):
        return {"image": PHOTO}
    return {"image": PHOTO, "mask": MASK, "bboxes": BOXES, "labels": [1, 2], "keypoints": KEYPOINTS}


def assert_same(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a.keys() - {"applied"} == b.keys() - {"applied"}
    for key in a.keys() - {"applied"}:
        np.testing.assert_array_equal(np.asarray(a[key]), np.asarray(b[key]), err_msg=key)


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_seeds_reproduce_and_replay_is_exact(policy: Policy) -> None:
    targets = targets_for(policy)
    outputs = set()
    for seed in range(8):
        out = policy(rng=seed, record=True, **targets)
        assert_same(out, policy(rng=np.random.default_rng(seed), **targets))
        record = json.loads(json.dumps(out["applied"], allow_nan=False))
        assert_same(policy.replay(record, **targets), out)
        outputs.add(out["image"].tobytes())
    assert len(outputs) >= 4


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_config_pickle_and_yaml_round_trip(policy: Policy, tmp_path: Any) -> None:
    config = policy.to_dict()
    rebuilt = ak.from_dict(json.loads(json.dumps(config)))
    assert rebuilt.to_dict() == config
    assert ak.load(ak.save(policy, tmp_path / "policy.yaml")).to_dict() == config
    assert pickle.loads(pickle.dumps(policy)).to_dict() == config
    assert_same(rebuilt(rng=3, **targets_for(policy)), policy(rng=3, **targets_for(policy)))


def test_record_names_the_ops_and_magnitudes() -> None:
    out = AutoAugment("imagenet")(image=PHOTO, rng=4, record=True)
    entry = out["applied"][0]
    assert entry["name"] == "AutoAugment" and 0 <= entry["params"]["sub_policy"] < 25
    for step in entry["params"]["ops"]:
        assert step["op"] in ak.policies.OPS
    out = RandAugment(ops=["Rotate"])(image=PHOTO, rng=0, record=True)
    assert [abs(s["magnitude"]) for s in out["applied"][0]["params"]["ops"]] == [9.0, 9.0]


def test_policies_compose_and_replay_in_a_pipeline() -> None:
    pipe = ak.Compose(
        [ak.image.HorizontalFlip(p=0.5), RandAugment(num_ops=2, magnitude=12), ak.image.RandomBrightnessContrast(p=0.5)],
        seed=7,
    )
    for _ in range(5):
        out = pipe(image=PHOTO, mask=MASK, bboxes=BOXES, labels=[1, 2], record=True)
        assert any(entry["name"] == "RandAugment" for entry in out["applied"])
        assert_same(pipe.replay(out["applied"], image=PHOTO, mask=MASK, bboxes=BOXES, labels=[1, 2]), out)


def test_flips_swap_keypoint_labels() -> None:
    pipe = ak.Compose([RandAugment(num_ops=1, ops=["HorizontalFlip"])], keypoint_swap={"left": "right"})
    out = pipe(image=PHOTO, keypoints=KEYPOINTS, keypoint_labels=["left", "right"], rng=0)
    assert out["keypoint_labels"] == ["right", "left"]
    assert out["keypoints"][:, 0].tolist() == [69.0, 19.0]


def test_frame_stack_shares_one_draw_and_batches_draw_per_sample() -> None:
    policy = TrivialAugmentWide()
    frames = np.stack([PHOTO] * 6)
    stacked = policy(images=frames, rng=1)["images"]
    assert all(np.array_equal(stacked[0], frame) for frame in stacked)
    out = policy.apply_batch(frames, rng=1, record=True)
    assert out["images"].shape == frames.shape and len(out["applied"]) == 6
    assert len({json.dumps(r) for r in out["applied"]}) >= 4  # independent draws
    for index in range(6):
        assert_same(policy.replay(out["applied"][index], image=PHOTO), {"image": out["images"][index]})
    shared = policy.apply_batch(frames, rng=1, same_on_batch=True, record=True)
    assert all(np.array_equal(shared["images"][0], frame) for frame in shared["images"])
    # sample i's draw depends on i and the key only, not on the batch size
    larger = policy.apply_batch(np.stack([PHOTO] * 9), rng=1)["images"]
    np.testing.assert_array_equal(larger[:6], out["images"])


def test_supported_inputs() -> None:
    policy = RandAugment(num_ops=3, magnitude=20)
    grey = PHOTO.mean(axis=2).astype(np.uint8)
    for image in (grey, grey[:, :, None], PHOTO.astype(np.float32) / 255):
        out = policy(image=image, rng=2)["image"]
        assert out.shape == image.shape and out.dtype == image.dtype
    with pytest.raises(ak.TargetTypeError, match=r"^RandAugment: target 'image' expects dtype uint8 or float32; got uint16"):
        policy(image=PHOTO.astype(np.uint16), rng=0)
    with pytest.raises(ak.TargetTypeError, match=r"^RandAugment: target 'image' expects 1 or 3 channel\(s\); got 4"):
        policy(image=np.zeros((8, 8, 4), np.uint8), rng=0)
    with pytest.raises(ak.TargetTypeError, match=r"^AugMix: target 'mask' is not supported"):
        AugMix()(image=PHOTO, mask=MASK, rng=0)
    with pytest.raises(ak.TargetError, match="argument 'fill' does not fit the image"):
        TrivialAugmentWide(ops=["Rotate"], fill=(1, 2))(image=PHOTO, rng=0)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: RandAugment(magnitude=31),
            r"RandAugment: argument 'magnitude' expects a finite number in \[0.0, 30.0\]; got 31",
        ),
        (lambda: RandAugment(magnitude=11, scale="paper"), r"argument 'magnitude' expects a finite number in \[0.0, 10.0\]"),
        (lambda: RandAugment(scale="timm"), r"argument 'scale' expects one of 'torchvision', 'paper'; got 'timm'"),
        (
            lambda: RandAugment(exclude=["Rotat"]),
            r"argument 'exclude' has unknown op 'Rotat'. Did you mean 'Rotate'.*Valid ops: Identity",
        ),
        (lambda: RandAugment(ops="Rotate"), r"argument 'ops' expects a list of op names; got 'Rotate'"),
        (lambda: RandAugment(ops=["Rotate"], exclude=["Rotate"]), r"leave no op to apply"),
        (lambda: RandAugment(interpolation="bilinear"), r"argument 'interpolation' expects one of 'nearest', 'linear', 'cubic'"),
        (lambda: RandAugment(magnitude_std=-1), r"argument 'magnitude_std' expects a finite number >= 0.0; got -1"),
        (lambda: TrivialAugmentWide(num_magnitude_bins=1), r"argument 'num_magnitude_bins' expects an integer >= 2; got 1"),
        (lambda: AutoAugment("coco"), r"AutoAugment: argument 'policy' expects one of 'imagenet', 'cifar10', 'svhn'; got 'coco'"),
        (lambda: AutoAugment("imagenet", ops=["TranslateX"]), r"leave none of the 'imagenet' policy's ops"),
        (lambda: UniformAugment(op_probability=2), r"argument 'op_probability' expects a probability in \[0, 1\]; got 2"),
        (lambda: AugMix(severity=11), r"AugMix: argument 'severity' expects an integer in \[1, 10\]; got 11"),
        (lambda: AugMix(depth=0), r"argument 'depth' expects -1 \(random 1-3\) or an integer >= 1; got 0"),
        (lambda: AugMix(alpha=0), r"argument 'alpha' expects a finite number >= 1e-06; got 0"),
        (lambda: AugMix(nonsense=1), r"AugMix: unknown argument 'nonsense'. Valid arguments: severity"),
    ],
)
def test_bad_arguments_raise_clear_errors(build: Any, message: str) -> None:
    with pytest.raises(ak.ArgumentError, match=message):
        build()


def test_apply_batch_checks_its_input() -> None:
    with pytest.raises(ak.TargetError, match=r"RandAugment.apply_batch: target 'images' expects a N x H x W"):
        RandAugment().apply_batch(PHOTO[0])
    with pytest.raises(ak.ArgumentError, match="'same_on_batch' expects True or False"):
        RandAugment().apply_batch(PHOTO[None], same_on_batch=1)


# ------------------------------------------------------------------------------------ AugMix
def test_augmix_mixes_chains_convexly() -> None:
    policy = AugMix()
    out = policy(image=PHOTO, rng=0, record=True)
    params = out["applied"][0]["params"]
    chains = [policy._run_ops(PHOTO, chain).astype(np.float64) for chain in params["chains"]]
    expected = (1 - params["blend"]) * PHOTO + params["blend"] * sum(
        w * c for w, c in zip(params["weights"], chains, strict=True)
    )
    assert np.abs(out["image"] - np.clip(np.rint(expected), 0, 255)).max() <= 1
    flat = np.full((16, 16, 3), 77, np.uint8)  # every chain of pixel ops leaves a flat image flat
    assert np.unique(AugMix(ops=["AutoContrast", "Equalize"])(image=flat, rng=1)["image"]).tolist() == [77]


def test_augmix_returns_jsd_views_and_replays_them() -> None:
    policy = AugMix(return_chains=True)
    out = policy(image=PHOTO, rng=5, record=True)
    views = out["jsd_views"]
    assert views.shape == (3, *PHOTO.shape) and views.dtype == np.uint8
    np.testing.assert_array_equal(views[0], PHOTO)
    np.testing.assert_array_equal(views[1], out["image"])
    assert not np.array_equal(views[1], views[2])
    assert "second" in out["applied"][0]["params"]
    again = policy.replay(json.loads(json.dumps(out["applied"])), image=PHOTO)
    np.testing.assert_array_equal(again["jsd_views"], views)
    assert "applied" not in policy(image=PHOTO, rng=5)


def test_augmix_jsd_loss_matches_its_definition() -> None:
    gen = torch.Generator().manual_seed(0)
    clean, aug1, aug2 = (torch.randn(8, 10, generator=gen) for _ in range(3))
    probs = [torch.softmax(t, dim=1) for t in (clean, aug1, aug2)]
    mixture = torch.clamp((probs[0] + probs[1] + probs[2]) / 3, 1e-7, 1).log()
    expected = 12 * sum(torch.nn.functional.kl_div(mixture, p, reduction="batchmean") for p in probs) / 3
    assert torch.allclose(augmix_jsd_loss(clean, aug1, aug2), expected, atol=1e-6)
    assert torch.allclose(augmix_jsd_loss(clean, aug1, aug2, weight=1.0), expected / 12, atol=1e-6)
    assert float(augmix_jsd_loss(clean, clean, clean)) == pytest.approx(0.0, abs=1e-6)
    logits = clean.clone().requires_grad_(True)
    augmix_jsd_loss(logits, aug1, aug2).backward()
    assert logits.grad is not None and torch.isfinite(logits.grad).all()
    with pytest.raises(ak.TargetError, match="the three logits expect the same"):
        augmix_jsd_loss(clean, aug1[:4], aug2)


def test_importing_policies_does_not_import_torch() -> None:
    code = "import sys, augkit.policies; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
