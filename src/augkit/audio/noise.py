"""Generated noise: Gaussian at an amplitude or an SNR, and coloured noise (white, pink, brown, blue, violet).

Arguments, defaults and meanings follow audiomentations 0.43.1 (``min_*`` / ``max_*`` bounds drawn
uniformly; equal bounds give exactly that value). Each call draws a seed and the kernel regenerates the
noise from it, so a record stays small and replays bit for bit. SNRs and RMS levels are measured over
all channels together; every channel gets its own noise. Recorded noise (files or arrays) is mixed in by
:mod:`augkit.audio.background`.

>>> import numpy as np
>>> from augkit.audio.noise import AddGaussianSNR
>>> t = AddGaussianSNR(min_snr_db=20.0, max_snr_db=20.0, p=1.0)
>>> x = np.sin(np.linspace(0, 300, 16000, dtype=np.float32))
>>> noise = t(audio=x, sample_rate=16000, rng=0)["audio"] - x
>>> round(float(20 * np.log10(np.sqrt((x**2).mean()) / np.sqrt((noise**2).mean()))), 1)
20.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.audio._arguments import min_max
from augkit.audio.base import AudioTransform, ClipInfo
from augkit.audio.functional import noise as FN
from augkit.core.errors import ArgumentError, describe
from augkit.core.rng import draw_seed, uniform
from augkit.core.validate import as_probability

__all__ = ["AddColorNoise", "AddGaussianNoise", "AddGaussianSNR"]

Params = dict[str, Any]


class _Noise(AudioTransform):
    _abstract = True
    has_random_params = True


class AddGaussianNoise(_Noise):
    """Add Gaussian noise of a random standard deviation ("amplitude"), independent per channel.

    Args:
        min_amplitude: the smallest standard deviation of the noise (linear, full scale 1.0).
        max_amplitude: the largest one; drawn uniformly in between.
        p: probability of applying the transform.

    Example:
        >>> import numpy as np
        >>> from augkit.audio.noise import AddGaussianNoise
        >>> t = AddGaussianNoise(min_amplitude=0.001, max_amplitude=0.015, p=1.0)
        >>> t(audio=np.zeros(8, np.float32), sample_rate=16000, rng=0)["audio"].shape
        (8,)
    """

    def __init__(self, min_amplitude: float = 0.001, max_amplitude: float = 0.015, p: float = 0.5) -> None:
        super().__init__(p)
        self.min_amplitude, self.max_amplitude = min_max(type(self).__name__, "amplitude", min_amplitude, max_amplitude, low=0.0)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {"amplitude": uniform(rng, (self.min_amplitude, self.max_amplitude)), "seed": draw_seed(rng)}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FN.add_gaussian_noise(audio, float(params["amplitude"]), int(params["seed"]))


class AddGaussianSNR(_Noise):
    """Add Gaussian noise at a random signal-to-noise ratio: its standard deviation is
    ``rms(audio) / 10 ** (snr_db / 20)`` (RMS over all channels; silent input stays silent).

    Args:
        min_snr_db: the lowest SNR in dB (more noise).
        max_snr_db: the highest SNR in dB (less noise); drawn uniformly in between.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.noise import AddGaussianSNR
        >>> t = AddGaussianSNR(min_snr_db=5.0, max_snr_db=40.0, p=0.5)
    """

    def __init__(self, min_snr_db: float = 5.0, max_snr_db: float = 40.0, p: float = 0.5) -> None:
        super().__init__(p)
        self.min_snr_db, self.max_snr_db = min_max(type(self).__name__, "snr_db", min_snr_db, max_snr_db)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {"snr_db": uniform(rng, (self.min_snr_db, self.max_snr_db)), "seed": draw_seed(rng)}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FN.add_gaussian_snr(audio, float(params["snr_db"]), int(params["seed"]))


class AddColorNoise(_Noise):
    """Add coloured noise at a random SNR: a power spectrum falling (or rising) by ``f_decay`` dB per octave.

    The noise is shaped in the frequency domain at every FFT bin (see
    :func:`augkit.audio.functional.noise.color_noise`: flat below 20 Hz, no DC) and scaled to exactly
    ``rms(audio) / 10 ** (snr_db / 20)``. Named colours (dB/octave): white 0, pink -3.01, brown
    (brownian, red) -6.02, blue (azure) +3.01, violet (purple) +6.02. audiomentations' ``n_fft`` (the
    resolution of its decay curve) has no counterpart: the slope is exact at every bin.

    Args:
        min_snr_db: the lowest SNR in dB (more noise).
        max_snr_db: the highest SNR in dB; drawn uniformly in between.
        min_f_decay: the lowest spectral slope in dB per octave (-6.02 is brown noise).
        max_f_decay: the highest slope; drawn uniformly in between. Ignored when ``color`` is set.
        p_apply_a_weighting: probability of also weighting the noise spectrum by the A-weighting curve.
        color: None (draw the slope from ``min_f_decay``/``max_f_decay``), a colour name, or a list of
            names to draw from uniformly. Give either ``color`` or non-default slopes, not both.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.noise import AddColorNoise
        >>> t = AddColorNoise(min_snr_db=10.0, max_snr_db=30.0, color=["pink", "brown"], p=0.5)
    """

    def __init__(
        self,
        min_snr_db: float = 5.0,
        max_snr_db: float = 40.0,
        min_f_decay: float = -6.0,
        max_f_decay: float = 6.0,
        p_apply_a_weighting: float = 0.0,
        color: str | Sequence[str] | None = None,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_snr_db, self.max_snr_db = min_max(owner, "snr_db", min_snr_db, max_snr_db)
        self.min_f_decay, self.max_f_decay = min_max(owner, "f_decay", min_f_decay, max_f_decay)
        self.p_apply_a_weighting = as_probability(owner, "p_apply_a_weighting", p_apply_a_weighting)
        self.color = _check_color(owner, color)
        if self.color is not None and (self.min_f_decay, self.max_f_decay) != (-6.0, 6.0):
            raise ArgumentError(
                f"{owner}: give either 'color' or 'min_f_decay'/'max_f_decay', not both; got color={color!r} "
                f"and f_decay range ({self.min_f_decay}, {self.max_f_decay})"
            )

    @classmethod
    def example(cls) -> AudioTransform:
        return cls(min_snr_db=10.0, max_snr_db=30.0, p_apply_a_weighting=0.3, p=1.0)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        params: Params = {"snr_db": uniform(rng, (self.min_snr_db, self.max_snr_db))}
        colors = self.color
        if colors is None:
            params["f_decay"] = uniform(rng, (self.min_f_decay, self.max_f_decay))
        else:
            names = [colors] if isinstance(colors, str) else list(colors)
            name = names[int(rng.integers(len(names)))] if len(names) > 1 else names[0]
            params["color"] = name
            params["f_decay"] = FN.COLORS[name]
        chance = self.p_apply_a_weighting
        params["a_weighting"] = bool(chance >= 1.0 or (chance > 0.0 and rng.random() < chance))
        params["seed"] = draw_seed(rng)
        return params

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FN.add_color_noise(
            audio,
            float(params["snr_db"]),
            float(params["f_decay"]),
            int(params["seed"]),
            sample_rate,
            a_weighting=bool(params.get("a_weighting", False)),
        )


def _check_color(owner: str, color: object) -> str | tuple[str, ...] | None:
    if color is None:
        return None
    names = [color] if isinstance(color, str) else color
    if not isinstance(names, (list, tuple)) or not names or not all(isinstance(n, str) and n in FN.COLORS for n in names):
        raise ArgumentError(
            f"{owner}: argument 'color' expects None, one of {', '.join(repr(c) for c in FN.COLORS)} or a list of "
            f"them; got {describe(color)}"
        )
    return color if isinstance(color, str) else tuple(names)
