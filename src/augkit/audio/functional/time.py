"""Time-axis kernels: shift, mask, reverse, pad, crop to a duration, repeat a part, trim silence.

Every kernel takes ``(channels, samples)`` float32 audio and returns a new C-contiguous float32 array;
positions and lengths are in samples. Fades are linear: a fade-in of ``F`` samples has gains
``0, 1/F, ..., (F-1)/F`` and a fade-out is its mirror image (ending at 0), so the two meet at zero.

>>> import numpy as np
>>> x = np.arange(1, 6, dtype=np.float32)[None]
>>> shift(x, 2).tolist(), shift(x, 2, rollover=False).tolist()
([[4.0, 5.0, 1.0, 2.0, 3.0]], [[0.0, 0.0, 1.0, 2.0, 3.0]])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "PAD_MODES",
    "adjust_duration",
    "pad",
    "pad_section",
    "repeat_part",
    "reverse",
    "shift",
    "time_mask",
    "trim",
    "trim_bounds",
]

#: Padding modes: zeros, the signal repeated periodically, or mirrored (without repeating the edge sample).
PAD_MODES = ("silence", "wrap", "reflect")
_NUMPY_MODE = {"wrap": "wrap", "reflect": "reflect"}


def _ramp_up(count: int) -> np.ndarray:
    return np.arange(count, dtype=np.float32) / np.float32(count)


def _ramp_down(count: int) -> np.ndarray:
    return np.arange(count - 1, -1, -1, dtype=np.float32) / np.float32(count)


def shift(audio: np.ndarray, samples: int, *, rollover: bool = True, fade: int = 0) -> np.ndarray:
    """Move the audio ``samples`` later in time (earlier when negative).

    With ``rollover`` the samples pushed past one end come back at the other (``np.roll``); without it
    the emptied part is silence. ``fade`` > 0 fades out (to 0) the ``fade`` samples before the "stitch"
    (where the original end meets the original start, or the silence meets the signal) and fades in
    the ``fade`` samples after it, to avoid a click.

    >>> shift(np.ones((1, 6), np.float32), -2, rollover=False, fade=2).tolist()
    [[1.0, 1.0, 0.5, 0.0, 0.0, 0.0]]
    """
    total = audio.shape[-1]
    out = np.empty_like(audio)
    if rollover:
        n = samples % total
        if n == 0:
            return audio.copy()
        out[:, n:] = audio[:, : total - n]
        out[:, :n] = audio[:, total - n :]
        stitch = n
        fade_out, fade_in = min(fade, n), min(fade, total - n)
    elif samples >= 0:
        n = min(samples, total)
        out[:, :n] = 0.0
        out[:, n:] = audio[:, : total - n]
        stitch, fade_out, fade_in = n, 0, min(fade, total - n)
    else:
        n = min(-samples, total)
        out[:, : total - n] = audio[:, n:]
        out[:, total - n :] = 0.0
        stitch, fade_out, fade_in = total - n, min(fade, total - n), 0
    if fade_out > 0:
        out[:, stitch - fade_out : stitch] *= _ramp_down(fade_out)
    if fade_in > 0:
        out[:, stitch : stitch + fade_in] *= _ramp_up(fade_in)
    return out


def time_mask(audio: np.ndarray, start: int, length: int, fade: int = 0) -> np.ndarray:
    """Silence ``[start, start + length)``; with ``fade`` > 0 the first ``fade`` samples of that band
    ramp down to 0 and the last ``fade`` ramp back up (each at most half the band).

    >>> time_mask(np.ones((1, 8), np.float32), 2, 5, fade=2).tolist()
    [[1.0, 1.0, 0.5, 0.0, 0.0, 0.0, 0.5, 1.0]]
    """
    out = audio.copy()
    start = max(int(start), 0)
    stop = min(start + int(length), audio.shape[-1])
    if stop <= start:
        return out
    width = min(int(fade), (stop - start) // 2)
    out[:, start + width : stop - width] = 0.0
    if width > 0:
        out[:, start : start + width] *= _ramp_down(width)
        out[:, stop - width : stop] *= _ramp_up(width)
    return out


def reverse(audio: np.ndarray) -> np.ndarray:
    """The audio played backwards.

    >>> reverse(np.array([[1.0, 2.0, 3.0]], np.float32)).tolist()
    [[3.0, 2.0, 1.0]]
    """
    return np.ascontiguousarray(audio[:, ::-1])


def pad(audio: np.ndarray, before: int, after: int, mode: str = "silence") -> np.ndarray:
    """Add ``before`` samples at the start and ``after`` at the end: zeros ("silence"), the signal
    repeated periodically ("wrap") or mirrored without repeating the edge sample ("reflect"; a
    single-sample signal is repeated).

    >>> pad(np.array([[1.0, 2.0, 3.0]], np.float32), 2, 2, "reflect").tolist()
    [[3.0, 2.0, 1.0, 2.0, 3.0, 2.0, 1.0]]
    """
    if mode not in PAD_MODES:
        raise ValueError(f"pad: mode expects one of {PAD_MODES}; got {mode!r}")
    before, after = int(before), int(after)
    if before == 0 and after == 0:
        return audio.copy()
    total = audio.shape[-1]
    if mode == "silence" or total == 0:
        out = np.zeros((audio.shape[0], total + before + after), np.float32)
        out[:, before : before + total] = audio
        return out
    numpy_mode = "edge" if (mode == "reflect" and total == 1) else _NUMPY_MODE[mode]
    return np.ascontiguousarray(np.pad(audio, ((0, 0), (before, after)), mode=numpy_mode), dtype=np.float32)  # type: ignore[call-overload]


def pad_section(audio: np.ndarray, samples: int, mode: str = "silence", section: str = "end") -> np.ndarray:
    """Replace the last (``section="end"``) or first (``"start"``) ``samples`` of the audio with padding
    made from the rest (see :func:`pad`); the length does not change. Replacing everything gives silence.

    >>> pad_section(np.array([[1.0, 2.0, 3.0, 4.0]], np.float32), 2, "wrap", "end").tolist()
    [[1.0, 2.0, 1.0, 2.0]]
    """
    total = audio.shape[-1]
    samples = min(max(int(samples), 0), total)
    if samples == total:
        return np.zeros_like(audio)
    if section == "end":
        return pad(audio[:, : total - samples], 0, samples, mode)
    return pad(audio[:, samples:], samples, 0, mode)


def adjust_duration(audio: np.ndarray, target: int, offset: int = 0, mode: str = "silence", position: str = "end") -> np.ndarray:
    """Exactly ``target`` samples: a longer clip is cut to ``[offset, offset + target)``, a shorter one is
    padded (:func:`pad` ``mode``) at the ``position`` "start" or "end".

    >>> adjust_duration(np.array([[1.0, 2.0, 3.0]], np.float32), 5, position="start").tolist()
    [[0.0, 0.0, 1.0, 2.0, 3.0]]
    """
    total = audio.shape[-1]
    if total > target:
        if not 0 <= offset <= total - target:
            raise ValueError(f"adjust_duration: offset {offset} is outside [0, {total - target}]")
        return np.ascontiguousarray(audio[:, offset : offset + target])
    missing = target - total
    return pad(audio, missing, 0, mode) if position == "start" else pad(audio, 0, missing, mode)


def repeat_part(
    audio: np.ndarray,
    start: int,
    length: int,
    repeats: int,
    mode: str = "insert",
    crossfade: int = 0,
    parts: Sequence[np.ndarray] | None = None,
) -> np.ndarray:
    """Repeat ``audio[:, start:start + length]`` ``repeats`` more times right after itself.

    ``mode="insert"`` inserts the repeats (the output is ``repeats * length`` samples longer and the rest
    of the clip follows them); ``"replace"`` writes them over what follows the part (same length; the part
    of the clip after the repeats, if any, stays where it was). ``parts`` replaces the copies by given
    arrays (e.g. transformed copies; their lengths may differ). Each junction into a repeat is an
    equal-gain linear crossfade of ``crossfade`` samples from the audio that followed the part in the
    original (so the signal flows as if the part had ended) into the repeat; in "replace" mode the same
    crossfade leads back into the clip after the last repeat. With unchanged copies the end of the last
    repeat joins the rest of the clip seamlessly in "insert" mode.

    >>> x = np.arange(6, dtype=np.float32)[None]
    >>> repeat_part(x, 1, 2, 2).tolist(), repeat_part(x, 1, 2, 1, mode="replace").tolist()
    ([[0.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 3.0, 4.0, 5.0]], [[0.0, 1.0, 2.0, 1.0, 2.0, 5.0]])
    """
    channels, total = audio.shape
    end = start + length
    if repeats <= 0 or length <= 0:
        return audio.copy()
    pieces = list(parts) if parts is not None else [audio[:, start:end]] * repeats
    width = max(int(crossfade), 0)
    follow = np.zeros((channels, width), np.float32)  # what followed the part in the original
    tail = audio[:, end : end + width]
    follow[:, : tail.shape[-1]] = tail
    sizes = [p.shape[-1] for p in pieces]
    if mode == "insert":
        out = np.empty((channels, total + sum(sizes)), np.float32)
        out[:, :end] = audio[:, :end]
        cursor = end
        for piece in pieces:
            out[:, cursor : cursor + piece.shape[-1]] = piece
            cursor += piece.shape[-1]
        out[:, cursor:] = audio[:, end:]
    else:
        out = audio.copy()
        cursor = end
        for piece in pieces:
            take = min(piece.shape[-1], total - cursor)
            if take <= 0:
                break
            out[:, cursor : cursor + take] = piece[:, :take]
            cursor += take
    limit = out.shape[-1]
    position = end
    for size in sizes:
        _crossfade(out, position, min(width, size // 2, limit - position), follow)
        position += size
        if position >= limit:
            break
    if mode == "replace" and position < total:
        _crossfade(out, position, min(width, total - position), follow)
    return out


def _crossfade(out: np.ndarray, at: int, width: int, before: np.ndarray) -> None:
    """In place: ``out[:, at:at + width]`` fades in while ``before[:, :width]`` fades out."""
    if width <= 0:
        return
    up = _ramp_up(width)
    segment = out[:, at : at + width]
    segment *= up
    segment += before[:, :width] * (np.float32(1.0) - up)


def trim_bounds(audio: np.ndarray, top_db: float = 30.0, frame_length: int = 2048, hop_length: int = 512) -> tuple[int, int]:
    """``(start, end)`` of the audio once leading and trailing silence are removed.

    Frames of ``frame_length`` samples every ``hop_length`` samples, centred on ``t * hop_length`` (zeros
    beyond the ends), get their mean square; on several channels the loudest channel counts. A frame is
    silent when it is more than ``top_db`` dB below the loudest frame. ``start`` is the centre of the first
    loud frame, ``end`` the centre of the frame after the last loud one (at most the length) - the
    definition ``librosa.effects.trim`` uses. An all-zero clip is kept whole.

    >>> x = np.zeros((1, 20000), np.float32); x[0, 8000:12000] = 0.5
    >>> trim_bounds(x)
    (7168, 13312)
    """
    total = audio.shape[-1]
    power = _frame_power(audio, frame_length, hop_length).max(axis=0)
    loudest = float(power.max())
    if loudest <= 0.0:
        return 0, total
    loud = np.flatnonzero(power > loudest * 10.0 ** (-top_db / 10.0))
    if loud.size == 0:  # pragma: no cover - the loudest frame always passes
        return 0, total
    return int(loud[0]) * hop_length, min(total, (int(loud[-1]) + 1) * hop_length)


def _frame_power(audio: np.ndarray, frame_length: int, hop_length: int) -> np.ndarray:
    """``(channels, 1 + samples // hop)`` mean squares of frames centred on ``t * hop`` (zeros outside)."""
    channels, total = audio.shape
    count = 1 + total // hop_length
    half = frame_length // 2
    if frame_length % hop_length == 0 and half % hop_length == 0:
        # frames are whole runs of hop-sized blocks: sum each block once (float32 pairwise), then
        # add up runs of blocks with a short cumulative sum over the blocks
        blocks = -(-total // hop_length)
        squares = np.zeros((channels, blocks * hop_length), np.float32)
        np.square(audio, out=squares[:, :total])
        block_sums = squares.reshape(channels, blocks, hop_length).sum(axis=-1, dtype=np.float32)
        before, width = half // hop_length, frame_length // hop_length
        sums = np.zeros((channels, blocks + 1), np.float64)
        np.cumsum(block_sums, axis=1, dtype=np.float64, out=sums[:, 1:])
        first = np.arange(count, dtype=np.int64) - before
        lo, hi = np.clip(first, 0, blocks), np.clip(first + width, 0, blocks)
    else:
        sums = np.zeros((channels, total + 1), np.float64)
        np.cumsum(np.square(audio), axis=1, dtype=np.float64, out=sums[:, 1:])
        centres = np.arange(count, dtype=np.int64) * hop_length
        lo, hi = np.clip(centres - half, 0, total), np.clip(centres - half + frame_length, 0, total)
    return (sums[:, hi] - sums[:, lo]) / frame_length


def trim(audio: np.ndarray, top_db: float = 30.0, frame_length: int = 2048, hop_length: int = 512) -> np.ndarray:
    """The audio between :func:`trim_bounds` (leading and trailing silence removed).

    >>> x = np.zeros((1, 20000), np.float32); x[0, 8000:12000] = 0.5
    >>> trim(x).shape
    (1, 6144)
    """
    start, end = trim_bounds(audio, top_db, frame_length, hop_length)
    return np.ascontiguousarray(audio[:, start:end])
