"""A single-node Apache Kafka 4.x broker in KRaft combined mode, from Maven Central jars and local Java.

Jars are fetched once by Maven (`deploy/local/kafka/pom.xml`) into a cache shared by every checkout, then
the broker runs as `java kafka.Kafka` with a per-state-dir log directory. Facts: tech-reference §6.
"""

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.localinfra.processes import log_tail, port_open, stop_pid, wait_for_server

KAFKA_VERSION = "4.1.1"
DEPLOY_DIR = Path(__file__).resolve().parents[2] / "deploy" / "local" / "kafka"


def jars_dir(cache_dir: Path) -> Path:
    return cache_dir / f"kafka-{KAFKA_VERSION}" / "libs"


def fetch_jars(cache_dir: Path) -> Path:
    """Download the broker's jars with Maven once; later calls reuse the cache."""
    libs = jars_dir(cache_dir)
    if (libs / f"kafka_2.13-{KAFKA_VERSION}.jar").exists():
        return libs
    if shutil.which("mvn") is None:
        raise RuntimeError("Maven (mvn) is needed once to fetch the Kafka jars from Maven Central")
    partial = libs.with_name("libs.partial")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"Fetching the Apache Kafka {KAFKA_VERSION} jars from Maven Central into {libs.parent} (once; a minute "
          "or two)…", file=sys.stderr, flush=True)
    subprocess.run(  # batch mode, with Maven's per-artifact lines as progress
        ["mvn", "-B", "-f", str(DEPLOY_DIR / "pom.xml"), "dependency:copy-dependencies",
         f"-Dkafka.version={KAFKA_VERSION}", f"-DoutputDirectory={partial}", "-DincludeScope=runtime"],
        check=True,
    )
    partial.rename(libs)
    return libs


@dataclass(frozen=True)
class LocalKafka:
    """One broker's files under `home`, listening on loopback `port` (controller on `controller_port`)."""

    home: Path
    port: int
    controller_port: int

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _write_config(self) -> Path:
        props = (DEPLOY_DIR / "server.properties.template").read_text().format(
            port=self.port, controller_port=self.controller_port, log_dirs=self.home / "data")
        path = self.home / "server.properties"
        path.write_text(props)
        return path

    def start(self, cache_dir: Path, *, heap: str = "512m") -> int:
        """Format storage on first use, start the broker, wait until it accepts connections; return its pid."""
        libs = fetch_jars(cache_dir)
        self.home.mkdir(parents=True, exist_ok=True)
        config = self._write_config()
        java = ["java", "-cp", f"{libs}/*", f"-Dlog4j2.configurationFile={DEPLOY_DIR / 'log4j2.properties'}",
                f"-Dkafka.logs.dir={self.home / 'logs'}"]
        if not (self.home / "data" / "meta.properties").exists():
            cluster_id = subprocess.run([*java, "kafka.tools.StorageTool", "random-uuid"], check=True,
                                        capture_output=True, text=True).stdout.strip().splitlines()[-1]
            subprocess.run([*java, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(config)],
                           check=True, capture_output=True, text=True)
        with open(self.home / "stdout.log", "ab") as out:
            proc = subprocess.Popen([*java, f"-Xmx{heap}", f"-Xms{heap}", "-XX:+UseG1GC",
                                     "-Djava.awt.headless=true", "kafka.Kafka", str(config)],
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_server(proc, lambda: port_open(self.port) and self._started(), timeout=180, what="Kafka",
                        last_words=self.last_words)
        return proc.pid

    def last_words(self, lines: int = 15) -> str:
        """The end of the broker's console and server logs."""
        return "\n".join(f"--- {log.name}\n{log_tail(log, lines)}"
                         for log in (self.home / "stdout.log", self.home / "logs" / "server.log"))

    def _started(self) -> bool:
        log = self.home / "logs" / "server.log"
        return log.exists() and "Kafka Server started" in log.read_text(errors="replace")

    @staticmethod
    def stop(pid: int | None) -> None:
        stop_pid(pid, timeout=30)
