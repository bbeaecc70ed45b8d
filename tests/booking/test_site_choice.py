"""The drop-in site choice is one piece of HTML, on the step-by-step form and on phone intake."""

from __future__ import annotations

import re

from .builders import walk


def _site_options(page: str) -> str:
    """The list of sites, whitespace folded, as a browser reads it."""
    found = re.search(r'<div class="options options--radio">(.*?)</fieldset>', page, re.S)
    assert found is not None, page[-2000:]
    return re.sub(r"\s+", " ", found.group(1)).strip()


def test_the_where_step_and_phone_intake_list_the_sites_alike(client, world, auth):
    step = walk(client, world, "where", mode="dropin")
    auth.login_as("dispatcher")
    intake = client.get("/dispatch/intake").get_data(as_text=True)
    listed = _site_options(step)
    assert "site-hours__line" in listed and 'name="site"' in listed
    assert listed == _site_options(intake)
