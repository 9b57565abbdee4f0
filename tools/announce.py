"""What `frontdoor run` prints once the services are up: where each surface is, and the demo partner's key."""

from tools.demo_partner import create_demo_partner
from tools.localinfra.stack import Endpoints


async def addresses(settings: dict, endpoints: Endpoints, *, demo_partner: bool) -> list[str]:
    """`settings`: each running service's settings, as the runner read them."""
    lines = []
    if intake := settings.get("intake"):
        api = f"http://{intake.host}:{intake.port}"
        lines.append(f"  partner API:  {api}/v1/referrals  (OpenAPI: {api}/docs)")
        if demo_partner:
            lines.append(f"  demo partner key: {await create_demo_partner(intake.platform.database_url)}")
    if casework := settings.get("casework"):
        lines.append(f"  MASH console: http://{casework.host}:{casework.port}/console  "
                     "(token: frontdoor users token NAME --role practitioner --queue QUEUE)")
    if audit := settings.get("audit"):
        lines.append(f"  audit API:    http://{audit.host}:{audit.port}/audit/v1")
    lines.append(f"  Kafka:        {endpoints.kafka_bootstrap_servers}")
    lines.append(f"  PostgreSQL:   {endpoints.database_url}")
    return lines
