"""The file names inside stage outputs agree with the directories dvc.yaml declares."""

from pathlib import Path

import yaml

from genzoo import files

DVC = yaml.safe_load((Path(__file__).resolve().parents[1] / "dvc.yaml").read_text())["stages"]


def test_the_evaluate_stage_declares_the_two_directories_the_report_reads():
    stage = DVC["evaluate"]["do"]
    assert stage["outs"][:2] == [f"samples/${{key}}/{files.SAMPLE_DATA}", f"samples/${{key}}/{files.SAMPLE_FIGURES}"]
    assert f"--samples samples/${{key}}/{files.SAMPLE_DATA}" in stage["cmd"]
    assert f"--figures samples/${{key}}/{files.SAMPLE_FIGURES}" in stage["cmd"]


def test_file_names_are_distinct_plain_names():
    names = [value for key, value in vars(files).items() if key.isupper() and isinstance(value, str)]
    assert len(names) == len(set(names))
    assert all("/" not in name for name in names)


def test_every_plot_kind_is_a_json_file_of_sample_data():
    assert set(files.PLOT_KINDS) == {files.CONFUSION, files.SCATTER}
    assert all(name.endswith(".json") for name in files.PLOT_KINDS)
