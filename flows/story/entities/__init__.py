"""Entity extraction: spaCy small NER plus story-aware post-processing.

Plain spaCy small on wire copy is noisy: it keeps possessives ('Pelosi’s'), splits 'Xi' from
'Xi Jinping', tags the wire's own name and title-case headline words, glues lists of companies
into one span and mistypes names ('Kassym-Jomart Tokayev' as ORG, 'Netflix' as GPE). This
package runs only the NER component, once per distinct paragraph text in a batch, on story
paragraphs and headlines (never on staff lines or boilerplate), and then, per story:

1. cleans each span (leading 'the', titles, possessives, quotes, glued sentence words), splits
   lists ('Morgan Stanley, Citigroup Inc.'), 'X’s Y' pairs and 'China-Kazakhstan', and drops
   junk (no letters, market jargon, capitalized common words the story also uses lowercase);
2. types each name from evidence, strongest first: fixed lists (countries, states, cities,
   regions, demonyms, institutions), the words around it ('President X', 'X Inc.', 'analysts
   at X', 'X shares', ', an analyst at'), then lists of well-known companies and given names,
   then spaCy's votes over all mentions of the same text in the story;
3. resolves short mentions to the full form the story gives: 'Xi' -> 'Xi Jinping',
   'Goldman' -> 'Goldman Sachs Group Inc.', 'SCO' -> 'Shanghai Cooperation Organization', and
   aliases to one fixed name ('U.S.', 'US', 'America' -> 'United States');
4. adds listed names the model missed in a sentence ('China' in 'U.S.-China talks', a name after
   'Chief Executive Officer', 'Total SA'), and keeps headline and subhead entities only when a
   story sentence confirms them (title case makes the model guess);
5. counts mentions per story paragraph, including occurrences of a known surface form that the
   model missed, so `mention_count` and `first_paragraph_no` describe the whole story.

Canonical names: the fixed name for countries and listed institutions, else the longest form in
the story. Resolution is per story only, so a story's output never depends on its batch. Ids
hash (type, canonical name): the same full name gets the same id in every story and run.

Modules, each importing only those listed above it (`records` and `paragraphs` import nothing):

- `word_lists`: the hand-written lists (countries, titles, company suffixes, given names ...).
- `records`: `StoryText` in, `EntityMention` out, `RawSpan` from the model, ids.
- `lexicon`: lookup tables derived from the word lists; word helpers.
- `paragraphs`: which paragraphs are story sentences, subheads or boilerplate.
- `evidence`: step 2, typing.
- `spans`: step 1, cleaning and splitting one paragraph's spans.
- `gazetteer`: step 4, listed names the model missed.
- `counting`: step 5.
- `resolution`: `resolve_story`, steps 1 to 5 for one story, and step 3 itself.
- `model`: `EntityExtractor`, spaCy NER per distinct text (`ner_spans`) handed to
  `resolve_story`.
"""

from flows.story.entities.model import _UNUSED_COMPONENTS as _UNUSED_COMPONENTS  # for bench/
from flows.story.entities.model import MODEL_NAME, EntityExtractor
from flows.story.entities.paragraphs import is_headline_like
from flows.story.entities.records import (
    ENTITY_TYPES,
    EntityMention,
    RawSpan,
    StoryText,
    entity_id_for,
)
from flows.story.entities.resolution import resolve_story

__all__ = [
    "ENTITY_TYPES",
    "MODEL_NAME",
    "EntityExtractor",
    "EntityMention",
    "RawSpan",
    "StoryText",
    "entity_id_for",
    "is_headline_like",
    "resolve_story",
]
