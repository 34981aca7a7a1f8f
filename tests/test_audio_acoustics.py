"""Impulse-response convolution, the shoebox room simulator and ISO 9613-1 air absorption."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import signal
from scipy.io import wavfile

import augkit as ak
from augkit.audio import acoustics as AA
from augkit.audio.functional import acoustics as FA
from augkit.audio.functional import room as FR
from augkit.audio.io import load_audio
from augkit.samples import load_speech

SR = 16000


def speech(seconds: float = 1.0) -> np.ndarray:
    data, rate = load_speech()
    assert rate == SR
    return data[None, 8000 : 8000 + int(seconds * SR)].copy()


def decaying_ir(samples: int, seed: int = 0, channels: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    envelope = np.exp(-np.arange(samples) / (0.1 * samples))
    return (rng.standard_normal((channels, samples)) * envelope).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Convolution


@pytest.mark.parametrize("ir_seconds", [0.002, 0.01, 0.1, 0.5, 1.0])
@pytest.mark.parametrize("channels", [1, 2])
def test_convolution_matches_fftconvolve_in_float64(ir_seconds: float, channels: int) -> None:
    x = np.concatenate([speech()] * channels)
    ir = decaying_ir(int(ir_seconds * SR))
    reference = signal.fftconvolve(x.astype(np.float64), ir.astype(np.float64), axes=-1)
    full = FA.convolve_ir(x, ir, leave_length_unchanged=False)
    assert full.dtype == np.float32 and full.shape == reference.shape and full.flags.c_contiguous
    assert np.abs(full - reference).max() < 1e-5 * np.abs(reference).max()
    same = FA.convolve_ir(x, ir[0], leave_length_unchanged=True)
    np.testing.assert_array_equal(same, full[:, : x.shape[1]])


def test_per_channel_impulse_responses() -> None:
    x = np.concatenate([speech(0.3), speech(0.3)[:, ::-1]])
    ir = decaying_ir(800, channels=2)
    out = FA.convolve_ir(x, ir, leave_length_unchanged=False)
    for c in range(2):
        reference = np.convolve(x[c].astype(np.float64), ir[c].astype(np.float64))
        assert np.abs(out[c] - reference).max() < 1e-5 * np.abs(reference).max()
    with pytest.raises(ValueError, match="3 channels"):
        FA.convolve_ir(x, decaying_ir(10, channels=3))


@pytest.fixture
def ir_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "irs"
    (folder / "sub").mkdir(parents=True)
    wavfile.write(folder / "a.wav", SR, decaying_ir(1600, seed=1)[0])
    wavfile.write(folder / "sub" / "b.wav", 8000, decaying_ir(400, seed=2)[0])  # resampled to the clip's rate
    wavfile.write(folder / "c.wav", SR, decaying_ir(800, seed=3, channels=2).T)  # stereo IR
    (folder / "notes.txt").write_text("not audio")
    return folder


def test_apply_impulse_response_draws_files_and_records_them(ir_folder: Path) -> None:
    transform = AA.ApplyImpulseResponse(ir_path=ir_folder, leave_length_unchanged=False, p=1.0)
    x = np.concatenate([speech(0.5), speech(0.5) * 0.5])
    seen = set()
    for seed in range(30):
        out = transform(audio=x, sample_rate=SR, rng=seed, record=True)
        params = json.loads(json.dumps(out["applied"][0]["params"]))
        seen.add(Path(params["ir_file"]).name)
        ir = load_audio(params["ir_file"], SR)
        ir = ir if ir.shape[0] == 2 else np.concatenate([ir, ir])
        expected = np.stack([signal.fftconvolve(x[c].astype(np.float64), ir[c].astype(np.float64)) for c in range(2)])
        assert out["audio"].shape == expected.shape
        assert np.abs(out["audio"] - expected).max() < 1e-5 * np.abs(expected).max()
        np.testing.assert_array_equal(transform.replay(out["applied"], audio=x, sample_rate=SR)["audio"], out["audio"])
    assert seen == {"a.wav", "b.wav", "c.wav"}
    kept = AA.ApplyImpulseResponse(ir_path=[ir_folder / "a.wav"], p=1.0)(audio=x, sample_rate=SR, rng=0)["audio"]
    assert kept.shape == x.shape


def test_apply_impulse_response_takes_arrays() -> None:
    irs = [decaying_ir(100, seed=5)[0], decaying_ir(300, seed=6)]
    transform = AA.ApplyImpulseResponse(ir_path=irs, leave_length_unchanged=False, p=1.0)
    x = speech(0.2)
    lengths = {transform(audio=x, sample_rate=SR, rng=s)["audio"].shape[1] for s in range(12)}
    assert lengths == {x.shape[1] + 99, x.shape[1] + 299}


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("/no/such/folder", r"ApplyImpulseResponse: argument 'ir_path' names '/no/such/folder', which does not exist"),
        ([], r"ApplyImpulseResponse: argument 'ir_path' expects .*non-empty list"),
        ([3], r"ApplyImpulseResponse: argument 'ir_path' expects folders, audio files or float arrays"),
        (np.zeros((2, 2, 2), np.float32), r"'ir_path' expects float arrays"),
        (np.array([1, 2, 3]), r"'ir_path' expects float arrays"),
    ],
)
def test_apply_impulse_response_rejects_bad_sources(value: object, pattern: str) -> None:
    with pytest.raises(ak.ArgumentError, match=pattern):
        AA.ApplyImpulseResponse(ir_path=value)


# ---------------------------------------------------------------------------------------------
# Room simulation


def schroeder_rt60(ir: np.ndarray, sample_rate: int, start_db: float = -5.0, end_db: float = -25.0) -> float:
    """T20 by Schroeder backward integration and a least-squares line between ``start_db`` and ``end_db``."""
    energy = np.cumsum((ir.astype(np.float64) ** 2)[::-1])[::-1]
    level = 10 * np.log10(energy / energy[0])
    fit = (level <= start_db) & (level >= end_db)
    slope = np.polyfit(np.flatnonzero(fit) / sample_rate, level[fit], 1)[0]
    return -60.0 / slope


def brute_force_rir(sample_rate, size, source, mic, absorption, duration):
    """The image-source sum written as plain loops over every (n, q) per axis, each pulse a windowed sinc at
    its delay (rounded to 1/32 sample, the kernel's documented resolution), then the same 80 Hz high-pass:
    an independent check of the vectorized lattice enumeration and the polyphase pulse bank."""
    length = math.ceil(duration * sample_rate)
    out = np.zeros(length)
    beta = math.sqrt(1 - absorption)
    reach = FR.SPEED_OF_SOUND * duration
    per_axis = []
    for axis in range(3):
        span = math.ceil(reach / (2 * size[axis])) + 1
        per_axis.append(
            [
                ((1 - 2 * q) * source[axis] + 2 * n * size[axis] - mic[axis], abs(n - q) + abs(n))
                for n in range(-span, span + 1)
                for q in (0, 1)
            ]
        )
    taps = np.arange(length)
    for (dx, ox), (dy, oy), (dz, oz) in itertools.product(*per_axis):
        distance = math.sqrt(dx * dx + dy * dy + dz * dz)
        if distance > reach:
            continue
        delay = round(distance / FR.SPEED_OF_SOUND * sample_rate * FR.PHASES) / FR.PHASES
        near = np.abs(taps - delay) < FR.HALF_WIDTH
        offset = taps[near] - delay
        out[near] += (
            beta ** (ox + oy + oz)
            / (4 * math.pi * distance)
            * np.sinc(offset)
            * 0.5
            * (1 + np.cos(np.pi * offset / FR.HALF_WIDTH))
        )
    return signal.sosfilt(signal.butter(2, FR.HIGH_PASS_HZ, btype="highpass", fs=sample_rate, output="sos"), out)


def test_room_impulse_response_equals_the_image_sum() -> None:
    args = (SR, (5.0, 4.0, 3.0), (1.2, 1.5, 1.4), (3.1, 2.2, 1.7), 0.3, 0.06)
    ours = FR.room_impulse_response(*args)
    reference = brute_force_rir(*args)
    assert ours.shape == reference.shape
    assert np.abs(ours - reference).max() < 1e-5 * np.abs(reference).max()


@pytest.mark.parametrize("rate", [16000, 44100])
def test_direct_path_delay_is_distance_over_speed_of_sound(rate: int) -> None:
    source, mic = (2.0, 1.5, 1.3), (2.6, 1.9, 1.1)
    ir = FR.room_impulse_response(rate, (5.0, 4.0, 3.0), source, mic, 0.2, 0.1)
    expected = math.dist(source, mic) / 343.0 * rate
    assert abs(int(np.argmax(np.abs(ir))) - expected) <= 1.0
    assert np.abs(ir[: int(expected) - FR.HALF_WIDTH]).max() < 1e-6  # nothing arrives before the direct sound


def test_energy_decays_over_time() -> None:
    ir = FR.room_impulse_response(SR, (4.5, 3.8, 2.7), (1.0, 1.2, 1.5), (2.9, 2.5, 1.2), 0.25, 0.5)
    window = int(0.05 * SR)
    energy = (ir[: len(ir) // window * window].astype(np.float64) ** 2).reshape(-1, window).sum(axis=1)
    assert np.all(np.diff(energy[1:]) < 0)
    assert 10 * np.log10(energy[-1] / energy[1]) < -30


@pytest.mark.parametrize(
    ("size", "source", "mic", "absorption"),
    [
        ((5.0, 4.0, 3.0), (1.1, 1.3, 1.5), (3.2, 2.1, 1.2), 0.2),
        ((4.5, 3.8, 2.7), (1.5, 1.5, 1.5), (3.0, 2.6, 1.4), 0.15),
        ((3.6, 3.7, 2.5), (0.7, 0.9, 1.1), (2.5, 2.0, 1.7), 0.3),
        ((6.0, 5.0, 3.5), (2.0, 1.0, 1.6), (4.0, 3.5, 1.2), 0.25),
    ],
)
def test_reverberation_time_is_near_sabine(size, source, mic, absorption) -> None:
    sabine = FR.sabine_rt60(size, absorption)
    volume, surface = size[0] * size[1] * size[2], 2 * (size[0] * size[1] + size[0] * size[2] + size[1] * size[2])
    assert sabine == pytest.approx(0.161 * volume / (surface * absorption), rel=0.01)  # the textbook 0.161 V / (S a)
    ir = FR.room_impulse_response(SR, size, source, mic, absorption, 1.2 * FR.ism_rt60(size, absorption))
    measured = schroeder_rt60(ir, SR)
    assert abs(measured / sabine - 1) < 0.2, (measured, sabine)
    assert abs(measured / FR.ism_rt60(size, absorption) - 1) < 0.1, (measured, FR.ism_rt60(size, absorption))


@pytest.mark.parametrize("target", [0.25, 0.45, 0.7])
def test_rt60_mode_hits_the_drawn_reverberation_time(target: float) -> None:
    transform = AA.RoomSimulator(
        calculation_mode="rt60",
        min_target_rt60=target,
        max_target_rt60=target,
        min_mic_distance=1.5,
        max_mic_distance=2.0,
        max_ir_duration=1.5,
        p=1.0,
    )  # a distant microphone: T20 starts at -5 dB, past the direct sound
    impulse = np.zeros((1, 64), np.float32)
    impulse[0, 0] = 1.0
    for seed in (0, 1):
        out = transform(audio=impulse, sample_rate=SR, rng=seed, record=True)
        params = out["applied"][0]["params"]
        assert params["target_rt60"] == target and params["rt60"] == pytest.approx(target, rel=1e-6)
        measured = schroeder_rt60(out["audio"][0], SR)
        assert abs(measured / target - 1) < 0.15, (measured, target, params)


def test_room_simulator_geometry_and_output() -> None:
    transform = AA.RoomSimulator(p=1.0)
    x = np.concatenate([speech(0.5), speech(0.5)])
    for seed in range(8):
        out = transform(audio=x, sample_rate=SR, rng=seed, record=True)
        params = json.loads(json.dumps(out["applied"][0]["params"]))
        size, source, mic = params["size"], params["source"], params["mic"]
        assert 3.6 <= size[0] <= 5.6 and 3.6 <= size[1] <= 3.9 and 2.4 <= size[2] <= 3.0
        assert 0.075 <= params["absorption"] <= 0.4
        for s, m, e in zip(source, mic, size, strict=True):
            assert 0.1 - 1e-9 <= s <= e - 0.1 + 1e-9 and 0.1 - 1e-9 <= m <= e - 0.1 + 1e-9
        assert math.dist(source, mic) <= 0.35 + 1e-9
        assert params["duration"] <= 1.0
        ir = FR.room_impulse_response(SR, size, source, mic, params["absorption"], params["duration"])
        assert out["audio"].shape == (2, x.shape[1] + len(ir) - 1)
        np.testing.assert_array_equal(out["audio"][0], out["audio"][1])  # one response for every channel
        np.testing.assert_allclose(out["audio"], FA.convolve_ir(x, ir, False), atol=1e-7)
    same = AA.RoomSimulator(leave_length_unchanged=True, p=1.0)(audio=x, sample_rate=SR, rng=0)["audio"]
    assert same.shape == x.shape


def test_max_order_limits_reflections() -> None:
    args = (SR, (5.0, 4.0, 3.0), (1.2, 1.5, 1.4), (3.1, 2.2, 1.7), 0.1, 0.2)
    direct_only = FR.room_impulse_response(*args, max_order=0)
    first = FR.room_impulse_response(*args, max_order=1)
    full = FR.room_impulse_response(*args)
    anechoic = FR.room_impulse_response(*args[:4], 1.0, args[5])
    np.testing.assert_allclose(direct_only, anechoic, atol=1e-7)
    energy = [float((h.astype(np.float64) ** 2).sum()) for h in (direct_only, first, full)]
    assert energy[0] < energy[1] < energy[2]


def test_reverberation_formulas() -> None:
    size = (5.0, 4.0, 3.0)
    assert FR.eyring_rt60(size, 0.2) < FR.sabine_rt60(size, 0.2)
    assert FR.inverse_sabine(FR.sabine_rt60(size, 0.3), size) == pytest.approx(0.3)
    assert FR.absorption_for_rt60(FR.ism_rt60(size, 0.25), size) == pytest.approx(0.25)
    assert FR.ism_rt60(size, 1.0) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"min_size_x": 0.0}, r"RoomSimulator: argument 'min_size_x' expects a number > 0"),
        (
            {"min_absorption_value": 0.5, "max_absorption_value": 0.2},
            r"'min_absorption_value' expects a number <= max_absorption_value",
        ),
        ({"max_absorption_value": 1.5}, r"'max_absorption_value' expects a finite number in \[0.0, 1.0\]"),
        ({"calculation_mode": "sabine"}, r"'calculation_mode' expects one of 'absorption', 'rt60'"),
        ({"max_order": -1}, r"'max_order' expects an integer >= 0"),
        ({"min_target_rt60": 0.0}, r"'min_target_rt60' expects a number > 0"),
        ({"use_ray_tracing": True}, r"unknown argument 'use_ray_tracing'"),
    ],
)
def test_room_simulator_bad_arguments(kwargs: dict, pattern: str) -> None:
    with pytest.raises(ak.ArgumentError, match=pattern):
        AA.RoomSimulator(**kwargs)


# ---------------------------------------------------------------------------------------------
# Air absorption


def test_iso9613_matches_published_attenuation() -> None:
    # ISO 9613-2 Table 2 (dB/km at the exact octave mid-band frequencies, 101.325 kPa)
    bands = 1000.0 * 10.0 ** (0.3 * np.arange(-4, 4))  # 63 Hz ... 8 kHz
    table = {
        (10.0, 70.0): [0.1, 0.4, 1.0, 1.9, 3.7, 9.7, 32.8, 117.0],
        (20.0, 70.0): [0.1, 0.3, 1.1, 2.8, 5.0, 9.0, 22.9, 76.6],
        (30.0, 70.0): [0.1, 0.3, 1.0, 3.1, 7.4, 12.7, 23.1, 59.3],
        (15.0, 20.0): [0.3, 0.6, 1.2, 2.7, 8.2, 28.2, 88.8, 202.0],
        (15.0, 50.0): [0.1, 0.5, 1.2, 2.2, 4.2, 10.8, 36.2, 129.0],
        (15.0, 80.0): [0.1, 0.3, 1.1, 2.4, 4.1, 8.3, 23.7, 82.8],
    }
    for (temperature, humidity), expected in table.items():
        ours = FA.iso9613_absorption(bands, temperature, humidity) * 1000.0
        np.testing.assert_allclose(ours, expected, rtol=0.015, atol=0.06, err_msg=f"{temperature} C, {humidity} %")


def measured_gain_db(x: np.ndarray, y: np.ndarray, rate: int, freqs: list[float]) -> np.ndarray:
    f, pxy = signal.csd(x[0], y[0], rate, nperseg=2048)
    _, pxx = signal.welch(x[0], rate, nperseg=2048)
    return np.interp(freqs, f, 20 * np.log10(np.abs(pxy / pxx)))


def test_air_absorption_follows_iso_and_grows_with_distance() -> None:
    rate = 44100
    x = np.random.default_rng(0).standard_normal((1, 4 * rate)).astype(np.float32)
    freqs = [100.0, 2000.0, 6000.0, 10000.0, 16000.0]
    gains = {}
    for distance in (10.0, 100.0):
        transform = AA.AirAbsorption(
            min_temperature=20.0,
            max_temperature=20.0,
            min_humidity=50.0,
            max_humidity=50.0,
            min_distance=distance,
            max_distance=distance,
            p=1.0,
        )
        y = transform(audio=x, sample_rate=rate, rng=0)["audio"]
        assert y.shape == x.shape and y.dtype == np.float32
        gains[distance] = measured_gain_db(x, y, rate, freqs)
        expected = -FA.iso9613_absorption(freqs, 20.0, 50.0) * distance
        np.testing.assert_allclose(gains[distance], expected, atol=0.5 if distance == 100.0 else 0.2)
    assert np.all(np.diff(gains[100.0]) < 0)  # more loss at higher frequencies
    assert np.all(gains[100.0][1:] < gains[10.0][1:] - 0.5)  # and with distance
    assert abs(gains[100.0][0]) < 0.1


def test_air_absorption_draws_and_zero_phase() -> None:
    transform = AA.AirAbsorption(p=1.0)
    x = np.zeros((1, 4096), np.float32)
    x[0, 2000] = 1.0
    for seed in range(10):
        out = transform(audio=x, sample_rate=48000, rng=seed, record=True)
        params = out["applied"][0]["params"]
        assert (
            10.0 <= params["temperature"] <= 20.0 and 30.0 <= params["humidity"] <= 90.0 and 10.0 <= params["distance"] <= 100.0
        )
        assert int(np.argmax(out["audio"][0])) == 2000  # no delay
    with pytest.raises(
        ak.ArgumentError, match=r"AirAbsorption: argument 'max_temperature' expects a finite number in \[-20.0, 50.0\]"
    ):
        AA.AirAbsorption(max_temperature=60.0)
    with pytest.raises(ak.ArgumentError, match=r"'min_distance' expects a number <= max_distance"):
        AA.AirAbsorption(min_distance=50.0, max_distance=5.0)
