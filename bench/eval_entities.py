"""Score newswire's entities and plain spaCy small against a hand-labelled reference.

Usage::

    .venv/bin/python -m bench.eval_entities --gold FILE --corpus DIR [--split dev|heldout|all]
        [--no-merged-names] [--errors] [--cache DIR] [--warehouse DIR]

Scoring follows the labelling guidelines' Scoring section (entity-guidelines.md): per
article and per scored type (PERSON, ORG, GPE+LOC together, NORP), a predicted entity matches
a reference entity when the types agree and the canonical name or any surface form of one
equals the canonical name or any surface form of the other after normalization (case,
punctuation, possessive, legal suffix, 'U.S.' = 'United States'). Each article's entities are
a set, so a reference entity is matched by at most one prediction and a prediction counts for
at most one reference entity (a maximum one-to-one matching): a system that lists 'Xi' and
'Xi Jinping' apart has one right entity and one extra. Micro precision, recall and F1 over all
articles and the four types. The line 'lenient' also prints the figures when every prediction
that matches some reference entity counts as right (no one-to-one matching).

The two systems read the same text, the text newswire's pipeline hands to entity extraction:
the headline and the numbered story paragraphs from `flows.story.parse.parse_story` (the lede
without its wire tag; no staff lines, notes, related links or boilerplate).

- newswire: `EntityExtractor.extract`, one entity per `EntityMention` (name + surface forms).
- plain spaCy small, NER only (the component newswire runs), on the headline and each
  paragraph: one entity per distinct (type, normalized text), labels PERSON, ORG, GPE, LOC and
  NORP (FAC, products, events and the rest are not scored).

A held-out story byte-identical to a dev story is dropped (the reference's 0567 is 0327), so
the held-out figures never score a dev story.

The merged-names count runs newswire over every story of the corpus folder and counts the
distinct `entity_id`s of one type whose names differ only by legal suffix, case or punctuation
('Apple Inc.' and 'Apple'; 'JD.com Inc.' and 'JD.Com Inc.'): ids an analyst would have to merge
by hand. It also counts ids that carry more than one type over the corpus.

Cross-story identity: of the reference entities (grouped by type and normalized canonical name)
that two or more stories of the split name, the share whose matching predictions carry one
`entity_id` in all of those stories (a story where nothing matches breaks it). Printed for the
extractor alone (each story resolved on its own) and, with `--warehouse DIR` (a warehouse
loaded by `newswire run --input CORPUS --warehouse DIR`), for the warehouse's own tables, after
the load's archive-level merges: there F1 is scored from `entity_mentions` too, each entity
with the one type `entities` gives it, and the merged-names count is printed again over the
warehouse's `entities`.

`--errors` prints each article's misses and extras (use on the dev split only). `--cache DIR`
keeps the model's raw spans by text hash (offsets only, no text), so reruns that change only
the post-processing skip the model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.quality.entity_audit import fold_name
from flows.story.entities import _UNUSED_COMPONENTS as UNUSED_COMPONENTS
from flows.story.entities import MODEL_NAME, EntityExtractor, EntityMention, RawSpan, StoryText
from flows.story.parse import ParsedStory, parse_story

SCORED = ("PERSON", "ORG", "GPE+LOC", "NORP")
_CLASS_OF = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE+LOC", "LOC": "GPE+LOC", "NORP": "NORP"}

# --------------------------------------------------------------------------------------------
# Normalization
# --------------------------------------------------------------------------------------------

_US = {"us", "usa", "united states", "united states of america"}


def norm(text: str) -> str:
    """``fold_name`` (the folding of ``newswire eval``), and 'U.S.' (any spelling) = 'United
    States'."""
    folded = fold_name(text)
    return "united states" if folded in _US else folded


# --------------------------------------------------------------------------------------------
# Reading the reference and the corpus
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """One labelled story: the text both systems read, and its reference entities."""

    file: str
    split: str
    story: StoryText
    reference: list[tuple[str, frozenset[str]]]  # (class, normalized canonical name + forms)


def story_text(key: str, parsed: ParsedStory) -> StoryText:
    """What the pipeline hands to entity extraction (`orchestration.runners.EntityStage`)."""
    return StoryText(key, parsed.headline, tuple(text for _, text in parsed.numbered_paragraphs))


def read_story(path: Path) -> StoryText | None:
    parsed = parse_story(path.read_text(encoding="utf-8"))
    return story_text(path.name, parsed) if isinstance(parsed, ParsedStory) else None


