"""Rate and pitch transforms: time stretch, pitch shift, speed change (both at once) and resampling.

Arguments, defaults and meanings follow audiomentations 0.43.1 (``TimeStretch``, ``PitchShift``,
``Resample``); ``SpeedChange`` is the speed perturbation of Ko et al. (2015) used in Kaldi recipes
(rates 0.9, 1.0 and 1.1). The methods are augkit's own (numpy/scipy, no Rubber Band, no librosa): a phase
vocoder with identity phase locking and transient resets for stretching and pitch shifting
(:mod:`augkit.audio.functional.stretch`) and a windowed-sinc polyphase resampler run as matrix products
(:mod:`augkit.audio.functional.resampling`). Multichannel clips keep their stereo image (one set of phase
rotations for all channels). Draws are recorded (``rate``, ``semitones``, ``target_sample_rate``), so a
replay gives the same output; a pipeline's paired ``audio`` targets get the same draw.

>>> import numpy as np, augkit as ak
>>> from augkit.audio.rate import SpeedChange, TimeStretch
>>> x = np.zeros(16000, np.float32)
>>> TimeStretch(min_rate=1.25, max_rate=1.25, leave_length_unchanged=False, p=1.0)(audio=x, sample_rate=16000)["audio"].shape
(12800,)
>>> SpeedChange(rates=[0.9], p=1.0)(audio=x, sample_rate=16000)["audio"].shape
(17778,)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augkit.audio._arguments import int_min_max, min_max
from augkit.audio.base import AudioTransform, ClipInfo
from augkit.audio.functional import resampling as FR
from augkit.audio.functional import stretch as FS
from augkit.audio.functional import time as FT
from augkit.core.errors import ArgumentError, describe
from augkit.core.rng import uniform
from augkit.core.validate import as_bool, as_float_tuple

__all__ = ["PitchShift", "Resample", "SpeedChange", "TimeStretch"]

Params = dict[str, Any]

#: Rates outside this range are refused (audiomentations' TimeStretch range): a rate of 0.01 would make
#: a clip a hundred times longer.
RATE_RANGE = (0.1, 10.0)
#: Largest pitch shift, in semitones, either way (audiomentations' range).
MAX_SEMITONES = 24.0


class TimeStretch(AudioTransform):
    """Change the tempo without changing the pitch: the duration is divided by ``rate``.

    ``rate`` is drawn uniformly in ``[min_rate, max_rate]``; above 1 the clip gets faster (shorter). With
    ``leave_length_unchanged`` the result is cut, or padded with silence at the end, to the input's
    length (audiomentations' behaviour); otherwise it has ``round(samples / rate)`` samples. The method is
    a phase-locked vocoder with sharp transients (:func:`augkit.audio.functional.stretch.time_stretch`).

    Args:
        min_rate: the smallest rate, in [0.1, 10] (below 1 slows down).
        max_rate: the largest rate, in [0.1, 10].
        leave_length_unchanged: keep the number of samples.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.rate import TimeStretch
        >>> t = TimeStretch(min_rate=0.9, max_rate=1.1, leave_length_unchanged=False, p=0.5)
    """

    has_random_params = True

    def __init__(
        self, min_rate: float = 0.8, max_rate: float = 1.25, leave_length_unchanged: bool = True, p: float = 0.5
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_rate, self.max_rate = min_max(owner, "rate", min_rate, max_rate, low=RATE_RANGE[0], high=RATE_RANGE[1])
        self.leave_length_unchanged = as_bool(owner, "leave_length_unchanged", leave_length_unchanged)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {"rate": uniform(rng, (self.min_rate, self.max_rate))}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        out = FS.time_stretch(audio, float(params["rate"]), sample_rate)
        return FT.adjust_duration(out, audio.shape[-1]) if self.leave_length_unchanged else out


class PitchShift(AudioTransform):
    """Shift the pitch up or down by a number of semitones without changing the tempo or the length.

    ``semitones`` is drawn uniformly in ``[min_semitones, max_semitones]``; frequencies are multiplied by
    ``2 ** (semitones / 12)`` (within 0.15 %, see :func:`augkit.audio.functional.stretch.pitch_factor`).
    Formants move with the pitch, as with audiomentations' methods. The method is a phase-locked vocoder
    whose frames are resampled in the frequency domain
    (:func:`augkit.audio.functional.stretch.pitch_shift`).

    Args:
        min_semitones: the lowest shift, in [-24, 24] (negative is lower).
        max_semitones: the highest shift, in [-24, 24].
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.rate import PitchShift
        >>> t = PitchShift(min_semitones=-2.0, max_semitones=2.0, p=0.5)
    """

    has_random_params = True

    def __init__(self, min_semitones: float = -4.0, max_semitones: float = 4.0, p: float = 0.5) -> None:
        super().__init__(p)
        self.min_semitones, self.max_semitones = min_max(
            type(self).__name__, "semitones", min_semitones, max_semitones, low=-MAX_SEMITONES, high=MAX_SEMITONES
        )

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {"semitones": uniform(rng, (self.min_semitones, self.max_semitones))}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FS.pitch_shift(audio, float(params["semitones"]), sample_rate)


class SpeedChange(AudioTransform):
    """Play faster or slower, tempo and pitch together (speed perturbation, Kaldi's ``sox speed``).

    The clip is resampled so that it plays ``rate`` times faster at the same sample rate: it gets
    ``round(samples / rate)`` samples and every frequency is multiplied by ``rate``. ``rate`` is drawn
    uniformly in ``[min_rate, max_rate]``, or, when ``rates`` is given, picked from that list with equal
    chances (``rates=[0.9, 1.0, 1.1]`` is the classic three-way perturbation of Ko et al. 2015).

    Args:
        min_rate: the smallest rate, in [0.1, 10] (below 1 is slower and lower).
        max_rate: the largest rate, in [0.1, 10].
        rates: optional list of rates to choose from (then ``min_rate``/``max_rate`` are not used).
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.rate import SpeedChange
        >>> t = SpeedChange(rates=[0.9, 1.0, 1.1], p=1.0)
    """

    has_random_params = True

    def __init__(
        self, min_rate: float = 0.9, max_rate: float = 1.1, rates: Sequence[float] | None = None, p: float = 0.5
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_rate, self.max_rate = min_max(owner, "rate", min_rate, max_rate, low=RATE_RANGE[0], high=RATE_RANGE[1])
        if rates is None:
            self.rates: tuple[float, ...] | None = None
        else:
            choices = as_float_tuple(owner, "rates", rates, positive=True)
            low, high = RATE_RANGE
            if min(choices) < low or max(choices) > high:
                raise ArgumentError(f"{owner}: argument 'rates' expects numbers in [{low}, {high}]; got {describe(rates)}")
            self.rates = choices

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        if self.rates is not None:
            rate = self.rates[0] if len(self.rates) == 1 else self.rates[int(rng.integers(len(self.rates)))]
            return {"rate": float(rate)}
        return {"rate": uniform(rng, (self.min_rate, self.max_rate))}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FR.change_speed(audio, float(params["rate"]))


class Resample(AudioTransform):
    """Change the sample rate to one drawn uniformly (an integer) in ``[min_sample_rate, max_sample_rate]``.

    The sound stays the same (a sine keeps its frequency in Hz); the clip gets
    ``round(samples * new / old)`` samples and the call's output ``sample_rate`` becomes the new rate
    (per clip in a batch, a list when they differ). Downsampling removes what would alias (a
    windowed-sinc low-pass at 0.9 of the new Nyquist frequency; see
    :func:`augkit.audio.functional.resampling.resample`). To simulate a low-quality channel and come back
    to the original rate, follow it with another ``Resample`` of a fixed rate.

    Args:
        min_sample_rate: the lowest new rate, in Hz.
        max_sample_rate: the highest new rate, in Hz.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.rate import Resample
        >>> t = Resample(min_sample_rate=8000, max_sample_rate=16000, p=1.0)
    """

    has_random_params = True

    def __init__(self, min_sample_rate: int = 8000, max_sample_rate: int = 44100, p: float = 0.5) -> None:
        super().__init__(p)
        self.min_sample_rate, self.max_sample_rate = int_min_max(
            type(self).__name__, "sample_rate", min_sample_rate, max_sample_rate, low=1
        )

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        low, high = self.min_sample_rate, self.max_sample_rate
        return {"target_sample_rate": low if low == high else int(rng.integers(low, high + 1))}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FR.resample(audio, sample_rate, int(params["target_sample_rate"]))

    def output_sample_rate(self, params: Params, sample_rate: int) -> int:
        return int(params["target_sample_rate"])
