"""The public form, one question per screen, for a person asking for help.

Each screen is a server round trip: it works without JavaScript. The answers wait on
the server in a draft (:mod:`scheduler.requests.drafts`) until the person sends them
from the check page; the browser holds only the draft's key. The dispatchers' phone
intake keeps the one-page form, and a post of the one-page form to ``/`` still works.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from routes.booking import budget
from routes.booking import steps
from routes.booking.forms import BookingForm
from routes.booking.pages import DONE_KEY
from routes.booking.pages import booking_options
from routes.booking.pages import bp
from routes.booking.pages import build_form
from routes.booking.pages import form_context
from routes.booking.pages import organisation_or_503
from routes.booking.pages import remember_done
from routes.booking.pages import submit_request
from routes.booking.view import answer_summary
from routes.context import public_languages
from routes.context import settings
from routes.forms import FlaskForm
from routes.partners import acting_partner
from routes.partners.forms import ReferralSendForm
from scheduler.core.extensions import db
from scheduler.core.extensions import limiter
from scheduler.models import BookingDraft
from scheduler.models import Organisation
from scheduler.models import Source
from scheduler.models import utcnow
from scheduler.requests import drafts

log = logging.getLogger("scheduler.booking")

#: Where the key of the visitor's draft waits between screens.
DRAFT_KEY = "booking_draft"


class SendForm(FlaskForm):
    """The check page's button: nothing to answer, only the form token."""


def _send_form() -> FlaskForm:
    """The check page's button; for a partner's staff, with the referral's own fields."""
    return ReferralSendForm() if acting_partner() is not None else SendForm()


def kept_draft(org: Organisation) -> BookingDraft | None:
    """The draft this browser's session names, if it is still kept; changes nothing."""
    token = session.get(DRAFT_KEY)
    return drafts.find_draft(
        db.session(),
        org,
        token if isinstance(token, str) else None,
        now=utcnow(),
        max_age=settings().public.draft_max_age,
    )


def _find_draft(org: Organisation) -> BookingDraft | None:
    draft = kept_draft(org)
    if draft is None and session.get(DRAFT_KEY):
        session.pop(DRAFT_KEY, None)
        g.draft_expired = True
    return draft


def _draft_for_saving(org: Organisation) -> BookingDraft:
    draft = _find_draft(org)
    if draft is None:
        draft, token = drafts.open_draft(
            db.session(), org, now=utcnow(), max_age=settings().public.draft_max_age
        )
        session[DRAFT_KEY] = token
    return draft


def _step_url(step: str, *, changing: bool = False) -> str:
    if step == steps.CHECK:
        return url_for("booking.check")
    if step == steps.NAMES[0] and not changing:
        return url_for("booking.new")
    return url_for("booking.step", name=step, change=1 if changing else None)


def _back_url(step: str, changing: bool) -> str | None:
    if changing:
        return url_for("booking.check")
    previous = steps.previous_step(step)
    return _step_url(previous) if previous else None


def _render_step(
    step: str, form: BookingForm, org: Organisation, *, changing: bool, status: int = 200
) -> tuple[str, int]:
    # Only this screen's questions speak; the others are checked on their own screens.
    for name, field in form._fields.items():
        if name not in steps.BY_NAME[step].fields and name != "csrf_token":
            field.errors = []
    form.form_errors = []
    context = form_context(form, org)
    page = render_template(
        f"booking/steps/{step}.html",
        step=steps.BY_NAME[step],
        number=steps.number(step),
        total=steps.TOTAL,
        back_url=_back_url(step, changing),
        action=url_for("booking.answer", name=step, change=1 if changing else None),
        changing=changing,
        public_languages=public_languages(),
        **context,
    )
    return page, status


@bp.get("/")
def new() -> Any:
    """The first screen: the languages, then how the person wants to be helped."""
    return show_step(steps.NAMES[0])


@bp.get("/ask/<name>", endpoint="step")
def show_step(name: str) -> Any:
    if name not in steps.NAMES:
        abort(404)
    org = organisation_or_503()
    draft = _find_draft(org)
    done = draft.done_steps if draft is not None else []
    if not steps.reachable(name, done):
        if g.get("draft_expired"):
            flash(_("Your answers were erased after a long pause. Please start again."), "info")
        return redirect(_step_url(steps.first_missing(done) or steps.NAMES[0]))
    formdata = MultiDict(draft.answers) if draft is not None and draft.answers else None
    form = build_form(BookingForm, org, formdata=formdata)
    return _render_step(name, form, org, changing=bool(request.args.get("change")))


@bp.post("/ask/<name>", endpoint="answer")
@limiter.limit(
    lambda: booking_options().attempt_limit, key_func=get_remote_address, scope="attempts"
)
def answer_step(name: str) -> Any:
    if name not in steps.NAMES:
        abort(404)
    org = organisation_or_503()
    changing = bool(request.args.get("change"))
    if name == "contact" and request.form.get("website"):
        budget.claim_budget()
        form = build_form(BookingForm, org)
        return render_template("booking/refused.html", **form_context(form, org)), 400
    draft = _find_draft(org)
    kept = draft.answers if draft is not None else {}
    done = draft.done_steps if draft is not None else []
    if not steps.reachable(name, done):
        if draft is None:
            return _keep_after_pause(org, name)
        return redirect(_step_url(steps.first_missing(done) or steps.NAMES[0]), 303)
    form = build_form(BookingForm, org, formdata=steps.merged_answers(kept, request.form, name))
    form.validate()
    fields = steps.BY_NAME[name].fields
    csrf = getattr(form, "csrf_token", None)
    if any(form[f].errors for f in fields if f in form) or (csrf is not None and csrf.errors):
        return _render_step(name, form, org, changing=changing, status=400)
    draft = _draft_for_saving(org)
    new_answers = steps.step_answers(request.form, name)
    invalidates: tuple[str, ...] = ()
    if name == "how" and steps.mode_of(draft.answers or {}) != steps.mode_of(new_answers):
        invalidates = steps.DEPENDS_ON["how"]
    drafts.save_step(db.session(), draft, name, new_answers, now=utcnow(), invalidates=invalidates)
    target = steps.next_step(name, draft.done_steps, changing=changing)
    return redirect(_step_url(target, changing=changing and target != steps.CHECK), 303)