def load_articles(gold: Path, corpus: Path, split: str) -> tuple[list[Article], list[str]]:
    """The reference's articles of a split; held-out copies of dev stories left out."""
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line]
    digest = {
        r["file"]: hashlib.sha256((corpus / r["file"]).read_bytes()).hexdigest() for r in rows
    }
    dev_digests = {digest[r["file"]] for r in rows if r["split"] == "dev"}
    articles: list[Article] = []
    dropped: list[str] = []
    for row in rows:
        if split != "all" and row["split"] != split:
            continue
        if row["split"] != "dev" and digest[row["file"]] in dev_digests:
            dropped.append(row["file"])
            continue
        story = read_story(corpus / row["file"])
        if story is None:
            raise SystemExit(f"{row['file']}: the parser rejects it")
        reference = [
            (_CLASS_OF[e["type"]], frozenset({norm(e["name"]), *map(norm, e["forms"])}) - {""})
            for e in row["entities"]
            if e["type"] in _CLASS_OF
        ]
        articles.append(Article(row["file"], row["split"], story, reference))
    return articles, dropped


# --------------------------------------------------------------------------------------------
# Systems
# --------------------------------------------------------------------------------------------

Entity = tuple[str, str, frozenset[str]]  # (class, display name, normalized name + forms)


def kept(mentions: Sequence[EntityMention]) -> list[EntityMention]:
    """The mentions that are scored: a scored type and at least one form."""
    return [
        m
        for m in mentions
        if m.entity_type in _CLASS_OF
        and frozenset({norm(m.name), *map(norm, m.surface_forms)}) - {""}
    ]


def newswire_entities(mentions: Sequence[EntityMention]) -> list[Entity]:
    return [
        (
            _CLASS_OF[m.entity_type],
            m.name,
            frozenset({norm(m.name), *map(norm, m.surface_forms)}) - {""},
        )
        for m in kept(mentions)
    ]


def plain_entities(nlp: Any, stories: Sequence[StoryText]) -> list[list[Entity]]:
    """Plain spaCy small NER: one entity per distinct (type, normalized text) in a story."""
    texts = [[s.headline, *s.paragraphs] for s in stories]
    flat = [t for ts in texts for t in ts]
    docs = iter(nlp.pipe(flat, batch_size=64))
    out: list[list[Entity]] = []
    for ts in texts:
        seen: dict[tuple[str, str], str] = {}
        for _ in ts:
            for e in next(docs).ents:
                cls, n = _CLASS_OF.get(e.label_), norm(e.text)
                if cls and n:
                    seen.setdefault((cls, n), e.text)
        out.append([(cls, text, frozenset([n])) for (cls, n), text in sorted(seen.items())])
    return out


def cached_ner(extractor: EntityExtractor, cache_dir: Path | None) -> Callable[[], None]:
    """Let the extractor reuse raw spans by text hash; returns a function that saves them."""
    if cache_dir is None:
        return lambda: None
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"ner-spans-{MODEL_NAME}.pkl"
    cache: dict[str, tuple[RawSpan, ...]] = pickle.loads(path.read_bytes()) if path.exists() else {}
    original = extractor.ner_spans

    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def ner_spans(texts: Sequence[str]) -> dict[str, tuple[RawSpan, ...]]:
        missing = [t for t in dict.fromkeys(texts) if key(t) not in cache]
        if missing:
            for text, spans in original(missing).items():
                cache[key(text)] = spans
        return {t: cache[key(t)] for t in texts}

    def save() -> None:
        path.write_bytes(pickle.dumps(cache))

    extractor.ner_spans = ner_spans  # type: ignore[method-assign]
    return save


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def _max_matching(edges: list[list[int]], n_right: int) -> int:
    """Size of a maximum bipartite matching (augmenting paths; articles are small)."""
    owner = [-1] * n_right

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if owner[j] < 0 or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(edges)))


Counts = dict[str, list[int]]  # class -> [matched, predicted, reference, lenient matched preds]


def score(articles: Sequence[Article], predictions: Sequence[list[Entity]]) -> Counts:
    counts: Counts = {c: [0, 0, 0, 0] for c in SCORED}
    for article, preds in zip(articles, predictions, strict=True):
        for cls in SCORED:
            p = [forms for c, _, forms in preds if c == cls]
            g = [forms for c, forms in article.reference if c == cls]
            edges = [[j for j, gf in enumerate(g) if pf & gf] for pf in p]
            counts[cls][0] += _max_matching(edges, len(g))
            counts[cls][1] += len(p)
            counts[cls][2] += len(g)
            counts[cls][3] += sum(1 for e in edges if e)
    return counts


