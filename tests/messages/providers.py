"""Local HTTP servers speaking two SMS providers' documented APIs.

The real providers cannot be reached from tests; these servers answer as their
documentation says, check what a client must send (OVHcloud's request signature,
Twilio's HTTP Basic credentials and form fields) and answer errors in each provider's
own shape. ``answers`` queues the status codes to give, one per message sent.

- OVHcloud API v1 (https://eu.api.ovh.com/console/, "sms" section): ``GET /1.0/auth/time``
  gives the server's clock; ``POST /1.0/sms/{serviceName}/jobs`` takes
  ``{"message", "receivers", ...}`` signed with ``X-Ovh-Signature =
  "$1$" + sha1(AS+CK+METHOD+URL+BODY+TIMESTAMP joined by "+")`` and answers
  ``{"ids", "validReceivers", "invalidReceivers", "totalCreditsRemoved"}``; errors are
  ``{"message": ...}`` with an HTTP status.
- Twilio REST API (https://www.twilio.com/docs/messaging/api/message-resource):
  ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` with ``To``, ``From`` and
  ``Body`` form fields, HTTP Basic ``AccountSid:AuthToken``; answers 201 with the
  message resource (``sid``, ``status``…); errors are
  ``{"code", "message", "more_info", "status"}``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any

OVH_AS = "ovh-application-secret"
OVH_AK = "ovh-application-key"
OVH_CK = "ovh-consumer-key"
OVH_SERVICE = "sms-ab12345-1"
OVH_TIME = 1_764_547_200
TWILIO_SID = "AC00000000000000000000000000000001"
TWILIO_TOKEN = "twilio-auth-token"


@dataclass
class Provider:
    base_url: str
    #: Status codes to answer to the next sends, in order; then 200/201.
    answers: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    #: Answers waiting to be read (OVHcloud's incoming SMS).
    incoming: dict[int, dict[str, Any]] = field(default_factory=dict)


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    provider: Provider

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _json(self, status: int, data: Any) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))


@contextmanager
def ovh_server() -> Iterator[Provider]:
    provider = Provider("")

    class Handler(_Handler):
        def _signed(self, method: str, body: bytes) -> bool:
            url = provider.base_url.removesuffix("/1.0") + self.path
            stamp = self.headers.get("X-Ovh-Timestamp", "")
            signed = "+".join([OVH_AS, OVH_CK, method, url, body.decode(), stamp])
            wanted = "$1$" + hashlib.sha1(signed.encode()).hexdigest()
            return (
                self.headers.get("X-Ovh-Application") == OVH_AK
                and self.headers.get("X-Ovh-Consumer") == OVH_CK
                and stamp == str(OVH_TIME)
                and self.headers.get("X-Ovh-Signature") == wanted
            )

        def do_GET(self) -> None:
            if self.path == "/1.0/auth/time":
                return self._json(200, OVH_TIME)
            if not self._signed("GET", b""):
                return self._json(403, {"message": "Invalid signature"})
            prefix = f"/1.0/sms/{OVH_SERVICE}/incoming"
            if self.path == prefix:
                return self._json(200, sorted(provider.incoming))
            if self.path.startswith(prefix + "/"):
                row = provider.incoming.get(int(self.path.rsplit("/", 1)[1]))
                return self._json(200 if row else 404, row or {"message": "not found"})
            self._json(404, {"message": "Got an invalid (or empty) URL"})

        def do_DELETE(self) -> None:
            if not self._signed("DELETE", b""):
                return self._json(403, {"message": "Invalid signature"})
            provider.incoming.pop(int(self.path.rsplit("/", 1)[1]), None)
            self._json(200, None)

        def do_POST(self) -> None:
            body = self._body()
            if self.path != f"/1.0/sms/{OVH_SERVICE}/jobs":
                return self._json(404, {"message": "Got an invalid (or empty) URL"})
            if not self._signed("POST", body):
                provider.refused.append("signature")
                return self._json(403, {"message": "Invalid signature"})
            job = json.loads(body)
            status = provider.answers.pop(0) if provider.answers else 200
            if status == 503:
                return self._json(503, {"message": "Service temporarily unavailable"})
            if status == 400:
                return self._json(400, {"message": "Invalid receivers: not a mobile number"})
            provider.received.append(job)
            self._json(
                200,
                {
                    "totalCreditsRemoved": 1,
                    "invalidReceivers": [],
                    "ids": [100 + len(provider.received)],
                    "validReceivers": job["receivers"],
                },
            )

    for server in _serve(Handler):
        provider.base_url = f"http://127.0.0.1:{server.server_port}/1.0"
        yield provider


@contextmanager
def twilio_server() -> Iterator[Provider]:
    provider = Provider("")

    class Handler(_Handler):
        def do_POST(self) -> None:
            body = self._body()
            if self.path != f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json":
                return self._json(404, {"code": 20404, "message": "Not found", "status": 404})
            secret = base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
            if self.headers.get("Authorization") != f"Basic {secret}":
                provider.refused.append("credentials")
                return self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
            form = dict(urllib.parse.parse_qsl(body.decode()))
            status = provider.answers.pop(0) if provider.answers else 201
            if status == 503:
                return self._json(
                    503, {"code": 20503, "message": "Service unavailable", "status": 503}
                )
            if status == 400:
                return self._json(
                    400,
                    {
                        "code": 21614,
                        "message": f"'To' number {form.get('To')} is not a valid mobile number",
                        "more_info": "https://www.twilio.com/docs/errors/21614",
                        "status": 400,
                    },
                )
            provider.received.append(form)
            self._json(
                201,
                {
                    "sid": f"SM{len(provider.received):032d}",
                    "status": "queued",
                    "to": form["To"],
                    "from": form["From"],
                    "body": form["Body"],
                },
            )

    for server in _serve(Handler):
        provider.base_url = f"http://127.0.0.1:{server.server_port}"
        yield provider
