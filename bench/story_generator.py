"""Deterministic generator of invented news-wire story files for benchmarks and tests.

The development corpus may not be copied into the project, so benchmarks and tests need stories
that look like the feed (header line, Bloomberg or Reuters layout, update notes, staff lines,
copyright lines, CRLF files, malformed files) without being real. Everything here is invented:
people and companies come from lists built below; only countries and cities are real.

The same ``seed`` always gives byte-identical files, and ``generate_stories(n, seed)`` is a
prefix of ``generate_stories(m, seed)`` for ``n < m``, so a small run reproduces the start of a
big one. Pure standard library: no Prefect, no DuckDB.

What comes out, so tests can rely on it:

- Good files: ' date YYYY-MM-DD Headline' (2018-2024), a blank line, paragraphs separated by
  blank lines; usually no final newline. Story text is 150-1,500 words (log-normal, median
  about 500). About 85% Bloomberg layout ('(Bloomberg) -- ' lede, note after the last story
  paragraph, staff lines, '©YYYY Bloomberg L.P.'), 15% Reuters ('CITY (Reuters) - ' lede,
  note on top, '(Reporting by ...)' line, sometimes '(c) Copyright Thomson Reuters YYYY.').
  About 4% use CRLF, 1% start with a UTF-8 BOM.
- Versions: a later version keeps the headline, is published the same day or the next, adds
  or refreshes paragraphs and carries an update note. Paragraph numbers in notes count story
  paragraphs as editors do ('Read:' links, notes and staff lines are not counted) and point at
  the paragraph that really changed.
- Malformed files, one code each: 'empty' (no bytes or whitespace only), 'not_utf8' (the story
  in cp1252), 'no_header' (header line missing, or no date, or no headline), 'bad_date'
  (impossible or non-ISO date such as 2019-02-30 or 04/03/2019), 'no_body' (header, then
  nothing or only a copyright line or a bare '(Bloomberg) --').

Usage::

    python -m bench.story_generator OUT_DIR --count 10000 --seed 7
"""

# The templates are typeset like the feed, with curly quotes and apostrophes, on purpose.

from __future__ import annotations

import argparse
import bisect
import itertools
import math
import os
import random
import re
import string
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

_T = TypeVar("_T")

REJECT_CODES: tuple[str, ...] = ("empty", "not_utf8", "no_header", "bad_date", "no_body")
MIN_WORDS = 150
MAX_WORDS = 1500
MEDIAN_WORDS = 500
FILES_PER_SHARD = 1000
FIRST_DAY = date(2018, 1, 1)
LAST_DAY = date(2024, 12, 31)

_REUTERS_SHARE = 0.15
_CRLF_SHARE = 0.04
_BOM_SHARE = 0.01
_FINAL_NEWLINE_SHARE = 0.15
_FIRST_VERSION_NOTE_SHARE = 0.08
_NEXT_DAY_VERSION_SHARE = 0.2
_POOL_SIZE = 64  # open stories that may still get a later version
_WORD_SIGMA = 0.5  # log-normal spread: 10th/90th percentile near 265/950 words

# ---------------------------------------------------------------------------------------------
# Invented entities. Fixed seeds below so the lists never change between runs or machines.
# ---------------------------------------------------------------------------------------------

_FIRST_NAMES = (
    "Amara", "Anders", "Ayumi", "Bianca", "Callum", "Chiara", "Dalia", "Dmitri", "Elif", "Emeka",
    "Esteban", "Farah", "Fergus", "Greta", "Hamza", "Hana", "Ines", "Ivo", "Jasper", "Jun",
    "Kaveh", "Keiko", "Lars", "Leila", "Lucia", "Magnus", "Malik", "Mareike", "Mateo", "Mei",
    "Mirela", "Nadia", "Niamh", "Nils", "Oksana", "Olu", "Pablo", "Petra", "Priya", "Quentin",
    "Rafael", "Rania", "Renata", "Rohan", "Saoirse", "Sebastian", "Selin", "Søren", "Tamsin",
    "Tariq", "Thea", "Tomasz", "Ulrike", "Valentina", "Viktor", "Wanjiru", "Xavier", "Yara",
    "Yusuf", "Zofia", "Arjun", "Beatriz", "Cormac", "Daria", "Élodie", "Florian", "Gustavo",
    "Hiroshi", "Ilse", "Joaquín", "Kirsten", "Lorenzo", "Marisol", "Naoki", "Odile", "Pieter",
    "Rosalind", "Stellan", "Tove", "Wen",
)  # fmt: skip
_LAST_NAMES = (
    "Abernathy", "Achterberg", "Adeyemi", "Almeida", "Arkwright", "Belmonte", "Bergqvist",
    "Brannigan", "Castellanos", "Cavanagh", "Dalca", "Drummond", "Eskildsen", "Falkenrath",
    "Ferreira-Lund", "Galloway", "Grünewald", "Haverkamp", "Hollis", "Ibarra", "Iwasaki",
    "Jablonski", "Kaczmarek", "Kinsella", "Kowalczyk", "Lindahl", "Lockhart", "Marchetti",
    "Mwangi", "Nakagawa", "Nordahl", "Okonkwo", "Oyelaran", "Pacheco", "Petrosyan", "Quiroga",
    "Rasmussen", "Reinholt", "Saarinen", "Salgado", "Sandoval", "Szabo", "Takeda", "Thorsen",
    "Uchida", "Valcourt", "Varga", "Vasquez-Roe", "Wainwright", "Weissmann", "Whitcombe",
    "Yilmaz", "Zamora", "Zielinski", "Ashworth", "Beaumont", "Carrow", "Delacroix", "Eberhardt",
    "Fontaine", "Gallardo", "Halloran", "Ingersoll", "Jovanovic", "Kessler", "Lisowski",
    "Montoya", "Novak", "Ortega-Blake", "Pemberton", "Rourke", "Tremblay", "Underwood",
    "van der Berg", "Whitfield", "Yamada", "Zeller", "Okafor", "Lindqvist", "Arasaka",
)  # fmt: skip


