"""Recorded noise mixed into the clip: a background for the whole clip, or short sounds at random times.

Arguments, defaults and meanings follow audiomentations 0.43.1. Sounds come from ``sounds_path``: a
folder (searched recursively), an audio file, or a list of folders and files (see
:func:`augkit.audio.io.list_audio_files`; .wav always, .flac/.ogg/.mp3 with ``pip install augkit[audio]``).
They are decoded once per process and sample rate (:func:`augkit.audio.io.load_audio`), resampled to
the call's rate, and fitted to the clip's channels (:func:`augkit.audio.io.match_channels`: kept when the
counts match, a mono sound is repeated on every channel, otherwise mixed down to mono first).

``sounds_path`` may instead be a list of numpy arrays (``(samples,)`` or ``(channels, samples)`` float,
taken to be at the call's sample rate). Such an instance works, pickles and replays, but a config file
cannot hold arrays: ``to_dict()`` (and ``augkit.save``) raise :class:`augkit.ConfigError`; store the
sounds as WAV files and pass their folder to keep a pipeline in a file.

Every choice (which sound, where in it, when, how loud, fades, the seed of ``noise_transform``) is drawn
when the clip is sampled and recorded, so replaying a record gives the same output bit for bit as long
as the files are unchanged. A record names the file it used (``"file"``) as well as its index.

>>> import numpy as np
>>> from augkit.audio.background import AddBackgroundNoise
>>> from augkit.audio.io import sample_noise_folder
>>> t = AddBackgroundNoise(sounds_path=sample_noise_folder(), min_snr_db=10.0, max_snr_db=10.0, p=1.0)
>>> out = t(audio=np.ones((2, 16000), np.float32), sample_rate=16000, rng=0)
>>> out["audio"].shape
(2, 16000)
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from augkit.audio import io
from augkit.audio._arguments import min_max, nested_transform, run_nested, sound_array
from augkit.audio.base import AudioTransform, ClipInfo
from augkit.audio.functional import noise as FN
from augkit.core.errors import ArgumentError, ConfigError, describe
from augkit.core.rng import draw_seed, uniform
from augkit.core.validate import as_bool, as_choice, as_float, as_probability

__all__ = ["AddBackgroundNoise", "AddShortNoises", "active_rms"]

Params = dict[str, Any]
#: At most this many short sounds are placed in one clip (a guard against tiny pauses on long clips).
MAX_SHORT_NOISES = 1000


class _Bank:
    """The sounds of a ``sounds_path`` argument: files (decoded lazily) or arrays."""

    def __init__(self, owner: str, value: object) -> None:
        self.files: list[Path] = []
        self.arrays: list[np.ndarray] = []
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, np.ndarray) for v in value):
            for position, array in enumerate(value):
                self.arrays.append(sound_array(owner, "sounds_path", array, position))
            self.stored: Any = tuple(self.arrays)
        elif isinstance(value, np.ndarray):
            raise ArgumentError(
                f"{owner}: argument 'sounds_path' expects a folder, a file, or a list of paths or of arrays; got a bare "
                f"{describe(value)}; pass [array] for one sound"
            )
        else:
            self.files = io.list_audio_files(value, owner=owner, argument="sounds_path")  # type: ignore[arg-type]
            if isinstance(value, (str, os.PathLike)):
                self.stored = os.fspath(value)
            else:
                self.stored = [os.fspath(v) for v in value]  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.files) or len(self.arrays)

    def draw(self, rng: np.random.Generator) -> int:
        """The index of a sound drawn uniformly (no draw when there is only one)."""
        return int(rng.integers(len(self))) if len(self) > 1 else 0

    def name(self, index: int) -> str | None:
        return str(self.files[index]) if self.files else None

    def load(self, index: int, file: str | None, sample_rate: int, channels: int) -> np.ndarray:
        if file is not None:
            sound = io.load_audio(file, sample_rate)
        elif self.arrays:
            sound = self.arrays[index]
        else:
            sound = io.load_audio(self.files[index], sample_rate)
        return io.match_channels(sound, channels)

    def length(self, index: int, sample_rate: int) -> int:
        return self.arrays[index].shape[-1] if self.arrays else io.load_audio(self.files[index], sample_rate).shape[-1]


class _WithSounds(AudioTransform):
    """What both transforms share: the sounds, an SNR range and an optional transform of each sound."""

    _abstract = True
    has_random_params = True

    def __init__(self, sounds_path: Any, min_snr_db: float, max_snr_db: float, noise_transform: Any, p: float) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self._bank = _Bank(owner, sounds_path)
        self.sounds_path = self._bank.stored
        self.min_snr_db, self.max_snr_db = min_max(owner, "snr_db", min_snr_db, max_snr_db)
        self.noise_transform = nested_transform(owner, "noise_transform", noise_transform)

    def to_dict(self) -> dict[str, Any]:
        if self._bank.arrays:
            raise ConfigError(
                f"{type(self).__name__}: 'sounds_path' holds numpy arrays, which a config cannot store; write the "
                "sounds to WAV files and pass their folder (or a list of files) instead"
            )
        return super().to_dict()

    def __repr__(self) -> str:
        if self._bank.arrays:
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items() if k != "sounds_path")
            return f"{type(self).__name__}(sounds_path=<{len(self._bank.arrays)} arrays>, {args})"
        return super().__repr__()

    @classmethod
    def example(cls) -> AudioTransform:
        return cls(sounds_path=str(io.sample_noise_folder()), p=1.0)  # type: ignore[call-arg]

    def _noise(self, params: Params, sample_rate: int, channels: int) -> np.ndarray:
        return self._bank.load(int(params["index"]), params.get("file"), sample_rate, channels)


class AddBackgroundNoise(_WithSounds):
    """Mix a recorded noise under the whole clip, at a random SNR or absolute RMS level.

    A sound is chosen uniformly; one longer than the clip is cut at a random offset, a shorter one is
    looped (starting at a random point of the loop). With ``noise_rms="relative"`` its gain makes
    ``rms(clip) / rms(added noise)`` equal the drawn SNR (silent clips get no noise); with
    ``"absolute"`` the added noise has the drawn RMS in dBFS. RMS is over all channels.

    Args:
        sounds_path: a folder, an audio file, a list of folders/files, or a list of arrays (see the module
            docstring; arrays cannot be saved in a config).
        min_snr_db: the lowest SNR in dB (louder noise). Used with ``noise_rms="relative"``.
        max_snr_db: the highest SNR in dB; drawn uniformly in between.
        noise_rms: "relative" (level from the SNR) or "absolute" (level from the RMS range below).
        min_absolute_rms_db: the lowest RMS of the added noise in dBFS, with ``noise_rms="absolute"``.
        max_absolute_rms_db: the highest one (at most 0); drawn uniformly in between.
        noise_transform: an augkit audio transform or pipeline (or its config dict) applied to the noise
            segment before it is scaled and mixed, with a seed drawn for each call.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.background import AddBackgroundNoise
        >>> t = AddBackgroundNoise("/data/noises", min_snr_db=3.0, max_snr_db=30.0, p=0.5)  # doctest: +SKIP
    """

    def __init__(
        self,
        sounds_path: Any,
        min_snr_db: float = 3.0,
        max_snr_db: float = 30.0,
        noise_rms: str = "relative",
        min_absolute_rms_db: float = -45.0,
        max_absolute_rms_db: float = -15.0,
        noise_transform: Any = None,
        p: float = 0.5,
    ) -> None:
        super().__init__(sounds_path, min_snr_db, max_snr_db, noise_transform, p)
        owner = type(self).__name__
        self.noise_rms = as_choice(owner, "noise_rms", noise_rms, ("relative", "absolute"))
        self.min_absolute_rms_db, self.max_absolute_rms_db = min_max(
            owner, "absolute_rms_db", min_absolute_rms_db, max_absolute_rms_db, high=0.0
        )

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        bank = self._bank
        index = bank.draw(rng)
        length, total = bank.length(index, clip.sample_rate), clip.num_samples
        offset = int(rng.integers(0, length - total + 1)) if length >= total else int(rng.integers(0, length))
        params: Params = {"index": index, "file": bank.name(index), "offset": offset}
        if self.noise_rms == "relative":
            params["snr_db"] = uniform(rng, (self.min_snr_db, self.max_snr_db))
        else:
            params["rms_db"] = uniform(rng, (self.min_absolute_rms_db, self.max_absolute_rms_db))
        if self.noise_transform is not None:
            params["noise_seed"] = draw_seed(rng)
        return params

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        channels, total = audio.shape
        noise = FN.loop_or_crop(self._noise(params, sample_rate, channels), total, int(params["offset"]))
        if self.noise_transform is not None:
            noise = run_nested(self.noise_transform, noise, sample_rate, int(params["noise_seed"]))
            noise = FN.loop_or_crop(io.match_channels(noise, channels), total, 0)
        if "snr_db" in params:  # the looped/cropped noise is a fresh array: the result is built in it
            return FN.add_noise_at_snr(audio, noise, float(params["snr_db"]), overwrite_noise=True)
        return FN.add_noise_at_rms(audio, noise, float(params["rms_db"]), overwrite_noise=True)


def active_rms(audio: np.ndarray, top_db: float = 40.0, frame_length: int = 1024) -> float:
    """RMS over the non-silent part: frames of ``frame_length`` samples (the last one may be shorter) whose
    mean square is within ``top_db`` dB of the loudest frame's; 0.0 for an all-zero input.

    >>> x = np.zeros((1, 4096), np.float32); x[0, :1024] = 0.5
    >>> active_rms(x), round(FN.rms(x), 3)
    (0.5, 0.25)
    """
    total = audio.shape[-1]
    count = -(-total // frame_length)
    squares = np.zeros((audio.shape[0], count * frame_length), np.float64)
    squares[:, :total] = np.square(audio, dtype=np.float64)
    energy = squares.reshape(audio.shape[0], count, frame_length).sum(axis=(0, 2))
    sizes = np.full(count, frame_length * audio.shape[0], np.float64)
    sizes[-1] = (total - (count - 1) * frame_length) * audio.shape[0]
    power = energy / sizes
    loudest = float(power.max())
    if loudest <= 0.0:
        return 0.0
    keep = power >= loudest * 10.0 ** (-top_db / 10.0)
    return math.sqrt(float(energy[keep].sum() / sizes[keep].sum()))


class AddShortNoises(_WithSounds):
    """Mix short recorded sounds in at random times, with random pauses, bursts, levels and fades.

    The sounds form a sequence "sound, pause, sound, pause, ..." that starts at a random point of its
    first cycle (so a sound may already be playing when the clip starts). Each sound is chosen uniformly;
    after it, with probability ``burst_probability``, another one starts ``factor * length`` samples after
    the previous start (``factor`` uniform in the burst pause range: below 1 they overlap), and so on;
    then a pause uniform in ``[min_time_between_sounds, max_time_between_sounds]`` follows the end of the
    last one. Each sound fades in and out linearly (durations drawn per sound) and is scaled by
    ``noise_rms``: "relative_to_whole_input" (its RMS is the clip's RMS divided by ``10 ** (snr_db / 20)``),
    "relative" (the same with the clip's RMS over the samples the sound covers; silent there, no sound)
    or "absolute" (its RMS in dBFS). A sound's own RMS is measured over the whole file, or over its
    non-silent frames (:func:`active_rms`) with ``include_silence_in_noise_rms_estimation=False``.

    Args:
        sounds_path: a folder, an audio file, a list of folders/files, or a list of arrays (see the module).
        min_snr_db: the lowest SNR in dB (louder sounds), for the relative modes.
        max_snr_db: the highest SNR in dB; drawn uniformly in between.
        min_time_between_sounds: the shortest pause between sounds, in seconds.
        max_time_between_sounds: the longest pause, in seconds.
        noise_rms: "relative_to_whole_input", "relative" or "absolute" (see above).
        min_absolute_noise_rms_db: the lowest RMS of a sound in dBFS, with ``noise_rms="absolute"``.
        max_absolute_noise_rms_db: the highest one (at most 0).
        add_all_noises_with_same_level: one SNR (or RMS) for all the sounds of a clip.
        include_silence_in_noise_rms_estimation: measure a sound's RMS over all of it (True) or over its
            non-silent frames only (False, for sounds with gaps).
        burst_probability: the chance that another sound follows (overlapping) in a burst, per sound.
        min_pause_factor_during_burst: the earliest start of a burst sound, as a fraction of the length
            of the sound before it (> 0).
        max_pause_factor_during_burst: the latest start (values above 1 leave a gap).
        min_fade_in_time: the shortest fade-in, in seconds.
        max_fade_in_time: the longest fade-in.
        min_fade_out_time: the shortest fade-out, in seconds.
        max_fade_out_time: the longest fade-out.
        signal_gain_db_during_noise: gain in dB of the clip under each sound, faded like the sound
            (0 keeps it; -100 replaces the clip by the sound).
        noise_transform: an augkit audio transform or pipeline (or its config dict) applied to each sound
            before it is scaled, with its own drawn seed.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.background import AddShortNoises
        >>> t = AddShortNoises("/data/short_sounds", min_time_between_sounds=1.0, max_time_between_sounds=4.0)  # doctest: +SKIP
    """

    def __init__(
        self,
        sounds_path: Any,
        min_snr_db: float = -6.0,
        max_snr_db: float = 18.0,
        min_time_between_sounds: float = 2.0,
        max_time_between_sounds: float = 8.0,
        noise_rms: str = "relative_to_whole_input",
        min_absolute_noise_rms_db: float = -50.0,
        max_absolute_noise_rms_db: float = -20.0,
        add_all_noises_with_same_level: bool = False,
        include_silence_in_noise_rms_estimation: bool = True,
        burst_probability: float = 0.22,
        min_pause_factor_during_burst: float = 0.1,
        max_pause_factor_during_burst: float = 1.1,
        min_fade_in_time: float = 0.005,
        max_fade_in_time: float = 0.08,
        min_fade_out_time: float = 0.01,
        max_fade_out_time: float = 0.1,
        signal_gain_db_during_noise: float = 0.0,
        noise_transform: Any = None,
        p: float = 0.5,
    ) -> None:
        super().__init__(sounds_path, min_snr_db, max_snr_db, noise_transform, p)
        owner = type(self).__name__
        self.min_time_between_sounds, self.max_time_between_sounds = min_max(
            owner, "time_between_sounds", min_time_between_sounds, max_time_between_sounds, low=0.0
        )
        self.noise_rms = as_choice(owner, "noise_rms", noise_rms, ("relative_to_whole_input", "relative", "absolute"))
        self.min_absolute_noise_rms_db, self.max_absolute_noise_rms_db = min_max(
            owner, "absolute_noise_rms_db", min_absolute_noise_rms_db, max_absolute_noise_rms_db, high=0.0
        )
        self.add_all_noises_with_same_level = as_bool(owner, "add_all_noises_with_same_level", add_all_noises_with_same_level)
        self.include_silence_in_noise_rms_estimation = as_bool(
            owner, "include_silence_in_noise_rms_estimation", include_silence_in_noise_rms_estimation
        )
        self.burst_probability = as_probability(owner, "burst_probability", burst_probability)
        self.min_pause_factor_during_burst, self.max_pause_factor_during_burst = min_max(
            owner,
            "pause_factor_during_burst",
            min_pause_factor_during_burst,
            max_pause_factor_during_burst,
            low=0.0,
            low_open=True,
        )
        self.min_fade_in_time, self.max_fade_in_time = min_max(owner, "fade_in_time", min_fade_in_time, max_fade_in_time, low=0.0)
        self.min_fade_out_time, self.max_fade_out_time = min_max(
            owner, "fade_out_time", min_fade_out_time, max_fade_out_time, low=0.0
        )
        self.signal_gain_db_during_noise = as_float(owner, "signal_gain_db_during_noise", signal_gain_db_during_noise, high=0.0)

    @classmethod
    def example(cls) -> AudioTransform:
        return cls(sounds_path=str(io.sample_noise_folder()), min_time_between_sounds=0.05, max_time_between_sounds=0.3, p=1.0)

    def _level(self, rng: np.random.Generator) -> float:
        if self.noise_rms == "absolute":
            return uniform(rng, (self.min_absolute_noise_rms_db, self.max_absolute_noise_rms_db))
        return uniform(rng, (self.min_snr_db, self.max_snr_db))

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        rate, total, bank = clip.sample_rate, clip.num_samples, self._bank
        shared = self._level(rng) if self.add_all_noises_with_same_level else None
        sounds: list[Params] = []

        def pick() -> tuple[int, int]:
            index = bank.draw(rng)
            return index, bank.length(index, rate)

        def pause() -> int:
            return round(uniform(rng, (self.min_time_between_sounds, self.max_time_between_sounds)) * rate)

        def place(index: int, start: int, length: int) -> None:
            sound: Params = {
                "index": index,
                "file": bank.name(index),
                "start": start,
                "fade_in": round(uniform(rng, (self.min_fade_in_time, self.max_fade_in_time)) * rate),
                "fade_out": round(uniform(rng, (self.min_fade_out_time, self.max_fade_out_time)) * rate),
                "level": shared if shared is not None else self._level(rng),
            }
            if self.noise_transform is not None:
                sound["noise_seed"] = draw_seed(rng)
            if start < total and start + length > 0:
                sounds.append(sound)

        index, length = pick()
        gap = pause()
        cursor = -int(rng.random() * (length + gap))  # a random point of the first cycle
        placed = 0
        while cursor < total and placed < MAX_SHORT_NOISES:
            place(index, cursor, length)
            placed += 1
            end, start = cursor + length, cursor
            while placed < MAX_SHORT_NOISES and self.burst_probability > 0.0 and rng.random() < self.burst_probability:
                factor = uniform(rng, (self.min_pause_factor_during_burst, self.max_pause_factor_during_burst))
                start += max(1, round(factor * length))
                if start >= total:
                    break
                index, length = pick()
                place(index, start, length)
                placed += 1
                end = max(end, start + length)
            cursor = end + gap
            index, length = pick()
            gap = pause()
        return {"sounds": sounds}

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        channels, total = audio.shape
        sounds = params["sounds"]
        if not sounds:
            return audio.copy()
        whole = FN.rms(audio)
        noises, starts, gains, fade_ins, fade_outs = [], [], [], [], []
        for sound in sounds:
            noise = self._noise(sound, sample_rate, channels)
            if self.noise_transform is not None:
                noise = io.match_channels(
                    run_nested(self.noise_transform, noise, sample_rate, int(sound["noise_seed"])), channels
                )
            start = int(sound["start"])
            level = float(sound["level"])
            own = FN.rms(noise) if self.include_silence_in_noise_rms_estimation else active_rms(noise)
            if own == 0.0:
                gain = 0.0
            elif self.noise_rms == "absolute":
                gain = 10.0 ** (level / 20.0) / own
            else:
                if self.noise_rms == "relative":
                    lo, hi = max(start, 0), min(start + noise.shape[-1], total)
                    reference = FN.rms(np.ascontiguousarray(audio[:, lo:hi])) if hi > lo else 0.0
                else:
                    reference = whole
                gain = reference / (own * 10.0 ** (level / 20.0))
            noises.append(noise)
            starts.append(start)
            gains.append(gain)
            fade_ins.append(int(sound["fade_in"]))
            fade_outs.append(int(sound["fade_out"]))
        return FN.mix_short_noises(audio, noises, starts, gains, fade_ins, fade_outs, self.signal_gain_db_during_noise)
