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
import posixpath
import re
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compress import write_compressed
from .pagefind import search_record

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
    compress: bool = False
    """Write each page's ``.gz`` and ``.br`` too (:func:`site_gen.compress.write_compressed`)."""
    records_dir: Path | None = None
    """Write each search result page's Pagefind record here, at the page's path
    (:func:`site_gen.pagefind.search_record`); a page that is not a result loses its record."""
    template_cache: Path | None = None
    """Jinja's bytecode cache for the theme's templates: compiling them took 0.4–1 s in every
    worker and every ``serve`` rebuild."""


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


HEADING = re.compile(r"(#{1,6})[ \t]+([^\n]*?)(?:[ \t]+\{#([A-Za-z][\w-]*)\})?[ \t]*")
PLAIN_TEXT = re.compile(r"[^\\`*_{}\[\]<>&!#|~\n]+")
"""Heading text in which Python-Markdown's inline patterns find nothing to do."""
FAST_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "attr_list"})
"""The Markdown extensions (MkDocs' defaults plus ``attr_list``) whose output on headings
:func:`headings_only` reproduces; with any other, every page goes through Python-Markdown."""


def fast_path_applies(config: Any) -> bool:
    toc = dict(config.mdx_configs.get("toc") or {})
    return (
        set(config.markdown_extensions) <= FAST_EXTENSIONS
        and set(toc) <= {"permalink"}
        and not toc.get("permalink")
        and not (set(config.mdx_configs) - {"toc"})
    )


def headings_only(markdown: str) -> tuple[str, list[dict[str, Any]], str | None] | None:
    """The HTML, table-of-contents tokens and first-heading title Python-Markdown (with the
    ``toc`` and ``attr_list`` extensions) makes of a page that is only headings, raw HTML
    blocks and blank lines; None for any other page.

    The generated pages are exactly that (``# title``, ``## 申请材料 {#materials}`` around raw
    HTML), and running Python-Markdown over them was half of their rendering time.
    """
    from markdown.extensions.toc import nest_toc_tokens, slugify, unique

    parts: list[tuple[int, str, str | None] | str] = []
    for block in markdown.split("\n\n"):
        stripped = block.strip("\n")
        if not stripped.strip():
            continue
        if stripped.startswith("<") and not stripped.startswith("<!--"):
            parts.append(stripped)
            continue
        heading = HEADING.fullmatch(stripped)
        if heading is None or not PLAIN_TEXT.fullmatch(heading.group(2)):
            return None
        parts.append((len(heading.group(1)), heading.group(2), heading.group(3)))
    used = {part[2] for part in parts if isinstance(part, tuple) and part[2]}
    counters: dict[str, int] = {}
    html, tokens, title = [], [], None
    for index, part in enumerate(parts):
        if isinstance(part, str):
            html.append(part + "\n")  # Python-Markdown leaves a blank line after raw HTML
            continue
        level, text, anchor = part
        if anchor is None:
            anchor = unique(slugify(text, "-"), used, counters)
        html.append(f'<h{level} id="{anchor}">{text}</h{level}>')
        tokens.append(
            {"level": level, "id": anchor, "name": text, "html": text, "data-toc-label": ""}
        )
        if index == 0 and level == 1:
            title = text
    return "\n".join(html), nest_toc_tokens(tokens), title


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
        if job.template_cache is not None:
            import jinja2

            job.template_cache.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(job.template_cache))
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        nav = get_navigation(files, config)
        self.nav = config.plugins.on_nav(nav, config=config, files=files)
        for page in self.nav.pages:  # nav entries titled by their page's first heading
            if page.title is None:
                page.read_source(config)
                page.render(config, files)
        self.env = config.plugins.on_env(env, config=config, files=files)
        in_nav = {page.file.src_uri for page in self.nav.pages}
        _memoise_nav(self.env, lambda page: page is not None and page.file.src_uri not in in_nav)
        self.config = config
        self.files = files
        self.doc_files = files.documentation_pages()
        self.site_dir = job.site_dir
        self.job = job
        self.fast = fast_path_applies(config)

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
        fast = headings_only(page.markdown) if self.fast else None
        if fast is not None:  # what Page.render would set, without Python-Markdown
            from mkdocs.structure.toc import get_toc

            page.content, tokens, page._title_from_render = fast
            page.toc = get_toc(tokens)  # type: ignore[arg-type]
            page.present_anchor_ids = {anchor.id for anchor in _anchors(page.toc)}
            page.links_to_anchors = {}
        else:
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
        data = output.encode("utf-8", errors="xmlcharrefreplace")
        target = self.site_dir / file.dest_uri
        write_atomically(target, data)  # a served page is never half-written
        if self.job.compress:
            write_compressed(target, data)
        if self.job.records_dir is not None:
            record = search_record(output)
            kept = self.job.records_dir / file.dest_uri
            if record is None:
                kept.unlink(missing_ok=True)
            else:
                write_atomically(kept, record.encode("utf-8"))


NAV_TEMPLATE = "partials/nav.html"
ORIGINAL_NAV = "banshi-original/partials/nav.html"


def _memoise_nav(env: Any, outside_nav: Any) -> None:
    """Render Material's navigation sidebar once per folder for the pages outside the nav:
    nothing in it is active for them, and its relative links are the same for every page in
    one folder (``items/a/`` and ``items/b/``). It was a third of the theme's time per page."""
    import jinja2
    from markupsafe import Markup

    original = env.loader

    def source(name: str) -> Any:
        if name == NAV_TEMPLATE:
            return "{{ banshi_memoised_nav() }}"
        if name == ORIGINAL_NAV:
            return original.get_source(env, NAV_TEMPLATE)
        return None

    env.loader = jinja2.ChoiceLoader([jinja2.FunctionLoader(source), original])
    env.cache.clear()
    rendered: dict[str, Markup] = {}

    @jinja2.pass_context
    def memoised_nav(context: Any) -> Markup:
        page = context.get("page")
        key = posixpath.dirname(page.url.rstrip("/")) if outside_nav(page) else None
        if key is not None and key in rendered:
            return rendered[key]
        html = Markup(env.get_template(ORIGINAL_NAV).render(context.get_all()))
        if key is not None:
            rendered[key] = html
        return html

    env.globals["banshi_memoised_nav"] = memoised_nav


def _anchors(items: Any) -> Any:
    for item in items:
        yield item
        yield from _anchors(item.children)


def write_atomically(target: Path, data: bytes) -> None:
    """Replace ``target`` by ``data`` in one step (the temporary name is no ``*.html``)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
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
