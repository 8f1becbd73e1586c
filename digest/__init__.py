"""digest: a daily foreign-affairs email digest.

Crawl ministries and news outlets (``scraper``), store articles, group them into stories, render
a digest and mail it. The command line (``digest.cli``) is the composition root.
"""

from digest.errors import ConfigError, DigestError, SendError, SourceError

__all__ = ["ConfigError", "DigestError", "SendError", "SourceError"]
__version__ = "0.1.0"
