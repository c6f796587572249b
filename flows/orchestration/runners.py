"""Where the CPU-heavy stages run: in the flow's process, or spread over a Dask cluster.

Parse and entity extraction are split into chunks, one task run each. With the default runner
the chunks run one after another in this process (spaCy uses a second process by itself on big
batches); with ``runner="dask"`` they are submitted to a ``prefect_dask.DaskTaskRunner`` (a
``LocalCluster`` started for the run, or the scheduler at ``dask_address``) so every worker
takes a share. Chunks are contiguous slices gathered back in order, and every stage's output
for a story depends on that story only, so the tables are the same with either runner.
"""

from __future__ import annotations

import copy
import logging
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import pyarrow as pa
from prefect.utilities.annotations import quote

from flows.orchestration import progress
from flows.schemas import NER_SPANS
from flows.settings import DEFAULT_DASK_WORKERS, RUNNERS

if TYPE_CHECKING:
    from flows.story.entities import EntityExtractor, EntityMention, ModelIdentity, StoryText
    from flows.story.parse import ParsedStory

# The default runner splits only big inputs: each chunk of entities restarts spaCy's helper
# process (~2 s), so chunks are large; they exist to show progress on long runs.
LOCAL_CHUNK_ITEMS = {"parse": 5_000, "entities": 2_000}
# On Dask a chunk is also the unit of work stealing: a few per worker balance the load.
DASK_CHUNKS_PER_WORKER = 2
DASK_MAX_CHUNK_ITEMS = 2_000

T = TypeVar("T")
R = TypeVar("R")
TaskT = TypeVar("TaskT")
PartT = TypeVar("PartT")


@dataclass(frozen=True)
class Results(Generic[R]):
    """A task's list of results as one object, which is what tasks over many files return.

    Prefect links every element of a list a task returns to that task's state, in a map kept
    until the flow run ends: 29,000 entries for a run over 10,000 files, and at 100,000 files
    60 MB that grew with the batch. An object holding the list is one entry.
    """

    items: list[R]


# Below this many stories, starting a second spaCy process costs more than it saves.
PARALLEL_ENTITY_THRESHOLD = 300


@dataclass(frozen=True)
class FoundEntities:
    """What the entity stage found in some stories: their mentions, and the span cache rows of
    the texts the model read (those the cache did not hold), to be staged and loaded."""

    items: list[list[EntityMention]]  # one list per story, in order
    new_spans: pa.Table = field(default_factory=NER_SPANS.empty_table)  # schemas.NER_SPANS
    texts: int = 0  # distinct texts the model would read
    cached: int = 0  # of which the span cache held the spans

    @classmethod
    def combine(cls, parts: Sequence[FoundEntities]) -> FoundEntities:
        """The parts of one list of stories (chunks, in order) as one."""
        tables = [part.new_spans for part in parts]
        return cls(
            [mentions for part in parts for mentions in part.items],
            pa.concat_tables(tables) if tables else NER_SPANS.empty_table(),
            sum(part.texts for part in parts),
            sum(part.cached for part in parts),
        )

    def detail(self) -> str:
        """The stage's line: how many texts the span cache spared the model."""
        return f"{self.texts:,} texts, {self.cached:,} from the span cache"