def _build_people(count: int) -> tuple[tuple[str, str], ...]:
    """Pair first and last names without repeats: (full name, last name) for reuse in text."""
    picker = random.Random(7919)
    combos = picker.sample(range(len(_FIRST_NAMES) * len(_LAST_NAMES)), count)
    people = []
    for combo in combos:
        first = _FIRST_NAMES[combo // len(_LAST_NAMES)]
        last = _LAST_NAMES[combo % len(_LAST_NAMES)]
        people.append((f"{first} {last}", last[0].upper() + last[1:]))
    return tuple(people)


PEOPLE: tuple[tuple[str, str], ...] = _build_people(300)
_NEWS_PEOPLE = PEOPLE[:220]  # executives, officials, analysts, union leaders
_STAFF = PEOPLE[220:]  # reporters and editors


def _email(name: str, salt: int) -> str:
    """An invented wire-style address: first initial, last name, maybe a digit."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    parts = re.sub(r"[^A-Za-z ]", "", ascii_name).lower().split()
    digits = str(salt % 30) if salt % 3 else ""
    return f"{parts[0][0]}{''.join(parts[1:])}{digits}@bloomberg.net"


_STAFF_EMAILS = tuple(_email(name, i * 7) for i, (name, _) in enumerate(_STAFF))

# Official titles: (title used before a name, short role for update notes).
_OFFICIAL_TITLES = (
    ("Finance Minister", "minister"),
    ("Economy Minister", "minister"),
    ("Trade Minister", "minister"),
    ("Transport Minister", "minister"),
    ("Industry Minister", "minister"),
    ("Energy Minister", "minister"),
    ("Labor Minister", "minister"),
    ("Deputy Finance Minister", "minister"),
    ("central bank Governor", "governor"),
    ("Deputy Governor", "governor"),
    ("competition commissioner", "regulator"),
    ("financial regulator chief", "regulator"),
)
_EXEC_TITLES = (
    "chief operating officer", "head of strategy", "president of the Americas business",
    "head of Asian operations", "chief technology officer", "head of the retail division",
    "deputy chief executive", "head of investor relations",
)  # fmt: skip

# City, country, adjective, currency (plural), currency (singular name), region.
_PLACES = (
    ("New York", "the US", "American", "dollars", "dollar", "North America"),
    ("San Francisco", "the US", "American", "dollars", "dollar", "North America"),
    ("Chicago", "the US", "American", "dollars", "dollar", "North America"),
    ("Houston", "the US", "American", "dollars", "dollar", "North America"),
    ("Toronto", "Canada", "Canadian", "Canadian dollars", "Canadian dollar", "North America"),
    ("London", "the UK", "British", "pounds", "pound", "Europe"),
    ("Frankfurt", "Germany", "German", "euros", "euro", "Europe"),
    ("Munich", "Germany", "German", "euros", "euro", "Europe"),
    ("Paris", "France", "French", "euros", "euro", "Europe"),
    ("Amsterdam", "the Netherlands", "Dutch", "euros", "euro", "Europe"),
    ("Madrid", "Spain", "Spanish", "euros", "euro", "Europe"),
    ("Milan", "Italy", "Italian", "euros", "euro", "Europe"),
    ("Lisbon", "Portugal", "Portuguese", "euros", "euro", "Europe"),
    ("Stockholm", "Sweden", "Swedish", "kronor", "krona", "Europe"),
    ("Oslo", "Norway", "Norwegian", "kroner", "krone", "Europe"),
    ("Zurich", "Switzerland", "Swiss", "francs", "franc", "Europe"),
    ("Warsaw", "Poland", "Polish", "zloty", "zloty", "Europe"),
    ("Istanbul", "Turkey", "Turkish", "liras", "lira", "Europe"),
    ("Tokyo", "Japan", "Japanese", "yen", "yen", "Asia"),
    ("Osaka", "Japan", "Japanese", "yen", "yen", "Asia"),
    ("Seoul", "South Korea", "South Korean", "won", "won", "Asia"),
    ("Hong Kong", "China", "Chinese", "yuan", "yuan", "Asia"),
    ("Shanghai", "China", "Chinese", "yuan", "yuan", "Asia"),
    ("Mumbai", "India", "Indian", "rupees", "rupee", "Asia"),
    ("Singapore", "Singapore", "Singaporean", "Singapore dollars", "Singapore dollar", "Asia"),
    ("Jakarta", "Indonesia", "Indonesian", "rupiah", "rupiah", "Asia"),
    ("Sydney", "Australia", "Australian", "Australian dollars", "Australian dollar", "Asia"),
    ("Dubai", "the United Arab Emirates", "Emirati", "dirhams", "dirham", "the Middle East"),
    ("Johannesburg", "South Africa", "South African", "rand", "rand", "Africa"),
    ("Sao Paulo", "Brazil", "Brazilian", "reais", "real", "Latin America"),
    ("Mexico City", "Mexico", "Mexican", "pesos", "peso", "Latin America"),
    ("Santiago", "Chile", "Chilean", "pesos", "peso", "Latin America"),
)  # fmt: skip
_SUFFIXES = {
    "the US": ("Inc.", "Corp.", "Holdings Inc.", "Co."),
    "Canada": ("Inc.", "Corp.", "Ltd."),
    "the UK": ("Plc", "Group Plc", "Ltd.", "Holdings Plc"),
    "Germany": ("AG", "SE", "Holding AG"),
    "France": ("SA", "Group SA"),
    "the Netherlands": ("NV", "Holding NV"),
    "Spain": ("SA",),
    "Italy": ("SpA",),
    "Portugal": ("SA", "SGPS SA"),
    "Sweden": ("AB", "Group AB"),
    "Norway": ("ASA",),
    "Switzerland": ("AG", "Holding AG"),
    "Poland": ("SA",),
    "Turkey": ("AS",),
    "Japan": ("Corp.", "Co.", "Holdings Inc."),
    "South Korea": ("Co.", "Corp."),
    "China": ("Ltd.", "Group Co.", "Holdings Ltd."),
    "India": ("Ltd.",),
    "Singapore": ("Ltd.", "Pte"),
    "Indonesia": ("Tbk",),
    "Australia": ("Ltd.",),
    "the United Arab Emirates": ("PJSC",),
    "South Africa": ("Ltd.",),
    "Brazil": ("SA",),
    "Mexico": ("SAB",),
    "Chile": ("SA",),
}


@dataclass(frozen=True)
class _Sector:
    """What a company does, in the words the templates need."""

    name_words: tuple[str, ...]
    noun: str
    plural: str
    products: str
    units: tuple[str, ...]
    union: str
    trade: str


_SECTORS = (
    _Sector(("Bank", "Financial", "Capital"), "lender", "lenders", "loans",
            ("wealth-management unit", "investment bank", "consumer-lending arm"),
            "Bank Employees’ Union", "Bank"),
    _Sector(("Semiconductor", "Microsystems", "Technologies"), "chipmaker", "chipmakers", "chips",
            ("memory division", "automotive-chip business", "foundry unit"),
            "Electronics Workers’ Union", "Chip Plant"),
    _Sector(("Mining", "Resources", "Minerals"), "miner", "miners", "metals",
            ("nickel operations", "coal business", "exploration unit"),
            "Mineworkers’ Union", "Mine"),
    _Sector(("Motors", "Automotive"), "carmaker", "carmakers", "vehicles",
            ("electric-vehicle unit", "truck division", "parts business"),
            "Metalworkers’ Union", "Auto"),
    _Sector(("Stores", "Retail", "Brands"), "retailer", "retailers", "clothing and homewares",
            ("online business", "grocery chain", "outlet stores"),
            "Retail Workers’ Union", "Store"),
    _Sector(("Insurance", "Assurance", "Re"), "insurer", "insurers", "policies",
            ("life-insurance arm", "reinsurance unit", "asset manager"),
            "Finance Sector Union", "Insurance"),
    _Sector(("Shipping", "Line", "Maritime"), "shipping line", "shipping companies",
            "freight services", ("tanker fleet", "port terminals", "logistics arm"),
            "Dockworkers’ Union", "Port"),
    _Sector(("Airways", "Air", "Aviation"), "airline", "airlines", "flights",
            ("cargo unit", "budget carrier", "loyalty program"),
            "Cabin Crew Association", "Airline"),
    _Sector(("Pharmaceuticals", "Therapeutics", "Biosciences"), "drugmaker", "drugmakers",
            "medicines", ("generics unit", "vaccine business", "consumer-health arm"),
            "Chemical Workers’ Union", "Pharmaceutical"),
    _Sector(("Software", "Systems", "Digital"), "software maker", "software companies",
            "subscriptions", ("cloud business", "payments unit", "cybersecurity arm"),
            "Tech Workers’ Union", "Software"),
    _Sector(("Energy", "Power", "Utilities"), "utility", "utilities", "electricity",
            ("grid unit", "renewables arm", "gas-distribution business"),
            "Energy Workers’ Union", "Power Plant"),
    _Sector(("Telecom", "Communications", "Networks"), "phone company", "phone carriers",
            "mobile plans", ("fiber network", "tower unit", "broadband arm"),
            "Communications Workers’ Union", "Telecom"),
    _Sector(("Foods", "Brands"), "food company", "food makers", "snacks and drinks",
            ("dairy business", "frozen-food unit", "coffee brand"),
            "Food Workers’ Union", "Food Plant"),
    _Sector(("Properties", "Land", "Real Estate"), "developer", "property developers",
            "apartments", ("office portfolio", "hotel unit", "shopping-mall business"),
            "Construction Workers’ Union", "Construction"),
)  # fmt: skip

_STEM_HEADS = (
    "Al", "Bel", "Cor", "Dal", "Es", "Fen", "Gal", "Hel", "Iv", "Kes", "Lum", "Mar", "Nor", "Ost",
    "Pel", "Quin", "Ros", "Sol", "Tav", "Ver", "Wes", "Yar", "Zen", "Bran", "Cal", "Dun", "Eld",
    "Grav", "Hal", "Kor",
)  # fmt: skip
_STEM_TAILS = (
    "vex", "cora", "vanta", "marro", "kavi", "wick", "tera", "iax", "arro", "trane", "eon",
    "vesta", "vale", "anto", "dria", "holm", "ridge", "mont", "quay", "stead",
)  # fmt: skip


@dataclass(frozen=True)
class Company:
    """An invented company: full name on first mention, short name after."""

    name: str
    short: str
    sector: int
    place: int


def _build_companies(count: int) -> tuple[Company, ...]:
    """Coin company names from syllables so none is a real company's name by design."""
    picker = random.Random(104729)
    stems = [head + tail.lower() for head in _STEM_HEADS for tail in _STEM_TAILS]
    companies = []
    for stem in picker.sample(stems, count):
        sector = picker.randrange(len(_SECTORS))
        place = picker.randrange(len(_PLACES))
        words = _SECTORS[sector].name_words
        middle = f" {picker.choice(words)}" if picker.random() < 0.7 else ""
        suffix = picker.choice(_SUFFIXES[_PLACES[place][1]])
        companies.append(Company(f"{stem}{middle} {suffix}", stem, sector, place))
    return tuple(companies)


COMPANIES: tuple[Company, ...] = _build_companies(200)


def _build_firms() -> tuple[str, ...]:
    """Invented brokers and research houses that analysts work for."""
    picker = random.Random(15485863)
    kinds = ("Securities", "Capital Markets", "Research", "Partners", "Investment Bank")
    lasts = picker.sample([n for n in _LAST_NAMES if " " not in n and "-" not in n], 30)
    return tuple(f"{last} {picker.choice(kinds)}" for last in lasts)


FIRMS: tuple[str, ...] = _build_firms()
FUNDS: tuple[str, ...] = (
    "Kestrel Ridge Capital", "Blackmoor Partners", "Aldgate Value Fund", "Tern Point Capital",
    "Hollowell Asset Management", "Greyfriars Investors", "Saltmarsh Capital Management",
    "Northgate Opportunity Fund", "Oakhurst Activist Partners", "Brightwater Holdings",
)  # fmt: skip
_COMMODITIES = (
    ("copper", "a ton", 5500, 10500, 0),
    ("nickel", "a ton", 12000, 30000, 0),
    ("aluminum", "a ton", 1600, 3200, 0),
    ("zinc", "a ton", 2000, 4000, 0),
    ("iron ore", "a ton", 70, 200, 2),
    ("Brent crude", "a barrel", 40, 120, 2),
    ("natural gas", "per million British thermal units", 2, 9, 3),
    ("wheat", "a bushel", 4, 12, 2),
    ("coffee", "a pound", 1, 3, 2),
    ("cocoa", "a ton", 2000, 9000, 0),
)
_NEWSLETTERS = (
    "Sign up for Market Pulse, a daily newsletter on what moves stocks before the open.",
    "Sign up for The Commodity Desk, a weekly look at the forces behind raw-material prices.",
    "Sign up for Deal Flow Daily to get the latest on mergers and acquisitions.",
    "Sign up for Rate Watch, our newsletter tracking central banks around the world.",
    "Sign up for Factory Floor, a weekly dispatch on manufacturing and supply chains.",
)

# ---------------------------------------------------------------------------------------------
# Templates. Slots are filled from a per-story context; numbers are refreshed per paragraph.
# ---------------------------------------------------------------------------------------------


# Paragraph kinds after the lead, and how often each comes up by kind of story: company
# stories lean on background, share moves and executives' quotes; market stories and policy
# stories on the economy and observers' quotes (a rate decision has no share price).
_KINDS = (
    "detail",
    "quote",
    "analyst",
    "background",
    "market",
    "macro",
    "read",
    "bullets",
    "rating",
)
_COMPANY_MIX = (24, 14, 10, 16, 12, 7, 3, 1, 0)
_RESULTS_MIX = (24, 14, 10, 14, 12, 5, 3, 4, 3)  # earnings: bullets and analyst ratings
_MARKETS_MIX = (30, 16, 6, 4, 8, 26, 3, 1, 0)
_POLICY_MIX = (34, 18, 0, 0, 0, 42, 3, 0, 0)


@dataclass(frozen=True)
class _Topic:
    """Templates for one kind of story: headline and lead pairs (same index), details."""

    name: str
    headlines: tuple[str, ...]
    leads: tuple[str, ...]
    details: tuple[str, ...]
    mix: tuple[float, ...] = _COMPANY_MIX


_TOPICS = (
    _Topic(
        "earnings",
        (
            "{co_s} Shares Slump After {Qa} Sales Miss Estimates",
            "{co_s} Beats Profit Forecasts as Demand for {Prod} Rebounds",
            "{co_s} Cuts Full-Year Outlook, Blaming Weak Demand in {country2_t}",
            "{co_s} Profit Jumps {hpct} on Cost Cuts and Higher Prices",
            "{co_s} Warns on Margins as Costs Climb; Shares Fall",
        ),
        (
            "Shares of {co} fell as much as {pct} in {home} after the {noun} said {qa} sales "
            "came in below analysts’ estimates.",
            "{co} reported {qa} profit that beat analysts’ estimates as demand for {prod} "
            "rebounded, sending its shares to their biggest gain in months.",
            "{co} cut its full-year forecast on {day}, saying customers in {country2} had delayed "
            "orders for {prod} as borrowing costs climbed.",
            "{co} said {qa} net income rose {hpct}, as cost cuts and price increases more than "
            "offset weaker volumes.",
            "{co} reported {qa} profit that fell short of analysts’ estimates and warned that "
            "margins would narrow further as energy and labor costs rise.",
        ),
        (
            "Net income fell to {amt} in the three months ended {month}, from {amt2} a year "
            "earlier, the company said in a statement.",
            "Revenue rose {pct} to {amt}, compared with the {amt2} average estimate of analysts "
            "surveyed by Bloomberg.",
            "The {noun} now expects sales growth of {pct_s} to {pct} this year, down from an "
            "earlier forecast of as much as {pct2}.",
            "Its {unit} was the weak spot, with operating profit down {pct} as customers in "
            "{country2} held back orders.",
            "Gross margin narrowed to {margin}, the lowest in {n} quarters, as the cost of "
            "energy and freight kept rising.",
            "{cfo}, the chief financial officer, said on a call with analysts that the second "
            "half would look better as price increases take effect.",
            "The company will buy back as much as {amt2} of stock over the next {n} months and "
            "keep its dividend unchanged.",
            "Sales in {country2}, its second-biggest market, slipped {pct} as distributors ran "
            "down inventories.",
            "Excluding one-time items, earnings came to {price} a share, ahead of the consensus "
            "estimate.",
            "The {noun} booked a charge of {amt2} to write down the value of its {unit}.",
            "Orders, a gauge of future sales, climbed {pct} from a year earlier.",
            "Operating expenses rose {pct_s} as the company hired more engineers and spent more "
            "on marketing.",
        ),
        mix=_RESULTS_MIX,
    ),
    _Topic(
        "deal",
        (
            "{co_s} Agrees to Buy {co2_s} for {hamt} in {Noun} Deal",
            "{co_s} Explores Sale of Business That Could Fetch {hamt}",
            "{co_s} Nears Deal for {co2_s} After Months of Talks",
            "{co2_s} Rejects {hamt} Takeover Approach From {co_s}",
            "{co_s}, {co2_s} Agree to Combine in All-Stock Merger",
        ),
        (
            "{co} agreed to buy {co2} for about {hamt_l}, the latest in a string of deals among "
            "{plural} in {region}.",
            "{co} is exploring a sale of its {unit} that could value the business at about "
            "{hamt_l}, according to people familiar with the matter.",
            "{co} is nearing an agreement to acquire {co2} after months of negotiations, "
            "according to people familiar with the matter.",
            "{co2} rejected a takeover approach from {co}, saying the {hamt_l} offer undervalued "
            "the company and its prospects.",
            "{co} and {co2} agreed to merge in an all-stock deal that will create one of the "
            "largest {plural} in {country}.",
        ),
        (
            "The offer of {price} a share is {pct2} above {co2_s}’s closing price on {prevday}, "
            "the companies said in a statement.",
            "The deliberations are at an early stage and no final decision has been made, said "
            "the people, who asked not to be identified because the matter is private.",
            "{co_s} has been working with advisers on the deal for several months and has "
            "approached {n} potential bidders, the people said.",
            "The transaction is expected to close in the {half} of {next_year} and still needs "
            "approval from regulators in {country} and {country2}.",
            "{co_s} will pay for the deal with cash on hand and about {amt2} of new debt, "
            "according to the statement.",
            "Representatives for {co_s} and {co2_s} declined to comment.",
            "The combined company would have annual sales of about {amt2} and some {big} "
            "employees.",
            "{co2_s} shareholders will own about {pct2} of the combined company.",
            "The companies expect savings of about {amt2} a year by the third year after the "
            "deal closes.",
            "Private equity firms have also looked at the business, though none has made a "
            "formal offer, the people said.",
            "{co2_s}’s board said it remained open to an improved proposal.",
            "If the deal collapses, {co_s} would owe a break fee of {amt2}.",
        ),
    ),
    _Topic(
        "markets",
        (
            "{Adj} Stocks Fall Most in {Nw} Weeks as Rate Fears Return",
            "{co_s} Leads Rally in {Adj} {Plural} as Traders Bet on Recovery",
            "Bonds Rally in {country_t} as Inflation Slows More Than Expected",
            "{Curname} Slides to {n}-Month Low as Investors Pull Money Out",
        ),
        (
            "{adj} stocks fell the most in {nw} weeks on {day}, as stronger-than-expected wage "
            "data revived concern that interest rates will stay higher for longer.",
            "Shares of {adj} {plural} rallied on {day}, led by {co}, after a report showed "
            "orders for {prod} picked up for the first time this year.",
            "Bonds in {country} rallied after inflation slowed more than economists had "
            "forecast, pushing the yield on {tenor}-year notes down {bps} basis points.",
            "The {curname} slid to its weakest level in {n} months against the dollar as "
            "foreign investors pulled money out of {country}’s markets.",
        ),
        (
            "The benchmark index dropped {pct_s}, with {n} of its 11 industry groups lower, "
            "while trading volumes were {pct2} above the 30-day average.",
            "{co_s} was among the biggest decliners, down {pct}, after {firm} cut its price "
            "target on the stock.",
            "Traders have pared bets on rate cuts this year and now see less than a {pct2} "
            "chance of a move at the central bank’s next meeting.",
            "The yield on the 10-year bond rose {bps} basis points to {rate}, the highest since "
            "{month}.",
            "Foreign investors have sold a net {amt} of local equities this month, the most since "
            "{prev_year}, according to exchange data.",
            "Volatility has picked up since {month}, and a gauge of expected swings in the index "
            "is near its highest in a year.",
            "Strategists at {firm} said the selloff looked overdone and recommended clients add "
            "to positions in {plural}.",
            "Small caps underperformed, with a gauge of smaller companies down {pct}.",
            "Defensive shares such as utilities and food makers held up better than the broader "
            "market.",
            "The index is still up {pct2} this year after a rally that was led by a handful of "
            "large companies.",
            "Investors will watch {country}’s inflation report due next week for clues on the "
            "path of interest rates.",
            "Money managers have been adding to cash holdings, according to a survey by {firm}.",
        ),
        mix=_MARKETS_MIX,
    ),
    _Topic(
        "policy",
        (
            "{country_t} Central Bank Raises Rates to {hrate}, Signals More to Come",
            "{country_t} Holds Rates Steady as Inflation Eases",
            "{country_t} Unveils {hamt} Plan to Revive Slowing Economy",
            "{country_t}'s {OffT} Says Budget Gap Will Narrow Next Year",
        ),
        (
            "{country_c}’s central bank raised its benchmark interest rate by {bps} basis points "
            "to {rate} on {day}, its {nth} increase this year, and said further tightening may "
            "be needed.",
            "{country_c}’s central bank left borrowing costs unchanged at {rate}, saying "
            "inflation was easing faster than policy makers had expected.",
            "The government of {country} unveiled a {hamt_l} package of tax breaks and "
            "infrastructure spending on {day} to support an economy growing at its slowest pace "
            "in {n} years.",
            "{Offtitle} {off} said the budget deficit would narrow to {pct_s} of gross domestic "
            "product next year as spending on energy subsidies winds down.",
        ),
        (
            "All but {nfew} of the {nsurvey} economists surveyed by Bloomberg had predicted the "
            "decision.",
            "Inflation slowed to {pct} in {month}, still above the central bank’s target of "
            "{pct_s}.",
            "The economy grew {pct_s} in the {q} from the previous three months, held back by "
            "weak exports and a slump in construction.",
            "“We will do what is necessary to bring inflation back to target, and we will not "
            "hesitate,” {Offtitle} {off} told reporters in {city}.",
            "The package includes {amt2} for roads and railways and a temporary cut in "
            "value-added tax on food, according to a statement from the finance ministry.",
            "Opposition lawmakers said the measures came too late and would do little for "
            "households struggling with higher rents.",
            "Markets had priced in the move, and the {curname} was little changed after the "
            "announcement.",
            "Two members of the rate-setting committee voted for a smaller increase, according "
            "to the statement.",
            "The central bank raised its inflation forecast for next year to {pct_s}.",
            "Policy makers said they would watch wage talks closely before deciding on the next "
            "step.",
            "The government expects the measures to add about {pct_s} to economic growth over "
            "two years.",
            "Rating companies have warned that a wider deficit could put {country}’s credit "
            "rating under pressure.",
        ),
        mix=_POLICY_MIX,
    ),
    _Topic(
        "labor",
        (
            "{city} {Trade} Workers Walk Out, Halting {co_s} Operations",
            "{co_s} Workers Vote to Strike Over Pay as Talks Stall",
            "{co_s} Reaches Wage Deal With Union, Ending {Nw}-Day Strike",
            "{co_s} Strike Enters {Nth} Week With No Talks Scheduled",
        ),
        (
            "Workers at {co} walked off the job on {day} after wage talks collapsed, halting "
            "operations at its largest site near {city}.",
            "Members of {union} voted to strike at {co}, rejecting a pay offer of {pct_s} that "
            "the union said failed to keep up with inflation.",
            "{co} reached a wage agreement with its unions, ending a strike that had shut its "
            "operations in {country} for {nw} days.",
            "A strike at {co} entered its {nth} week on {day}, with no new talks scheduled "
            "between management and {union}.",
        ),
        (
            "The union is demanding a raise of {pct2} over two years, while management has "
            "offered {pct_s} and a one-time bonus.",
            "{ul}, who leads the union, said members were prepared to stay out “as long as it "
            "takes.”",
            "The stoppage is costing the company about {amt2} a day in lost output, according to "
            "estimates from {firm}.",
            "About {big} employees are covered by the agreement, which runs until {next_year}.",
            "The strike is the {nth} at the company since {prev_year} and comes as workers "
            "across {country} push for pay rises to match higher living costs.",
            "{co_s} said it had activated contingency plans and would keep supplying customers "
            "from its sites in {country2}.",
            "Talks are due to resume on {day} with a government mediator, according to the union.",
            "Picket lines formed outside the main gates before dawn, and trucks queued for "
            "several kilometers.",
            "The company said the union’s demands would add {amt2} a year to its costs.",
            "Suppliers warned that a long stoppage could force them to cut shifts.",
        ),
    ),
    _Topic(
        "legal",
        (
            "{co_s} Fined {hamt} by {Adj} Regulator Over Sales Practices",
            "{co_s} Faces Antitrust Probe in {country_t} Over {Prod} Pricing",
            "Court Blocks {co_s}'s Bid to Dismiss Lawsuit by Investors",
        ),
        (
            "{co} was fined {hamt_l} by {country}’s financial regulator for misleading customers "
            "about the fees on its {prod}.",
            "Antitrust authorities in {country} opened an investigation into whether {co} abused "
            "its dominant position in the market for {prod}.",
            "A court in {city} rejected a request by {co} to dismiss a lawsuit filed by investors "
            "who say the company hid losses at its {unit}.",
        ),
        (
            "The regulator said the failings took place between {prev_year} and {year} and "
            "affected about {big} customers.",
            "{co_s} said it would cooperate fully with the investigation and had already changed "
            "the way it sells {prod}.",
            "If the company is found to have broken the law, it could face a fine of as much as "
            "10% of its global annual sales.",
            "Lawyers for the investors are seeking damages of about {amt2}, according to court "
            "filings.",
            "A spokesperson for the company said it disagreed with the ruling and was "
            "considering an appeal.",
            "The case is one of {n} that authorities in {country} have brought against {plural} "
            "since {prev_year}.",
            "The investigation began after complaints from {n} smaller competitors, according to "
            "the authority’s statement.",
            "{co_s} has set aside {amt2} to cover possible fines and compensation.",
            "A trial date has not been set.",
            "The company agreed to pay back customers who were overcharged, the regulator said.",
        ),
    ),
    _Topic(
        "commodities",
        (
            "{CmT} Climbs to {n}-Month High as Supply Fears Grow",
            "{CmT} Falls as Demand From {country2_t} Cools",
            "{co_s} Halts Output at {country_t} Site, Lifting {CmT} Prices",
        ),
        (
            "{Cm} prices rose to the highest in {n} months after {co} halted production at one "
            "of its biggest sites in {country}.",
            "{Cm} fell for a {nth} day as signs of slowing demand in {country2} outweighed "
            "concerns about tighter supply.",
            "{co} suspended work at a site in {country} after an accident on {day}, adding to "
            "worries about supplies of {cm}.",
        ),
        (
            "Futures rose as much as {pct_s} to {cprice}, before paring gains.",
            "Inventories tracked by the exchange have dropped {pct2} since {month} to the lowest "
            "in {n} years.",
            "{co_s} said it was too early to say when operations would resume and that no one "
            "had been seriously hurt.",
            "Hedge funds have increased bullish bets for {n} straight weeks, according to data "
            "from regulators.",
            "“The market was already tight, and this takes away the cushion,” said {an}, an "
            "analyst at {firm} in {city}.",
            "Demand from builders and factories in {country2} has been weaker than expected this "
            "year.",
            "Prices are still down about {pct} from a peak in {month}.",
            "Traders are watching shipping data for signs that buyers are rebuilding stockpiles.",
            "Producers have been reluctant to invest in new supply after years of volatile prices.",
            "The spread between near-term and later-dated contracts widened, a sign of tight "
            "prompt supply.",
            "Some consumers have switched to cheaper substitutes, according to {firm}.",
        ),
        mix=_MARKETS_MIX,
    ),
    _Topic(
        "product",
        (
            "{co_s} Unveils New {Prod} Lineup to Win Back Customers",
            "{co_s} Delays Flagship Launch Until {next_year}",
            "{co_s} Bets {hamt} on Artificial Intelligence to Revive Growth",
        ),
        (
            "{co} unveiled a new line of {prod} on {day} as the {noun} tries to win back "
            "customers lost to cheaper rivals in {country2}.",
            "{co} delayed the launch of its most important new product until {next_year}, "
            "citing problems with suppliers.",
            "{co} plans to invest {hamt_l} in artificial intelligence over the next {n} years, "
            "Chief Executive Officer {ceo} said at an event in {city}.",
        ),
        (
            "The new products will go on sale next month at prices about {pct} below the "
            "previous generation.",
            "{ceo_l} said the company expects the new range to account for about a third of "
            "revenue within {n} years.",
            "Analysts have questioned whether {co_s} can keep up with larger rivals such as "
            "{co2}, which spends about {amt2} a year on research.",
            "The company is hiring about {big} engineers and building a research center in "
            "{city2}.",
            "{co_s} has lost market share for {n} straight quarters, according to estimates from "
            "{firm}.",
            "A delay would push back revenue that analysts had expected in the first half of "
            "{next_year}.",
            "The launch event was the first since {ceo_l} took charge and was closely watched by "
            "investors.",
            "Early orders from business customers have been stronger than expected, the company "
            "said.",
            "{co_s} will make the products at its plant in {country2} to avoid import tariffs.",
            "Reviews of test versions were mixed, with some users complaining about the price.",
        ),
    ),
    _Topic(
        "management",
        (
            "{co_s} CEO {ceo_l} Steps Down After {Nw} Years at the Helm",
            "{co_s} Names {exec} as Chief Executive Officer",
            "{co_s} Finance Chief Quits in Latest Departure",
        ),
        (
            "{co} Chief Executive Officer {ceo} will step down at the end of the year, the "
            "{noun} said on {day}, ending {nw} years at the helm marked by slipping market share.",
            "{co} named {exec}, its {extitle}, as its next chief executive officer, replacing "
            "{ceo}, who is retiring.",
            "{co}’s chief financial officer, {cfo}, has resigned, the latest in a string of "
            "senior departures from the {noun}.",
        ),
        (
            "The board has hired an executive search firm and is considering internal and "
            "external candidates, according to a statement.",
            "{exec_l}, who joined the company in {prev_year}, previously ran its {unit} and is "
            "seen by investors as a cost-cutter.",
            "The departure comes {n} months after activist investor {fund} built a stake in the "
            "company and called for a new strategy.",
            "{ceo} will remain as an adviser until {month} to ensure a smooth transition, the "
            "company said.",
            "Shares have fallen about {pct2} since {ceo_l} took over, trailing an index of "
            "{plural} over the same period.",
            "The company did not give a reason for the change.",
            "{exec_l} will take over on {month} 1 and join the board, the statement said.",
            "Investors have pushed for a shake-up of the management team after {n} profit "
            "warnings in two years.",
            "The chairman will lead the company on an interim basis until a successor is found.",
            "{exec_l}’s pay package includes a bonus tied to the share price, according to a "
            "filing.",
        ),
    ),
)

_BACKGROUND = (
    "{co_s}, based in {home}, employs about {big} people and sells its {prod} in more than {n} "
    "countries.",
    "The company was founded in {founded} and listed its shares in {home} in {listed}.",
    "{co_s} has struggled since {prev_year}, when a costly expansion into {country2} coincided "
    "with a slump in demand.",
    "The {noun} has been cutting jobs and selling assets to reduce debt that reached {amt2} at "
    "the end of last year.",
    "Its shares have fallen about {pct2} over the past 12 months, valuing the company at "
    "roughly {amt}.",
    "{Plural_c} across {region} have faced higher costs for energy and labor since {prev_year}.",
    "{co_s} competes with {co2_s} and a handful of smaller rivals for customers in {country}.",
    "The company makes about {pct2} of its sales outside its home market, making it sensitive "
    "to swings in currencies.",
    "{ceo}, who took over as chief executive in {prev_year}, has promised to double profit by "
    "{next_year}.",
    "The {noun} last year announced a plan to cut costs by {amt2}, mostly by closing sites and "
    "consolidating offices.",
    "Its largest shareholder is {fund}, which holds about {pct2} of the stock.",
    "A previous attempt to sell the {unit} fell apart in {prev_year} after the parties failed to "
    "agree on a price.",
    "The company has paid a dividend every year since {founded}.",
    "{co_s} reported a net loss of {amt2} for {prev_year}, its first in more than a decade.",
    "{co_s} has said it wants to expand in {country2}, where it opened its first office in "
    "{listed}.",
    "The {unit} accounts for about {pct2} of group revenue but a larger share of profit.",
    "The company’s credit rating was cut one step to the lowest investment grade in {prev_year}.",
    "{co_s} moved its headquarters to {home} in {listed} to be closer to its biggest customers.",
    "The founding family still controls about a third of the voting rights.",
    "Over the past decade, {co_s} has made {n} acquisitions, most of them small.",
)
_MACRO = (
    "The economy of {country} expanded {pct_s} last year, and economists expect growth to slow "
    "in {next_year}.",
    "Inflation in {country} has eased from its peak but remains above the central bank’s target.",
    "Higher interest rates have made it more expensive for companies to refinance debt, and "
    "defaults have started to rise.",
    "Consumer confidence in {country} fell in {month} to the lowest level in {n} months, a "
    "survey showed.",
    "Exports from {country} to {country2} rose {pct} in the first half, according to customs data.",
    "Demand from {country2} has been weaker than expected as its property market struggles.",
    "Energy prices have fallen from last year’s highs, easing pressure on factories across "
    "{region}.",
    "The {curname} has weakened about {pct} against the dollar this year.",
    "Labor markets remain tight, and wages in {country} rose {pct} in the year to {month}.",
    "Policy makers are trying to cool prices without tipping the economy into a recession.",
    "Manufacturing activity in {region} shrank for a {nth} month in {month}, according to a "
    "survey of purchasing managers.",
    "Retail sales in {country} rose {pct_s} in {month} from the previous month, more than "
    "economists had expected.",
    "Unemployment in {country} held near a record low of {pct_s}.",
    "House prices in {city} have fallen {pct} from their peak as mortgage rates climbed.",
    "The government’s debt has risen to about {pct2} of gross domestic product.",
    "Business investment in {region} has been held back by uncertainty over trade rules.",
    "Economists at {firm} cut their growth forecast for {country} to {pct_s} for {next_year}.",
    "Tourism has recovered strongly, helping to offset weaker exports of goods.",
    "Shipping costs between {region} and {country2} have doubled since {month}.",
    "A survey of business leaders in {country} showed the most pessimism since {prev_year}.",
)
_MARKET = (
    "{co_s} shares rose as much as {pct} in {home} trading, the most since {month}.",
    "The shares fell {pct} to {price} at {clock} in {home}, the biggest decline in {n} weeks.",
    "The stock has gained {pct2} this year, compared with a {pct_s} rise for the benchmark index.",
    "Shares of {co2_s} also moved, rising {pct_s} in early trading.",
    "Trading volume was about {n} times the 20-day average.",
    "The stock closed {pct} lower, erasing its gains for the year.",
    "The cost of insuring the company’s debt against default rose {bps} basis points, according "
    "to traders.",
    "Bonds issued by {co_s} due {due_year} fell about {n} cents on the dollar.",
    "Options traders piled into bets on further declines, with puts outnumbering calls by "
    "{n} to one.",
    "{co_s} shares were little changed at {price} as of {clock} in {home}.",
    "The stock jumped {pct} at the open before giving back about half of the gain.",
    "Short interest in the stock has climbed to about {pct_s} of shares available for trading.",
)
_ANALYST = (
    "{an}, an analyst at {firm}, said the results suggest the {noun} is gaining share from "
    "weaker rivals.",
    "{firm} analyst {an} cut the price target on {co_s} to {price}, citing slower growth in "
    "{country2}.",
    "Of the {ncover} analysts who cover the stock, {nbuy} recommend buying it, according to data "
    "compiled by Bloomberg.",
    "Analysts at {firm} wrote in a note to clients that the outlook “looks conservative” and "
    "that earnings could surprise on the upside.",
    "Analysts at {firm} downgraded the stock to neutral, saying the recent rally had left little "
    "room for further gains.",
    "The stock trades at about {pe} times estimated earnings for the next 12 months, compared "
    "with an average of {pe2} for its peers.",
    "{firm} raised its rating on {co_s} to buy, arguing that the market is underestimating "
    "demand for its {prod}.",
    "Some analysts warned that a weaker {curname} could squeeze margins in the second half.",
    "{an2}, who covers the company at {firm2}, said investors would want more detail on costs "
    "before buying back in.",
    "Analysts have cut their profit estimates for the {noun} by about {pct} over the past three "
    "months.",
    "{firm2} said the results were “messy” but the underlying trend was better than it looked.",
    "Credit analysts at {firm2} said the company had enough cash to cover debt coming due over "
    "the next two years.",
)
_EXEC_QUOTES = (
    "We are seeing customers come back, but they are more cautious than they were a year ago",
    "The worst is probably behind us, though nobody should expect a quick recovery",
    "This is a long game, and we are not going to manage the business for the next quarter",
    "Pricing is holding up better than we feared, and that gives us room to invest",
    "There is a lot of noise in the numbers right now, so we are focusing on the trend",
    "We had a plan for a bad year and we are executing that plan",
    "Our customers are telling us they want fewer suppliers and longer contracts",
    "We’re not in a hurry, and we won’t overpay",
    "The decision was difficult, but it was the right one for the company",
    "Demand in {country2} is the big unknown for the rest of the year",
    "We have the balance sheet to ride this out, and many of our rivals don’t",
    "People keep asking me about the next quarter, and I keep telling them about the next decade",
    "Costs are still rising faster than we can pass them on",
    "We expect the second half to be stronger, and our order book supports that",
    "Every part of the business is under review, and nothing is off the table",
    "We listened to our shareholders, and this is the result",
)
_OBSERVER_QUOTES = (
    "The market is punishing anything that looks like uncertainty",
    "Nobody wants to be the first to blink in these negotiations",
    "It is too early to call a turn, but the data are moving in the right direction",
    "We think the concerns are overdone and the valuation already reflects a lot of bad news",
    "If rates stay where they are, a lot of business models will have to change",
    "Everyone is waiting for clarity from regulators before committing money",
    "It’s a question of when, not if",
    "The numbers are ugly but they are not a surprise",
    "This is a bigger shift than the market has priced in",
    "Investors want to see a plan, and so far they have only seen promises",
    "There is still a lot of money on the sidelines waiting for a reason to come back",
    "The risk is that policy makers do too much, not too little",
    "We see this as a turning point for the whole industry",
    "The easy gains are behind us; from here it gets harder",
)
_BULLET_INTROS = (
    "Key figures from the statement:",
    "Highlights of the results:",
    "Here are the main points:",
    "The company also said:",
)
_BULLETS = (
    "{co_s} sees revenue of {amt} to {amt2} this year",
    "Orders rose {pct} from a year earlier",
    "Net debt fell to {amt2}",
    "Headcount to be cut by about {big}",
    "Guidance for {next_year} unchanged",
    "Operating margin of {margin}",
    "Capital spending of about {amt2} planned",
    "Sales in {country2} down {pct}",
    "{n} new sites planned over the next two years",
    "Share buyback of up to {amt2}",
    "Dividend kept at last year’s level",
    "Free cash flow of {amt2} in the {q}",
)
_RATING_INTROS = ("Here is what analysts said:", "Analyst reactions:", "What analysts are saying:")
_RATING_COMMENTS = (
    "Says results were better than feared and guidance looks achievable.",
    "Sees margins recovering in the second half; keeps rating.",
    "Says the selloff is overdone and the balance sheet is solid.",
    "Cautious on the outlook for {country2}; cuts estimates.",
    "Says valuation already reflects the weaker outlook.",
    "Raises estimates after stronger orders; sees upside to consensus.",
)
_RATINGS = ("Buy", "Hold", "Sell", "Outperform", "Overweight", "Neutral", "Underweight")
_READ_PREFIXES = ("Read: ", "Read: ", "Read more: ", "Read more: ", "Read More: ")

# Update-note vocabulary: what a later version added, by the kind of paragraph it inserted.
_NOTE_THINGS = {
    "quote_ceo": ("CEO comments", "comments from {ceo_l}", "chief executive’s comments",
                  "executive comment", "comments from conference call"),
    "quote_off": ("{offrole}’s comments", "comments from {off_l}", "official comment",
                  "government reaction"),
    "analyst": ("analyst comment", "analyst’s comment", "analyst reaction",
                "comment from {firm}"),
    "market": ("share prices", "shares", "share reaction", "closing share price",
               "bond prices"),
    "detail": ("details", "background", "more details", "company statement", "context",
               "details from statement"),
}  # fmt: skip
_NOTE_WHOLE = (
    "(Updates prices throughout.)",
    "(Updates shares throughout.)",
    "(Updates with closing share price.)",
    "(Adds details throughout.)",
    "(Updates story with full-day moves.)",
    "(Updates to add details throughout.)",
    "(Updates with shares, analyst comment.)",
)
_CORRECTED_THINGS = (
    "name of the company", "amount of the offer", "percentage change in sales",
    "attribution of quote", "date of the meeting", "title of the official", "share price",
    "year the company was founded", "number of employees", "currency conversion",
)  # fmt: skip
_REUTERS_NOTE_WHOLE = (
    "(Adds details, background)",
    "(Adds closing share price)",
    "(Updates with details from statement)",
    "(Adds analyst comment, shares)",
)
_ORDINALS = (
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
    "ninth", "10th", "11th", "12th", "13th", "14th", "15th", "16th", "17th", "18th", "19th",
    "20th",
)  # fmt: skip
_NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "10",
)  # fmt: skip
_NTH_WORDS = ("second", "third", "fourth", "fifth", "sixth")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_AP_MONTHS = (
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
)  # fmt: skip
_REUTERS_MONTHS = (
    "Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec",
)  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_QUARTERS = ("first quarter", "second quarter", "third quarter", "fourth quarter")
_HALVES = ("first half", "second half")


