"""``digest serve``: the web pages behind the links in every digest, one family of pages per
module (as Miniflux keeps its ``internal/ui``):

- :mod:`.archive`: ``/digests/`` and ``/digests/<date>``, ``/stories/<id>``, ``/search``, the
  Atom and JSON feeds; with ``?t=<token>`` a subscriber's own copy, in their zone and language;
- :mod:`.subscriber`: ``/unsubscribe/<token>`` (RFC 8058 one-click) and ``/preferences/<token>``;
- :mod:`.signup`: ``/signup`` with double opt-in (``web.signup: true``);
- :mod:`.admin`: ``/admin/`` behind a login from the environment.

:mod:`.site` holds what they share, :mod:`.security` the headers, the 500 page and the token
check, :mod:`.forms` the forms; :mod:`.app` wires them into the Starlette app. Pages that only
read are plain functions that Starlette runs in its thread pool; the others hand their store
calls to it: the store is never called on the event loop.
"""

from digest.web.app import create_app

__all__ = ["create_app"]
