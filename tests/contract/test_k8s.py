"""deploy/k8s/frontdoor.yaml agrees with the code and with itself: six Deployments with their run commands,
replicas that Kafka's partitions can all use (a consumer beyond the partition count idles), the same partition
count as docker-compose's topics and the code's default, and only environment variables the settings read.
There is no cluster here, so this is what keeps the manifests honest."""

import re

import yaml

from shared.settings import PlatformSettings
from tests.support.deployment import COMPOSE, ROOT, SETTINGS, env_names
from tools.runner import SERVICES

MANIFESTS = list(yaml.safe_load_all((ROOT / "deploy" / "k8s" / "frontdoor.yaml").read_text()))
CONFIG = next(m for m in MANIFESTS if m["kind"] == "ConfigMap")["data"]
DEPLOYMENTS = {m["metadata"]["name"].removeprefix("frontdoor-"): m for m in MANIFESTS if m["kind"] == "Deployment"}


def container(name: str) -> dict:
    return DEPLOYMENTS[name]["spec"]["template"]["spec"]["containers"][0]


def test_six_deployments_each_running_its_service():
    assert set(DEPLOYMENTS) == set(SERVICES)
    for name in SERVICES:
        assert container(name)["args"] == ["run", name]


def test_replicas_and_partitions_are_consistent():
    partitions = int(CONFIG["KAFKA_PARTITIONS"])
    assert partitions == PlatformSettings.model_fields["kafka_partitions"].default
    compose_partitions = re.findall(r"--partitions (\d+)", COMPOSE["services"]["kafka-init"]["command"][0])
    assert compose_partitions == [str(partitions)]
    for name, deployment in DEPLOYMENTS.items():
        assert 2 <= deployment["spec"]["replicas"] <= partitions, name  # two at least: one may die


def test_every_variable_set_is_one_the_service_reads():
    for name in SERVICES:
        known = env_names(SETTINGS[name])
        own = {variable["name"] for variable in container(name)["env"]}
        assert own <= known, own - known
        assert set(CONFIG) <= set().union(*(env_names(s) for s in SETTINGS.values())), set(CONFIG)


def test_probes_and_ports_match_the_service():
    for name in SERVICES:
        port = int(next(v["value"] for v in container(name)["env"] if v["name"] == f"{name.upper()}_PORT"))
        assert container(name)["ports"] == [{"containerPort": port}]
        assert container(name)["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": port}
