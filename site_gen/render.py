"""Render generated pages with the theme: every detail page (one per item, bundle, department,
theme, window) on a full build, and whichever generated pages changed on an incremental one.

MkDocs builds one page at a time on one core and pays, per page, for a new Markdown
instance and a full pass over the navigation. The detail pages need neither: they are out
of the nav, and their Markdown is headings around raw HTML blocks. This module renders them
with MkDocs' own objects (``Page``, ``get_context`` and the theme's Jinja environment), so
the HTML is the same as MkDocs would write, but

- the raw HTML blocks are set aside before Markdown runs (Python-Markdown would parse each
  block twice only to copy it through),
- the pages are split across processes, one per core, each with its own engine state made
  from a picklable :class:`RenderJob` (no module globals, any start method).

Works with any engine that keeps MkDocs 1.6's Python API (MkDocs itself, ProperDocs).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STASH = re.compile(r'<div data-banshi-stash="(\d+)"></div>')


@dataclass(frozen=True)
class RenderJob:
    """Everything a worker needs to render its share of the pages (picklable)."""

    config_file: Path
    overrides: dict[str, Any]
    """``load_config`` overrides (docs_dir, site_dir, extra ...): the same as the engine's."""
    site_dir: Path
    sources: tuple[str, ...] = field(default_factory=tuple)
    """docs_dir-relative Markdown sources, e.g. ``items/x.md``."""


def set_html_aside(markdown: str) -> tuple[str, list[str]]:
    """Replace each raw HTML block (a paragraph starting with ``<``) by a placeholder."""
    blocks = markdown.split("\n\n")
    stash: list[str] = []
    for index, block in enumerate(blocks):
        if block.startswith("<") and not block.startswith("<!--"):
            blocks[index] = f'<div data-banshi-stash="{len(stash)}"></div>'
            stash.append(block)
    return "\n\n".join(blocks), stash


def put_html_back(html: str, stash: list[str]) -> str:
    return STASH.sub(lambda m: stash[int(m.group(1))], html)


class _Engine:
    """MkDocs' config, files, nav and theme environment for one process."""

    def __init__(self, job: RenderJob) -> None:
        from mkdocs.commands.build import get_context
        from mkdocs.config import load_config
        from mkdocs.structure.files import get_files
        from mkdocs.structure.nav import get_navigation

        self.get_context = get_context
        config = load_config(str(job.config_file), **job.overrides)
        config = config.plugins.on_config(config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        nav = get_navigation(files, config)
        self.nav = config.plugins.on_nav(nav, config=config, files=files)
        for page in self.nav.pages:  # nav entries titled by their page's first heading
            if page.title is None:
                page.read_source(config)
                page.render(config, files)
        self.env = config.plugins.on_env(env, config=config, files=files)
        self.config = config
        self.files = files
        self.doc_files = files.documentation_pages()
        self.site_dir = job.site_dir

    def render(self, src: str) -> None:
        """Render one generated page into the site folder, as MkDocs would."""
        from mkdocs.structure.files import File, InclusionLevel
        from mkdocs.structure.pages import Page

        config = self.config
        file = self.files.get_file_from_path(src)  # a section page the engine knows (nav)
        if file is None:
            file = File(
                src,
                config.docs_dir,
                config.site_dir,
                config.use_directory_urls,
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        page = file.page if file.page is not None else Page(None, file, config)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown, stash = set_html_aside(page.markdown)
        page.render(config, self.files)
        assert page.content is not None
        page.content = put_html_back(page.content, stash)
        page.active = True
        try:
            context = self.get_context(self.nav, self.doc_files, config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(
                context, page=page, config=config, nav=self.nav
            )
            output = template.render(context)
            output = config.plugins.on_post_page(output, page=page, config=config)
        finally:
            page.active = False
        target = self.site_dir / file.dest_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")  # a served page is never half-written
        tmp.write_bytes(output.encode("utf-8", errors="xmlcharrefreplace"))
        tmp.replace(target)


def render_pages(job: RenderJob) -> int:
    """Render ``job.sources`` in this process; returns the number of pages written."""
    engine = _Engine(job)
    for src in job.sources:
        engine.render(src)
    return len(job.sources)


def _worker(job: RenderJob, conn: Any) -> None:
    import resource

    try:
        done = render_pages(job)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        conn.send(("ok", (done, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


class RenderError(RuntimeError):
    """A worker failed; the message carries its traceback."""


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class Rendering:
    """Detail pages being rendered by worker processes; :meth:`join` waits for them."""

    def __init__(self, done: int = 0, workers: list[tuple[Any, Any]] | None = None) -> None:
        self.done = done
        self.workers = workers or []
        self.cpu_seconds = 0.0
        """CPU time of the worker processes (they are not this process's children)."""
        self.peak_kb = 0
        """The largest worker's peak resident memory."""

    def join(self) -> int:
        """Wait for every worker; the number of pages rendered, or :class:`RenderError`."""
        errors = []
        for process, conn in self.workers:
            try:
                status, value = conn.recv()
            except EOFError:
                status, value = "error", f"worker {process.pid} exited without a result"
            process.join()
            if status == "ok":
                pages, cpu, peak = value
                self.done += pages
                self.cpu_seconds += cpu
                self.peak_kb = max(self.peak_kb, peak)
            else:
                errors.append(value)
        self.workers = []
        if errors:
            raise RenderError("\n".join(errors))
        return self.done


def start_rendering(
    job: RenderJob, *, processes: int | None = None, serial_below: int = 200
) -> Rendering:
    """Start rendering ``job.sources``, split across ``processes`` (default: one per core).

    Small jobs (a preview, an incremental rebuild) are rendered at once in this process:
    starting a worker costs more than rendering a few pages.
    """
    sources: Sequence[str] = job.sources
    count = processes or cores()
    if count <= 1 or len(sources) < serial_below:
        return Rendering(done=render_pages(job))
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    workers = []
    for index in range(count):
        share = RenderJob(**{**job.__dict__, "sources": tuple(sources[index::count])})
        parent_end, child_end = context.Pipe(duplex=False)
        process = context.Process(target=_worker, args=(share, child_end), daemon=True)
        process.start()
        child_end.close()
        workers.append((process, parent_end))
    return Rendering(workers=workers)
