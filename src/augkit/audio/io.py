"""Reading audio files for transforms that mix in recorded sounds (background noise, impulse responses).

* ``.wav`` is read with :mod:`scipy.io.wavfile`: 8-bit unsigned, 16/24/32-bit integer PCM and 32/64-bit
  float. Integer PCM becomes float32 in ``[-1, 1)`` by dividing by ``2**(bits - 1)`` (8-bit is centred
  on 128 first; scipy returns 24-bit data left-aligned in int32, so it is divided by ``2**31``).
* ``.flac``, ``.ogg`` and ``.mp3`` are read with the optional ``soundfile`` package
  (``pip install augkit[audio]``); without it they raise :class:`augkit.MissingDependencyError`.
  (MP3 needs libsndfile >= 1.1, which the soundfile >= 0.12 wheels bundle.)
* The result is always ``(channels, samples)`` float32, at the sample rate the caller asks for
  (resampled when the file's rate differs, with :func:`augkit.audio.functional.resampling.resample`,
  the resampler of the ``Resample`` transform, re-exported here as :func:`resample`). All channels of
  the file are kept; :func:`match_channels` fits them to a clip (see there).
* Decoded (and resampled) files are cached per process in a small LRU keyed by the path as given, the
  file's modification time and size, and the sample rate (an edited file is read again): at most :data:`CACHE_MAX_ITEMS` files and
  :data:`CACHE_MAX_BYTES` bytes. Cached arrays are shared and read-only; copy one before writing to it.
  :func:`clear_cache` empties the cache.

>>> import augkit.audio.io as aio
>>> paths = aio.list_audio_files(aio.sample_noise_folder())
>>> [p.suffix for p in paths][:1]
['.wav']
>>> x = aio.load_audio(paths[0], 8000)
>>> x.dtype, x.shape[0], x.shape[1] == 4000
(dtype('float32'), 1, True)
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from augkit.audio.base import pcm_to_float
from augkit.audio.functional.resampling import resample
from augkit.core.errors import ArgumentError, MissingDependencyError, describe

__all__ = [
    "AUDIO_EXTENSIONS",
    "CACHE_MAX_BYTES",
    "CACHE_MAX_ITEMS",
    "clear_cache",
    "list_audio_files",
    "load_audio",
    "match_channels",
    "read_audio",
    "resample",
    "sample_noise_folder",
]

#: File name endings :func:`list_audio_files` collects (lower case; matching ignores case).
AUDIO_EXTENSIONS: tuple[str, ...] = (".wav", ".flac", ".ogg", ".mp3")
#: The cache keeps at most this many decoded files ...
CACHE_MAX_ITEMS = 64
#: ... and at most this many bytes of decoded audio.
CACHE_MAX_BYTES = 256 * 1024 * 1024

_cache: OrderedDict[tuple[str, int, int, int], np.ndarray] = OrderedDict()
_cache_bytes = 0
_lock = threading.Lock()


def sample_noise_folder() -> Path:
    """The folder of short noise recordings that ships with augkit (``augkit/samples/audio/noise``)."""
    return Path(__file__).resolve().parent.parent / "samples" / "audio" / "noise"


def list_audio_files(
    folder_or_paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    owner: str = "list_audio_files",
    argument: str = "folder_or_paths",
) -> list[Path]:
    """The audio files named by a folder (searched recursively), a file, or a list of folders and files.

    A folder contributes its files ending in one of :data:`AUDIO_EXTENSIONS` (case-insensitive), sorted
    by their path relative to the folder; a list keeps its order, each folder in it expanded the same way.
    A file named directly must exist and have a supported ending. Nothing found raises
    :class:`augkit.ArgumentError` (``owner`` and ``argument`` name the caller in the message).

    >>> [p.name for p in list_audio_files(sample_noise_folder())]
    ['brown_0.wav', 'pink_0.wav', 'pink_1.wav']
    """
    if isinstance(folder_or_paths, (str, os.PathLike)):
        entries: list[Any] = [folder_or_paths]
    elif isinstance(folder_or_paths, Iterable) and not isinstance(folder_or_paths, (bytes, dict)):
        entries = list(folder_or_paths)
    else:
        raise ArgumentError(
            f"{owner}: argument {argument!r} expects a folder, an audio file or a list of them; got {describe(folder_or_paths)}"
        )
    found: list[Path] = []
    for entry in entries:
        if not isinstance(entry, (str, os.PathLike)):
            raise ArgumentError(
                f"{owner}: argument {argument!r} expects paths (str or pathlib.Path); got an entry {describe(entry)}"
            )
        path = Path(entry).expanduser()
        if path.is_dir():
            files = [p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in AUDIO_EXTENSIONS]
            found.extend(sorted(files, key=lambda p: p.relative_to(path).as_posix()))
        elif path.is_file():
            if path.suffix.lower() not in AUDIO_EXTENSIONS:
                raise ArgumentError(
                    f"{owner}: argument {argument!r} expects audio files ending in {', '.join(AUDIO_EXTENSIONS)}; "
                    f"got {str(path)!r}"
                )
            found.append(path)
        else:
            raise ArgumentError(f"{owner}: argument {argument!r} names {str(path)!r}, which does not exist")
    if not found:
        raise ArgumentError(
            f"{owner}: argument {argument!r} contains no audio files ({', '.join(AUDIO_EXTENSIONS)}); "
            f"got {describe(folder_or_paths)}"
        )
    return found


def _read_wav(path: Path) -> tuple[np.ndarray, int]:
    from scipy.io import wavfile

    try:
        rate, data = wavfile.read(path)
    except (ValueError, EOFError) as error:
        raise ArgumentError(f"read_audio: cannot decode the WAV file {str(path)!r}: {error}") from error
    if data.dtype.kind in "iu":
        samples = pcm_to_float(data)
    elif data.dtype.kind == "f":
        samples = data.astype(np.float32)
    else:
        raise ArgumentError(f"read_audio: unsupported WAV sample type {data.dtype} in {str(path)!r}")
    return samples, int(rate)


def _read_soundfile(path: Path) -> tuple[np.ndarray, int]:
    try:
        import soundfile
    except ImportError as error:
        raise MissingDependencyError(
            f"read_audio: reading {path.suffix} files ({str(path)!r}) needs the 'soundfile' package; "
            "install it with: pip install augkit[audio]"
        ) from error
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except RuntimeError as error:  # soundfile.LibsndfileError derives from RuntimeError
        raise ArgumentError(f"read_audio: cannot decode {str(path)!r}: {error}") from error
    return data, int(rate)


def read_audio(path: str | os.PathLike[str]) -> tuple[np.ndarray, int]:
    """Decode a file as it is: ``((channels, samples) float32, sample_rate)``, not cached, not resampled.

    >>> audio, rate = read_audio(list_audio_files(sample_noise_folder())[0])
    >>> audio.shape, rate
    ((1, 8000), 16000)
    """
    file = Path(path).expanduser()
    if not file.is_file():
        raise FileNotFoundError(f"read_audio: no such audio file: {str(file)!r}")
    suffix = file.suffix.lower()
    if suffix == ".wav":
        samples, rate = _read_wav(file)
    elif suffix in AUDIO_EXTENSIONS:
        samples, rate = _read_soundfile(file)
    else:
        raise ArgumentError(f"read_audio: expects a file ending in {', '.join(AUDIO_EXTENSIONS)}; got {str(file)!r}")
    samples = samples[None] if samples.ndim == 1 else samples.T  # files store (samples, channels)
    if samples.shape[1] == 0:
        raise ArgumentError(f"read_audio: the audio file {str(file)!r} holds no samples")
    if not np.isfinite(samples).all():
        raise ArgumentError(f"read_audio: the audio file {str(file)!r} contains NaN or infinite samples")
    return np.ascontiguousarray(samples, dtype=np.float32), rate


def load_audio(path: str | os.PathLike[str], sample_rate: int) -> np.ndarray:
    """The file at ``path`` as ``(channels, samples)`` float32 at ``sample_rate`` Hz (cached, read-only).

    The array is shared with the cache and read-only: copy it before modifying it.

    >>> x = load_audio(list_audio_files(sample_noise_folder())[0], 16000)
    >>> x.shape, x.flags.writeable
    ((1, 8000), False)
    """
    global _cache_bytes
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, (int, np.integer)) or sample_rate <= 0:
        raise ArgumentError(f"load_audio: argument 'sample_rate' expects a positive integer (Hz); got {describe(sample_rate)}")
    name = os.path.expanduser(os.fspath(path))
    try:
        stat = os.stat(name)  # one system call; resolving the path would cost a stat per component
    except OSError as error:
        raise FileNotFoundError(f"load_audio: no such audio file: {name!r}") from error
    key = (name, stat.st_mtime_ns, stat.st_size, int(sample_rate))
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    audio, rate = read_audio(name)
    audio = resample(audio, rate, int(sample_rate)) if rate != sample_rate else audio
    audio.setflags(write=False)
    with _lock:
        if key not in _cache and audio.nbytes <= CACHE_MAX_BYTES:
            _cache[key] = audio
            _cache_bytes += audio.nbytes
            while len(_cache) > CACHE_MAX_ITEMS or _cache_bytes > CACHE_MAX_BYTES:
                _, dropped = _cache.popitem(last=False)
                _cache_bytes -= dropped.nbytes
    return audio


def clear_cache() -> None:
    """Forget every decoded file (the next :func:`load_audio` of each reads it again)."""
    global _cache_bytes
    with _lock:
        _cache.clear()
        _cache_bytes = 0


def match_channels(audio: np.ndarray, num_channels: int) -> np.ndarray:
    """Fit a ``(c, samples)`` recording to a clip with ``num_channels`` channels.

    Equal counts are kept as they are; a mono recording is repeated on every channel; any other
    mismatch is mixed down to mono (the channel mean) and repeated. Returns a new C-contiguous array
    unless the counts already match (then ``audio`` itself).

    >>> match_channels(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), 3).tolist()
    [[2.0, 3.0], [2.0, 3.0], [2.0, 3.0]]
    """
    channels = audio.shape[0]
    if channels == num_channels:
        return audio
    mono = audio if channels == 1 else audio.mean(axis=0, keepdims=True, dtype=np.float32)
    return np.ascontiguousarray(np.broadcast_to(mono, (num_channels, audio.shape[1])), dtype=np.float32)
