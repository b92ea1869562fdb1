"""CapsNet pictures: the pose tweaks, and the two figures written as PNG."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from genzoo.families.capsnet.figures import pose_figure, reconstruction_figure, tweak_poses  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def test_pose_tweaks_move_one_dimension_each():
    capsule = np.arange(4, dtype="float32")
    tweaked = tweak_poses(capsule, amount=0.25, steps=11)
    assert tweaked.shape == (4, 11, 4)
    change = tweaked - capsule
    np.testing.assert_allclose(change[2, :, 2], np.linspace(-0.25, 0.25, 11), atol=1e-7)
    assert np.count_nonzero(np.delete(change[2], 2, axis=-1)) == 0


def test_the_figures_are_written(tmp_path):
    rng = np.random.default_rng(0)
    images, recon = rng.random((4, 8, 8, 1)), rng.random((4, 8, 8, 1))
    reconstruction_figure(tmp_path / "r.png", images, recon, np.array([0, 1, 2, 1]), np.array([0, 1, 1, 1]),
                          ["a", "b", "c"], columns=2)
    pose_figure(tmp_path / "p.png", rng.random((2, 3, 11, 8, 8, 1)), ["first", "second"])
    for name in ("r.png", "p.png"):
        assert (tmp_path / name).read_bytes()[:8] == PNG
