"""Library adapters for the throughput benchmark: one class per library, each building its
transforms with parameters matched across libraries and its inputs in the library's native layout.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

import images
import pixel_suite

MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


# --------------------------------------------------------------------------------------------
# Library adapters: each returns {transform name: callable(input) -> materialized output} plus
# the inputs in the library's native layout. A missing entry means "no equivalent"; a
# constructor that fails (a name this version lacks, or one augkit has not written yet) is
# recorded in ``missing`` and its row runs without that library.
# --------------------------------------------------------------------------------------------
class Library:
    name: str
    version: str = "?"
    missing: list[str]

    def construct(self, factories: dict[str, Callable[[], Any]]) -> dict[str, Any]:
        """Call every factory; one that raises is recorded in ``self.missing`` and left out."""
        built = {}
        for key, make in factories.items():
            try:
                built[key] = make()
            except Exception as exc:
                self.missing.append(f"{key}: {type(exc).__name__}: {exc}")
        return built

    def inputs(self, pool: list[np.ndarray]) -> list[Any]:
        raise NotImplementedError

    def build(self) -> dict[str, Callable[[Any], Any]]:
        raise NotImplementedError

    @staticmethod
    def to_hwc_numpy(out: Any) -> np.ndarray:
        return np.asarray(out)


def _import_augkit():
    try:
        import augkit
    except ImportError:
        sys.path.insert(0, os.path.join(images.REPO, "src"))
    import augkit

    return augkit


class Augkit(Library):
    name = "augkit"

    def __init__(self, seed: int) -> None:
        self.ak = _import_augkit()
        self.version = getattr(self.ak, "__version__", "dev")
        self.seed = seed
        self.missing: list[str] = []

    def inputs(self, pool):
        return images.as_numpy_hwc(pool)

    def build(self):
        ak = self.ak
        seed = self.seed
        factories: dict[str, Callable[[], Any]] = {
            "HorizontalFlip": lambda: ak.image.HorizontalFlip(p=1.0),
            "VerticalFlip": lambda: ak.image.VerticalFlip(p=1.0),
            "Transpose": lambda: ak.image.Transpose(p=1.0),
            "RandomRotate90": lambda: ak.image.RandomRotate90(p=1.0),
            "RandomCrop224": lambda: ak.image.RandomCrop(224, 224),
            "CenterCrop224": lambda: ak.image.CenterCrop(224, 224),
            "Resize512": lambda: ak.image.Resize(512, 512, interpolation="linear"),
            "Normalize": lambda: ak.image.Normalize(mean=MEAN, std=STD),
            "RandomBrightnessContrast": lambda: ak.image.RandomBrightnessContrast(
                brightness=(-0.2, 0.2), contrast=(-0.2, 0.2), p=1.0
            ),
            "Rotate45": lambda: ak.image.Rotate(angle=(-45, 45), interpolation="linear", p=1.0),
            "Affine": lambda: ak.image.Affine(rotate=25, scale=1.2, shear=10, p=1.0),
            "ShiftScaleRotate": lambda: ak.image.ShiftScaleRotate(p=1.0),
            "SafeRotate": lambda: ak.image.SafeRotate(angle=(-45, 45), p=1.0),
            "Perspective": lambda: ak.image.Perspective(distortion_scale=0.5, p=1.0),
            "RandomResizedCrop224": lambda: ak.image.RandomResizedCrop(224, 224, p=1.0),
            "LongestMaxSize512": lambda: ak.image.LongestMaxSize(512, p=1.0),
            "SmallestMaxSize256": lambda: ak.image.SmallestMaxSize(256, p=1.0),
            "PadIfNeeded1024": lambda: ak.image.PadIfNeeded(1024, 1024, p=1.0),
            "SquareSymmetry": lambda: ak.image.SquareSymmetry(p=1.0),
            "ElasticTransform": lambda: ak.image.ElasticTransform(alpha=50, sigma=5, p=1.0),
            "GridDistortion": lambda: ak.image.GridDistortion(p=1.0),
            "OpticalDistortion": lambda: ak.image.OpticalDistortion(p=1.0),
        }
        factories.update(pixel_suite.augkit(ak))
        fns = {}
        for key, t in self.construct(factories).items():
            rng = np.random.default_rng(seed)

            def fn(img, t=t, rng=rng):
                return np.ascontiguousarray(t(image=img, rng=rng)["image"])

            fns[key] = fn
        return fns


class Albumentations(Library):
    name = "albumentations"

    def __init__(self, seed: int) -> None:
        import albumentations as A

        self.A = A
        self.version = A.__version__
        self.seed = seed
        self.missing: list[str] = []

    def inputs(self, pool):
        return images.as_numpy_hwc(pool)

    def build(self):
        A = self.A
        constant = cv2.BORDER_CONSTANT
        factories: dict[str, Callable[[], Any]] = {
            "HorizontalFlip": lambda: A.HorizontalFlip(p=1.0),
            "VerticalFlip": lambda: A.VerticalFlip(p=1.0),
            "Transpose": lambda: A.Transpose(p=1.0),
            "RandomRotate90": lambda: A.RandomRotate90(p=1.0),
            "RandomCrop224": lambda: A.RandomCrop(height=224, width=224, p=1.0),
            "CenterCrop224": lambda: A.CenterCrop(height=224, width=224, p=1.0),
            "Resize512": lambda: A.Resize(512, 512, interpolation=cv2.INTER_LINEAR, p=1.0),
            "Normalize": lambda: A.Normalize(mean=MEAN, std=STD, max_pixel_value=255.0, p=1.0),
            "RandomBrightnessContrast": lambda: A.RandomBrightnessContrast(brightness_limit=0.2, contrast_limit=0.2, p=1.0),
            "Rotate45": lambda: A.Rotate(limit=45, interpolation=cv2.INTER_LINEAR, border_mode=constant, p=1.0),
            # a scalar shear shears both axes in Albumentations; x only, as augkit, torchvision, Kornia
            "Affine": lambda: A.Affine(rotate=25, scale=1.2, shear={"x": (10, 10), "y": (0, 0)}, p=1.0),
            "ShiftScaleRotate": lambda: A.ShiftScaleRotate(p=1.0),
            "SafeRotate": lambda: A.SafeRotate(limit=45, p=1.0),
            "Perspective": lambda: A.Perspective(scale=(0.05, 0.1), p=1.0),
            "RandomResizedCrop224": lambda: A.RandomResizedCrop(size=(224, 224), p=1.0),
            "LongestMaxSize512": lambda: A.LongestMaxSize(max_size=512, p=1.0),
            "SmallestMaxSize256": lambda: A.SmallestMaxSize(max_size=256, p=1.0),
            "PadIfNeeded1024": lambda: A.PadIfNeeded(1024, 1024, border_mode=constant, p=1.0),
            "SquareSymmetry": lambda: A.SquareSymmetry(p=1.0),
            "ElasticTransform": lambda: A.ElasticTransform(alpha=50, sigma=5, p=1.0),
            "GridDistortion": lambda: A.GridDistortion(p=1.0),
            "OpticalDistortion": lambda: A.OpticalDistortion(p=1.0),
        }
        factories.update(pixel_suite.albumentations(A))
        fns = {}
        for key, t in self.construct(factories).items():
            if hasattr(t, "set_random_seed"):
                t.set_random_seed(self.seed)

            def fn(img, t=t):
                return np.ascontiguousarray(t(image=img)["image"])

            fns[key] = fn
        return fns


class Torchvision(Library):
    name = "torchvision"

    def __init__(self, seed: int) -> None:
        import torch
        import torchvision
        from torchvision.transforms import v2

        self.torch, self.v2 = torch, v2
        self.version = torchvision.__version__.split("+")[0]
        self.missing: list[str] = []
        torch.manual_seed(seed)

    def inputs(self, pool):
        return images.as_torch_chw_uint8(pool)

    @staticmethod
    def to_hwc_numpy(out):
        out = out.squeeze(0) if out.ndim == 4 else out
        return out.permute(1, 2, 0).contiguous().numpy()

    def build(self):
        torch, v2 = self.torch, self.v2
        bilinear = v2.InterpolationMode.BILINEAR
        factories: dict[str, Callable[[], Any]] = {
            "HorizontalFlip": lambda: v2.RandomHorizontalFlip(p=1.0),
            "VerticalFlip": lambda: v2.RandomVerticalFlip(p=1.0),
            "RandomRotate90": lambda: v2.RandomChoice(
                [v2.RandomRotation((a, a), expand=True) for a in (0.0, 90.0, 180.0, 270.0)]
            ),
            "RandomCrop224": lambda: v2.RandomCrop((224, 224)),
            "CenterCrop224": lambda: v2.CenterCrop((224, 224)),
            "Resize512": lambda: v2.Resize((512, 512), interpolation=bilinear, antialias=True),
            "Normalize": lambda: v2.Compose([v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean=MEAN, std=STD)]),
            "RandomBrightnessContrast": lambda: v2.ColorJitter(brightness=0.2, contrast=0.2),
            "Rotate45": lambda: v2.RandomRotation(45, interpolation=bilinear),
            "Affine": lambda: v2.RandomAffine(degrees=(25, 25), scale=(1.2, 1.2), shear=(10, 10, 0, 0), interpolation=bilinear),
            "ShiftScaleRotate": lambda: v2.RandomAffine(
                degrees=45, translate=(0.0625, 0.0625), scale=(0.9, 1.1), interpolation=bilinear
            ),
            "Perspective": lambda: v2.RandomPerspective(0.5, p=1.0),
            "RandomResizedCrop224": lambda: v2.RandomResizedCrop(224, antialias=True),
            "LongestMaxSize512": lambda: v2.Resize(size=None, max_size=512),
            "SmallestMaxSize256": lambda: v2.Resize(256),
            "PadIfNeeded1024": lambda: self._pad_to(1024, 1024),
            "ElasticTransform": lambda: v2.ElasticTransform(alpha=50.0, sigma=5.0),
        }
        factories.update(pixel_suite.torchvision(v2, torch))
        return {key: (lambda x, t=t: t(x).contiguous()) for key, t in self.construct(factories).items()}

    def _pad_to(self, height: int, width: int) -> Callable[[Any], Any]:
        """PadIfNeeded: constant 0 padding to at least height x width, the image centred (the
        margins depend on the image, which v2.Pad fixes at construction: call its kernel)."""
        pad = self.v2.functional.pad

        def fn(x):
            h, w = x.shape[-2:]
            top, left = max(height - h, 0) // 2, max(width - w, 0) // 2
            return pad(x, [left, top, max(width - w, 0) - left, max(height - h, 0) - top], fill=0)

        return fn


class Kornia(Library):
    name = "kornia"

    def __init__(self, seed: int) -> None:
        import kornia
        import kornia.augmentation as K
        import torch

        self.torch, self.K = torch, K
        self.version = kornia.__version__
        self.missing: list[str] = []
        torch.manual_seed(seed)

    def inputs(self, pool):
        return images.as_torch_chw_float(pool)

    to_hwc_numpy = staticmethod(Torchvision.to_hwc_numpy)

    def build(self):
        torch, K = self.torch, self.K
        h, w = images.HEIGHT, images.WIDTH
        factories: dict[str, Callable[[], Any]] = {
            "HorizontalFlip": lambda: K.RandomHorizontalFlip(p=1.0),
            "VerticalFlip": lambda: K.RandomVerticalFlip(p=1.0),
            "RandomRotate90": lambda: K.RandomRotation90(times=(0, 3), p=1.0),
            "RandomCrop224": lambda: K.RandomCrop((224, 224), p=1.0),
            "CenterCrop224": lambda: K.CenterCrop((224, 224), p=1.0),
            "Resize512": lambda: K.Resize((512, 512), resample="bilinear", align_corners=False),
            "Normalize": lambda: K.Normalize(mean=torch.tensor(MEAN), std=torch.tensor(STD), p=1.0),
            "RandomBrightnessContrast": lambda: K.ColorJitter(brightness=0.2, contrast=0.2, p=1.0),
            "Rotate45": lambda: K.RandomRotation(45.0, p=1.0),
            "Affine": lambda: K.RandomAffine(degrees=(25, 25), scale=(1.2, 1.2), shear=(10, 10, 0, 0), p=1.0),
            "ShiftScaleRotate": lambda: K.RandomAffine(degrees=45, translate=(0.0625, 0.0625), scale=(0.9, 1.1), p=1.0),
            "Perspective": lambda: K.RandomPerspective(0.5, p=1.0),
            "RandomResizedCrop224": lambda: K.RandomResizedCrop((224, 224), p=1.0),
            "LongestMaxSize512": lambda: K.Resize(512, side="long"),
            "SmallestMaxSize256": lambda: K.Resize(256, side="short"),
            "PadIfNeeded1024": lambda: K.PadTo((1024, 1024)),
            # torchvision's field: uniform noise, Gaussian kernel 8 sigma + 1, alpha / size in grid units
            "ElasticTransform": lambda: K.RandomElasticTransform(
                kernel_size=(41, 41), sigma=(5.0, 5.0), alpha=(50.0 / w, 50.0 / h), p=1.0
            ),
        }
        factories.update(pixel_suite.kornia(K, torch))
        return {key: (lambda x, t=t: t(x).contiguous()) for key, t in self.construct(factories).items()}
