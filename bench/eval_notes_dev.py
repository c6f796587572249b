"""Measure the update-note grammar against the development corpus's gold notes.

Run from the repository root: ``.venv/bin/python bench/eval_notes_dev.py [-v]``. It reads the
corpus from ../shared (licensed for evaluation only: nothing of it is written anywhere).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.story.notes import parse_update_note

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def paragraphs(text: str) -> list[str]:
    """Paragraphs after the header line, numbered from 1 as the gold numbers them."""
    _, _, body = text.partition("\n")
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def main() -> None:
    """Print detection precision/recall, action and reference accuracy, and throughput."""
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    ap.add_argument("--corpus", default=str(CORPUS / "bloomberg-dev"))
    ap.add_argument("--gold", default=str(CORPUS / "bloomberg-dev.gold.jsonl"))
    args = ap.parse_args()

    rows = [json.loads(line) for line in Path(args.gold).read_text().splitlines() if line]
    tp = fp = fn = 0
    act_ok = act_n = ref_ok = ref_n = 0
    problems: list[str] = []
    texts: list[tuple[list[str], date]] = []
    for row in rows:
        paras = paragraphs((Path(args.corpus) / row["file"]).read_text(encoding="utf-8"))
        published = date.fromisoformat(row["date"])
        texts.append((paras, published))
        gold = {u["paragraph"]: u for u in row["update_notes"]}
        for pos, para in enumerate(paras, start=1):
            note = parse_update_note(para, published)
            g = gold.get(pos)
            tag = f"{row['file'][:4]}:{pos}"
            if note is None and g is None:
                continue
            if note is None:
                fn += 1
                problems.append(f"MISS {tag} {para[:120]}")
                continue
            if g is None:
                fp += 1
                problems.append(f"FP   {tag} {para[:120]}")
                continue
            tp += 1
            act_n += 1
            if list(note.actions) == g["actions"]:
                act_ok += 1
            else:
                problems.append(f"ACT  {tag} {note.actions} gold={g['actions']} {para[:100]}")
            if g["paragraph_refs"] is not None:
                ref_n += 1
                if list(note.paragraph_refs) == g["paragraph_refs"]:
                    ref_ok += 1
                else:
                    problems.append(
                        f"REF  {tag} {note.paragraph_refs} gold={g['paragraph_refs']} {para[:100]}"
                    )
            elif note.paragraph_refs:
                problems.append(f"REF0 {tag} {note.paragraph_refs} gold=None {para[:100]}")
        missed = set(gold) - set(range(1, len(paras) + 1))
        fn += len(missed)

    # Throughput of the note check alone, over every paragraph of every article.
    rounds = 5
    start = time.process_time()
    for _ in range(rounds):
        for paras, published in texts:
            for para in paras:
                parse_update_note(para, published)
    elapsed = time.process_time() - start
    n_articles = rounds * len(texts)

    if args.verbose:
        print("\n".join(problems))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"notes: gold={tp + fn} predicted={tp + fp} tp={tp} fp={fp} fn={fn}")
    print(f"precision={precision:.4f} recall={recall:.4f}")
    print(f"actions exact={act_ok / act_n if act_n else 1:.4f} ({act_ok}/{act_n})")
    print(f"paragraph_refs (gold non-null)={ref_ok / ref_n if ref_n else 1:.4f} ({ref_ok}/{ref_n})")
    print(f"note check: {n_articles / elapsed:,.0f} articles/s on one core (CPU time)")


if __name__ == "__main__":
    main()
