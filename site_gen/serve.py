"""``python build.py serve``: the built site and the forms backend at one local URL, rebuilt
whenever YAML under the catalog changes (``--only ID`` keeps the rebuild small and fast).

Requests the backend's URL map knows (``/api/``, ``/bookings/``, ``/staff/`` ...) go to the
backend; everything else is a file of the built site. HTML pages get a tiny script that reloads
the page after a rebuild and shows a banner when the catalog has a problem.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect
from werkzeug.serving import make_server
from werkzeug.utils import send_from_directory
from werkzeug.wrappers import Request, Response

from catalog import CatalogError
from catalog.loader import ParseMemo, read_catalog
from catalog.problems import Problem

from .builder import BuildOptions, SiteBuildError, build, unknown_entry
from .pagefind import SearchIndexError, index_site
from .preview import UnknownEntry, write_preview_catalog

HAS_BACKEND = importlib.util.find_spec("forms_backend") is not None

STATUS_PATH = "/__banshi__/status"
RELOAD_SCRIPT = """<script>(function(){var seen=null;function poll(){fetch("%s").then(function(r){return r.json()})
.then(function(s){if(seen!==null&&s.build!==seen){location.reload();return}seen=s.build;
var b=document.getElementById("banshi-build-error");if(s.error){if(!b){b=document.createElement("pre");
b.id="banshi-build-error";b.setAttribute("role","alert");b.style.cssText="position:fixed;left:0;right:0;bottom:0;
z-index:99;max-height:40vh;overflow:auto;margin:0;padding:1em;background:#fff3cd;color:#1a1a1a;white-space:pre-wrap";
document.body.appendChild(b)}b.textContent="预览没有更新："+s.error}else if(b){b.remove()}})
.catch(function(){}).then(function(){setTimeout(poll,700)})}poll()})();</script>""".replace(
    "\n", ""
)

log = logging.getLogger("banshi.serve")


class PreviewError(Exception):
    """The first build failed; the message (Chinese) has already been reported once."""


def load_backend(catalog: Path, instance_path: Path | None = None) -> Any | None:
    """The forms backend's WSGI app, or None when it is not installed in this checkout."""
    try:
        from forms_backend import create_app
    except ImportError:
        return None
    config: dict[str, Any] = {"CATALOG_PATH": str(catalog)}
    if instance_path is not None:
        config["INSTANCE_PATH"] = str(instance_path)
    return create_app(config)


