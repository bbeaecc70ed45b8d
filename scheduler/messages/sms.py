"""SMS through a provider's HTTP API: OVHcloud (France) and Twilio (Québec).

Both speak JSON over HTTPS with the standard library's client; the base address of
each API is a setting, so tests aim them at a local server speaking the same API.

- OVHcloud SMS API v1: ``POST /sms/{serviceName}/jobs`` signed with the application
  secret and consumer key (``X-Ovh-Signature: $1$`` + SHA-1); the server's clock from
  ``GET /auth/time``. Replies are read with ``GET /sms/{serviceName}/incoming``.
- Twilio Programmable Messaging: ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``,
  form-encoded, HTTP Basic with the account SID and auth token. Replies come to a
  webhook, signed with ``X-Twilio-Signature`` (HMAC-SHA1 of the URL and sorted fields).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .backends import Outgoing
from .backends import PermanentFailure
from .backends import TemporaryFailure
from .settings import MessageSettings


@dataclass(frozen=True, slots=True)
class Reply:
    """An SMS a person sent back."""

    sender: str
    text: str
    provider_id: str = ""


def _call(request: urllib.request.Request, timeout: float, provider: str) -> Any:
    """Send one HTTP request; a JSON answer, or the failure it stands for."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            raw = answer.read()
    except urllib.error.HTTPError as error:
        detail = _error_text(error.read())
        reason = f"{provider} HTTP {error.code}: {detail}"
        if error.code == 429 or error.code >= 500:
            raise TemporaryFailure(reason) from error
        raise PermanentFailure(reason) from error
    except (OSError, ValueError) as error:
        raise TemporaryFailure(f"{provider}: {error}") from error
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError as error:
        raise TemporaryFailure(f"{provider}: unreadable answer") from error


def _error_text(raw: bytes) -> str:
    try:
        data = json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")[:300]
    if isinstance(data, dict):
        code = data.get("code")
        message = str(data.get("message") or data)
        return f"{code} {message}" if code else message
    return str(data)[:300]


class OvhSms:
    """OVHcloud SMS (``sms_provider = "ovh"``)."""

    name = "ovh"

    def __init__(self, settings: MessageSettings) -> None:
        self.settings = settings
        self.base = settings.ovh_endpoint.rstrip("/")

    def _server_time(self) -> int:
        request = urllib.request.Request(f"{self.base}/auth/time", method="GET")
        answer = _call(request, self.settings.timeout_s, self.name)
        try:
            return int(answer)
        except (TypeError, ValueError):
            return int(time.time())

    def _request(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        settings = self.settings
        url = f"{self.base}{path}"
        payload = json.dumps(body) if body is not None else ""
        stamp = str(self._server_time())
        signed = "+".join(
            [
                settings.ovh_application_secret,
                settings.ovh_consumer_key,
                method,
                url,
                payload,
                stamp,
            ]
        )
        headers = {
            "X-Ovh-Application": settings.ovh_application_key,
            "X-Ovh-Consumer": settings.ovh_consumer_key,
            "X-Ovh-Timestamp": stamp,
            "X-Ovh-Signature": "$1$" + hashlib.sha1(signed.encode("utf-8")).hexdigest(),
            "Content-Type": "application/json",
        }
        request = urllib.request.Request(
            url, data=payload.encode("utf-8") if body is not None else None, method=method
        )
        for name, value in headers.items():
            request.add_header(name, value)
        return _call(request, settings.timeout_s, self.name)

    def _service(self) -> str:
        return urllib.parse.quote(self.settings.ovh_service_name, safe="")

    def send(self, message: Outgoing) -> str | None:
        body: dict[str, Any] = {
            "message": message.body,
            "receivers": [message.to],
            "charset": "UTF-8",
            "priority": "high",
            # OVHcloud adds its own STOP clause and honours it on its side, too.
            "noStopClause": False,
        }
        if self.settings.ovh_sender:
            body["sender"] = self.settings.ovh_sender
        else:
            body["senderForResponse"] = True
        answer = self._request("POST", f"/sms/{self._service()}/jobs", body)
        if not isinstance(answer, dict):
            raise TemporaryFailure("ovh: unexpected answer")
        if message.to in (answer.get("invalidReceivers") or []):
            raise PermanentFailure(f"ovh: invalid receiver {message.to}")
        ids = answer.get("ids") or []
        return str(ids[0]) if ids else None

    def fetch_replies(self) -> list[Reply]:
        """Read and remove the SMS people sent back."""
        replies = []
        service = self._service()
        for reply_id in self._request("GET", f"/sms/{service}/incoming") or []:
            row = self._request("GET", f"/sms/{service}/incoming/{int(reply_id)}") or {}
            replies.append(
                Reply(str(row.get("sender", "")), str(row.get("message", "")), str(reply_id))
            )
            self._request("DELETE", f"/sms/{service}/incoming/{int(reply_id)}")
        return replies


class TwilioSms:
    """Twilio Programmable Messaging (``sms_provider = "twilio"``)."""

    name = "twilio"

    def __init__(self, settings: MessageSettings) -> None:
        self.settings = settings

    def send(self, message: Outgoing) -> str | None:
        settings = self.settings
        sid = urllib.parse.quote(settings.twilio_account_sid, safe="")
        url = f"{settings.twilio_base_url.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
        form = urllib.parse.urlencode(
            {"To": message.to, "From": settings.twilio_from, "Body": message.body}
        ).encode("ascii")
        request = urllib.request.Request(url, data=form, method="POST")
        secret = f"{settings.twilio_account_sid}:{settings.twilio_auth_token}"
        request.add_header("Authorization", "Basic " + base64.b64encode(secret.encode()).decode())
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        answer = _call(request, settings.timeout_s, self.name)
        if not isinstance(answer, dict):
            raise TemporaryFailure("twilio: unexpected answer")
        if answer.get("status") == "failed":
            code, words = answer.get("error_code"), answer.get("error_message")
            raise PermanentFailure(f"twilio: {code} {words}")
        return str(answer.get("sid") or "") or None


def twilio_signature(auth_token: str, url: str, fields: Mapping[str, str]) -> str:
    """The X-Twilio-Signature Twilio computes for a webhook POST to ``url``."""
    data = url + "".join(f"{key}{fields[key]}" for key in sorted(fields))
    digest = hmac.new(auth_token.encode("utf-8"), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def twilio_signature_valid(
    auth_token: str, url: str, fields: Mapping[str, str], signature: str
) -> bool:
    if not auth_token or not signature:
        return False
    return hmac.compare_digest(twilio_signature(auth_token, url, fields), signature)
