"""Level transforms: gain, gain transitions (fades), peak and loudness normalization, polarity inversion
and a look-ahead peak limiter.

Arguments, defaults and meanings follow audiomentations 0.43.1 (``min_*`` / ``max_*`` bounds drawn
uniformly; equal bounds give exactly that value). Quantities measured on the clip (its peak, its
loudness) are measured once on the ``audio`` target when parameters are drawn and stored in the record,
so paired targets (``additional_targets``) get exactly the same gain and a replay needs no measurement.
Kernels: :mod:`augkit.audio.functional.level`.

>>> import numpy as np
>>> from augkit.audio.level import Gain
>>> out = Gain(min_gain_db=-6.0206, max_gain_db=-6.0206, p=1.0)(audio=np.ones(3, np.float32), sample_rate=16000)
>>> out["audio"].round(4).tolist()
[0.5, 0.5, 0.5]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from augkit.audio._arguments import min_max
from augkit.audio.base import AudioTransform, ClipInfo
from augkit.audio.functional import level as FL
from augkit.core.rng import uniform
from augkit.core.validate import as_choice

__all__ = ["Gain", "GainTransition", "Limiter", "LoudnessNormalization", "Normalize", "PolarityInversion"]

Params = dict[str, Any]


class Gain(AudioTransform):
    """Multiply the audio by a random gain in dB (the result may leave [-1, 1]).

    Args:
        min_gain_db: the lowest gain in dB.
        max_gain_db: the highest gain in dB; drawn uniformly in between.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.level import Gain
        >>> t = Gain(min_gain_db=-12.0, max_gain_db=12.0, p=0.5)
    """

    has_random_params = True

    def __init__(self, min_gain_db: float = -12.0, max_gain_db: float = 12.0, p: float = 0.5) -> None:
        super().__init__(p)
        self.min_gain_db, self.max_gain_db = min_max(
            type(self).__name__, "gain_db", min_gain_db, max_gain_db, low=-200.0, high=200.0
        )

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {"gain_db": uniform(rng, (self.min_gain_db, self.max_gain_db))}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FL.gain(audio, float(params["gain_db"]))


_DURATION_UNITS = ("fraction", "samples", "seconds")


class GainTransition(AudioTransform):
    """A fade between two random gains over a random span (audiomentations' semantics): the gain holds
    a first value, moves linearly in dB to a second one over the span, then holds that. The span may
    start before the clip or end after it, so a clip can begin or end inside the fade.

    Args:
        min_gain_db: the lowest gain in dB (both gains are drawn independently from the range).
        max_gain_db: the highest gain in dB.
        min_duration: the shortest transition, in ``duration_unit``.
        max_duration: the longest transition; drawn uniformly in between.
        duration_unit: ``"seconds"``, ``"samples"`` or ``"fraction"`` (of the clip's length).
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.level import GainTransition
        >>> t = GainTransition(min_gain_db=-24.0, max_gain_db=6.0, min_duration=0.2, max_duration=6.0, p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        min_gain_db: float = -24.0,
        max_gain_db: float = 6.0,
        min_duration: float = 0.2,
        max_duration: float = 6.0,
        duration_unit: str = "seconds",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_gain_db, self.max_gain_db = min_max(owner, "gain_db", min_gain_db, max_gain_db, low=-200.0, high=200.0)
        self.min_duration, self.max_duration = min_max(owner, "duration", min_duration, max_duration, low=0.0, low_open=True)
        self.duration_unit = as_choice(owner, "duration_unit", duration_unit, _DURATION_UNITS)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        duration = uniform(rng, (self.min_duration, self.max_duration))
        scale = {"fraction": clip.num_samples, "samples": 1, "seconds": clip.sample_rate}[self.duration_unit]
        length = max(1, round(duration * scale))
        return {
            "start_gain_db": uniform(rng, (self.min_gain_db, self.max_gain_db)),
            "end_gain_db": uniform(rng, (self.min_gain_db, self.max_gain_db)),
            "start": int(rng.integers(1 - length, clip.num_samples)),  # the fade overlaps the clip
            "length": int(length),
        }

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FL.gain_transition(
            audio, float(params["start_gain_db"]), float(params["end_gain_db"]), int(params["start"]), int(params["length"])
        )


class Normalize(AudioTransform):
    """Peak normalization: one gain that brings the largest absolute sample to exactly 1.0 (0 dBFS).
    Deterministic; a silent clip is left unchanged.

    Args:
        apply_to: ``"all"`` normalizes every clip; ``"only_too_loud_sounds"`` only clips that peak
            above 1.0 (a safety net against clipping).
        p: probability of applying the transform (0.5, as in audiomentations).

    Example:
        >>> from augkit.audio.level import Normalize
        >>> t = Normalize(apply_to="only_too_loud_sounds", p=1.0)
    """

    def __init__(self, apply_to: str = "all", p: float = 0.5) -> None:
        super().__init__(p)
        self.apply_to = as_choice(type(self).__name__, "apply_to", apply_to, ("all", "only_too_loud_sounds"))

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {"peak": FL.peak(clip.audio)}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FL.normalize_peak(audio, self.apply_to == "only_too_loud_sounds", reference=float(params["peak"]))


class LoudnessNormalization(AudioTransform):
    """One gain that brings the clip's integrated loudness (ITU-R BS.1770-4, LUFS) to a random target.

    The loudness is measured with :func:`augkit.audio.functional.level.integrated_loudness`
    (K-weighting for the clip's sample rate, 400 ms blocks with 75 % overlap, absolute gate -70 LUFS,
    relative gate -10 LU; a clip shorter than 400 ms counts as one block); the gain is refined so the
    result measures the target even when blocks cross the absolute gate. A silent clip (every block
    below -70 LUFS) is left unchanged. The result may leave [-1, 1].

    Args:
        min_lufs: the quietest target loudness in LUFS.
        max_lufs: the loudest target; drawn uniformly in between.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.level import LoudnessNormalization
        >>> t = LoudnessNormalization(min_lufs=-31.0, max_lufs=-13.0, p=0.5)
    """

    has_random_params = True

    def __init__(self, min_lufs: float = -31.0, max_lufs: float = -13.0, p: float = 0.5) -> None:
        super().__init__(p)
        self.min_lufs, self.max_lufs = min_max(type(self).__name__, "lufs", min_lufs, max_lufs, low=-150.0, high=50.0)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        target = uniform(rng, (self.min_lufs, self.max_lufs))
        db = FL.loudness_gain_db(clip.audio, clip.sample_rate, target)
        return {"lufs": target, "gain_db": 0.0 if db is None else db}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FL.gain(audio, float(params["gain_db"]))


class PolarityInversion(AudioTransform):
    """Multiply the audio by -1 (sounds the same alone; changes how it sums with other sources).

    Args:
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.level import PolarityInversion
        >>> t = PolarityInversion(p=0.5)
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FL.polarity_inversion(audio)


class Limiter(AudioTransform):
    """A look-ahead peak limiter (:func:`augkit.audio.functional.level.limiter`): no output sample
    exceeds the threshold; the gain ramps down over the attack time before each peak and recovers with
    the release time constant, the same gain on every channel. Unlike audiomentations' limiter, the
    output is not delayed (the whole clip is known, so the look-ahead costs no latency).

    Args:
        min_threshold_db: the lowest threshold in dB.
        max_threshold_db: the highest threshold in dB; drawn uniformly in between.
        min_attack: the shortest attack (look-ahead) time in seconds (at least 16 samples are used).
        max_attack: the longest attack time in seconds.
        min_release: the shortest release time constant in seconds.
        max_release: the longest release time constant in seconds.
        threshold_mode: ``"relative_to_signal_peak"`` (the threshold is in dB below the clip's peak)
            or ``"absolute"`` (dB relative to full scale, 1.0).
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.level import Limiter
        >>> t = Limiter(min_threshold_db=-24.0, max_threshold_db=-2.0, threshold_mode="relative_to_signal_peak", p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        min_threshold_db: float = -24.0,
        max_threshold_db: float = -2.0,
        min_attack: float = 0.0005,
        max_attack: float = 0.025,
        min_release: float = 0.05,
        max_release: float = 0.7,
        threshold_mode: str = "relative_to_signal_peak",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_threshold_db, self.max_threshold_db = min_max(
            owner, "threshold_db", min_threshold_db, max_threshold_db, low=-200.0, high=200.0
        )
        self.min_attack, self.max_attack = min_max(owner, "attack", min_attack, max_attack, low=0.0, high=10.0)
        self.min_release, self.max_release = min_max(
            owner, "release", min_release, max_release, low=0.0, high=100.0, low_open=True
        )
        self.threshold_mode = as_choice(owner, "threshold_mode", threshold_mode, ("relative_to_signal_peak", "absolute"))

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        threshold_db = uniform(rng, (self.min_threshold_db, self.max_threshold_db))
        reference = FL.peak(clip.audio) if self.threshold_mode == "relative_to_signal_peak" else 1.0
        return {
            "threshold_db": threshold_db,
            "attack": uniform(rng, (self.min_attack, self.max_attack)),
            "release": uniform(rng, (self.min_release, self.max_release)),
            "threshold": reference * FL.db_to_amplitude(threshold_db),
        }

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        threshold = float(params["threshold"])
        if threshold <= 0.0:  # a silent clip in relative mode
            return np.array(audio, dtype=np.float32, order="C")
        return FL.limiter(audio, sample_rate, threshold, float(params["attack"]), float(params["release"]))
