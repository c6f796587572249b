"""Hand-written word lists for entity post-processing (`flows.story.entities`).

Kept as plain Python so they ship with the code: no gazetteer download, no extra dependency.
The lists are small on purpose: they fix the errors spaCy small makes on wire copy (measured on
the development corpus), they are not an encyclopedia.
"""

from __future__ import annotations

# Canonical country (or bloc) name -> aliases seen in wire copy. The canonical name itself is
# implied. Case-sensitive on purpose: 'US' is the country, 'us' is a pronoun.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "United States": (
        "U.S.",
        "U.S",
        "US",
        "U.S.A.",
        "USA",
        "America",
        "United States of America",
        "the United States",
        "the U.S.",
        "the US",
    ),
    "United Kingdom": ("U.K.", "U.K", "UK", "Britain", "Great Britain", "the U.K.", "the UK"),
    "China": ("People's Republic of China", "People\u2019s Republic of China", "PRC", "P.R.C."),
    "Russia": ("Russian Federation",),
    "South Korea": ("Republic of Korea", "S. Korea"),
    "North Korea": ("DPRK", "Democratic People's Republic of Korea"),
    "United Arab Emirates": ("UAE", "U.A.E.", "the UAE", "the U.A.E."),
    "Netherlands": ("the Netherlands", "Holland"),
    "Czech Republic": ("Czechia",),
    "Philippines": ("the Philippines",),
    "Ivory Coast": ("Cote d'Ivoire", "C\u00f4te d'Ivoire"),
    "Myanmar": ("Burma",),
    "Hong Kong": ("HK",),
}

# Countries, territories and the like that spaCy small sometimes tags ORG or PERSON.
COUNTRIES: frozenset[str] = frozenset(
    (
        "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Argentina", "Armenia",
        "Australia", "Austria", "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados",
        "Belarus", "Belgium", "Belize", "Benin", "Bhutan", "Bolivia", "Botswana", "Brazil",
        "Brunei", "Bulgaria", "Burundi", "Cambodia", "Cameroon", "Canada", "Chad", "Chile", "China",
        "Colombia", "Comoros", "Congo", "Croatia", "Cuba", "Cyprus", "Denmark", "Djibouti",
        "Dominica", "Ecuador", "Egypt", "Eritrea", "Estonia", "Eswatini", "Ethiopia", "Fiji",
        "Finland", "France", "Gabon", "Gambia", "Georgia", "Germany", "Ghana", "Greece", "Grenada",
        "Guatemala", "Guinea", "Guyana", "Haiti", "Honduras", "Hungary", "Iceland", "India",
        "Indonesia", "Iran", "Iraq", "Ireland", "Israel", "Italy", "Jamaica", "Japan", "Jordan",
        "Kazakhstan", "Kenya", "Kiribati", "Kosovo", "Kuwait", "Kyrgyzstan", "Laos", "Latvia",
        "Lebanon", "Lesotho", "Liberia", "Libya", "Liechtenstein", "Lithuania", "Luxembourg",
        "Macau", "Madagascar", "Malawi", "Malaysia", "Maldives", "Mali", "Malta", "Mauritania",
        "Mauritius", "Mexico", "Micronesia", "Moldova", "Monaco", "Mongolia", "Montenegro",
        "Morocco", "Mozambique", "Myanmar", "Namibia", "Nauru", "Nepal", "Netherlands", "Nicaragua",
        "Niger", "Nigeria", "Norway", "Oman", "Pakistan", "Palau", "Palestine", "Panama",
        "Paraguay", "Peru", "Philippines", "Poland", "Portugal", "Qatar", "Romania", "Russia",
        "Rwanda", "Samoa", "Senegal", "Serbia", "Seychelles", "Singapore", "Slovakia", "Slovenia",
        "Somalia", "Spain", "Sudan", "Suriname", "Sweden", "Switzerland", "Syria", "Taiwan",
        "Tajikistan", "Tanzania", "Thailand", "Togo", "Tonga", "Tunisia", "Turkey", "Turkmenistan",
        "Tuvalu", "Uganda", "Ukraine", "Uruguay", "Uzbekistan", "Vanuatu", "Venezuela", "Vietnam",
        "Yemen", "Zambia", "Zimbabwe", "Greenland", "Macao", "Tibet", "Xinjiang", "Crimea", "Gaza",
    )
) | frozenset(
    (
        "Antigua and Barbuda", "Bosnia and Herzegovina", "Burkina Faso", "Cape Verde",
        "Central African Republic", "Costa Rica", "Czech Republic", "Dominican Republic",
        "East Timor", "El Salvador", "Equatorial Guinea", "Guinea-Bissau", "Hong Kong",
        "Ivory Coast", "Marshall Islands", "New Zealand", "North Korea", "North Macedonia",
        "Papua New Guinea", "Puerto Rico", "Saudi Arabia", "Sierra Leone", "Solomon Islands",
        "South Africa", "South Korea", "South Sudan", "Sri Lanka", "Trinidad and Tobago",
        "United Arab Emirates", "United Kingdom", "United States", "Vatican City", "Abu Dhabi",
        "Dubai",
    )
)  # fmt: skip

US_STATES: frozenset[str] = frozenset(
    (
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
        "Delaware", "Florida", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
        "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
        "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
        "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
        "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
        "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
    )
)  # fmt: skip

