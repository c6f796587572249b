"""Compare plain spaCy NER and `flows.story.entities.EntityExtractor` against a reference file.

Usage::

    python bench/eval_entities.py --corpus DIR --gold FILE [--limit N] [--n-process N]
        [--batch N] [--strict] [--dump OUT.jsonl]

The reference is a JSONL file with one object per story file: ``file`` and a list of
``{text, type}`` under ``silver_entities`` (or ``entities``). A CoNLL-style reference
(PER/ORG/LOC/MISC, like the silver file) is scored in four classes PERSON, ORG, LOC (GPE+LOC)
and MISC (NORP/EVENT/PRODUCT/OTHER); an OntoNotes-style one (PERSON/ORG/GPE/LOC/NORP, like a
hand-labeled file) in PERSON, ORG, LOC (GPE+LOC) and NORP, leaving products and events out.

Scoring is article level. Each system yields, per article, a list of entities with a class and
a set of normalized forms: plain spaCy one entity per distinct string, the extractor one entity
per canonical name with its surface forms (aliases). A predicted entity is correct when any of
its forms equals a reference item of the same class; a reference item is found when any
predicted entity of its class has it among its forms. ``--strict`` scores canonical names only.
Normalizing ignores case, punctuation, spacing, possessives, a leading 'the' and a trailing
legal form ('Walmart Inc.' = 'Walmart', 'U. S.' = 'U.S.').

Two reference scopes are printed: the file as given, and the items whose text occurs in the
headline or story paragraphs (the silver set also labels staff lines such as reporters' names,
which the pipeline must not extract by contract).

Speed: (a) is the full default spaCy pipeline over the raw story text (headline, wire tag,
paragraphs), entity strings as they come; (b) is the extractor. Both run in this process on the
same batches of stories, alternating which goes first, so other jobs on the machine slow both
alike; model loading is excluded and printed apart.

The corpus is read with a minimal splitter (header line, blank-line paragraphs, staff lines,
boilerplate, update notes and 'Read:' links dropped, wire tag stripped), so the benchmark does
not depend on the pipeline's parser.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import spacy

from flows.story.entities import MODEL_NAME, EntityExtractor, EntityMention, StoryText

# Comparison classes. A CoNLL-style reference (PER/ORG/LOC/MISC, like the silver file) cannot
# tell nationalities from products, so NORP/EVENT/PRODUCT/OTHER are scored together as MISC. An
# OntoNotes-style reference (PERSON/ORG/GPE/LOC/NORP, like a hand-labeled file) scores NORP on its
# own and leaves products, events and other names out, as the target does.
_COARSE = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC",
    "GPE": "LOC",
    "FAC": "LOC",
    "MISC": "MISC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "OTHER": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
_FINE = {
    k: ("NORP" if k == "NORP" else v) for k, v in _COARSE.items() if v != "MISC" or k == "NORP"
}
_CLASS_OF = _COARSE
CLASSES = ("PERSON", "ORG", "LOC", "MISC")


def use_reference_style(refs: dict) -> str:
    """Pick the class scheme from the reference's labels; return a label for the report."""
    global _CLASS_OF, CLASSES
    labels = {e["type"] for ents in refs.values() for e in ents}
    if labels & {"PERSON", "GPE", "NORP"}:
        _CLASS_OF, CLASSES = _FINE, ("PERSON", "ORG", "LOC", "NORP")
        return "OntoNotes-style reference: classes PERSON, ORG, LOC (GPE+LOC), NORP"
    _CLASS_OF, CLASSES = _COARSE, ("PERSON", "ORG", "LOC", "MISC")
    return (
        "CoNLL-style reference: classes PERSON, ORG, LOC (GPE+LOC), MISC (NORP+EVENT+PRODUCT+OTHER)"
    )


_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*(.*)$")
_WIRE_TAG = re.compile(
    r"^(?:[A-Z][A-Za-z .,'-]*\s)?\((?:Bloomberg|Reuters)\)\s*[-\u2013\u2014]+\s*"
)
_DROP = re.compile(
    r"^(?:--\s*With assistance|To contact|For more articles|\u00a9|\(c\)\s*\d{4}|Subscribe now"
    r"|Read(?: more| More)?:|For more:|Click here|An earlier version of this story"
    r"|Sign up for|Want the lowdown|Terms of Trade is a daily|Explore what)",
    re.IGNORECASE,
)
_NOTE = re.compile(r"^\((?!Bloomberg\))[^()]*(?:\([^()]*\)[^()]*)*\)\.?$")


@dataclass(frozen=True)
class Story:
    """One corpus file as the benchmark sees it."""

    key: str
    headline: str
    paragraphs: tuple[str, ...]
    lede_tag: str


