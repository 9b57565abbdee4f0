"""Kafka and Postgres plumbing every service uses the same way: outbox, relay, inbox, delivery policy."""
