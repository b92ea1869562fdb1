"""Sharing through real DVC remotes: push, clone afresh, pull, and get the same model and metrics.

A local directory is always tested; SSH (sshd on loopback) and S3 (SeaweedFS on loopback) are
skipped, saying why, where their servers cannot start. Nothing here leaves the machine."""

import json

import pytest

from servers import S3_BUCKET, Unavailable, free_port, start_seaweedfs, start_sshd, stop
from smoke import DVC, cache_files, copy_repo, dvc_json, run

pytestmark = pytest.mark.e2e

# What a clone gets only through the remote: the trained networks and the scored samples.
SHARED_OUTPUTS = ("models/gan_mlp", "samples/gan_mlp/data")
# The SSH and S3 tests move one model's chain (its data, evaluator, networks and samples, about a
# fifth of the cache); the local-directory test moves everything.
GAN_MLP_CHAIN = ("evaluate@gan_mlp", "--with-deps")


@pytest.fixture(scope="module")
def source(smoke_baseline, tmp_path_factory):
    return copy_repo(smoke_baseline[0], tmp_path_factory.mktemp("remotes") / "source")


def _serve(start, folder, kind):
    """Start a server for a module's tests, or skip them saying why it cannot run here."""
    try:
        return start(folder)
    except Unavailable as why:
        pytest.skip(f"{kind} remote not tested: {why}")


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    server = _serve(start_sshd, tmp_path_factory.mktemp("sshd"), "SSH")
    yield server
    stop(server.process)


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    server = _serve(start_seaweedfs, tmp_path_factory.mktemp("seaweedfs"), "S3")
    yield server
    stop(server.process)


def _configure(repo, name, url, shared=None, secret=None):
    """Add a remote: `shared` options go to .dvc/config (committed), `secret` ones to
    .dvc/config.local (never committed)."""
    run([DVC, "remote", "add", "-f", name, url], repo)
    for key, value in (shared or {}).items():
        run([DVC, "remote", "modify", name, key, value], repo)
    for key, value in (secret or {}).items():
        run([DVC, "remote", "modify", "--local", name, key, value], repo)


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _share_and_clone(source, workdir, name, url, shared=None, secret=None, targets=()):
    """Push the source repository (or `targets`) to a new remote, clone it afresh, pull; return
    the clone."""
    _configure(source, name, url, shared, secret)
    run(["git", "add", ".dvc/config"], source)
    run(["git", "commit", "-qm", f"remote {name}"], source)
    # Secrets stay out of git: config.local is neither tracked nor shown as something to add.
    assert ".dvc/config.local" not in run(["git", "ls-files", ".dvc"], source).stdout
    assert "config.local" not in run(["git", "status", "--porcelain", "--untracked-files=all"], source).stdout

    run([DVC, "push", "-r", name, *targets], source)
    assert dvc_json(["status", "--cloud", "-r", name, *targets], source) == {}

    clone = workdir / "clone"
    run(["git", "clone", "-q", source, clone], workdir)
    if secret:
        _configure(clone, name, url, shared, secret)
    run([DVC, "pull", "-r", name, *targets], clone)
    # Clean: nothing to re-run, no output missing or different from the committed dvc.lock.
    assert dvc_json(["status", *targets], clone) == {}
    for output in SHARED_OUTPUTS:
        assert _files(clone / output) == _files(source / output), output
    return clone


def test_local_directory_remote_shares_a_model_that_scores_the_same(source, tmp_path):
    clone = _share_and_clone(source, tmp_path, "local", str(tmp_path / "store"))
    committed = json.loads((clone / "metrics/models/gan_mlp.json").read_text())
    run([DVC, "repro", "--force", "--single-item", "evaluate@gan_mlp"], clone)
    assert json.loads((clone / "metrics/models/gan_mlp.json").read_text()) == committed


def test_ssh_remote(source, sshd, tmp_path):
    url = f"ssh://{sshd.user}@127.0.0.1:{sshd.port}{tmp_path / 'store'}"
    _share_and_clone(source, tmp_path, "ssh", url, secret={"keyfile": str(sshd.key)}, targets=GAN_MLP_CHAIN)


def test_s3_compatible_remote(source, s3, tmp_path):
    _share_and_clone(source, tmp_path, "s3", f"s3://{S3_BUCKET}/genzoo",
                     shared={"endpointurl": s3.endpoint, "region": "us-east-1"},
                     secret={"access_key_id": s3.access_key, "secret_access_key": s3.secret_key},
                     targets=GAN_MLP_CHAIN)


def _local_state(repo):
    outputs = {output: _files(repo / output) for output in SHARED_OUTPUTS}
    return outputs, cache_files(repo)


def _assert_fails_clearly_and_keeps_everything(repo, name, expected):
    before = _local_state(repo)
    for command in ("push", "fetch"):
        result = run([DVC, command, "-r", name], repo, check=False, timeout=300)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert "ERROR" in output and any(text in output for text in expected), output
        assert "Traceback" not in output, output
    assert _local_state(repo) == before
    assert dvc_json(["status"], repo) == {}


def test_an_unreachable_remote_fails_clearly_and_loses_nothing(source):
    # Nothing listens on this loopback port.
    _configure(source, "unreachable", f"ssh://127.0.0.1:{free_port()}/store")
    _assert_fails_clearly_and_keeps_everything(source, "unreachable", ("Connect call failed", "Connection refused"))


def test_a_wrong_s3_credential_fails_clearly_and_loses_nothing(source, s3):
    _configure(source, "s3-bad-key", f"s3://{S3_BUCKET}/genzoo",
               shared={"endpointurl": s3.endpoint, "region": "us-east-1"},
               secret={"access_key_id": s3.access_key, "secret_access_key": "not-the-secret"})
    _assert_fails_clearly_and_keeps_everything(source, "s3-bad-key", ("Forbidden", "SignatureDoesNotMatch", "InvalidAccessKeyId"))


def test_a_wrong_ssh_key_fails_clearly_and_loses_nothing(source, sshd, tmp_path):
    # A key of the right kind that the server does not authorise.
    stranger = tmp_path / "stranger"
    run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger], tmp_path)
    _configure(source, "ssh-bad-key", f"ssh://{sshd.user}@127.0.0.1:{sshd.port}{tmp_path / 'store'}",
               secret={"keyfile": str(stranger)})
    _assert_fails_clearly_and_keeps_everything(source, "ssh-bad-key", ("Permission denied",))
