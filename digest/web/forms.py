"""The web app's forms (WTForms), each with a CSRF token tied to the signed session cookie."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from wtforms import (
    BooleanField,
    Form,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
    ValidationError,
)
from wtforms.csrf.session import SessionCSRF
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from digest.render import LANGUAGE_NAMES

__all__ = ["LANGUAGES", "EraseForm", "LoginForm", "PreferencesForm", "SignupForm", "SiteForm",
           "topic_list"]


class _CSRF(SessionCSRF):
    """WTForms' session CSRF, answering a form posted without our session cookie (another site,
    an expired session) with a validation error instead of a KeyError."""

    def validate_csrf_token(self, form: Form, field: Any) -> None:
        if "csrf" not in self.session:
            raise ValidationError("This form has expired or came from another site.")
        super().validate_csrf_token(form, field)


class SiteForm(Form):
    class Meta:
        csrf = True
        csrf_class = _CSRF
        csrf_time_limit = timedelta(hours=2)


def topic_list(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _check_topics(form: Form, field: StringField) -> None:
    topics = topic_list(field.data)
    if len(topics) > 20:
        raise ValidationError("At most 20 topics.")
    if any(len(t) > 60 for t in topics):
        raise ValidationError("A topic is at most 60 characters.")


# the languages a subscriber can pick: those the ministries and outlets we know of write in
LANGUAGES = {code: LANGUAGE_NAMES[code] for code in ("ar", "de", "en", "es", "fr", "ja", "ru", "zh")}


class PreferencesForm(SiteForm):
    active = BooleanField("Send me the digest")
    topics = StringField(
        "Topics", validators=[_check_topics],
        description="Only stories that mention one of these words, separated by commas. "
                    "Leave empty for every story.")
    sources = SelectMultipleField(
        "Sources", widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        description="Only stories reported by one of these. Tick none for all sources.")
    languages = SelectMultipleField(
        "Languages", widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        description="Only stories reported in one of these; a story reported in several "
                    "languages is written in English when it can be. Tick none for all.")
    frequency = SelectField("How often", default="",
                            description="Once a week: the week's most important stories.")
    weekday = SelectField("Day of the week", default="", description="For a weekly digest.")
    send_at = TimeField("Send at", format="%H:%M", validators=[Optional()],
                        description="Local time of day, e.g. 07:00. Empty: the usual time.")
    timezone = SelectField("Time zone", description="Where you read the digest.")


def _check_address(form: Form, field: StringField) -> None:
    from pydantic import ValidationError as Invalid

    from digest.config import SubscriberConfig

    try:
        field.data = SubscriberConfig.model_validate({"email": (field.data or "").strip()}).email
    except Invalid:
        raise ValidationError("That is not an e-mail address we can send to.") from None


class SignupForm(SiteForm):
    email = StringField("E-mail address", validators=[InputRequired(), _check_address],
                        description="We send a link to confirm it before any digest.")
    name = StringField("Name (optional)", validators=[Optional()],
                       description="How the digest greets you.")


class LoginForm(SiteForm):
    username = StringField("User name", validators=[InputRequired()])
    password = PasswordField("Password", validators=[InputRequired()])


class EraseForm(SiteForm):
    """Erase everything kept about the subscriber: asked to be sure, once."""

    sure = BooleanField("Yes, erase my address, my choices and the record of what I was sent.",
                        validators=[InputRequired("Tick the box to confirm.")])
