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

from digest.i18n import gettext as _

__all__ = ["RANKS", "EraseForm", "LoginForm", "OpmlForm", "PreferencesForm", "SignupForm",
           "SiteForm", "SourceForm", "topic_list"]


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
        raise ValidationError(_("At most 20 topics."))
    if any(len(t) > 60 for t in topics):
        raise ValidationError(_("A topic is at most 60 characters."))


def _once(form: Form, field: SelectField) -> None:
    """A language chosen in one rank is not chosen again in a later one."""
    for rank in RANKS:
        other = form[rank]
        if other is field:
            return
        if field.data and other.data == field.data:
            raise ValidationError(_("A language comes once."))


RANKS = ("language_1", "language_2", "language_3", "language_4")  # first preferred first


class PreferencesForm(SiteForm):
    active = BooleanField("Send me the digest")
    topics = StringField(
        "Topics", validators=[_check_topics],
        description="Only stories that mention one of these words, separated by commas. "
                    "Leave empty for every story.")
    sources = SelectMultipleField(
        "Sources", widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        description="Only stories reported by one of these. Tick none for all sources.")
    language_1 = SelectField("First choice", default="")
    language_2 = SelectField("Second choice", default="", validators=[_once])
    language_3 = SelectField("Third choice", default="", validators=[_once])
    language_4 = SelectField("Fourth choice", default="", validators=[_once])
    frequency = SelectField("How often", default="",
                            description="Once a week: the week's most important stories.")
    weekday = SelectField("Day of the week", default="", description="For a weekly digest.")
    send_at = TimeField("Send at", format="%H:%M", validators=[Optional()],
                        description="Local time of day, e.g. 07:00. Empty: the usual time.")
    timezone = SelectField("Time zone", description="Where you read the digest.")

    def chosen_languages(self) -> list[str]:
        """The languages chosen, first preferred first (an empty rank is skipped)."""
        return [code for code in (self[rank].data for rank in RANKS) if code]


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


class SourceForm(SiteForm):
    """A source as config.yaml holds it; checked as ``check-config`` checks it when saved."""

    name = StringField("Name", validators=[InputRequired()],
                       description="A short id: lowercase letters, digits and dashes (china-mfa).")
    title = StringField("Title", validators=[Optional()],
                        description="How the digest names it (Ministry of Foreign Affairs of …).")
    kind = SelectField("Kind", choices=[("feed", "Feed (RSS or Atom)"),
                                        ("sitemap", "News sitemap"),
                                        ("listing", "Listing page (links picked by a selector)")])
    url = StringField("Address", validators=[InputRequired()])
    links = StringField("Links selector", validators=[Optional()],
                        description="For a listing page: the CSS selector of its article links.")
    allow = StringField("Only addresses matching", validators=[Optional()],
                        description="Regular expressions, separated by spaces.")
    deny = StringField("Never addresses matching", validators=[Optional()],
                       description="Regular expressions, separated by spaces.")
    language = StringField("Language", validators=[Optional()],
                           description="ISO code of the pages' language, when they do not say.")
    country = StringField("Country", validators=[Optional()], description="ISO code, e.g. CN.")
    tags = StringField("Tags", validators=[Optional()], description="Separated by commas.")
    official = BooleanField("Official: a government's own statements")

    def values(self) -> dict[str, Any]:
        """The form as a config entry's values (an empty field: not set)."""
        def words(text: str | None) -> list[str]:
            return (text or "").split()

        return {"name": (self.name.data or "").strip(), "title": (self.title.data or "").strip(),
                "kind": self.kind.data, "url": (self.url.data or "").strip(),
                "links": (self.links.data or "").strip(), "allow": words(self.allow.data),
                "deny": words(self.deny.data), "language": (self.language.data or "").strip(),
                "country": (self.country.data or "").strip().upper(),
                "tags": topic_list(self.tags.data), "official": bool(self.official.data) or None}


class OpmlForm(SiteForm):
    """An OPML file to import (its body is read from the multipart upload)."""

    official = BooleanField("Mark the imported feeds as official")
