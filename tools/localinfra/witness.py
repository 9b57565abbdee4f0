"""An optional local witness: transparency-dev's omniwitness (c2sp.org/tlog-witness), built once from the Go
module proxy with the machine's Go, configured to witness this stack's audit log, started and stopped by pid.

It is theirs, not ours: it keeps the last checkpoint it cosigned for the log (sqlite, in its own folder) and
cosigns a new one only with a valid consistency proof, so the audit log's controller cannot rewrite history
without the witness refusing.
"""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.localinfra.processes import log_tail, port_open, stop_pid, wait_for_server

MODULE = "github.com/transparency-dev/witness"
VERSION = "v0.0.0-20260720115447-2e1c6971d19e"
NAME = "witness.frontdoor.example/local"  # the witness's key name (a schema-less URL, as the spec asks)
GO_ENV = {"GOTOOLCHAIN": "local"}  # the machine's Go, never a downloaded toolchain


def fetch_witness(cache_dir: Path) -> Path:
    """`go install` the witness and its key generator once into the cache; later calls reuse them."""
    bin_dir = cache_dir / f"witness-{VERSION}" / "bin"
    if (bin_dir / "omniwitness").exists() and (bin_dir / "generate_keys").exists():
        return bin_dir
    go = shutil.which("go")
    if go is None:
        raise RuntimeError("Go is needed once to build the witness from the Go module proxy")
    print(f"Building transparency-dev's witness {VERSION} from the Go module proxy (once; about a minute)…",
          file=sys.stderr, flush=True)
    subprocess.run([go, "install", f"{MODULE}/cmd/omniwitness@{VERSION}", f"{MODULE}/cmd/generate_keys@{VERSION}"],
                   check=True, env=os.environ | GO_ENV | {"GOBIN": str(bin_dir)})
    return bin_dir


@dataclass(frozen=True)
class LocalWitness:
    """The witness's key, database and configuration under `home`, listening on loopback `port`."""

    home: Path
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def verifier_key(self) -> str:
        """The witness's cosignature/v1 note verifier key: what `audit verify` checks cosignatures with."""
        return (self.home / "witness.pub").read_text().strip()

    def start(self, cache_dir: Path, log_verifier_key: str) -> int:
        """Make the witness's key on first use, trust `log_verifier_key` for the log it names (a note verifier
        key begins with its log's origin), start it, wait until it listens; return its pid."""
        origin = log_verifier_key.split("+", 1)[0]
        bins = fetch_witness(cache_dir)
        self.home.mkdir(parents=True, exist_ok=True)
        if not (self.home / "witness.sec").exists():
            subprocess.run([str(bins / "generate_keys"), "--origin", NAME, "--out_priv", str(self.home / "witness.sec"),
                            "--out_pub", str(self.home / "witness.pub")], check=True, capture_output=True)
            (self.home / "witness.sec").chmod(0o600)
        logs = self.home / "logs.yaml"
        logs.write_text(f"Logs:\n  - Origin: {origin}\n    PublicKey: {log_verifier_key}\n"
                        f"    URL: http://127.0.0.1/audit\n")
        with open(self.home / "witness.log", "ab") as out:
            proc = subprocess.Popen([str(bins / "omniwitness"), "--listen", f"127.0.0.1:{self.port}",
                                     "--metrics_listen", "", "--private_key_path", str(self.home / "witness.sec"),
                                     "--db_file", str(self.home / "witness.db"), "--additional_logs", str(logs)],
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_server(proc, lambda: port_open(self.port), timeout=30, what="the witness",
                        last_words=lambda: log_tail(self.home / "witness.log"))
        return proc.pid

    @staticmethod
    def stop(pid: int | None) -> None:
        stop_pid(pid, timeout=10)
