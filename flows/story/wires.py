"""Wire tags and datelines at the head of a lede ('BERLIN, Sept 14 (Reuters) - ...').

``match_wire_tag`` splits such an opening into the wire's canonical name, the dateline and the
rest of the lede. It also reads bare datelines ('WASHINGTON — ...') and turns down look-alikes
('(AAPL) - ...', 'U.S. -- ...').
"""

from __future__ import annotations

import re

# Known wires by the start of their tag; 'Bloomberg Opinion' and 'Reuters Breakingviews' are
# the same wires. A known wire may follow a mixed-case dateline ('Paris (AFP) -').
_WIRES: tuple[tuple[str, str], ...] = (
    ("bloomberg", "Bloomberg"),
    ("reuters", "Reuters"),
    ("thomson reuters", "Reuters"),
    ("ap", "AP"),
    ("associated press", "AP"),
    ("the associated press", "AP"),
    ("afp", "AFP"),
    ("agence france-presse", "AFP"),
    ("agence france presse", "AFP"),
    ("dow jones", "Dow Jones"),
    ("dj", "Dow Jones"),
    ("marketwatch", "MarketWatch"),
    ("xinhua", "Xinhua"),
    ("kyodo", "Kyodo"),
    ("yonhap", "Yonhap"),
    ("upi", "UPI"),
    ("cnn", "CNN"),
    ("dpa", "dpa"),
    ("efe", "EFE"),
    ("ansa", "ANSA"),
    ("pti", "PTI"),
    ("ians", "IANS"),
    ("tass", "TASS"),
    ("interfax", "Interfax"),
    ("bernama", "Bernama"),
    ("anadolu", "Anadolu"),
    ("ria novosti", "RIA Novosti"),
    ("reuters health", "Reuters"),
    ("ifr", "IFR"),
)
_WIRE_BY_NAME = dict(_WIRES)
_WIRE_NAME = re.compile(r"[A-Z][\w.&'’ -]{0,38}")
_TITLE_WORDS = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,3}")
_DASH = re.compile(r"[ \t]*(--+|—|–|-|:)?[ \t]*")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_WHEN = re.compile(
    rf"(?:(?:mon|tues?|wed|thu|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\s+{_MONTH})(?:,?\s*\d{{4}})?"
)
# A city: upper-case words ('NEW YORK', 'SÃO PAULO', 'NEW YORK/LONDON', "ST. JOHN'S").
_CITY_CAPS = re.compile(r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’/&-]{0,40}")
# A city in title case, accepted before a known wire ('Paris (AFP)').
_CITY_TITLE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w.'’-]*(?:[ /][A-ZÀ-ÖØ-Þ][\w.'’-]*){0,3}")
# A region after the city ('PORTLAND, Ore.', 'SPRINGFIELD, Ill.').
_REGION = re.compile(r"[A-Z][A-Za-z]{1,14}\.?(?: [A-Z][A-Za-z]{1,14}\.?)?")
# A dateline with no wire ('WASHINGTON — ...'): capitals and a long dash only.
_BARE_DATELINE = re.compile(
    r"([A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’/-]{2,40}[A-ZÀ-ÖØ-Þ.])[ \t]*(?:--|—|–)[ \t]*"
)


def _known_wire(name: str) -> str | None:
    """The canonical name of a known wire ('Bloomberg Opinion' -> 'Bloomberg')."""
    low = name.lower()
    hit = _WIRE_BY_NAME.get(low)
    if hit is not None:
        return hit
    for key, wire in _WIRES:
        if len(key) > 3 and low.startswith(key + " "):
            return wire
    return None


def _dateline(prefix: str, known: bool) -> str | None:
    """The dateline before a wire tag ('LONDON, Sept 14' -> 'LONDON'); None if it is none."""
    pieces = [piece.strip() for piece in prefix.split(",")]
    city = pieces[0]
    if not (
        _CITY_CAPS.fullmatch(city)
        or (known and _CITY_TITLE.fullmatch(city) and not city.isupper() and len(city) <= 40)
    ):
        return None
    kept = [city]
    for piece in pieces[1:]:
        if _WHEN.fullmatch(piece.lower()):
            break  # the date ends the dateline
        if len(kept) < 3 and _REGION.fullmatch(piece):
            kept.append(piece)
            continue
        return None
    return ", ".join(kept)


def match_wire_tag(text: str) -> tuple[str, str | None, str] | None:
    """Split '(Bloomberg) -- ...' or 'BERLIN, Sept 14 (Reuters) - ...' into wire, dateline, rest."""
    opening = text.find("(", 0, 100)
    if opening < 0:
        return _match_bare_dateline(text)
    closing = text.find(")", opening, opening + 42)
    if closing < 0:
        return None
    name = text[opening + 1 : closing].strip()
    if not _WIRE_NAME.fullmatch(name):
        return None
    wire = _known_wire(name)
    dash = _DASH.match(text, closing + 1)
    assert dash is not None  # every part of the pattern is optional
    if wire is None and not dash.group(1):
        return None
    prefix = text[:opening].strip()
    dateline: str | None = None
    if prefix:
        dateline = _dateline(prefix, wire is not None)
        if dateline is None:
            return None
    elif wire is None and dash.group(1) in ("-", ":") and not _TITLE_WORDS.fullmatch(name):
        # '(AAPL) - ...': an unknown wire needs a dateline, a long dash or a name in words.
        return None
    return wire or name, dateline, text[dash.end() :]


def _match_bare_dateline(text: str) -> tuple[str, str | None, str] | None:
    """'WASHINGTON — ...': a capitalized city and a long dash, with no wire named."""
    if not text[:1].isupper():
        return None
    match = _BARE_DATELINE.match(text)
    if match is None or not any(ch.isalpha() for ch in match.group(1)[:3]):
        return None
    city = match.group(1).strip()
    if sum(ch.isalpha() for ch in city) < 3 or "." in city.replace(". ", ""):
        return None  # 'U.S. -- ...' is a sentence, not a dateline
    return "", city, text[match.end() :]
