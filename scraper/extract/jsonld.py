"""The page's JSON-LD, parsed once: for the dates and headline read here and for trafilatura's
metadata reader."""

from __future__ import annotations

import json
import logging
from collections import deque
from dataclasses import dataclass
from html import unescape as html_unescape
from typing import Any

import lxml.html
from trafilatura.json_metadata import (
    HTML_STRIP_TAGS,
    extract_json,
    extract_json_parse_error,
    normalize_json,
)
from trafilatura.metadata import JSON_MINIFY
from trafilatura.settings import Document
from trafilatura.utils import trim

__all__ = ["JsonLd"]

log = logging.getLogger("scraper.extract")


@dataclass(frozen=True)
class JsonLd:
    """The page's JSON-LD, each block parsed once for the dates and headline read here and for
    trafilatura's metadata reader.

    trafilatura (``extract_meta_json``) normalises a block's whole text before parsing it,
    which breaks valid JSON on one page in a hundred (escaped quotes come out bare) and sends
    it to a regular-expression reader that takes up to a quarter of a second on a large block
    (a live blog's 800 KB); here a block is parsed as it is, and only one that is not JSON
    goes to trafilatura's way, when it is small.
    """

    blocks: list[Any]        # parsed application/ld+json blocks, in page order
    settings: list[Any]      # parsed application/settings+json blocks (trafilatura reads them)
    broken: list[str]        # blocks that are not JSON

    _CRUDE_MAX = 20_000      # larger broken blocks are left out (the crude reader is quadratic)

    @classmethod
    def read(cls, tree: lxml.html.HtmlElement) -> JsonLd:
        blocks: list[Any] = []
        settings: list[Any] = []
        broken: list[str] = []
        for script in tree.xpath('//script[@type="application/ld+json" or '
                                 '@type="application/settings+json"]'):
            if not script.text:
                continue
            try:
                parsed = json.loads(script.text, strict=False)
            except (ValueError, RecursionError):
                broken.append(script.text)
                continue
            (blocks if script.get("type") == "application/ld+json" else settings).append(parsed)
        return cls(blocks, settings, broken)

    def values(self, key: str, limit: int = 5) -> list[str]:
        """String values of ``key`` in the JSON-LD blocks, outer objects first, in page order."""
        found: list[str] = []
        queue: deque[Any] = deque(self.blocks)
        while queue and len(found) < limit:
            node = queue.popleft()
            if isinstance(node, dict):
                if isinstance(node.get(key), str):
                    found.append(node[key])
                queue.extend(v for v in node.values() if isinstance(v, dict | list))
            elif isinstance(node, list):
                queue.extend(node)
        return found

    def metadata(self, info: Document) -> Document:
        """``info`` completed by trafilatura's JSON-LD reader (author, site name, page type,
        section, headline), its strings cleaned as trafilatura cleans them."""
        for block in [*self.blocks, *self.settings]:
            try:
                info = extract_json(json_strings(block), info)
            except (AttributeError, IndexError, KeyError, TypeError, ValueError, RecursionError) as e:
                log.debug("JSON-LD metadata not read: %s", e)
        for text in self.broken:
            if len(text) > self._CRUDE_MAX:
                continue
            text = normalize_json(JSON_MINIFY.sub(r"\1", text))
            try:
                info = extract_json(json.loads(text, strict=False), info)
            except (ValueError, RecursionError):
                info = extract_json_parse_error(text, info)
            except (AttributeError, IndexError, KeyError, TypeError) as e:
                log.debug("JSON-LD metadata not read: %s", e)
        return info


def json_strings(node: Any) -> Any:
    """``node`` with its strings as trafilatura's ``normalize_json`` leaves them: entities
    decoded, tags stripped, space trimmed."""
    if isinstance(node, str):
        if "&" in node:
            node = html_unescape(node)
        return trim(HTML_STRIP_TAGS.sub("", node)) if "<" in node else trim(node)
    if isinstance(node, dict):
        return {k: json_strings(v) for k, v in node.items()}
    if isinstance(node, list):
        return [json_strings(v) for v in node]
    return node
