"""JSON endpoints for bookings and slots (the same rules as the HTML pages)."""

from __future__ import annotations

import datetime as dt

from flask import current_app, jsonify, request, url_for
from werkzeug.datastructures import MultiDict
from wtforms.validators import ValidationError

from ..availability import available, booking_horizon, catalog, next_free
from ..bookings.actions import (
    BookingError,
    NewBooking,
    cancel_booking,
    create_booking,
    find_booking,
    materials_of,
    reschedule_booking,
)
from ..bookings.forms import LookupForm, check_booking, find_slot
from ..bookings.models import Booking
from ..extensions import rate_limit
from ..privacy import mask_name
from ..slots import BookingKind, item_allows
from . import bp
from .jsonbody import Flag, Text, form_errors, problem, read_json
from .openapi import document

BOOKING_FIELDS = {
    "item": Text,
    "kind": Text,
    "slot": Text,
    "name": Text,
    "id_number": Text,
    "phone": Text,
    "elderly": Flag,
    "disabled": Flag,
    "home_visit": Flag,
    "address": Text,
    "notes": Text,
}
CORS_ENDPOINTS = {"api.slots", "api.next_slot", "api.items", "evaluations_api.stats"}


@bp.after_app_request  # app-wide: other features' public endpoints are listed above too
def _cors(response):
    """Let the static site (configured ``SITE_ORIGIN``) read the public GET endpoints."""
    origin = current_app.config.get("SITE_ORIGIN")
    if origin and request.endpoint in CORS_ENDPOINTS and request.headers.get("Origin") == origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
    return response


def booking_json(booking: Booking | NewBooking, link: str | None = None) -> dict:
    window = catalog().windows.get(booking.window)
    item = catalog().items.get(booking.item)
    hall = catalog().halls.get(window.hall) if window else None
    return {
        "reference": booking.reference,
        "status": booking.status,
        "status_label": booking.status_enum.label,
        "item": {"id": booking.item, "name": item.name if item else booking.item},
        "kind": booking.kind,
        "start": booking.slot.start.isoformat(),
        "end": booking.slot.end.isoformat(),
        "window": {
            "id": booking.window,
            "name": window.name if window else booking.window,
            "location": window.location if window else None,
            "hall": hall.name if hall else None,
            "address": hall.address if hall else None,
        },
        "name": mask_name(booking.name),
        "id_number": booking.id_masked,
        "phone": booking.phone_masked,
        "assisted": {
            "elderly": booking.elderly,
            "disabled": booking.disabled,
            "home_visit": booking.home_visit,
        },
        "materials": materials_of(booking),
        "links": {"self": link or url_for("api.booking", reference=booking.reference)},
    }


def _item_arg(value: str | None, errors: dict[str, str]):
    item = catalog().items.get(value or "")
    if not value:
        errors["item"] = "请用 item 参数指定事项标识，例如 item=business-licence。"
    elif item is None or not item.published:
        errors["item"] = f"没有找到事项“{value[:80]}”。请检查事项标识。"
    return item


def _kind_arg(value: str | None, errors: dict[str, str]) -> BookingKind | None:
    try:
        return BookingKind(value or BookingKind.APPOINTMENT.value)
    except ValueError:
        errors["kind"] = "kind 只能是 appointment、after_hours 或 assisted。"
        return None


@bp.get("/items")
def items():
    """Bookable items and the kinds each allows."""
    result = []
    for item in catalog().published_items():
        kinds = [kind.value for kind in BookingKind if item_allows(item, kind)]
        if kinds:
            result.append({"id": item.id, "name": item.name, "window": item.window, "kinds": kinds})
    return jsonify(items=result)