def prf(tp: int, n_pred: int, n_ref: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_ref if n_ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(title: str, counts: Counts) -> None:
    print(f"  {title}")
    print(f"    {'type':8} {'P':>6} {'R':>6} {'F1':>6} {'match':>6} {'pred':>6} {'ref':>6}")
    total = [0, 0, 0, 0]
    for cls in SCORED:
        c = counts[cls]
        total = [a + b for a, b in zip(total, c, strict=True)]
        p, r, f = prf(c[0], c[1], c[2])
        print(f"    {cls:8} {p:6.3f} {r:6.3f} {f:6.3f} {c[0]:6d} {c[1]:6d} {c[2]:6d}")
    p, r, f = prf(total[0], total[1], total[2])
    print(f"    {'micro':8} {p:6.3f} {r:6.3f} {f:6.3f} {total[0]:6d} {total[1]:6d} {total[2]:6d}")
    lp = total[3] / total[1] if total[1] else 0.0
    print(f"    lenient precision (no one-to-one matching) {lp:.3f}")


def identity(
    articles: Sequence[Article], ids: Sequence[list[tuple[str, frozenset[str], str]]]
) -> str:
    """Share of reference entities named in 2+ stories whose matches share one entity_id; and
    the same among those the system found in every one of their stories (misses aside)."""
    stories: dict[tuple[str, str], list[set[str]]] = defaultdict(list)
    for article, preds in zip(articles, ids, strict=True):
        for cls, forms in article.reference:
            name = min(forms, key=lambda f: (-len(f), f))  # the fullest normalized form
            matched = {i for c, pf, i in preds if c == cls and pf & forms}
            stories[(cls, name)].append(matched)
    shared = {key: sets for key, sets in stories.items() if len(sets) > 1}
    if not shared:
        return "n/a"
    one = sum(1 for sets in shared.values() if set.intersection(*sets))
    found = [sets for sets in shared.values() if all(sets)]
    one_found = sum(1 for sets in found if set.intersection(*sets))
    return (
        f"{one / len(shared):.3f} ({one} of {len(shared)}); of those found in every story: "
        f"{one_found / len(found) if found else 0:.3f} ({one_found} of {len(found)})"
    )


def warehouse_entities(
    warehouse: Path, articles: Sequence[Article], corpus: Path
) -> list[list[tuple[str, str, frozenset[str], str]]]:
    """Each labelled story's entities as the warehouse holds them: (class, name, forms, id)."""
    import duckdb

    digests = {a.file: hashlib.sha256((corpus / a.file).read_bytes()).hexdigest() for a in articles}
    out: list[list[tuple[str, str, frozenset[str], str]]] = []
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as connection:
        for article in articles:
            rows = connection.execute(
                "select e.entity_type, e.name, m.surface_forms, e.entity_id "
                "from source_files s join entity_mentions m using (article_id) "
                "join entities e using (entity_id) where s.content_sha256 = ? "
                "and s.status = 'loaded'",
                [digests[article.file]],
            ).fetchall()
            out.append(
                [
                    (_CLASS_OF[t], name, frozenset({norm(name), *map(norm, forms)}) - {""}, i)
                    for t, name, forms, i in rows
                    if t in _CLASS_OF
                ]
            )
    return out


def warehouse_merged_names(warehouse: Path) -> None:
    """The merged-names count over a loaded warehouse's own entities (``newswire eval``)."""
    from flows.commands.operator import entity_audit
    from flows.quality.entity_audit import write_audit
    from flows.settings import WarehouseLayout

    print(f"\n== ids in the warehouse {warehouse} (newswire eval) ==")
    write_audit(entity_audit(WarehouseLayout(warehouse)), sys.stdout, show=12)


def print_errors(articles: Sequence[Article], predictions: Sequence[list[Entity]]) -> None:
    """Each article's reference entities nobody found and predictions matching nothing."""
    for article, preds in zip(articles, predictions, strict=True):
        missed = [
            f"{c}:{sorted(forms)[0]}"
            for c, forms in article.reference
            if not any(pc == c and pf & forms for pc, _, pf in preds)
        ]
        extra = [
            f"{c}:{name}"
            for c, name, pf in preds
            if not any(gc == c and pf & gf for gc, gf in article.reference)
        ]
        if missed or extra:
            print(f"  {article.file}\n    missed: {missed}\n    extra:  {extra}")


# --------------------------------------------------------------------------------------------
# Ids over the whole corpus
# --------------------------------------------------------------------------------------------


def merged_names(corpus: Path, extractor: EntityExtractor) -> None:
    """Ids of one type whose names differ only by legal suffix, case or punctuation."""
    stories = [s for p in sorted(corpus.glob("*.txt")) if (s := read_story(p)) is not None]
    t0 = time.perf_counter()
    results = extractor.extract(stories)
    seconds = time.perf_counter() - t0
    names: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for mentions in results:
        for m in mentions:
            names[m.entity_id].add(m.name)
            types[m.entity_id].add(m.entity_type)
            groups[(m.entity_type, fold_name(m.name))].add(m.entity_id)
    split = {k: ids for k, ids in groups.items() if len(ids) > 1 and k[1]}
    n_ids = len({i for ids in split.values() for i in ids})
    multi = {i: t for i, t in types.items() if len(t) > 1}
    typed: dict[str, set[str]] = defaultdict(set)
    for (etype, folded), _ids in groups.items():
        typed[folded].add(etype)
    n_typed = sum(1 for f, t in typed.items() if f and len(t) > 1)
    print(
        f"\n== ids over the corpus: {len(stories)} stories, {len(names)} distinct entity_ids "
        f"({seconds:.1f} s) =="
    )
    print(f"  merged-names count: {n_ids} ids in {len(split)} groups of one type whose names")
    print("    differ only by legal suffix, case or punctuation")
    for (etype, _), ids in sorted(split.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:12]:
        shown = sorted({n for i in ids for n in names[i]})
        print(f"    {etype:7} {' | '.join(shown)}")
    print(f"  folded names given more than one type over the corpus: {n_typed}")
    print(f"  ids carrying more than one type over the corpus: {len(multi)}")
    for i, t in sorted(multi.items(), key=lambda kv: sorted(names[kv[0]]))[:8]:
        print(f"    {' | '.join(sorted(names[i]))}: {', '.join(sorted(t))}")


# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    ap.add_argument("--no-merged-names", action="store_true", help="skip the corpus-wide count")
    ap.add_argument("--no-plain", action="store_true", help="skip plain spaCy")
    ap.add_argument("--errors", action="store_true", help="print misses and extras per article")
    ap.add_argument("--cache", type=Path, default=None, help="folder for cached raw NER spans")
    ap.add_argument(
        "--warehouse", type=Path, default=None, help="also score a warehouse loaded from --corpus"
    )
    args = ap.parse_args(argv)

    articles, dropped = load_articles(args.gold, args.corpus, args.split)
    n_ref = sum(len(a.reference) for a in articles)
    print(f"split {args.split}: {len(articles)} stories, {n_ref} scored reference entities")
    if dropped:
        print(f"  left out, byte-identical to a dev story: {', '.join(dropped)}")

    extractor = EntityExtractor(n_process=1)
    save_cache = cached_ner(extractor, args.cache)
    extracted = extractor.extract([a.story for a in articles])
    ours = [newswire_entities(ms) for ms in extracted]
    print()
    report("newswire EntityExtractor", score(articles, ours))
    ids = [
        [
            (c, forms, m.entity_id)
            for (c, _, forms), m in zip(newswire_entities(ms), kept(ms), strict=True)
        ]
        for ms in extracted
    ]
    print(f"    cross-story identity (each story alone): {identity(articles, ids)}")
    if args.warehouse is not None:
        held = warehouse_entities(args.warehouse, articles, args.corpus)
        report(
            f"newswire warehouse {args.warehouse}",
            score(articles, [[(c, n, f) for c, n, f, _ in row] for row in held]),
        )
        stored = [[(c, f, i) for c, _, f, i in row] for row in held]
        print(f"    cross-story identity (the warehouse): {identity(articles, stored)}")
    if not args.no_plain:
        import spacy

        nlp = spacy.load(MODEL_NAME, exclude=list(UNUSED_COMPONENTS))
        plain = plain_entities(nlp, [a.story for a in articles])
        report(f"plain spaCy small ({MODEL_NAME}, NER only)", score(articles, plain))
    if args.errors:
        print("\n== newswire: misses and extras ==")
        print_errors(articles, ours)
    if not args.no_merged_names:
        merged_names(args.corpus, extractor)
    if args.warehouse is not None:
        warehouse_merged_names(args.warehouse)
    save_cache()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