# Big financial and political cities: spaCy small tags some of them ORG or PERSON in wire copy.
CITIES: frozenset[str] = frozenset(
    (
        "Amsterdam", "Athens", "Bangkok", "Beijing", "Berlin", "Brussels", "Buenos Aires",
        "Cairo", "Chicago", "Davos", "Delhi", "Doha", "Frankfurt", "Geneva", "Guangzhou",
        "Hangzhou", "Houston", "Istanbul", "Jakarta", "Jerusalem", "Johannesburg", "Kiev", "Kyiv",
        "Kuala Lumpur", "Lagos", "Las Vegas", "Lisbon", "London", "Los Angeles", "Madrid",
        "Manila", "Melbourne", "Mexico City", "Miami", "Milan", "Moscow", "Mumbai", "Munich",
        "Nairobi", "New Delhi", "New York City", "Nur-Sultan", "Osaka", "Ottawa", "Paris",
        "Riyadh", "Rome", "San Francisco", "Santiago", "Sao Paulo", "S\u00e3o Paulo", "Seattle",
        "Seoul", "Shanghai", "Shenzhen", "Stockholm", "Sydney", "Taipei", "Tehran", "Tel Aviv",
        "Tianjin", "Tokyo", "Toronto", "Vienna", "Warsaw", "Wuhan", "Zurich", "Silicon Valley",
        "Wall Street", "Boston", "Atlanta", "Dallas", "Detroit", "Denver", "Singapore City",
    )
)  # fmt: skip

# Continents and regions: LOC, not GPE.
REGIONS: frozenset[str] = frozenset(
    (
        "Africa", "Asia", "Europe", "Latin America", "North America", "South America",
        "Middle East", "Southeast Asia", "Central Asia", "East Asia", "South Asia",
        "Asia-Pacific", "Asia Pacific", "Eastern Europe", "Western Europe", "Central Europe",
        "Gulf", "Persian Gulf", "Arctic", "Antarctica", "Balkans", "Caribbean", "Scandinavia",
        "Pacific", "Atlantic", "Mediterranean", "Sub-Saharan Africa", "West Africa",
        "East Africa", "North Africa", "Gulf of Mexico", "South China Sea", "Oceania",
        "Capitol Hill", "Silicon Valley",
    )
)  # fmt: skip

# Names of events and periods that spaCy small types PERSON, GPE or ORG.
EVENTS: frozenset[str] = frozenset(
    (
        "Brexit", "Christmas", "Christmas Eve", "Thanksgiving", "Black Friday", "Cyber Monday",
        "Lunar New Year", "Chinese New Year", "Golden Week", "Ramadan", "Easter", "Diwali",
        "Singles Day", "Singles’ Day", "Prime Day", "World Cup", "Olympics", "Olympic Games",
        "Great Recession", "Great Depression", "World War II", "Cold War", "State of the Union",
    )
)  # fmt: skip

# Nationality, religious and political group adjectives and nouns (NORP). Plurals are derived.
DEMONYMS: frozenset[str] = frozenset(
    (
        "Afghan", "African", "Albanian", "Algerian", "American", "Angolan", "Arab", "Arabian",
        "Argentine", "Argentinian", "Armenian", "Asian", "Australian", "Austrian", "Azerbaijani",
        "Bahraini", "Bangladeshi", "Belarusian", "Belgian", "Bolivian", "Bosnian", "Brazilian",
        "British", "Bulgarian", "Burmese", "Cambodian", "Cameroonian", "Canadian", "Chilean",
        "Chinese", "Colombian", "Congolese", "Croatian", "Cuban", "Cypriot", "Czech", "Danish",
        "Dutch", "Ecuadorian", "Egyptian", "Emirati", "English", "Eritrean", "Estonian",
        "Ethiopian", "European", "Filipino", "Finnish", "French", "Georgian", "German", "Ghanaian",
        "Greek", "Guatemalan", "Haitian", "Honduran", "Hungarian", "Icelandic", "Indian",
        "Indonesian", "Iranian", "Iraqi", "Irish", "Israeli", "Italian", "Ivorian", "Jamaican",
        "Japanese", "Jordanian", "Kazakh", "Kenyan", "Korean", "Kosovar", "Kuwaiti", "Kyrgyz",
        "Lao", "Latvian", "Lebanese", "Libyan", "Lithuanian", "Luxembourgish", "Malaysian",
        "Maltese", "Mexican", "Moldovan", "Mongolian", "Moroccan", "Mozambican", "Nepalese",
        "Nigerian", "Norwegian", "Omani", "Pakistani", "Palestinian", "Panamanian", "Paraguayan",
        "Persian", "Peruvian", "Polish", "Portuguese", "Qatari", "Romanian", "Russian", "Rwandan",
        "Saudi", "Scottish", "Senegalese", "Serbian", "Singaporean", "Slovak", "Slovenian",
        "Somali", "Spanish", "Sudanese", "Swedish", "Swiss", "Syrian", "Taiwanese", "Tajik",
        "Tanzanian", "Thai", "Tibetan", "Tunisian", "Turkish", "Turkmen", "Ugandan", "Ukrainian",
        "Uruguayan", "Uzbek", "Venezuelan", "Vietnamese", "Welsh", "Yemeni", "Zambian",
        "Zimbabwean", "Uyghur", "Uighur", "Kurdish", "Kurd", "Pashtun", "Han", "Hindu", "Muslim",
        "Christian", "Catholic", "Protestant", "Jewish", "Sunni", "Shiite", "Shia", "Buddhist",
        "Sikh", "Democrat", "Democratic", "Republican", "Communist", "Socialist", "Conservative",
        "Labour", "Tory", "Brexiteer", "Latino", "Hispanic", "Western", "Eastern", "Nordic",
        "Scandinavian", "Balkan", "Baltic", "Caribbean", "Gulf", "Levantine", "Mideast", "Emiratis",
        "Britons", "Israelis", "Saudis", "Californian", "Texan",
    )
) | frozenset(
    (
        "South Korean", "North Korean", "South African", "New Zealander", "Latin American",
        "Middle Eastern", "Southeast Asian", "Central Asian", "Hong Konger", "Hong Kongers",
        "Puerto Rican", "Saudi Arabian", "Sri Lankan", "Costa Rican", "Wall Streeter",
    )
)  # fmt: skip

