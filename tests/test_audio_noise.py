"""Audio noise: Gaussian/SNR/coloured noise, background and short noises from files, and audio file I/O.

Levels are checked on real speech (CMU ARCTIC) with float64 RMS computed here; spectral slopes with
scipy's Welch PSD; A-weighting against the IEC 61672 table; file decoding against values written here.
"""

from __future__ import annotations

import json
import os
import pickle
import wave
from pathlib import Path

import numpy as np
import pytest
from scipy import signal, stats
from scipy.io import wavfile

import augkit as ak
from augkit.audio import io
from augkit.audio.background import AddBackgroundNoise, AddShortNoises, active_rms
from augkit.audio.functional import noise as FN
from augkit.audio.functional import resampling as FR
from augkit.audio.noise import AddColorNoise, AddGaussianNoise, AddGaussianSNR
from augkit.audio.time import Reverse
from augkit.samples import load_speech

RATE = 16000


def speech(seconds: float | None = None, channels: int = 1) -> np.ndarray:
    x, rate = load_speech()
    assert rate == RATE
    if seconds is not None:
        x = x[: int(seconds * RATE)]
    return np.ascontiguousarray(np.stack([np.roll(x, 400 * c) for c in range(channels)]))


def rms64(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.asarray(x, np.float64) ** 2)))


def snr_db(clean: np.ndarray, noisy: np.ndarray) -> float:
    return 20.0 * np.log10(rms64(clean) / rms64(np.asarray(noisy, np.float64) - clean))


def call(t: ak.BaseTransform, x: np.ndarray, rng: int = 0, **kw: object) -> np.ndarray:
    return t(audio=x, sample_rate=RATE, rng=rng, **kw)["audio"]


# ---------------------------------------------------------------------------------------------
# Gaussian noise


def test_gaussian_field_is_standard_normal_and_independent() -> None:
    z = FN.gaussian((2, 60001), seed=11).astype(np.float64)
    assert z.shape == (2, 60001) and np.isfinite(z).all()
    flat = z.reshape(-1)
    assert stats.kstest(flat, "norm").pvalue > 1e-3
    assert abs(stats.kurtosis(flat, fisher=False) - 3.0) < 0.1
    assert abs(np.corrcoef(z[0], z[1])[0, 1]) < 0.02  # channels independent
    assert abs(np.corrcoef(flat[:-1], flat[1:])[0, 1]) < 0.02  # no lag-1 correlation
    half = flat.size // 2  # the cosine and sine halves of Box-Muller are uncorrelated too
    assert abs(np.corrcoef(flat[:half], flat[half : 2 * half])[0, 1]) < 0.02
    np.testing.assert_array_equal(FN.gaussian((2, 60001), seed=11), FN.gaussian((2, 60001), seed=11))
    assert not np.array_equal(FN.gaussian((5,), seed=1), FN.gaussian((5,), seed=2))


@pytest.mark.parametrize("target", [0.0, 10.0, 25.0])
def test_gaussian_snr_on_speech(target: float) -> None:
    x = speech(channels=2)
    t = AddGaussianSNR(min_snr_db=target, max_snr_db=target, p=1.0)
    for seed in range(3):
        out = call(t, x, seed)
        assert out.dtype == np.float32 and out.shape == x.shape
        assert abs(snr_db(x, out) - target) < 0.5


def test_gaussian_snr_draws_inside_the_range_and_leaves_silence() -> None:
    t = AddGaussianSNR(min_snr_db=5.0, max_snr_db=40.0, p=1.0)
    drawn = [t(audio=speech(0.1), sample_rate=RATE, rng=s, record=True)["applied"][0]["params"]["snr_db"] for s in range(40)]
    assert min(drawn) >= 5.0 and max(drawn) <= 40.0 and max(drawn) - min(drawn) > 20.0
    silence = np.zeros((1, 1000), np.float32)
    np.testing.assert_array_equal(call(t, silence), silence)


