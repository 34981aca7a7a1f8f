"""Audio time transforms: Shift, TimeMask, Reverse, Padding, AdjustDuration, RepeatPart, Trim.

Exact sample positions against numpy references written here (np.roll, np.pad, slicing), drawn
ranges, fades, lengths, and Trim against ``librosa.effects.trim`` values (librosa 0.11.0, computed
once on the bundled CMU ARCTIC clip and written down below).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import augkit as ak
from augkit.audio.functional import time as FT
from augkit.audio.noise import AddGaussianNoise
from augkit.audio.time import AdjustDuration, Padding, RepeatPart, Reverse, Shift, TimeMask, Trim
from augkit.samples import load_speech

RATE = 16000


def speech(seconds: float | None = None, channels: int = 1) -> np.ndarray:
    x, rate = load_speech()
    assert rate == RATE
    if seconds is not None:
        x = x[int(0.5 * RATE) : int((0.5 + seconds) * RATE)]
    return np.ascontiguousarray(np.stack([np.roll(x, 300 * c) for c in range(channels)]))


def run(t: ak.BaseTransform, x: np.ndarray, rng: int = 0, rate: int = RATE) -> tuple[np.ndarray, dict]:
    out = t(audio=x, sample_rate=rate, rng=rng, record=True)
    return out["audio"], out["applied"][0]["params"]


def ramp_up(n: int) -> np.ndarray:
    return np.array([k / n for k in range(n)], np.float32)


# ---------------------------------------------------------------------------------------------
# Shift


@pytest.mark.parametrize("amount", [123, -123, 0, 7999, -8001])
def test_shift_moves_by_the_exact_number_of_samples(amount: int) -> None:
    x = speech(0.5, channels=2)
    total = x.shape[-1]
    t = Shift(min_shift=amount, max_shift=amount, shift_unit="samples", fade_duration=0.0, p=1.0)
    out, params = run(t, x)
    assert params == {"shift": amount}
    np.testing.assert_array_equal(out, np.roll(x, amount, axis=-1))
    filled = run(t.with_params(rollover=False), x)[0]
    expected = np.zeros_like(x)
    n = min(abs(amount), total)
    if amount >= 0:
        expected[:, n:] = x[:, : total - n]
    else:
        expected[:, : total - n] = x[:, n:]
    np.testing.assert_array_equal(filled, expected)


def test_shift_fades_around_the_stitch() -> None:
    x = np.ones((1, 1000), np.float32)
    fade = 10  # 0.000625 s at 16 kHz
    out = run(Shift(min_shift=300, max_shift=300, shift_unit="samples", fade_duration=fade / RATE, p=1.0), x)[0][0]
    np.testing.assert_array_equal(out[300:310], ramp_up(fade))  # the old start fades in
    np.testing.assert_array_equal(out[290:300], ramp_up(fade)[::-1])  # the old end fades out to 0
    assert (out[:290] == 1).all() and (out[310:] == 1).all()
    no_roll = run(
        Shift(min_shift=-300, max_shift=-300, shift_unit="samples", rollover=False, fade_duration=fade / RATE, p=1.0), x
    )[0][0]
    np.testing.assert_array_equal(no_roll[690:700], (np.arange(fade - 1, -1, -1) / fade).astype(np.float32))
    assert (no_roll[700:] == 0).all() and (no_roll[:690] == 1).all()


def test_shift_units_and_ranges() -> None:
    x = speech(0.5)
    total = x.shape[-1]
    fraction = Shift(min_shift=0.25, max_shift=0.25, fade_duration=0.0, p=1.0)
    assert run(fraction, x)[1]["shift"] == round(0.25 * total)
    seconds = Shift(min_shift=-0.01, max_shift=-0.01, shift_unit="seconds", fade_duration=0.0, p=1.0)
    assert run(seconds, x, rate=8000)[1]["shift"] == -80
    drawn = {run(Shift(min_shift=-2, max_shift=2, shift_unit="samples", p=1.0), x[:, :100], s)[1]["shift"] for s in range(60)}
    assert drawn == {-2, -1, 0, 1, 2}  # both ends reachable
    shifts = [run(Shift(p=1.0), x, s)[1]["shift"] for s in range(50)]
    assert min(shifts) >= -total / 2 and max(shifts) <= total / 2 and np.std(shifts) > total / 8
    with pytest.raises(ak.ArgumentError, match=r"Shift: argument 'min_shift' expects an integer with shift_unit='samples'"):
        Shift(shift_unit="samples")
    with pytest.raises(ak.ArgumentError, match=r"Shift: argument 'shift_unit' expects one of 'fraction', 'samples', 'seconds'"):
        Shift(shift_unit="ms")
    with pytest.raises(ak.ArgumentError, match=r"Shift: argument 'fade_duration' expects"):
        Shift(fade_duration=-0.1)


# ---------------------------------------------------------------------------------------------
# TimeMask, Reverse


def test_time_mask_zeroes_the_band() -> None:
    x = speech(0.5, channels=2)
    t = TimeMask(min_band_part=0.1, max_band_part=0.3, fade_duration=0.0, p=1.0)
    for seed in range(5):
        out, params = run(t, x, seed)
        start, length = params["start"], params["length"]
        assert round(0.1 * x.shape[-1]) <= length <= round(0.3 * x.shape[-1])
        assert (out[:, start : start + length] == 0).all()
        np.testing.assert_array_equal(out[:, :start], x[:, :start])
        np.testing.assert_array_equal(out[:, start + length :], x[:, start + length :])
    ones = np.ones((1, 2000), np.float32)
    faded, params = run(TimeMask(min_band_part=0.5, max_band_part=0.5, fade_duration=20 / RATE, mask_location="end", p=1.0), ones)
    assert params == {"start": 1000, "length": 1000}
    np.testing.assert_array_equal(faded[0, 1000:1020], (np.arange(19, -1, -1) / 20).astype(np.float32))
    np.testing.assert_array_equal(faded[0, 1980:], ramp_up(20))
    assert (faded[0, 1020:1980] == 0).all() and (faded[0, :1000] == 1).all()
    assert run(TimeMask(mask_location="start", p=1.0), ones)[1]["start"] == 0
    with pytest.raises(ak.ArgumentError, match=r"TimeMask: argument 'max_band_part' expects a finite number in \[0.0, 1.0\]"):
        TimeMask(max_band_part=1.5)


def test_reverse() -> None:
    x = speech(0.1, channels=2)
    np.testing.assert_array_equal(run(Reverse(p=1.0), x)[0], x[:, ::-1])
    assert not Reverse.has_random_params


# ---------------------------------------------------------------------------------------------
# Padding, AdjustDuration


@pytest.mark.parametrize("mode", ["silence", "wrap", "reflect"])
@pytest.mark.parametrize("section", ["start", "end"])
def test_padding_keeps_the_length(mode: str, section: str) -> None:
    x = speech(0.2, channels=2)
    total = x.shape[-1]
    t = Padding(mode=mode, min_fraction=0.3, max_fraction=0.3, pad_section=section, p=1.0)
    out, params = run(t, x)
    n = params["samples"]
    assert n == round(0.3 * total) and out.shape == x.shape
    numpy_mode = {"silence": "constant", "wrap": "wrap", "reflect": "reflect"}[mode]
    if section == "end":
        expected = np.pad(x[:, : total - n], ((0, 0), (0, n)), mode=numpy_mode)
    else:
        expected = np.pad(x[:, n:], ((0, 0), (n, 0)), mode=numpy_mode)
    np.testing.assert_array_equal(out, expected)
    everything = run(Padding(mode=mode, min_fraction=1.0, max_fraction=1.0, p=1.0), x)[0]
    assert (everything == 0).all()


def test_adjust_duration_lengths_are_exact() -> None:
    x = speech(0.5, channels=2)
    total = x.shape[-1]
    for target in (1, 5000, total, total + 1, 12345):
        out, params = run(AdjustDuration(duration_samples=target, p=1.0), x, target)
        assert out.shape == (2, target)
        if target < total:
            offset = params["offset"]
            assert 0 <= offset <= total - target
            np.testing.assert_array_equal(out, x[:, offset : offset + target])
    offsets = {run(AdjustDuration(duration_samples=total - 3, p=1.0), x, s)[1]["offset"] for s in range(40)}
    assert offsets == {0, 1, 2, 3}
    assert run(AdjustDuration(duration_seconds=0.75, p=1.0), x, rate=8000)[0].shape == (2, 6000)
    start, _ = run(AdjustDuration(duration_samples=total + 100, padding_position="start", p=1.0), x)
    assert (start[:, :100] == 0).all()
    np.testing.assert_array_equal(start[:, 100:], x)
    wrapped, _ = run(AdjustDuration(duration_samples=3 * total, padding_mode="wrap", p=1.0), x)
    np.testing.assert_array_equal(wrapped, np.tile(x, (1, 3)))
    batch = np.stack([x, x[:, ::-1]])
    assert run(AdjustDuration(duration_samples=1000, p=1.0), batch)[0].shape == (2, 2, 1000)
    with pytest.raises(ak.ArgumentError, match="exactly one of 'duration_samples' and 'duration_seconds'"):
        AdjustDuration()
    with pytest.raises(ak.ArgumentError, match="exactly one of"):
        AdjustDuration(duration_samples=10, duration_seconds=1.0)
    with pytest.raises(ak.ArgumentError, match=r"AdjustDuration: argument 'duration_samples' expects an integer >= 1"):
        AdjustDuration(duration_samples=0)
    config = AdjustDuration(duration_seconds=2.0).to_dict()
    assert ak.from_dict(json.loads(json.dumps(config))).to_dict() == config


# ---------------------------------------------------------------------------------------------
# RepeatPart


def test_repeat_part_insert_and_replace() -> None:
    x = speech(1.0, channels=2)
    total = x.shape[-1]
    hard = RepeatPart(min_part_duration=0.1, max_part_duration=0.2, crossfade_duration=0.0, p=1.0)
    for seed in range(4):
        out, params = run(hard, x, seed)
        start, length, repeats = params["start"], params["length"], params["repeats"]
        end = start + length
        assert 1 <= repeats <= 3 and 1600 <= length <= 3200 and out.shape == (2, total + repeats * length)
        expected = np.concatenate([x[:, :end]] + [x[:, start:end]] * repeats + [x[:, end:]], axis=1)
        np.testing.assert_array_equal(out, expected)
        replaced, params = run(hard.with_params(mode="replace"), x, seed)
        expected = np.concatenate([x[:, :end]] + [x[:, start:end]] * repeats + [x[:, end:]], axis=1)[:, :total]
        expected[:, end + repeats * length :] = x[:, end + repeats * length :]
        np.testing.assert_array_equal(replaced, expected)


def test_repeat_part_crossfades() -> None:
    ramp = np.arange(1000, dtype=np.float32)[None]
    out = FT.repeat_part(ramp, 100, 200, 1, "replace", crossfade=10)
    # into the repeat: what followed the part (300..309) fades out while the repeat (100..109) fades in
    up = ramp_up(10)
    np.testing.assert_allclose(out[0, 300:310], up * np.arange(100, 110) + (1 - up) * np.arange(300, 310), rtol=1e-6)
    np.testing.assert_array_equal(out[0, 310:500], np.arange(110, 300))
    # back to the clip at 500: the repeat's continuation (300..309) fades out, the clip (500..509) fades in
    np.testing.assert_allclose(out[0, 500:510], up * np.arange(500, 510) + (1 - up) * np.arange(300, 310), rtol=1e-6)
    np.testing.assert_array_equal(out[0, 510:], np.arange(510, 1000))
    inserted = FT.repeat_part(ramp, 100, 200, 2, "insert", crossfade=10)
    assert inserted.shape == (1, 1400)
    np.testing.assert_array_equal(inserted[0, 700:], np.arange(300, 1000))  # seamless after the last repeat


def test_repeat_part_short_clip_and_part_transform() -> None:
    short = speech(0.1)
    out, params = run(RepeatPart(min_part_duration=0.25, max_part_duration=0.3, p=1.0), short)
    assert params["repeats"] == 0
    np.testing.assert_array_equal(out, short)
    noisy = RepeatPart(min_repeats=2, max_repeats=2, min_part_duration=0.05, max_part_duration=0.05, crossfade_duration=0.0,
                       part_transform=AddGaussianNoise(min_amplitude=0.01, max_amplitude=0.01, p=1.0), p=1.0)  # fmt: skip
    out, params = run(noisy, speech(0.5))
    start, length = params["start"], params["length"]
    first, second = out[0, start + length : start + 2 * length], out[0, start + 2 * length : start + 3 * length]
    part = speech(0.5)[0, start : start + length]
    assert len(params["part_seeds"]) == 2 and not np.array_equal(first, second)
    assert 0.005 < np.std(first - part) < 0.02 and 0.005 < np.std(second - part) < 0.02
    config = noisy.to_dict()
    assert config["part_transform"]["name"] == "audio.AddGaussianNoise"
    rebuilt = ak.from_dict(json.loads(json.dumps(config)))
    np.testing.assert_array_equal(run(rebuilt, speech(0.5), 3)[0], run(noisy, speech(0.5), 3)[0])
    with pytest.raises(ak.ArgumentError, match=r"RepeatPart: argument 'min_repeats' expects a number <= max_repeats"):
        RepeatPart(min_repeats=4, max_repeats=2)
    with pytest.raises(ak.ArgumentError, match=r"RepeatPart: argument 'mode' expects one of 'insert', 'replace'"):
        RepeatPart(mode="overwrite")


# ---------------------------------------------------------------------------------------------
# Trim


def test_trim_matches_librosa_on_speech() -> None:
    x = speech()
    # librosa.effects.trim(x, top_db=...)[1] with librosa 0.11.0 (frame 2048, hop 512)
    for top_db, bounds in ((20.0, (6144, 55296)), (30.0, (6144, 55808)), (40.0, (0, 64000))):
        out, params = run(Trim(top_db=top_db, p=1.0), x)
        assert (params["start"], params["end"]) == bounds
        np.testing.assert_array_equal(out, x[:, bounds[0] : bounds[1]])
    stereo = np.stack([x[0], np.roll(x[0], 5000) * 0.3])
    assert tuple(run(Trim(top_db=30.0, p=1.0), stereo)[1].values()) == (6144, 60416)  # librosa: loudest channel counts


def test_trim_removes_known_silence_and_keeps_the_speech() -> None:
    voiced = speech(1.0)
    rng = np.random.default_rng(0)
    silence = (rng.standard_normal((1, 8000)) * 1e-4).astype(np.float32)  # -80 dBFS hiss
    x = np.concatenate([silence, voiced, silence[:, :5000]], axis=1)
    out, params = run(Trim(top_db=30.0, p=1.0), x)
    assert params["start"] <= 8000 and params["end"] >= 8000 + voiced.shape[-1]  # all the speech kept
    assert params["start"] >= 8000 - 2048 and params["end"] <= 8000 + voiced.shape[-1] + 2048  # silence gone
    np.testing.assert_array_equal(out, x[:, params["start"] : params["end"]])
    zeros = np.zeros((2, 3000), np.float32)
    np.testing.assert_array_equal(run(Trim(p=1.0), zeros)[0], zeros)
    with pytest.raises(ak.ArgumentError, match=r"Trim: argument 'top_db' expects a number > 0"):
        Trim(top_db=-3)


def test_trim_cuts_paired_targets_at_the_same_samples() -> None:
    x = np.concatenate([np.zeros((1, 6000), np.float32), speech(0.5), np.zeros((1, 6000), np.float32)], axis=1)
    other = np.full_like(x, 0.1)  # no silence at all: it is cut where 'audio' is
    pipe = ak.Compose([Trim(top_db=30.0, p=1.0)], additional_targets={"other": "audio"})
    out = pipe(audio=x, other=other, sample_rate=RATE, rng=0)
    assert out["audio"].shape == out["other"].shape and out["audio"].shape[-1] < x.shape[-1]
