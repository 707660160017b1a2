"""The audit log page for administrators: every staff action, newest first, filterable.

Entries store codes (``case.accept``, ``market``, item ids); the pages show them by their
Chinese names through the one mapping here (``action_name``, ``subject_name``, ``detail_text``),
used by this page and by each case's 办理记录.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select

from .audit import AuditEntry
from .bookings.forms import EmptyForm
from .catalog_access import catalog
from .paging import page
from .staff.roles import ADMIN, roles_required

bp = Blueprint("audit_staff", __name__, url_prefix="/staff/audit", template_folder="templates")

ACTION_NAMES = {
    "booking.check-in": "预约签到",
    "booking.served": "预约办理完成",
    "booking.no-show": "预约记为未到",
    "booking.undo-no-show": "撤销未到",
    "booking.late-check-in": "未到后补签到",
    "booking.visited": "已上门服务",
    "booking.visit-missed": "未能上门",
    "booking.assign": "负责帮办代办预约",
    "booking.release": "交回帮办代办预约",
    "booking.view_phone": "查看帮办代办预约人手机号",
    "case.accept": "受理",
    "case.return": "退回补正",
    "case.conclude": "办结",
    "case.reject": "不予受理",
    "case.refuse": "不予许可",
    "case.reroute": "改派办件",
    "case.correct": "申请人补正",
    "file.download": "下载材料",
    "feedback.reply": "答复意见建议",
    "feedback.view_contact": "查看意见建议的联系方式",
    "follow_up.callback": "差评回访核实",
    "follow_up.rectify": "差评整改",
    "follow_up.reply": "差评答复",
    "follow_up.assign": "差评改派",
    "follow_up.view_contact": "查看差评的联系方式",
    "staff.password": "修改密码",
    "staff.deactivate": "停用工作人员账号",
    "staff.reset-password": "重置工作人员密码",
    "ticket.issue": "取号",
    "ticket.call": "叫号",
    "ticket.recall": "重呼",
    "ticket.skip": "过号",
    "ticket.transfer": "转窗口",
    "ticket.finish": "叫号办结",
}
"""Every audited action (``audit.record``'s second argument) → what the pages call it; a test
finds every ``audit.record`` call in the code and checks its action is here."""

SUBJECT_NAMES = {
    "booking": "预约",
    "case": "办件",
    "submission": "申报",
    "feedback": "意见建议",
    "evaluation": "评价",
    "ticket": "排队号",
    "staff_user": "工作人员账号",
}
"""``subject_type`` → its Chinese name; an action's prefix names the kind of record too."""

ACTOR_NAMES = {"cli": "系统命令行"}
"""Actors that are not staff usernames."""


def action_name(code: str) -> str:
    """The Chinese name of an audited action; an unknown one says what kind of record it was."""
    if code in ACTION_NAMES:
        return ACTION_NAMES[code]
    kind = SUBJECT_NAMES.get(code.split(".", 1)[0].replace("follow_up", "evaluation"))
    return f"{kind}的其他操作" if kind else "其他操作"


def subject_name(entry: AuditEntry) -> str:
    """``办件 AB12CD34 · 个体工商户设立登记`` for ``case`` ``AB12CD34/business-licence``."""
    kind = SUBJECT_NAMES.get(entry.subject_type, "记录")
    reference, _, item = entry.subject_ref.partition("/")
    if entry.subject_type == "case" and item:
        found = catalog().items.get(item)
        return f"{kind} {reference} · {found.name if found else item}"
    return f"{kind} {entry.subject_ref}"


def detail_text(entry: AuditEntry) -> str:
    """The detail, with a department id (``follow_up.assign``) shown by its name."""
    detail = entry.detail or ""
    department = catalog().departments.get(detail)
    return department.name if department else detail


def actor_name(actor: str) -> str:
    return ACTOR_NAMES.get(actor, actor)


@bp.get("/")
@roles_required(ADMIN)
def entries():
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    actor = request.args.get("actor", "").strip()
    subject = request.args.get("subject", "").strip().upper()
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if subject:
        query = query.where(AuditEntry.subject_ref.like(f"{subject}%"))
    return render_template(
        "audit_log.html",
        entries=page(query),
        actor=actor,
        subject=subject,
        form_for_nav=EmptyForm(),
    )


def init_app(app) -> None:
    app.register_blueprint(bp)
    for helper in (action_name, subject_name, detail_text, actor_name):
        app.add_template_global(helper)