def _straight_quotes(text: str) -> str:
    """Reuters copy uses straight quotes (chained replace is much faster than translate)."""
    return text.replace("“", '"').replace("”", '"').replace("’", "'")


_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


def _ordinal(n: int, rng: random.Random) -> str:
    """Mix the spellings editors use: 'fourth', '4th', '12th'."""
    if n < len(_ORDINALS) and (n >= 10 or rng.random() < 0.85):
        return _ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _capitalize(text: str) -> str:
    """Capitalize the first letter only ('the US' -> 'The US'), leaving the rest alone."""
    return text[:1].upper() + text[1:]


def _title(text: str) -> str:
    """Title-case for headlines: 'the US' -> 'US', 'chips' -> 'Chips'."""
    if text.startswith("the "):
        text = text[4:]
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def _coprime_steps(n: int) -> tuple[int, ...]:
    return tuple(s for s in range(1, max(n, 2)) if math.gcd(s, n) == 1) or (1,)


# Precomputed number strings: picking from a list is several times faster than formatting, and
# only the number slots a sentence actually uses are re-drawn (see ``_compile``).
_PCTS = {style: tuple(f"{v / 10:.1f}{style}" for v in range(5, 251)) for style in ("%", " percent")}
_PCTS_SMALL = {style: tuple(f"{v / 10:.1f}{style}" for v in range(2, 45)) for style in _PCTS}
_PCTS_WHOLE = {style: tuple(f"{v}{style}" for v in range(5, 61)) for style in _PCTS}
_MARGINS = {style: tuple(f"{v / 10:.1f}{style}" for v in range(150, 551, 7)) for style in _PCTS}
_RATES = {style: tuple(f"{v / 100:.2f}{style}" for v in range(25, 1251, 25)) for style in _PCTS}
_HPCTS = tuple(f"{v}%" for v in range(3, 80))
_USD = tuple(f"${v} million" for v in range(20, 1000, 7)) + tuple(
    f"${v / 10:.1f} billion" for v in range(11, 480, 3)
)
_HUSD = tuple(f"${v} Million" for v in range(100, 1000, 25)) + tuple(
    f"${v / 10:.1f} Billion" for v in range(11, 480, 3)
)
_LOCAL_AMOUNT_CURRENCIES = ("euros", "pounds", "francs", "Canadian dollars")
_LOCAL = {
    cur: tuple(f"{v} million {cur}" for v in range(20, 1000, 7))
    + tuple(f"{v / 10:.1f} billion {cur}" for v in range(11, 300, 3))
    for cur in _LOCAL_AMOUNT_CURRENCIES
}
_BIGS = tuple(f"{v:,}" for v in range(1200, 96000, 300))
_SMALL_COUNTS = tuple(str(v) for v in range(2, 13))
_BPS = ("10", "15", "20", "25", "25", "50", "50", "75")
_PES = tuple(str(v) for v in range(8, 33))
_PES2 = tuple(str(v) for v in range(10, 25))
_CLOCKS = tuple(f"{h}:{m:02d} a.m." for h in (9, 10, 11) for m in range(0, 60, 3)) + tuple(
    f"{h}:{m:02d} p.m." for h in (12, 1, 2, 3) for m in range(0, 60, 3)
)
_PRICES = tuple(f"${c // 100}.{c % 100:02d}" for c in range(100, 48100, 17))
_COMMODITY_PRICES = {
    name: tuple(f"${low + (high - low) * i / 199:,.{digits}f} {unit}" for i in range(200))
    for name, unit, low, high, digits in _COMMODITIES
}
_NUMBER_SLOTS = frozenset({
    "pct", "pct_s", "pct2", "margin", "rate", "amt", "amt2", "big", "n", "bps", "pe", "pe2",
    "clock", "price", "cprice",
})  # fmt: skip
_TABLES_CACHE: dict[tuple[str, str, str], dict[str, Sequence[str]]] = {}


