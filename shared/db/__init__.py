"""Postgres plumbing shared by the services: engines and migrations. Each service owns its own schema."""
