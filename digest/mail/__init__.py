"""Mail: a digest's message is built (:mod:`digest.mail.message`) and handed to a transport
(:mod:`digest.mail.transport`); neither knows anything of templates: they receive finished
text and HTML."""

from digest.errors import LoginRefused, PermanentSendError, SendError, TemporarySendError
from digest.mail.message import (
    BodyTemplate,
    DkimSigner,
    EncodedBody,
    MailParts,
    OutgoingMessage,
    build_message,
    envelope_address,
)
from digest.mail.postage import dkim_signer, send_one, transport_factory
from digest.mail.transport import OutboxTransport, SmtpTransport, Transport

__all__ = [
    "BodyTemplate",
    "DkimSigner",
    "EncodedBody",
    "LoginRefused",
    "MailParts",
    "OutboxTransport",
    "OutgoingMessage",
    "PermanentSendError",
    "SendError",
    "SmtpTransport",
    "TemporarySendError",
    "Transport",
    "build_message",
    "dkim_signer",
    "envelope_address",
    "send_one",
    "transport_factory",
]
