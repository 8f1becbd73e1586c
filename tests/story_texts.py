"""Articles for the story tests: a factory on a fixed clock, and real-sounding reports of a few
events (NATO and China, two earthquakes, US tariffs) in several languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from digest.domain import StoredArticle

__all__ = ["NATO_A", "NATO_B", "NOW", "QUAKE_1", "QUAKE_2", "QUAKE_EN", "QUAKE_RU", "QUAKE_ZH", "TARIFF_ZH",
           "article"]

NOW = datetime(2026, 7, 13, 16, 0, tzinfo=UTC)

_ids = count(1)

def article(source: str, title: str, text: str, *, hours: float = 2, official: bool = False,
            opinion: bool = False, language: str | None = "en") -> StoredArticle:
    n = next(_ids)
    return StoredArticle(
        id=n, source=source, source_title=source.title(), official=official,
        url=f"http://127.0.0.1/{source}/{n}", title=title, text=text,
        published=NOW - timedelta(hours=hours), language=language, is_opinion=opinion,
    )

NATO_A = ("BEIJING, July 11 (Wire) - China warned NATO on Thursday against bringing chaos to Asia, "
          "after the alliance's summit in Washington called China a decisive enabler of Russia's war "
          "in Ukraine.\nChina's foreign ministry said NATO was putting its own security above that of "
          "others and should stop interfering in the Asia-Pacific region.\nThe summit declaration "
          "accused Beijing of supplying Russia's defence industry.")

NATO_B = ("China accused NATO of seeking security at the expense of others and rejected the "
          "alliance's description of Beijing as an enabler of Russia's war in Ukraine.\nA foreign "
          "ministry spokesperson urged NATO not to bring chaos to Asia after the Washington summit "
          "declaration.\nNATO leaders had said China's support for Russia's defence industry "
          "prolonged the war.")

QUAKE_1 = ("A magnitude 7.1 earthquake struck southern Peru on Friday, damaging roads and homes in "
           "the Arequipa region, the national civil defence agency said.\nNo deaths were reported "
           "in the first hours after the quake.")

QUAKE_2 = ("A strong earthquake of magnitude 6.2 shook northern Japan on Monday, halting bullet "
           "trains in Hokkaido and prompting a brief tsunami advisory.\nThe Japan Meteorological "
           "Agency lifted the advisory after an hour.")

QUAKE_ZH = ("秘鲁南部发生7.1级地震\n秘鲁国家民防局说，周五秘鲁南部阿雷基帕地区发生7.1级强烈地震，道路和房屋受损。"
            "地震发生后的最初几个小时内没有死亡报告。")

QUAKE_RU = ("Землетрясение магнитудой 7,1 произошло на юге Перу\nЛИМА, 12 июля. /ТАСС/. Землетрясение "
            "магнитудой 7,1 произошло в пятницу в регионе Арекипа на юге Перу, сообщил Геофизический "
            "институт Перу (IGP). Национальный институт гражданской обороны (INDECI) сообщил о "
            "повреждениях дорог и домов в Арекипе, о погибших не сообщалось.")

QUAKE_EN = ("LIMA, July 12 - The 7.1 magnitude quake hit the Arequipa region of southern Peru on "
            "Friday, Peru's Geophysical Institute (IGP) said.\nPeru's civil defence agency INDECI "
            "reported damaged roads and houses in Arequipa but no deaths.")

TARIFF_ZH = ("美国宣布对60个经济体加征关税\n特朗普政府周二提议对包括中国在内的60个经济体的进口商品"
             "加征10%或12.5%的关税。中国商务部表示将采取必要措施。")
