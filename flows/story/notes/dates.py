"""When: the date of the earlier copy a note names ('of story published Sept. 13').

With no year in the note, the year comes from the article's own date.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


def _month_day(suffix: str) -> str:
    """A 'sept. 13[, 2019]' pattern, group names made unique by ``suffix``."""
    return (
        rf"(?P<month{suffix}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
        r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+"
        rf"(?P<day{suffix}>\d{{1,2}})(?:st|nd|rd|th)?\b"
        rf"(?:,?\s*(?P<year{suffix}>(?:19|20)\d\d)\b)?"
    )


# 'of story published on Jan. 16', 'originally published July 8', 'in Sept. 13 story'
_STORY_DATE = re.compile(
    r"\b(?:published|filed|issued|transmitted|moved|sent|dated|posted|released)"
    rf"\s+(?:on\s+)?{_month_day('')}"
    rf"|{_month_day('2')}\s+(?:story|article|report|item|version)\b"
)
_DIGIT = re.compile(r"\d")


def _story_date(low: str, published: date | None) -> date | None:
    """Date of the earlier story a note names; the year comes from the article's own date."""
    if not _DIGIT.search(low):
        return None
    m = _STORY_DATE.search(low)
    if m is None:
        return None
    suffix = "" if m.group("month") else "2"
    month_word, day_raw, year_raw = m.group("month" + suffix, "day" + suffix, "year" + suffix)
    month = _MONTHS.get((month_word or "")[:3])
    if month is None or day_raw is None:
        return None
    if year_raw is not None:
        year = int(year_raw)
    elif published is not None:
        # A note looks back: a month after the article's own month is last year's.
        year = published.year - 1 if month > published.month else published.year
    else:
        return None
    try:
        return date(year, month, int(day_raw))
    except ValueError:
        return None
