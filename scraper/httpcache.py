"""The HTTP cache policy behind conditional requests for feeds, sitemaps and listing pages."""

from __future__ import annotations

from scrapy import Request
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Response

__all__ = ["RevalidatingPolicy"]


class RevalidatingPolicy(RFC2616Policy):
    """RFC 2616 caching that revalidates whenever a cached response is not fresh.

    Scrapy's policy returns early for ``Cache-Control: no-cache`` without attaching the
    validators, so such pages (feeds often send it) were downloaded whole every time; no-cache
    means "revalidate before use", so the ETag and Last-Modified are sent here in every case.
    """

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        if super().is_cached_response_fresh(cachedresponse, request):
            return True
        self._set_conditional_validators(request, cachedresponse)
        return False
