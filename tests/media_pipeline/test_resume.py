"""What a later attempt may adopt from a dead one's ladder (``media_pipeline.resume``)."""

from __future__ import annotations

import json
import os
import time
from fractions import Fraction

import pytest

from media_pipeline import resume
from tests.media_pipeline.conftest import generate

RATE = Fraction(25)


@pytest.fixture(scope="module")
def fragmented_picture(tmp_path_factory):
    """4 s of picture as the pipeline writes a rung: fragmented, a keyframe every 2 s."""
    return generate(
        tmp_path_factory.mktemp("resume") / "rung.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=4",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-keyint_min", "50",
        "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*2)",
        "-movflags", "+frag_keyframe+empty_moov+default_base_moof",
    )  # fmt: skip


def test_complete_fragments_on_the_keyframe_grid_are_adopted(fragmented_picture):
    file = resume.read_fragmented(fragmented_picture)
    assert [f.frames for f in file.fragments] == [50, 50]
    assert resume.verified_count(file, RATE) == 2
    # A resumed run's fragments count from its own start: moved to their place, they fit.
    assert resume.verified_count(file, RATE, offset=1) == 2
    # Made at another frame rate, they are not where that grid puts them.
    assert resume.verified_count(file, Fraction(30)) == 0


def test_a_fragment_cut_off_by_a_kill_is_left_out(fragmented_picture, tmp_path):
    data = fragmented_picture.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) - 2000])
    assert len(resume.read_fragmented(cut).fragments) == 1


def test_resume_folder_of_a_live_attempt_is_not_taken_and_a_dead_ones_is(tmp_path):
    recipe = {"source": "abc", "rungs": [[1, "mp4|height-360", "r1"]]}
    name = resume.folder_name("host", 7, "video")
    folder = tmp_path / name
    folder.mkdir()
    (folder / resume.RECIPE_FILE).write_text(json.dumps(recipe, sort_keys=True))
    (folder / "rung-1.mp4").write_bytes(b"work")
    # Process 1 runs and started before this claim: its attempt may still write here.
    (folder / resume.HOLDER_FILE).write_text(f"1 {time.time():.0f}")
    assert resume.take_folder(tmp_path, name, recipe) is None
    (folder / resume.HOLDER_FILE).write_text("999999999 0")  # gone
    assert resume.take_folder(tmp_path, name, recipe) == folder
    assert (folder / "rung-1.mp4").read_bytes() == b"work"
    assert (folder / resume.HOLDER_FILE).read_text().split()[0] == str(os.getpid())


def test_resume_folder_made_by_another_recipe_starts_empty(tmp_path):
    name = resume.folder_name("host", 7, "video")
    folder = resume.take_folder(tmp_path, name, {"source": "old"})
    (folder / "rung-1.mp4").write_bytes(b"work")
    resume.release_folder(folder)
    assert resume.take_folder(tmp_path, name, {"source": "new"}) == folder
    assert not (folder / "rung-1.mp4").exists()


def test_only_resuming_further_than_before_counts_as_progress(tmp_path):
    """An input that kills its worker at the same place every time makes no progress."""
    assert resume.advance(tmp_path, 3)
    assert not resume.advance(tmp_path, 3)
    assert not resume.advance(tmp_path, 2)
    assert resume.advance(tmp_path, 5)