class _BackendLogInChinese(logging.Filter):
    """The preview prints Chinese only: the backend's development-key notice (English, for
    operators) becomes one Chinese line, shown once per ``serve`` session."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = False

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "development keys" not in text:
            return True
        if self.shown:
            return False
        self.shown = True
        found = re.search(r"from (\S+?dev-keys\.json)", text)
        where = f"（保存在 {found.group(1)}）" if found else ""
        record.msg = f"表单后台使用本机开发用密钥{where}，只适合在本机预览；正式部署前请按 docs/backend.md 设置密钥。"
        record.args = ()
        return True


class PreviewServer:
    """Builds into a scratch folder, serves it (with the backend), rebuilds on YAML changes.

    Rebuilds are incremental: the catalog files that did not change are not validated again,
    generation rewrites only the sources whose content changed, and only those pages are
    rendered again, each replacing its file atomically while the old site stays served.
    """

    def __init__(
        self,
        catalog: Path,
        *,
        port: int = 8000,
        only: str | None = None,
        backend: bool = True,
        instance_path: Path | None = None,
    ) -> None:
        self.catalog = Path(catalog).resolve()
        self.only = only
        self.use_backend = backend
        self.instance_path = instance_path
        self.build_number = 0
        self.error: str | None = None
        self.backend: Any | None = None
        self.backend_loading = False
        self._workdir = Path(tempfile.mkdtemp(prefix="banshi-serve-"))
        self.site_dir = self._workdir / "site"
        self._memo = ParseMemo()
        self._changed = threading.Event()
        self._changed_paths: set[Path] = set()
        self._changed_lock = threading.Lock()
        self._stopping = threading.Event()
        self._index_wanted = threading.Event()
        self._backend_wanted = threading.Event()
        self._server = make_server("127.0.0.1", port, self, threaded=True)
        self._observer = Observer()
        self._threads: list[threading.Thread] = []
        self._serving = False
        self._log_filter = _BackendLogInChinese()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/"

    # -- building ------------------------------------------------------------------------
    def rebuild(self, *, report: bool = True) -> bool:
        """Build the changed pages in place; keep the served site if the build fails.

        The problem, if any, is stored in :attr:`error` for the page banner and (with
        ``report``) logged once.
        """
        started = time.perf_counter()
        with self._changed_lock:
            changed, self._changed_paths = self._changed_paths, set()
        self._memo.forget(changed)  # what the editor saved is read again, whatever its stat says
        source = self.catalog
        try:
            if self.only:
                source = write_preview_catalog(self.catalog, self.only, self._workdir / "catalog")
            catalog, problems = read_catalog(source, memo=self._memo)
            if catalog is None:
                raise CatalogError(problems)
            catalog.warnings = [p for p in problems if p.warning]
            options = BuildOptions(
                catalog=source,
                site_dir=self.site_dir,
                build_dir=self._workdir / "build",
                only=self.only,
                search=False,
                incremental=True,
                compress=False,  # a local preview: nothing to serve pre-compressed
            )
            result = build(options, catalog=catalog, quiet=True)
        except UnknownEntry:
            return self._failed(unknown_entry(self.catalog, self.only or ""), report)
        except CatalogError as exc:
            return self._failed(self._problem_report(exc.problems, source, changed), report)
        except SiteBuildError as exc:
            return self._failed(str(exc).replace(str(source), str(self.catalog)), report)
        self.error = None
        self.build_number += 1
        self._index_wanted.set()
        if self.use_backend and (self.backend is None or result.written):
            self._backend_wanted.set()
        log.warning(
            "预览已更新：%d 个文件有变化，用时 %.1f 秒。",
            len(result.written),
            time.perf_counter() - started,
        )
        return True

    def _failed(self, message: str, report: bool) -> bool:
        self.error = message
        if report:
            log.error("预览没有更新：%s", message)
        return False

    def _problem_report(self, problems: list[Problem], source: Path, changed: set[Path]) -> str:
        """Every problem once, in the editor's own files, the entry's (and the files just
        saved) first, then other errors, then warnings."""
        own = {
            self.catalog / "items" / f"{self.only}.yml",
            self.catalog / "bundles" / f"{self.only}.yml",
        }
        own |= {p.resolve() for p in changed}
        lines: dict[str, tuple[int, int]] = {}
        for problem in problems:
            path = problem.path
            if path.is_relative_to(source):
                path = self.catalog / path.relative_to(source)
            shown = Problem(
                path, problem.loc, problem.message, problem.warning, problem.line, problem.column
            )
            rank = 0 if path in own else 1 if not problem.warning else 2
            lines.setdefault(shown.format(), (rank, len(lines)))
        ordered = sorted(lines, key=lambda line: lines[line])
        errors = sum(1 for p in problems if not p.warning)
        listed = "\n".join(f"  {line}" for line in ordered)
        return (
            f"目录 {self.catalog} 有 {errors} 处错误，请先修改下列问题"
            f"（也可以运行 python build.py check 查看）：\n{listed}"
        )

    def _watch_loop(self) -> None:
        while not self._stopping.is_set():
            if not self._changed.wait(timeout=0.5):
                continue
            time.sleep(0.05)  # editors save in bursts: wait for the last write
            self._changed.clear()
            if not self._stopping.is_set():
                self.rebuild()

    def _index_loop(self) -> None:
        """Keep the search index up to date, after the pages (never delaying them)."""
        while not self._stopping.is_set():
            if not self._index_wanted.wait(timeout=0.5):
                continue
            self._index_wanted.clear()
            build_number = self.build_number
            try:
                index_site(self.site_dir, quiet=True)
            except SearchIndexError as exc:
                log.error("搜索索引没有更新：%s", exc)
            except OSError as exc:
                if self.build_number != build_number:  # a rebuild moved files under it
                    self._index_wanted.set()
                else:
                    log.error("搜索索引没有更新：%s", exc)

    def _backend_loop(self) -> None:
        """(Re)load the forms backend with the current catalog, after the pages."""
        while not self._stopping.is_set():
            if not self._backend_wanted.wait(timeout=0.5):
                continue
            self._backend_wanted.clear()
            self.backend_loading = True
            try:
                first = self.backend is None
                self.backend = load_backend(self.catalog, self.instance_path)
                if first and self.backend is not None:
                    log.warning("表单后台已启动：%sbookings/new 可以预约。", self.url)
            except CatalogError:  # the whole catalog has a problem the preview does not see
                log.error(
                    "表单后台没有重新加载，继续使用上一次的版本：目录有错误，请运行 python build.py check 查看。"
                )
            finally:
                self.backend_loading = False

    # -- serving -------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path == STATUS_PATH:
            body = json.dumps({"build": self.build_number, "error": self.error}, ensure_ascii=False)
            return Response(body, mimetype="application/json")(environ, start_response)
        backend = self.backend
        if backend is not None and self._backend_handles(backend, request):
            return backend(environ, start_response)
        return self._static(request)(environ, start_response)

    @staticmethod
    def _backend_handles(backend: Any, request: Request) -> bool:
        adapter = backend.url_map.bind("localhost")
        try:
            adapter.match(request.path, method=request.method)
        except (MethodNotAllowed, RequestRedirect):
            return True
        except NotFound:
            return False
        return True

    def _static(self, request: Request) -> Response:
        assert self.site_dir is not None
        path = request.path.lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        elif (self.site_dir / path).is_dir():
            return Response(status=301, headers={"Location": request.path + "/"})
        try:
            response = send_from_directory(self.site_dir, path, request.environ)
        except HTTPException:
            page = self.site_dir / "404.html"
            body = page.read_text(encoding="utf-8") if page.is_file() else "未找到页面"
            return Response(self._inject(body), status=404, mimetype="text/html")
        if response.mimetype == "text/html":
            response.direct_passthrough = False
            text = response.get_data(as_text=True)
            response.set_data(self._inject(text))
        return response

    @staticmethod
    def _inject(html: str) -> str:
        script = RELOAD_SCRIPT % STATUS_PATH
        return (
            html.replace("</body>", script + "</body>", 1) if "</body>" in html else html + script
        )

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> None:
        """First build, then serve at once; the search index and the backend follow in the
        background. Raises :class:`PreviewError` (already reported nowhere) when the first
        build fails."""
        logging.getLogger("forms_backend").addFilter(self._log_filter)
        if not self.rebuild(report=False):
            raise PreviewError(self.error or "网站没有生成。")
        handler = _YamlChanged(self._changed, self._changed_paths, self._changed_lock)
        self._observer.schedule(handler, str(self.catalog), recursive=True)
        self._observer.start()
        for loop in (
            self._server.serve_forever,
            self._watch_loop,
            self._index_loop,
            self._backend_loop,
        ):
            thread = threading.Thread(target=loop, daemon=True)
            thread.start()
            self._threads.append(thread)
        self._serving = True

    def wait_until_ready(self, timeout: float = 120.0) -> bool:
        """True once the backend (if any) is loaded and the search index written."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            loading = self._backend_wanted.is_set() or self.backend_loading
            indexing = self._index_wanted.is_set() or not (self.site_dir / "pagefind").is_dir()
            if (
                not loading
                and not indexing
                and (self.backend or not self.use_backend or not HAS_BACKEND)
            ):
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        """Stop watching and serving (safe after a failed start) and remove the scratch files."""
        self._stopping.set()
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._serving:
            self._server.shutdown()
        for thread in self._threads:
            thread.join(timeout=60)  # let a running rebuild or index finish before cleaning up
        self._server.server_close()
        logging.getLogger("forms_backend").removeFilter(self._log_filter)
        shutil.rmtree(self._workdir, ignore_errors=True)


