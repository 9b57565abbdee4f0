"""Real Apache Kafka and PostgreSQL on this machine without Docker, for `frontdoor infra`, `make run` and tests.

Nothing here is used in production: there, `KAFKA_BOOTSTRAP_SERVERS` and `DATABASE_URL` point at managed
services. Every process started here is stopped by its own pid.
"""
