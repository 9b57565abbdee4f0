"""`frontdoor docs asyncapi`: the AsyncAPI 3.0 document of every topic and event, generated, not written.

FastStream builds it from the six services' brokers as their composition roots wire them (each subscriber,
its consumer group, and what each service declares it publishes); every message's payload is then taken from
the contract (`shared/events/catalogue.TOPIC_EVENTS`, the pydantic models), because subscribers here receive
raw bytes. The result is committed as `shared/events/asyncapi.json` (the services serve it at `/asyncapi`);
`--check` (run by tests/contract/test_asyncapi.py) fails when it no longer matches the code.
"""

import base64
import json
from pathlib import Path
from typing import Any

import typer
from faststream.specification import AsyncAPI
from opentelemetry.sdk.trace import TracerProvider
from pydantic.json_schema import models_json_schema

from shared.asyncapi_docs import DOCUMENT
from shared.events.catalogue import TOPIC_EVENTS, TOPIC_PURPOSE
from shared.events.topics import ALL_TOPICS
from tools.runner import SERVICES, builders, load_settings

docs_app = typer.Typer(help="Generated contract documents.", no_args_is_help=True)


@docs_app.callback()
def docs() -> None:
    """A group of commands (`frontdoor docs asyncapi`), not the one command it holds today."""


SERVERS = {"kafka": {"host": "kafka:9092", "protocol": "kafka", "description": "The broker (docker-compose's name; "
                                                                              "KAFKA_BOOTSTRAP_SERVERS elsewhere)."}}


def generate() -> dict[str, Any]:
    settings = load_settings(SERVICES)
    settings["audit"] = settings["audit"].model_copy(  # type: ignore[attr-defined]
        update={"signing_key": base64.b64encode(bytes(32)).decode()})  # wiring only: nothing is signed
    brokers = [build(TracerProvider()).broker for build in builders(settings).values()]
    spec = AsyncAPI(*brokers, title="Front Door events", version="1.0.0", schema_version="3.0.0",
                    description="Every Kafka topic of Front Door, who publishes and who consumes it, and the events "
                                "on it (docs/DESIGN.md is the contract's prose; shared/events its code).")
    document = json.loads(spec.to_specification().to_json())
    return with_contract_payloads(document)


def with_contract_payloads(document: dict[str, Any]) -> dict[str, Any]:
    """Each message's payload: one of its topic's contract events (a dead-letter topic: its source's)."""
    models = sorted({m for events in TOPIC_EVENTS.values() for m in events}, key=lambda m: m.__name__)
    refs, defs = models_json_schema([(m, "validation") for m in models], ref_template="#/components/schemas/{model}")
    document["servers"] = SERVERS
    document["components"]["schemas"] = defs["$defs"]
    for channel in document["channels"].values():
        channel["servers"] = [{"$ref": "#/servers/kafka"}]
        topic = channel["address"]
        source = topic.removesuffix(".dlq")
        channel["description"] = (TOPIC_PURPOSE[source] if topic == source else
                                  f"Dead letters of {source}: its messages as they failed every retry, with the "
                                  "error in headers (types and field names, never values).")
        for ref in channel["messages"].values():
            message = document["components"]["messages"][ref["$ref"].rsplit("/", 1)[1]]
            message["payload"] = {"oneOf": [refs[(m, "validation")] for m in TOPIC_EVENTS[source]]}
    return document


def missing_topics(document: dict[str, Any]) -> set[str]:
    return set(ALL_TOPICS) - {channel["address"] for channel in document["channels"].values()}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@docs_app.command("asyncapi")
def asyncapi_cmd(check: bool = typer.Option(False, "--check", help="Exit 1 if the committed document is stale"),
                 out: Path = typer.Option(DOCUMENT, help="Where the document goes")) -> None:
    """Generate the AsyncAPI document from the services' brokers and the contract."""
    document = generate()
    if missing := missing_topics(document):
        typer.echo(f"topics nobody publishes or consumes: {sorted(missing)}", err=True)
        raise typer.Exit(1)
    text = render(document)
    if check:
        if not out.exists() or out.read_text() != text:
            typer.echo(f"{out} is stale: run `frontdoor docs asyncapi` and commit it", err=True)
            raise typer.Exit(1)
        typer.echo(f"{out} matches the services and the contract ({len(document['channels'])} channels)")
        return
    out.write_text(text)
    typer.echo(f"wrote {out} ({len(document['channels'])} channels, {len(document['components']['schemas'])} schemas)")
