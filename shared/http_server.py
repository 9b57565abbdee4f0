"""Uvicorn run inside a service's event loop, stopped with the service rather than by its own signals."""

import asyncio
import contextlib

import uvicorn


class EmbeddedServer(uvicorn.Server):
    """The process's own signal handling (`frontdoor run`) stops the server; uvicorn must not grab them."""

    @contextlib.contextmanager
    def capture_signals(self):
        yield


def serve_loop(app, *, host: str, port: int):
    """A runtime loop: serve `app` until the service stops."""

    async def loop(stopping: asyncio.Event) -> None:
        server = EmbeddedServer(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                               access_log=False, lifespan="off", use_colors=False))
        task = asyncio.create_task(server.serve())
        await stopping.wait()
        server.should_exit = True
        await task

    return loop
