"""Staff forms that create something are sent once (:mod:`scheduler.core.submissions`).

A template puts ``{{ once_field() }}`` in such a form: a hidden one-use key, fresh at
each rendering. The view calls :func:`sent_before` once the form is valid, just before
creating: on the first sending the key is taken (in the transaction that creates), on
a later one the person is taken to what the first sending made, with a word that
nothing was created twice. After creating, :func:`settle` records that page.

A post without a key (a page opened before keys existed, a script) is not guarded; a
key that is not one of ours is refused with a 400.
"""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from scheduler.core import submissions
from scheduler.core.extensions import db
from scheduler.models import utcnow

FIELD = "once"


def once_field() -> Markup:
    """The hidden input holding a fresh one-use key."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, submissions.new_key())


def sent_before(form: str, fallback: str) -> Response | None:
    """None when this is the form's first sending (its key is now taken); else the
    redirect to the first sending's result (``fallback`` while it is not known)."""
    key = request.form.get(FIELD, "")
    if not key:
        return None
    if not submissions.well_formed(key):
        abort(400)
    user_id = current_user.id if current_user.is_authenticated else None
    earlier = submissions.claim(db.session(), key, form=form, user_id=user_id, now=utcnow())
    if earlier is None:
        g.submission_key = key
        return None
    flash(_("This form was already sent: nothing was created a second time."), "info")
    return redirect(earlier.target or fallback, 303)


def settle(target: str) -> None:
    """Remember the page that shows what this sending created (commits)."""
    key = g.pop("submission_key", None)
    if key:
        submissions.settle(db.session(), key, target)
