#!/usr/bin/env python3
"""Ask a human through Signoff over Socket.IO, with python-socketio.

    python3 socketio_agent.py "Deploy build 4821 to staging?" [low|medium|high|critical]

Connects to the hub's /agent namespace with the agent token, creates an approval
request with `request:create`, and waits for the hub's `request:decided` push. If the
connection drops, it reconnects and re-attaches with `request:watch`, so no decision
is lost. Prints the decision as JSON. Exit: 0 approved, 1 rejected, 3 expired or
cancelled, 2 no hub / refused.

Needs python-socketio 5 and websocket-client (Debian: apt-get install python3-socketio
python3-websocket). Hub URL: SIGNOFF_URL, else http://127.0.0.1:$SIGNOFF_PORT (7475).
Token: SIGNOFF_TOKEN, else $SIGNOFF_HOME/agent.token (default ~/.signoff/agent.token).
"""
import json
import os
import sys
import threading
import uuid
from pathlib import Path

import socketio
import websocket

AGENT_ID = "python-socketio-example"

# A program is no web page, so it sends no Origin. websocket-client before 1.4 (Debian 12's
# python3-websocket 1.2.3) sends "Origin: http://NAME" even for wss://, which a hub behind
# its public URL refuses as a foreign web origin; python-socketio offers no way to pass
# suppress_origin (a create_connection option), so it is set here.
_create_connection = websocket.create_connection


def _create_connection_without_origin(url, **options):
    options.setdefault("suppress_origin", True)
    return _create_connection(url, **options)


websocket.create_connection = _create_connection_without_origin


def hub_url():
    port = os.environ.get("SIGNOFF_PORT") or "7475"
    return (os.environ.get("SIGNOFF_URL") or f"http://127.0.0.1:{port}").rstrip("/")


def agent_token():
    token = os.environ.get("SIGNOFF_TOKEN")
    if token:
        return token
    home = Path(os.environ.get("SIGNOFF_HOME") or Path.home() / ".signoff")
    return (home / "agent.token").read_text().strip()


def exit_code(decision):
    """0 go on, 1 a human (or a guardrail) said no, 3 nobody answered in time."""
    approved = (decision.get("response") or {}).get("approved")
    if decision["status"] == "resolved":
        return 0 if approved else 1
    if decision["status"] == "expired" and approved:
        return 0  # approved by the request's onTimeout rule
    return 1 if decision["status"] == "blocked" else 3


def main():
    title = sys.argv[1] if len(sys.argv) > 1 else "Deploy build 4821 to staging?"
    severity = sys.argv[2] if len(sys.argv) > 2 else "medium"
    url = hub_url()
    try:
        token = agent_token()
    except OSError as error:
        print(f"no agent token: set SIGNOFF_TOKEN, or start the hub once (npx signoff hub) so it writes it ({error})", file=sys.stderr)
        return 2

    decisions = {}
    waiting = set()
    changed = threading.Condition()
    sio = socketio.Client(reconnection=True)

    @sio.on("request:decided", namespace="/agent")
    def on_decided(decision):
        with changed:
            decisions[decision["requestId"]] = decision
            changed.notify_all()

    @sio.on("connect", namespace="/agent")
    def on_connect():
        # After a reconnect: re-attach; decisions made meanwhile arrive at once.
        if waiting:
            sio.emit("request:watch", {"ids": sorted(waiting)}, namespace="/agent")

    refusals = []

    @sio.on("connect_error", namespace="/agent")
    def on_connect_error(data):
        # The hub answered the first connection (no request made yet) and refused it (a bad token, the local token through the public
        # URL): its message says why, and no reconnection attempt may keep the script alive after it says so.
        # Once connected, a refusal while reconnecting (a hub restarting) is retried as before.
        if not waiting:
            sio.reconnection = False
        refusals.append((data or {}).get("message") if isinstance(data, dict) else data)

    try:
        sio.connect(url, namespaces=["/agent"], auth={"token": token}, transports=["websocket"], wait_timeout=10)
    except (socketio.exceptions.ConnectionError, OSError) as error:
        sio.disconnect()  # stops the reconnection attempts, so the script exits
        if refusals:
            print(f"the hub at {url} refused the connection: {refusals[-1]}", file=sys.stderr)
        elif url.startswith("https:"):
            print(
                f"cannot reach a Signoff hub at {url} ({error}): nothing answered, the name does not resolve, or its "
                "certificate is not trusted (a proxy with its own CA, like Caddy's tls internal: SSL_CERT_FILE=/path/to/root.crt)",
                file=sys.stderr,
            )
        else:
            print(f"no Signoff hub at {url} ({error}); start one with: npx signoff hub", file=sys.stderr)
        return 2

    try:
        ack = sio.call(
            "request:create",
            {
                "kind": "approval",
                "title": title,
                "severity": severity,
                "agentId": AGENT_ID,
                # Retrying with the same key never makes a second request.
                "idempotencyKey": str(uuid.uuid4()),
                "action": {"name": "deploy", "args": {"build": 4821, "target": "staging"}},
                "context": {"language": "python", "client": "python-socketio"},
            },
            namespace="/agent",
            timeout=10,
        )
        if not ack["ok"]:
            print(f"the hub refused the request: {ack['error']['code']}: {ack['error']['message']}", file=sys.stderr)
            return 2
        request = ack["data"]
        decision = request.get("decision")
        if decision is None:
            waiting.add(request["id"])
            with changed:
                # The hub settles every request by its deadline, so this wait ends.
                changed.wait_for(lambda: request["id"] in decisions)
            decision = decisions[request["id"]]
    finally:
        sio.disconnect()

    print(json.dumps(decision, indent=2))
    return exit_code(decision)


if __name__ == "__main__":
    sys.exit(main())
