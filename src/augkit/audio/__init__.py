"""Audio augmentation: waveform transforms (noise, time, rate and pitch, level, filters, acoustics),
spectrogram transforms (SpecAugment) and waveform MixUp, all seeded, recorded and replayable.

Calls take ``audio`` (float32 ``(samples,)``, ``(channels, samples)`` or a batch ``(N, channels,
samples)``) with ``sample_rate``, or a ``spectrogram``; see :mod:`augkit.audio.base`.
"""

from augkit.audio.base import AudioTransform, ClipInfo, SpectrogramTransform, pcm_to_float

__all__ = ["AudioTransform", "ClipInfo", "SpectrogramTransform", "pcm_to_float"]
