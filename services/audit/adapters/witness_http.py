"""A witness over HTTP (c2sp.org/tlog-witness): the request body goes as it is, the answer comes back as it is;
what it means is the use case's business (application/witnessing.py)."""

import httpx

from services.audit.application.ports import WitnessAnswer


class HttpWitness:
    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self._url = url.rstrip("/") + "/add-checkpoint"
        self._timeout = timeout

    async def add_checkpoint(self, request: str) -> WitnessAnswer:
        async with httpx.AsyncClient(timeout=self._timeout) as client:
            response = await client.post(self._url, content=request.encode(),
                                         headers={"Content-Type": "text/plain; charset=utf-8"})
        return WitnessAnswer(response.status_code, response.text,
                             response.headers.get("content-type", "").split(";")[0].strip())