# Words before a name that mark a person ('President X', 'Chief Executive Officer X').
# Multi-word titles are matched by their last word, so 'Prime Minister' needs only 'Minister'.
PERSON_TITLES: frozenset[str] = frozenset(
    (
        "wife", "husband", "son", "daughter", "girlfriend", "boyfriend", "brother", "sister",
        "father", "mother", "widow", "fiancee", "President", "Premier", "Chancellor", "Minister",
        "Secretary", "Senator", "Sen.", "Rep.", "Representative", "Governor", "Gov.", "Mayor",
        "Speaker", "Chairman", "Chairwoman", "Chairperson", "Chair", "Officer", "Executive", "CEO",
        "CFO", "COO", "CTO", "Founder", "Co-Founder", "co-founder", "founder", "Director",
        "director", "Analyst", "analyst", "Economist", "economist", "Strategist", "strategist",
        "spokesman", "spokeswoman", "spokesperson", "Spokesman", "Spokeswoman", "King", "Queen",
        "Prince", "Princess", "Mr.", "Mrs.", "Ms.", "Dr.", "Judge", "Justice", "General", "Gen.",
        "Commissioner", "Ambassador", "billionaire", "Billionaire", "Pope", "Sheikh", "Emir",
        "Sultan", "Leader", "leader", "Treasurer", "Councillor", "Lawmaker", "lawmaker",
        "Congressman", "Congresswoman", "Vice-President", "Deputy", "deputy", "Head", "head",
        "Chief", "chief", "Partner", "partner", "Investor", "investor", "Manager", "manager",
        "Trader", "trader", "Professor", "professor", "Attorney", "attorney", "Lawyer", "lawyer",
        "Counsel", "counsel", "Adviser", "adviser", "Advisor", "advisor", "Fellow", "fellow",
        "Architect", "Lord", "Lady", "Sir", "Dame", "Crown", "Prosecutor", "Ayatollah", "Tycoon",
        "tycoon", "entrepreneur", "Entrepreneur", "Candidate", "candidate", "Nominee", "nominee",
        "Senators", "Ministers", "Presidents", "Chairs",
    )
)  # fmt: skip

# The leading title words that spaCy sometimes keeps inside a PERSON span.
SPAN_TITLES: frozenset[str] = frozenset(
    (
        "President", "Vice", "Premier", "Prime", "Chancellor", "Minister", "Foreign", "Finance",
        "Secretary", "Senator", "Sen.", "Rep.", "Representative", "Governor", "Gov.", "Mayor",
        "Speaker", "House", "Chairman", "Chairwoman", "Chair", "Chief", "Executive", "Officer",
        "CEO", "CFO", "COO", "CTO", "Founder", "Mr.", "Mrs.", "Ms.", "Dr.", "Judge", "Justice",
        "General", "Gen.", "Commissioner", "Ambassador", "Billionaire", "Pope", "Sheikh", "King",
        "Queen", "Prince", "Princess", "Crown", "Sir", "Lord", "Dame", "Mister", "Madame", "Lady",
        "Treasury", "Commerce", "Defense", "State", "Trade", "Deputy", "Analyst", "Economist",
        "Strategist", "Director", "Managing", "Co-Founder", "Leader", "Majority", "Minority",
        "Senate", "Congressman", "Congresswoman", "Lawmaker", "Emir", "Sultan", "Ayatollah",
        "Tycoon",
    )
)  # fmt: skip

# Last tokens that mark a company or other organization.
COMPANY_SUFFIXES: frozenset[str] = frozenset(
    (
        "Inc.", "Inc", "Corp.", "Corp", "Corporation", "Co.", "Co", "Cos.", "Ltd.", "Ltd",
        "Limited", "Plc", "PLC", "plc", "LLC", "L.L.C.", "L.P.", "LP", "LLP", "AG", "SA", "S.A.",
        "SE", "NV", "N.V.", "BV", "B.V.", "AB", "ASA", "Oyj", "SpA", "S.p.A.", "GmbH", "KGaA",
        "Bhd", "Bhd.", "Tbk", "Tbk.", "PJSC", "OAO", "PAO", "OJSC", "JSC", "KK", "K.K.", "Pte",
        "Pty", "Holdings", "Holding", "Group", "Bancorp", "Bank", "Partners", "Capital", "Fund",
        "Trust", "Airlines", "Airways", "Motors", "Technologies", "Pharmaceuticals", "Therapeutics",
        "Bancshares", "Fargo",
    )
)  # fmt: skip

# The part of COMPANY_SUFFIXES that is legal form only: dropped when matching short names.
LEGAL_SUFFIXES: frozenset[str] = frozenset(
    (
        "Inc.", "Inc", "Corp.", "Corp", "Corporation", "Co.", "Co", "Cos.", "Ltd.", "Ltd",
        "Limited", "Plc", "PLC", "plc", "LLC", "L.L.C.", "L.P.", "LP", "LLP", "AG", "SA", "S.A.",
        "SE", "NV", "N.V.", "BV", "B.V.", "AB", "ASA", "Oyj", "SpA", "S.p.A.", "GmbH", "KGaA",
        "Bhd", "Bhd.", "Tbk", "Tbk.", "PJSC", "OAO", "PAO", "OJSC", "JSC", "KK", "K.K.", "Pte",
        "Pty", "&", "and",
    )
)  # fmt: skip

# Names whose legal form tells two companies apart: their key keeps it ('Merck KGaA', the German
# company, is not 'Merck & Co.').
DISTINCT_LEGAL_FORMS: frozenset[str] = frozenset(("Merck KGaA",))

# Words inside a span that make it an organization rather than a person or place.
ORG_WORDS: frozenset[str] = frozenset(
    (
        "Bank", "Fund", "Agency", "Ministry", "Commission", "Committee", "Council", "Reserve",
        "Exchange", "University", "Institute", "Association", "Organization", "Organisation",
        "Department", "Authority", "Board", "Court", "Congress", "Parliament", "Senate",
        "Federation", "Union", "Foundation", "Corporation", "Company", "Securities", "Investments",
        "Management", "Capital", "Partners", "Holdings", "Group", "Airlines", "Motors", "Systems",
        "Technologies", "Pharmaceuticals", "Energy", "Petroleum", "Communications", "Networks",
        "Insurance", "Financial", "Services", "Administration", "Bureau", "Office", "Technology",
        "Ventures", "Realty", "Labs", "Entertainment", "Pharma", "Biotech", "Semiconductor",
        "Electronics", "Media", "Partnership", "University", "College", "School", "Ratings",
        "Research", "Analytics", "Advisors", "Party", "Police", "Army", "Navy", "Telecom",
    )
)  # fmt: skip