def _number_tables(style: str, money: str, commodity: str) -> dict[str, Sequence[str]]:
    """The lists each number slot is drawn from, for a story's style, currency and commodity."""
    key = (style, money, commodity)
    tables = _TABLES_CACHE.get(key)
    if tables is None:
        amounts = _USD if money == "usd" else _LOCAL[money]
        tables = {
            "pct": _PCTS[style], "pct_s": _PCTS_SMALL[style], "pct2": _PCTS_WHOLE[style],
            "margin": _MARGINS[style], "rate": _RATES[style], "amt": amounts, "amt2": amounts,
            "big": _BIGS, "n": _SMALL_COUNTS, "bps": _BPS, "pe": _PES, "pe2": _PES2,
            "clock": _CLOCKS, "price": _PRICES, "cprice": _COMMODITY_PRICES[commodity],
        }  # fmt: skip
        _TABLES_CACHE[key] = tables
    return tables


# A compiled template: its text and the number slots to re-draw before each use.
_Template = tuple[str, tuple[str, ...]]
_FORMATTER = string.Formatter()


def _compile(templates: Sequence[str]) -> tuple[_Template, ...]:
    """Pair each template with the number slots it uses, once, at import."""
    compiled = []
    for text in templates:
        fields = (name for _, name, _, _ in _FORMATTER.parse(text) if name)
        slots = tuple(dict.fromkeys(name for name in fields if name in _NUMBER_SLOTS))
        compiled.append((text, slots))
    return tuple(compiled)


