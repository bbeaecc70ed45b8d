"""Administrators turn each kind of message on or off and write its words."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import BooleanField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import Length

from routes.access import admin_required
from routes.forms import FlaskForm
from routes.messages import bp
from scheduler.core.extensions import db
from scheduler.messages.choices import MAX_BODY
from scheduler.messages.choices import MAX_SUBJECT
from scheduler.messages.choices import current_texts
from scheduler.messages.choices import save_choice
from scheduler.messages.texts import PLACEHOLDERS
from scheduler.messages.texts import languages_of
from scheduler.models import MessageKind
from scheduler.models import utcnow


class TextsForm(FlaskForm):
    """The words of one kind of message, in every language a message can be written in;
    the page shows the languages of its kind (:func:`languages_of`)."""

    enabled = BooleanField(_l("Send these messages"))
    subject_fr = StringField(_l("Subject (e-mail), in French"), [Length(max=MAX_SUBJECT)])
    body_fr = TextAreaField(_l("Text, in French"), [Length(max=MAX_BODY)])
    subject_en = StringField(_l("Subject (e-mail), in English"), [Length(max=MAX_SUBJECT)])
    body_en = TextAreaField(_l("Text, in English"), [Length(max=MAX_BODY)])
    subject_ar = StringField(_l("Subject (e-mail), in Arabic"), [Length(max=MAX_SUBJECT)])
    body_ar = TextAreaField(_l("Text, in Arabic"), [Length(max=MAX_BODY)])
    subject_es = StringField(_l("Subject (e-mail), in Spanish"), [Length(max=MAX_SUBJECT)])
    body_es = TextAreaField(_l("Text, in Spanish"), [Length(max=MAX_BODY)])
    subject_pt = StringField(_l("Subject (e-mail), in Portuguese"), [Length(max=MAX_SUBJECT)])
    body_pt = TextAreaField(_l("Text, in Portuguese"), [Length(max=MAX_BODY)])

    def in_languages(self, languages: tuple[str, ...]) -> None:
        """Drop the fields of the languages this kind is not written in: they are
        neither shown, validated nor saved."""
        for language in ("ar", "es", "pt"):
            if language not in languages:
                delattr(self, f"subject_{language}")
                delattr(self, f"body_{language}")


def _organisation_id() -> int:
    return int(current_user.organisation_id)


@bp.get("/admin/messages")
@admin_required
def choices() -> str:
    org = _organisation_id()
    rows = [(kind, current_texts(db.session(), org, kind)[0]) for kind in MessageKind]
    return render_template("messages/choices.html", rows=rows)


def _kind(code: str) -> MessageKind:
    try:
        return MessageKind(code)
    except ValueError:
        abort(404)


@bp.route("/admin/messages/<code>", methods=["GET", "POST"])
@admin_required
def edit_texts(code: str) -> Any:
    kind = _kind(code)
    org = _organisation_id()
    enabled, texts = current_texts(db.session(), org, kind)
    languages = languages_of(kind)
    form = TextsForm()
    form.in_languages(languages)
    if not form.is_submitted():
        form.enabled.data = enabled
        for language in languages:
            getattr(form, f"subject_{language}").data = texts[language]["subject"]
            getattr(form, f"body_{language}").data = texts[language]["body"]
    if form.validate_on_submit():
        save_choice(
            db.session(),
            org,
            kind,
            enabled=bool(form.enabled.data),
            texts={
                language: {
                    "subject": getattr(form, f"subject_{language}").data or "",
                    "body": getattr(form, f"body_{language}").data or "",
                }
                for language in languages
            },
            actor=current_user._get_current_object(),
            now=utcnow(),
        )
        flash(_("Saved."), "success")
        return _back()
    status = 400 if form.is_submitted() else 200
    page = render_template(
        "messages/edit_texts.html",
        form=form,
        kind=kind,
        names=PLACEHOLDERS[kind],
        languages=languages,
    )
    return page, status


def _back() -> Response:
    return redirect(url_for("messages.choices"), 303)
