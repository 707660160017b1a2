"""JSON endpoints for bookings and slots under /api/ (the same models as the HTML pages)."""

from __future__ import annotations

import datetime as dt

from flask import jsonify, request, url_for

from ..availability import available, next_free
from ..catalog_access import catalog
from ..cors import public
from ..errors import refuse
from ..extensions import rate_limit, the_app
from ..notifications.channels import sms_ready
from ..openapi import operation
from ..privacy import mask_name
from ..schemas import json_body, parse
from ..slots import BookingKind, item_allows
from . import api_bp
from .actions import (
    NewBooking,
    cancel_booking,
    create_booking,
    find_booking,
    materials_of,
    no_show_record,
    recover_booking,
    reschedule_booking,
)
from .models import Booking
from .schemas import (
    RECOVER_NEEDS_CODE,
    RECOVER_NOT_FOUND,
    BookingLookupOut,
    BookingOut,
    BookingRequest,
    ItemsOut,
    KindQuery,
    LookupRequest,
    NextSlotOut,
    PhoneCheck,
    RecoverRequest,
    RescheduleRequest,
    SlotsOut,
    SlotsQuery,
    find_slot,
)

QUERY_PROBLEM = "查询参数有误，请按提示修改。"


def booking_json(booking: Booking | NewBooking, link: str | None = None) -> dict:
    """The ``BookingOut`` answer (built as a dict: this is the booking hot path)."""
    found = catalog()
    window = found.windows.get(booking.window)
    item = found.items.get(booking.item)
    hall = found.halls.get(window.hall) if window else None
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
        "links": {"self": link or url_for("bookings_api.booking", reference=booking.reference)},
    }


def _query(model):
    """The query string through ``model``; an empty parameter counts as absent."""
    args = {key: value for key, value in request.args.items() if value != ""}
    return parse(model, args, message=QUERY_PROBLEM)


@api_bp.get("/items")
@public
@operation("可预约的事项及其预约类型", responses={200: ItemsOut})
def items():
    result = []
    for item in catalog().published_items():
        kinds = [kind.value for kind in BookingKind if item_allows(item, kind)]
        if kinds:
            result.append({"id": item.id, "name": item.name, "window": item.window, "kinds": kinds})
    return jsonify(items=result)


@api_bp.get("/slots")
@public
@operation("某事项某天的预约时段与余量", query=SlotsQuery, responses={200: SlotsOut})
def slots():
    query = _query(SlotsQuery)
    item = catalog().items[query.item]
    kind = BookingKind(query.kind)
    if not item_allows(item, kind):
        refuse(422, QUERY_PROBLEM, {"kind": f"事项“{item.name}”不提供{kind.label}。"})
    day = dt.date.fromisoformat(query.date)
    return jsonify(
        item=item.id,
        kind=kind.value,
        date=query.date,
        slots=[slot.as_json() for slot in available(item, kind, day)],
    )


@api_bp.get("/items/<item_id>/next-slot")
@public
@operation(
    "最早有余量的时段（办事指南的“最早可约”）",
    query=KindQuery,
    responses={200: NextSlotOut},
    errors=(404,),
)
def next_slot(item_id: str):
    kind = BookingKind(_query(KindQuery).kind)
    item = catalog().items.get(item_id)
    if item is None or not item.published:
        refuse(404, f"没有找到事项“{item_id[:80]}”。")
    if not item_allows(item, kind):
        refuse(404, f"事项“{item.name}”不提供{kind.label}。")
    slot = next_free(item, kind)
    if slot is None:
        refuse(404, "可预约范围内的时段都已约满。请过一两天再查看，或直接到大厅取号。")
    return jsonify({"item": item.id, **slot.as_json()})


@api_bp.post("/bookings")
@rate_limit("booking")
@operation(
    "预约一个时段",
    body=BookingRequest,
    responses={201: BookingOut, 200: BookingOut},
    errors=(403, 409, 503),
    description="201：新的预约；200：用同一 idempotency_key 重试，得到已保存的同一个预约。403：近期多次未到，暂停网上预约；409：时段已满、当天已有预约，或 idempotency_key 已用于另一人的预约。",
)
def create():
    booking = create_booking(parse(BookingRequest, json_body()).applicant)
    app = the_app()  # the hot path: no proxy look-ups (extensions.the_app)
    link = app.url_for("bookings_api.booking", reference=booking.reference)
    response = app.json.response(booking_json(booking, link))
    response.status_code = 200 if isinstance(booking, Booking) else 201  # 200: a retry
    response.headers["Location"] = link
    return response


def _authorised(reference: str, phone_last4: str | None) -> Booking:
    data = {"reference": reference}
    if phone_last4 is not None:
        data["phone_last4"] = phone_last4
    found = parse(LookupRequest, data, message="查询信息有误，请按提示修改。")
    booking = find_booking(found.reference, found.phone_last4)
    if booking is None:
        refuse(404, "没有找到这个预约：预约号或手机号后 4 位不对。请核对后重试。")
    return booking


@api_bp.post("/bookings/recover")
@rate_limit("lookup")
@operation(
    "找回预约号（凭身份证号、完整手机号和预约日期）",
    body=RecoverRequest,
    responses={200: BookingOut},
    errors=(404, 409),
    description=(
        "答复中的个人信息已遮蔽；预约号用于查询、改约和取消。与查询预约共用频率限制。"
        "已开通短信验证码时不提供这种找回（答复 409），请改用 /api/recovery/code 和 /api/recovery/verify。"
    ),
)
def recover():
    if sms_ready():  # then only the holder of the phone may find a booking
        refuse(409, RECOVER_NEEDS_CODE)
    wanted = parse(RecoverRequest, json_body())
    found = recover_booking(wanted.id_number, wanted.phone, wanted.date)
    if found is None:
        refuse(404, RECOVER_NOT_FOUND)
    return jsonify(booking_json(found))


@api_bp.get("/bookings/<reference>")
@rate_limit("lookup")
@operation(
    "查看预约（凭手机号后 4 位）及预约人的未到记录",
    query=PhoneCheck,
    responses={200: BookingLookupOut},
    errors=(404,),
)
def booking(reference: str):
    found = _authorised(reference, request.args.get("phone_last4"))
    no_shows = no_show_record(found.id_hmac).as_json()
    return jsonify({**booking_json(found), "no_shows": no_shows})


@api_bp.post("/bookings/<reference>/cancel")
@rate_limit("cancel")
@operation("取消预约", body=PhoneCheck, responses={200: BookingOut}, errors=(404, 409))
def cancel(reference: str):
    body = parse(PhoneCheck, json_body())
    return jsonify(booking_json(cancel_booking(_authorised(reference, body.phone_last4))))


@api_bp.post("/bookings/<reference>/reschedule")
@rate_limit("cancel")
@operation("改约到新的时段", body=RescheduleRequest, responses={200: BookingOut}, errors=(404, 409))
def reschedule(reference: str):
    body = parse(RescheduleRequest, json_body())
    found = _authorised(reference, body.phone_last4)
    item = catalog().items.get(found.item)
    if item is None:
        refuse(409, "这个事项已不再提供预约。请致电大厅咨询。")
    spec = find_slot(item, BookingKind(found.kind), body.slot)
    return jsonify(booking_json(reschedule_booking(found, spec)))
