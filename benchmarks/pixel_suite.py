"""The pixel-catalog rows of the image benchmark: one factory per library and transform.

Parameters are matched across libraries; a row's note says where a peer only has a near
equivalent. Pillow runs on PIL images (its native type) where it has the operation.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from typing import Any, NamedTuple

import cv2
import numpy as np

import images


class Row(NamedTuple):
    key: str
    note: str = ""
    images: int | None = None


REFERENCE = os.path.join(images.SAMPLES_DIR, "coffee.jpg")  # the reference photo of the domain rows

ROWS: list[Row] = [
    Row("Brightness", "factor uniform in [0.8, 1.2]; Albumentations, torchvision, Kornia: ColorJitter(brightness=(0.8, 1.2))"),
    Row("Contrast", "factor uniform in [0.8, 1.2], blend with the grey mean; peers: ColorJitter(contrast=(0.8, 1.2))"),
    Row("Saturation", "factor uniform in [0.8, 1.2]; peers: ColorJitter(saturation=(0.8, 1.2)); Pillow: ImageEnhance.Color"),
    Row("Hue", "shift uniform in [-0.1, 0.1] of a turn; peers: ColorJitter(hue=0.1)"),
    Row("ColorJitter", "brightness 0.2, contrast 0.2, saturation 0.2, hue 0.1, random order"),
    Row("HueSaturationValue", "Albumentations' defaults (hue 20, sat 30, val 20)"),
    Row("RGBShift", "+-20 per channel"),
    Row("ChannelShuffle", "torchvision: RandomChannelPermutation; Kornia: RandomChannelShuffle"),
    Row("ChannelDropout", "one channel set to 0; Kornia: RandomChannelDropout"),
    Row("ToGray", "ITU-R 601 luma, 3 output channels; Pillow: convert('L').convert('RGB')"),
    Row("ToSepia", "the classic sepia matrix"),
    Row("RandomGamma", "gamma uniform in [0.8, 1.2]; Kornia: RandomGamma(gamma=(0.8, 1.2))"),
    Row("Invert"),
    Row("Posterize", "4 bits"),
    Row("Solarize", "threshold 128 (0.5); Kornia: RandomSolarize(thresholds=0, additions=0)"),
    Row("Equalize", "per channel"),
    Row("AutoContrast", "per channel, no cutoff"),
    Row("CLAHE", "clip limit uniform in [1, 4], 8x8 tiles, on L of LAB; Kornia: RandomClahe(clip_limit=(1, 4)) per channel", 250),
    Row("RandomToneCurve", "scale 0.1"),
    Row("PlanckianJitter", "black-body illuminant, Albumentations' and Kornia's default temperatures"),
    Row("ToFloat", "uint8 -> float32 / 255; torchvision: ToDtype(float32, scale=True)"),
    Row("GaussianBlur", "5x5, sigma 1; Pillow: GaussianBlur(radius=1) (its own kernel extent)"),
    Row("Blur", "5x5 box; Kornia: RandomBoxBlur((5, 5)); Pillow: BoxBlur(2)"),
    Row("MedianBlur", "5x5; Pillow: MedianFilter(5) (about 10 img/s: the row is capped)", 60),
    Row("MotionBlur", "7x7 line kernel, angle 0-360, direction -1..1"),
    Row("Defocus", "Albumentations' defaults (radius 3-10, alias blur 0.1-0.5)", 250),
    Row("ZoomBlur", "Albumentations' defaults (max factor 1-1.31, step 0.01-0.03)", 50),
    Row("GlassBlur", "sigma 0.7, max delta 4, 2 iterations", 20),
    Row(
        "Sharpen",
        "alpha 0.2-0.5, lightness 0.5-1 (3x3 kernel); torchvision RandomAdjustSharpness(2) and Kornia "
        "RandomSharpness(0.5) and Pillow ImageEnhance.Sharpness(2): the nearest op (a smoothing-kernel blend)",
    ),
    Row("UnsharpMask", "Albumentations' defaults; Pillow: UnsharpMask(radius=2, percent=150, threshold=3)"),
    Row("Emboss", "alpha 0.2-0.5, strength 0.2-0.7; Pillow: ImageFilter.EMBOSS (a fixed kernel, no blend)"),
    Row("Superpixels", "p_replace 0.1, 100 segments, max size 128", 20),
    Row(
        "GaussianNoise",
        "std 0.1 of full range, per channel; torchvision: ToDtype(float32, scale=True) + GaussianNoise(sigma=0.1) "
        "(it takes float only); Kornia: RandomGaussianNoise(std=0.1) on float input",
    ),
    Row("ISONoise", "Albumentations' defaults", 250),
    Row("SaltAndPepper", "amount 0.01-0.06; Kornia: RandomSaltAndPepperNoise (amount 0.01-0.06)"),
    Row("MultiplicativeNoise", "0.9-1.1, one factor per image"),
    Row("ShotNoise", "Albumentations' defaults (scale 0.1-0.3)", 250),
    Row("Downscale", "scale 0.25, nearest down and up"),
    Row("RingingOvershoot", "Albumentations' defaults (kernel 7-15, cutoff pi/4-pi/2)", 250),
    Row("JpegCompression", "quality 50; Kornia: RandomJPEG(50) (a differentiable JPEG); Pillow: save and reload", 250),
    Row("WebPCompression", "quality 50; Pillow: save and reload", 100),
    Row("CoarseDropout", "1-2 holes of 10-20 % of the sides, fill 0"),
    Row("RandomErasing", "torchvision semantics, scale 0.02-0.33, ratio 0.3-3.3, fill 0; Albumentations: Erasing"),
    Row("GridDropout", "ratio 0.5, Albumentations' defaults"),
    Row("PixelDropout", "1 % of pixels to 0"),
    Row("RandomFog", "Albumentations' defaults", 100),
    Row("RandomRain", "Albumentations' defaults; Kornia: RandomRain() defaults (1000-2000 drops)", 250),
    Row("RandomSnow", "Albumentations' defaults; Kornia: RandomSnow() defaults", 250),
    Row("RandomShadow", "Albumentations' defaults", 250),
    Row("RandomSunFlare", "Albumentations' defaults", 100),
    Row("RandomGravel", "Albumentations' defaults", 250),
    Row("FDA", "beta 0-0.1, one reference photo", 100),
    Row("HistogramMatching", "blend 0.5-1, one reference photo", 250),
    Row("PixelDistributionAdaptation", "PCA, blend 0.25-1, one reference photo", 100),
]


def _reference_rgb() -> np.ndarray:
    return cv2.cvtColor(cv2.imread(REFERENCE, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def augkit(ak: Any) -> dict[str, Callable[[], Any]]:
    i = ak.image
    return {
        "Brightness": lambda: i.Brightness(brightness=(0.8, 1.2), p=1.0),
        "Contrast": lambda: i.Contrast(contrast=(0.8, 1.2), p=1.0),
        "Saturation": lambda: i.Saturation(saturation=(0.8, 1.2), p=1.0),
        "Hue": lambda: i.Hue(hue=(-0.1, 0.1), p=1.0),
        "ColorJitter": lambda: i.ColorJitter(brightness=0.2, contrast=0.2, saturation=0.2, hue=0.1, p=1.0),
        "HueSaturationValue": lambda: i.HueSaturationValue(p=1.0),
        "RGBShift": lambda: i.RGBShift(p=1.0),
        "ChannelShuffle": lambda: i.ChannelShuffle(p=1.0),
        "ChannelDropout": lambda: i.ChannelDropout(p=1.0),
        "ToGray": lambda: i.ToGray(p=1.0),
        "ToSepia": lambda: i.ToSepia(p=1.0),
        "RandomGamma": lambda: i.RandomGamma(gamma_limit=(80, 120), p=1.0),
        "Invert": lambda: i.Invert(p=1.0),
        "Posterize": lambda: i.Posterize(bits=4, p=1.0),
        "Solarize": lambda: i.Solarize(threshold=0.5, p=1.0),
        "Equalize": lambda: i.Equalize(p=1.0),
        "AutoContrast": lambda: i.AutoContrast(p=1.0),
        "CLAHE": lambda: i.CLAHE(clip_limit=(1, 4), p=1.0),
        "RandomToneCurve": lambda: i.RandomToneCurve(scale=0.1, p=1.0),
        "PlanckianJitter": lambda: i.PlanckianJitter(p=1.0),
        "ToFloat": lambda: i.ToFloat(p=1.0),
        "GaussianBlur": lambda: i.GaussianBlur(blur_limit=(5, 5), sigma_limit=(1.0, 1.0), p=1.0),
        "Blur": lambda: i.Blur(blur_limit=(5, 5), p=1.0),
        "MedianBlur": lambda: i.MedianBlur(blur_limit=(5, 5), p=1.0),
        "MotionBlur": lambda: i.MotionBlur(blur_limit=(7, 7), p=1.0),
        "Defocus": lambda: i.Defocus(p=1.0),
        "ZoomBlur": lambda: i.ZoomBlur(p=1.0),
        "GlassBlur": lambda: i.GlassBlur(p=1.0),
        "Sharpen": lambda: i.Sharpen(p=1.0),
        "UnsharpMask": lambda: i.UnsharpMask(p=1.0),
        "Emboss": lambda: i.Emboss(p=1.0),
        "Superpixels": lambda: i.Superpixels(p_replace=0.1, n_segments=100, max_size=128, p=1.0),
        "GaussianNoise": lambda: i.GaussianNoise(std_range=(0.1, 0.1), p=1.0),
        "ISONoise": lambda: i.ISONoise(p=1.0),
        "SaltAndPepper": lambda: i.SaltAndPepper(p=1.0),
        "MultiplicativeNoise": lambda: i.MultiplicativeNoise(multiplier=(0.9, 1.1), p=1.0),
        "ShotNoise": lambda: i.ShotNoise(p=1.0),
        "Downscale": lambda: i.Downscale(scale_range=(0.25, 0.25), p=1.0),
        "RingingOvershoot": lambda: i.RingingOvershoot(p=1.0),
        "JpegCompression": lambda: i.JpegCompression(quality_range=(50, 50), p=1.0),
        "WebPCompression": lambda: i.WebPCompression(quality_range=(50, 50), p=1.0),
        "CoarseDropout": lambda: i.CoarseDropout(p=1.0),
        "RandomErasing": lambda: i.RandomErasing(p=1.0),
        "GridDropout": lambda: i.GridDropout(p=1.0),
        "PixelDropout": lambda: i.PixelDropout(p=1.0),
        "RandomFog": lambda: i.RandomFog(p=1.0),
        "RandomRain": lambda: i.RandomRain(p=1.0),
        "RandomSnow": lambda: i.RandomSnow(p=1.0),
        "RandomShadow": lambda: i.RandomShadow(p=1.0),
        "RandomSunFlare": lambda: i.RandomSunFlare(p=1.0),
        "RandomGravel": lambda: i.RandomGravel(p=1.0),
        "FDA": lambda: i.FDA(reference_images=[REFERENCE], p=1.0),
        "HistogramMatching": lambda: i.HistogramMatching(reference_images=[REFERENCE], p=1.0),
        "PixelDistributionAdaptation": lambda: i.PixelDistributionAdaptation(
            reference_images=[REFERENCE], transform_type="pca", p=1.0
        ),
    }


class _WithReference:
    """An Albumentations 2.0.8 domain transform given its reference photo in the call's metadata key
    (where 2.0.8 expects it; its ``reference_images`` argument is deprecated)."""

    def __init__(self, transform: Any, reference: np.ndarray) -> None:
        self.transform, self.data = transform, {transform.metadata_key: [reference]}

    def set_random_seed(self, seed: int) -> None:
        self.transform.set_random_seed(seed)

    def __call__(self, **targets: Any) -> Any:
        return self.transform(**targets, **self.data)


def albumentations(A: Any) -> dict[str, Callable[[], Any]]:
    reference = _reference_rgb()
    jitter = lambda **kw: A.ColorJitter(**{"brightness": 0, "contrast": 0, "saturation": 0, "hue": 0, **kw}, p=1.0)  # noqa: E731
    return {
        "Brightness": lambda: jitter(brightness=(0.8, 1.2)),
        "Contrast": lambda: jitter(contrast=(0.8, 1.2)),
        "Saturation": lambda: jitter(saturation=(0.8, 1.2)),
        "Hue": lambda: jitter(hue=(-0.1, 0.1)),
        "ColorJitter": lambda: A.ColorJitter(brightness=0.2, contrast=0.2, saturation=0.2, hue=0.1, p=1.0),
        "HueSaturationValue": lambda: A.HueSaturationValue(p=1.0),
        "RGBShift": lambda: A.RGBShift(p=1.0),
        "ChannelShuffle": lambda: A.ChannelShuffle(p=1.0),
        "ChannelDropout": lambda: A.ChannelDropout(p=1.0),
        "ToGray": lambda: A.ToGray(num_output_channels=3, p=1.0),
        "ToSepia": lambda: A.ToSepia(p=1.0),
        "RandomGamma": lambda: A.RandomGamma(gamma_limit=(80, 120), p=1.0),
        "Invert": lambda: A.InvertImg(p=1.0),
        "Posterize": lambda: A.Posterize(num_bits=4, p=1.0),
        "Solarize": lambda: A.Solarize(threshold_range=(0.5, 0.5), p=1.0),
        "Equalize": lambda: A.Equalize(p=1.0),
        "AutoContrast": lambda: A.AutoContrast(p=1.0),
        "CLAHE": lambda: A.CLAHE(clip_limit=(1, 4), p=1.0),
        "RandomToneCurve": lambda: A.RandomToneCurve(scale=0.1, p=1.0),
        "PlanckianJitter": lambda: A.PlanckianJitter(p=1.0),
        "ToFloat": lambda: A.ToFloat(max_value=255, p=1.0),
        "GaussianBlur": lambda: A.GaussianBlur(blur_limit=(5, 5), sigma_limit=(1.0, 1.0), p=1.0),
        "Blur": lambda: A.Blur(blur_limit=(5, 5), p=1.0),
        "MedianBlur": lambda: A.MedianBlur(blur_limit=(5, 5), p=1.0),
        "MotionBlur": lambda: A.MotionBlur(blur_limit=(7, 7), p=1.0),
        "Defocus": lambda: A.Defocus(p=1.0),
        "ZoomBlur": lambda: A.ZoomBlur(p=1.0),
        "GlassBlur": lambda: A.GlassBlur(p=1.0),
        "Sharpen": lambda: A.Sharpen(p=1.0),
        "UnsharpMask": lambda: A.UnsharpMask(p=1.0),
        "Emboss": lambda: A.Emboss(p=1.0),
        "Superpixels": lambda: A.Superpixels(p_replace=0.1, n_segments=100, max_size=128, p=1.0),
        "GaussianNoise": lambda: A.GaussNoise(std_range=(0.1, 0.1), p=1.0),
        "ISONoise": lambda: A.ISONoise(p=1.0),
        "SaltAndPepper": lambda: A.SaltAndPepper(p=1.0),
        "MultiplicativeNoise": lambda: A.MultiplicativeNoise(multiplier=(0.9, 1.1), p=1.0),
        "ShotNoise": lambda: A.ShotNoise(p=1.0),
        "Downscale": lambda: A.Downscale(scale_range=(0.25, 0.25), p=1.0),
        "RingingOvershoot": lambda: A.RingingOvershoot(p=1.0),
        "JpegCompression": lambda: A.ImageCompression(compression_type="jpeg", quality_range=(50, 50), p=1.0),
        "WebPCompression": lambda: A.ImageCompression(compression_type="webp", quality_range=(50, 50), p=1.0),
        "CoarseDropout": lambda: A.CoarseDropout(p=1.0),
        "RandomErasing": lambda: A.Erasing(p=1.0),
        "GridDropout": lambda: A.GridDropout(p=1.0),
        "PixelDropout": lambda: A.PixelDropout(p=1.0),
        "RandomFog": lambda: A.RandomFog(p=1.0),
        "RandomRain": lambda: A.RandomRain(p=1.0),
        "RandomSnow": lambda: A.RandomSnow(p=1.0),
        "RandomShadow": lambda: A.RandomShadow(p=1.0),
        "RandomSunFlare": lambda: A.RandomSunFlare(p=1.0),
        "RandomGravel": lambda: A.RandomGravel(p=1.0),
        "FDA": lambda: _WithReference(A.FDA(p=1.0), reference),
        "HistogramMatching": lambda: _WithReference(A.HistogramMatching(p=1.0), reference),
        "PixelDistributionAdaptation": lambda: _WithReference(
            A.PixelDistributionAdaptation(transform_type="pca", p=1.0), reference
        ),
    }


def torchvision(v2: Any, torch: Any) -> dict[str, Callable[[], Any]]:
    to_float = lambda: v2.ToDtype(torch.float32, scale=True)  # noqa: E731
    return {
        "Brightness": lambda: v2.ColorJitter(brightness=(0.8, 1.2)),
        "Contrast": lambda: v2.ColorJitter(contrast=(0.8, 1.2)),
        "Saturation": lambda: v2.ColorJitter(saturation=(0.8, 1.2)),
        "Hue": lambda: v2.ColorJitter(hue=0.1),
        "ColorJitter": lambda: v2.ColorJitter(brightness=0.2, contrast=0.2, saturation=0.2, hue=0.1),
        "ChannelShuffle": lambda: v2.RandomChannelPermutation(),
        "ToGray": lambda: v2.Grayscale(num_output_channels=3),
        "Invert": lambda: v2.RandomInvert(p=1.0),
        "Posterize": lambda: v2.RandomPosterize(bits=4, p=1.0),
        "Solarize": lambda: v2.RandomSolarize(threshold=128, p=1.0),
        "Equalize": lambda: v2.RandomEqualize(p=1.0),
        "AutoContrast": lambda: v2.RandomAutocontrast(p=1.0),
        "ToFloat": to_float,
        "GaussianBlur": lambda: v2.GaussianBlur(kernel_size=5, sigma=1.0),
        "Sharpen": lambda: v2.RandomAdjustSharpness(sharpness_factor=2.0, p=1.0),
        "GaussianNoise": lambda: v2.Compose([to_float(), v2.GaussianNoise(sigma=0.1)]),
        "JpegCompression": lambda: v2.JPEG(quality=50),
        "RandomErasing": lambda: v2.RandomErasing(p=1.0),
    }


def kornia(K: Any, torch: Any) -> dict[str, Callable[[], Any]]:
    return {
        "Brightness": lambda: K.ColorJitter(brightness=(0.8, 1.2), p=1.0),
        "Contrast": lambda: K.ColorJitter(contrast=(0.8, 1.2), p=1.0),
        "Saturation": lambda: K.ColorJitter(saturation=(0.8, 1.2), p=1.0),
        "Hue": lambda: K.ColorJitter(hue=0.1, p=1.0),
        "ColorJitter": lambda: K.ColorJitter(brightness=0.2, contrast=0.2, saturation=0.2, hue=0.1, p=1.0),
        "ChannelShuffle": lambda: K.RandomChannelShuffle(p=1.0),
        "ChannelDropout": lambda: K.RandomChannelDropout(p=1.0),
        "ToGray": lambda: K.RandomGrayscale(p=1.0),
        "RandomGamma": lambda: K.RandomGamma(gamma=(0.8, 1.2), p=1.0),
        "Invert": lambda: K.RandomInvert(p=1.0),
        "Posterize": lambda: K.RandomPosterize(bits=4, p=1.0),
        "Solarize": lambda: K.RandomSolarize(thresholds=0.0, additions=0.0, p=1.0),
        "Equalize": lambda: K.RandomEqualize(p=1.0),
        "AutoContrast": lambda: K.RandomAutoContrast(p=1.0),
        "CLAHE": lambda: K.RandomClahe(clip_limit=(1.0, 4.0), p=1.0),
        "PlanckianJitter": lambda: K.RandomPlanckianJitter(p=1.0),
        "GaussianBlur": lambda: K.RandomGaussianBlur((5, 5), (1.0, 1.0), p=1.0),
        "Blur": lambda: K.RandomBoxBlur((5, 5), p=1.0),
        "MedianBlur": lambda: K.RandomMedianBlur((5, 5), p=1.0),
        "MotionBlur": lambda: K.RandomMotionBlur(7, angle=(0.0, 360.0), direction=(-1.0, 1.0), p=1.0),
        "Sharpen": lambda: K.RandomSharpness(sharpness=0.5, p=1.0),
        "GaussianNoise": lambda: K.RandomGaussianNoise(std=0.1, p=1.0),
        "SaltAndPepper": lambda: K.RandomSaltAndPepperNoise(p=1.0),
        "JpegCompression": lambda: K.RandomJPEG(jpeg_quality=50.0, p=1.0),
        "RandomErasing": lambda: K.RandomErasing(p=1.0),
        "RandomRain": lambda: K.RandomRain(p=1.0),
        "RandomSnow": lambda: K.RandomSnow(p=1.0),
    }


class Pillow:
    """Pillow on PIL images: ImageEnhance, ImageOps and ImageFilter; the output is a materialized image."""

    name = "pillow"

    def __init__(self, seed: int) -> None:
        import PIL
        from PIL import Image, ImageEnhance, ImageFilter, ImageOps

        self.Image, self.ImageEnhance, self.ImageFilter, self.ImageOps = Image, ImageEnhance, ImageFilter, ImageOps
        self.version = PIL.__version__
        self.rng = np.random.default_rng(seed)
        self.missing: list[str] = []

    def inputs(self, pool: list[np.ndarray]) -> list[Any]:
        return [self.Image.fromarray(np.ascontiguousarray(img)) for img in pool]

    @staticmethod
    def to_hwc_numpy(out: Any) -> np.ndarray:
        return np.asarray(out)

    def build(self) -> dict[str, Callable[[Any], Any]]:
        enhance, ops, filters, rng = self.ImageEnhance, self.ImageOps, self.ImageFilter, self.rng
        factor = lambda: float(rng.uniform(0.8, 1.2))  # noqa: E731

        def encoded(fmt: str) -> Callable[[Any], Any]:
            def fn(img: Any) -> Any:
                buffer = io.BytesIO()
                img.save(buffer, format=fmt, quality=50)
                buffer.seek(0)
                out = self.Image.open(buffer)
                out.load()
                return out

            return fn

        return {
            "Brightness": lambda img: enhance.Brightness(img).enhance(factor()),
            "Contrast": lambda img: enhance.Contrast(img).enhance(factor()),
            "Saturation": lambda img: enhance.Color(img).enhance(factor()),
            "ToGray": lambda img: img.convert("L").convert("RGB"),
            "Invert": ops.invert,
            "Posterize": lambda img: ops.posterize(img, 4),
            "Solarize": lambda img: ops.solarize(img, 128),
            "Equalize": ops.equalize,
            "AutoContrast": ops.autocontrast,
            "GaussianBlur": lambda img: img.filter(filters.GaussianBlur(radius=1.0)),
            "Blur": lambda img: img.filter(filters.BoxBlur(2)),
            "MedianBlur": lambda img: img.filter(filters.MedianFilter(5)),
            "Sharpen": lambda img: enhance.Sharpness(img).enhance(2.0),
            "UnsharpMask": lambda img: img.filter(filters.UnsharpMask(radius=2, percent=150, threshold=3)),
            "Emboss": lambda img: img.filter(filters.EMBOSS),
            "JpegCompression": encoded("JPEG"),
            "WebPCompression": encoded("WEBP"),
        }
