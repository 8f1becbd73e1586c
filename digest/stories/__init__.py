"""The story stage: group a window's articles into stories and rank them.

:func:`build_stories` (:mod:`.build`) runs the steps, each in its module: :mod:`.units` (an
article, or each segment of a briefing), :mod:`.duplicates` (copies of wire reports fold into
one source), :mod:`.similarity` (TF-IDF and the same-story model), :mod:`.cluster` (units into
stories, opinions onto them), :mod:`.languages` with :mod:`.crosslingual` (one story across
languages), :mod:`.titles` and :mod:`.compose` (a story's title, highlights, summary and
score); :mod:`.options` holds the knobs. Story ids are :mod:`digest.identity`'s business.
"""

from digest.stories.build import build_stories
from digest.stories.options import StoryOptions

__all__ = ["StoryOptions", "build_stories"]
