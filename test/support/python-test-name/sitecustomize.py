"""Test only: resolves one name to a loopback address in a Python child process.

The remote-agent tests put this directory on PYTHONPATH, so Python imports it at start
(the `site` module's sitecustomize hook), as test/support/caddy.ts gives child Node
processes a preload. SIGNOFF_TEST_PUBLIC_NAME is the name (`signoff.test`, reserved by
RFC 2606, so never a real host); SIGNOFF_TEST_PUBLIC_ADDRESS where it points (default
127.0.0.1; a tunnel test points it at a forward on 127.0.0.2). Certificates are still
checked against the name: the CA comes from SSL_CERT_FILE, as a person would give it.
"""
import os
import socket

_NAME = (os.environ.get("SIGNOFF_TEST_PUBLIC_NAME") or "").lower()
_ADDRESS = os.environ.get("SIGNOFF_TEST_PUBLIC_ADDRESS") or "127.0.0.1"
_original = socket.getaddrinfo


def _getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if isinstance(name, str) and name.lower() == _NAME:
        host = _ADDRESS
    return _original(host, *args, **kwargs)


if _NAME:
    socket.getaddrinfo = _getaddrinfo
