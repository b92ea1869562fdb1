"""DataSourceError: one sentence saying which dataset, which source, why, and what to do."""

from genzoo.data import DataSourceError


def test_the_message_names_the_dataset_the_source_the_reason_and_the_fix():
    err = DataSourceError("mnist", "official", "the file is corrupt.", "download it again.")
    assert str(err) == "Cannot load dataset 'mnist' from source 'official': the file is corrupt. What to do: download it again."
    assert (err.dataset, err.source, err.why, err.todo) == ("mnist", "official", "the file is corrupt.", "download it again.")
    assert isinstance(err, RuntimeError)


def test_without_a_fix_the_message_ends_with_the_reason():
    assert str(DataSourceError("faces", "folder", "no images")) == "Cannot load dataset 'faces' from source 'folder': no images."
