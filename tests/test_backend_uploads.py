"""Material uploads: content checks, size limits, storage outside served folders, all or nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from forms_backend.extensions import db
from forms_backend.submissions.models import Case, Submission, SubmissionFile
from tests.backend.submissions import ELF, HEALTH_RULES, PE, SITE_PLAN, image_bytes, pdf_bytes


def _files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


def _uploads(app) -> Path:
    return Path(app.instance_path) / "uploads"


PDF_JS = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PDF_LAUNCH_ESCAPED = pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /A << /S /La#75nch >>")


def _hidden_in_object_stream() -> bytes:
    import zlib

    hidden = zlib.compress(b"<< /Type /Action /S /JavaScript /JS (this.exportDataObject()) >>")
    return pdf_bytes().replace(
        b"trailer",
        b"3 0 obj\n<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\ntrailer"
        % (len(hidden), hidden),
    )


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (PDF_JS, "制度.pdf", "含有打开时自动执行的动作，为了安全不能接收"),
        (PDF_LAUNCH_ESCAPED, "制度.pdf", "含有启动其他程序的动作"),
        (_hidden_in_object_stream(), "制度.pdf", "含有JavaScript 脚本"),
        (pdf_bytes() + b"PK\x03\x04" + b"\x00" * 40, "制度.pdf", "在PDF的结尾之后还藏有其他数据"),
        (image_bytes("PNG") + b"PK\x03\x04zip", "制度.png", "在图片的结尾之后还藏有其他数据"),
        (image_bytes("JPEG") + b"%PDF-1.4 trailer", "制度.jpg", "在图片的结尾之后还藏有其他数据"),
    ],
)
def test_active_pdfs_and_polyglots_are_refused(app, submit, content, name, fragment):
    answer = submit(files={HEALTH_RULES: (content, name)})
    assert answer.status_code == 422, answer.json
    assert fragment in answer.json["errors"][f"files.{HEALTH_RULES}"]
    assert _files_under(_uploads(app)) == []


def test_plain_files_with_trailing_newlines_are_accepted(submit):
    assert submit(files={HEALTH_RULES: (pdf_bytes() + b"\r\n\x00", "a.pdf")}).status_code == 201
    assert submit(files={HEALTH_RULES: (image_bytes("JPEG"), "a.jpg")}).status_code == 201


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (ELF, "营业执照.pdf", "内容是一个可执行程序，不是 PDF、JPG、PNG 文件"),
        (PE, "制度.pdf", "内容是一个可执行程序"),
        (b"GIF89a" + b"\x00" * 50, "制度.png", "内容是GIF 格式"),
        (b"just some text, not a pdf", "制度.pdf", "无法识别的格式"),
        (pdf_bytes()[:-8], "制度.pdf", "PDF 文件“制度.pdf”不完整"),
        (image_bytes("PNG")[:-30], "制度.png", "已损坏或不完整"),
        (image_bytes("JPEG")[:-40], "制度.jpg", "已损坏或不完整"),
        (b"", "制度.pdf", "是空的"),
    ],
)
def test_bad_file_content_is_refused_whatever_its_name(app, submit, content, name, fragment):
    answer = submit(files={HEALTH_RULES: (content, name)})
    assert answer.status_code == 422, answer.json
    assert fragment in answer.json["errors"][f"files.{HEALTH_RULES}"]
    assert db_count(app) == 0
    assert _files_under(_uploads(app)) == []


def db_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Submission.id)))


@pytest.mark.parametrize(
    ("content", "name", "mime"),
    [
        (pdf_bytes(), "制度.pdf", "application/pdf"),
        (image_bytes("PNG"), "照片.png", "image/png"),
        (image_bytes("JPEG"), "照片.JPG", "image/jpeg"),
        (image_bytes("PNG"), "misnamed.pdf", "image/png"),
    ],
)
def test_pdf_jpeg_and_png_are_stored_under_random_names(app, submit, content, name, mime):
    answer = submit(files={HEALTH_RULES: (content, name)})
    assert answer.status_code == 201, answer.json
    with app.app_context():
        stored = db.session.scalar(select(SubmissionFile))
        assert stored.content_type == mime
        assert stored.filename == name
        path = _uploads(app) / stored.stored_name[:2] / stored.stored_name
        assert content[:4] not in path.read_bytes()  # encrypted at rest
        from forms_backend.uploads import read_stored

        assert read_stored(stored.stored_name) == content
        assert name not in str(path) and len(stored.stored_name) == 32
    static = Path(app.static_folder).resolve()
    assert static not in path.resolve().parents
    assert _files_under(_uploads(app) / ".staging") == []


def test_oversized_file_is_refused_with_the_limit(app, submit):
    app.config["UPLOAD_MAX_FILE_BYTES"] = 2048
    big = pdf_bytes(pages=100)
    answer = submit(files={HEALTH_RULES: (big, "制度.pdf")})
    assert answer.status_code == 422
    message = answer.json["errors"][f"files.{HEALTH_RULES}"]
    assert "超过了每个文件 2 KB 的上限" in message and "压缩" in message
    assert _files_under(_uploads(app)) == []


def test_total_size_limit_per_submission(app, submit):
    app.config["UPLOAD_MAX_TOTAL_BYTES"] = 3000
    part = pdf_bytes(pages=45)
    assert 1500 < len(part) < 3000
    answer = submit(files={HEALTH_RULES: (part, "a.pdf"), SITE_PLAN: (part, "b.pdf")})
    assert answer.status_code == 413
    assert "合计" in answer.json["message"] and "上限" in answer.json["message"]
    assert _files_under(_uploads(app)) == []


def test_request_larger_than_everything_is_413_not_500(app, submit):
    app.config["UPLOAD_MAX_REQUEST_BYTES"] = 1_000_000
    answer = submit(files={HEALTH_RULES: (b"%PDF-" + b"0" * 1_200_000 + b"%%EOF", "a.pdf")})
    assert answer.status_code == 413
    assert "超过了每次 976 KB 的上限" in answer.json["message"]


def test_upload_for_an_undeclared_material_is_refused(submit):
    answer = submit(
        files={HEALTH_RULES: (pdf_bytes(), "a.pdf"), "material-deadbeef": (pdf_bytes(), "x.pdf")}
    )
    assert answer.status_code == 422
    assert (
        "没有名为“material-deadbeef”的材料上传项"
        in answer.json["errors"]["files.material-deadbeef"]
    )


def test_failure_after_files_are_written_leaves_nothing(app, submit, monkeypatch):
    """All or nothing: the database refuses the commit after the files were staged."""
    from forms_backend.uploads import Staging

    written: list[Path] = []
    original_add = Staging.add

    def add_and_note(self, checked):
        name = original_add(self, checked)
        written.append(self.dir / name)
        assert (self.dir / name).exists()
        return name

    def failing_commit(*args, **kwargs):
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(Staging, "add", add_and_note)
    with app.app_context():
        monkeypatch.setattr(db.session, "commit", failing_commit)
        answer = submit(
            files={HEALTH_RULES: (pdf_bytes(), "a.pdf"), SITE_PLAN: (image_bytes(), "p.png")}
        )
    assert answer.status_code == 503
    assert "没有生效" in answer.json["message"] and "文件也没有保存" in answer.json["message"]
    assert len(written) == 2
    assert _files_under(_uploads(app)) == []
    monkeypatch.undo()
    with app.app_context():
        for model in (Submission, Case, SubmissionFile):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_uploads_folder_is_not_served(app, client, submit):
    submit()
    with app.app_context():
        stored = db.session.scalar(select(SubmissionFile)).stored_name
    for url in (
        f"/static/{stored}",
        f"/uploads/{stored[:2]}/{stored}",
        f"/static/../uploads/{stored}",
    ):
        assert client.get(url).status_code == 404
    assert oct(os.stat(_uploads(app) / stored[:2] / stored).st_mode)[-3:] == "600"


def _leftover(staging: Path, name: str, age_seconds: float) -> Path:
    import time

    staging.mkdir(parents=True, exist_ok=True)
    path = staging / name
    path.write_bytes(b"half an upload")
    past = time.time() - age_seconds
    os.utime(path, (past, past))
    return path


def test_staging_leftovers_are_removed_at_start(backend_config):
    from forms_backend import create_app

    staging = Path(backend_config["INSTANCE_PATH"]) / "uploads" / ".staging"
    old = _leftover(staging, "killed-upload", 7200)
    recent = _leftover(staging, "in-flight-upload", 10)
    app = create_app(backend_config)
    assert not old.exists() and recent.exists()
    with app.app_context():
        db.engine.dispose()


def test_staging_is_cleaned_by_the_job_engine_while_the_app_runs(app, submit):
    import time

    from huey.api import PeriodicTask

    staging = _uploads(app) / ".staging"
    app.config["UPLOAD_STAGING_CLEAN_EVERY_SECONDS"] = 600
    task = app.extensions["banshi_tasks"]["staging"]
    assert isinstance(task.task_class(), PeriodicTask)  # scheduled by Huey, not by cron
    first = _leftover(staging, "killed-1", 7200)
    assert submit().status_code == 201
    task.call_local()
    assert first.exists()  # cleaned at start a moment ago: not due yet
    marker = Path(app.instance_path) / "staging-cleaned"
    past = time.time() - 601
    os.utime(marker, (past, past))  # ten minutes later
    task.call_local()
    assert not first.exists()


MB = 1024 * 1024


def _page_form(client, **fields) -> dict:
    """What the one-form page would send: CSRF token, key, answers and the typed fields."""
    import re

    from tests.backend.fixtures import csrf_token
    from tests.backend.submissions import ANSWERS, shop_fields

    query = {f"s-{k}": v for k, v in ANSWERS.items()}
    page = client.get("/apply/open-shop", query_string=query)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page.text).group(1)
    return {
        "csrf_token": csrf_token(page.text),
        "idempotency_key": key,
        **query,
        **{f"f-{k}": v for k, v in shop_fields(**fields).items()},
    }


def _post_page(client, data: dict, files: dict | None = None, url: str = "/apply/open-shop"):
    import io

    body = dict(data)
    for key, (content, name) in (files or {}).items():
        body[f"u-{key}"] = (io.BytesIO(content), name)
    return client.post(url, data=body, content_type="multipart/form-data")


def _kept_token(html: str, key: str) -> str:
    import re

    return re.search(rf'name="k-{key}" value="([0-9a-f]{{32}})"', html).group(1)


def test_page_takes_a_phone_photo_and_pdfs_of_several_megabytes(app, client):
    """The page promises 5 MB per file: 2.3 MB JPEG and 2.1 / 4.8 MB PDFs go through it."""
    from tests.backend.submissions import noisy_jpeg, padded_pdf

    photo = noisy_jpeg(int(2.3 * MB))
    assert photo[:3] == b"\xff\xd8\xff" and len(photo) > app.config["MAX_CONTENT_LENGTH"]
    for files in (
        {
            HEALTH_RULES: (padded_pdf(int(4.8 * MB)), "卫生管理制度.pdf"),
            SITE_PLAN: (photo, "平面图.jpg"),
        },
        {HEALTH_RULES: (padded_pdf(int(2.1 * MB)), "卫生管理制度.pdf")},
    ):
        answer = _post_page(client, _page_form(client), files)
        assert answer.status_code == 303, answer.text[:2000]
    with app.app_context():
        sizes = sorted(f.size for f in db.session.scalars(select(SubmissionFile)))
    assert sizes == sorted([int(4.8 * MB), len(photo), int(2.1 * MB)])


def test_over_limit_file_brings_the_form_back_naming_the_file_and_the_limit(app, client):
    from tests.backend.submissions import padded_pdf

    data = _page_form(client)
    answer = _post_page(client, data, {HEALTH_RULES: (padded_pdf(6 * MB), "扫描件.pdf")})
    assert answer.status_code == 422
    assert "文件“扫描件.pdf”有 6 MB，超过了每个文件 5 MB 的上限，没有被接收" in answer.text
    assert 'value="小李便利店"' in answer.text and 'value="青山区幸福路 8 号"' in answer.text
    assert db_count(app) == 0
    assert _files_under(_uploads(app)) == []


def test_far_too_big_a_file_is_named_too_and_costs_no_memory(app, client):
    """A 30 MB file (above the 20 MB total) is read past, not kept, and named with its size."""
    data = _page_form(client)
    huge = b"%PDF-1.4\n" + b"0" * (30 * MB) + b"\n%%EOF\n"
    answer = _post_page(client, data, {HEALTH_RULES: (huge, "全部材料.pdf")})
    assert answer.status_code == 422
    assert "文件“全部材料.pdf”有 30 MB，超过了每个文件 5 MB 的上限" in answer.text
    assert 'value="小李便利店"' in answer.text


def test_accepted_file_is_kept_after_another_fields_error(app, client):
    first = _post_page(
        client,
        _page_form(client, **{"applicant-phone": "123"}),
        {HEALTH_RULES: (pdf_bytes(), "卫生管理制度.pdf")},
    )
    assert first.status_code == 422
    assert "手机号应为 11 位数字" in first.text
    assert "已接收：<strong>卫生管理制度.pdf</strong>" in first.text
    assert "文件需要重新选择" not in first.text
    token = _kept_token(first.text, HEALTH_RULES)
    staged = _files_under(_uploads(app) / ".staging")
    assert [p.name for p in staged] == [f"kept-{token}"]
    assert pdf_bytes()[:8] not in staged[0].read_bytes()  # encrypted while it waits
    # The applicant corrects the phone and sends again without choosing the file again.
    data = _page_form(client)
    data[f"k-{HEALTH_RULES}"] = token
    second = _post_page(client, data)
    assert second.status_code == 303, second.text[:2000]
    with app.app_context():
        stored = db.session.scalar(select(SubmissionFile))
        from forms_backend.uploads import read_stored

        assert (
            stored.filename == "卫生管理制度.pdf" and read_stored(stored.stored_name) == pdf_bytes()
        )
    assert _files_under(_uploads(app) / ".staging") == []


def test_a_kept_file_can_be_removed_or_replaced(app, client):
    first = _post_page(
        client,
        _page_form(client, **{"applicant-phone": "123"}),
        {HEALTH_RULES: (pdf_bytes(), "旧.pdf"), SITE_PLAN: (image_bytes(), "平面图.png")},
    )
    rules, plan = _kept_token(first.text, HEALTH_RULES), _kept_token(first.text, SITE_PLAN)
    data = _page_form(client)
    data |= {f"k-{HEALTH_RULES}": rules, f"drop-{HEALTH_RULES}": "1", f"k-{SITE_PLAN}": plan}
    removed = _post_page(client, data)
    assert removed.status_code == 422
    assert "请上传“卫生管理制度”" in removed.text  # required, and the kept one was removed
    assert "已接收：<strong>平面图.png</strong>" in removed.text
    assert "旧.pdf" not in removed.text
    plan = _kept_token(removed.text, SITE_PLAN)
    data = _page_form(client) | {f"k-{SITE_PLAN}": plan}
    replaced = _post_page(
        client,
        data,
        {HEALTH_RULES: (pdf_bytes(2), "新.pdf"), SITE_PLAN: (image_bytes("JPEG"), "新图.jpg")},
    )
    assert replaced.status_code == 303
    with app.app_context():
        names = sorted(f.filename for f in db.session.scalars(select(SubmissionFile)))
    assert names == ["新.pdf", "新图.jpg"]
    assert _files_under(_uploads(app) / ".staging") == []


def test_another_browser_cannot_use_a_kept_file(app, client):
    first = _post_page(
        client,
        _page_form(client, **{"applicant-phone": "123"}),
        {HEALTH_RULES: (pdf_bytes(), "卫生管理制度.pdf")},
    )
    token = _kept_token(first.text, HEALTH_RULES)
    other = app.test_client()
    data = _page_form(other) | {f"k-{HEALTH_RULES}": token}
    answer = _post_page(other, data)
    assert answer.status_code == 422
    assert "请上传“卫生管理制度”" in answer.text and "卫生管理制度.pdf" not in answer.text
    assert db_count(app) == 0