@bp.get("/slots")
def slots():
    errors: dict[str, str] = {}
    item = _item_arg(request.args.get("item"), errors)
    kind = _kind_arg(request.args.get("kind"), errors)
    horizon = booking_horizon()
    raw_date = request.args.get("date", "")
    try:
        day = dt.date.fromisoformat(raw_date)
    except ValueError:
        day = None
        errors["date"] = f"date 应写作 YYYY-MM-DD，例如 {horizon.first.isoformat()}。"
    if day is not None and day not in horizon:
        errors["date"] = (
            f"只能查询 {horizon.first.isoformat()} 至 {horizon.last.isoformat()} 的时段。"
            + horizon.explanation
        )
    if item is not None and kind is not None and not item_allows(item, kind):
        errors["kind"] = f"事项“{item.name}”不提供{kind.label}。"
    if errors:
        problem(422, "查询参数有误，请按提示修改。", errors)
    return jsonify(
        item=item.id,
        kind=kind.value,
        date=day.isoformat(),
        slots=[slot.as_json() for slot in available(item, kind, day)],
    )


@bp.get("/items/<item_id>/next-slot")
def next_slot(item_id: str):
    """The earliest free slot, for "最早可约" on the item's guide page."""
    errors: dict[str, str] = {}
    kind = _kind_arg(request.args.get("kind"), errors)
    if errors:
        problem(422, "查询参数有误，请按提示修改。", errors)
    item = catalog().items.get(item_id)
    if item is None or not item.published:
        problem(404, f"没有找到事项“{item_id[:80]}”。")
    if not item_allows(item, kind):
        problem(404, f"事项“{item.name}”不提供{kind.label}。")
    slot = next_free(item, kind)
    if slot is None:
        problem(404, "可预约范围内的时段都已约满。请过一两天再查看，或直接到大厅取号。")
    return jsonify({"item": item.id, **slot.as_json()})


@bp.post("/bookings")
@rate_limit("booking")
def create():
    body = read_json(BOOKING_FIELDS)
    body.setdefault("kind", BookingKind.APPOINTMENT.value)
    applicant, errors = check_booking(body)  # BookingForm's rules without building a form
    if applicant is None:
        problem(422, "提交的内容有误，请按提示修改。", errors)
    try:
        booking = create_booking(applicant)
    except BookingError as error:
        problem(error.status, error.message, {error.field: error.message} if error.field else None)
    link = url_for("api.booking", reference=booking.reference)
    response = jsonify(booking_json(booking, link))
    response.status_code = 201
    response.headers["Location"] = link
    return response


def _authorised(reference: str, phone_last4: str | None) -> Booking:
    form = LookupForm(
        formdata=_multidict(reference=reference, phone_last4=phone_last4 or ""),
        meta={"csrf": False},
    )
    if not form.validate():
        problem(422, "查询信息有误，请按提示修改。", form_errors(form))
    booking = find_booking(form.reference.data, form.phone_last4.data)
    if booking is None:
        problem(404, "没有找到这个预约：预约号或手机号后 4 位不对。请核对后重试。")
    return booking


def _multidict(**values: str) -> MultiDict:
    return MultiDict(values)


@bp.get("/bookings/<reference>")
@rate_limit("lookup")
def booking(reference: str):
    return jsonify(booking_json(_authorised(reference, request.args.get("phone_last4"))))


@bp.post("/bookings/<reference>/cancel")
@rate_limit("cancel")
def cancel(reference: str):
    body = read_json({"phone_last4": Text})
    found = _authorised(reference, body.get("phone_last4"))
    try:
        cancelled = cancel_booking(found)
    except BookingError as error:
        problem(error.status, error.message)
    return jsonify(booking_json(cancelled))


@bp.post("/bookings/<reference>/reschedule")
@rate_limit("cancel")
def reschedule(reference: str):
    body = read_json({"phone_last4": Text, "slot": Text})
    found = _authorised(reference, body.get("phone_last4"))
    item = catalog().items.get(found.item)
    if item is None:
        problem(409, "这个事项已不再提供预约。请致电大厅咨询。")
    if not body.get("slot"):
        problem(422, "提交的内容有误，请按提示修改。", {"slot": "请选择新的预约时段。"})
    try:
        spec = find_slot(item, BookingKind(found.kind), body["slot"])
    except ValidationError as error:
        problem(422, "提交的内容有误，请按提示修改。", {"slot": str(error)})
    try:
        moved = reschedule_booking(found, spec)
    except BookingError as error:
        problem(error.status, error.message, {error.field: error.message} if error.field else None)
    return jsonify(booking_json(moved))


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
