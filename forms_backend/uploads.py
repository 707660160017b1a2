"""Uploaded materials: checked by content, stored outside every served folder, all or nothing.

Only PDF, JPEG and PNG are accepted, recognised by their bytes (``filetype``) and by a basic
structural check (a PDF must end with ``%%EOF``; images must pass Pillow's ``verify()``), never
by the file name. Files live under ``UPLOAD_FOLDER`` (default ``instance/uploads/``) with random
names, encrypted with the app's Fernet key (scans of ID cards are personal data).
``Staging`` writes them to ``.staging/`` first and moves them into place only after the
database commit succeeded; on any failure the staged files are deleted.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import filetype
from flask import Request, current_app, session
from PIL import Image

from .extensions import the_app, the_request
from .privacy import vault

ALLOWED = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}
"""MIME type → the name citizens know."""
_EXECUTABLES = {"elf", "exe", "dll", "macho", "dex", "swf", "wasm", "sh", "bat"}
_TAIL = 1024
_PADDING = b" \t\r\n\x00"
"""Bytes a writer may leave after the end marker; anything else there is a second file."""
_PDF_ACTIVE = {
    "JavaScript": "JavaScript 脚本",
    "JS": "JavaScript 脚本",
    "OpenAction": "打开时自动执行的动作",
    "AA": "自动执行的动作",
    "Launch": "启动其他程序的动作",
    "RichMedia": "嵌入的多媒体程序",
    "EmbeddedFile": "嵌入的其他文件",
    "XFA": "XFA 动态表单",
}
"""PDF names that make a document run something when opened (or carry another file)."""
_PDF_NAME = re.compile(rb"/((?:[A-Za-z0-9]|#[0-9A-Fa-f]{2})+)")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_INFLATED_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose content passed the checks."""

    key: str
    label: str
    filename: str
    content_type: str
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def megabytes(size: int) -> str:
    """1.5 MB, 300 KB: sizes as people read them."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    return f"{max(size // 1024, 1)} KB"


def clean_filename(name: str | None) -> str:
    """The base name the browser sent, without path parts or control characters, for display."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:120] or "未命名文件"


def content_problem(data: bytes, filename: str) -> tuple[str | None, str | None]:
    """(MIME type, None) when ``data`` is an acceptable PDF/JPEG/PNG, else (None, message)."""
    allowed = "、".join(ALLOWED.values())
    if not data:
        return None, f"文件“{filename}”是空的（0 字节）。请重新选择文件后上传。"
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED:
        if kind is not None and kind.extension in _EXECUTABLES:
            what = "一个可执行程序"
        elif kind is not None:
            what = f"{kind.extension.upper()} 格式"
        else:
            what = "无法识别的格式"
        return None, (
            f"文件“{filename}”的内容是{what}，不是 {allowed} 文件（只改扩展名不能改变文件格式）。"
            f"请把材料扫描或另存为 PDF，或拍照保存为 JPG、PNG 后重新上传。"
        )
    if kind.mime == "application/pdf":
        if b"%%EOF" not in data[-_TAIL:]:
            return None, (
                f"PDF 文件“{filename}”不完整（缺少文件结尾，可能下载或保存时中断了）。"
                "请用 PDF 阅读器打开确认能正常显示后，重新导出再上传。"
            )
        if not data.rstrip(_PADDING).endswith(b"%%EOF"):
            return None, _polyglot(filename, "PDF")
        active = pdf_active_content(data)
        if active:
            return None, (
                f"PDF 文件“{filename}”含有{active}，为了安全不能接收。"
                "请用“打印为 PDF”或扫描的方式重新生成一份只有页面内容的 PDF 后上传。"
            )
        return kind.mime, None
    if kind.mime == "image/jpeg" and b"\xff\xd9" not in data[-_TAIL:]:
        return None, _damaged_image(filename)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
    except Exception:  # Pillow raises many types for broken files; all mean "damaged"
        return None, _damaged_image(filename)
    end = b"\xff\xd9" if kind.mime == "image/jpeg" else b"IEND\xaeB`\x82"
    if not data.rstrip(_PADDING).endswith(end):
        return None, _polyglot(filename, "图片")
    if b"%PDF-" in data[:_TAIL]:  # a PDF reader would open this image as a document
        return None, _polyglot(filename, "图片")
    return kind.mime, None


def pdf_active_content(data: bytes) -> str | None:
    """What in this PDF would run or unpack something (in Chinese), or None.

    Names are read with their ``#xx`` escapes decoded, in the file and inside every
    Flate-compressed stream (object streams hide dictionaries there)."""
    chunks = [data]
    budget = _INFLATED_LIMIT
    for match in _PDF_STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue  # not Flate (an image, say): nothing to read there
        budget -= len(inflated)
        chunks.append(inflated)
        if budget <= 0:
            return "过多的压缩数据"
    for chunk in chunks:
        for match in _PDF_NAME.finditer(chunk):
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), match[1])
            what = _PDF_ACTIVE.get(name.decode("latin-1"))
            if what:
                return what
    return None


