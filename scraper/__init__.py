"""The crawler: Scrapy spiders for feed, sitemap and listing sources, and the pipeline steps
that extract, normalise, de-duplicate and store articles. ``scraper.run.crawl`` is the entry
point the CLI uses; it runs Scrapy in a child process so that a long-lived process can crawl
again and again."""
