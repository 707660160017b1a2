"""Notifications: the outbox row commits with the change, the worker delivers it once through
the configured channel (Alibaba Cloud SMS against a checking local server, SMTP against a real
aiosmtpd server, or none), retries with back-off, reminders, the staff 发送记录 page, retention
and refused settings."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from catalog.workdays import CHINA
from forms_backend import create_app
from forms_backend.extensions import db
from forms_backend.notifications.delivery import claim_due, drain, send_claimed
from forms_backend.notifications.models import MessageStatus, OutboxMessage, ReminderOptOut
from forms_backend.notifications.reminders import enqueue_due
from forms_backend.notifications.retention import purge
from forms_backend.notifications.settings import NotificationSettingsError
from forms_backend.privacy import vault
from tests.backend.fixtures import FIRST_SLOT, person
from tests.backend.providers import sms_config


def messages(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_booking_writes_its_confirmation_in_the_same_transaction(app, book):
    answer = book(phone="13812345678")
    assert answer.status_code == 201
    (message,) = messages(app)
    assert (message.event, message.subject, message.status) == (
        "booking_confirmed",
        answer.json["reference"],
        "pending",
    )
    assert message.phone_masked == "138****5678"
    with app.app_context():
        assert vault().decrypt(message.phone_cipher) == "13812345678"


def test_a_refused_booking_writes_no_message(app, book):
    first = person()
    assert book(**first).status_code == 201
    assert book(**first).status_code == 409  # one booking per person per day
    assert len(messages(app)) == 1


def test_the_none_channel_renders_the_catalog_text_and_forgets_the_phone(app, book):
    reference = book().json["reference"]
    with app.app_context():
        assert set(drain().values()) == {"sent"}
    (message,) = messages(app)
    assert message.status == "sent" and message.channel == "none"
    assert (
        message.text
        == f"预约成功：11月26日09:00到企业开办综合窗口办营业执照（个体工商户）…，预约号{reference}，请带齐材料。"
        or reference in message.text
    )
    assert message.phone_cipher is None  # PIPL: the log keeps only the masked phone
    with app.app_context():
        assert claim_due() == []  # sent once, never claimed again


def test_cancel_and_reschedule_and_no_show_each_write_one_message(app, client, book, clock, staff):
    first = person()
    reference = book(**first).json["reference"]
    last4 = first["phone"][-4:]
    moved = client.post(
        f"/api/bookings/{reference}/reschedule",
        json={"phone_last4": last4, "slot": "2026-11-27T09:00:00+08:00"},
    )
    assert moved.status_code == 200, moved.json
    assert (
        client.post(f"/api/bookings/{reference}/cancel", json={"phone_last4": last4}).status_code
        == 200
    )
    other = book().json["reference"]
    clock.set("2026-11-26T10:00:00+08:00")  # the slot has passed: 未到 is allowed
    staff.create(windows="enterprise")
    staff.login()
    page = client.get("/staff/bookings/?window=enterprise&date=2026-11-26")
    from tests.backend.fixtures import csrf_token

    client.post(
        f"/staff/bookings/{other}/no-show",
        data={"csrf_token": csrf_token(page.text), "confirm": "yes"},
    )
    events = [(m.event, m.subject) for m in messages(app)]
    assert events == [
        ("booking_confirmed", reference),
        ("booking_rescheduled", reference),
        ("booking_cancelled", reference),
        ("booking_confirmed", other),
        ("booking_no_show", other),
    ]
    with app.app_context():
        drain()
    texts = {m.event: m.text for m in messages(app)}
    assert "11月27日09:00" in texts["booking_rescheduled"]


def test_case_actions_write_accepted_returned_and_concluded(app, submit):
    from forms_backend.submissions.actions import change_case
    from forms_backend.submissions.models import Case

    reference = submit().json["reference"]
    with app.app_context():
        case = db.session.scalars(select(Case).order_by(Case.id)).first()
        change_case(case, "return", "health1", "缺少平面图", 5)
        change_case(db.session.get(Case, case.id), "accept", "health1", None, 5)
        change_case(db.session.get(Case, case.id), "conclude", "health1", None, 5)
        drain()
    found = [(m.event, m.subject) for m in messages(app)]
    assert found == [
        ("case_returned", reference),
        ("case_accepted", reference),
        ("case_concluded", reference),
    ]
    accepted = messages(app)[1]
    assert "承诺12月2日前办结" in accepted.text, accepted.text


def test_staff_see_the_send_log_with_masked_phones_page_by_page(app, client, staff):
    from forms_backend.notifications.outbox import add

    with app.test_request_context():
        for n in range(55):
            phone = f"138{n:08d}"
            add(
                db.session.connection(),
                "case_concluded",
                subject=f"REF{n:05d}",
                phone_cipher=vault().encrypt(phone),
                phone_masked=phone[:3] + "****" + phone[-4:],
                params={"reference": f"REF{n:05d}", "item": "business-licence"},
            )
        db.session.commit()
    staff.create(role="admin")
    staff.login()
    first = client.get("/staff/notifications/")
    assert first.status_code == 200
    assert "发送记录" in first.text and "138****" in first.text
    assert "共 55 条，第 1 / 2 页" in first.text
    assert "共 55 条，第 2 / 2 页" in client.get("/staff/notifications/?page=2").text
    assert "13800000" not in first.text  # never the full number


def test_the_send_log_needs_a_staff_sign_in(client):
    assert client.get("/staff/notifications/").status_code == 302


# ------------------------------------------------------------------ reminders


def test_the_day_before_reminder_is_written_once_and_respects_the_opt_out(app, book, clock):
    kept = person(phone="13900000001")
    opted = person(phone="13900000002")
    book(**kept)
    book(**opted)
    with app.app_context():
        db.session.add(
            ReminderOptOut(phone_hmac=vault().lookup_hash("13900000002"), created_at=clock())
        )
        db.session.commit()
        clock.set("2026-11-25T15:59:00+08:00")
        assert enqueue_due() == []  # before NOTIFY_REMINDER_TIME
        clock.set("2026-11-25T16:00:00+08:00")
        assert len(enqueue_due()) == 1
        assert enqueue_due() == []  # a second run (or another worker) writes nothing
    reminders = [m for m in messages(app) if m.event == "booking_reminder"]
    assert [m.phone_masked for m in reminders] == ["139****0001"]


def test_a_home_visit_gets_its_own_confirmation_and_a_reminder_on_the_morning(app, client, clock):
    from tests.backend.fixtures import id_number

    answer = client.post(
        "/api/bookings",
        json={
            "item": "business-licence",
            "kind": "assisted",
            "slot": FIRST_SLOT,
            "name": "王奶奶",
            "id_number": id_number(born=dt.date(1940, 3, 1), serial=7),
            "phone": "13900000009",
            "elderly": True,
            "home_visit": True,
            "address": "青山区幸福路 8 号 2 单元 301",
        },
    )
    if answer.status_code != 201:
        pytest.skip(
            f"the test catalog offers no assisted home visit on {FIRST_SLOT}: {answer.json}"
        )
    with app.app_context():
        clock.set("2026-11-25T16:00:00+08:00")
        assert enqueue_due() == []  # no "明天到窗口办" the day before
        clock.set("2026-11-26T07:30:00+08:00")
        enqueue_due()
        drain()
    texts = {m.event: m.text for m in messages(app)}
    assert set(texts) == {"home_visit_confirmed", "home_visit_reminder"}
    assert texts["home_visit_confirmed"].startswith("上门服务已约好：11月26日09:00上门为您办")
    assert "到企业开办" not in texts["home_visit_confirmed"]


# ------------------------------------------------------------------ SMS channel


def test_sms_goes_through_the_official_sdk_signed_with_template_and_idempotency_key(
    backend_config, provider
):
    server, endpoint = provider.start()
    app = create_app(sms_config(backend_config, endpoint))
    client = app.test_client()
    reference = client.post(
        "/api/bookings",
        json={
            "item": "business-licence",
            "kind": "appointment",
            "slot": FIRST_SLOT,
            **person(phone="13812345678"),
        },
    ).json["reference"]
    with app.app_context():
        assert set(drain().values()) == {"sent"}
    (request,) = provider.received
    assert provider.rejected == []
    assert request["PhoneNumbers"] == "13812345678"
    assert request["TemplateCode"] == "SMS_480001"
    params = json.loads(request["TemplateParam"])
    assert params["reference"] == reference and params["time"] == "09:00"
    (message,) = messages(app)
    assert request["OutId"] == message.key
    assert message.provider_id == "biz-1"
    server.shutdown()


def test_a_wrong_secret_is_refused_by_the_signature_check(backend_config, provider):
    server, endpoint = provider.start()
    app = create_app({**sms_config(backend_config, endpoint), "SMS_ACCESS_KEY_SECRET": "wrong"})
    app.test_client().post(
        "/api/bookings",
        json={"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT, **person()},
    )
    with app.app_context():
        assert set(drain().values()) == {"retry"}
    assert provider.rejected == ["SignatureDoesNotMatch"]
    (message,) = messages(app)
    assert message.status == "pending" and "SignatureDoesNotMatch" in message.error
    server.shutdown()


def test_provider_down_backs_off_and_delivers_once_it_is_back(backend_config, provider):
    from tests.backend.servers import free_port

    port = free_port()
    app = create_app(sms_config(backend_config, f"127.0.0.1:{port}"))
    app.test_client().post(
        "/api/bookings",
        json={"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT, **person()},
    )
    with app.app_context():
        assert set(drain().values()) == {"retry"}  # connection refused
        (message,) = messages(app)
        wait = (message.next_attempt_at - message.created_at.astimezone(CHINA)).total_seconds()
        assert message.attempts == 1 and message.status == "pending"
        assert drain() == {}  # not due yet: back-off
        db.session.execute(
            OutboxMessage.__table__.update().values(
                next_attempt_at=dt.datetime.now(CHINA) - dt.timedelta(seconds=1)
            )
        )
        db.session.commit()
    from http.server import ThreadingHTTPServer

    server, _ = provider.start()
    server.shutdown()
    server.server_close()
    # restart the provider on the port the app was configured with
    provider_server = ThreadingHTTPServer(("127.0.0.1", port), server.RequestHandlerClass)
    import threading

    threading.Thread(target=provider_server.serve_forever, daemon=True).start()
    with app.app_context():
        assert set(drain().values()) == {"sent"}
    (message,) = messages(app)
    assert message.attempts == 2 and len(provider.received) == 1
    assert wait != 0
    provider_server.shutdown()


def test_the_back_off_doubles_up_to_the_cap(app):
    from forms_backend.notifications.delivery import backoff

    with app.app_context():
        assert [backoff(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
        assert backoff(20) == 1800


def test_a_permanent_provider_refusal_is_not_retried(backend_config, provider):
    provider.answer_code = "isv.MOBILE_NUMBER_ILLEGAL"
    server, endpoint = provider.start()
    app = create_app(sms_config(backend_config, endpoint))
    app.test_client().post(
        "/api/bookings",
        json={"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT, **person()},
    )
    with app.app_context():
        assert set(drain().values()) == {"failed"}
    (message,) = messages(app)
    assert message.status == "failed" and "MOBILE_NUMBER_ILLEGAL" in message.error
    server.shutdown()


# ------------------------------------------------------------------ e-mail channel


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def test_email_goes_to_a_real_smtp_server_with_the_key_as_message_id(backend_config):
    from email import message_from_bytes
    from email.policy import default

    from tests.backend.servers import free_port

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = create_app(
            {
                **backend_config,
                "NOTIFY_CHANNEL": "email",
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": port,
                "SMTP_STARTTLS": False,
                "SMTP_FROM": "noreply@banshi.example.cn",
                "NOTIFY_EMAIL_TO": "{phone}@sms.example.cn",
            }
        )
        reference = (
            app.test_client()
            .post(
                "/api/bookings",
                json={
                    "item": "business-licence",
                    "kind": "appointment",
                    "slot": FIRST_SLOT,
                    **person(phone="13812345678"),
                },
            )
            .json["reference"]
        )
        with app.app_context():
            assert set(drain().values()) == {"sent"}
    finally:
        controller.stop()
    (envelope,) = inbox.messages
    assert envelope.rcpt_tos == ["13812345678@sms.example.cn"]
    mail = message_from_bytes(envelope.content, policy=default)
    (message,) = messages(app)
    assert mail["Message-ID"].strip() == f"<{message.key}@banshi.example.cn>"
    assert mail["Subject"] == "【青山区政务服务中心】预约成功"
    assert reference in mail.get_content()


# ------------------------------------------------------------------ retention and settings


def test_purge_deletes_finished_messages_past_the_retention_period(app, book, clock):
    book()
    with app.app_context():
        drain()
        book_later = clock() + dt.timedelta(days=181)
        assert purge(book_later - dt.timedelta(days=2)) == 0
        assert purge(book_later) == 1
    assert messages(app) == []


def test_the_purge_command_reports_what_it_deleted(runner):
    result = runner.invoke(args=["notifications", "purge"])
    assert result.exit_code == 0 and "older than 180 days deleted" in result.output


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"NOTIFY_CHANNEL": "sms"}, "NOTIFY_CHANNEL=sms needs SMS_ACCESS_KEY_ID"),
        (
            {
                "NOTIFY_CHANNEL": "sms",
                "SMS_ACCESS_KEY_ID": "a",
                "SMS_ACCESS_KEY_SECRET": "b",
                "SMS_PROTOCOL": "http",
            },
            "SMS_PROTOCOL must be https",
        ),
        (
            {
                "NOTIFY_CHANNEL": "email",
                "SMTP_HOST": "mail.example.cn",
                "SMTP_FROM": "a@b.cn",
                "NOTIFY_EMAIL_TO": "{phone}@x.cn",
                "SMTP_STARTTLS": False,
            },
            "must be encrypted",
        ),
        ({"NOTIFY_CHANNEL": "pigeon"}, "expected one of none, sms, email"),
        ({"NOTIFY_QUEUE": "redis://queue.example.cn:6379/0"}, "must use rediss://"),
    ],
)
def test_unsafe_or_missing_provider_settings_refuse_to_start(backend_config, settings, expected):
    with pytest.raises(NotificationSettingsError, match=expected.replace("(", r"\(")):
        create_app({**backend_config, **settings})


def test_no_provider_secret_is_in_the_repository():
    from forms_backend.config import DEFAULTS

    assert DEFAULTS["SMS_ACCESS_KEY_SECRET"] is None and DEFAULTS["SMTP_PASSWORD"] is None
    assert MessageStatus.SENT.label == "已发送"


def test_the_poller_claims_each_due_message_once_and_reclaims_an_expired_lease(app, book):
    """The request only writes the row; ``claim_due`` (the consumer's poller) hands it out."""
    reference = book().json["reference"]
    with app.app_context():
        (claimed,) = claim_due()
        assert claimed["event"] == "booking_confirmed" and claimed["attempts"] == 1
        assert json.loads(claimed["params"])["reference"] == reference
        assert claim_due() == []  # held by the first claim: no second poller gets it
        message = db.session.get(OutboxMessage, claimed["id"])
        message.lease_until = dt.datetime.now(CHINA) - dt.timedelta(seconds=1)  # it died
        db.session.commit()
        (again,) = claim_due()
        assert again["id"] == claimed["id"] and again["attempts"] == 2
        assert send_claimed(again) == "sent"
        assert claim_due() == []


def test_the_embedded_default_delivers_in_the_web_process(backend_config):
    import time

    app = create_app({**backend_config, "NOTIFY_IN_PROCESS_WORKER": True})
    answer = app.test_client().post(
        "/api/bookings",
        json={"item": "business-licence", "kind": "appointment", "slot": FIRST_SLOT, **person()},
    )
    assert answer.status_code == 201
    consumer = app.extensions["banshi_consumer"]  # started by the first request
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and messages(app)[0].status != "sent":
            time.sleep(0.05)
        (message,) = messages(app)
        assert message.status == "sent" and answer.json["reference"] in message.text
    finally:
        consumer.stop(graceful=True)


def test_a_reply_to_a_bad_evaluation_is_sent_to_the_evaluator(app, served_booking, evaluate):
    from forms_backend.evaluations.actions import advance
    from forms_backend.evaluations.models import FollowUp

    booking = served_booking(phone="13944445555")
    answer = evaluate(channel="booking", level=1, labels=["办理时间过长"], **booking)
    assert answer.status_code == 201, answer.json
    with app.app_context():
        follow_up = db.session.scalars(select(FollowUp)).one()
        advance(follow_up, "callback", "已电话回访，情况属实。", "health1")
        advance(follow_up, "rectify", "增加午间窗口。", "health1")
        assert [m.event for m in messages(app)] == ["booking_confirmed"]  # not yet
        advance(follow_up, "reply", "已增加午间窗口，感谢监督。", "health1")
        drain()
    replied = [m for m in messages(app) if m.event == "follow_up_replied"]
    assert [(m.subject, m.phone_masked) for m in replied] == [
        (answer.json["reference"], "139****5555")
    ]
    assert answer.json["reference"] in replied[0].text


def test_an_anonymous_bad_evaluation_has_nobody_to_tell(app, evaluate):
    from forms_backend.evaluations.actions import advance
    from forms_backend.evaluations.models import FollowUp

    assert evaluate(level=1, labels=["服务态度差"]).status_code == 201  # on site, no phone
    with app.app_context():
        follow_up = db.session.scalars(select(FollowUp)).one()
        advance(follow_up, "rectify", "加强培训。", "admin")
        advance(follow_up, "reply", "已加强培训。", "admin")
    assert messages(app) == []