# Fixed short names of institutions whose meaning does not depend on the story.
ORG_ALIASES: dict[str, tuple[str, ...]] = {
    "Federal Reserve": ("Fed", "the Fed", "Federal Reserve Board", "U.S. Federal Reserve"),
    "Federal Open Market Committee": ("FOMC",),
    "European Union": ("EU", "E.U.", "the EU", "the European Union"),
    "European Central Bank": ("ECB",),
    "International Monetary Fund": ("IMF",),
    "Organization of Petroleum Exporting Countries": ("OPEC",),
    "Securities and Exchange Commission": ("SEC", "U.S. Securities and Exchange Commission"),
    "Justice Department": ("DOJ", "Department of Justice", "U.S. Justice Department"),
    "World Trade Organization": ("WTO",),
    "World Health Organization": ("WHO",),
    "Bank of Japan": ("BOJ", "BoJ"),
    "Bank of England": ("BOE", "BoE"),
    "People's Bank of China": ("PBOC", "People\u2019s Bank of China"),
    "Bank of America": ("BofA",),
    "Bloomberg Television": ("Bloomberg TV", "BTV"),
    "NSE Nifty 50": ("Nifty", "Nifty 50", "NSE Nifty", "Nifty 50 Index"),
    # The U.S. legislature by the names the reference gives it. A bare 'Senate' or 'House' in
    # this wire is the U.S. one (others come with their country: 'Philippine Senate', 'House of
    # Commons'), and never a committee whose name starts with it. 'U.S.' in front is split off
    # as a place, as in 'U.S. Treasury' (GOVERNMENT_WORDS), so the forms stay one entity.
    "U.S. Congress": ("Congress", "US Congress"),
    "U.S. Senate": ("Senate", "US Senate"),
    "U.S. House of Representatives": (
        "House of Representatives",
        "U.S. House",
        "US House",
        "House",
    ),
}

# The wire's names. Inside a story they are ORG mentions like any other ('told Bloomberg News',
# 'Bloomberg Intelligence'); only the wire tag '(Bloomberg) --' is not, and it never gets here.
# A unit is its own entity: a bare 'Bloomberg' is not resolved to 'Bloomberg News'.
WIRE_NAMES: frozenset[str] = frozenset(
    ("Bloomberg", "Reuters", "Bloomberg News", "Reuters News", "BTV", "Bloomberg TV")
)

# Months and weekdays: a name made of these and numbers is a date ('March 2019', 'Sept. 15').
CALENDAR_WORDS: frozenset[str] = frozenset(
    (
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.",
        "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "Monday", "Tuesday", "Wednesday", "Thursday",
        "Friday", "Saturday", "Sunday",
    )
)  # fmt: skip

# Pronouns and sentence words that glued text turns into 'names' ('half“We').
PRONOUNS: frozenset[str] = frozenset(
    ("I", "We", "He", "She", "It", "They", "You", "Us", "Them", "Him", "Me", "There", "Here")
)

# Capitalized words that spaCy small tags as entities in wire copy but that are not entities
# (or not of the contract's types): sentence-initial words, market jargon, section labels.
NOT_ENTITIES: frozenset[str] = frozenset(
    (
        "Stocks", "Bonds", "Currencies", "Commodities", "Markets", "Shares", "Equities",
        "Treasuries", "Treasurys", "Futures", "Key", "Insights", "Read", "More", "Click",
        "Subscribe", "Street", "Index", "Covid", "Covid-19", "COVID-19", "COVID", "coronavirus",
        "Coronavirus", "Chairman", "CEO", "CFO", "Officer", "President", "Inc.", "Corp.", "Co.",
        "Ltd.", "Group", "Holdings", "Company", "Government", "Administration", "Cabinet",
        "TOPLive", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Q1", "Q2", "Q3", "Q4", "Bullish", "Bearish", "GDP",
        "ETF", "ETFs", "IPO", "IPOs", "CPI", "PMI", "EPS", "ESG", "AI", "EV", "EVs", "FX", "AUM",
        "Hibor", "Libor", "Shibor", "Euribor", "SOFR", "HPC", "IoT", "FICC", "ECM", "DCM", "M&A",
        "YoY", "QoQ", "Nonfarm", "Q&A",
    )
)  # fmt: skip

# Last words of company names that end in a possessive: the "'s" is part of the name.
POSSESSIVE_NAMES: frozenset[str] = frozenset(
    (
        "McDonald's", "Macy's", "Moody's", "Lowe's", "Sotheby's", "Kohl's", "Dick's", "Wendy's",
        "Domino's", "Denny's", "Applebee's", "Dillard's", "Chili's", "Lloyd's", "Hershey's",
        "Kellogg's", "Levi's", "Sainsbury's", "Christie's", "Barron's", "Carl's", "Friendly's",
        "Cane's", "Joe's", "Jerry's",
    )
)  # fmt: skip

# Single tokens that are too often plain words to count by string match alone.
AMBIGUOUS_WORDS: frozenset[str] = frozenset(
    (
        "May", "March", "April", "June", "August", "Will", "Bill", "Mark", "Rose", "Grant", "Price",
        "Bush", "Cook", "Gates", "Street", "Hope", "Sun", "Young", "Long", "Short", "Best",
        "Little", "King", "Page", "Wood", "Stone", "Field", "Hall", "Green", "Brown", "White",
        "Black", "House",
    )
)  # fmt: skip

