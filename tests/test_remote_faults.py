"""Faults in a DVC remote: an object tampered with, a push killed half-way, an object gone.

Each test pushes one model's own outputs (gan_mlp's training and evaluation stages: networks,
checkpoints, logs, samples and figures) to its own local-directory remote, damages the remote as
the fault would, and pulls into a fresh clone. What DVC does, as these tests pin it down:

- An object is trusted by its name. Without `verify`, a tampered object is pulled and checked out
  silently; with `verify = true` it is hashed on download and refused.
- A directory's `.dir` object in the remote is taken as proof that all its files are there, and
  DVC uploads it only after all of them. So a killed push resumes when run again, but a file
  object deleted or damaged later is invisible to `dvc status --cloud` and `dvc push`: the repair
  deletes that directory's `.dir` object (and the damaged object) from the remote, then pushes.
"""

import hashlib
import json
import re
import signal

import pytest
import yaml

from genzoo import files
from smoke import BIN, DVC, copy_repo, dvc_json, run

pytestmark = pytest.mark.e2e

TARGETS = ("train@gan_mlp", "evaluate@gan_mlp")
# The output whose object each fault damages, and the file in it.
DAMAGED, DAMAGED_FILE = "models/gan_mlp", files.GENERATOR


@pytest.fixture(scope="module")
def source(smoke_baseline, tmp_path_factory):
    return copy_repo(smoke_baseline[0], tmp_path_factory.mktemp("remote-faults") / "source")


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _outputs(repo):
    """{path: md5 of its .dir object} of the targets' outputs that the remote carries."""
    lock = yaml.safe_load((repo / "dvc.lock").read_text())["stages"]
    outs = {out["path"]: out["md5"] for stage in TARGETS for out in lock[stage]["outs"]}
    return {path: md5 for path, md5 in outs.items() if md5.endswith(".dir")}


def _object(odb, md5):
    """Where a remote (or a repository's .dvc/cache) keeps an object."""
    return odb / "files" / "md5" / md5[:2] / md5[2:]


def _listing(repo, dir_md5):
    """{relative path: md5} of a directory output, read from the repository's cache."""
    return {e["relpath"]: e["md5"] for e in json.loads(_object(repo / ".dvc" / "cache", dir_md5).read_text())}


def _expected_objects(repo):
    """Every object name a complete push of the targets leaves in the remote."""
    names = set()
    for dir_md5 in _outputs(repo).values():
        names |= {dir_md5, *_listing(repo, dir_md5).values()}
    return names


OBJECT_NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{30}(\.dir)?")


def _objects(store):
    """{object name: path} of what the remote can serve: the files named like objects."""
    root = store / "files" / "md5"
    paths = (p for p in root.rglob("*") if p.is_file())
    return {p.parent.name + p.name: p for p in paths if OBJECT_NAME.fullmatch(p.relative_to(root).as_posix())}


def _others(store):
    """Files in the remote that are not objects: what an interrupted upload leaves."""
    return {p for p in store.rglob("*") if p.is_file()} - set(_objects(store).values())


def _remote(repo, name, url, **options):
    run([DVC, "remote", "add", "-f", name, url], repo)
    for key, value in options.items():
        run([DVC, "remote", "modify", name, key, value], repo)


def _push(source, name, store):
    _remote(source, name, store)
    run([DVC, "push", "-r", name, *TARGETS], source, timeout=300)
    return store


def _clone(source, dest, name, store, **options):
    run(["git", "clone", "-q", source, dest], source.parent)
    _remote(dest, name, store, **options)
    return dest


def _pull(clone, name, *flags):
    result = run([DVC, "pull", "-r", name, *flags, *TARGETS], clone, check=False, timeout=300)
    return result.returncode, result.stdout + result.stderr


def _assert_same_outputs(clone, source, outputs):
    for output in outputs:
        assert _files(clone / output) == _files(source / output), output


def _overwrite(path, data):
    path.chmod(0o644)  # DVC may have written it read-only
    path.write_bytes(data)


def test_a_tampered_object_is_refused_only_with_verify(source, tmp_path):
    store = _push(source, "tamper", tmp_path / "store")
    outputs = _outputs(source)
    obj = _object(store, _listing(source, outputs[DAMAGED])[DAMAGED_FILE])
    good = obj.read_bytes()
    # Same name, same size, one byte changed: what a bad disk or a malicious writer leaves.
    middle = len(good) // 2
    bad = good[:middle] + bytes([good[middle] ^ 0xFF]) + good[middle + 1:]
    _overwrite(obj, bad)

    # Without verify DVC takes the object's name for its hash: the pull succeeds, the damaged
    # file is checked out, and even `dvc data status` calls the workspace clean (checkout records
    # the name's hash as the file's).
    trusting = _clone(source, tmp_path / "trusting", "tamper", store)
    returncode, output = _pull(trusting, "tamper")
    assert returncode == 0, output
    assert (trusting / DAMAGED / DAMAGED_FILE).read_bytes() == bad
    assert DAMAGED not in json.dumps(dvc_json(["data", "status", "--granular"], trusting))

    # With verify = true each downloaded object is hashed: the damaged one is dropped from the
    # cache and its output is not checked out; the other outputs are.
    checking = _clone(source, tmp_path / "checking", "tamper", store, verify="true")
    returncode, output = _pull(checking, "tamper")
    assert returncode != 0, output
    assert f"ERROR: failed to pull data from the cloud - Checkout failed for following targets:\n{DAMAGED}\n" in output
    assert not (checking / DAMAGED).exists()
    assert not _object(checking / ".dvc" / "cache", obj.parent.name + obj.name).exists()
    _assert_same_outputs(checking, source, [o for o in outputs if o != DAMAGED])
    # That message never says "corrupt" (so the README sends users to -v): only -v names the
    # object that failed its hash.
    assert "corrupt" not in output.lower()
    returncode, verbose = _pull(checking, "tamper", "-v")
    assert returncode != 0
    corrupted = [line for line in verbose.splitlines() if "corrupted cache file" in line]
    assert len(corrupted) == 1 and f"{obj.parent.name}/{obj.name}" in corrupted[0], verbose

    # Pushing again repairs nothing: the name is in the remote, so DVC uploads nothing.
    assert dvc_json(["status", "--cloud", "-r", "tamper", *TARGETS], source) == {}
    # The repair: delete the damaged object and its directory's .dir object, push again.
    obj.unlink()
    _object(store, outputs[DAMAGED]).unlink()
    run([DVC, "push", "-r", "tamper", *TARGETS], source, timeout=300)
    assert obj.read_bytes() == good
    returncode, output = _pull(checking, "tamper")
    assert returncode == 0, output
    _assert_same_outputs(checking, source, outputs)