_DETAILS = {topic.name: _compile(topic.details) for topic in _TOPICS}
_POOLS = {
    "background": _compile(_BACKGROUND),
    "macro": _compile(_MACRO),
    "market": _compile(_MARKET),
    "analyst": _compile(_ANALYST),
    "quote": _compile(_EXEC_QUOTES),
    "view": _compile(_OBSERVER_QUOTES),
    "bullets": _compile(_BULLETS),
}
_STEPS = {
    length: _coprime_steps(length)
    for length in {len(pool) for pool in (*_POOLS.values(), *_DETAILS.values())}
}


# Slot values that follow from one choice, precomputed so a story's context is cheap to build.
_ROLES = ("ceo", "cfo", "exec", "an", "an2", "off", "ul")
_COMPANY_SLOTS = tuple(
    {
        "co": co.name, "co_s": co.short, "home": _PLACES[co.place][0],
        "noun": _SECTORS[co.sector].noun, "Noun": _title(_SECTORS[co.sector].noun),
        "plural": _SECTORS[co.sector].plural, "Plural": _title(_SECTORS[co.sector].plural),
        "Plural_c": _capitalize(_SECTORS[co.sector].plural),
        "prod": _SECTORS[co.sector].products,
        "Prod": _title(_SECTORS[co.sector].products.split(" and ")[0]),
        "Trade": _SECTORS[co.sector].trade,
    }
    for co in COMPANIES
)  # fmt: skip
_RIVAL_SLOTS = tuple({"co2": co.name, "co2_s": co.short} for co in COMPANIES)
_PLACE_SLOTS = tuple(
    {
        "city": city, "country": country, "country_c": _capitalize(country),
        "country_t": _title(country), "adj": adj, "Adj": adj, "curname": currency,
        "Curname": _title(currency), "region": region,
    }
    for city, country, adj, _, currency, region in _PLACES
)  # fmt: skip
_OTHER_PLACE_SLOTS = tuple(
    {"city2": city, "country2": country, "country2_t": _title(country)}
    for city, country, *_ in _PLACES
)
_OFFICIAL_SLOTS = tuple(
    {"offtitle": title, "Offtitle": _capitalize(title), "OffT": _title(title), "offrole": role}
    for title, role in _OFFICIAL_TITLES
)
_QUARTER_SLOTS = tuple(
    {"q": q, "qa": q.replace(" ", "-"), "Qa": _title(q.replace(" ", "-"))} for q in _QUARTERS
)
_NW_SLOTS = tuple({"nw": w, "Nw": _title(w)} for w in _NUMBER_WORDS[2:])
_NTH_SLOTS = tuple({"nth": w, "Nth": _title(w)} for w in _NTH_WORDS)
_COMMODITY_SLOTS = tuple(
    {"cm": c[0], "Cm": _capitalize(c[0]), "CmT": _title(c[0])} for c in _COMMODITIES
)


# ---------------------------------------------------------------------------------------------
# Public types
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedFile:
    """One generated feed file and what the pipeline should make of it."""

    name: str  # relative path, sharded: '012/012345_slug.txt'
    data: bytes
    expected_reject: str | None  # None for a good story, else a code from REJECT_CODES
    story_key: str  # groups the versions of one story
    version: int  # 1.. for versions of one story


@dataclass(frozen=True)
class CorpusSummary:
    """Counts of a generated corpus, so benchmarks and tests can check what the pipeline saw."""

    files: int
    good: int
    rejected: Mapping[str, int]
    stories: int  # distinct story keys among good files
    versions: int  # good files that are a later version (version >= 2) of a story
    bytes: int
    seconds: float = 0.0
    directory: str | None = None

    @property
    def files_per_second(self) -> float:
        """Throughput of the run that produced this summary (0 when not timed)."""
        return self.files / self.seconds if self.seconds > 0 else 0.0

    def as_text(self) -> str:
        """Human summary for the CLI."""
        rejected = ", ".join(f"{code} {self.rejected.get(code, 0)}" for code in REJECT_CODES)
        lines = [
            f"files      {self.files}",
            f"good       {self.good} ({self.stories} stories, {self.versions} later versions)",
            f"rejected   {sum(self.rejected.values())} ({rejected})",
            f"bytes      {self.bytes:,} (mean {self.bytes // max(self.files, 1):,} per file)",
        ]
        if self.directory is not None:
            lines.insert(0, f"directory  {self.directory}")
        if self.seconds > 0:
            lines.append(f"seconds    {self.seconds:.2f} ({self.files_per_second:,.0f} files/s)")
        return "\n".join(lines)


