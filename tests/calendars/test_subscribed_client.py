"""A real subscribing client: vdirsyncer syncs a volunteer's feed from the running app
over HTTP into a folder, and khal lists what a calendar would show.

vdirsyncer's HTTP storage keeps no UID of its own (it names items by their content),
so what this proves is what a person sees: after a visit moves and a call is
cancelled, the next sync shows the new time, the old one gone, and the call cancelled.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from scheduler.core.extensions import db
from scheduler.models import Appointment
from scheduler.models import utcnow

from .builders import local_today

BIN = Path(sys.executable).parent


def tool(name: str) -> Path:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed in {BIN}: run `make install-dev` (the dev extra).")
    return path


class Subscriber:
    """vdirsyncer and khal in their own home folder, subscribed to one URL."""

    def __init__(self, home: Path, url: str) -> None:
        self.home = home
        self.calendar = home / "calendar"
        self.calendar.mkdir(parents=True)
        (home / "status").mkdir()
        self.vdirsyncer_config = home / "vdirsyncer.conf"
        self.vdirsyncer_config.write_text(
            "[general]\n"
            f'status_path = "{home / "status"}/"\n\n'
            "[pair escouade]\n"
            'a = "escouade_feed"\n'
            'b = "escouade_local"\n'
            "collections = null\n"
            'conflict_resolution = "a wins"\n\n'
            "[storage escouade_feed]\n"
            'type = "http"\n'
            f'url = "{url}"\n\n'
            "[storage escouade_local]\n"
            'type = "filesystem"\n'
            f'path = "{self.calendar}/"\n'
            'fileext = ".ics"\n',
            encoding="utf-8",
        )
        self.khal_config = home / "khal.conf"
        self.khal_config.write_text(
            "[calendars]\n"
            "[[escouade]]\n"
            f"path = {self.calendar}/\n"
            "type = calendar\n\n"
            "[locale]\n"
            "local_timezone = America/Toronto\n"
            "default_timezone = America/Toronto\n"
            "timeformat = %H:%M\n"
            "dateformat = %Y-%m-%d\n"
            "longdateformat = %Y-%m-%d\n"
            "datetimeformat = %Y-%m-%d %H:%M\n"
            "longdatetimeformat = %Y-%m-%d %H:%M\n\n"
            "[sqlite]\n"
            f"path = {home / 'khal.db'}\n",
            encoding="utf-8",
        )
        proxies = {
            "http_proxy",
            "https_proxy",
            "all_proxy",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
        }
        self.env = {k: v for k, v in os.environ.items() if k not in proxies}
        self.env.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_DATA_HOME=str(home / "data"),
            XDG_CACHE_HOME=str(home / "cache"),
            NO_PROXY="127.0.0.1,localhost",
            no_proxy="127.0.0.1,localhost",
            LANG="C.UTF-8",
            LC_ALL="C.UTF-8",
        )

    def _run(self, *args: str | Path) -> str:
        result = subprocess.run(
            [str(a) for a in args],
            env=self.env,
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"{args[0]} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def sync(self) -> None:
        vdirsyncer = tool("vdirsyncer")
        self._run(vdirsyncer, "-c", self.vdirsyncer_config, "discover")
        self._run(vdirsyncer, "-c", self.vdirsyncer_config, "sync")

    def agenda(self) -> list[str]:
        start = (local_today()).isoformat()
        out = self._run(
            tool("khal"),
            "-c",
            self.khal_config,
            "list",
            "--format",
            "{start} {end} {cancelled}{title}",
            "--day-format",
            "",
            start,
            "30d",
        )
        return [line for line in out.splitlines() if line.strip()]


def test_subscribed_calendar_follows_a_move_and_a_cancellation(
    app, live_server, scenario, tmp_path
):
    subscriber = Subscriber(tmp_path / "subscriber", live_server + scenario.link)
    day = (local_today() + timedelta(days=2)).isoformat()
    next_day = (local_today() + timedelta(days=3)).isoformat()

    subscriber.sync()
    agenda = subscriber.agenda()
    assert f"{day} 10:00 {day} 11:30 Visite à domicile : Jeannine (Drummondville)" in agenda
    assert f"{day} 09:40 {day} 10:00 Trajet vers Jeannine (Drummondville)" in agenda
    assert f"{day} 14:00 {day} 14:30 Appel : Omer" in agenda
    assert any(line.endswith("Permanence : Local Brock") for line in agenda)
    assert not any("Rachid" in line for line in agenda)

    with app.app_context():
        visit = db.session.get(Appointment, scenario.visit_id)
        visit.move(visit.starts_at + timedelta(days=1), visit.ends_at + timedelta(days=1))
        db.session.get(Appointment, scenario.call_id).cancel(utcnow())
        db.session.commit()

    subscriber.sync()
    agenda = subscriber.agenda()
    visits = [line for line in agenda if "Visite à domicile : Jeannine" in line]
    assert visits == [
        f"{next_day} 10:00 {next_day} 11:30 Visite à domicile : Jeannine (Drummondville)"
    ]
    calls = [line for line in agenda if "Omer" in line]
    assert calls == [f"{day} 14:00 {day} 14:30 CANCELLED Annulé : Appel : Omer"]