class _YamlChanged(FileSystemEventHandler):
    def __init__(self, changed: threading.Event, paths: set[Path], lock: threading.Lock) -> None:
        self.changed = changed
        self.paths = paths
        self.lock = lock

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if event.event_type in {"opened", "closed_no_write"}:
            return
        yaml_paths = [Path(p) for p in paths if p.endswith((".yml", ".yaml"))]
        if yaml_paths:
            with self.lock:
                self.paths.update(yaml_paths)
            self.changed.set()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_serve(catalog: Path, *, port: int = 8000, only: str | None = None) -> int:
    """Serve until Ctrl+C. Exit 1 with a message when the first build fails."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        server = PreviewServer(catalog, port=port, only=only)
    except OSError as exc:
        sys.stderr.write(
            f"端口 {port} 无法使用（{exc.strerror}）。请用 --port 换一个端口，例如 --port 8001。\n"
        )
        return 1
    try:
        server.start()
    except PreviewError as exc:
        sys.stderr.write(f"网站没有生成：{exc}\n")
        server.stop()
        return 1
    if server.backend is not None:
        backend = "站点和表单后台已启动"
    elif HAS_BACKEND:  # loaded in the background, after the pages: it says when it is ready
        backend = "站点已启动（表单后台正在启动，几秒后可以预约、申报和评价）"
    else:
        backend = "站点已启动（这个目录没有安装表单后台 forms_backend，只能浏览办事指南）"
    sys.stdout.write(
        f"{backend}：{server.url}\n修改 {server.catalog} 下的 YAML 后自动重新生成。按 Ctrl+C 停止。\n"
    )
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, _interrupt)  # stop cleanly (scratch files removed) on kill
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sys.stdout.write("已停止。\n")
    finally:
        server.stop()
    return 0
