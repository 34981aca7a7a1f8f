"""The audio data model: waveforms and spectrograms as call targets, and the transform base classes.

A call passes a float32 waveform ``(samples,)`` or ``(channels, samples)`` (or a batch
``(N, channels, samples)``, each clip drawing its own parameters) with its ``sample_rate``, and/or a
spectrogram ``(freq, time)`` or ``(channels, freq, time)``. Keys mapped to ``"audio"`` or
``"spectrogram"`` in a pipeline's ``additional_targets`` get the same draw as the main target, so the
clean and noisy versions of one clip stay paired. float64 input is converted to float32; integer PCM
raises (convert it with :func:`pcm_to_float`).

>>> import numpy as np, augkit as ak
>>> out = ak.audio.PolarityInversion(p=1.0)(audio=np.ones(4, np.float32), sample_rate=16000)
>>> out["audio"].tolist(), out["sample_rate"]
([-1.0, -1.0, -1.0, -1.0], 16000)
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real
from typing import Any, ClassVar

import numpy as np

from augkit.core.errors import TargetError, TargetTypeError, describe
from augkit.core.modality import ModalityState, register_modality
from augkit.core.registry import suggest
from augkit.core.targets import TargetSettings
from augkit.core.transform import Transform
from augkit.core.validate import all_finite

__all__ = ["AudioState", "AudioTransform", "ClipInfo", "SpectrogramTransform", "pcm_to_float"]

#: More leading-axis entries than this in a 2-D waveform means the layout is probably (samples, channels).
MAX_CHANNELS = 256


@dataclass(frozen=True)
class ClipInfo:
    """What a sampling hook sees of one clip: its (channels, samples) float32 audio and sample rate."""

    audio: np.ndarray
    sample_rate: int

    @property
    def num_channels(self) -> int:
        return int(self.audio.shape[0])

    @property
    def num_samples(self) -> int:
        return int(self.audio.shape[1])

    @property
    def duration(self) -> float:
        """Seconds."""
        return self.audio.shape[1] / self.sample_rate


class AudioTransform(Transform):
    """A waveform transform: ``sample_clip`` draws, ``apply_audio`` is the pure kernel.

    ``apply_audio`` gets a ``(channels, samples)`` float32 array and the current sample rate and returns
    a new float32 array (it may change the length; only ``Resample`` changes the sample rate, through
    :meth:`output_sample_rate`).
    """

    _abstract = True
    _name_prefix = "audio"
    modality = "audio"
    targets: ClassVar[frozenset[str]] = frozenset({"audio"})

    def sample(self, rng: np.random.Generator, state: Any) -> dict[str, Any]:
        if not state.batched:
            return self.sample_clip(rng, state.clip(0))
        return {"batch": [self.sample_clip(rng, state.clip(i)) for i in range(len(state.items))]}

    @classmethod
    def example(cls) -> AudioTransform:
        """The default arguments, always applied (``p=1.0``); transforms that need arguments override it."""
        return cls(p=1.0)

    def sample_clip(self, rng: np.random.Generator, clip: ClipInfo) -> dict[str, Any]:
        """Draw this clip's parameters (JSON-safe values). The default draws nothing."""
        return {}

    def apply_audio(self, audio: np.ndarray, params: dict[str, Any], sample_rate: int, /) -> np.ndarray:
        """The kernel: ``(channels, samples)`` float32 in, a new float32 array out."""
        raise NotImplementedError

    def output_sample_rate(self, params: dict[str, Any], sample_rate: int) -> int:
        """The sample rate after this transform (unchanged but for resampling)."""
        return sample_rate


class SpectrogramTransform(Transform):
    """A spectrogram transform: ``sample_spectrogram`` draws, ``apply_spectrogram`` is the kernel.

    Spectrograms are float32 ``(channels, freq, time)`` inside (a 2-D input comes back 2-D).
    """

    _abstract = True
    _name_prefix = "audio"
    modality = "audio"
    targets: ClassVar[frozenset[str]] = frozenset({"spectrogram"})

    def sample(self, rng: np.random.Generator, state: Any) -> dict[str, Any]:
        return self.sample_spectrogram(rng, state.spectrograms["spectrogram"])

    @classmethod
    def example(cls) -> SpectrogramTransform:
        """The default arguments, always applied (``p=1.0``); transforms that need other arguments override it."""
        return cls(p=1.0)

    def sample_spectrogram(self, rng: np.random.Generator, spectrogram: np.ndarray) -> dict[str, Any]:
        """Draw parameters for a ``(channels, freq, time)`` spectrogram. The default draws nothing."""
        return {}

    def apply_spectrogram(self, spectrogram: np.ndarray, params: dict[str, Any], /) -> np.ndarray:
        """The kernel: ``(channels, freq, time)`` float32 in, a new float32 array out."""
        raise NotImplementedError


