"""A participant who enrolled in Spanish, Portuguese or Arabic gets their sessions'
calendar file in that language (the public catalogues have it), not in English."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from scheduler.core.extensions import db

from .builders import make_series

WORDS = {
    "es": "Taller: Escouade numérique (1/4)",
    "pt": "Oficina: Escouade numérique (1/4)",
    "ar": "ورشة: Escouade numérique (1/4)",
}


def _unfolded(ics: bytes) -> str:
    return ics.decode("utf-8").replace("\r\n ", "").replace("\r\n", "\n")


@pytest.mark.parametrize("language", sorted(WORDS))
def test_the_sessions_file_speaks_the_participants_language(app, client, world, language):
    with app.app_context():
        series_id = make_series(db.session, world, first=datetime.now(UTC) + timedelta(days=7)).id
    client.get(f"/language/{language}?next=/")
    joined = client.post(
        f"/ask/workshop/{series_id}",
        data={"first_name": "Ana", "phone": "819 555-0111", "consent": "1"},
    )
    assert joined.status_code == 303
    ics = client.get(joined.headers["Location"] + "/sessions.ics")
    assert ics.status_code == 200
    text = _unfolded(ics.data)
    assert f"SUMMARY:{WORDS[language]}" in text
    assert "Workshop:" not in text