def _polyglot(filename: str, kind: str) -> str:
    return (
        f"文件“{filename}”在{kind}的结尾之后还藏有其他数据（可能夹带了另一个文件），"
        "为了安全不能接收。请重新扫描、拍照或导出后上传。"
    )


def _damaged_image(filename: str) -> str:
    return f"图片“{filename}”已损坏或不完整，无法打开。请重新拍照或重新导出图片后上传。"


def check_upload(
    key: str, label: str, filename: str | None, data: bytes, size: int | None = None
) -> CheckedFile | str:
    """A CheckedFile, or the Chinese message saying what is wrong and how to fix it.

    ``size``: the size the browser sent when only the first bytes were kept (``CappedFile``)."""
    name = clean_filename(filename)
    limit = int(current_app.config["UPLOAD_MAX_FILE_BYTES"])
    size = max(size or 0, len(data))
    if size > limit:
        return (
            f"文件“{name}”有 {megabytes(size)}，超过了每个文件 {megabytes(limit)} 的上限，没有被接收。"
            "请降低扫描分辨率、压缩图片或分成几页后重新上传。"
        )
    mime, problem = content_problem(data, name)
    if problem:
        return problem
    return CheckedFile(key=key, label=label, filename=name, content_type=mime, data=data)


def total_problem(files: list[CheckedFile]) -> str | None:
    """The message when the files together exceed ``UPLOAD_MAX_TOTAL_BYTES``."""
    limit = int(current_app.config["UPLOAD_MAX_TOTAL_BYTES"])
    total = sum(f.size for f in files)
    if total > limit:
        return (
            f"上传的文件合计 {megabytes(total)}，超过了每次申报 {megabytes(limit)} 的上限。"
            "请压缩图片或降低扫描分辨率后重新上传。"
        )
    return None


class CappedFile(io.BytesIO):
    """The stream a file part is parsed into: keeps the first ``cap`` bytes and counts the rest,
    so a file over the limit costs no memory or disk and is still named with its real size."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap
        self.size = 0

    def write(self, data) -> int:  # type: ignore[override]
        room = self.cap - self.tell()
        if room > 0:
            super().write(bytes(data[:room]))
        self.size += len(data)
        return len(data)


class UploadRequest(Request):
    """Flask's request, parsing file parts into ``CappedFile`` (the per-file limit plus one byte)."""

    def _get_file_stream(
        self, total_content_length, content_type, filename=None, content_length=None
    ):
        return CappedFile(int(current_app.config["UPLOAD_MAX_FILE_BYTES"]) + 1)


def received_size(storage) -> int | None:
    """The size of an uploaded part as sent (beyond what ``CappedFile`` kept), if known."""
    return getattr(storage.stream, "size", None)


def accepts_uploads(view):
    """Mark a view that takes files: its requests may be ``UPLOAD_MAX_REQUEST_BYTES`` long."""
    view.accepts_uploads = True
    return view


def _allow_uploads() -> None:
    """Raise the body limit for upload views before anything (CSRF) reads the form."""
    app, asked = the_app(), the_request()
    view = app.view_functions.get(asked.endpoint or "")
    if asked.method == "POST" and getattr(view, "accepts_uploads", False):
        asked.max_content_length = int(app.config["UPLOAD_MAX_REQUEST_BYTES"])


_KEPT = "kept_uploads"
_KEPT_MAX = 20
_TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class KeptFile:
    """A file accepted on a form that came back with another error, waiting in staging."""

    token: str
    key: str
    filename: str
    size: int

    @property
    def size_text(self) -> str:
        return megabytes(self.size)