def pcm_to_float(samples: np.ndarray) -> np.ndarray:
    """Integer PCM to float32 in [-1, 1): divide by 2**(bits - 1) (unsigned 8-bit is centred first).

    >>> pcm_to_float(np.array([-32768, 0, 16384], np.int16)).tolist()
    [-1.0, 0.0, 0.5]
    """
    array = np.asarray(samples)
    if array.dtype.kind not in "iu":
        raise TargetTypeError(f"pcm_to_float: expects integer PCM samples; got dtype {array.dtype}")
    bits = array.dtype.itemsize * 8
    out = array.astype(np.float32)
    if array.dtype.kind == "u":
        out -= np.float32(2 ** (bits - 1))
    out *= np.float32(1.0 / 2 ** (bits - 1))  # a power of two: exact
    return out


# ---------------------------------------------------------------------------------------------
# The working state


class AudioState(ModalityState):
    """One call's waveforms (per clip, per key) and spectrograms while a pipeline runs."""

    def __init__(self, owner: str, settings: TargetSettings) -> None:
        super().__init__(owner, settings)
        self.items: list[dict[str, np.ndarray]] = []  # per clip: key -> (channels, samples)
        self.rates: list[int] = []  # per clip
        self.batched = False
        self.spectrograms: dict[str, np.ndarray] = {}  # key -> (channels, freq, time)
        self.fast = False  # built by the short path of prepare_audio: one clip, 'audio' and 'sample_rate' only

    def clip(self, index: int) -> ClipInfo:
        return ClipInfo(self.items[index]["audio"], self.rates[index])

    def record_shape(self) -> list[int]:
        if self.items:
            shape = list(self.items[0]["audio"].shape)
            return [len(self.items), *shape] if self.batched else shape
        return list(self.spectrograms["spectrogram"].shape)

    def apply(self, transform: Transform, params: dict[str, Any]) -> None:
        if not self.kinds <= transform.targets:
            self.check_supported(transform)
        audio_transform: AudioTransform = transform  # type: ignore[assignment]  # used only when the call has audio
        if self.kinds is _AUDIO_ONLY and not self.batched and len(self.items[0]) == 1:  # the common case, kept short
            item, rate = self.items[0], self.rates[0]
            item["audio"] = audio_transform.apply_audio(item["audio"], params, rate)
            self.rates[0] = int(audio_transform.output_sample_rate(params, rate))
            return
        if self.items:
            for index, item in enumerate(self.items):
                clip_params = params["batch"][index] if self.batched else params
                rate = self.rates[index]
                for key, value in item.items():
                    item[key] = audio_transform.apply_audio(value, clip_params, rate)
                self.rates[index] = int(audio_transform.output_sample_rate(clip_params, rate))
        if self.spectrograms:
            spec_transform: SpectrogramTransform = transform  # type: ignore[assignment]
            for key, value in self.spectrograms.items():
                self.spectrograms[key] = spec_transform.apply_spectrogram(value, params)

    def finish(self, targets: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.fast:
            given = targets["audio"]
            return {"audio": _fresh(self.items[0]["audio"], given, squeeze=given.ndim == 1), "sample_rate": self.rates[0]}
        for key, given in targets.items():
            if key == "sample_rate":
                out[key] = self.rates[0] if len(set(self.rates)) == 1 else list(self.rates)
            elif key in self.spectrograms:
                out[key] = _fresh(self.spectrograms[key], given, squeeze=np.ndim(given) == 2)
            else:
                clips = [_fresh(item[key], given, squeeze=np.ndim(given) == 1) for item in self.items]
                if not self.batched:
                    out[key] = clips[0]
                elif len({c.shape for c in clips}) == 1:
                    out[key] = np.stack(clips)
                else:
                    out[key] = clips  # clips of different lengths come back as a list
        return out


def _fresh(value: np.ndarray, source: Any, squeeze: bool) -> np.ndarray:
    if squeeze and value.shape[0] == 1:
        value = value[0]
    if not value.flags.c_contiguous or (isinstance(source, np.ndarray) and np.may_share_memory(value, source)):
        value = np.array(value, dtype=np.float32, order="C")
    return value


def check_sample_dtype(owner: str, name: str, dtype: np.dtype[Any]) -> None:
    """Samples must be float32 or float64; integer PCM is refused with a pointer to :func:`pcm_to_float`."""
    if dtype.kind in "iu":
        raise TargetTypeError(
            f"{owner}: target {name!r} expects float32 samples in [-1, 1]; got integer PCM ({dtype}). "
            "Convert it with augkit.audio.pcm_to_float(x), which divides by 2**(bits - 1)"
        )
    if dtype not in (np.float32, np.float64):
        raise TargetTypeError(f"{owner}: target {name!r} expects dtype float32 (or float64); got {dtype}")


def _as_float32(owner: str, name: str, value: Any, layouts: str, ndims: tuple[int, ...]) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise TargetTypeError(f"{owner}: target {name!r} expects a numpy array {layouts}; got {describe(value)}")
    check_sample_dtype(owner, name, value.dtype)
    if value.ndim not in ndims:
        raise TargetError(f"{owner}: target {name!r} expects {layouts}; got shape {value.shape}")
    if value.size == 0:
        raise TargetError(f"{owner}: target {name!r} is empty (shape {value.shape}); expected at least one sample")
    array = np.ascontiguousarray(value, dtype=np.float32)
    if not all_finite(array):
        raise TargetError(f"{owner}: target {name!r} contains NaN or infinite values")
    return array


_WAVE = "(samples,), (channels, samples) or a batch (N, channels, samples)"
_SPEC = "(freq, time) or (channels, freq, time)"


def _check_wave(owner: str, name: str, value: Any) -> np.ndarray:
    wave = _as_float32(owner, name, value, _WAVE, (1, 2, 3))
    if wave.ndim >= 2 and wave.shape[-2] > MAX_CHANNELS:
        raise TargetError(
            f"{owner}: target {name!r} expects (channels, samples); got shape {wave.shape}, which has "
            f"{wave.shape[-2]} channels (more than {MAX_CHANNELS}). Pass x.T for a (samples, channels) array, "
            "or a 3-D (N, channels, samples) array for a batch"
        )
    return wave[None] if wave.ndim == 1 else wave


def _check_rate(owner: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, Real) or not float(value).is_integer() or value <= 0:
        raise TargetError(f"{owner}: target 'sample_rate' expects a positive integer (Hz); got {describe(value)}")
    return int(float(value))


_AUDIO_ONLY = frozenset({"audio"})


def prepare_audio(owner: str, settings: TargetSettings, targets: dict[str, Any]) -> AudioState:
    """Validate an audio call and build its working state."""
    state = AudioState(owner, settings)
    if len(targets) == 2 and "sample_rate" in targets:  # the common case, kept short
        wave, rate = targets.get("audio"), targets["sample_rate"]
        if (
            type(wave) is np.ndarray
            and wave.dtype == np.float32
            and (wave.ndim == 1 or (wave.ndim == 2 and wave.shape[0] <= MAX_CHANNELS))
            and wave.size
            and wave.flags.c_contiguous
            and type(rate) is int
            and rate > 0
            and all_finite(wave)
        ):
            state.items = [{"audio": wave if wave.ndim == 2 else wave.reshape(1, -1)}]
            state.rates = [rate]
            state.kinds = _AUDIO_ONLY
            state.fast = True
            return state
    extra = settings.additional_targets
    waves: list[str] = []
    specs: list[str] = []
    for key in targets:
        kind = extra.get(key, key)
        if kind == "audio":
            waves.append(key)
        elif kind == "spectrogram":
            specs.append(key)
        elif key != "sample_rate":
            accepted = ["audio", "spectrogram", "sample_rate", *extra]
            raise TargetTypeError(
                f"{owner}: unknown target {key!r} in an audio call.{suggest(key, accepted)} "
                f"Accepted targets: {', '.join(accepted)}"
            )
    kinds = set()
    if waves:
        if "audio" not in targets:
            raise TargetError(f"{owner}: target {waves[0]!r} is paired with 'audio', which the call does not carry")
        if "sample_rate" not in targets:
            raise TargetError(f"{owner}: an audio call needs sample_rate=... (Hz) besides 'audio'")
        rate = _check_rate(owner, targets["sample_rate"])
        checked = {key: _check_wave(owner, key, targets[key]) for key in waves}
        main = checked["audio"]
        state.batched = main.ndim == 3
        for key, wave in checked.items():
            if wave.ndim != main.ndim or wave.shape[-1] != main.shape[-1] or (state.batched and len(wave) != len(main)):
                raise TargetError(
                    f"{owner}: target {key!r} has shape {targets[key].shape}; paired audio expects the same number "
                    f"of samples (and clips) as 'audio', shape {targets['audio'].shape}"
                )
        count = len(main) if state.batched else 1
        state.items = [{key: (wave[i] if state.batched else wave) for key, wave in checked.items()} for i in range(count)]
        state.rates = [rate] * count
        kinds.add("audio")
    elif "sample_rate" in targets and not specs:
        raise TargetError(f"{owner}: 'sample_rate' was given without 'audio'")
    if specs:
        if "spectrogram" not in targets:
            raise TargetError(f"{owner}: target {specs[0]!r} is paired with 'spectrogram', which the call does not carry")
        for key in specs:
            spec = _as_float32(owner, key, targets[key], _SPEC, (2, 3))
            state.spectrograms[key] = spec[None] if spec.ndim == 2 else spec
        shape = state.spectrograms["spectrogram"].shape
        for key, spec in state.spectrograms.items():
            if spec.shape[1:] != shape[1:]:
                raise TargetError(f"{owner}: target {key!r} has shape {spec.shape}; expected the spectrogram's {shape}")
        kinds.add("spectrogram")
        if "sample_rate" in targets:
            state.rates = [_check_rate(owner, targets["sample_rate"])]
    state.kinds = _AUDIO_ONLY if kinds == {"audio"} else frozenset(kinds)
    return state


register_modality("audio", ("audio", "spectrogram"), prepare_audio)
