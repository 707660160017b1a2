"""Keys: production refuses to start without them; rotation keeps lookups and re-encrypts data."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from forms_backend import create_app
from forms_backend.bookings.models import Booking
from forms_backend.extensions import db
from forms_backend.keys import UnsafeConfiguration
from forms_backend.uploads import stored_path
from tests.backend.fixtures import Clock, StaffActions, csrf_token, person
from tests.backend.servers import ROOT, free_port

PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "PYTHONPATH": str(ROOT),
    "DATABASE_URL": "postgresql://banshi@127.0.0.1:5432/never-reached",
}
KEY_VARIABLES = ("BANSHI_SECRET_KEY", "BANSHI_ENCRYPTION_KEY", "BANSHI_LOOKUP_KEY")


def _run(args: list[str], tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        cwd=tmp_path,
        env={**PRODUCTION_ENV, "BANSHI_INSTANCE_PATH": str(tmp_path / "instance"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_keys_refuses_to_start_naming_each_variable(tmp_path):
    answer = _run([sys.executable, "-c", "import forms_backend as f; f.create_app()"], tmp_path)
    assert answer.returncode == UnsafeConfiguration.EXIT_STATUS, answer.stderr
    for name in KEY_VARIABLES:
        assert f"{name} is not set" in answer.stderr
    assert "flask --app forms_backend keys generate" in answer.stderr
    assert "BANSHI_NOTIFY_CHANNEL is not set" in answer.stderr  # one refusal names everything
    assert "Traceback" not in answer.stderr
    assert not (tmp_path / "instance" / "dev-keys.json").exists()


def test_production_names_only_the_missing_key(tmp_path):
    answer = _run(
        [sys.executable, "-c", "import forms_backend as f; f.create_app()"],
        tmp_path,
        BANSHI_SECRET_KEY="s" * 64,
        BANSHI_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        BANSHI_RATELIMIT_ENABLED="false",
        BANSHI_NOTIFY_CHANNEL="none",
    )
    assert answer.returncode == UnsafeConfiguration.EXIT_STATUS
    assert "BANSHI_LOOKUP_KEY is not set" in answer.stderr
    assert "BANSHI_SECRET_KEY" not in answer.stderr
    assert "BANSHI_ENCRYPTION_KEY" not in answer.stderr


def test_gunicorn_master_stops_when_the_app_refuses(tmp_path):
    answer = _run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{free_port()}",
            "forms_backend:create_app()",
        ],
        tmp_path,
    )
    assert answer.returncode != 0
    assert "BANSHI_ENCRYPTION_KEY is not set" in answer.stderr
    assert "App failed to load" in answer.stderr


def test_keys_generate_works_before_any_key_exists_and_its_keys_start_the_app(tmp_path):
    flask = [sys.executable, "-m", "flask", "--app", "forms_backend", "keys", "generate"]
    answer = _run(flask, tmp_path)
    assert answer.returncode == 0, answer.stderr
    exported = dict(
        line.removeprefix("export ").split("=", 1) for line in answer.stdout.splitlines()
    )
    assert set(exported) == set(KEY_VARIABLES)
    assert len({*exported.values()}) == 3
    started = _run(
        [sys.executable, "-c", "import forms_backend as f; f.create_app()"],
        tmp_path,
        DATABASE_URL="",
        BANSHI_PRODUCTION="true",
        BANSHI_RATELIMIT_ALLOW_MEMORY="true",
        BANSHI_NOTIFY_CHANNEL="none",
        **exported,
    )
    assert started.returncode == 0, started.stderr


def test_shared_rate_limit_storage_is_required_in_production(backend_config):
    config = {**backend_config, "RATELIMIT_ENABLED": True}
    with pytest.raises(UnsafeConfiguration) as refused:
        create_app(config)
    assert "BANSHI_RATELIMIT_STORAGE_URI is memory://" in str(refused.value)
    allowed = create_app({**config, "RATELIMIT_ALLOW_MEMORY": True})
    with allowed.app_context():
        db.engine.dispose()


def test_production_without_a_notification_channel_refuses_unless_none_is_chosen(
    backend_config,
):
    config = {k: v for k, v in backend_config.items() if k != "NOTIFY_CHANNEL"}
    with pytest.raises(UnsafeConfiguration) as refused:
        create_app(config)
    message = str(refused.value)
    assert "BANSHI_NOTIFY_CHANNEL is not set" in message
    assert "BANSHI_NOTIFY_CHANNEL=none" in message
    assert "生产环境未配置通知渠道" in message
    for channel in ("none", "sms"):  # chosen explicitly: starts (sms with its settings)
        extra = {"SMS_ACCESS_KEY_ID": "id", "SMS_ACCESS_KEY_SECRET": "secret"}
        app = create_app({**config, "NOTIFY_CHANNEL": channel, **extra})
        assert app.config["NOTIFY_CHANNEL"] == channel
        with app.app_context():
            db.engine.dispose()
    quiet = create_app({**config, "NOTIFY_ENABLED": False})  # nothing is ever sent
    with quiet.app_context():
        db.engine.dispose()


def test_embedded_sqlite_default_still_runs_with_development_keys(tmp_path):
    answer = _run(
        [sys.executable, "-c", "import forms_backend as f; f.create_app()"],
        tmp_path,
        DATABASE_URL="",
    )
    assert answer.returncode == 0, answer.stderr
    assert (tmp_path / "instance" / "dev-keys.json").exists()


def test_rotation_keeps_lookups_blocks_and_data(backend_config, tmp_path):
    """Book, mark three no-shows, rotate to a new encryption key as documented: the same ID
    is still refused on the same day, the person is still blocked, old data still reads."""
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    clock = Clock()

    def app_with(encryption_key: str):
        return create_app({**backend_config, "ENCRYPTION_KEY": encryption_key, "NOW": clock})

    first = app_with(old)
    client = first.test_client()
    staff = StaffActions(client, first.test_cli_runner())
    staff.create()
    staff.login()
    booked, blocked = person(), person()
    reference = client.post("/api/bookings", json=_booking(booked, "2026-12-01")).json["reference"]
    for day in ("2026-11-26", "2026-11-27", "2026-11-30"):
        ref = client.post("/api/bookings", json=_booking(blocked, day)).json["reference"]
        clock.set(f"{day}T10:00:00+08:00")
        staff.login()  # another day, another session
        page = client.get(f"/staff/bookings/?window=enterprise&date={day}")
        marked = client.post(
            f"/staff/bookings/{ref}/no-show",
            data={"csrf_token": csrf_token(page.text), "confirm": "yes"},
        )
        assert "已记为未到" in client.get(marked.headers["Location"]).text
    clock.set("2026-11-25T10:00:00+08:00")
    upload = _upload(first, b"%PDF-1.4 scan of an ID card")
    _dispose(first)

    rotating = app_with(f"{new},{old}")
    result = rotating.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted" in result.output and "1 uploaded file(s)" in result.output
    _dispose(rotating)

    rotated = app_with(new)  # the old key is gone
    client = rotated.test_client()
    again = client.post("/api/bookings", json=_booking(booked, "2026-12-01", "10:00"))
    assert again.status_code == 409, again.json
    assert client.post("/api/bookings", json=_booking(blocked, "2026-12-02")).status_code == 403
    found = client.get(f"/api/bookings/{reference}?phone_last4={booked['phone'][-4:]}")
    assert found.status_code == 200 and found.json["reference"] == reference
    with rotated.app_context():
        from forms_backend.privacy import vault
        from forms_backend.uploads import read_stored

        for row in db.session.scalars(select(Booking)):
            assert vault().decrypt(row.id_cipher) in (booked["id_number"], blocked["id_number"])
        assert read_stored(upload) == b"%PDF-1.4 scan of an ID card"
    _dispose(rotated)


def _booking(who: dict, day: str, time: str = "09:00") -> dict:
    return {
        "item": "business-licence",
        "kind": "appointment",
        "slot": f"{day}T{time}:00+08:00",
        **who,
    }


def _upload(app, content: bytes) -> str:
    """Store one encrypted file the way a submission does; returns its stored name."""
    from forms_backend.uploads import CheckedFile, Staging

    with app.test_request_context(), Staging() as staging:
        name = staging.add(CheckedFile("k", "材料", "scan.pdf", "application/pdf", content))
        staging.publish()
    with app.app_context():
        assert stored_path(name).exists()
    return name


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
