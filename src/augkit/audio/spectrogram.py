"""Spectrogram transforms: frequency and time masks, channel shuffling and SpecAugment (Park et al. 2019).

They take a ``spectrogram`` target, float32 ``(freq, time)`` or ``(channels, freq, time)`` (any
spectrogram: magnitude, power, log-mel). ``SpecFrequencyMask`` and ``SpecChannelShuffle`` keep the
arguments of audiomentations 0.40 (whose spectrogram transforms were removed in 0.41); ``SpecTimeMask``
is their mirror on the time axis. ``SpecAugment`` implements the paper's time warping, frequency masks and
time masks with its Table 1 policies. Kernels: :mod:`augkit.audio.functional.spectrogram`.

>>> import numpy as np
>>> from augkit.audio.spectrogram import SpecAugment
>>> out = SpecAugment(policy="LD", p=1.0)(spectrogram=np.ones((80, 300), np.float32), rng=0)
>>> out["spectrogram"].shape
(80, 300)
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from augkit.audio._arguments import min_max
from augkit.audio.base import SpectrogramTransform
from augkit.audio.functional import spectrogram as FS
from augkit.core.validate import as_choice, as_float, as_int, as_probability

__all__ = ["POLICIES", "SpecAugment", "SpecChannelShuffle", "SpecFrequencyMask", "SpecTimeMask"]

Params = dict[str, Any]

#: Park et al. 2019, Table 1: time warp W, frequency mask F and count mF, time mask T, its bound p
#: (a mask covers at most p x the frames) and count mT.
POLICIES: dict[str, dict[str, float]] = {
    "LB": {
        "time_warp_w": 80,
        "freq_mask_f": 27,
        "num_freq_masks": 1,
        "time_mask_t": 100,
        "time_mask_p": 1.0,
        "num_time_masks": 1,
    },
    "LD": {
        "time_warp_w": 80,
        "freq_mask_f": 27,
        "num_freq_masks": 2,
        "time_mask_t": 100,
        "time_mask_p": 1.0,
        "num_time_masks": 2,
    },
    "SM": {"time_warp_w": 40, "freq_mask_f": 15, "num_freq_masks": 2, "time_mask_t": 70, "time_mask_p": 0.2, "num_time_masks": 2},
    "SS": {"time_warp_w": 40, "freq_mask_f": 27, "num_freq_masks": 2, "time_mask_t": 70, "time_mask_p": 0.2, "num_time_masks": 2},
}


class _FractionMask(SpectrogramTransform):
    """One mask whose width is a random fraction of the axis (audiomentations' SpecFrequencyMask)."""

    _abstract = True
    has_random_params = True
    _axis: ClassVar[int]

    def __init__(
        self,
        min_mask_fraction: float = 0.03,
        max_mask_fraction: float = 0.25,
        fill_mode: str = "constant",
        fill_constant: float = 0.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_mask_fraction, self.max_mask_fraction = min_max(
            owner, "mask_fraction", min_mask_fraction, max_mask_fraction, low=0.0, high=1.0
        )
        self.fill_mode = as_choice(owner, "fill_mode", fill_mode, ("constant", "mean"))
        self.fill_constant = as_float(owner, "fill_constant", fill_constant)

    def sample_spectrogram(self, rng: np.random.Generator, spectrogram: np.ndarray) -> Params:
        size = spectrogram.shape[self._axis]
        low, high = round(self.min_mask_fraction * size), round(self.max_mask_fraction * size)
        width = low if low == high else int(rng.integers(low, high + 1))
        start = int(rng.integers(0, size - width + 1))
        return {"start": start, "width": width}

    def apply_spectrogram(self, spectrogram: np.ndarray, params: Params, /) -> np.ndarray:
        fill: float | str = "region_mean" if self.fill_mode == "mean" else self.fill_constant
        spans = [(int(params["start"]), int(params["width"]))]
        if self._axis == 1:
            return FS.mask_frequencies(spectrogram, spans, fill)
        return FS.mask_times(spectrogram, spans, fill)


class SpecFrequencyMask(_FractionMask):
    """Mask one band of consecutive frequency rows, à la SpecAugment (audiomentations' SpecFrequencyMask).

    The band covers ``round(fraction x freq)`` rows, the count drawn uniformly between the rounded bounds,
    at a uniform position; every channel is masked alike.

    Args:
        min_mask_fraction: smallest band, as a fraction of the frequency rows.
        max_mask_fraction: largest band.
        fill_mode: ``"constant"`` (``fill_constant``) or ``"mean"`` (the mean of the masked values).
        fill_constant: the fill value in ``"constant"`` mode.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.spectrogram import SpecFrequencyMask
        >>> t = SpecFrequencyMask(min_mask_fraction=0.05, max_mask_fraction=0.2, fill_mode="mean", p=0.5)
    """

    _axis = 1


class SpecTimeMask(_FractionMask):
    """Mask one span of consecutive time frames (SpecFrequencyMask's arguments, on the time axis).

    Args:
        min_mask_fraction: smallest span, as a fraction of the frames.
        max_mask_fraction: largest span.
        fill_mode: ``"constant"`` (``fill_constant``) or ``"mean"`` (the mean of the masked values).
        fill_constant: the fill value in ``"constant"`` mode.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.spectrogram import SpecTimeMask
        >>> t = SpecTimeMask(min_mask_fraction=0.02, max_mask_fraction=0.1, p=0.5)
    """

    _axis = 2


class SpecChannelShuffle(SpectrogramTransform):
    """Shuffle the channels of a multichannel spectrogram (a random permutation; mono passes unchanged).

    Args:
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.spectrogram import SpecChannelShuffle
        >>> t = SpecChannelShuffle(p=0.5)
    """

    has_random_params = True

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def sample_spectrogram(self, rng: np.random.Generator, spectrogram: np.ndarray) -> Params:
        return {"order": [int(i) for i in rng.permutation(spectrogram.shape[0])]}

    def apply_spectrogram(self, spectrogram: np.ndarray, params: Params, /) -> np.ndarray:
        return FS.shuffle_channels(spectrogram, params["order"])


class SpecAugment(SpectrogramTransform):
    """SpecAugment (Park et al. 2019): time warping, then frequency masks, then time masks.

    With ``tau`` frames and ``nu`` frequency rows: a frame ``w0`` uniform in ``{W + 1 .. tau - W - 2}`` (the
    paper's ``[W, tau - W)``, kept one frame off the ends so both warp segments stay non-empty) moves by
    ``w`` drawn uniformly in ``[-W, W]`` (a real number; piecewise-linear warp, see
    :func:`augkit.audio.functional.spectrogram.time_warp`; ``W`` shrinks to ``(tau - 3) // 2`` on short
    inputs, so no warp happens below 5 frames); each of ``num_freq_masks`` masks
    covers ``f`` rows, ``f`` uniform in ``{0..F}``, from ``f0`` uniform in ``{0..nu - f}``; each of
    ``num_time_masks`` masks covers ``t`` frames, ``t`` uniform in ``{0..min(T, floor(p x tau))}``, from
    ``t0`` uniform in ``{0..tau - t}``. Masks may overlap. Arguments left None take the ``policy``'s value
    (Table 1 of the paper: ``"LB"``, ``"LD"``, ``"SM"``, ``"SS"``; None means LB).

    Args:
        policy: None, ``"LB"`` (LibriSpeech basic), ``"LD"`` (LibriSpeech double), ``"SM"`` (Switchboard
            mild) or ``"SS"`` (Switchboard strong).
        time_warp_w: the warp parameter W in frames (0 disables warping).
        freq_mask_f: the frequency mask parameter F (the widest mask, in rows).
        num_freq_masks: how many frequency masks (mF).
        time_mask_t: the time mask parameter T (the widest mask, in frames).
        num_time_masks: how many time masks (mT).
        time_mask_p: the bound p: no time mask covers more than ``p`` times the frames.
        mask_value: the fill, a number or ``"mean"`` (each channel's mean before masking: the paper masks
            zero-mean log-mel features with zero, i.e. with their mean).
        p: probability of applying the transform (the paper augments every example: default 1.0).

    Example:
        >>> from augkit.audio.spectrogram import SpecAugment
        >>> t = SpecAugment(policy="SM", mask_value=0.0)
    """

    has_random_params = True

    def __init__(
        self,
        policy: str | None = None,
        time_warp_w: int | None = None,
        freq_mask_f: int | None = None,
        num_freq_masks: int | None = None,
        time_mask_t: int | None = None,
        num_time_masks: int | None = None,
        time_mask_p: float | None = None,
        mask_value: float | str = "mean",
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.policy = None if policy is None else as_choice(owner, "policy", policy, tuple(POLICIES))
        self.time_warp_w = None if time_warp_w is None else as_int(owner, "time_warp_w", time_warp_w, low=0)
        self.freq_mask_f = None if freq_mask_f is None else as_int(owner, "freq_mask_f", freq_mask_f, low=0)
        self.num_freq_masks = None if num_freq_masks is None else as_int(owner, "num_freq_masks", num_freq_masks, low=0)
        self.time_mask_t = None if time_mask_t is None else as_int(owner, "time_mask_t", time_mask_t, low=0)
        self.num_time_masks = None if num_time_masks is None else as_int(owner, "num_time_masks", num_time_masks, low=0)
        self.time_mask_p = None if time_mask_p is None else as_probability(owner, "time_mask_p", time_mask_p)
        if isinstance(mask_value, str):
            self.mask_value: float | str = as_choice(owner, "mask_value", mask_value, ("mean",))
        else:
            self.mask_value = as_float(owner, "mask_value", mask_value)

    @classmethod
    def example(cls) -> SpectrogramTransform:
        return cls(policy="LD", time_warp_w=5, freq_mask_f=8, time_mask_t=10, p=1.0)

    def resolved(self) -> dict[str, float]:
        """The effective W, F, mF, T, p and mT: the given arguments, the policy's for those left None."""
        table = POLICIES[self.policy or "LB"]
        return {key: table[key] if getattr(self, key) is None else getattr(self, key) for key in table}

    def sample_spectrogram(self, rng: np.random.Generator, spectrogram: np.ndarray) -> Params:
        settings = self.resolved()
        _, rows, frames = spectrogram.shape
        warp = None
        width = min(int(settings["time_warp_w"]), (frames - 3) // 2)
        if width >= 1:
            center = int(rng.integers(width + 1, frames - 1 - width))  # w0 in [W, tau - W), kept off both ends
            warp = [center, float(rng.uniform(-width, width))]
        freq_masks = []
        for _ in range(int(settings["num_freq_masks"])):
            size = int(rng.integers(0, min(int(settings["freq_mask_f"]), rows) + 1))
            freq_masks.append([int(rng.integers(0, rows - size + 1)), size])
        time_masks = []
        longest = min(int(settings["time_mask_t"]), int(settings["time_mask_p"] * frames))
        for _ in range(int(settings["num_time_masks"])):
            size = int(rng.integers(0, longest + 1))
            time_masks.append([int(rng.integers(0, frames - size + 1)), size])
        return {"warp": warp, "freq_masks": freq_masks, "time_masks": time_masks}

    def apply_spectrogram(self, spectrogram: np.ndarray, params: Params, /) -> np.ndarray:
        return FS.spec_augment(spectrogram, params["warp"], params["freq_masks"], params["time_masks"], self.mask_value)
