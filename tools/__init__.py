"""Operators' tooling (dead letters, completeness): outside the services, which never import it."""
