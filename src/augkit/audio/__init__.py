"""Audio augmentation: waveform transforms (noise, time, rate and pitch, level and distortion,
filters and EQ, acoustics), spectrogram transforms (SpecAugment) and waveform MixUp, all seeded,
recorded and replayable.

Calls take ``audio`` (float32 ``(samples,)``, ``(channels, samples)`` or a batch ``(N, channels,
samples)``) with ``sample_rate``, or a ``spectrogram``; see :mod:`augkit.audio.base`.

>>> import numpy as np, augkit as ak
>>> tone = np.sin(2 * np.pi * 220 * np.arange(16000) / 16000).astype(np.float32)
>>> out = ak.audio.PitchShift(min_semitones=12, max_semitones=12, p=1.0)(audio=tone, sample_rate=16000)
>>> out["audio"].shape, out["sample_rate"]
((16000,), 16000)
"""

from augkit.audio import functional
from augkit.audio.acoustics import AirAbsorption, ApplyImpulseResponse, RoomSimulator
from augkit.audio.background import AddBackgroundNoise, AddShortNoises
from augkit.audio.base import AudioTransform, ClipInfo, SpectrogramTransform, pcm_to_float
from augkit.audio.distortion import Aliasing, BitCrush, Clip, ClippingDistortion, MuLawCompression, TanhDistortion
from augkit.audio.filters import BandPass, BandStop, HighPass, HighShelf, LowPass, LowShelf, Peaking, SevenBandParametricEQ
from augkit.audio.io import list_audio_files, load_audio
from augkit.audio.level import Gain, GainTransition, Limiter, LoudnessNormalization, Normalize, PolarityInversion
from augkit.audio.mixup import MixUp
from augkit.audio.noise import AddColorNoise, AddGaussianNoise, AddGaussianSNR
from augkit.audio.rate import PitchShift, Resample, SpeedChange, TimeStretch
from augkit.audio.spectrogram import SpecAugment, SpecChannelShuffle, SpecFrequencyMask, SpecTimeMask
from augkit.audio.time import AdjustDuration, Padding, RepeatPart, Reverse, Shift, TimeMask, Trim

__all__ = [
    "AddBackgroundNoise",
    "AddColorNoise",
    "AddGaussianNoise",
    "AddGaussianSNR",
    "AddShortNoises",
    "AdjustDuration",
    "AirAbsorption",
    "Aliasing",
    "ApplyImpulseResponse",
    "AudioTransform",
    "BandPass",
    "BandStop",
    "BitCrush",
    "Clip",
    "ClipInfo",
    "ClippingDistortion",
    "Gain",
    "GainTransition",
    "HighPass",
    "HighShelf",
    "Limiter",
    "LoudnessNormalization",
    "LowPass",
    "LowShelf",
    "MixUp",
    "MuLawCompression",
    "Normalize",
    "Padding",
    "Peaking",
    "PitchShift",
    "PolarityInversion",
    "RepeatPart",
    "Resample",
    "Reverse",
    "RoomSimulator",
    "SevenBandParametricEQ",
    "Shift",
    "SpecAugment",
    "SpecChannelShuffle",
    "SpecFrequencyMask",
    "SpecTimeMask",
    "SpectrogramTransform",
    "SpeedChange",
    "TanhDistortion",
    "TimeMask",
    "TimeStretch",
    "Trim",
    "functional",
    "list_audio_files",
    "load_audio",
    "pcm_to_float",
]