def keep(checked: CheckedFile) -> KeptFile:
    """Put an accepted file aside for this browser (staging, encrypted) until the form is sent."""
    staging = upload_root() / ".staging"
    staging.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    fd = os.open(staging / f"kept-{token}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(vault().encrypt_bytes(checked.data))
    entries = dict(session.get(_KEPT, {}))
    entries[token] = [checked.key, checked.label, checked.filename]
    for old in list(entries)[:-_KEPT_MAX]:
        forget(old)
        entries.pop(old, None)
    session[_KEPT] = entries
    return KeptFile(token, checked.key, checked.filename, checked.size)


def kept_file(token: str, key: str) -> CheckedFile | str | None:
    """The file this browser kept under ``token`` for ``key``; a message when it is gone;
    None when the token is not this browser's (nothing trusted from the form)."""
    entry = session.get(_KEPT, {}).get(token) if _TOKEN.fullmatch(token or "") else None
    if entry is None or entry[0] != key:
        return None
    path = upload_root() / ".staging" / f"kept-{token}"
    try:
        data = vault().decrypt_bytes(path.read_bytes())
    except FileNotFoundError:
        forget(token)
        return f"之前上传的“{entry[2]}”等待时间过长，已经删除。请重新选择这个文件。"
    return check_upload(key, entry[1], entry[2], data)


def forget(token: str) -> None:
    """Delete a kept file (sent with the form, removed or replaced by the applicant)."""
    if not _TOKEN.fullmatch(token or ""):
        return
    (upload_root() / ".staging" / f"kept-{token}").unlink(missing_ok=True)
    entries = dict(session.get(_KEPT, {}))
    if entries.pop(token, None) is not None:
        session[_KEPT] = entries


def upload_root() -> Path:
    configured = current_app.config.get("UPLOAD_FOLDER")
    root = Path(configured) if configured else Path(current_app.instance_path) / "uploads"
    return root


def read_stored(stored_name: str) -> bytes:
    """The decrypted content of a stored file."""
    return vault().decrypt_bytes(stored_path(stored_name).read_bytes())


def stored_path(stored_name: str) -> Path:
    """Where a stored file lives: two-character shards keep directories small."""
    return upload_root() / stored_name[:2] / stored_name


class Staging:
    """Files written aside, moved into place by ``publish()`` or deleted by ``discard()``.

    Use as a context manager: leaving the block without ``publish()`` discards everything.
    """

    def __init__(self) -> None:
        self.root = upload_root()
        self.dir = self.root / ".staging"
        self._staged: list[tuple[Path, Path]] = []
        self.published = False

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc_info) -> None:
        if not self.published:
            self.discard()

    def add(self, checked: CheckedFile) -> str:
        """Write ``checked`` to the staging folder; returns its random stored name."""
        self.dir.mkdir(parents=True, exist_ok=True)
        stored_name = secrets.token_hex(16)
        temporary = self.dir / stored_name
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._staged.append((temporary, stored_path(stored_name)))
        with os.fdopen(fd, "wb") as handle:
            handle.write(vault().encrypt_bytes(checked.data))
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the database commit refers to it
        return stored_name

    def publish(self) -> None:
        """Move every staged file into place (same file system: atomic renames)."""
        folders = set()
        for temporary, final in self._staged:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, final)
            folders.add(final.parent)
        for folder in folders:  # the renames themselves survive a power cut
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        self.published = True

    def discard(self) -> None:
        for temporary, _final in self._staged:
            temporary.unlink(missing_ok=True)
        self._staged.clear()


def clean_staging(older_than_seconds: int | None = None) -> int:
    """Delete staged files a killed process left behind (older than ``older_than_seconds``,
    default ``UPLOAD_STAGING_MAX_AGE_SECONDS``); returns how many were removed."""
    import time

    if older_than_seconds is None:
        older_than_seconds = int(current_app.config["UPLOAD_STAGING_MAX_AGE_SECONDS"])
    staging = upload_root() / ".staging"
    if not staging.is_dir():
        return 0
    limit = time.time() - older_than_seconds
    removed = 0
    for path in staging.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another worker removed it first
            continue
    return removed


def clean_staging_when_due() -> int:
    """``clean_staging()`` at most every ``UPLOAD_STAGING_CLEAN_EVERY_SECONDS`` across all
    workers (the mtime of ``instance/staging-cleaned`` says when it last ran). Runs at start-up
    and as the job engine's periodic ``staging`` task (``notifications.queue``), so a killed
    upload's leftovers go without any cron job."""
    import time

    every = int(current_app.config["UPLOAD_STAGING_CLEAN_EVERY_SECONDS"])
    marker = Path(current_app.instance_path) / "staging-cleaned"
    try:
        if time.time() - marker.stat().st_mtime < every:
            return 0
    except FileNotFoundError:
        pass
    marker.touch()
    removed = clean_staging()
    if removed:
        current_app.logger.info("removed %d staged upload file(s) left by killed requests", removed)
    return removed


def init_app(app) -> None:
    import click
    from flask.cli import AppGroup

    group = AppGroup("uploads", help="Maintain uploaded materials.")

    @group.command("clean-staging")
    @click.option(
        "--older-than",
        default=None,
        type=int,
        help="Age in seconds (default: UPLOAD_STAGING_MAX_AGE_SECONDS).",
    )
    def clean_staging_command(older_than: int | None) -> None:
        """Delete staged upload files left by interrupted requests."""
        click.echo(f"Removed {clean_staging(older_than)} staged file(s).")

    app.cli.add_command(group)
    app.request_class = UploadRequest
    app.before_request_funcs.setdefault(None, []).insert(0, _allow_uploads)  # before CSRF
    with app.app_context():
        clean_staging_when_due()