@dataclass
class _Tally:
    """Running counts while files stream past (nothing is kept in memory)."""

    files: int = 0
    good: int = 0
    size: int = 0
    versions: int = 0
    rejected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REJECT_CODES, 0))
    keys: set[str] = field(default_factory=set)

    def add(self, item: GeneratedFile) -> None:
        self.files += 1
        self.size += len(item.data)
        if item.expected_reject is not None:
            self.rejected[item.expected_reject] += 1
            return
        self.good += 1
        self.keys.add(item.story_key)
        if item.version >= 2:
            self.versions += 1

    def summary(self, seconds: float = 0.0, directory: str | None = None) -> CorpusSummary:
        return CorpusSummary(
            files=self.files,
            good=self.good,
            rejected=dict(self.rejected),
            stories=len(self.keys),
            versions=self.versions,
            bytes=self.size,
            seconds=seconds,
            directory=directory,
        )


def summarize(files: Iterable[GeneratedFile]) -> CorpusSummary:
    """Count a stream of generated files without writing them."""
    tally = _Tally()
    for item in files:
        tally.add(item)
    return tally.summary()


# ---------------------------------------------------------------------------------------------
# Story building
# ---------------------------------------------------------------------------------------------


def _words(paragraph: str) -> int:
    """Word count of a generated paragraph: single spaces between words, none at the ends, so
    counting spaces is exact and much faster than ``str.split``."""
    return paragraph.count(" ") + 1


class _Deck:
    """Walks a template list with a random start and stride: no repeats until it wraps."""

    __slots__ = ("drawn", "items", "pos", "size", "step")

    def __init__(self, items: tuple[_Template, ...], start: float, stride: float) -> None:
        steps = _STEPS[len(items)]
        self.items = items
        self.size = len(items)
        self.pos = int(start * len(items))
        self.step = steps[int(stride * len(steps))]
        self.drawn = 0

    def take(
        self, ctx: dict[str, str], tables: Mapping[str, Sequence[str]], random_: Callable[[], float]
    ) -> str:
        """Fill the next template, drawing fresh values for the number slots it uses."""
        text, slots = self.items[self.pos]
        self.pos = (self.pos + self.step) % self.size
        self.drawn += 1
        if slots:
            x = random_()  # one draw serves several slots: peel off digits of the fraction
            for slot in slots:
                table = tables[slot]
                x *= len(table)
                index = int(x)
                ctx[slot] = table[index]
                x -= index
        return text.format_map(ctx)

    @property
    def fresh(self) -> bool:
        """True while the deck has not yet wrapped around (the next draw is no repeat)."""
        return self.drawn < self.size


_CUM_WEIGHTS = {topic.name: tuple(itertools.accumulate(topic.mix)) for topic in _TOPICS}
_ALLOWED = {
    topic.name: frozenset(kind for kind, weight in zip(_KINDS, topic.mix, strict=True) if weight)
    for topic in _TOPICS
}
# When the drawn kind has used up its templates, try these (in order) before repeating.
_FALLBACKS = ("detail", "macro", "background", "analyst", "market")
_SINGLE_DECK = frozenset({"detail", "analyst", "background", "market", "macro"})
# Who is quoted, by topic: executives in company stories, officials in economy stories.
_SPEAKERS = {
    "earnings": ("ceo", "ceo", "cfo", "an"),
    "deal": ("ceo", "ceo", "an", "an2"),
    "markets": ("an", "an", "an2", "off"),
    "policy": ("off", "off", "an", "an2"),
    "labor": ("ul", "ul", "ceo", "off"),
    "legal": ("ceo", "an", "an2", "off"),
    "commodities": ("an", "an2", "ceo", "off"),
    "product": ("ceo", "ceo", "exec", "an"),
    "management": ("ceo", "exec", "an", "an2"),
}
_LAST_NAME_KEYS = {"ceo": "ceo_l", "cfo": "cfo_l", "exec": "exec_l", "off": "off_l",
                   "ul": "ul_l", "an": "an_l", "an2": "an2_l"}  # fmt: skip
_EXECUTIVES = frozenset({"ceo", "cfo", "exec"})


@dataclass
class _Story:
    """A story's state across versions: body paragraphs with their kinds, and its tail."""

    key: str
    day: date
    reuters: bool
    ctx: dict[str, str]
    tables: dict[str, Sequence[str]]
    topic: _Topic
    angle: int  # index of the headline and the matching lead in the topic
    headline: str = ""
    body: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    words: int = 0
    tail: list[str] = field(default_factory=list)
    version: int = 1
    max_versions: int = 2
    decks: dict[str, _Deck] = field(default_factory=dict)
    introduced: set[str] = field(default_factory=set)  # speakers already named in full


