from __future__ import annotations

import urllib.request


def test_live_server_serves_the_sign_in_page(live_server, world):
    with urllib.request.urlopen(f"{live_server}/auth/login", timeout=10) as response:
        assert response.status == 200
        assert "Se connecter" in response.read().decode()
