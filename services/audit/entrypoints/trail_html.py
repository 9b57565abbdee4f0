"""The trail as a page an auditor can read, print or attach to a review (Jinja2, autoescaped)."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))


def render_trail(*, referral_id, entries, reader: str, read_at: str, verification: str, verified: bool) -> str:
    read_seq = next((e.seq for e in reversed(entries) if e.event_type == "TrailRead"), "?")
    return _templates.get_template("trail.html").render(
        referral_id=referral_id, entries=entries, reader=reader, read_at=read_at, read_seq=read_seq,
        verification=verification, verified=verified)
