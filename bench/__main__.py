"""`make bench` (`python -m bench`): the whole system against raw baselines of its own infrastructure.

Lives outside the installed packages: it needs the `bench` extra (matplotlib, py-spy, psutil, aiohttp) and
starts the services as `frontdoor run` processes, so nothing in the product depends on it.
"""

import asyncio
import json
from collections.abc import Awaitable
from pathlib import Path

import typer

from bench.floor.__main__ import measure
from bench.report import plot, table
from bench.runner import bench
from bench.stack import bench_stack
from tools.runner import configure_logging

app = typer.Typer(add_completion=False, pretty_exceptions_show_locals=False)
FLOOR_RATES: list[float] = [1, 200, 400, 600, 800, 1000]


@app.command()
def main(rates: str = typer.Option("1,10,25,50,75,100,125,150,200,300,500,750,1000",
                                   help="Arrival rates to step through (per second); stops at the first rate the "
                                        "system does not sustain"),
         seconds: float = typer.Option(15.0, help="Length of each step (longer where needed for 60 referrals)"),
         refinements: int = typer.Option(2, help="Steps halving the gap between the last rate sustained and the "
                                                 "first not (bench/ladder.py)"),
         overload_seconds: float = typer.Option(120.0, help="Overload phase at 1.5x the sustainable rate "
                                                            "(0 skips it)"),
         profile_seconds: float = typer.Option(10.0, help="py-spy every service for this long at the sustainable "
                                                          "rate (0 skips it)"),
         max_backlog: int = typer.Option(1000, help="Intake's admission limit (untriaged referrals)"),
         baseline_count: int = typer.Option(20000, help="Messages/rows for the raw baselines"),
         intake_requests: int = typer.Option(2000, help="Requests for the closed-loop intake maximum"),
         out: str = typer.Option(".frontdoor/bench-results.json", help="Where the JSON goes (the plot goes beside "
                                                                       "it as .png)"),
         scale: bool = typer.Option(False, "--scale", help="Only the scale figures: preload large volumes (COPY) "
                                                           "and time verify, matching, trays and search "
                                                           "(bench/scale.py)"),
         with_scale: bool = typer.Option(True, "--with-scale/--without-scale",
                                         help="After the throughput run, the scale figures too (several minutes)"),
         with_floor: bool = typer.Option(True, "--with-floor/--without-floor",
                                         help="After the throughput run, the design's floor too (bench/floor: the "
                                              "same path with no product code; about 3 minutes)"),
         audit_rows: int = typer.Option(1_000_000, help="--scale: rows in the audit log"),
         persons: int = typer.Option(100_000, help="--scale: children in the person index"),
         work_items: int = typer.Option(1_000_000, help="--scale: work items (2% open)")) -> None:
    """End-to-end throughput and latency against raw Kafka, COPY and ASGI baselines, measured in one run."""
    configure_logging()
    if scale:
        return scale_figures(out, audit_rows, persons, work_items)
    system = bench([float(r) for r in rates.split(",")], seconds, baseline_count, intake_requests,
                   overload_seconds=overload_seconds, profile_seconds=profile_seconds, max_backlog=max_backlog,
                   refinements=refinements)
    result = asyncio.run(system_then_floor(system, FLOOR_RATES if with_floor else [], seconds, baseline_count))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(result, indent=2))
    typer.echo(table(result))
    typer.echo(f"results: {out}; plot: {plot(result, Path(out).with_suffix('.png'))}")
    if with_scale:
        scale_figures(out, audit_rows, persons, work_items)
    if not result["passed"]:
        raise typer.Exit(1)


async def system_then_floor(system: Awaitable[dict], floor_rates: list[float], seconds: float,
                            baseline_count: int) -> dict:
    """Both on one bench stack (kept up between them): the floor is measured on the machine the system just was."""
    async with bench_stack():
        result = await system
        if floor_rates:
            result["design_floor"] = await measure(floor_rates, seconds, baseline_count)
    return result


def scale_figures(out: str, audit_rows: int, persons: int, work_items: int) -> None:
    from bench.scale import run_scale, verdicts

    figures = asyncio.run(run_scale(audit_rows, persons, work_items))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).with_name("bench-scale.json").write_text(json.dumps(figures, indent=2))
    typer.echo(json.dumps(figures, indent=2))
    typer.echo("Cost as the data grows:")
    for line in verdicts(figures):
        typer.echo(f"- {line}")


if __name__ == "__main__":
    app()