def test_gaussian_noise_amplitude_and_channels() -> None:
    x = np.zeros((2, 200000), np.float32)
    out = call(AddGaussianNoise(min_amplitude=0.02, max_amplitude=0.02, p=1.0), x)
    assert abs(out.std() / 0.02 - 1.0) < 0.01 and abs(out.mean()) < 1e-3
    assert abs(np.corrcoef(out[0], out[1])[0, 1]) < 0.01
    record = AddGaussianNoise(p=1.0)(audio=x[:, :100], sample_rate=RATE, rng=3, record=True)["applied"][0]["params"]
    assert 0.001 <= record["amplitude"] <= 0.015 and isinstance(record["seed"], int)


def test_noise_replay_is_exact_and_paired_targets_get_the_same_noise() -> None:
    x = speech(0.5)
    for t in (AddGaussianNoise(p=1.0), AddGaussianSNR(p=1.0), AddColorNoise(p=1.0)):
        out = t(audio=x, sample_rate=RATE, rng=4, record=True)
        again = t.replay(json.loads(json.dumps(out["applied"])), audio=x, sample_rate=RATE)
        np.testing.assert_array_equal(again["audio"], out["audio"])
    pipe = ak.Compose([AddGaussianNoise(p=1.0)], additional_targets={"other": "audio"})
    out = pipe(audio=x, other=x.copy(), sample_rate=RATE, rng=5)
    np.testing.assert_array_equal(out["audio"], out["other"])


# ---------------------------------------------------------------------------------------------
# Coloured noise


def slope_db_per_octave(noise: np.ndarray, rate: int, band: tuple[float, float] = (100.0, 6000.0)) -> float:
    freqs, psd = signal.welch(np.asarray(noise, np.float64), fs=rate, nperseg=4096, axis=-1)
    psd = psd.mean(axis=0) if psd.ndim == 2 else psd
    keep = (freqs >= band[0]) & (freqs <= band[1])
    slope, _ = np.polyfit(np.log2(freqs[keep]), 10.0 * np.log10(psd[keep]), 1)
    return float(slope)


@pytest.mark.parametrize(("color", "expected"), [("white", 0.0), ("pink", -3.0), ("brown", -6.0), ("blue", 3.0), ("violet", 6.0)])
def test_color_noise_slope_and_snr_on_speech(color: str, expected: float) -> None:
    x = speech(channels=2)
    t = AddColorNoise(min_snr_db=12.0, max_snr_db=12.0, color=color, p=1.0)
    out = t(audio=x, sample_rate=RATE, rng=1, record=True)
    assert out["applied"][0]["params"]["color"] == color
    assert abs(snr_db(x, out["audio"]) - 12.0) < 0.5
    noise = out["audio"].astype(np.float64) - x
    assert abs(slope_db_per_octave(noise, RATE) - expected) < 1.0


@pytest.mark.parametrize("f_decay", [-4.5, 1.5])
def test_color_noise_kernel_follows_any_slope(f_decay: float) -> None:
    noise = FN.color_noise((1, 3 * 44100), f_decay, seed=2, sample_rate=44100)
    assert abs(rms64(noise) - 1.0) < 1e-4
    assert abs(slope_db_per_octave(noise, 44100, (60.0, 16000.0)) - f_decay) < 1.0


def test_a_weighting_matches_the_iec_table_and_shapes_the_noise() -> None:
    # IEC 61672-1 table (dB) at the exact base-10 mid-band frequencies of the nominal 31.5 Hz, 100 Hz, 1 kHz, 4 kHz, 10 kHz
    table = {10**1.5: -39.4, 100.0: -19.1, 1000.0: 0.0, 10**3.6: 1.0, 10000.0: -2.5}
    got = FN.a_weighting_db(np.array(list(table)))
    np.testing.assert_allclose(got, list(table.values()), atol=0.1)
    plain = FN.color_noise((1, 4 * RATE), 0.0, seed=3, sample_rate=RATE)
    weighted = FN.color_noise((1, 4 * RATE), 0.0, seed=3, sample_rate=RATE, a_weighting=True)
    freqs, p_plain = signal.welch(plain[0].astype(np.float64), fs=RATE, nperseg=2048)
    _, p_weighted = signal.welch(weighted[0].astype(np.float64), fs=RATE, nperseg=2048)
    ratio = 10 * np.log10(p_weighted / p_plain)
    at = {f: ratio[np.argmin(abs(freqs - f))] for f in (125.0, 1000.0)}
    assert abs((at[125.0] - at[1000.0]) - (FN.a_weighting_db(np.array([125.0]))[0])) < 1.0
    chosen = [
        AddColorNoise(p_apply_a_weighting=0.5, p=1.0)(audio=speech(0.05), sample_rate=RATE, rng=s, record=True) for s in range(30)
    ]
    flags = {entry["applied"][0]["params"]["a_weighting"] for entry in chosen}
    assert flags == {True, False}


