"""Time-axis transforms: shift, mask, reverse, pad, fix the duration, repeat a part, trim silence.

Arguments, defaults and meanings follow audiomentations 0.43.1. Positions and lengths are drawn in
samples when the clip is sampled (and recorded), so a replay cuts at exactly the same samples; fade and
crossfade durations are given in seconds and rounded to samples at the call's rate. Transforms that
change the length (``AdjustDuration``, ``RepeatPart`` in "insert" mode, ``Trim``) return clips of a new
length; a batch whose clips end up with different lengths comes back as a list.

>>> import numpy as np
>>> from augkit.audio.time import Shift
>>> x = np.arange(1, 6, dtype=np.float32)
>>> Shift(min_shift=2, max_shift=2, shift_unit="samples", fade_duration=0.0, p=1.0)(audio=x, sample_rate=8000)["audio"].tolist()
[4.0, 5.0, 1.0, 2.0, 3.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from augkit.audio._arguments import int_min_max, min_max, nested_transform, run_nested
from augkit.audio.base import AudioTransform, ClipInfo
from augkit.audio.functional import time as FT
from augkit.audio.io import match_channels
from augkit.core.errors import ArgumentError, describe
from augkit.core.rng import draw_seed, uniform
from augkit.core.validate import as_bool, as_choice, as_float, as_int

__all__ = ["AdjustDuration", "Padding", "RepeatPart", "Reverse", "Shift", "TimeMask", "Trim"]

Params = dict[str, Any]


def _samples(seconds: float, sample_rate: int) -> int:
    return round(seconds * sample_rate)


class Shift(AudioTransform):
    """Move the audio forwards or backwards in time, with or without rollover.

    The shift is drawn uniformly in ``[min_shift, max_shift]`` in ``shift_unit`` and rounded to whole
    samples (for "samples", an integer is drawn); positive moves later. With ``rollover`` the samples
    pushed past one end reappear at the other; without it the emptied part is silence. ``fade_duration``
    fades out and back in around the "stitch" (see :func:`augkit.audio.functional.time.shift`).

    Args:
        min_shift: the smallest shift (negative: earlier).
        max_shift: the largest shift.
        shift_unit: "fraction" (of the clip's length), "samples" or "seconds".
        rollover: wrap around (True) or fill with silence (False).
        fade_duration: seconds of fade on each side of the stitch; 0 turns it off.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.time import Shift
        >>> t = Shift(min_shift=-0.5, max_shift=0.5, shift_unit="fraction", rollover=False, p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        min_shift: float = -0.5,
        max_shift: float = 0.5,
        shift_unit: str = "fraction",
        rollover: bool = True,
        fade_duration: float = 0.005,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.shift_unit = as_choice(owner, "shift_unit", shift_unit, ("fraction", "samples", "seconds"))
        low, high = min_max(owner, "shift", min_shift, max_shift)
        if self.shift_unit == "samples":
            for name, value in (("min_shift", low), ("max_shift", high)):
                if not value.is_integer():
                    raise ArgumentError(f"{owner}: argument {name!r} expects an integer with shift_unit='samples'; got {value!r}")
            low, high = as_int(owner, "min_shift", min_shift), as_int(owner, "max_shift", max_shift)
        self.min_shift, self.max_shift = low, high
        self.rollover = as_bool(owner, "rollover", rollover)
        self.fade_duration = as_float(owner, "fade_duration", fade_duration, low=0.0)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        if self.shift_unit == "samples":
            low, high = int(self.min_shift), int(self.max_shift)
            return {"shift": low if low == high else int(rng.integers(low, high + 1))}
        amount = uniform(rng, (self.min_shift, self.max_shift))
        scale = clip.num_samples if self.shift_unit == "fraction" else clip.sample_rate
        return {"shift": round(amount * scale)}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        fade = _samples(self.fade_duration, sample_rate)
        return FT.shift(audio, int(params["shift"]), rollover=self.rollover, fade=fade)


class TimeMask(AudioTransform):
    """Silence a random band of the clip (SpecAugment's time masking on the waveform).

    The band is ``round(part * length)`` samples, ``part`` uniform in ``[min_band_part, max_band_part]``;
    it starts at a uniform position ("random"), at 0 ("start") or ends at the last sample ("end"). Inside
    the band the signal fades out over ``fade_duration`` and back in at its end (see
    :func:`augkit.audio.functional.time.time_mask`).

    Args:
        min_band_part: the shortest band, as a fraction of the clip's length.
        max_band_part: the longest band.
        fade_duration: seconds of fade at each edge of the band (inside it); 0 gives hard edges.
        mask_location: "random", "start" or "end".
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.time import TimeMask
        >>> t = TimeMask(min_band_part=0.1, max_band_part=0.15, mask_location="random", p=1.0)
    """

    has_random_params = True

    def __init__(
        self,
        min_band_part: float = 0.01,
        max_band_part: float = 0.2,
        fade_duration: float = 0.005,
        mask_location: str = "random",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_band_part, self.max_band_part = min_max(owner, "band_part", min_band_part, max_band_part, low=0.0, high=1.0)
        self.fade_duration = as_float(owner, "fade_duration", fade_duration, low=0.0)
        self.mask_location = as_choice(owner, "mask_location", mask_location, ("random", "start", "end"))

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        total = clip.num_samples
        length = min(round(uniform(rng, (self.min_band_part, self.max_band_part)) * total), total)
        if self.mask_location == "start":
            start = 0
        elif self.mask_location == "end":
            start = total - length
        else:
            start = int(rng.integers(0, total - length + 1))
        return {"start": start, "length": length}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        fade = _samples(self.fade_duration, sample_rate)
        return FT.time_mask(audio, int(params["start"]), int(params["length"]), fade)


class Reverse(AudioTransform):
    """Play the clip backwards (time inversion).

    Args:
        p: probability of applying the transform.

    Example:
        >>> import numpy as np
        >>> from augkit.audio.time import Reverse
        >>> Reverse(p=1.0)(audio=np.array([1.0, 2.0], np.float32), sample_rate=8000)["audio"].tolist()
        [2.0, 1.0]
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p)

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FT.reverse(audio)


class Padding(AudioTransform):
    """Replace a random fraction of the start or end of the clip with padding; the length is unchanged.

    ``round(fraction * length)`` samples are dropped at ``pad_section`` and the rest is padded back to
    the original length: with silence, the rest repeated ("wrap") or mirrored ("reflect").

    Args:
        mode: "silence", "wrap" or "reflect".
        min_fraction: the smallest fraction of the clip replaced.
        max_fraction: the largest one.
        pad_section: "end" or "start".
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.time import Padding
        >>> t = Padding(mode="silence", min_fraction=0.01, max_fraction=0.7, pad_section="end", p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        mode: str = "silence",
        min_fraction: float = 0.01,
        max_fraction: float = 0.7,
        pad_section: str = "end",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.mode = as_choice(owner, "mode", mode, FT.PAD_MODES)
        self.min_fraction, self.max_fraction = min_max(owner, "fraction", min_fraction, max_fraction, low=0.0, high=1.0)
        self.pad_section = as_choice(owner, "pad_section", pad_section, ("start", "end"))

    @classmethod
    def example(cls) -> AudioTransform:
        return cls(mode="reflect", p=1.0)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {"samples": round(uniform(rng, (self.min_fraction, self.max_fraction)) * clip.num_samples)}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FT.pad_section(audio, int(params["samples"]), self.mode, self.pad_section)


class AdjustDuration(AudioTransform):
    """Crop or pad the clip to an exact duration.

    A longer clip is cut at a random offset (uniform over every position); a shorter one is padded at
    ``padding_position`` with ``padding_mode``. Give exactly one of ``duration_samples`` and
    ``duration_seconds`` (rounded to samples at the call's rate).

    Args:
        duration_samples: the target length in samples (>= 1).
        duration_seconds: the target length in seconds (> 0).
        padding_mode: "silence", "wrap" or "reflect".
        padding_position: "end" or "start".
        p: probability of applying the transform (audiomentations' default 0.5; use 1.0 to always get
            the target length).

    Example:
        >>> import numpy as np
        >>> from augkit.audio.time import AdjustDuration
        >>> t = AdjustDuration(duration_samples=12, p=1.0)
        >>> t(audio=np.ones(10, np.float32), sample_rate=8000)["audio"].shape
        (12,)
    """

    has_random_params = True

    def __init__(
        self,
        duration_samples: int | None = None,
        duration_seconds: float | None = None,
        padding_mode: str = "silence",
        padding_position: str = "end",
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        if (duration_samples is None) == (duration_seconds is None):
            raise ArgumentError(
                f"{owner}: expects exactly one of 'duration_samples' and 'duration_seconds'; got "
                f"duration_samples={duration_samples!r}, duration_seconds={duration_seconds!r}"
            )
        self.duration_samples = None if duration_samples is None else as_int(owner, "duration_samples", duration_samples, low=1)
        self.duration_seconds = None if duration_seconds is None else as_float(owner, "duration_seconds", duration_seconds)
        if self.duration_seconds is not None and self.duration_seconds <= 0.0:
            raise ArgumentError(f"{owner}: argument 'duration_seconds' expects a number > 0; got {describe(duration_seconds)}")
        self.padding_mode = as_choice(owner, "padding_mode", padding_mode, FT.PAD_MODES)
        self.padding_position = as_choice(owner, "padding_position", padding_position, ("start", "end"))

    @classmethod
    def example(cls) -> AudioTransform:
        return cls(duration_seconds=0.4, p=1.0)

    def _target(self, sample_rate: int) -> int:
        if self.duration_samples is not None:
            return self.duration_samples
        return max(1, _samples(float(self.duration_seconds or 0.0), sample_rate))

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        target, total = self._target(clip.sample_rate), clip.num_samples
        return {"offset": int(rng.integers(0, total - target + 1)) if total > target else 0}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        target = self._target(sample_rate)
        return FT.adjust_duration(audio, target, int(params["offset"]), self.padding_mode, self.padding_position)


class RepeatPart(AudioTransform):
    """Repeat a random part of the clip a few times right after itself (stutter, stuck record, loops).

    A part of ``min_part_duration``..``max_part_duration`` seconds starts at a uniform position and is
    followed by ``min_repeats``..``max_repeats`` copies: inserted (the clip gets longer) or written over
    what follows (``mode="replace"``: same length). Junctions are linear equal-gain crossfades of
    ``crossfade_duration`` (see :func:`augkit.audio.functional.time.repeat_part`). A clip shorter than
    the drawn part is left unchanged (recorded with ``repeats`` 0), as in audiomentations.

    Args:
        min_repeats: the fewest copies after the original part (>= 1).
        max_repeats: the most copies.
        min_part_duration: the shortest part, in seconds.
        max_part_duration: the longest part, in seconds.
        mode: "insert" or "replace".
        crossfade_duration: seconds of crossfade at each junction; 0 joins hard.
        part_transform: an augkit audio transform or pipeline (or its config dict) applied to each copy,
            with a seed drawn per copy (so copies differ). It must keep the channel count.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.time import RepeatPart
        >>> t = RepeatPart(min_repeats=1, max_repeats=3, min_part_duration=0.25, max_part_duration=1.2, mode="insert")
    """

    has_random_params = True

    def __init__(
        self,
        min_repeats: int = 1,
        max_repeats: int = 3,
        min_part_duration: float = 0.25,
        max_part_duration: float = 1.2,
        mode: str = "insert",
        crossfade_duration: float = 0.005,
        part_transform: Any = None,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_repeats, self.max_repeats = int_min_max(owner, "repeats", min_repeats, max_repeats, low=1)
        self.min_part_duration, self.max_part_duration = min_max(
            owner, "part_duration", min_part_duration, max_part_duration, low=0.0, low_open=True
        )
        self.mode = as_choice(owner, "mode", mode, ("insert", "replace"))
        self.crossfade_duration = as_float(owner, "crossfade_duration", crossfade_duration, low=0.0)
        self.part_transform = nested_transform(owner, "part_transform", part_transform)

    @classmethod
    def example(cls) -> AudioTransform:
        return cls(min_part_duration=0.05, max_part_duration=0.15, p=1.0)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        repeats = int(rng.integers(self.min_repeats, self.max_repeats + 1))
        length = max(1, _samples(uniform(rng, (self.min_part_duration, self.max_part_duration)), clip.sample_rate))
        if length > clip.num_samples:
            return {"start": 0, "length": 0, "repeats": 0}
        params: Params = {"start": int(rng.integers(0, clip.num_samples - length + 1)), "length": length, "repeats": repeats}
        if self.part_transform is not None:
            params["part_seeds"] = [draw_seed(rng) for _ in range(repeats)]
        return params

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        start, length, repeats = int(params["start"]), int(params["length"]), int(params["repeats"])
        parts = None
        if self.part_transform is not None and repeats > 0:
            part = np.ascontiguousarray(audio[:, start : start + length])
            parts = [
                match_channels(run_nested(self.part_transform, part, sample_rate, int(seed)), audio.shape[0])
                for seed in params["part_seeds"]
            ]
        crossfade = _samples(self.crossfade_duration, sample_rate)
        return FT.repeat_part(audio, start, length, repeats, self.mode, crossfade, parts)


class Trim(AudioTransform):
    """Remove leading and trailing silence: frames quieter than ``top_db`` below the loudest frame.

    Frames of 2048 samples every 512 (centred), mean square, loudest channel - the definition of
    ``librosa.effects.trim`` (computed here with numpy; see :func:`augkit.audio.functional.time.trim_bounds`).
    The cut is found on the main ``audio`` when the clip is sampled and recorded as ``start``/``end``, so
    paired targets are cut at the same samples.

    Args:
        top_db: the threshold in dB below the loudest frame under which a frame counts as silence (> 0).
        p: probability of applying the transform.

    Example:
        >>> import numpy as np
        >>> from augkit.audio.time import Trim
        >>> x = np.zeros(20000, np.float32); x[8000:12000] = 0.5
        >>> Trim(top_db=30.0, p=1.0)(audio=x, sample_rate=16000)["audio"].shape
        (6144,)
    """

    def __init__(self, top_db: float = 30.0, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.top_db = as_float(owner, "top_db", top_db)
        if self.top_db <= 0.0:
            raise ArgumentError(f"{owner}: argument 'top_db' expects a number > 0 (dB); got {describe(top_db)}")

    @classmethod
    def example(cls) -> AudioTransform:
        # aggressive, so that it cuts something off speech without silent edges (the contract suite's input)
        return cls(top_db=5.0, p=1.0)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        start, end = FT.trim_bounds(clip.audio, self.top_db)
        return {"start": start, "end": end}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        start, end = int(params["start"]), min(int(params["end"]), audio.shape[-1])
        return np.ascontiguousarray(audio[:, start:end])
