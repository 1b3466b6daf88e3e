#!/usr/bin/env python3
"""Ask a human through Signoff over REST, with the standard library only.

    python3 rest_agent.py "Rotate the production API keys?" [low|medium|high|critical]

Creates an approval request (POST /api/v1/requests) and long-polls
GET /api/v1/requests/ID?wait=60 until it is decided; while the hub is away (restarting,
a dropped line, a proxy answering 502 for it) it asks again, until 30 s past the
request's deadline. Prints the decision as JSON.
Exit: 0 approved, 1 rejected, 3 expired or cancelled, 2 no hub / refused.

Hub URL: SIGNOFF_URL, else http://127.0.0.1:$SIGNOFF_PORT (7475).
Token: SIGNOFF_TOKEN, else $SIGNOFF_HOME/agent.token (default ~/.signoff/agent.token).
"""
import http.client
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

AGENT_ID = "python-rest-example"


def hub_url():
    port = os.environ.get("SIGNOFF_PORT") or "7475"
    return (os.environ.get("SIGNOFF_URL") or f"http://127.0.0.1:{port}").rstrip("/")


def agent_token():
    token = os.environ.get("SIGNOFF_TOKEN")
    if token:
        return token
    home = Path(os.environ.get("SIGNOFF_HOME") or Path.home() / ".signoff")
    return (home / "agent.token").read_text().strip()


class HubError(Exception):
    pass


class HubAway(HubError):
    """No hub answered: not running, restarting, or a proxy without its hub. Asking again may help."""


# What a reverse proxy answers while the hub behind it is down.
PROXY_WITHOUT_HUB = (502, 503, 504)


def call(token, method, path, body=None):
    """One JSON call to /api/v1; the hub's {error:{code,message}} becomes a HubError."""
    request = urllib.request.Request(
        f"{hub_url()}/api/v1{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        # Longer than the 60 s long-poll, so a quiet wait is not mistaken for a dead hub.
        with urllib.request.urlopen(request, timeout=75) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code in PROXY_WITHOUT_HUB:
            raise HubAway(f"a proxy answers at {hub_url()} but the hub behind it does not (HTTP {error.code})") from None
        try:
            detail = json.load(error).get("error", {})
        except ValueError:
            detail = {"code": None, "message": "an answer that is not JSON (is this a Signoff hub?)"}
        raise HubError(f"{error.code} {detail.get('code')}: {detail.get('message')}") from None
    except (OSError, http.client.HTTPException) as error:
        # URLError (refused, no such name, a certificate not trusted) is an OSError, as are a reset or a timeout.
        reason = getattr(error, "reason", error)
        if isinstance(reason, ssl.SSLCertVerificationError):
            # Something answered, with a certificate this process does not trust: starting a hub would not help.
            raise HubError(
                f"the certificate at {hub_url()} is not trusted ({reason.verify_message}); if the proxy signs with its own CA "
                "(Caddy's tls internal), give Python its root certificate: SSL_CERT_FILE=/path/to/root.crt"
            ) from None
        raise HubAway(f"no Signoff hub at {hub_url()} ({reason}); start one with: npx signoff hub") from None


def exit_code(decision):
    """0 go on, 1 a human (or a guardrail) said no, 3 nobody answered in time."""
    approved = (decision.get("response") or {}).get("approved")
    if decision["status"] == "resolved":
        return 0 if approved else 1
    if decision["status"] == "expired" and approved:
        return 0  # approved by the request's onTimeout rule
    return 1 if decision["status"] == "blocked" else 3


def main():
    title = sys.argv[1] if len(sys.argv) > 1 else "Rotate the production API keys?"
    severity = sys.argv[2] if len(sys.argv) > 2 else "medium"
    try:
        token = agent_token()
    except OSError as error:
        print(f"no agent token: set SIGNOFF_TOKEN, or start the hub once (npx signoff hub) so it writes it ({error})", file=sys.stderr)
        return 2
    try:
        request = call(
            token,
            "POST",
            "/requests",
            {
                "kind": "approval",
                "title": title,
                "severity": severity,
                "agentId": AGENT_ID,
                # Posting again with the same key returns the same request, never a second one.
                "idempotencyKey": str(uuid.uuid4()),
                "action": {"name": "rotate_keys", "args": {"service": "payments-api"}},
                "context": {"language": "python", "client": "urllib"},
            },
        )
        give_up_at = (request.get("expiresAt") or float("inf")) / 1000 + 30
        while request["status"] == "pending":
            try:
                request = call(token, "GET", f"/requests/{request['id']}?wait=60")
            except HubAway:
                if time.time() > give_up_at:
                    raise
                time.sleep(0.5)
    except HubError as error:
        print(error, file=sys.stderr)
        return 2
    decision = request["decision"]
    print(json.dumps(decision, indent=2))
    return exit_code(decision)


if __name__ == "__main__":
    sys.exit(main())