@dataclass(frozen=True)
class EntityStage:
    """How a run extracts the entities of its new stories: which texts, how many processes,
    and the span cache the model's spans are looked up in.

    Sent along with each chunk of stories (to a Dask worker too), so it stays small and
    picklable; the spaCy model is loaded once per process, and only when a chunk has a text
    the span cache does not hold (``extract_entities``).
    """

    processes: int = 2
    # The warehouse file whose span cache (ner_spans) is read: the run's copy of the
    # warehouse, which a full refresh empties only when it loads. None: no cache.
    span_cache: Path | None = None
    # The model the spans are looked up and cached under; None: the installed one. (Another
    # version, given here, finds none of the installed one's spans.)
    model: ModelIdentity | None = None

    def texts(self, stories: Sequence[ParsedStory]) -> list[StoryText]:
        """The text of each story the model reads: headline and numbered paragraphs only, so
        ``first_paragraph_no`` is the paragraph number update notes use."""
        from flows.story.entities import StoryText

        return [
            StoryText(s.article_id, s.headline, tuple(text for _, text in s.numbered_paragraphs))
            for s in stories
        ]

    def extract(self, stories: Sequence[ParsedStory]) -> list[list[EntityMention]]:
        """One list of entity mentions per story, in order (empty for a story not read)."""
        return self.run(stories).items

    def run(self, stories: Sequence[ParsedStory]) -> FoundEntities:
        """The entity mentions of each story, in order, and the span cache rows the model's
        new spans make."""
        texts = self.texts(stories)
        if not texts:
            return FoundEntities([[] for _ in stories])
        workers = self.processes if len(texts) >= PARALLEL_ENTITY_THRESHOLD else 1
        found = extract_entities(texts, workers, self.span_cache, self.model)
        by_story = dict(zip((text.key for text in texts), found.items, strict=True))
        return replace(found, items=[by_story.get(s.article_id, []) for s in stories])


_extractor: EntityExtractor | None = None
_extractor_lock = threading.Lock()


def entity_extractor(processes: int) -> EntityExtractor:
    """The process's one spaCy model, loaded on first use; loading it once saves ~1 s a chunk.
    Callers hold ``_extractor_lock``, except a process preloading it before any work."""
    global _extractor
    from flows.story.entities import EntityExtractor

    if _extractor is None:
        _extractor = EntityExtractor(n_process=processes)
    _extractor.n_process = max(1, processes)
    return _extractor


def extract_entities(
    texts: Sequence[StoryText],
    processes: int,
    span_cache: Path | None = None,
    model: ModelIdentity | None = None,
) -> FoundEntities:
    """Entities of ``texts``: the model's spans from the span cache where it holds them, from
    the model (loaded only then) for the other texts; then resolution, a pass over the spans.

    The lock serialises chunks that share a process (a Dask worker with several threads):
    spaCy's memory zones are not safe to enter from two threads at once.
    """
    from flows.store import span_cache as cache
    from flows.story.entities import installed_model, prepare_stories, resolve_stories

    prepared, model_texts = prepare_stories(texts)
    identity = model or installed_model()
    hashes = {text: cache.text_hash(text) for text in model_texts}
    known = {}
    if span_cache is not None:
        known = cache.lookup(span_cache, identity.name, identity.version, list(hashes.values()))
    spans = {text: known[key] for text, key in hashes.items() if key in known}
    missing = [text for text in model_texts if text not in spans]
    with _extractor_lock:
        new = entity_extractor(processes).ner_spans(missing) if missing else {}
        spans.update(new)
        mentions = resolve_stories(prepared, spans, processes)
    rows = cache.spans_table(
        identity.name, identity.version, {hashes[text]: found for text, found in new.items()}
    )
    return FoundEntities(mentions, rows, len(model_texts), len(model_texts) - len(missing))


def split_evenly(items: Sequence[T], chunks: int) -> list[Sequence[T]]:
    """Split into at most ``chunks`` contiguous slices of near-equal size (none empty)."""
    if not items:
        return []
    count = max(1, min(chunks, len(items)))
    size = math.ceil(len(items) / count)
    return [items[start : start + size] for start in range(0, len(items), size)]


