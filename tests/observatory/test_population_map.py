"""The map's unmet demand per 1,000 inhabitants follows the population an administrator
enters, and the population's source is printed beside the map, escaped."""

from __future__ import annotations

import re

from scheduler.core.extensions import db
from scheduler.models import Municipality
from scheduler.models import Role

MARCH = "period=month&value=2026-03"


def _map_row(page: str, town: str) -> list[str]:
    table = page.split('id="table-map"', 1)[1].split("</table>", 1)[0]
    row = table.split(f'<th scope="row">{town}</th>', 1)[1].split("</tr>", 1)[0]
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def test_the_per_thousand_figure_follows_the_population_set_by_an_administrator(
    app, month, auth, client, world
):
    wickham = world.municipality_ids["Wickham"]
    auth.login_as(Role.ADMIN)
    # Wickham: 3 requests not met (r3 left out, r4 and r12 waiting) for 2,600 inhabitants.
    unmet = 3
    before = _map_row(client.get(f"/observatory?{MARCH}").get_data(as_text=True), "Wickham")
    assert before[2] == str(unmet)
    assert before[3] == f"{round(unmet * 1000 / 2600, 2)}".replace(".", ",")
    with app.app_context():
        town = db.session.get(Municipality, wickham)
        form = {
            "name": town.name,
            "region": town.region or "",
            "lat": str(town.lat),
            "lon": str(town.lon),
            "active": "y",
            "population": "1500",
            "population_source": "Recensement 2021 <b>CC BY</b>",
        }
    assert client.post(f"/admin/territory/{wickham}", data=form).status_code == 302
    page = client.get(f"/observatory?{MARCH}").get_data(as_text=True)
    after = _map_row(page, "Wickham")
    assert after[0].replace("\u202f", "").replace("\xa0", "") == "1500"
    assert after[3] == str(round(unmet * 1000 / 1500))
    assert "Populations : Recensement 2021 &lt;b&gt;CC BY&lt;/b&gt;." in page
    assert "<b>CC BY</b>" not in page
