"""Acoustics: convolution with recorded impulse responses, a shoebox room simulator, and air absorption.

Arguments, defaults and semantics follow audiomentations 0.43.1 (``ApplyImpulseResponse``,
``RoomSimulator``, ``AirAbsorption``) with these differences, each documented on its class:
``RoomSimulator`` is our own image-source model (no ray tracing; ``calculation_mode="rt60"`` hits the
asked reverberation time, see :mod:`augkit.audio.functional.room`), and ``AirAbsorption`` computes the
ISO 9613-1 absorption for any temperature and humidity instead of a six-entry table. Kernels:
:mod:`augkit.audio.functional.acoustics` and :mod:`augkit.audio.functional.room`.

>>> import numpy as np
>>> from augkit.audio.acoustics import ApplyImpulseResponse
>>> t = ApplyImpulseResponse(ir_path=[np.array([1.0, 0.0, 0.5], np.float32)], p=1.0)
>>> t(audio=np.array([1.0, 0.0, 0.0, 0.0], np.float32), sample_rate=16000, rng=0)["audio"].round(6).tolist()
[1.0, 0.0, 0.5, 0.0]
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from augkit.audio._arguments import min_max, sound_array
from augkit.audio.base import AudioTransform, ClipInfo
from augkit.audio.functional import acoustics as FA
from augkit.audio.functional import room as FR
from augkit.audio.io import list_audio_files, load_audio, match_channels, sample_noise_folder
from augkit.core.errors import ArgumentError, describe
from augkit.core.rng import uniform
from augkit.core.validate import as_bool, as_choice, as_float, as_int

__all__ = ["AirAbsorption", "ApplyImpulseResponse", "RoomSimulator"]

Params = dict[str, Any]
IrSource = str | os.PathLike[str] | np.ndarray


class ApplyImpulseResponse(AudioTransform):
    """Convolve the clip with an impulse response drawn from files (or arrays): reverb, a device, a space.

    The IR is read with :func:`augkit.audio.io.load_audio` at the clip's sample rate (resampled when the
    file's differs; decoded files are cached) and convolved by FFT in float32. A mono IR is applied to
    every channel; an IR with as many channels as the clip is applied channel by channel; other counts
    are mixed down to mono. The IR is not normalized and its delay is kept (as audiomentations).
    audiomentations' ``lru_cache_size`` has no counterpart (the file cache of :mod:`augkit.audio.io`).

    Args:
        ir_path: a folder (searched recursively for .wav/.flac/.ogg/.mp3), an audio file, or a list of them;
            or in-memory IRs: a float array ``(samples,)`` / ``(channels, samples)`` or a list of arrays,
            taken to be at the clip's sample rate (such a transform pickles but cannot be saved as YAML/JSON).
        leave_length_unchanged: keep the clip's length (the reverberant tail after its end is cut);
            False returns ``samples + len(ir) - 1`` samples.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.acoustics import ApplyImpulseResponse
        >>> t = ApplyImpulseResponse(ir_path="/data/irs", p=0.5)  # doctest: +SKIP
    """

    has_random_params = True

    def __init__(self, ir_path: IrSource | Sequence[IrSource], leave_length_unchanged: bool = True, p: float = 0.5) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.leave_length_unchanged = as_bool(owner, "leave_length_unchanged", leave_length_unchanged)
        entries: list[Any] = list(ir_path) if isinstance(ir_path, (list, tuple)) else [ir_path]
        if not entries:
            raise ArgumentError(f"{owner}: argument 'ir_path' expects a folder, a file, an array or a non-empty list; got []")
        sources: list[Path | np.ndarray] = []
        stored: list[Any] = []
        for entry in entries:
            if isinstance(entry, np.ndarray):
                array = sound_array(owner, "ir_path", entry)
                sources.append(array)
                stored.append(array)
            elif isinstance(entry, (str, os.PathLike)):
                sources.extend(list_audio_files(entry, owner=owner, argument="ir_path"))
                stored.append(os.fspath(entry))
            else:
                raise ArgumentError(
                    f"{owner}: argument 'ir_path' expects folders, audio files or float arrays; got an entry {describe(entry)}"
                )
        single = not isinstance(ir_path, (list, tuple))
        self.ir_path = stored[0] if single else stored
        self._sources = tuple(sources)

    @classmethod
    def example(cls) -> AudioTransform:
        return cls(ir_path=str(sample_noise_folder()), leave_length_unchanged=True, p=1.0)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        index = int(rng.integers(len(self._sources))) if len(self._sources) > 1 else 0
        source = self._sources[index]
        params: Params = {"ir_index": index}
        if isinstance(source, Path):
            params["ir_file"] = str(source)
        return params

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        file = params.get("ir_file")
        ir = load_audio(file, sample_rate) if file is not None else self._sources[int(params["ir_index"])]
        assert isinstance(ir, np.ndarray)
        if ir.shape[0] not in (1, audio.shape[0]):
            ir = match_channels(ir, audio.shape[0])
        return FA.convolve_ir(audio, ir, self.leave_length_unchanged)


class AirAbsorption(AudioTransform):
    """Attenuate high frequencies as air does over a random distance (ISO 9613-1 at a random temperature
    and humidity), with a zero-phase filter.

    Each frequency loses ``alpha(f) * distance`` dB, ``alpha`` from ISO 9613-1 (at 20 degrees C and 50 %
    humidity: 4.7 dB/km at 1 kHz, 105 dB/km at 8 kHz). Only the air's frequency-dependent absorption is
    applied, not the 1/r spreading loss (chain a gain for that). audiomentations looks the coefficients up
    in a table (10 or 20 degrees C, three humidity bands, octave bands) and applies them to amplitudes as
    energy coefficients, i.e. twice ISO's attenuation in dB; this one follows ISO at any temperature and
    humidity, so the same distance attenuates half as many dB. It matters mostly above 4 kHz: use sample
    rates of 32 kHz and more for a clear effect.

    Args:
        min_temperature: lowest air temperature in degrees C (ISO 9613-1 covers -20 to 50).
        max_temperature: highest temperature; drawn uniformly in between.
        min_humidity: lowest relative humidity in percent (10 to 100).
        max_humidity: highest relative humidity; drawn uniformly in between.
        min_distance: shortest source-microphone distance in metres.
        max_distance: longest distance; drawn uniformly in between.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.acoustics import AirAbsorption
        >>> t = AirAbsorption(min_distance=10.0, max_distance=50.0, p=0.5)
    """

    has_random_params = True

    def __init__(
        self,
        min_temperature: float = 10.0,
        max_temperature: float = 20.0,
        min_humidity: float = 30.0,
        max_humidity: float = 90.0,
        min_distance: float = 10.0,
        max_distance: float = 100.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        self.min_temperature, self.max_temperature = min_max(
            owner, "temperature", min_temperature, max_temperature, low=-20.0, high=50.0
        )
        self.min_humidity, self.max_humidity = min_max(owner, "humidity", min_humidity, max_humidity, low=10.0, high=100.0)
        self.min_distance, self.max_distance = min_max(owner, "distance", min_distance, max_distance, low=0.0)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        return {
            "temperature": uniform(rng, (self.min_temperature, self.max_temperature)),
            "humidity": uniform(rng, (self.min_humidity, self.max_humidity)),
            "distance": uniform(rng, (self.min_distance, self.max_distance)),
        }

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FA.air_absorption(
            audio, sample_rate, float(params["temperature"]), float(params["humidity"]), float(params["distance"])
        )


class RoomSimulator(AudioTransform):
    """Reverberate the clip in a random shoebox room: our image-source model (Allen & Berkley 1979).

    The room size, the source position, the microphone (at a random distance, azimuth and elevation from
    the source, kept ``padding`` metres from the walls) and the surfaces' absorption are drawn as in
    audiomentations; the impulse response (every image source within the reverberation time, windowed-
    sinc fractional delays, 1/r spreading, see :func:`augkit.audio.functional.room.room_impulse_response`)
    is convolved with every channel. Differences from audiomentations (which calls pyroomacoustics):
    no ray tracing (``use_ray_tracing`` and ``ray_tracing_options`` do not exist), no air absorption
    (chain :class:`AirAbsorption`), and ``calculation_mode="rt60"`` picks the absorption so that the
    simulated response decays with the drawn RT60 (pyroomacoustics inverts Sabine's formula, which this
    specular model would miss by up to ~50 % in elongated rooms). The response covers the room's
    reverberation time, at most ``max_ir_duration`` seconds (its cost grows with the cube of that time).

    Args:
        min_size_x: smallest room width (x) in metres.
        max_size_x: largest width; drawn uniformly (so are all ranges below).
        min_size_y: smallest depth (y) in metres.
        max_size_y: largest depth.
        min_size_z: smallest height (z) in metres.
        max_size_z: largest height.
        min_absorption_value: smallest energy absorption coefficient of the surfaces (0 reflects all, 1
            absorbs all), used when ``calculation_mode="absorption"``.
        max_absorption_value: largest absorption coefficient.
        min_target_rt60: shortest reverberation time in seconds, used when ``calculation_mode="rt60"``.
        max_target_rt60: longest reverberation time.
        min_source_x: smallest x of the source in metres (kept ``padding`` from the walls).
        max_source_x: largest x of the source.
        min_source_y: smallest y of the source.
        max_source_y: largest y of the source.
        min_source_z: smallest z of the source.
        max_source_z: largest z of the source.
        min_mic_distance: shortest source-microphone distance in metres.
        max_mic_distance: longest distance.
        min_mic_azimuth: smallest azimuth of the microphone around the source (radians, around z).
        max_mic_azimuth: largest azimuth.
        min_mic_elevation: smallest elevation of the microphone relative to the source (radians).
        max_mic_elevation: largest elevation.
        calculation_mode: ``"absorption"`` (draw the absorption) or ``"rt60"`` (draw the reverberation time).
        max_order: the most reflections an image may have (None: no limit besides the duration).
        max_ir_duration: the longest impulse response in seconds.
        leave_length_unchanged: keep the clip's length (cut the tail); False appends the reverberation.
        padding: the smallest distance in metres of source and microphone from the walls.
        p: probability of applying the transform.

    Example:
        >>> from augkit.audio.acoustics import RoomSimulator
        >>> t = RoomSimulator(calculation_mode="rt60", min_target_rt60=0.2, max_target_rt60=0.5, leave_length_unchanged=True)
    """

    has_random_params = True

    def __init__(
        self,
        min_size_x: float = 3.6,
        max_size_x: float = 5.6,
        min_size_y: float = 3.6,
        max_size_y: float = 3.9,
        min_size_z: float = 2.4,
        max_size_z: float = 3.0,
        min_absorption_value: float = 0.075,
        max_absorption_value: float = 0.4,
        min_target_rt60: float = 0.15,
        max_target_rt60: float = 0.8,
        min_source_x: float = 0.1,
        max_source_x: float = 3.5,
        min_source_y: float = 0.1,
        max_source_y: float = 2.7,
        min_source_z: float = 1.0,
        max_source_z: float = 2.1,
        min_mic_distance: float = 0.15,
        max_mic_distance: float = 0.35,
        min_mic_azimuth: float = -math.pi,
        max_mic_azimuth: float = math.pi,
        min_mic_elevation: float = -math.pi,
        max_mic_elevation: float = math.pi,
        calculation_mode: str = "absorption",
        max_order: int | None = None,
        max_ir_duration: float = 1.0,
        leave_length_unchanged: bool = False,
        padding: float = 0.1,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        owner = type(self).__name__
        sizes = {"x": (min_size_x, max_size_x), "y": (min_size_y, max_size_y), "z": (min_size_z, max_size_z)}
        sources = {"x": (min_source_x, max_source_x), "y": (min_source_y, max_source_y), "z": (min_source_z, max_source_z)}
        for axis in "xyz":
            low, high = min_max(owner, f"size_{axis}", *sizes[axis], low=0.0, low_open=True)
            setattr(self, f"min_size_{axis}", low)
            setattr(self, f"max_size_{axis}", high)
            low, high = min_max(owner, f"source_{axis}", *sources[axis], low=0.0)
            setattr(self, f"min_source_{axis}", low)
            setattr(self, f"max_source_{axis}", high)
        self.min_absorption_value, self.max_absorption_value = min_max(
            owner, "absorption_value", min_absorption_value, max_absorption_value, low=0.0, high=1.0
        )
        self.min_target_rt60, self.max_target_rt60 = min_max(
            owner, "target_rt60", min_target_rt60, max_target_rt60, low=0.0, low_open=True
        )
        self.min_mic_distance, self.max_mic_distance = min_max(owner, "mic_distance", min_mic_distance, max_mic_distance, low=0.0)
        self.min_mic_azimuth, self.max_mic_azimuth = min_max(owner, "mic_azimuth", min_mic_azimuth, max_mic_azimuth)
        self.min_mic_elevation, self.max_mic_elevation = min_max(owner, "mic_elevation", min_mic_elevation, max_mic_elevation)
        self.calculation_mode = as_choice(owner, "calculation_mode", calculation_mode, ("absorption", "rt60"))
        self.max_order = None if max_order is None else as_int(owner, "max_order", max_order, low=0)
        self.max_ir_duration = as_float(owner, "max_ir_duration", max_ir_duration, low=0.01, high=10.0)
        self.leave_length_unchanged = as_bool(owner, "leave_length_unchanged", leave_length_unchanged)
        self.padding = as_float(owner, "padding", padding, low=0.0)

    @classmethod
    def example(cls) -> AudioTransform:
        return cls(calculation_mode="rt60", min_target_rt60=0.15, max_target_rt60=0.3, leave_length_unchanged=True, p=1.0)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> Params:
        size = [uniform(rng, (getattr(self, f"min_size_{a}"), getattr(self, f"max_size_{a}"))) for a in "xyz"]
        params: Params = {"size": size}
        if self.calculation_mode == "rt60":
            target = uniform(rng, (self.min_target_rt60, self.max_target_rt60))
            params["target_rt60"] = target
            absorption = FR.absorption_for_rt60(target, size)
        else:
            absorption = uniform(rng, (self.min_absorption_value, self.max_absorption_value))
        source = []
        for axis, extent in zip("xyz", size, strict=True):
            low = max(getattr(self, f"min_source_{axis}"), self.padding)
            high = min(getattr(self, f"max_source_{axis}"), extent - self.padding)
            source.append(
                float(
                    np.clip(
                        uniform(rng, (low, max(low, high))), min(self.padding, extent / 2), max(extent - self.padding, extent / 2)
                    )
                )
            )
        distance = uniform(rng, (self.min_mic_distance, self.max_mic_distance))
        azimuth = uniform(rng, (self.min_mic_azimuth, self.max_mic_azimuth))
        elevation = uniform(rng, (self.min_mic_elevation, self.max_mic_elevation))
        offset = (
            -distance * math.cos(elevation) * math.sin(azimuth),
            distance * math.cos(elevation) * math.cos(azimuth),
            distance * math.sin(elevation),
        )
        mic = [
            float(min(max(s + o, min(self.padding, e / 2)), max(e - self.padding, e / 2)))
            for s, o, e in zip(source, offset, size, strict=True)
        ]
        rt60 = FR.ism_rt60(size, absorption)
        direct = math.dist(source, mic) / FR.SPEED_OF_SOUND
        params.update(
            absorption=float(absorption),
            source=source,
            mic=mic,
            rt60=float(rt60),
            duration=float(min(self.max_ir_duration, max(rt60, direct + 0.01))),
        )
        return params

    def apply_audio(self, audio: np.ndarray, params: Params, sample_rate: int, /) -> np.ndarray:
        return FR.simulate_room(
            audio,
            sample_rate,
            params["size"],
            params["source"],
            params["mic"],
            float(params["absorption"]),
            float(params["duration"]),
            self.max_order,
            self.leave_length_unchanged,
        )