def split_story(key: str, text: str, note_positions: set[int]) -> Story:
    """Split a raw story file; `note_positions` are 1-based paragraph numbers of notes."""
    lines = text.split("\n", 1)
    header = _HEADER.match(lines[0])
    headline = header.group(2).strip() if header else lines[0].strip()
    body = lines[1] if len(lines) > 1 else ""
    paragraphs: list[str] = []
    lede_tag = ""
    for pos, raw in enumerate(re.split(r"\n\s*\n", body.strip()), start=1):
        para = " ".join(raw.split())
        if not para or pos in note_positions or _DROP.match(para) or _NOTE.match(para):
            continue
        if not paragraphs:
            tag = _WIRE_TAG.match(para)
            if tag:
                lede_tag = tag.group(0)
                para = para[tag.end() :]
                if not para or _DROP.match(para):
                    continue
        paragraphs.append(para)
    return Story(key, headline, tuple(paragraphs), lede_tag)


def load_corpus(corpus: Path, gold: Path, limit: int | None) -> tuple[list[Story], dict]:
    """Read the reference file and the stories it names, in file order."""
    refs: dict[str, list[dict]] = {}
    stories: list[Story] = []
    with gold.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            path = corpus / row["file"]
            if not path.exists():
                continue
            notes = {n["paragraph"] for n in row.get("update_notes") or []}
            text = path.read_text(encoding="utf-8")
            stories.append(split_story(row["file"], text, notes))
            refs[row["file"]] = row.get("silver_entities", row.get("entities", []))
            if limit and len(stories) >= limit:
                break
    return stories, refs


_LEGAL_TAIL = re.compile(
    r"(?:,?\s+(?:Inc|Corp|Corporation|Co|Cos|Ltd|Limited|Plc|PLC|LLC|LP|L\.P|AG|SA|S\.A|SE|NV|N\.V"
    r"|AB|ASA|SpA|GmbH|Bhd|Tbk|Pte|Pty|Holdings?)\.?)+$|\s+(?:&|and)$"
)


def norm(text: str) -> str:
    """Normalize for matching: case, possessive, punctuation, spacing and legal form do not count.

    'Walmart Inc.' and 'Walmart', 'U. S.' and 'U.S.' are the same name to a reader.
    """
    text = re.sub(r"\s*['\u2019]\s*s?$", "", text.strip())
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    text = _LEGAL_TAIL.sub("", _LEGAL_TAIL.sub("", text)) or text
    return re.sub(r"[\W_]+", "", text.lower())


# One predicted entity: (class, normalized canonical name, all normalized forms).
Pred = tuple[str, str, frozenset[str]]


def raw_text(story: Story) -> str:
    """The story as a naive pipeline would feed it: headline, wire tag, paragraphs."""
    lede = story.lede_tag + (story.paragraphs[0] if story.paragraphs else "")
    return "\n\n".join((story.headline, lede, *story.paragraphs[1:]))


def plain_predictions(nlp: spacy.Language, texts: Sequence[str]) -> list[list[Pred]]:
    """Plain spaCy: every entity string as it comes, one entity per distinct (class, string)."""
    out: list[list[Pred]] = []
    for doc in nlp.pipe(texts, batch_size=64):
        seen = {
            (_CLASS_OF[e.label_], norm(e.text))
            for e in doc.ents
            if e.label_ in _CLASS_OF and norm(e.text)
        }
        out.append([(cls, n, frozenset([n])) for cls, n in sorted(seen)])
    return out


def extractor_predictions(
    results: Iterable[Sequence[EntityMention]], strict: bool
) -> list[list[Pred]]:
    """Extractor output as comparison entities (name plus aliases unless strict)."""
    out: list[list[Pred]] = []
    for mentions in results:
        preds: list[Pred] = []
        for m in mentions:
            cls = _CLASS_OF.get(m.entity_type)
            if cls is None:
                continue
            forms = {norm(m.name)} if strict else {norm(m.name), *map(norm, m.surface_forms)}
            preds.append((cls, norm(m.name), frozenset(f for f in forms if f)))
        out.append(preds)
    return out


def reference_sets(
    stories: Sequence[Story], refs: dict, story_scope: bool
) -> list[set[tuple[str, str]]]:
    """Reference items per story; with story_scope only those whose text the story contains."""
    out = []
    for story in stories:
        text = norm(" ".join((story.headline, *story.paragraphs)))
        items = set()
        for ent in refs.get(story.key, []):
            cls = _CLASS_OF.get(ent["type"])
            n = norm(ent["text"])
            if cls and n and (not story_scope or n in text):
                items.add((cls, n))
        out.append(items)
    return out


def score(
    preds: Sequence[list[Pred]], golds: Sequence[set[tuple[str, str]]]
) -> dict[str, tuple[int, int, int, int]]:
    """Per class: (correct predictions, predictions, found reference items, reference items)."""
    counts: dict[str, list[int]] = {c: [0, 0, 0, 0] for c in CLASSES}
    for pred, gold in zip(preds, golds, strict=True):
        for cls, _name, forms in pred:
            counts[cls][1] += 1
            if any((cls, f) in gold for f in forms):
                counts[cls][0] += 1
        for cls, n in gold:
            counts[cls][3] += 1
            if any(c == cls and n in forms for c, _name, forms in pred):
                counts[cls][2] += 1
    return {c: (v[0], v[1], v[2], v[3]) for c, v in counts.items()}


def prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    """Precision, recall, F1 from the four counts."""
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def report(title: str, scores: dict[str, tuple[int, int, int, int]]) -> float:
    """Print per-class and micro figures; return micro F1."""
    print(f"  {title}")
    print(f"    {'class':8} {'P':>6} {'R':>6} {'F1':>6} {'pred':>6} {'ref':>6}")
    total = [0, 0, 0, 0]
    for cls in CLASSES:
        c = scores[cls]
        total = [a + b for a, b in zip(total, c, strict=True)]
        p, r, f = prf(*c)
        print(f"    {cls:8} {p:6.3f} {r:6.3f} {f:6.3f} {c[1]:6d} {c[3]:6d}")
    p, r, f = prf(*total)
    print(f"    {'micro':8} {p:6.3f} {r:6.3f} {f:6.3f} {total[1]:6d} {total[3]:6d}")
    return f


def main(argv: Sequence[str] | None = None) -> int:
    """Run both systems in one process and print quality and speed side by side."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--n-process", type=int, default=2, help="extractor processes (default 2)")
    ap.add_argument("--strict", action="store_true", help="score canonical names only")
    ap.add_argument("--dump", type=Path, default=None, help="write extractor output as JSONL")
    ap.add_argument("--batch", type=int, default=200, help="stories per batch (default 200)")
    args = ap.parse_args(argv)

    stories, refs = load_corpus(args.corpus, args.gold, args.limit)
    words = sum(len(p.split()) for s in stories for p in s.paragraphs)
    print(f"{len(stories)} stories, {words} story words; {use_reference_style(refs)}")

    t0 = time.perf_counter()
    nlp = spacy.load(MODEL_NAME)  # (a) plain: the full default pipeline, as a naive user would
    load_a = time.perf_counter() - t0
    t0 = time.perf_counter()
    extractor = EntityExtractor(n_process=args.n_process)
    load_b = time.perf_counter() - t0

    # Both systems run in the same process on the same batches, alternating which goes first,
    # so a busy machine (other jobs on the 2 cores) slows both alike.
    load_before = os.getloadavg()[0]
    plain: list[list[Pred]] = []
    results: list[list[EntityMention]] = []
    time_a = time_b = 0.0
    for i in range(0, len(stories), args.batch):
        batch = stories[i : i + args.batch]
        raw = [raw_text(s) for s in batch]
        inputs = [StoryText(s.key, s.headline, s.paragraphs) for s in batch]
        for system in "ab" if (i // args.batch) % 2 == 0 else "ba":
            t0 = time.perf_counter()
            if system == "a":
                plain.extend(plain_predictions(nlp, raw))
                time_a += time.perf_counter() - t0
            else:
                results.extend(extractor.extract(inputs))
                time_b += time.perf_counter() - t0
    load_after = os.getloadavg()[0]
    ours = extractor_predictions(results, args.strict)

    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for s, ms in zip(stories, results, strict=True):
                rows = [
                    [
                        m.name,
                        m.entity_type,
                        m.mention_count,
                        m.first_paragraph_no,
                        list(m.surface_forms),
                    ]
                    for m in ms
                ]
                fh.write(json.dumps({"file": s.key, "entities": rows}, ensure_ascii=False) + "\n")

    for scope in (False, True):
        golds = reference_sets(stories, refs, story_scope=scope)
        label = "reference items in story text only" if scope else "reference as given"
        print(f"\n== {label} ({sum(map(len, golds))} items) ==")
        f_a = report(
            "(a) plain spaCy small, full pipeline, strings as they come", score(plain, golds)
        )
        f_b = report("(b) EntityExtractor", score(ours, golds))
        print(f"  micro F1: plain {f_a:.3f} -> extractor {f_b:.3f}")

    n = len(stories)
    print("\n== speed (model load excluded) ==")
    print(
        f"  (a) plain nlp.pipe : {time_a:7.2f} s  {n / time_a:7.1f} stories/s  "
        f"{words / time_a:8.0f} words/s  (load {load_a:.2f} s)"
    )
    print(
        f"  (b) extractor      : {time_b:7.2f} s  {n / time_b:7.1f} stories/s  "
        f"{words / time_b:8.0f} words/s  (load {load_b:.2f} s)"
    )
    print(f"  throughput ratio (b)/(a): {time_a / time_b:.2f}x")
    print(
        f"  batches of {args.batch} stories; extractor n_process={args.n_process}; "
        f"1-min load average {load_before:.1f} -> {load_after:.1f} on {os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
