"""``/api`` and ``/api/v1``, the addresses a partner's developer tries first, point to the
OpenAPI document and the documentation instead of answering 404, without a token."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/v1", "/api/v1/"])
def test_the_api_root_points_to_its_description_without_a_token(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body["openapi"] == "http://localhost/api/v1/openapi.json"
    assert body["versions"] == {"v1": "http://localhost/api/v1"}
    assert body["documentation"] == "docs/api.md"
    assert "/api/v1/openapi.json" in body["detail"]
    assert response.headers["Link"].startswith("<http://localhost/api/v1/openapi.json>")
    assert 'rel="service-desc"' in response.headers["Link"]
    assert client.get(body["openapi"]).status_code == 200


def test_the_api_root_speaks_the_callers_language(client):
    response = client.get("/api/v1", headers={"Accept-Language": "fr"})

    assert response.headers["Content-Language"].startswith("fr")
    assert "jeton" in response.get_json()["detail"]
    english = client.get("/api/v1", headers={"Accept-Language": "en"})
    assert english.headers["Content-Language"].startswith("en")
    assert "API token" in english.get_json()["detail"]


def test_a_wrong_method_on_the_api_root_is_a_problem(client):
    response = client.post("/api/v1")

    assert response.status_code == 405
    assert response.content_type == "application/problem+json"