class _Writer:
    """Builds stories from one random stream, so the whole corpus follows from the seed."""

    def __init__(
        self, rng: random.Random, first_day: date = FIRST_DAY, last_day: date = LAST_DAY
    ) -> None:
        self.rng = rng
        self.random = rng.random
        self.first_day = first_day
        self.last_day = last_day
        self.span_days = (last_day - first_day).days + 1

    def _pick(self, items: Sequence[_T]) -> _T:
        return items[int(self.random() * len(items))]

    def _below(self, n: int) -> int:
        return int(self.random() * n)

    def _distinct(self, n: int, k: int) -> list[int]:
        """k different indices below n (cheaper than ``random.sample`` for tiny k)."""
        chosen: list[int] = []
        while len(chosen) < k:
            index = int(self.random() * n)
            if index not in chosen:
                chosen.append(index)
        return chosen

    # -- context -------------------------------------------------------------------------------

    def _context(self, day: date) -> tuple[dict[str, str], dict[str, Sequence[str]]]:
        """Pick the cast of one story (companies, people, places, dates) and its numbers.

        Slot values that follow from one choice (a company's sector words, a place's country
        and currency) are precomputed per choice, so this is mostly dictionary merging.
        """
        random_, pick, below = self.random, self._pick, self._below
        first, second = self._distinct(len(COMPANIES), 2)
        co = COMPANIES[first]
        place = co.place if random_() < 0.6 else below(len(_PLACES))
        other = below(len(_PLACES))
        if _PLACES[other][1] == _PLACES[place][1]:
            other = (other + 7) % len(_PLACES)
        commodity = below(len(_COMMODITIES))
        weekday = day.weekday()
        ctx = {
            **_COMPANY_SLOTS[first],
            **_RIVAL_SLOTS[second],
            **_PLACE_SLOTS[place],
            **_OTHER_PLACE_SLOTS[other],
            **pick(_OFFICIAL_SLOTS),
            **pick(_QUARTER_SLOTS),
            **pick(_NW_SLOTS),
            **pick(_NTH_SLOTS),
            **_COMMODITY_SLOTS[commodity],
        }
        people = self._distinct(len(_NEWS_PEOPLE), 7)
        for role, person in zip(_ROLES, people, strict=True):
            ctx[role], ctx[role + "_l"] = _NEWS_PEOPLE[person]
        firm, firm2 = self._distinct(len(FIRMS), 2)
        founded = 1890 + below(106)
        listed_from = max(founded + 5, 1960)
        hamt = pick(_HUSD)
        ncover = 12 + below(33)
        ctx.update(
            {
                "unit": pick(_SECTORS[co.sector].units), "extitle": pick(_EXEC_TITLES),
                "union": f"the {_PLACES[place][2]} {_SECTORS[co.sector].union}",
                "firm": FIRMS[firm], "firm2": FIRMS[firm2],
                "day": _WEEKDAYS[weekday], "prevday": _WEEKDAYS[weekday - 1],
                "month": pick(_MONTHS), "year": str(day.year), "next_year": str(day.year + 1),
                "prev_year": str(day.year - 1 - below(6)),
                "due_year": str(day.year + 2 + below(9)), "founded": str(founded),
                "listed": str(listed_from + below(2016 - listed_from)), "half": pick(_HALVES),
                "fund": pick(FUNDS), "tenor": pick(("2", "5", "10", "30")),
                "nsurvey": str(18 + below(22)), "nfew": _NUMBER_WORDS[1 + below(4)],
                "ncover": str(ncover), "nbuy": str(3 + below(ncover - 3)),
                "hpct": pick(_HPCTS), "hamt": hamt, "hamt_l": hamt.lower(),
            }
        )  # fmt: skip
        style = " percent" if day.year < 2019 else "%"  # Bloomberg style changed in 2019
        home_currency = _PLACES[co.place][3]
        money = home_currency if home_currency in _LOCAL and random_() < 0.4 else "usd"
        tables = _number_tables(style, money, _COMMODITIES[commodity][0])
        for slot, table in tables.items():
            ctx[slot] = table[int(random_() * len(table))]
        rate = _RATES[style].index(ctx["rate"])
        ctx["hrate"] = _RATES["%"][rate]  # headlines always use '%'
        return ctx, tables

    # -- paragraphs ----------------------------------------------------------------------------

    def _sentences(self, story: _Story, deck: str, count: int) -> str:
        take = story.decks[deck].take
        if count == 1:
            return take(story.ctx, story.tables, self.random)
        return " ".join([take(story.ctx, story.tables, self.random) for _ in range(count)])

    def _speaker(self, story: _Story, who: str) -> tuple[str, str, bool]:
        """How to name a speaker: (name as written, last name, needs a comma before 'said').

        The first quote from someone names them in full with their title; later ones use the
        last name only, as wire stories do.
        """
        ctx = story.ctx
        if who in story.introduced:
            last = ctx[_LAST_NAME_KEYS[who]]
            return last, last, False
        story.introduced.add(who)
        flip = self.random() < 0.5
        if who == "ceo":
            if flip:
                return f"Chief Executive Officer {ctx['ceo']}", ctx["ceo_l"], False
            return f"{ctx['ceo']}, chief executive officer of {ctx['co_s']}", ctx["ceo_l"], True
        if who == "cfo":
            return f"Chief Financial Officer {ctx['cfo']}", ctx["cfo_l"], False
        if who == "exec":
            return f"{ctx['exec']}, the company’s {ctx['extitle']}", ctx["exec_l"], True
        if who == "off":
            return f"{ctx['Offtitle']} {ctx['off']}", ctx["off_l"], False
        if who == "ul":
            return f"{ctx['ul']}, who leads the union", ctx["ul_l"], True
        if who == "an2":
            return f"{ctx['an2']}, a strategist at {ctx['firm2']}", ctx["an2_l"], True
        if flip:
            return f"{ctx['firm']} analyst {ctx['an']}", ctx["an_l"], False
        return f"{ctx['an']}, an analyst at {ctx['firm']}", ctx["an_l"], True

    def _quote(self, story: _Story, who: str | None = None) -> str:
        ctx = story.ctx
        if who is None:
            who = self._pick(_SPEAKERS[story.topic.name])
        executive = who in _EXECUTIVES
        deck = "quote" if executive else "view"
        name, last, appositive = self._speaker(story, who)
        comma = "," if appositive else ""
        said = self._sentences(story, deck, 1)
        frame = self._below(6)
        if frame == 0:
            return f"“{said},” {name}{comma} said in an interview on {ctx['day']}."
        if frame == 1:
            return f"“{said},” {name}{comma} told reporters in {ctx['city']}."
        if frame == 2:
            return f"“{said},” said {name}."
        if frame == 3:
            verb = "said on a conference call" if executive else "said"
            return f"{name}{comma} {verb} that “{said[:1].lower()}{said[1:]}.”"
        if frame == 4:
            again = self._sentences(story, deck, 1)
            return f"“{said},” {name}{comma} said. “{again}.”"
        detail = self._sentences(story, "detail", 1)
        return f"{detail} “{said},” {last} said."

    def _paragraph(self, story: _Story, kind: str) -> list[str]:
        """One paragraph of a kind (bullets and rating blocks give several)."""
        if kind in _SINGLE_DECK:
            x = self.random()
            if kind == "detail":
                count = 1 if x < 0.35 else 2 if x < 0.87 else 3
            else:
                count = 1 if x < 0.6 else 2
            return [self._sentences(story, kind, count)]
        if kind in ("quote", "quote_ceo", "quote_off"):
            return [self._quote(story, {"quote_ceo": "ceo", "quote_off": "off"}.get(kind))]
        if kind == "read":
            return [self._pick(_READ_PREFIXES) + self._related_headline(story)]
        if kind == "bullets":
            mark = "• " if self.random() < 0.7 else "* "
            items = [mark + self._sentences(story, "bullets", 1) for _ in range(3 + self._below(3))]
            return [self._pick(_BULLET_INTROS), *items]
        # Analyst ratings: the '(Buy, PT $9)' paragraph looks like a note but is not one.
        return [
            self._pick(_RATING_INTROS),
            f"{story.ctx['firm']}, {story.ctx['an']}",
            f"({self._pick(_RATINGS)}, PT ${3 + self._below(400)})",
            self._pick(_RATING_COMMENTS).format_map(story.ctx),
        ]

    def _settle_kind(self, story: _Story, kind: str, once: set[str]) -> str:
        """Adjust a drawn paragraph kind: limit one-off blocks, skip used-up templates."""
        if kind in once:
            kind = "detail"
        if kind == "read":  # at most two related-story links
            once.add("read" if "read1" in once else "read1")
            return kind
        if kind in ("bullets", "rating"):  # at most one block of each, Bloomberg only
            once.add(kind)
            return "detail" if story.reuters else kind
        if kind == "quote" or story.decks[kind].fresh:
            return kind
        for other in _FALLBACKS:
            if story.decks[other].fresh and other in _ALLOWED[story.topic.name]:
                return other
        return kind

    def _related_headline(self, story: _Story) -> str:
        """A 'Read:' link: some other story's headline about the rival company."""
        topic = self._pick(_TOPICS)
        ctx = dict(story.ctx, co_s=story.ctx["co2_s"], co2_s=story.ctx["co_s"])
        return self._pick(topic.headlines).format_map(ctx)

    def _lead(self, story: _Story) -> str:
        """The opening paragraph: wire tag, the lead matching the headline, maybe one more."""
        text = story.topic.leads[story.angle].format_map(story.ctx)
        if self.random() < 0.3:
            text += " " + self._sentences(story, "detail", 1)
        return self._tag(story) + text

    def _tag(self, story: _Story) -> str:
        if not story.reuters:
            return "(Bloomberg) -- "
        city = story.ctx["city"].upper()
        if self.random() < 0.6:
            return f"{city} (Reuters) - "
        return f"{city}, {_REUTERS_MONTHS[story.day.month - 1]} {story.day.day} (Reuters) - "

    def _target_words(self) -> int:
        """Story length: log-normal around the median, like real news, redrawn into bounds."""
        mu = math.log(MEDIAN_WORDS)
        while True:
            words = int(self.rng.lognormvariate(mu, _WORD_SIGMA))
            if MIN_WORDS <= words <= MAX_WORDS:
                return words

    def new_story(self, key: str) -> _Story:
        """A first version: lead, a detail paragraph, then mixed paragraphs up to a length."""
        random_ = self.random
        day = self.first_day + timedelta(days=self._below(self.span_days))
        if day.weekday() >= 5 and random_() < 0.8:  # wires are quieter at weekends
            day = self.first_day + timedelta(days=self._below(self.span_days))
        ctx, tables = self._context(day)
        topic = self._pick(_TOPICS)
        angle = self._below(len(topic.headlines))
        story = _Story(key, day, random_() < _REUTERS_SHARE, ctx, tables, topic, angle)
        story.max_versions = self._pick((2, 2, 2, 3, 3, 4, 5))
        decks = {name: _Deck(pool, random_(), random_()) for name, pool in _POOLS.items()}
        decks["detail"] = _Deck(_DETAILS[topic.name], random_(), random_())
        story.decks = decks
        headline = topic.headlines[angle].format_map(ctx)
        if "'" in headline and random_() < 0.3:
            headline = headline.replace("'", "’")
        story.headline = headline
        target = self._target_words()
        body, kinds = story.body, story.kinds
        if not story.reuters and random_() < 0.05:
            body.append("(Bloomberg) -- " + self._pick(_NEWSLETTERS))
            kinds.append("plug")
            body.append(self._lead(story)[len("(Bloomberg) -- ") :])
        else:
            body.append(self._lead(story))
        kinds.append("lead")
        body.extend(self._paragraph(story, "detail"))
        kinds.append("detail")
        words = sum(_words(p) for p in body)
        once: set[str] = set()
        tables = story.tables
        weights = _CUM_WEIGHTS[topic.name]
        total = weights[-1]
        while words < target:
            kind = _KINDS[bisect.bisect(weights, random_() * total)]
            if kind not in _SINGLE_DECK or not decks[kind].fresh:
                kind = self._settle_kind(story, kind, once)
            if kind in _SINGLE_DECK:  # one-deck paragraphs, inlined: most of the run time
                x = random_()
                take = decks[kind].take
                if x < (0.35 if kind == "detail" else 0.6):
                    text = take(ctx, tables, random_)
                elif x < 0.87 or kind != "detail":
                    text = take(ctx, tables, random_) + " " + take(ctx, tables, random_)
                else:
                    text = " ".join([take(ctx, tables, random_) for _ in range(3)])
                added = text.count(" ") + 1
                if words + added > MAX_WORDS:
                    break
                body.append(text)
                kinds.append(kind)
                words += added
                continue
            paragraphs = self._paragraph(story, kind)
            added = sum(_words(p) for p in paragraphs)
            if words + added > MAX_WORDS:
                break
            body.extend(paragraphs)
            kinds.extend([kind] * len(paragraphs))
            words += added
        if words < MIN_WORDS:  # only if a multi-paragraph block overflowed: pad with one line
            filler = self._sentences(story, "detail", 1)
            body.append(filler)
            kinds.append("detail")
            words += _words(filler)
        story.words = words
        story.tail = self._tail(story)
        return story

    def _tail(self, story: _Story) -> list[str]:
        """Staff lines and copyright (Bloomberg), or the reporting line (Reuters)."""
        random_ = self.random
        year = story.day.year
        staff = [_STAFF[i][0] for i in self._distinct(len(_STAFF), 4)]
        tail = []
        if story.reuters:
            if random_() < 0.9:
                extra = ""
                if random_() < 0.3:
                    extra = f"; Additional reporting by {staff[1]} in {story.ctx['city2']}"
                tail.append(f"(Reporting by {staff[0]}{extra}; Editing by {staff[2]})")
            if random_() < 0.25:
                tail.append(f"(c) Copyright Thomson Reuters {year}.")
            return tail
        if random_() < (0.85 if year <= 2020 else 0.2):  # staff lines faded out after 2020
            if random_() < 0.3:
                helpers = [_STAFF[i][0] for i in self._distinct(len(_STAFF), 1 + self._below(3))]
                joined = helpers[-1]
                if len(helpers) > 1:
                    joined = ", ".join(helpers[:-1]) + " and " + joined
                tail.append(f"--With assistance from {joined}.")
            people = self._distinct(len(_STAFF), 4)
            reporters = people[: 1 + (random_() < 0.3)]
            cities = (story.ctx["city"], story.ctx["city2"])
            contacts = ";".join(
                f"{_STAFF[i][0]} in {cities[n]} at {_STAFF_EMAILS[i]}"
                for n, i in enumerate(reporters)
            )
            plural = "s" if len(reporters) > 1 else ""
            tail.append(f"To contact the reporter{plural} on this story: {contacts}")
            editor, other = people[2], people[3]
            if random_() < 0.6:
                tail.append(
                    "To contact the editors responsible for this story: "
                    f"{_STAFF[editor][0]} at {_STAFF_EMAILS[editor]}, {_STAFF[other][0]}"
                )
            else:
                tail.append(
                    "To contact the editor responsible for this story: "
                    f"{_STAFF[editor][0]} at {_STAFF_EMAILS[editor]}"
                )
            if random_() < 0.9:
                tail.append("For more articles like this, please visit us at bloomberg.com")
        tail.append(f"©{year} Bloomberg L.P.")
        return tail

    # -- update notes and later versions -------------------------------------------------------

    @staticmethod
    def _uncounted(story: _Story) -> set[int]:
        """Body indexes (0-based) editors, and the parser, do not number.

        'Read:' links, a newsletter plug before the lede and the 'Firm, Analyst' line of a
        rating block (a short title-like line, as a subhead is).
        """
        skipped = {i for i, kind in enumerate(story.kinds) if kind in ("read", "plug")}
        if "rating" in story.kinds:
            skipped.add(story.kinds.index("rating") + 1)
        return skipped

    def _counted(self, story: _Story) -> list[int]:
        """Body indexes (0-based) of the paragraphs editors number, in order."""
        skipped = self._uncounted(story)
        return [i for i in range(len(story.kinds)) if i not in skipped]

    @classmethod
    def _number(cls, story: _Story, position: int) -> int:
        """The paragraph number an editor would cite for a body position (1-based)."""
        return position - sum(1 for i in cls._uncounted(story) if i < position)

    def _where(self, story: _Story, position: int) -> str:
        """'in fifth paragraph', 'from the 12th paragraph', 'in last paragraph', ..."""
        random_ = self.random
        total = len(self._counted(story))
        position = self._number(story, position)
        if position == total and random_() < 0.4:
            return f"in {self._pick(('last', 'final', 'the last', 'the final'))} paragraph"
        if position == total - 1 and position > 2 and random_() < 0.3:
            return "in penultimate paragraph"
        the = "the " if random_() < 0.2 else ""
        preposition = self._pick(("in", "in", "in", "from", "starting in"))
        return f"{preposition} {the}{_ordinal(position, self.rng)} paragraph"

    def _thing(self, story: _Story, kind: str) -> str:
        return self._pick(_NOTE_THINGS[kind]).format_map(story.ctx)

    def _insert(self, story: _Story, kind: str, after: int = 1) -> int | None:
        """Insert a new paragraph somewhere after position ``after`` (1-based).

        Never inside a bullet or rating block. Returns the new paragraph's position, or None
        when it would push the story past ``MAX_WORDS``.
        """
        paragraph = self._paragraph(story, kind)[0]
        added = _words(paragraph)
        if story.words + added > MAX_WORDS:
            return None
        kinds = story.kinds
        blocked = ("bullets", "rating", "lead", "plug")
        options = [
            p for p in range(after + 1, len(kinds) + 2)
            if p - 1 >= len(kinds) or kinds[p - 1] not in blocked
        ]  # fmt: skip
        if not options:
            return None
        position = self._pick(options)
        story.body.insert(position - 1, paragraph)
        story.kinds.insert(position - 1, kind)
        story.words += added
        return position

    def _period(self, note: str) -> str:
        """Editors are inconsistent about the final period inside the brackets."""
        return note if self.random() < 0.75 else note[:-2] + ")"

    def first_note(self, story: _Story) -> str | None:
        """Most first versions have no note; some arrive already updated, as in real feeds."""
        if self.random() >= _FIRST_VERSION_NOTE_SHARE:
            return None
        if story.reuters:
            return self._pick(_REUTERS_NOTE_WHOLE)
        candidates = [i for i, k in enumerate(story.kinds) if k in ("analyst", "market", "quote")]
        if not candidates or self.random() < 0.3:
            return self._pick(_NOTE_WHOLE)
        index = self._pick(candidates)
        kind = {"quote": "quote_ceo"}.get(story.kinds[index], story.kinds[index])
        where = self._where(story, index + 1)
        return self._period(f"(Updates with {self._thing(story, kind)} {where}.)")

    def next_version(self, story: _Story) -> str:
        """Advance a story one version: insert or fix paragraphs, and say so in a note."""
        random_ = self.random
        story.version += 1
        previous_day = story.day
        if random_() < _NEXT_DAY_VERSION_SHARE and story.day < self.last_day:
            story.day += timedelta(days=1)
        action = random_()
        if story.reuters:
            return self._reuters_version(story, action)
        kind = self._pick(("quote_ceo", "quote_off", "analyst", "market", "detail"))
        position = self._insert(story, kind) if action < 0.62 else None
        if position is not None:
            thing = self._thing(story, kind)
            second_kind = self._pick(("analyst", "detail", "market"))
            second = self._insert(story, second_kind, position) if random_() < 0.15 else None
            if second is not None:
                other = self._thing(story, second_kind)
                return self._period(
                    f"(Updates with {thing} {self._where(story, position)}, adds {other} "
                    f"in {_ordinal(self._number(story, second), self.rng)}.)"
                )
            where = self._where(story, position)
            verb = self._below(6)
            if verb == 0:
                note = f"(Adds {thing} {where}.)"
            elif verb == 1:
                note = f"(Adds {thing} {where}, updates shares.)"
            elif verb == 2:
                note = f"(Updates shares and adds {thing} {where}.)"
            elif verb == 3 and random_() < 0.1:
                note = f"(Upates with {thing} {where}.)"  # typos happen in real feeds
            else:
                note = f"(Updates with {thing} {where}.)"
            return self._period(note)
        if action < 0.82:
            # 'Updates ... throughout': share-price paragraphs get fresh numbers, as long as
            # the story stays within the length bounds.
            body = list(story.body)
            for i, kind in enumerate(story.kinds):
                if kind == "market":
                    body[i] = self._sentences(story, "market", 1 + (body[i].count(". ") > 0))
            words = sum(_words(p) for p in body)
            if MIN_WORDS <= words <= MAX_WORDS:
                story.body, story.words = body, words
            return self._pick(_NOTE_WHOLE)
        return self._correction(story, previous_day)

    def _correction(self, story: _Story, previous_day: date) -> str:
        counted = self._counted(story)
        position = 1 + self._pick(counted)
        what = self._pick(_CORRECTED_THINGS)
        for name_key in ("ceo_l", "an_l", "off_l", "cfo_l"):
            name = story.ctx[name_key]
            hits = [i for i in counted if name in story.body[i]]
            if hits and self.random() < 0.5:
                position = hits[0] + 1
                what = f"spelling of {name}’s name"
                break
        verb = "Corrrects" if self.random() < 0.02 else "Corrects"
        where = self._where(story, position)
        if previous_day != story.day:
            published = f"{_AP_MONTHS[previous_day.month - 1]} {previous_day.day}"
            return f"({verb} {what} {where} of story published {published}.)"
        return self._period(f"({verb} {what} {where}.)")

    def _reuters_version(self, story: _Story, action: float) -> str:
        """Reuters versions: notes go at the top, often 'Recasts' with a new lead."""
        kind = self._pick(("analyst", "quote_ceo", "quote_off", "market", "detail"))
        position = self._insert(story, kind) if action < 0.7 else None
        if position is not None:
            thing = self._thing(story, kind)
            lead = self._lead(story)
            change = _words(lead) - _words(story.body[0])
            if self.random() < 0.4 and story.words + change <= MAX_WORDS:
                story.body[0] = lead
                story.words += change
                return f"(Recasts, adds {thing} {self._where(story, position)})"
            if self.random() < 0.5:
                return f"(Adds {thing} in paragraph {self._number(story, position)})"
            return f"(Adds {thing} {self._where(story, position)})"
        if action < 0.85:
            return self._pick(_REUTERS_NOTE_WHOLE)
        position = 1 + self._pick(self._counted(story)[1:])
        number = self._number(story, position)
        return f"(Corrects {self._pick(_CORRECTED_THINGS)} in paragraph {number})"

    # -- rendering -----------------------------------------------------------------------------

    def render(self, story: _Story, note: str | None) -> str:
        """The file text: header, then paragraphs separated by blank lines."""
        header = f" date {story.day.isoformat()} {story.headline}"
        if story.reuters:  # Reuters: note on top, straight quotes
            notes = [note] if note else []
            text = "\n\n".join([header, *notes, *story.body, *story.tail])
            text = header + _straight_quotes(text[len(header) :])
        else:
            text = "\n\n".join([header, *story.body, *([note] if note else []), *story.tail])
        if self.random() < _FINAL_NEWLINE_SHARE:
            text += "\n"
        return text

    def encode(self, text: str) -> bytes:
        """UTF-8, sometimes with CRLF line endings and/or a byte-order mark, as feeds arrive."""
        if self.random() < _CRLF_SHARE:
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        if self.random() < _BOM_SHARE:
            data = b"\xef\xbb\xbf" + data
        return data

    # -- malformed files -----------------------------------------------------------------------

    def malformed(self, code: str) -> tuple[bytes, str]:
        """Bytes that the parser must reject with ``code``, and a headline for the file name."""
        if code == "empty":
            return (b"" if self.random() < 0.75 else b" \n\n  \n"), "empty"
        story = self.new_story("x")
        text = self.render(story, None)
        header, _, rest = text.partition("\n\n")
        headline = story.headline
        if code == "not_utf8":  # a story saved as Windows-1252: curly quotes become 0x92 etc.
            data = text.encode("cp1252", errors="replace")
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return data, headline
            cut = data.index(b" ", data.index(b"\n\n") + 2)
            return data[:cut] + b" \x93\x81" + data[cut:], headline
        if code == "no_header":
            variant = self.random()
            if variant < 0.6:  # header line lost
                return rest.encode(), headline
            if variant < 0.85:  # headline without the date line
                return f"{headline}\n\n{rest}".encode(), headline
            return f" date {story.day.isoformat()}\n\n{rest}".encode(), headline  # no headline
        if code == "bad_date":
            y, m, d = story.day.year, story.day.month, story.day.day
            bad = self._pick((
                f"{y}-02-30", f"{y}-13-{d:02d}", f"{y}-{m:02d}-32", f"{y}-04-31",
                f"{y}-00-{d:02d}", f"{y}-{m:02d}-00", f"{d:02d}/{m:02d}/{y}", f"{y}{m:02d}{d:02d}",
            ))  # fmt: skip
            return f" date {bad} {headline}\n\n{rest}".encode(), headline
        if code == "no_body":
            endings = ("", "\n", "\n\n", "\n\n\n\n", f"\n\n©{story.day.year} Bloomberg L.P.",
                       "\n\n(Bloomberg) --")  # fmt: skip
            return (header + self._pick(endings)).encode(), headline
        raise ValueError(f"unknown reject code {code!r}; expected one of {REJECT_CODES}")


