"""Local stand-ins for the message providers, checking requests the way the providers document
them: Alibaba Cloud SendSms (V3 signature ACS3-HMAC-SHA256, signature name, template code and
parameters) and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from catalog.messages import placeholders_of

ACCESS_KEY_ID = "LTAI-test-id"
ACCESS_KEY_SECRET = "test-secret-not-a-real-key"


def _encode(value: str) -> str:
    return quote(value, safe="-_.~")


def expected_signature(method: str, target: str, headers: dict[str, str], body: bytes) -> str:
    """The V3 signature as documented: CanonicalRequest → SHA-256 → HMAC-SHA256 with the secret."""
    authorization = headers["authorization"]
    algorithm, _, rest = authorization.partition(" ")
    parts = dict(part.split("=", 1) for part in rest.split(","))
    signed = parts["SignedHeaders"].split(";")
    url = urlsplit(target)
    query = sorted(parse_qsl(url.query, keep_blank_values=True))
    canonical_query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in query)
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed)
    canonical = "\n".join(
        [
            method,
            url.path or "/",
            canonical_query,
            canonical_headers,
            ";".join(signed),
            hashlib.sha256(body).hexdigest(),
        ]
    )
    to_sign = f"{algorithm}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    return hmac.new(ACCESS_KEY_SECRET.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


@dataclass
class SmsProvider:
    """A SendSms endpoint on 127.0.0.1. ``templates`` maps template code → parameter names."""

    signature: str
    templates: dict[str, set[str]]
    received: list[dict] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    answer_code: str = "OK"
    hold: threading.Event | None = None
    """When set: the next request is recorded, then held until ``release`` is set and dropped."""
    release: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def check(self, method: str, target: str, headers: dict[str, str], body: bytes) -> str | None:
        """What is wrong with the request (the provider's error code), or None."""
        if headers.get("x-acs-action") != "SendSms" or headers.get("x-acs-version") != "2017-05-25":
            return "InvalidAction"
        if headers.get("x-acs-content-sha256") != hashlib.sha256(body).hexdigest():
            return "ContentSha256DoesNotMatch"
        auth = headers.get("authorization", "")
        if not auth.startswith("ACS3-HMAC-SHA256 ") or f"Credential={ACCESS_KEY_ID}," not in auth:
            return "InvalidAccessKeyId.NotFound"
        signature = auth.rpartition("Signature=")[2]
        if not hmac.compare_digest(signature, expected_signature(method, target, headers, body)):
            return "SignatureDoesNotMatch"
        signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
        for name in (
            "host",
            "x-acs-action",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-version",
        ):
            if name not in signed:
                return "MissingSignedHeader"
        params = dict(parse_qsl(urlsplit(target).query))
        if params.get("SignName") != self.signature:
            return "isv.SMS_SIGNATURE_ILLEGAL"
        names = self.templates.get(params.get("TemplateCode", ""))
        if names is None:
            return "isv.SMS_TEMPLATE_ILLEGAL"
        try:
            values = json.loads(params.get("TemplateParam", "{}"))
        except ValueError:
            return "isv.INVALID_JSON_PARAM"
        if set(values) != names or not all(isinstance(v, str) and v for v in values.values()):
            return "isv.TEMPLATE_MISSING_PARAMETERS"
        phone = params.get("PhoneNumbers", "")
        if not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
            return "isv.MOBILE_NUMBER_ILLEGAL"
        return None

    def start(self) -> tuple[ThreadingHTTPServer, str]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                problem = provider.check(self.command, self.path, headers, body)
                params = dict(parse_qsl(urlsplit(self.path).query))
                if problem:
                    provider.rejected.append(problem)
                    self._answer(400, {"Code": problem, "Message": problem, "RequestId": "x"})
                    return
                with provider.arrived:
                    provider.received.append({**params, "_at": time.time()})
                    provider.arrived.notify_all()
                if provider.hold is not None and not provider.hold.is_set():
                    provider.hold.set()
                    provider.release.wait(60)
                    self.close_connection = True
                    return  # no answer: the sender cannot know whether it was delivered
                code = provider.answer_code
                self._answer(
                    200,
                    {
                        "Code": code,
                        "Message": code,
                        "BizId": f"biz-{len(provider.received)}",
                        "RequestId": "r",
                    },
                )

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, f"127.0.0.1:{server.server_port}"

    def wait_for(self, count: int, timeout: float = 30) -> list[dict]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, timeout), (
                f"the provider got {len(self.received)} requests, expected {count}; rejected: {self.rejected}"
            )
            return list(self.received)


@pytest.fixture
def provider(backend_catalog) -> SmsProvider:
    """A SendSms stand-in that knows the test catalog's signature and templates."""
    messages_ = backend_catalog.settings.messages
    templates = {
        getattr(messages_.templates, name).sms_template: set(
            placeholders_of(getattr(messages_.templates, name).text)
        )
        for name in type(messages_.templates).model_fields
    }
    return SmsProvider(signature=messages_.sms_signature, templates=templates)


def sms_config(backend_config: dict, endpoint: str) -> dict:
    return {
        **backend_config,
        "NOTIFY_CHANNEL": "sms",
        "SMS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "SMS_ACCESS_KEY_SECRET": ACCESS_KEY_SECRET,
        "SMS_ENDPOINT": endpoint,
        "SMS_PROTOCOL": "http",
        "NOTIFY_SEND_TIMEOUT_SECONDS": 5,
    }