# Well-known companies and brands by the short name wire copy uses after the first mention.
# spaCy small tags many of them PERSON or GPE ('Netflix', 'Foxconn', 'Citi'); a name here is
# typed ORG unless the story gives stronger evidence.
KNOWN_ORGS: frozenset[str] = frozenset(
    (
        # US technology, media and retail
        "Apple", "Amazon", "Alphabet", "Google", "Microsoft", "Facebook", "Meta", "Netflix",
        "Twitter", "Snap", "Pinterest", "Uber", "Lyft", "Airbnb", "Tesla", "Nvidia", "Intel",
        "AMD", "Qualcomm", "Broadcom", "Micron", "Cisco", "Oracle", "IBM", "Salesforce", "Adobe",
        "PayPal", "Square", "Stripe", "eBay", "Dell", "HP", "Hulu", "Roku", "Spotify", "Zoom",
        "Slack", "Dropbox", "LinkedIn", "YouTube", "Instagram", "WhatsApp", "TikTok", "ByteDance",
        "Walmart", "Target", "Costco", "Nordstrom", "Macy's", "Kroger", "Starbucks",
        "McDonald's", "Nike", "Disney", "Comcast", "Verizon", "AT&T", "T-Mobile", "Sprint",
        "Boeing", "Caterpillar", "Ford", "GM", "Chrysler", "Exxon", "ExxonMobil", "Chevron",
        "Pfizer", "Merck", "Moderna", "Gilead", "AbbVie", "Amgen", "Johnson & Johnson", "J&J",
        "Goodyear", "Visa", "Mastercard",
        "Berkshire", "Berkshire Hathaway", "FedEx", "UPS", "Delta", "United Airlines",
        "Expedia", "Booking", "Wayfair", "Etsy", "WeWork",
        "Palantir", "Robinhood", "Coinbase", "SpaceX", "OpenAI", "Anthropic", "McKinsey",
        "Bain", "BCG", "Deloitte", "PwC", "KPMG", "EY", "Accenture",
        # US finance
        "Goldman", "Goldman Sachs", "JPMorgan", "Morgan Stanley", "Citi", "Citigroup",
        "Wells Fargo", "BlackRock", "Blackrock", "Vanguard", "Fidelity", "Schwab",
        "Charles Schwab", "Raymond James", "Jefferies", "Piper Sandler",
        "Piper Jaffray", "Bernstein", "Evercore", "Lazard", "Nomura", "Macquarie", "KKR",
        "Blackstone", "Carlyle", "Apollo", "TPG", "Bridgewater", "Citadel", "Moody's", "Fitch",
        "S&P Global", "Nasdaq", "NYSE", "AIG", "MetLife", "Prudential", "Freddie Mac",
        "Fannie Mae", "BofA",
        # Europe
        "HSBC", "Barclays", "Lloyds", "UBS", "Credit Suisse", "Deutsche Bank", "Commerzbank",
        "BNP Paribas", "Societe Generale", "Natixis", "Santander", "BBVA", "ING", "UniCredit",
        "Allianz", "AXA", "Siemens", "Bayer", "BASF", "SAP", "Daimler", "Volkswagen", "BMW",
        "Audi", "Porsche", "Renault", "Peugeot", "Fiat", "Ferrari", "Airbus", "Michelin",
        "Nestle", "Novartis", "Roche", "Unilever", "Shell", "BP", "Total", "Eni", "Equinor",
        "Glencore", "Rio Tinto", "BHP", "Vodafone", "Ericsson", "Nokia", "Philips", "Adidas",
        "LVMH", "Kering", "Tesco", "Standard Chartered", "Aramco", "Saudi Aramco",
        # Asia
        "Alibaba", "Tencent", "Baidu", "JD.com", "Meituan", "Xiaomi", "Huawei", "ZTE", "Lenovo",
        "Pinduoduo", "Didi", "NetEase", "SoftBank", "Toyota", "Honda", "Nissan", "Sony",
        "Panasonic", "Toshiba", "Hitachi", "Samsung", "LG", "Hyundai", "SK Hynix", "TSMC",
        "Foxconn", "Hon Hai", "Infosys", "Wipro", "Reliance", "Tata", "Rakuten",
        "Nintendo", "Uniqlo", "Grab", "Gojek", "Sea", "Ant", "Ant Group", "Alipay",
        "Meituan Dianping", "Ant Financial",
        # news organizations, the wire's own among them
        "Bloomberg", "Bloomberg News", "Bloomberg Intelligence", "Bloomberg Television",
        "Bloomberg Economics", "Bloomberg Opinion", "Bloomberg LP", "Bloomberg L.P.",
        "BloombergNEF", "Bloomberg Billionaires Index", "Reuters", "Associated Press",
        "Xinhua", "Caixin", "Nikkei Asian Review", "Financial Times", "Wall Street Journal",
    )
)  # fmt: skip

# Products and services that spaCy small calls ORG or GPE.
PRODUCTS: frozenset[str] = frozenset(
    (
        "iPhone", "iPhones", "iPad", "iPads", "Mac", "MacBook", "iOS", "AirPods", "Apple Watch",
        "Android", "Windows", "Office", "Azure", "AWS", "Alexa", "Echo", "Kindle", "Kindle Fire",
        "Prime", "Chrome", "Gmail", "Galaxy", "PlayStation", "Xbox", "Switch", "Model 3",
        "Model S", "Model X", "Model Y", "Cybertruck", "Autopilot", "Disney+", "Apple TV",
        "Apple Pay", "WeChat", "Weibo", "Libra", "Bitcoin", "Ethereum", "Boeing 737 Max",
        "737 Max", "XS Max", "iPhone XS Max", "iPhone XR", "iPhone X", "Pixel", "Surface",
    )
)  # fmt: skip

