"""The inbox list: filters, search, sorting, pagination, counts, bad input."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest

from scheduler.models import Mode
from scheduler.models import Priority
from scheduler.models import RequestStatus
from scheduler.models import utcnow
from scheduler.organisation.organisations import local_today
from tests.requests.builders import add_other_organisation
from tests.requests.builders import add_request
from tests.requests.builders import listed_references


def test_default_view_shows_open_requests_only(dispatcher, in_app):
    def build(session, org):
        made = {}
        for status in RequestStatus:
            closed_at = None if status.is_open else utcnow()
            r = add_request(session, org, status=status, closed_at=closed_at)
            made[status] = r.reference
        return made

    made = in_app(build)
    page = dispatcher.get("/dispatch/requests").get_data(as_text=True)
    shown = set(listed_references(page))
    assert shown == {made[s] for s in RequestStatus if s.is_open}


STATUS_CASES = [
    ("new", {RequestStatus.NEW}),
    ("confirmed", {RequestStatus.CONFIRMED}),
    ("no_show", {RequestStatus.NO_SHOW}),
    ("closed", {RequestStatus.DONE, RequestStatus.CANCELLED, RequestStatus.NO_SHOW}),
    ("all", set(RequestStatus)),
]


def test_status_filter_narrows_the_list(dispatcher, in_app):
    made = in_app(
        lambda session, org: {
            s: add_request(
                session, org, status=s, closed_at=None if s.is_open else utcnow()
            ).reference
            for s in RequestStatus
        }
    )
    for status, expected in STATUS_CASES:
        page = dispatcher.get(f"/dispatch/requests?status={status}").get_data(as_text=True)
        assert set(listed_references(page)) == {made[s] for s in expected}, status


@pytest.fixture
def varied(in_app, world):
    """Four open requests that differ in mode, municipality, need and language."""

    def build(session, org):
        wickham = org.municipalities[[m.name for m in org.municipalities].index("Wickham")]
        return {
            "home_fr_email": add_request(session, org, mode=Mode.HOME).reference,
            "phone_ar_school": add_request(
                session,
                org,
                mode=Mode.PHONE,
                address=None,
                needs=["school_portal"],
                languages=["ar", "fr"],
                first_name="Amina",
                phone="+18195550199",
            ).reference,
            "dropin_es_job": add_request(
                session,
                org,
                mode=Mode.DROPIN,
                address=None,
                needs=["job_search", "email"],
                languages=["es"],
                first_name="Lucía",
                phone="+18195550111",
            ).reference,
            "home_wickham": add_request(
                session,
                org,
                municipality=wickham,
                needs=["video_calls"],
                first_name="Hélène",
                phone="+33612345678",
            ).reference,
        }

    made = in_app(build)
    made["wickham_id"] = world.municipality_ids["Wickham"]
    return made


FILTER_CASES = [
    ("mode=phone", {"phone_ar_school"}),
    ("mode=home", {"home_fr_email", "home_wickham"}),
    ("municipality={wickham_id}", {"home_wickham"}),
    ("need=email", {"home_fr_email", "dropin_es_job"}),
    ("need=school_portal", {"phone_ar_school"}),
    ("language=ar", {"phone_ar_school"}),
    ("language=es", {"dropin_es_job"}),
    ("language=fr&mode=home", {"home_fr_email", "home_wickham"}),
    ("need=email&mode=dropin", {"dropin_es_job"}),
]


def test_each_filter_narrows_the_list(dispatcher, varied):
    for query, expected in FILTER_CASES:
        query = query.format(**varied)
        page = dispatcher.get(f"/dispatch/requests?{query}").get_data(as_text=True)
        assert set(listed_references(page)) == {varied[key] for key in expected}, query


def _search(client, text):
    page = client.get("/dispatch/requests", query_string={"q": text}).get_data(as_text=True)
    return listed_references(page)


def test_search_finds_a_reference_in_any_case_and_format(dispatcher, varied):
    ref = varied["phone_ar_school"]
    core = ref.removeprefix("ESC-")
    for typed in (ref, ref.lower(), core, core.lower(), f"esc {core.lower()}", f" ESC {core} "):
        assert _search(dispatcher, typed) == [ref], typed


PHONE_CASES = [
    ("819 555-0199", "phone_ar_school"),
    ("(819) 555 0199", "phone_ar_school"),
    ("1-819-555-0199", "phone_ar_school"),
    ("5550199", "phone_ar_school"),
    ("06 12 34 56 78", "home_wickham"),
    ("+33 6 12 34 56 78", "home_wickham"),
]


def test_search_finds_a_phone_number_however_it_is_typed(dispatcher, varied):
    for typed, key in PHONE_CASES:
        assert _search(dispatcher, typed) == [varied[key]], typed


def test_search_finds_a_first_name_without_case_or_accents(dispatcher, varied):
    for typed in ("helene", "HÉLÈNE", "Hél", "amina"):
        expected = varied["phone_ar_school" if typed == "amina" else "home_wickham"]
        assert _search(dispatcher, typed) == [expected], typed


def test_search_with_no_match_says_so(dispatcher, varied):
    page = dispatcher.get("/dispatch/requests?q=Zoé").get_data(as_text=True)
    assert listed_references(page) == []
    assert "Aucune demande ne correspond" in page


def test_urgency_order_puts_an_urgent_request_with_a_near_deadline_before_a_normal_old_one(
    dispatcher, in_app
):
    def build(session, org):
        today = utcnow().date()
        old_normal = add_request(session, org, age_days=60, priority=int(Priority.NORMAL))
        urgent = add_request(
            session,
            org,
            age_days=1,
            priority=int(Priority.URGENT),
            deadline=today + timedelta(days=3),
        )
        fresh_low = add_request(session, org, age_days=0, priority=int(Priority.LOW))
        return [urgent.reference, old_normal.reference, fresh_low.reference]

    expected = in_app(build)
    page = dispatcher.get("/dispatch/requests").get_data(as_text=True)
    assert listed_references(page) == expected
    page = dispatcher.get("/dispatch/requests?sort=oldest").get_data(as_text=True)
    assert listed_references(page) == [expected[1], expected[0], expected[2]]
    page = dispatcher.get("/dispatch/requests?sort=newest").get_data(as_text=True)
    assert listed_references(page) == [expected[2], expected[0], expected[1]]


def test_deadline_order_puts_the_nearest_deadline_first_and_none_last(dispatcher, in_app):
    def build(session, org):
        today = utcnow().date()
        none = add_request(session, org, age_days=40)
        later = add_request(session, org, deadline=today + timedelta(days=20))
        sooner = add_request(session, org, deadline=today + timedelta(days=2))
        return [sooner.reference, later.reference, none.reference]

    expected = in_app(build)
    page = dispatcher.get("/dispatch/requests?sort=deadline").get_data(as_text=True)
    assert listed_references(page) == expected


def test_rows_show_what_a_dispatcher_needs(dispatcher, in_app):
    in_app(
        lambda session, org: (
            add_request(
                session,
                org,
                first_name="Amina",
                mode=Mode.PHONE,
                needs=["school_portal"],
                languages=["ar", "fr"],
                age_days=3,
                priority=int(Priority.HIGH),
                deadline=local_today(org, utcnow()) + timedelta(days=5),
            ).reference
        )
    )
    page = dispatcher.get("/dispatch/requests").get_data(as_text=True)
    for text in ("Amina", "Appel téléphonique", "Drummondville", "Portail scolaire", "Arabe"):
        assert text in page
    assert "3 jours" in page
    assert "dans 5 jours" in page
    assert "Haute" in page


def test_pagination_keeps_the_filters(dispatcher, in_app):
    def build(session, org):
        phones = [
            add_request(session, org, mode=Mode.PHONE, address=None, age_days=i).reference
            for i in range(30)
        ]
        for _ in range(5):
            add_request(session, org, mode=Mode.HOME)
        return phones

    phones = in_app(build)
    first = dispatcher.get("/dispatch/requests?mode=phone&sort=oldest").get_data(as_text=True)
    assert listed_references(first) == list(reversed(phones))[:25]
    next_link = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    args = parse_qs(urlsplit(next_link.replace("&amp;", "&")).query)
    assert args == {"mode": ["phone"], "sort": ["oldest"], "page": ["2"]}
    second = dispatcher.get(next_link.replace("&amp;", "&")).get_data(as_text=True)
    assert listed_references(second) == list(reversed(phones))[25:]
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2' in second


def test_a_page_past_the_end_shows_the_last_page(dispatcher, in_app):
    in_app(lambda session, org: [add_request(session, org) for _ in range(3)] and None)
    response = dispatcher.get("/dispatch/requests?page=99")
    assert response.status_code == 200
    assert len(listed_references(response.get_data(as_text=True))) == 3


def test_status_links_count_each_status_and_keep_the_other_filters(dispatcher, in_app):
    def build(session, org):
        add_request(session, org, mode=Mode.PHONE, address=None)
        add_request(session, org, mode=Mode.PHONE, address=None, status=RequestStatus.TRIAGED)
        add_request(session, org, mode=Mode.HOME, status=RequestStatus.TRIAGED)

    in_app(build)
    page = dispatcher.get("/dispatch/requests?mode=phone").get_data(as_text=True)
    assert 'href="/dispatch/requests?mode=phone&amp;status=triaged"' in page
    nav = page.split('class="status-tabs"')[1].split("</nav>")[0]
    assert 'Triée <span class="status-tabs__count">1</span>' in nav
    assert 'Ouvertes <span class="status-tabs__count">2</span>' in nav


def test_requests_of_another_organisation_are_never_listed(dispatcher, in_app):
    def build(session, org):
        other, town = add_other_organisation(session)
        return add_request(session, other, municipality=town).reference

    theirs = in_app(build)
    page = dispatcher.get("/dispatch/requests?status=all").get_data(as_text=True)
    assert theirs not in page
    page = dispatcher.get("/dispatch/requests", query_string={"q": theirs}).get_data(as_text=True)
    assert listed_references(page) == []


BAD_FILTERS = [
    "status=bogus",
    "mode=car",
    "municipality=abc",
    "municipality=999999",
    "need=%3Cscript%3E",
    "language=xx",
    "sort=price",
    "q=" + "x" * 300,
    "mode=car&mode=home",
]


def test_bad_filter_values_are_refused_with_a_message_never_a_crash(dispatcher, varied):
    for query in BAD_FILTERS:
        response = dispatcher.get(f"/dispatch/requests?{query}")
        assert response.status_code == 400, query
        page = response.get_data(as_text=True)
        assert "<script>" not in page
        assert 'class="error-summary"' in page, query
        # The filter not understood is left out: all four open requests show.
        assert len(listed_references(page)) == 4, query


def test_an_empty_filter_means_no_filter(dispatcher, varied):
    response = dispatcher.get("/dispatch/requests?status=&mode=&municipality=&q=+&sort=")
    assert response.status_code == 200
    assert len(listed_references(response.get_data(as_text=True))) == 4


def test_bad_page_numbers_show_the_first_page(dispatcher, varied):
    for query in ("page=abc", "page=-3", "page=0", "page=1e9"):
        response = dispatcher.get(f"/dispatch/requests?{query}")
        assert response.status_code == 200, query
        assert len(listed_references(response.get_data(as_text=True))) == 4, query


def test_search_text_is_kept_in_the_box_and_escaped(dispatcher, varied):
    page = dispatcher.get("/dispatch/requests", query_string={"q": '<b>"Zoé"'}).get_data(
        as_text=True
    )
    assert "<b>" not in page
    assert 'value="&lt;b&gt;&#34;Zoé&#34;"' in page
