"""``config.yaml``: the settings it holds (:mod:`.schema`) and how the file is read into them,
every problem reported at once with its key and line (:mod:`.loader`)."""

from digest.config.loader import load_config, parse_config, problem
from digest.config.schema import (
    Config,
    CrawlSettings,
    DigestSettings,
    DkimSettings,
    MailSettings,
    ScheduleSettings,
    SmtpSettings,
    SourceConfig,
    SubscriberConfig,
    WebSettings,
)

__all__ = ["Config", "CrawlSettings", "DigestSettings", "DkimSettings", "MailSettings",
           "ScheduleSettings", "SmtpSettings", "SourceConfig", "SubscriberConfig", "WebSettings",
           "load_config", "parse_config", "problem"]