# Market indexes named as such: ORG by the guidelines ('Stoxx Europe 600 Index', 'Kospi').
INDEX_NAMES: frozenset[str] = frozenset(
    (
        "S&P 500", "S&P 500 Index", "Nasdaq 100 Index", "Dow", "Dow Jones",
        "Dow Jones Industrial Average", "Nasdaq Composite", "Nasdaq Composite Index", "Nasdaq 100",
        "Nasdaq-100", "Russell 2000", "Stoxx 600", "Stoxx Europe 600", "Stoxx Europe 600 Index",
        "Euro Stoxx 50", "FTSE 100", "FTSE 250", "Nikkei 225", "Nikkei 225 Stock Average", "Topix",
        "Kospi", "Hang Seng", "Hang Seng Index", "Sensex", "S&P BSE Sensex", "Nifty", "Nifty 50",
        "ASX 200", "S&P/ASX 200", "DAX", "CAC 40", "Shanghai Composite", "Shanghai Composite Index",
        "CSI 300", "Bovespa", "Ibovespa", "VIX", "Cboe Volatility Index", "Jakarta Composite",
        "Straits Times Index", "Taiex", "Bloomberg Dollar Spot Index", "MSCI World",
        "MSCI All-Country World Index", "MSCI Asia Pacific Index", "MSCI Emerging Markets Index",
        "Philadelphia Stock Exchange Semiconductor Index", "KBW Bank Index", "Nikkei", "MSCI",
        "SOX", "BKX", "KBW", "NSE Nifty 50", "S&P/NZX 50", "KLCI", "FTSE Bursa Malaysia KLCI",
        "VN Index", "PSEi", "Kospi 200", "Hang Seng China Enterprises",
    )
)  # fmt: skip

# Words after an index's name that belong to it ('Hang Seng Index', 'Nikkei 225 Stock Average').
INDEX_TAILS: frozenset[str] = frozenset(("Index", "Indices", "Average", "Composite"))

# Commodity benchmarks and instruments: not organizations (typed OTHER).
BENCHMARKS: frozenset[str] = frozenset(
    ("Brent", "West Texas Intermediate", "WTI", "Murban", "Brent crude", "North Sea Brent")
)

# Common given names (several languages): a span starting with one is likely a person.
GIVEN_NAMES: frozenset[str] = frozenset(
    (
        "Aaron", "Abigail", "Adam", "Adrian", "Ahmed", "Aisha", "Akira", "Alan", "Albert",
        "Alberto", "Alejandro", "Alex", "Alexander", "Alexandra", "Alexandre", "Alexis", "Ali",
        "Alice", "Alicia", "Alison", "Allison", "Amanda", "Amber", "Amit", "Amy", "Ana", "Anand",
        "Andre", "Andrea", "Andreas", "Andrew", "Andy", "Angela", "Angelina", "Anil", "Anita",
        "Ann", "Anna", "Anne", "Anthony", "Antonio", "Arjun", "Arthur", "Ashley", "Barbara",
        "Barry", "Ben", "Benjamin", "Bernard", "Bernie", "Beth", "Betsy", "Bill", "Bob", "Boris",
        "Brad", "Bradley", "Brandon", "Brenda", "Brett", "Brian", "Bruce", "Bruno", "Bryan", "Carl",
        "Carlos", "Carol", "Caroline", "Carolyn", "Catherine", "Charles", "Charlie", "Charlotte",
        "Chen", "Chris", "Christian", "Christina", "Christine", "Christopher", "Chuck", "Claire",
        "Claudia", "Colin", "Craig", "Cynthia", "Dan", "Dana", "Daniel", "Daniela", "Danielle",
        "Darren", "David", "Dean", "Deborah", "Debra", "Dennis", "Derek", "Diana", "Diane",
        "Dmitry", "Dominic", "Don", "Donald", "Donna", "Doug", "Douglas", "Dylan", "Ed", "Eddie",
        "Edward", "Elaine", "Eleanor", "Elena", "Eli", "Elizabeth", "Ellen", "Elon", "Emily",
        "Emma", "Emmanuel", "Eric", "Erik", "Erin", "Ethan", "Eugene", "Eva", "Evan", "Fernando",
        "Fiona", "Francesco", "Francis", "Francisco", "Frank", "Fred", "Gabriel", "Gareth", "Gary",
        "Gavin", "Geoffrey", "George", "Gerald", "Gina", "Giovanni", "Giuseppe", "Glenn", "Gordon",
        "Grace", "Graham", "Greg", "Gregory", "Guillaume", "Gustavo", "Hank", "Hannah", "Harold",
        "Harry", "Heather", "Heidi", "Helen", "Henry", "Hiroshi", "Howard", "Hugh", "Hugo", "Ian",
        "Igor", "Ingrid", "Isaac", "Ivan", "Jack", "Jackie", "Jacob", "James", "Jamie", "Jan",
        "Jane", "Janet", "Jared", "Jason", "Javier", "Jay", "Jean", "Jeff", "Jeffrey", "Jennifer",
        "Jenny", "Jens", "Jeremy", "Jerome", "Jerry", "Jessica", "Jill", "Jim", "Jimmy", "Joan",
        "Joanna", "Joe", "Joel", "Johann", "John", "Johnny", "Jon", "Jonathan", "Jordan", "Jorge",
        "Jose", "Joseph", "Josh", "Joshua", "Juan", "Judith", "Judy", "Julia", "Julian", "Julie",
        "Justin", "Kamala", "Karen", "Karl", "Kate", "Katherine", "Kathleen", "Kathryn", "Katie",
        "Keith", "Kelly", "Ken", "Kenneth", "Kevin", "Kim", "Kimberly", "Kirk", "Klaus", "Kristin",
        "Kumar", "Kurt", "Kyle", "Larry", "Laura", "Lauren", "Lawrence", "Lee", "Leon", "Leonardo",
        "Li", "Lin", "Linda", "Lisa", "Liu", "Lloyd", "Louis", "Lucas", "Luis", "Luke", "Lynn",
        "Manuel", "Marc", "Marco", "Margaret", "Maria", "Marie", "Marina", "Mario", "Mark",
        "Martin", "Mary", "Masayoshi", "Matt", "Matthew", "Max", "Megan", "Melissa", "Michael",
        "Michel", "Michelle", "Miguel", "Mike", "Mitch", "Mohamed", "Mohammed", "Muhammad", "Nancy",
        "Naoki", "Narendra", "Natalie", "Nathan", "Neil", "Nicholas", "Nick", "Nicola", "Nicolas",
        "Nicole", "Nigel", "Nikhil", "Nina", "Noah", "Oliver", "Olivia", "Omar", "Oscar", "Pablo",
        "Pamela", "Patricia", "Patrick", "Paul", "Paula", "Pedro", "Peter", "Philip", "Philippe",
        "Pierre", "Priya", "Rachel", "Rahul", "Raj", "Rajesh", "Ralph", "Ramesh", "Randy",
        "Raphael", "Raymond", "Rebecca", "Richard", "Rick", "Rishi", "Rob", "Robert", "Roberto",
        "Robin", "Roger", "Ronald", "Rose", "Ross", "Roy", "Ruth", "Ryan", "Sam", "Samantha",
        "Samuel", "Sandra", "Sanjay", "Sara", "Sarah", "Satya", "Scott", "Sean", "Sebastian",
        "Sergei", "Sergey", "Seth", "Shannon", "Sharon", "Shawn", "Sheryl", "Simon", "Sophie",
        "Stefan", "Stephanie", "Stephen", "Steve", "Steven", "Stuart", "Sundar", "Susan", "Suzanne",
        "Takeshi", "Tara", "Ted", "Teresa", "Theresa", "Thomas", "Tim", "Timothy", "Tina", "Todd",
        "Tom", "Tommy", "Tony", "Tracy", "Travis", "Tyler", "Valerie", "Vanessa", "Veronica",
        "Victor", "Victoria", "Vijay", "Vincent", "Vladimir", "Walter", "Wang", "Warren", "Wayne",
        "Wei", "Wendy", "William", "Willie", "Wolfgang", "Xavier", "Yan", "Yang", "Yi", "Yuki",
        "Yusuf", "Zach", "Zhang", "Zoe", "Jerome", "Mohammad", "Recep", "Emmanuel", "Angela",
        "Jacinda", "Justin", "Shinzo", "Moon", "Jair", "Andres", "Cyril", "Jokowi", "Joko",
        "Mahathir", "Hassan", "Ursula", "Haruhiko", "Jamal", "Leonard", "Liam", "Kristalina",
        "Tedros", "Abhishek", "Gita", "Nirmala", "Kassym-Jomart", "Nancy", "Mitt", "Sergio",
        "Matteo", "Luca", "Lorenzo", "Marcelo", "Ricardo", "Rodrigo", "Diego", "Hiroki",
        "Kenji", "Taro", "Yoshihide", "Masaaki", "Jiro", "Elon", "Jeff", "Jamie", "Larry",
        "Sheryl", "Mark", "Tim", "Jack",
    )
)  # fmt: skip