def _slug(headline: str) -> str:
    slug = _SLUG_CHARS.sub("-", headline.lower()).strip("-")[:48].rstrip("-")
    return slug or "story"


def _file_name(index: int, headline: str) -> str:
    return f"{index // FILES_PER_SHARD:03d}/{index:06d}_{_slug(headline)}.txt"


def generate_stories(
    count: int,
    seed: int = 0,
    malformed_share: float = 0.01,
    versions_share: float = 0.1,
    days: tuple[date, date] = (FIRST_DAY, LAST_DAY),
) -> Iterator[GeneratedFile]:
    """Yield ``count`` invented feed files, deterministically for ``seed``.

    Malformed files come at a steady rate, ``round(count * malformed_share)`` of them, cycling
    through the five reject codes so each gets an equal share. About ``versions_share`` of the
    good files are later versions of an earlier story (same headline, more paragraphs, an
    update note). Files are yielded one at a time, so 200,000 of them need little memory, and
    a shorter run is a prefix of a longer one with the same seed.

    Args:
        count: How many files to yield.
        seed: Seed of the single random stream everything is drawn from.
        malformed_share: Share of files that must be rejected (0 to 1).
        versions_share: Share of good files that are a later version of a story (0 to 1).
        days: First and last publication date of the stories (a later version may be dated
            the day after its story, within the range). A narrow range makes a day's feed:
            the benchmark's daily increment.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    if days[0] > days[1]:
        raise ValueError(f"days must run forwards, got {days[0]} to {days[1]}")
    for name, share in (("malformed_share", malformed_share), ("versions_share", versions_share)):
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, got {share}")
    rng = random.Random(seed)
    writer = _Writer(rng, *days)
    pool: list[_Story] = []  # recent stories that may still get another version
    codes: list[str] = []
    malformed_credit = versions_credit = 0.5  # start half-way: counts round to nearest
    stories = 0
    for index in range(count):
        malformed_credit += malformed_share
        if malformed_credit >= 1.0 - 1e-9:
            malformed_credit -= 1.0
            if not codes:
                codes = list(REJECT_CODES)
                rng.shuffle(codes)
            code = codes.pop()
            data, headline = writer.malformed(code)
            yield GeneratedFile(_file_name(index, headline), data, code, f"x{index:06d}", 1)
            continue
        versions_credit += versions_share
        if versions_credit >= 1.0 - 1e-9 and pool:
            versions_credit -= 1.0
            # Stories that were already updated are likelier to be updated again.
            updated = [s for s in pool if s.version > 1] if rng.random() < 0.35 else []
            story = writer._pick(updated or pool)
            note: str | None = writer.next_version(story)
            if story.version >= story.max_versions:
                pool.remove(story)
        else:
            story = writer.new_story(f"s{stories:06d}")
            stories += 1
            note = writer.first_note(story)
            pool.append(story)
            if len(pool) > _POOL_SIZE:
                pool.pop(0)
        data = writer.encode(writer.render(story, note))
        yield GeneratedFile(_file_name(index, story.headline), data, None, story.key, story.version)


def write_corpus(
    out_dir: Path,
    count: int,
    seed: int = 0,
    malformed_share: float = 0.01,
    versions_share: float = 0.1,
) -> CorpusSummary:
    """Write a generated corpus under ``out_dir`` (shards of <= 1000 files) and count it.

    Args:
        out_dir: Target folder; created if missing. Existing files with the same names are
            overwritten, others are left alone.
        count: Number of files.
        seed: Random seed; the same seed writes byte-identical files.
        malformed_share: As for ``generate_stories``.
        versions_share: As for ``generate_stories``.
    """
    start = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    root = str(out_dir)
    tally = _Tally()
    made: set[str] = set()
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    for item in generate_stories(count, seed, malformed_share, versions_share):
        shard = item.name.partition("/")[0]
        if shard not in made:
            (out_dir / shard).mkdir(exist_ok=True)
            made.add(shard)
        # Raw os calls: a buffered file object per tiny file costs more than making the text.
        fd = os.open(f"{root}/{item.name}", flags, 0o644)
        try:
            view = memoryview(item.data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        tally.add(item)
    return tally.summary(time.perf_counter() - start, root)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: write a corpus and print its summary."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.story_generator",
        description="Write invented news-wire story files for benchmarks and tests.",
    )
    parser.add_argument("out_dir", type=Path, help="folder to write into (created if missing)")
    parser.add_argument("--count", type=int, default=1000, help="number of files (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--malformed-share", type=float, default=0.01, help="default 0.01")
    parser.add_argument("--versions-share", type=float, default=0.1, help="default 0.1")
    args = parser.parse_args(argv)
    summary = write_corpus(
        args.out_dir,
        args.count,
        args.seed,
        malformed_share=args.malformed_share,
        versions_share=args.versions_share,
    )
    print(summary.as_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
