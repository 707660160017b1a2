"""``python build.py serve``: the built site and the forms backend at one local URL, rebuilt
whenever YAML under the catalog changes (``--only ID`` keeps the rebuild small and fast).

Requests the backend's URL map knows (``/api/``, ``/bookings/``, ``/staff/`` ...) go to the
backend; everything else is a file of the built site. HTML pages get a tiny script that reloads
the page after a rebuild and shows a banner when the catalog has a problem.
"""

from __future__ import annotations

import json
import logging
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

from .builder import SiteBuildError, build_site
from .preview import UnknownEntry, write_preview_catalog

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


class PreviewServer:
    """Builds into a fresh directory, serves it (with the backend), rebuilds on YAML changes."""

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
        self.site_dir: Path | None = None
        self.backend: Any | None = None
        self._workdir = Path(tempfile.mkdtemp(prefix="banshi-serve-"))
        self._changed = threading.Event()
        self._stopping = threading.Event()
        self._server = make_server("127.0.0.1", port, self, threaded=True)
        self._observer = Observer()
        self._watcher: threading.Thread | None = None
        self._serving = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/"

    # -- building ------------------------------------------------------------------------
    def rebuild(self) -> bool:
        """Build into a new directory and switch to it; keep the old site if the build fails."""
        target = self._workdir / f"site-{self.build_number + 1}"
        started = time.perf_counter()
        source = self.catalog
        try:
            if self.only:
                source = write_preview_catalog(self.catalog, self.only, self._workdir / "catalog")
            result = build_site(source, target, only=self.only, quiet=True)
        except UnknownEntry:
            self.error = f"目录 {self.catalog} 里没有标识为“{self.only}”的事项或一件事（items/{self.only}.yml 或 bundles/{self.only}.yml）。请检查 --only 后面的标识。"
            log.error("预览没有更新：%s", self.error)
            return False
        except SiteBuildError as exc:
            # Problems name the preview's links; show the editor's own files instead.
            self.error = str(exc).replace(str(source), str(self.catalog))
            log.error("预览没有更新：%s", self.error)
            shutil.rmtree(target, ignore_errors=True)
            return False
        old, self.site_dir = self.site_dir, target
        self.error = None
        self.build_number += 1
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        if self.use_backend and not self._stopping.is_set():
            # After the switch, so the preview never waits for the backend.
            try:
                self.backend = load_backend(self.catalog, self.instance_path)
            except CatalogError:  # the whole catalog has a problem the preview does not see
                log.exception("表单后台没有重新加载，继续使用上一次的版本。")
        log.warning(
            "rebuilt %d pages in %.1f s (total %.1f s)",
            result.pages,
            result.seconds,
            time.perf_counter() - started,
        )
        return True

    def _watch_loop(self) -> None:
        while not self._stopping.is_set():
            if not self._changed.wait(timeout=0.5):
                continue
            time.sleep(0.1)  # editors save in bursts: wait for the last write
            self._changed.clear()
            if not self._stopping.is_set():
                self.rebuild()

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
        """First build, then serve and watch in background threads."""
        if not self.rebuild():
            raise SiteBuildError([self.error or "网站没有生成。"])
        handler = _YamlChanged(self._changed)
        self._observer.schedule(handler, str(self.catalog), recursive=True)
        self._observer.start()
        self._watcher = threading.Thread(target=self._watch_loop, daemon=True)
        self._watcher.start()
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self._serving = True

    def stop(self) -> None:
        """Stop watching and serving (safe after a failed start) and remove the scratch files."""
        self._stopping.set()
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._watcher is not None:
            self._watcher.join(timeout=60)  # let a running rebuild finish before cleaning up
        if self._serving:
            self._server.shutdown()
        self._server.server_close()
        shutil.rmtree(self._workdir, ignore_errors=True)


class _YamlChanged(FileSystemEventHandler):
    def __init__(self, changed: threading.Event) -> None:
        self.changed = changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if event.event_type in {"opened", "closed_no_write"}:
            return
        if any(p.endswith((".yml", ".yaml")) for p in paths):
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
    except SiteBuildError as exc:
        sys.stderr.write(f"网站没有生成：{exc}\n")
        server.stop()
        return 1
    backend = (
        "站点和表单后台" if server.backend is not None else "站点（未找到表单后台 forms_backend）"
    )
    sys.stdout.write(
        f"{backend}已启动：{server.url}\n修改 {server.catalog} 下的 YAML 后自动重新生成。按 Ctrl+C 停止。\n"
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