class ChunkRunner:
    """Runs a task over chunks of a list, here or on Dask; a context manager for the cluster."""

    def __init__(
        self,
        runner: str = "default",
        dask_address: str | None = None,
        dask_workers: int = DEFAULT_DASK_WORKERS,
    ) -> None:
        if dask_address:
            runner = "dask"
        if runner not in RUNNERS:
            raise ValueError(f"unknown runner {runner!r}; choose one of {', '.join(RUNNERS)}")
        self.runner = runner
        self.dask_address = dask_address
        self.dask_workers = max(1, dask_workers)
        self._dask: Any = None
        self._settings: Any = None

    @property
    def distributed(self) -> bool:
        """Whether chunks go to Dask workers."""
        return self.runner == "dask"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._dask is not None:
            dask, self._dask = self._dask, None
            dask.__exit__(kind, error, traceback)
        if self._settings is not None:
            settings, self._settings = self._settings, None
            settings.__exit__(kind, error, traceback)

    def _task_runner(self) -> Any:
        """Start (once, and only when there is work) the Dask task runner."""
        if self._dask is None:
            from prefect_dask import DaskTaskRunner

            self._share_api_with_workers()
            if self.dask_address:
                dask = DaskTaskRunner(address=self.dask_address)
            else:
                dask = DaskTaskRunner(
                    cluster_kwargs={
                        "n_workers": self.dask_workers,
                        "threads_per_worker": 1,
                        "processes": True,
                        "dashboard_address": None,
                        "silence_logs": logging.ERROR,
                    }
                )
            self._dask = dask.__enter__()
            # Our cluster's scheduler and nannies log every connection, and slow worker exits
            # at shutdown: not news for whoever runs newswire.
            logging.getLogger("distributed").setLevel(logging.ERROR)
        return self._dask

    def _share_api_with_workers(self) -> None:
        """Give workers this process's temporary Prefect API, when there is no real server.

        Task runs on a worker report to the API in the settings sent along with each task.
        Without ``PREFECT_API_URL`` those settings name no server, and every worker started
        a temporary server of its own (seconds each, all on one SQLite file): the run stalled.
        """
        from prefect.settings import PREFECT_API_URL, temporary_settings

        if PREFECT_API_URL.value():
            return
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()  # the one this process's client started
        if server.running:
            self._settings = temporary_settings(updates={PREFECT_API_URL: server.api_url})
            self._settings.__enter__()

    def _chunk_count(self, stage: str, items: int) -> int:
        if not self.distributed:
            return math.ceil(items / LOCAL_CHUNK_ITEMS[stage])
        workers = self.dask_workers
        if self.dask_address:
            workers = max(1, sum(self._task_runner().client.nthreads().values()))
        return max(workers * DASK_CHUNKS_PER_WORKER, math.ceil(items / DASK_MAX_CHUNK_ITEMS))

    def map(
        self,
        stage: str,
        task: Callable[..., Results[R]],
        items: Sequence[T],
        **parameters: Any,
    ) -> list[R]:
        """``task(chunk, **parameters)`` over chunks of ``items``; results flattened in order.

        Each chunk done advances the current stage's progress.
        """
        return [
            item for part in self.map_parts(stage, task, items, **parameters) for item in part.items
        ]

    def map_parts(
        self,
        stage: str,
        task: Callable[..., PartT],
        items: Sequence[T],
        **parameters: Any,
    ) -> list[PartT]:
        """``task(chunk, **parameters)`` over chunks of ``items``: what each chunk returned, in
        order (for a task that returns more than a list, e.g. ``FoundEntities``).

        Each chunk done advances the current stage's progress.
        """
        reporter = progress.current()
        results: list[PartT] = []
        if not items:
            return results
        pieces = split_evenly(items, self._chunk_count(stage, len(items)))
        if self.distributed:
            dask = self._task_runner()
            remote = without_timeout(task)
            futures = [
                dask.submit(remote, parameters={_first_parameter(task): piece, **parameters})
                for piece in pieces
            ]
            for piece, future in zip(pieces, futures, strict=True):
                results.append(future.result())
                reporter.advance(len(piece))
        else:
            for piece in pieces:
                # quote: Prefect would walk every story of the piece looking for futures.
                results.append(task(quote(piece), **parameters))
                reporter.advance(len(piece))
        return results


def without_timeout(task: TaskT) -> TaskT:
    """The task for a worker thread, where Prefect cannot enforce a timeout and warns about
    that on every task run. (``with_options`` cannot unset an option, hence the copy.)"""
    threaded = copy.copy(task)
    threaded.timeout_seconds = None  # type: ignore[attr-defined]
    return threaded


def _first_parameter(task: Any) -> str:
    """The name of the task's first parameter, which takes the chunk."""
    import inspect

    return next(iter(inspect.signature(task.fn).parameters))
