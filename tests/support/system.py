"""Front Door's services running in the test's event loop against the real broker and database."""

from dataclasses import dataclass, field

import httpx
from opentelemetry.sdk.trace import SpanProcessor
from sqlalchemy import text

from shared.db.engine import make_engine
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings
from shared.telemetry import make_tracer_provider
from services.audit.bootstrap import build as build_audit
from services.audit.config import AuditSettings
from services.casework.bootstrap import build as build_casework
from services.casework.config import CaseworkSettings
from services.intake.adapters.partner_admin import add_partner
from services.intake.bootstrap import build as build_intake
from services.intake.config import IntakeSettings
from services.notify.bootstrap import build as build_notify
from services.notify.config import NotifySettings
from services.people.bootstrap import build as build_people
from services.people.config import PeopleSettings
from services.triage.bootstrap import build as build_triage
from services.triage.config import TriageSettings
from tests.support.audit import TEST_CHECKPOINTS, TEST_SIGNING_KEY
from tools.localinfra.dev_env import DEV_DIRECTORY
from tools.localinfra.processes import free_port
from tools.localinfra.stack import Endpoints

ALL = ("audit", "notify", "casework", "triage", "people", "intake")


@dataclass
class RunningSystem:
    endpoints: Endpoints
    services: tuple[str, ...] = ALL
    span_processor: SpanProcessor | None = None
    intake_port: int = field(default_factory=free_port)
    audit_port: int = field(default_factory=free_port)
    notify_port: int = field(default_factory=free_port)
    triage_port: int = field(default_factory=free_port)
    casework_port: int = field(default_factory=free_port)
    people_port: int = field(default_factory=free_port)
    triage_settings: dict = field(default_factory=dict)
    casework_settings: dict = field(default_factory=dict)
    triage_clock: object = None  # triage's, casework's and people's clock (decisions and SLA alerts)
    runtimes: list[ServiceRuntime] = field(default_factory=list)
    notify_settings: dict = field(default_factory=dict)
    intake_settings: dict = field(default_factory=dict)

    @property
    def platform(self) -> PlatformSettings:
        return PlatformSettings(kafka_bootstrap_servers=self.endpoints.kafka_bootstrap_servers,
                                database_url=self.endpoints.database_url, frontdoor_env="test")

    @property
    def staff_url(self) -> str:
        """The staff API and console (casework)."""
        return f"http://127.0.0.1:{self.casework_port}"

    @property
    def audit_url(self) -> str:
        return f"http://127.0.0.1:{self.audit_port}"

    @property
    def intake_url(self) -> str:
        return f"http://127.0.0.1:{self.intake_port}"

    def _build(self, name: str) -> ServiceRuntime:
        p = self.platform
        provider = make_tracer_provider(name, p, processor=self.span_processor)
        return {
            "audit": lambda: build_audit(AuditSettings(platform=p, port=self.audit_port, checkpoint_seconds=1,
                                                       signing_key=TEST_SIGNING_KEY,
                                                       checkpoint_dir=TEST_CHECKPOINTS), provider),
            "notify": lambda: build_notify(NotifySettings(platform=p, port=self.notify_port, **(
                {"directory_file": DEV_DIRECTORY} | self.notify_settings)), provider),
            "triage": lambda: build_triage(TriageSettings(platform=p, port=self.triage_port, **self.triage_settings),
                                           provider, clock=self.triage_clock),
            "casework": lambda: build_casework(CaseworkSettings(platform=p, port=self.casework_port,
                                                               **self.casework_settings),
                                               provider, clock=self.triage_clock),
            "people": lambda: build_people(PeopleSettings(platform=p, port=self.people_port), provider,
                                           clock=self.triage_clock),
            "intake": lambda: build_intake(IntakeSettings(platform=p, port=self.intake_port, **self.intake_settings),
                                           provider),
        }[name]()

    async def start(self) -> "RunningSystem":
        for name in ALL:
            if name in self.services:
                runtime = self._build(name)
                await runtime.start()
                self.runtimes.append(runtime)
        return self

    async def stop(self) -> None:
        for runtime in reversed(self.runtimes):
            await runtime.stop()
            runtime.tracer_provider.shutdown()
        self.runtimes.clear()

    async def partner_key(self, partner_id: str = "test-school") -> str:
        engine = make_engine(self.endpoints.database_url, pool_size=1)
        try:
            async with engine.begin() as conn:
                await conn.execute(text("DELETE FROM intake.partners WHERE id = :id"), {"id": partner_id})
            return await add_partner(engine, partner_id=partner_id, name="Test school", source="2A")
        finally:
            await engine.dispose()

    def client(self, key: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.intake_url, timeout=30,
                                 headers={"Authorization": f"Bearer {key}"})
