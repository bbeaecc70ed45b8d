"""The public address of a service started on one machine, for links made outside a request.

A page builds its links from the address it was asked for; timed jobs and workers have
no request, so without ``[MESSAGES] base_url`` (or ``[FEEDS] base_url``) the messages
they queue carry no calendar link at all. ``escouade up`` knows where it serves, and
tells its timed jobs and worker, unless an operator already chose an address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping

#: The variable ``create_app`` reads into ``[MESSAGES] base_url`` (Flask's nested
#: ``from_prefixed_env``: ``__`` goes one table down).
MESSAGES_BASE_URL_VARIABLE = "ESCOUADE_MESSAGES__base_url"

#: Hosts that mean "every interface": nobody can follow a link to them.
_EVERY_INTERFACE = {"", "0.0.0.0", "::", "[::]"}


def served_base_url(host: str, port: int) -> str:
    """``http://host:port`` for a server listening on ``host``.

    Listening on every interface, the links name this machine instead, which other
    devices on the network can usually reach; an IPv6 address goes between brackets.
    """
    name = host.strip()
    if name in _EVERY_INTERFACE:
        name = socket.gethostname() or "127.0.0.1"
    try:
        if ipaddress.ip_address(name.strip("[]")).version == 6:
            name = f"[{name.strip('[]')}]"
    except ValueError:
        pass
    return f"http://{name}:{port}"


def links_environment(
    configured: str, host: str, port: int, environ: Mapping[str, str]
) -> dict[str, str]:
    """``environ`` plus the served address for messages, unless one is already chosen.

    :param configured: the base URL the configuration already gives messages
        (``[MESSAGES] base_url``, else ``[FEEDS] base_url``); kept when not empty.
    """
    env = dict(environ)
    if not configured and not env.get(MESSAGES_BASE_URL_VARIABLE):
        env[MESSAGES_BASE_URL_VARIABLE] = served_base_url(host, port)
    return env
