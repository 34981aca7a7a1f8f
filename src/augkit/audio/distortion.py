"""Distortion transforms: hard clipping, percentile clipping, tanh saturation, bit crushing, aliasing and
μ-law companding.

Arguments, defaults and meanings follow audiomentations 0.43.1 where it has the transform (``min_*`` /
``max_*`` bounds drawn uniformly; equal bounds give exactly that value). Levels derived from the clip
(clipping percentiles, the tanh drive) are measured once on the ``audio`` target when parameters are
drawn and stored in the record, so paired targets get the same curve. Kernels:
:mod:`augkit.audio.functional.distortion`.

>>> import numpy as np
>>> from augkit.audio.distortion import BitCrush
>>> t = BitCrush(min_bit_depth=2, max_bit_depth=2, p=1.0)
>>> t(audio=np.array([0.3, -0.8], np.float32), sample_rate=16000)["audio"].tolist()
[0.5, -1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from augkit.audio._arguments import int_min_max, min_max
from augkit.audio.base import AudioTransform, ClipInfo
from augkit.audio.functional import distortion as FD
from augkit.core.rng import uniform
from augkit.core.validate import as_float, as_int

__all__ = ["Aliasing", "BitCrush", "Clip", "ClippingDistortion", "MuLawCompression", "TanhDistortion"]

Params = dict[str, Any]


class Clip(AudioTransform):
    """Clamp every sample to ``[a_min, a_max]`` (a harsh limiter, e.g. before writing 16-bit PCM).

    Args:
        a_min: the lowest value kept.
        a_max: the highest value kept.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.distortion import Clip
        >>> t = Clip(a_min=-1.0, a_max=1.0, p=1.0)
    """

    def __init__(self, a_min: float = -1.0, a_max: float = 1.0, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.a_min = as_float(owner, "a_min", a_min)
        self.a_max = as_float(owner, "a_max", a_max, low=self.a_min)

    @classmethod
    def example(cls) -> AudioTransform:
        return cls(a_min=-0.1, a_max=0.1, p=1.0)  # levels that clip ordinary speech

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FD.clip(audio, self.a_min, self.a_max)


class ClippingDistortion(AudioTransform):
    """Clip a random percentage of the samples: with ``q`` % drawn, samples below the ``q/2``-th or
    above the ``100 - q/2``-th percentile (over all channels) are set to those levels.

    Args:
        min_percentile_threshold: the smallest percentage of samples clipped (integer, 0..100).
        max_percentile_threshold: the largest; an integer drawn uniformly in between.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.distortion import ClippingDistortion
        >>> t = ClippingDistortion(min_percentile_threshold=0, max_percentile_threshold=40, p=0.5)
    """

    has_random_params = True

    def __init__(self, min_percentile_threshold: int = 0, max_percentile_threshold: int = 40, p: float = 0.5) -> None:
        super().__init__(p)
        self.min_percentile_threshold, self.max_percentile_threshold = int_min_max(
            type(self).__name__, "percentile_threshold", min_percentile_threshold, max_percentile_threshold, low=0, high=100
        )

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        percent = int(rng.integers(self.min_percentile_threshold, self.max_percentile_threshold + 1))
        low, high = FD.percentile_thresholds(clip.audio, percent)
        return {"percentile_threshold": percent, "low": low, "high": high}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FD.clip(audio, float(params["low"]), float(params["high"]))


class TanhDistortion(AudioTransform):
    """Soft clipping with tanh, which adds odd harmonics (audiomentations' semantics): the drive is
    ``0.5 / t``, ``t`` the ``100 - 99 * distortion``-th percentile of the absolute sample values, and the
    result is scaled back to the input's RMS level.

    Args:
        min_distortion: the least distortion, in [0, 1].
        max_distortion: the most; drawn uniformly in between.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.distortion import TanhDistortion
        >>> t = TanhDistortion(min_distortion=0.01, max_distortion=0.7, p=0.5)
    """

    has_random_params = True

    def __init__(self, min_distortion: float = 0.01, max_distortion: float = 0.7, p: float = 0.5) -> None:
        super().__init__(p)
        self.min_distortion, self.max_distortion = min_max(
            type(self).__name__, "distortion", min_distortion, max_distortion, low=0.0, high=1.0
        )

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        distortion = uniform(rng, (self.min_distortion, self.max_distortion))
        return {"distortion": distortion, "pre_gain": FD.tanh_pre_gain(clip.audio, distortion)}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FD.tanh_distortion(audio, pre_gain=float(params["pre_gain"]))


class BitCrush(AudioTransform):
    """Requantize to a random bit depth without dither: exactly ``2 ** bits`` levels in [-1, 1), as a
    real ``bits``-bit converter would store them (:func:`augkit.audio.functional.distortion.bit_crush`).

    Args:
        min_bit_depth: the lowest bit depth (integer, 1..32).
        max_bit_depth: the highest; an integer drawn uniformly in between.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.distortion import BitCrush
        >>> t = BitCrush(min_bit_depth=5, max_bit_depth=10, p=0.5)
    """

    has_random_params = True

    def __init__(self, min_bit_depth: int = 5, max_bit_depth: int = 10, p: float = 0.5) -> None:
        super().__init__(p)
        self.min_bit_depth, self.max_bit_depth = int_min_max(
            type(self).__name__, "bit_depth", min_bit_depth, max_bit_depth, low=1, high=32
        )

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {"bit_depth": int(rng.integers(self.min_bit_depth, self.max_bit_depth + 1))}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FD.bit_crush(audio, int(params["bit_depth"]))


class Aliasing(AudioTransform):
    """Downsample to a random rate by linear interpolation with no anti-alias filter, then back up the
    same way (audiomentations' semantics): content above half the new rate folds back below it. The
    length and sample rate are unchanged; a new rate at or above the clip's only smooths slightly.

    Args:
        min_sample_rate: the lowest intermediate sample rate in Hz (integer >= 2).
        max_sample_rate: the highest; drawn uniformly (as a real number) in between.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.distortion import Aliasing
        >>> t = Aliasing(min_sample_rate=8000, max_sample_rate=30000, p=0.5)
    """

    has_random_params = True

    def __init__(self, min_sample_rate: int = 8000, max_sample_rate: int = 30000, p: float = 0.5) -> None:
        super().__init__(p)
        self.min_sample_rate, self.max_sample_rate = int_min_max(
            type(self).__name__, "sample_rate", min_sample_rate, max_sample_rate, low=2
        )

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {"new_sample_rate": uniform(rng, (float(self.min_sample_rate), float(self.max_sample_rate)))}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FD.aliasing(audio, sample_rate, float(params["new_sample_rate"]))


class MuLawCompression(AudioTransform):
    """Encode and decode with μ-law (μ = channels - 1): the quantization noise of a μ-law codec, fine
    near silence and coarse near full scale (8-bit telephony and WaveNet for 256 channels). Samples
    outside [-1, 1] are clipped. Deterministic.

    Args:
        quantization_channels: the number of codes (integer, 2..65536; 256 is 8-bit μ-law).
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.distortion import MuLawCompression
        >>> t = MuLawCompression(quantization_channels=256, p=0.5)
    """

    def __init__(self, quantization_channels: int = 256, p: float = 0.5) -> None:
        super().__init__(p)
        self.quantization_channels = as_int(
            type(self).__name__, "quantization_channels", quantization_channels, low=2, high=65536
        )

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FD.mu_law_compression(audio, self.quantization_channels)
