"""Entity extraction: spaCy small NER plus story-aware post-processing.

Plain spaCy small on wire copy is noisy: it keeps possessives ('Pelosi’s'), splits 'Xi' from
'Xi Jinping', tags title-case headline words, glues lists of companies into one span, cuts
long names short and mistypes names ('Kassym-Jomart Tokayev' as ORG, 'Netflix' as GPE). This
package runs only the NER component, once per distinct paragraph text in a batch, on story
paragraphs and headlines (never on staff lines or boilerplate), and then, per story (the
wire's own name inside the story, 'told Bloomberg News', is an ORG like any other; the wire
tag '(Bloomberg) --' never reaches the model):

1. cleans each span (leading 'the', titles, possessives, quotes, glued sentence words), makes
   names the model cut short whole ('Reserve' + 'Bank of India', 'MSCI' + 'China' + 'Index'),
   splits lists ('Morgan Stanley, Citigroup Inc.'), 'X’s Y' pairs, 'China-Kazakhstan' and
   spans joined by a lowercase word ('WeWork to Uber Technologies Inc.'), and drops junk (no
   letters, market jargon, quarters such as '1Q', dates, pronouns, text glued by punctuation
   such as 'half“We', capitalized common words the story also uses lowercase);
2. types each name from evidence, strongest first: fixed lists (countries, states, cities,
   regions, demonyms, institutions, market indexes), the words around it ('President X',
   'X Inc.', 'analysts at X', 'X shares', ', an analyst at'), then lists of well-known
   companies and people and given names, a company listed beside it, then spaCy's votes over
   all mentions of the same text in the story; a one-word PERSON needs evidence of a person
   (else it is an ORG with evidence of a company, or dropped: 'Altria', 'XS', 'Borno');
3. resolves short mentions to the full form the story gives: 'Xi' -> 'Xi Jinping',
   'Goldman' -> 'Goldman Sachs Group Inc.', 'SCO' -> 'Shanghai Cooperation Organization', and
   aliases to one fixed name ('U.S.', 'US', 'America' -> 'United States');
4. adds names the model missed in a sentence: listed places, companies and market indexes
   ('China' in 'U.S.-China talks', 'Japan’s Topix'), a name after a title or an appointment
   ('Chief Executive Officer Ana Ruiz', 'appointed Ana Ruiz as'), a company where the words
   say so ('IT company Mindtree', 'Jefferies analysts', a bare name in a list of companies)
   and capitalized words ending in a legal form ('Total SA'); it keeps headline and subhead
   entities only when a story sentence confirms them (title case makes the model guess);
5. counts mentions per story paragraph, including occurrences of a known surface form that the
   model missed, so `mention_count` and `first_paragraph_no` describe the whole story.

Canonical names: the fixed name for countries and listed institutions, else the longest form in
the story. Resolution is per story only, so a story's output never depends on its batch.

Identity across stories: `entity_id` hashes the name's canonical key, `entity_key(name)`: case,
punctuation, whitespace, accents, a leading 'the' and legal forms fold away and fixed aliases
fold into their name ('Apple Inc.', 'Apple', 'APPLE INC' -> 'apple'; 'U.S.', 'America' ->
'unitedstates'). The key holds no type: one entity has one type, decided from all its mentions
(a story that types 'Warren Buffett' ORG still gives his id). Names of one story that share a
key are one entity. `entity_key` and `entity_id_for_key` are public for tables keyed the same
way (aliases, archive-wide type votes).

Modules, each importing only those listed above it (`records` and `paragraphs` import nothing):

- `word_lists`: the hand-written lists (countries, titles, company suffixes, given names ...).
- `identity`: `entity_key`, `entity_id_for_key`, `entity_id_for`: names to keys to ids.
- `records`: `StoryText` in, `EntityMention` out, `RawSpan` from the model.
- `lexicon`: lookup tables derived from the word lists; word helpers.
- `paragraphs`: which paragraphs are story sentences, subheads or boilerplate.
- `evidence`: step 2, typing.
- `spans`: step 1, cleaning and splitting one paragraph's spans.
- `gazetteer`: step 4, listed names the model missed.
- `counting`: step 5.
- `resolution`: `resolve_story`, steps 1 to 5 for one story, and step 3 itself.
- `model`: `EntityExtractor`, spaCy NER per distinct text (`ner_spans`: the model's raw spans,
  every label); `prepare_stories` (the texts the model reads) and `resolve_stories` (the pass
  over spans, no model) around it; `ModelIdentity` names the model that found some spans, so
  a caller can keep them (the warehouse's span cache) and run the model on new texts only.
"""

from flows.story.entities.identity import (
    alias_resolution,
    entity_id_for,
    entity_id_for_key,
    entity_key,
)
from flows.story.entities.model import _UNUSED_COMPONENTS as _UNUSED_COMPONENTS  # for bench/
from flows.story.entities.model import (
    MODEL_NAME,
    EntityExtractor,
    ModelIdentity,
    installed_model,
    prepare_stories,
    resolve_stories,
)
from flows.story.entities.paragraphs import is_headline_like
from flows.story.entities.records import (
    ENTITY_TYPES,
    EntityMention,
    RawSpan,
    StoryText,
)
from flows.story.entities.resolution import resolve_story

__all__ = [
    "ENTITY_TYPES",
    "MODEL_NAME",
    "EntityExtractor",
    "EntityMention",
    "ModelIdentity",
    "RawSpan",
    "StoryText",
    "alias_resolution",
    "entity_id_for",
    "entity_id_for_key",
    "entity_key",
    "installed_model",
    "is_headline_like",
    "prepare_stories",
    "resolve_stories",
    "resolve_story",
]