def _keep_after_pause(org: Organisation, name: str) -> Response:
    """A screen sent after the draft holding the screens before it was erased (a long
    pause): what was typed on it starts a new draft, to be found on the screen again once
    the questions before it are answered anew."""
    draft = _draft_for_saving(org)
    drafts.keep_answers(db.session(), draft, steps.step_answers(request.form, name), now=utcnow())
    flash(
        _(
            "Your answers were erased after a long pause. What you typed on the last page is"
            " kept: please answer the first questions again."
        ),
        "info",
    )
    return redirect(_step_url(steps.NAMES[0]), 303)


def _full_form(org: Organisation, draft: BookingDraft) -> BookingForm:
    form = build_form(
        BookingForm, org, formdata=MultiDict(draft.answers or {}), meta={"csrf": False}
    )
    form.validate()
    return form


def _render_check(
    org: Organisation, draft: BookingDraft, form: BookingForm, send: FlaskForm, status: int = 200
) -> tuple[str, int]:
    problems = [
        (message, _step_url(steps.STEP_OF_FIELD.get(name, steps.NAMES[0]), changing=True))
        for name, messages in form.errors.items()
        if name in steps.STEP_OF_FIELD
        for message in messages
    ] + [(message, None) for message in form.form_errors]
    problems += [
        (message, f"#{send[name].id}")
        for name, messages in send.errors.items()
        if name != "csrf_token"
        for message in messages
    ]
    page = render_template(
        "booking/steps/check.html",
        number=steps.TOTAL,
        total=steps.TOTAL,
        back_url=_step_url(steps.previous_step(steps.CHECK) or steps.NAMES[0]),
        rows=answer_summary(
            form, org, {s.name: _step_url(s.name, changing=True) for s in steps.STEPS}
        ),
        problems=problems,
        send=send,
        org=org,
    )
    return page, status


@bp.get("/ask/check", endpoint="check")
def check() -> Any:
    org = organisation_or_503()
    draft = _find_draft(org)
    done = draft.done_steps if draft is not None else []
    if draft is None or not steps.reachable(steps.CHECK, done):
        if g.get("draft_expired"):
            flash(_("Your answers were erased after a long pause. Please start again."), "info")
        return redirect(_step_url(steps.first_missing(done) or steps.NAMES[0]))
    return _render_check(org, draft, _full_form(org, draft), _send_form())


@bp.post("/ask/check", endpoint="send")
@limiter.limit(
    lambda: booking_options().attempt_limit, key_func=get_remote_address, scope="attempts"
)
def send() -> Any:
    """Send the answers: the same service as the one-page form and the phone intake."""
    org = organisation_or_503()
    key = session.get(DRAFT_KEY)
    draft = _find_draft(org)
    if draft is None and isinstance(key, str):
        sent = drafts.already_sent(db.session(), org, current_app.secret_key or "", key)
        if sent is not None:
            # The second tap of a double tap, after the first one finished: its confirmation.
            remember_done(DONE_KEY, sent)
            return redirect(url_for("booking.done"), 303)
    done = draft.done_steps if draft is not None else []
    if draft is None or not steps.reachable(steps.CHECK, done):
        flash(_("Your answers were erased after a long pause. Please start again."), "info")
        return redirect(_step_url(steps.first_missing(done) or steps.NAMES[0]), 303)
    send_form = _send_form()
    form = _full_form(org, draft)
    if not send_form.validate_on_submit() or form.errors:
        return _render_check(org, draft, form, send_form, status=400)
    link_token = drafts.request_token(current_app.secret_key or "", session[DRAFT_KEY])
    if not drafts.claim_draft(db.session(), draft):
        # A double tap: the other tap is sending these answers (it waited for it above).
        # This answer may be the one the browser shows: the same confirmation.
        db.session.rollback()
        session.pop(DRAFT_KEY, None)
        remember_done(DONE_KEY, link_token)
        return redirect(url_for("booking.done"), 303)
    partner = acting_partner()
    if isinstance(send_form, ReferralSendForm) and partner is not None:
        # A partner's staff member, signed in: the referral is linked to their partner
        # organisation, with the consent given to it and their note for the dispatchers.
        created = submit_request(
            form,
            org,
            locale=str(get_locale()),
            source=Source.PARTNER,
            partner=partner,
            created_by=current_user._get_current_object(),
            internal_note=send_form.note.data or None,
            token=link_token,
        )
    else:
        # Only kept requests (and robots caught) use up an address's budget, claimed in
        # one atomic step just before the request is stored. See routes/booking/budget.py.
        if not budget.claim_budget():
            abort(429)
        created = submit_request(
            form, org, locale=str(get_locale()), source=Source.ONLINE, token=link_token
        )
    if created is None:
        # Refused: submit_request rolled back, the draft (and every answer) is still there.
        return _render_check(org, draft, form, send_form, status=400)
    session.pop(DRAFT_KEY, None)
    log.info(
        "request %s sent from the %s in %s (%s)",
        created.request.reference,
        "form by a partner" if created.request.partner_organisation_id else "public form",
        created.request.locale,
        created.request.mode.value,
    )
    remember_done(DONE_KEY, created.token)
    return redirect(url_for("booking.done"), 303)