def test_color_arguments() -> None:
    with pytest.raises(ak.ArgumentError, match=r"AddColorNoise: argument 'color' expects None, one of 'white'"):
        AddColorNoise(color="green")
    with pytest.raises(ak.ArgumentError, match="either 'color' or 'min_f_decay'"):
        AddColorNoise(color="pink", min_f_decay=-3.0)
    with pytest.raises(ak.ArgumentError, match=r"AddColorNoise: argument 'min_snr_db' expects a number <= max_snr_db"):
        AddColorNoise(min_snr_db=50.0, max_snr_db=40.0)
    t = AddColorNoise(color=["pink", "brown"], p=1.0)
    assert ak.from_dict(json.loads(json.dumps(t.to_dict()))).to_dict() == t.to_dict()
    names = {t(audio=speech(0.05), sample_rate=RATE, rng=s, record=True)["applied"][0]["params"]["color"] for s in range(20)}
    assert names == {"pink", "brown"}


# ---------------------------------------------------------------------------------------------
# Audio files


def write_wav(path: Path, rate: int, data: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wavfile.write(path, rate, data)
    return path


def test_load_audio_decodes_every_pcm_width(tmp_path: Path) -> None:
    values = np.array([-32768, -1, 0, 1, 16384, 32767], np.int16)
    io.clear_cache()
    cases = {
        "i16.wav": (values, values / 32768.0),
        "i32.wav": (values.astype(np.int32) << 16, values / 32768.0),
        "u8.wav": (np.array([0, 64, 128, 255], np.uint8), (np.array([0, 64, 128, 255]) - 128) / 128.0),
        "f32.wav": (np.array([-0.5, 0.25], np.float32), np.array([-0.5, 0.25])),
        "f64.wav": (np.array([0.125, -1.0]), np.array([0.125, -1.0])),
    }
    for name, (data, expected) in cases.items():
        out = io.load_audio(write_wav(tmp_path / name, 8000, data), 8000)
        assert out.dtype == np.float32 and out.shape == (1, len(expected)) and not out.flags.writeable
        np.testing.assert_array_equal(out[0], expected.astype(np.float32))
    # 24-bit PCM through the standard library's wave writer: little-endian 3-byte samples
    samples = np.array([-(2**23), -5, 0, 7, 2**23 - 1], np.int64)
    raw = b"".join(int(v).to_bytes(3, "little", signed=True) for v in samples)
    with wave.open(str(tmp_path / "i24.wav"), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(3)
        handle.setframerate(8000)
        handle.writeframes(raw)
    np.testing.assert_array_equal(io.load_audio(tmp_path / "i24.wav", 8000)[0], (samples / 2**23).astype(np.float32))


def test_load_audio_channels_resampling_and_cache(tmp_path: Path) -> None:
    io.clear_cache()
    t = np.arange(8000) / 8000.0
    stereo = np.stack([np.sin(2 * np.pi * 440 * t), 0.5 * np.sin(2 * np.pi * 440 * t)], axis=1).astype(np.float32)
    path = write_wav(tmp_path / "stereo.wav", 8000, stereo)
    native = io.load_audio(path, 8000)
    assert native.shape == (2, 8000)
    np.testing.assert_array_equal(native, stereo.T)
    up = io.load_audio(path, 16000)
    assert up.shape == (2, 16000)
    spectrum = np.abs(np.fft.rfft(up[0].astype(np.float64)))
    assert abs(np.argmax(spectrum) * 16000 / 16000 - 440.0) <= 1.0  # the tone stays at 440 Hz
    np.testing.assert_array_equal(up, FR.resample(native, 8000, 16000))  # the Resample transform's resampler
    assert io.load_audio(path, 16000) is up  # cached
    os.utime(path, ns=(1, 1))  # a changed modification time invalidates the entry
    assert io.load_audio(path, 16000) is not up
    io.clear_cache()
    with pytest.raises(FileNotFoundError, match="no such audio file"):
        io.load_audio(tmp_path / "missing.wav", 8000)
    assert io.match_channels(native[:1], 3).shape == (3, 8000)
    np.testing.assert_allclose(io.match_channels(native, 1)[0], stereo.mean(axis=1), rtol=1e-6)


def test_compressed_formats_need_soundfile(tmp_path: Path) -> None:
    pytest.importorskip("scipy")
    path = tmp_path / "sound.flac"
    path.write_bytes(b"fLaC")
    try:
        import soundfile  # noqa: F401
    except ImportError:
        with pytest.raises(ak.MissingDependencyError, match=r"pip install augkit\[audio\]"):
            io.read_audio(path)
    else:  # pragma: no cover - soundfile is an optional extra
        with pytest.raises(ak.ArgumentError, match="cannot decode"):
            io.read_audio(path)


def test_list_audio_files(tmp_path: Path) -> None:
    silent = np.zeros(100, np.int16)
    for name in ("b/z.wav", "a.WAV", "b/c.flac", "notes.txt", "c.ogg"):
        write_wav(tmp_path / name, 8000, silent) if name.lower().endswith(".wav") else (tmp_path / name).write_bytes(b"x")
    names = [p.relative_to(tmp_path).as_posix() for p in io.list_audio_files(tmp_path)]
    assert names == ["a.WAV", "b/c.flac", "b/z.wav", "c.ogg"]
    listed = io.list_audio_files([tmp_path / "c.ogg", tmp_path / "b"])
    assert [p.name for p in listed] == ["c.ogg", "c.flac", "z.wav"]
    with pytest.raises(ak.ArgumentError, match=r"AddBackgroundNoise: argument 'sounds_path' names .*missing.* does not exist"):
        AddBackgroundNoise(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ak.ArgumentError, match=r"argument 'sounds_path' contains no audio files"):
        AddBackgroundNoise(tmp_path / "empty")
    with pytest.raises(ak.ArgumentError, match=r"expects audio files ending in"):
        io.list_audio_files(tmp_path / "notes.txt")


# ---------------------------------------------------------------------------------------------
# Background noise


def test_background_noise_snr_on_speech() -> None:
    x = speech(channels=2)
    for target in (3.0, 15.0):
        t = AddBackgroundNoise(sounds_path=io.sample_noise_folder(), min_snr_db=target, max_snr_db=target, p=1.0)
        for seed in range(3):
            assert abs(snr_db(x, call(t, x, seed)) - target) < 0.5


def test_background_noise_is_looped_or_cropped_from_the_drawn_offset(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    short = (rng.standard_normal(3000) * 0.2).astype(np.float32)
    long = (rng.standard_normal(30000) * 0.2).astype(np.float32)
    for name, noise in (("short.wav", short), ("long.wav", long)):
        path = write_wav(tmp_path / name, RATE, noise)
        t = AddBackgroundNoise(
            sounds_path=path, noise_rms="absolute", min_absolute_rms_db=-20.0, max_absolute_rms_db=-20.0, p=1.0
        )
        x = speech(0.6)
        out = t(audio=x, sample_rate=RATE, rng=7, record=True)
        params = out["applied"][0]["params"]
        assert params["file"] == str(path) and params["index"] == 0
        offset, total = params["offset"], x.shape[-1]
        expected = np.tile(noise, 10)[offset : offset + total] if len(noise) < total else noise[offset : offset + total]
        if len(noise) < total:
            assert 0 <= offset < len(noise)
        else:
            assert 0 <= offset <= len(noise) - total
        expected = expected.astype(np.float64) * (0.1 / rms64(expected))  # -20 dBFS
        np.testing.assert_allclose(out["audio"][0] - x[0], expected, atol=2e-6)
        again = t.replay(json.loads(json.dumps(out["applied"])), audio=x, sample_rate=RATE)
        np.testing.assert_array_equal(again["audio"], out["audio"])


def test_background_noise_channels_rates_arrays_and_transform(tmp_path: Path) -> None:
    x = speech(0.25, channels=2)
    mono = AddBackgroundNoise(io.sample_noise_folder(), p=1.0)
    added = call(mono, x) - x
    np.testing.assert_allclose(added[0], added[1], atol=1e-6)  # a mono noise on both channels
    rng = np.random.default_rng(1)
    stereo_noise = (rng.standard_normal((RATE, 2)) * 0.1).astype(np.float32)
    path = write_wav(tmp_path / "st.wav", 8000, stereo_noise)  # 8 kHz file, used at 16 kHz
    t = AddBackgroundNoise(path, p=1.0)
    added = call(t, x) - x
    assert abs(np.corrcoef(added[0], added[1])[0, 1]) < 0.2  # its own noise per channel
    arrays = AddBackgroundNoise([stereo_noise.T.copy(), stereo_noise[:, 0].copy()], p=1.0)
    assert "2 arrays" in repr(arrays)
    assert call(arrays, x).shape == x.shape
    with pytest.raises(ak.ConfigError, match="holds numpy arrays, which a config cannot store"):
        arrays.to_dict()
    clone = pickle.loads(pickle.dumps(arrays))
    np.testing.assert_array_equal(call(clone, x, 3), call(arrays, x, 3))
    with pytest.raises(ak.ArgumentError, match="pass \\[array\\] for one sound"):
        AddBackgroundNoise(stereo_noise)
    # noise_transform: the noise segment is reversed before it is scaled
    flip = AddBackgroundNoise(
        path, noise_rms="absolute", min_absolute_rms_db=-30, max_absolute_rms_db=-30, noise_transform=Reverse(p=1.0), p=1.0
    )
    plain = flip.with_params(noise_transform=None)
    out = flip(audio=x, sample_rate=RATE, rng=2, record=True)
    params = {k: v for k, v in out["applied"][0]["params"].items() if k != "noise_seed"}
    reference = plain.replay([{**out["applied"][0], "params": params}], audio=x, sample_rate=RATE)["audio"] - x
    np.testing.assert_allclose(out["audio"] - x, reference[:, ::-1], atol=1e-6)
    rebuilt = ak.from_dict(json.loads(json.dumps(flip.to_dict())))
    np.testing.assert_array_equal(call(rebuilt, x, 5), call(flip, x, 5))
    silence = np.zeros((1, 500), np.float32)
    np.testing.assert_array_equal(call(mono, silence), silence)  # relative level: silence stays silent


def test_background_noise_bad_arguments() -> None:
    folder = io.sample_noise_folder()
    with pytest.raises(ak.ArgumentError, match=r"AddBackgroundNoise: argument 'noise_rms' expects one of 'relative', 'absolute'"):
        AddBackgroundNoise(folder, noise_rms="loud")
    with pytest.raises(ak.ArgumentError, match=r"argument 'max_absolute_rms_db' expects a finite number <= 0"):
        AddBackgroundNoise(folder, max_absolute_rms_db=3.0)
    with pytest.raises(ak.ArgumentError, match=r"argument 'noise_transform' expects None, an augkit audio transform"):
        AddBackgroundNoise(folder, noise_transform=ak.image.HorizontalFlip())
    with pytest.raises(ak.ArgumentError, match=r"argument 'sounds_path' expects float arrays"):
        AddBackgroundNoise([np.zeros(10, np.int16)])
    with pytest.raises(ak.ArgumentError, match="unknown argument 'lru_cache_size'"):
        AddBackgroundNoise(folder, lru_cache_size=2)


# ---------------------------------------------------------------------------------------------
# Short noises


def test_short_noises_placement_fades_and_level(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    burst = (rng.standard_normal(1600) * 0.3).astype(np.float32)  # 0.1 s
    path = write_wav(tmp_path / "burst.wav", RATE, burst)
    x = speech(2.0)
    t = AddShortNoises(
        path, min_snr_db=6.0, max_snr_db=6.0, min_time_between_sounds=0.4, max_time_between_sounds=0.6,
        burst_probability=0.0, min_fade_in_time=0.0, max_fade_in_time=0.0, min_fade_out_time=0.0, max_fade_out_time=0.0, p=1.0,
    )  # fmt: skip
    out = t(audio=x, sample_rate=RATE, rng=2, record=True)
    sounds = out["applied"][0]["params"]["sounds"]
    assert len(sounds) >= 2
    added = out["audio"][0].astype(np.float64) - x[0]
    covered = np.zeros(x.shape[-1], bool)
    for sound in sounds:
        lo, hi = max(sound["start"], 0), min(sound["start"] + len(burst), x.shape[-1])
        covered[lo:hi] = True
        if sound["start"] >= 0 and hi - lo == len(burst):  # a whole sound: exactly the file, at the SNR
            piece = added[lo:hi]
            np.testing.assert_allclose(piece / piece[np.argmax(abs(piece))], burst / burst[np.argmax(abs(piece))], atol=1e-4)
            assert abs(20 * np.log10(rms64(x) / rms64(piece)) - 6.0) < 0.5
    assert np.abs(added[~covered]).max() < 1e-7 and np.abs(added[covered]).max() > 0.01
    starts = [s["start"] for s in sounds]
    gaps = np.diff(starts) - len(burst)
    assert ((gaps >= 0.4 * RATE - 1) & (gaps <= 0.6 * RATE + 1)).all()
    again = t.replay(json.loads(json.dumps(out["applied"])), audio=x, sample_rate=RATE)
    np.testing.assert_array_equal(again["audio"], out["audio"])


def test_short_noises_fades_bursts_ducking_and_rms_modes(tmp_path: Path) -> None:
    tone = np.full(800, 0.5, np.float32)
    path = write_wav(tmp_path / "dc.wav", RATE, tone)
    x = np.full((1, RATE), 0.2, np.float32)
    t = AddShortNoises(
        path, noise_rms="absolute", min_absolute_noise_rms_db=-20.0, max_absolute_noise_rms_db=-20.0,
        min_fade_in_time=0.01, max_fade_in_time=0.01, min_fade_out_time=0.005, max_fade_out_time=0.005,
        min_time_between_sounds=0.2, max_time_between_sounds=0.2, burst_probability=0.0,
        signal_gain_db_during_noise=-100.0, p=1.0,
    )  # fmt: skip
    out = t(audio=x, sample_rate=RATE, rng=1, record=True)
    sound = next(s for s in out["applied"][0]["params"]["sounds"] if 0 <= s["start"] <= RATE - 800)
    piece = out["audio"][0, sound["start"] : sound["start"] + 800]
    envelope = FN.fade_envelope(800, 160, 80)
    np.testing.assert_allclose(piece, 0.1 * envelope + 0.2 * (1 - envelope), atol=1e-5)  # the signal ducks under it
    bursts = AddShortNoises(
        path, burst_probability=1.0, min_pause_factor_during_burst=0.5, max_pause_factor_during_burst=0.5, p=1.0
    )
    sounds = bursts(audio=x, sample_rate=RATE, rng=0, record=True)["applied"][0]["params"]["sounds"]
    assert np.diff([s["start"] for s in sounds]).tolist()[:5] == [400] * min(5, len(sounds) - 1)  # overlapping every half sound
    gappy = np.zeros((1, 4000), np.float32)
    gappy[0, :1024] = 0.5
    assert abs(active_rms(gappy) - 0.5) < 1e-6 and abs(FN.rms(gappy) - np.sqrt(0.25 * 1024 / 4000)) < 1e-6
    relative = AddShortNoises(path, noise_rms="relative", p=1.0)
    silence = np.zeros((1, 8000), np.float32)
    np.testing.assert_array_equal(call(relative, silence), silence)


def test_short_noises_bad_arguments() -> None:
    folder = io.sample_noise_folder()
    with pytest.raises(ak.ArgumentError, match=r"AddShortNoises: argument 'min_pause_factor_during_burst' expects a number > 0"):
        AddShortNoises(folder, min_pause_factor_during_burst=0.0)
    with pytest.raises(ak.ArgumentError, match=r"argument 'min_time_between_sounds' expects a number <= max_time_between_sounds"):
        AddShortNoises(folder, min_time_between_sounds=9.0)
    with pytest.raises(ak.ArgumentError, match=r"argument 'burst_probability' expects a probability"):
        AddShortNoises(folder, burst_probability=1.5)
    with pytest.raises(ak.ArgumentError, match=r"argument 'noise_rms' expects one of"):
        AddShortNoises(folder, noise_rms="relative_to_whole")