# `dvc push` in a process that SIGKILLs itself half-way through writing an object, once
# KILL_AFTER objects have been written. These objects (under 2 MB) all land within about a second
# of DVC's start: killing from outside once a poll of the remote sees some would race the push,
# which can finish between two polls. So the kill comes from inside, at a fixed point (with one
# upload at a time, -j 1), but it is a real SIGKILL of the real push: no cleanup, no exception
# handler runs.
KILLED_PUSH = """
import itertools, os, signal, sys
import dvc_objects.fs.local as local
from dvc.cli import main

KILL_AFTER = int(sys.argv.pop(1))
started = itertools.count()
copyfile = local.copyfile

def copy_then_die(src, dest, callback=None, **kwargs):
    if next(started) == KILL_AFTER:
        with open(src, "rb") as f, open(dest, "wb") as out:
            data = f.read()
            out.write(data[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)
    return copyfile(src, dest, callback=callback, **kwargs)

local.copyfile = copy_then_die
sys.exit(main(sys.argv[1:]))
"""


def _hash_of(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_a_push_killed_half_way_resumes_when_run_again(source, tmp_path):
    store = tmp_path / "store"
    _remote(source, "killed", store)
    expected = _expected_objects(source)
    kill_after = len(expected) // 2
    killed = run([BIN / "python", "-c", KILLED_PUSH, kill_after, "push", "-j", "1", "-r", "killed", *TARGETS],
                 source, check=False, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    arrived = _objects(store)
    assert len(arrived) == kill_after and set(arrived) < expected
    # The object it was writing is half there, under a temporary name (".<token>.tmp").
    partial = _others(store)
    assert len(partial) == 1
    # A .dir object went up only after all its directory's files: what lets a new push resume.
    for name, path in arrived.items():
        if name.endswith(".dir"):
            assert {e["md5"] for e in json.loads(path.read_text())} <= set(arrived), name
    assert dvc_json(["status", "--cloud", "-r", "killed", *TARGETS], source) != {}

    run([DVC, "push", "-r", "killed", *TARGETS], source, timeout=300)
    assert dvc_json(["status", "--cloud", "-r", "killed", *TARGETS], source) == {}
    objects = _objects(store)
    assert set(objects) == expected
    # Every object DVC would serve holds what its name says; the half-written file stays behind
    # under its temporary name, which is no object's.
    assert {name: _hash_of(path) for name, path in objects.items()} == {name: name.removesuffix(".dir") for name in objects}
    assert _others(store) == partial

    clone = _clone(source, tmp_path / "clone", "killed", store, verify="true")
    returncode, output = _pull(clone, "killed")
    assert returncode == 0, output
    _assert_same_outputs(clone, source, _outputs(source))


def test_an_object_missing_from_the_remote(source, tmp_path):
    store = _push(source, "missing", tmp_path / "store")
    outputs = _outputs(source)
    missing = _listing(source, outputs[DAMAGED])[DAMAGED_FILE]
    obj = _object(store, missing)
    obj.unlink()

    clone = _clone(source, tmp_path / "clone", "missing", store)
    returncode, output = _pull(clone, "missing")
    assert returncode != 0, output
    # DVC names the object's hash and the remote path it lacks, not the output or file.
    assert f"ERROR: failed to transfer '{missing}' - [Errno 2] No such file or directory" in output
    assert "ERROR: failed to pull data from the cloud - 2 files failed to download" in output
    assert DAMAGED not in output
    # A failed download stops the pull before checkout: no output is checked out, though all
    # the others are now in the cache; `dvc checkout` puts them in place and names the one
    # it cannot.
    assert not any((clone / o).exists() for o in outputs)
    checkout = run([DVC, "checkout", *TARGETS], clone, check=False, timeout=300)
    assert checkout.returncode != 0
    assert f"Checkout failed for following targets:\n{DAMAGED}\n" in checkout.stderr
    _assert_same_outputs(clone, source, [o for o in outputs if o != DAMAGED])

    # The source sees nothing missing: the directory's .dir object is in the remote, so DVC
    # takes all its files to be there and pushing again uploads nothing.
    assert dvc_json(["status", "--cloud", "-r", "missing", *TARGETS], source) == {}
    assert "Everything is up to date." in run([DVC, "push", "-r", "missing", *TARGETS], source, timeout=300).stdout
    assert not obj.exists()
    # The repair: delete that .dir object from the remote too, push again.
    _object(store, outputs[DAMAGED]).unlink()
    run([DVC, "push", "-r", "missing", *TARGETS], source, timeout=300)
    assert _hash_of(obj) == missing
    returncode, output = _pull(clone, "missing")
    assert returncode == 0, output
    _assert_same_outputs(clone, source, outputs)