# People wire copy names by surname alone, without a full name in the story. A one-word PERSON
# needs this list, a title or a role beside it ('President Trump', 'Ermotti, the chief
# executive'); other one-word 'people' are companies, places or junk ('Altria', 'Borno', 'XS').
WELL_KNOWN_PEOPLE: frozenset[str] = frozenset(
    (
        "Trump", "Obama", "Biden", "Clinton", "Bush", "Pence", "Pelosi", "McConnell", "Schumer",
        "Xi", "Li", "Putin", "Medvedev", "Merkel", "Macron", "Modi", "Abe", "Suga", "Kishida",
        "Erdogan", "Bolsonaro", "Lula", "Maduro", "Guaido", "Netanyahu", "Assad", "Khamenei",
        "Rouhani", "Kim", "Moon", "Duterte", "Jokowi", "Widodo", "Mahathir", "Trudeau", "Corbyn",
        "May", "Salvini", "Conte", "Draghi", "Lagarde", "Powell", "Yellen", "Kuroda",
        "Carney", "Mnuchin", "Lighthizer", "Kudlow", "Navarro", "Pompeo", "Bolton", "Mueller",
        "Musk", "Bezos", "Zuckerberg", "Buffett", "Dimon", "Khashoggi", "Zelenskiy", "Zelensky",
        "Ardern", "Morrison", "AMLO", "Obrador", "Macri", "Kirchner", "Milei", "Orban",
    )
)  # fmt: skip

# Lowercase words just before a name that mark an organization ('rival Pegatron').
ORG_PREV_WORDS: frozenset[str] = frozenset(
    (
        "rival", "rivals", "company", "companies", "firm", "firms", "lender", "lenders", "bank",
        "banks", "retailer", "retailers", "maker", "makers", "startup", "start-up", "carrier",
        "brokerage", "insurer", "giant", "operator", "provider", "manufacturer", "supplier",
        "suppliers", "producer", "automaker", "carmaker", "chipmaker", "developer", "conglomerate",
        "peer", "peers", "subsidiary", "platform", "chain", "bellwether", "specialist",
        "distributor", "publisher", "airline", "exchange", "regulator", "outlet", "newspaper",
        "broker", "brokerages", "lessor", "miner", "refiner", "explorer", "utility", "shopping",
        "e-commerce", "internet", "fintech", "unicorn", "automakers", "carmakers", "insurers",
        "acquire", "acquired", "acquiring", "unit", "units", "affiliate", "division", "arm",
        "owner", "parent", "brand", "chain", "fund", "funds", "agency", "consultancy",
        "magazine", "broadcaster", "website", "venture",
    )
)  # fmt: skip

# Two words before a name that mark an organization ('analysts at Macquarie').
ORG_PREV_BIGRAMS: frozenset[str] = frozenset(
    (
        "analyst at", "analysts at", "economist at", "economists at", "strategist at",
        "strategists at", "analyst with", "economist with", "strategist with", "shares of",
        "stake in", "executive at", "executives at", "officer of", "executive of", "founder of",
        "CEO of", "head of", "employees at", "spokesman for", "spokeswoman for",
        "spokesperson for", "chairman of", "president of", "acquisition of", "takeover of",
        "merger with", "purchase of", "rivals including", "companies including",
        "firms including", "banks including", "lenders including", "brands including",
    )
)  # fmt: skip

