"""Filters and equalizers: Butterworth low/high/band-pass and band-stop, shelves, peaking and a 7-band EQ.

Arguments, defaults and semantics follow audiomentations 0.43.1 (``LowPassFilter``, ``HighPassFilter``,
``BandPassFilter``, ``BandStopFilter``, ``LowShelfFilter``, ``HighShelfFilter``, ``PeakingFilter``,
``SevenBandParametricEQ``): cutoff and centre frequencies are drawn uniformly on the mel scale, gains in
dB and Q uniformly; a roll-off of ``6 k`` dB/octave is a Butterworth of order ``k`` (each skirt, for the
band filters), and ``zero_phase=True`` filters forward and backward with half the order (so roll-offs
must be multiples of 12 then; the cutoff sits at -6 dB instead of -3 dB). Frequencies at or above
Nyquist are clipped just below it, as audiomentations does; a peaking band there is skipped. Kernels:
:mod:`augkit.audio.functional.filters`.

>>> import numpy as np, augkit as ak
>>> from augkit.audio.filters import LowPass
>>> t = LowPass(min_cutoff_freq=1000.0, max_cutoff_freq=1000.0, min_rolloff=24, max_rolloff=24, p=1.0)
>>> out = t(audio=np.ones(256, np.float32), sample_rate=16000, rng=0)
>>> out["audio"].shape, round(float(out["audio"][-1]), 4)
((256,), 1.0)
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from augkit.audio._arguments import int_min_max, min_max
from augkit.audio.base import AudioTransform, ClipInfo
from augkit.audio.functional import filters as FF
from augkit.core.errors import ArgumentError, describe
from augkit.core.rng import uniform
from augkit.core.validate import as_bool

__all__ = [
    "BandPass",
    "BandStop",
    "HighPass",
    "HighShelf",
    "LowPass",
    "LowShelf",
    "Peaking",
    "SevenBandParametricEQ",
]

Params = dict[str, Any]

#: SevenBandParametricEQ's bands (audiomentations 0.43.1): kind, centre range (Hz), Q range.
SEVEN_BANDS: tuple[tuple[str, float, float, float, float], ...] = (
    ("low_shelf", 42.0, 95.0, 0.1, 0.999),
    ("peaking", 91.0, 204.0, 0.5, 5.0),
    ("peaking", 196.0, 441.0, 0.5, 5.0),
    ("peaking", 421.0, 948.0, 0.5, 5.0),
    ("peaking", 909.0, 2045.0, 0.5, 5.0),
    ("peaking", 1957.0, 4404.0, 0.5, 5.0),
    ("high_shelf", 4216.0, 9486.0, 0.1, 0.999),
)


def _mel_uniform(rng: np.random.Generator, low_hz: float, high_hz: float) -> float:
    if low_hz == high_hz:
        return low_hz
    return FF.mel_to_hz(uniform(rng, (FF.hz_to_mel(low_hz), FF.hz_to_mel(high_hz))))


class _Butterworth(AudioTransform):
    """Shared roll-off handling: draws ``rolloff`` (dB/octave) in steps of 6 (12 with ``zero_phase``)."""

    _abstract = True
    has_random_params = True

    def _set_rolloff(self, min_rolloff: object, max_rolloff: object, zero_phase: object) -> None:
        owner = type(self).__name__
        self.zero_phase = as_bool(owner, "zero_phase", zero_phase)
        step = 12 if self.zero_phase else 6
        self.min_rolloff, self.max_rolloff = int_min_max(owner, "rolloff", min_rolloff, max_rolloff, low=step)
        for name, number, given in (
            ("min_rolloff", self.min_rolloff, min_rolloff),
            ("max_rolloff", self.max_rolloff, max_rolloff),
        ):
            if number % step:
                why = " (zero_phase=True filters twice)" if self.zero_phase else ""
                raise ArgumentError(
                    f"{owner}: argument {name!r} expects a multiple of {step} dB/octave{why}; got {describe(given)}"
                )

    def _draw_rolloff(self, rng: np.random.Generator) -> int:
        step = 12 if self.zero_phase else 6
        low, high = self.min_rolloff // step, self.max_rolloff // step
        return step * (low if low == high else int(rng.integers(low, high + 1)))

    def _order(self, params: Params) -> int:
        return int(params["rolloff"]) // (12 if self.zero_phase else 6)


class _OneSided(_Butterworth):
    _abstract = True
    _kernel: ClassVar[str]

    def __init__(
        self, min_cutoff_freq: float, max_cutoff_freq: float, min_rolloff: int, max_rolloff: int, zero_phase: bool, p: float
    ) -> None:
        super().__init__(p)
        self.min_cutoff_freq, self.max_cutoff_freq = min_max(
            type(self).__name__, "cutoff_freq", min_cutoff_freq, max_cutoff_freq, low=0.0, low_open=True
        )
        self._set_rolloff(min_rolloff, max_rolloff, zero_phase)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {"cutoff_freq": _mel_uniform(rng, self.min_cutoff_freq, self.max_cutoff_freq), "rolloff": self._draw_rolloff(rng)}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        kernel = getattr(FF, self._kernel)
        return kernel(audio, sample_rate, float(params["cutoff_freq"]), self._order(params), self.zero_phase)


class LowPass(_OneSided):
    """Butterworth low-pass filter with a random cutoff (mel-uniform) and roll-off.

    Args:
        min_cutoff_freq: lowest cutoff in Hz (> 0).
        max_cutoff_freq: highest cutoff in Hz; a cutoff at or above Nyquist is clipped just below it.
        min_rolloff: smallest roll-off in dB/octave, a multiple of 6 (of 12 with ``zero_phase``).
        max_rolloff: largest roll-off in dB/octave; drawn among the multiples in between.
        zero_phase: filter forward and backward (no phase shift, -6 dB at the cutoff, twice as slow).
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.filters import LowPass
        >>> t = LowPass(min_cutoff_freq=2000.0, max_cutoff_freq=6000.0, zero_phase=True, p=0.5)
    """

    _kernel = "low_pass"

    def __init__(
        self,
        min_cutoff_freq: float = 150.0,
        max_cutoff_freq: float = 7500.0,
        min_rolloff: int = 12,
        max_rolloff: int = 24,
        zero_phase: bool = False,
        p: float = 0.5,
    ) -> None:
        super().__init__(min_cutoff_freq, max_cutoff_freq, min_rolloff, max_rolloff, zero_phase, p)


class HighPass(_OneSided):
    """Butterworth high-pass filter with a random cutoff (mel-uniform) and roll-off.

    Args:
        min_cutoff_freq: lowest cutoff in Hz (> 0).
        max_cutoff_freq: highest cutoff in Hz; a cutoff at or above Nyquist is clipped just below it.
        min_rolloff: smallest roll-off in dB/octave, a multiple of 6 (of 12 with ``zero_phase``).
        max_rolloff: largest roll-off in dB/octave; drawn among the multiples in between.
        zero_phase: filter forward and backward (no phase shift, -6 dB at the cutoff, twice as slow).
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.filters import HighPass
        >>> t = HighPass(min_cutoff_freq=100.0, max_cutoff_freq=800.0, min_rolloff=6, max_rolloff=18)
    """

    _kernel = "high_pass"

    def __init__(
        self,
        min_cutoff_freq: float = 20.0,
        max_cutoff_freq: float = 2400.0,
        min_rolloff: int = 12,
        max_rolloff: int = 24,
        zero_phase: bool = False,
        p: float = 0.5,
    ) -> None:
        super().__init__(min_cutoff_freq, max_cutoff_freq, min_rolloff, max_rolloff, zero_phase, p)


class _TwoSided(_Butterworth):
    _abstract = True
    _kernel: ClassVar[str]

    def __init__(
        self,
        min_center_freq: float = 200.0,
        max_center_freq: float = 4000.0,
        min_bandwidth_fraction: float = 0.5,
        max_bandwidth_fraction: float = 1.99,
        min_rolloff: int = 12,
        max_rolloff: int = 24,
        zero_phase: bool = False,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_center_freq, self.max_center_freq = min_max(
            owner, "center_freq", min_center_freq, max_center_freq, low=0.0, low_open=True
        )
        self.min_bandwidth_fraction, self.max_bandwidth_fraction = min_max(
            owner,
            "bandwidth_fraction",
            min_bandwidth_fraction,
            max_bandwidth_fraction,
            low=0.0,
            high=2.0,
            low_open=True,
            high_open=True,
        )
        self._set_rolloff(min_rolloff, max_rolloff, zero_phase)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        center = _mel_uniform(rng, self.min_center_freq, self.max_center_freq)
        fraction = uniform(rng, (self.min_bandwidth_fraction, self.max_bandwidth_fraction))
        return {"center_freq": center, "bandwidth": center * fraction, "rolloff": self._draw_rolloff(rng)}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        kernel = getattr(FF, self._kernel)
        return kernel(
            audio, sample_rate, float(params["center_freq"]), float(params["bandwidth"]), self._order(params), self.zero_phase
        )


class BandPass(_TwoSided):
    """Butterworth band-pass filter: a random centre (mel-uniform) and bandwidth (a fraction of the centre).

    The band runs from ``center - bandwidth / 2`` to ``center + bandwidth / 2`` Hz.

    Args:
        min_center_freq: lowest centre frequency in Hz (> 0).
        max_center_freq: highest centre frequency in Hz.
        min_bandwidth_fraction: smallest bandwidth relative to the centre, in (0, 2).
        max_bandwidth_fraction: largest bandwidth relative to the centre, in (0, 2); drawn uniformly.
        min_rolloff: smallest roll-off of each skirt in dB/octave, a multiple of 6 (of 12 with ``zero_phase``).
        max_rolloff: largest roll-off in dB/octave.
        zero_phase: filter forward and backward (no phase shift, -6 dB at the edges, twice as slow).
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.filters import BandPass
        >>> t = BandPass(min_center_freq=300.0, max_center_freq=3000.0, p=0.5)
    """

    _kernel = "band_pass"


class BandStop(_TwoSided):
    """Butterworth band-stop (notch) filter: a random centre (mel-uniform) and bandwidth (a fraction of the
    centre), the frequency-mask idea of SpecAugment applied to the waveform.

    Args:
        min_center_freq: lowest centre frequency in Hz (> 0).
        max_center_freq: highest centre frequency in Hz.
        min_bandwidth_fraction: smallest bandwidth relative to the centre, in (0, 2).
        max_bandwidth_fraction: largest bandwidth relative to the centre, in (0, 2); drawn uniformly.
        min_rolloff: smallest roll-off of each skirt in dB/octave, a multiple of 6 (of 12 with ``zero_phase``).
        max_rolloff: largest roll-off in dB/octave.
        zero_phase: filter forward and backward (no phase shift, twice as slow).
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.filters import BandStop
        >>> t = BandStop(min_center_freq=500.0, max_center_freq=4000.0, min_bandwidth_fraction=0.1, max_bandwidth_fraction=0.5)
    """

    _kernel = "band_stop"


class _Biquad(AudioTransform):
    _abstract = True
    has_random_params = True
    _kernel: ClassVar[str]

    def __init__(
        self,
        min_center_freq: float,
        max_center_freq: float,
        min_gain_db: float,
        max_gain_db: float,
        min_q: float,
        max_q: float,
        p: float,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_center_freq, self.max_center_freq = min_max(
            owner, "center_freq", min_center_freq, max_center_freq, low=0.0, low_open=True
        )
        self.min_gain_db, self.max_gain_db = min_max(owner, "gain_db", min_gain_db, max_gain_db)
        self.min_q, self.max_q = min_max(owner, "q", min_q, max_q, low=0.0, low_open=True)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {
            "center_freq": _mel_uniform(rng, self.min_center_freq, self.max_center_freq),
            "gain_db": uniform(rng, (self.min_gain_db, self.max_gain_db)),
            "q": uniform(rng, (self.min_q, self.max_q)),
        }

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        kernel = getattr(FF, self._kernel)
        return kernel(audio, sample_rate, float(params["center_freq"]), float(params["gain_db"]), float(params["q"]))


class LowShelf(_Biquad):
    """Low-shelf filter (RBJ Audio EQ Cookbook): boost or cut below a random centre frequency.

    The gain at DC is the drawn ``gain_db``; at the centre it is half of it (in dB).

    Args:
        min_center_freq: lowest centre frequency in Hz (mel-uniform draw).
        max_center_freq: highest centre frequency in Hz (clipped just below Nyquist).
        min_gain_db: lowest gain at DC in dB (negative cuts).
        max_gain_db: highest gain at DC in dB.
        min_q: lowest Q (> 0); higher Q gives a steeper transition (above ~0.707 it overshoots).
        max_q: highest Q.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.filters import LowShelf
        >>> t = LowShelf(min_center_freq=100.0, max_center_freq=1000.0, min_gain_db=-12.0, max_gain_db=12.0)
    """

    _kernel = "low_shelf"

    def __init__(
        self,
        min_center_freq: float = 50.0,
        max_center_freq: float = 4000.0,
        min_gain_db: float = -18.0,
        max_gain_db: float = 18.0,
        min_q: float = 0.1,
        max_q: float = 0.999,
        p: float = 0.5,
    ) -> None:
        super().__init__(min_center_freq, max_center_freq, min_gain_db, max_gain_db, min_q, max_q, p)


class HighShelf(_Biquad):
    """High-shelf filter (RBJ Audio EQ Cookbook): boost or cut above a random centre frequency.

    The gain at Nyquist is the drawn ``gain_db``; at the centre it is half of it (in dB).

    Args:
        min_center_freq: lowest centre frequency in Hz (mel-uniform draw).
        max_center_freq: highest centre frequency in Hz (clipped just below Nyquist).
        min_gain_db: lowest gain at Nyquist in dB (negative cuts).
        max_gain_db: highest gain at Nyquist in dB.
        min_q: lowest Q (> 0); higher Q gives a steeper transition (above ~0.707 it overshoots).
        max_q: highest Q.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.filters import HighShelf
        >>> t = HighShelf(min_gain_db=-6.0, max_gain_db=6.0, p=0.5)
    """

    _kernel = "high_shelf"

    def __init__(
        self,
        min_center_freq: float = 300.0,
        max_center_freq: float = 7500.0,
        min_gain_db: float = -18.0,
        max_gain_db: float = 18.0,
        min_q: float = 0.1,
        max_q: float = 0.999,
        p: float = 0.5,
    ) -> None:
        super().__init__(min_center_freq, max_center_freq, min_gain_db, max_gain_db, min_q, max_q, p)


class Peaking(_Biquad):
    """Peaking EQ filter (RBJ Audio EQ Cookbook): a bell of ``gain_db`` at a random centre frequency.

    A centre at or above Nyquist leaves the clip unchanged.

    Args:
        min_center_freq: lowest centre frequency in Hz (mel-uniform draw).
        max_center_freq: highest centre frequency in Hz.
        min_gain_db: lowest gain at the centre in dB (negative cuts).
        max_gain_db: highest gain at the centre in dB.
        min_q: lowest Q (> 0); higher Q gives a narrower bell.
        max_q: highest Q.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.filters import Peaking
        >>> t = Peaking(min_center_freq=500.0, max_center_freq=4000.0, min_gain_db=-12.0, max_gain_db=12.0)
    """

    _kernel = "peaking"

    def __init__(
        self,
        min_center_freq: float = 50.0,
        max_center_freq: float = 7500.0,
        min_gain_db: float = -24.0,
        max_gain_db: float = 24.0,
        min_q: float = 0.5,
        max_q: float = 5.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(min_center_freq, max_center_freq, min_gain_db, max_gain_db, min_q, max_q, p)


class SevenBandParametricEQ(AudioTransform):
    """A 7-band parametric equalizer: a low shelf, five peaking bands and a high shelf, each with a random
    gain, Q and centre frequency (audiomentations' bands).

    Centres are drawn mel-uniformly in 42-95, 91-204, 196-441, 421-948, 909-2045, 1957-4404 and
    4216-9486 Hz; Q in 0.1-0.999 for the shelves and 0.5-5 for the peaks. Bands whose centre is at or
    above Nyquist are skipped (the high shelf at 16 kHz and below, often). All bands run as one cascade.

    Args:
        min_gain_db: lowest gain of a band in dB.
        max_gain_db: highest gain of a band in dB; each band draws its own gain uniformly.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.filters import SevenBandParametricEQ
        >>> t = SevenBandParametricEQ(min_gain_db=-6.0, max_gain_db=6.0, p=0.5)
    """

    has_random_params = True

    def __init__(self, min_gain_db: float = -12.0, max_gain_db: float = 12.0, p: float = 0.5) -> None:
        super().__init__(p)
        self.min_gain_db, self.max_gain_db = min_max(type(self).__name__, "gain_db", min_gain_db, max_gain_db)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        bands = []
        for kind, low, high, q_low, q_high in SEVEN_BANDS:
            bands.append(
                [
                    kind,
                    _mel_uniform(rng, low, high),
                    uniform(rng, (self.min_gain_db, self.max_gain_db)),
                    uniform(rng, (q_low, q_high)),
                ]
            )
        return {"bands": bands}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FF.parametric_eq(audio, sample_rate, params["bands"])
