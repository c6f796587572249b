"""The grammar of editors' update and correction notes on wire stories.

Editors mark a re-sent story with a short note in its own paragraph: Bloomberg at the bottom
('(Updates with Xi comments from sixth paragraph.)'), Reuters at the top ('(Recasts, adds
analyst comment)'), sometimes as a sentence ('An earlier version of this story misstated ...').
This package recognises such a paragraph and reads what was done (actions), to what (subject),
where (paragraph_refs, scope) and, for a correction of an older copy, that copy's date.

Action normalization (only the contract vocabulary ``ACTIONS`` is ever emitted):

* 'includes' -> 'add': it announces new material, like 'adds';
* 'specifies' -> 'clarify': it makes an existing statement more precise;
* 'repeats' -> 'refile': Reuters re-sends a story unchanged, a refile without edits;
* 'writethrough' -> 'rewrite': Reuters' name for a rewrite of the whole story;
* 'moves', 'replaces', 'revises', 'rewords', 'rephrases' -> 'change'; 'expands' -> 'add';
  'amends' -> 'correct'; 'restores', 'reinstates' -> 'insert'; 'resends', 'retransmits' ->
  'refile'; 'restructures' -> 'recast' (present forms only, never read as typos);
* 'An earlier/previous version of this story misstated/corrected/...' -> 'correct', but
  '... was updated' -> 'update', and '... appeared in the magazine' is no note.

A verb counts only where a clause starts (the note's start, after a comma, semicolon or full
stop, after 'and'/'also'): after 'to' it is a purpose ('Updates to add prices' is only
'update'), and inside a clause it is part of the subject. Past forms count only at a clause
start after punctuation, as 'and updated prices' is more often an adjective than a verb.

Paragraph references: ordinals and numerals name story paragraphs, in order of appearance;
'first two paragraphs' names the first; 'last', 'final', 'penultimate', 'third-to-last',
ranges ('paragraphs 8-11') and bullets name no number and only set ``scope``, while numbers
named beside them are kept ('fifth and final paragraphs' -> (5,)); a bare ordinal ('short
interest in fifth', 'comments in sixth and 11th', 'fourth paragraph and sixth') counts when
the note speaks of paragraphs elsewhere and the ordinals end their clause, so that an ordinal
of a chart, table or bullet ('in second table') is no paragraph. ``scope`` is the
earliest non-numbered place named: 'throughout', 'headline', 'last_paragraph',
'penultimate_paragraph', 'from_end', 'range', 'bullet', 'top', 'dateline', 'byline', 'chart',
'table' or 'section'.

Pure and stdlib-only. ``parse_update_note`` never raises on a string and rejects ordinary
paragraphs after a few cheap checks, as it runs on every paragraph of every story.

Modules, each importing only those listed above it:

- ``records``: ``UpdateNote``, the action vocabulary ``ACTIONS``, the ``_Span`` steps share.
- ``verbs``: the verb forms editors write, their actions and typo tolerance (``_verb``).
- ``dates``: the date of the earlier copy a note names (``_story_date``).
- ``subject``: what changed (``_subject``) and the patterns where a subject stops.
- ``places``: paragraph references and scopes (``_locate``).
- ``grammar``: the whole-note rules: the cheap gate and ``UNBRACKETED_OPENERS``, the 'earlier
  version' sentences, where verbs count as actions (``_actions``), ``parse_update_note``.
"""

from flows.story.notes.grammar import UNBRACKETED_OPENERS, parse_update_note
from flows.story.notes.records import ACTIONS, UpdateNote

__all__ = ["ACTIONS", "UNBRACKETED_OPENERS", "UpdateNote", "parse_update_note"]