# Words just after a name (no possessive between) that mark an organization ('Tesla shares').
ORG_NEXT_WORDS: frozenset[str] = frozenset(
    (
        "shares", "stock", "analyst", "analysts", "spokesman", "spokeswoman", "spokesperson", "CEO",
        "CFO", "board", "shareholders", "unit", "subsidiary", "Chief", "chief", "executives",
        "strategists", "economists", "economist", "strategist", "employees", "store", "stores",
        "app", "platform", "brand", "law", "firm",
    )
)  # fmt: skip

# Role nouns in an apposition after a name (', an analyst at', ', who') that mark a person.
PERSON_ROLE_WORDS: frozenset[str] = frozenset(
    (
        "analyst", "economist", "strategist", "spokesman", "spokeswoman", "spokesperson", "lawyer",
        "attorney", "founder", "co-founder", "chairman", "chairwoman", "president", "chief", "head",
        "director", "partner", "professor", "manager", "executive", "investor", "trader",
        "minister", "secretary", "adviser", "advisor", "senator", "governor", "official",
        "researcher", "billionaire", "CEO", "CFO", "COO", "CTO", "leader", "member", "son",
        "daughter", "wife", "husband", "candidate", "lawmaker", "politician", "activist",
    )
)  # fmt: skip

# Capitalized sentence openers that spaCy small glues to the name after them ('Beyond Amazon').
LEADING_WORDS: frozenset[str] = frozenset(
    (
        "Beyond", "Besides", "Meanwhile", "Elsewhere", "Like", "Unlike", "Including", "Despite",
        "Although", "Though", "While", "Whereas", "However", "Moreover", "But", "And", "Or", "So",
        "Yet", "If", "When", "Since", "After", "Before", "During", "For", "From", "With", "Without",
        "By", "At", "In", "On", "As", "Of", "To", "Into", "Than", "Both", "All", "Each", "Every",
        "Some", "Many", "Most", "Its", "His", "Her", "Their", "Our", "My", "Your", "This", "That",
        "These", "Those", "Also", "Even", "Only", "Then", "Thus", "Still", "Perhaps", "Rather",
        "Look", "Rival", "Rivals", "Shares", "Analysts", "Analyst", "Says", "Said", "About",
        "Against", "Among", "Amid", "Across", "Via", "Per", "Dear", "Ask", "Asked", "Unlike",
        "Under-fire", "Embattled", "Billionaire", "Investor", "Investors", "Why", "How", "What",
        "Where", "Who",
    )
)  # fmt: skip

# Well-known companies searched for by name when the model misses them. KNOWN_ORGS minus the
# names that are also everyday words or people ('Target', 'Delta', 'Schwab').
SCAN_ORGS: frozenset[str] = KNOWN_ORGS - frozenset(
    (
        "Target", "Sea", "Grab", "Ant", "Square", "Snap", "Visa", "Total", "Delta", "Shell",
        "Booking", "Apollo", "Reliance", "Fidelity", "Vanguard", "Citadel", "Sprint", "Zoom",
        "Slack", "Stripe", "Meta", "Oracle", "Tata", "Ford", "Dell", "Schwab", "Bernstein",
        "Lazard", "Fitch", "Prudential", "Mercedes", "Prime", "Alipay", "Jefferies", "Chrysler",
        "Merck", "Sun", "Macy's", "Nike",
    )
)  # fmt: skip

# Last words of names that hold 'and' ('Securities and Exchange Commission'): not split there.
NAME_HEADS: frozenset[str] = frozenset(
    (
        "Act", "Law", "Commission", "Committee", "Services", "Department", "Administration",
        "Agency", "Authority", "Organization", "Organisation", "Association", "Council", "Board",
        "Bureau", "Institute", "Foundation", "Union", "Office", "Ministry", "Court", "Treaty",
        "Agreement", "Accord", "Program", "Programme", "Initiative", "Affairs", "Development",
        "Security", "Cooperation", "Trade", "Research",
    )
)  # fmt: skip

# Words of government bodies' names a country may lead ('U.S. Treasury'); courts keep the country.
GOVERNMENT_WORDS: frozenset[str] = frozenset(
    (
        "Commission", "Department", "Agency", "Administration", "Bureau", "Reserve", "Treasury",
        "Congress", "Senate", "House", "Army", "Navy", "Embassy", "Chamber", "Representative",
        "Office", "Service", "Board", "Authority", "Council",
    )
)  # fmt: skip

# Words after 'Bund' or 'Gilt' that make it a security, not an issuer.
SECURITY_WORDS: frozenset[str] = frozenset(
    (
        "yield", "yields", "note", "notes", "bond", "bonds", "bill", "bills", "securities",
        "futures", "market", "markets", "rates", "rate", "curve", "prices", "holdings", "auction",
        "auctions", "debt", "swaps", "options",
    )
)  # fmt: skip

# Words that open institutions' names before the head word: 'Reserve Bank', 'Industrial &
# Commercial Bank', 'Export-Import Bank'.
INSTITUTION_WORDS: frozenset[str] = frozenset(
    (
        "Reserve", "Central", "National", "Federal", "Royal", "State", "Commercial", "Industrial",
        "Development", "Construction", "Agricultural", "Export", "Import", "Merchants", "Savings",
        "Investment", "Postal", "Cooperative", "Co-operative", "Asian", "European",
        "International", "World", "Islamic", "People’s", "People's", "Supreme", "District",
    )
)  # fmt: skip

# Lowercase words inside names ('Bank of America', 'Civic Alliance for a Sound Economy'); any
# other lowercase word in a span joins two names ('WeWork to Uber Technologies Inc.').
NAME_CONNECTORS: frozenset[str] = frozenset(
    (
        "of", "and", "for", "the", "a", "an", "de", "du", "des", "del", "della", "di", "da", "do",
        "dos", "das", "van", "von", "der", "den", "la", "le", "les", "y", "e", "et", "al", "bin",
        "bint", "ibn", "on", "at", "in", "upon", "und", "zu", "au", "aux", "el", "ul",
    )
)  # fmt: skip
