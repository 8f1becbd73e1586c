"""One generic spider per source kind; ``SPIDERS`` maps a kind to its class."""

from scraper.spiders.base import ArticleSpider, IndexPage, Link, UnreadableIndex
from scraper.spiders.feed import FeedSpider
from scraper.spiders.listing import ListingSpider
from scraper.spiders.sitemap import NewsSitemapSpider

SPIDERS: dict[str, type[ArticleSpider]] = {
    "feed": FeedSpider,
    "sitemap": NewsSitemapSpider,
    "listing": ListingSpider,
}

__all__ = ["SPIDERS", "ArticleSpider", "FeedSpider", "IndexPage", "Link", "ListingSpider",
           "NewsSitemapSpider", "UnreadableIndex"]
