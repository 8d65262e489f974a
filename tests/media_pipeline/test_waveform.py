import array

from media_pipeline import waveform
from media_pipeline.waveform import compute_peaks


def write_pcm(path, samples):
    path.write_bytes(array.array("h", samples).tobytes())
    return path


def test_peaks_follow_the_signal(tmp_path):
    samples = [0] * 1000 + [16000, -16000] * 500 + [0] * 1000
    peaks = compute_peaks(write_pcm(tmp_path / "a.pcm", samples), 3)
    assert peaks["data"] == [0.0, 0.0, -0.4883, 0.4883, 0.0, 0.0]
    assert peaks["length"] == 3


def test_chunked_reading_gives_the_same_peaks(tmp_path, monkeypatch):
    samples = [((i * 7919) % 65536) - 32768 for i in range(10_007)]
    path = write_pcm(tmp_path / "b.pcm", samples)
    whole = compute_peaks(path, 100)
    monkeypatch.setattr(waveform, "READ_SAMPLES", 333)
    assert compute_peaks(path, 100) == whole
    buckets = [[] for _ in range(100)]
    for index, sample in enumerate(samples):
        buckets[index * 100 // len(samples)].append(sample)
    expected = []
    for window in buckets:
        expected += [round(min(min(window), 0) / 32768, 4), round(max(max(window), 0) / 32767, 4)]
    assert whole["data"] == expected
