"""Citizen-facing wording of an item's key facts (time limits, trips, online depth, fees, hours)."""

from __future__ import annotations

from catalog import CaseType, Item, OnlineCapability, Period, Window
from catalog.common import FULLY_ONLINE


def time_limit(item: Item) -> str:
    """Promised vs legal limit, e.g. "当场办结（法定 3 个工作日）"."""
    limit = item.time_limit
    if limit.case_type is CaseType.IMMEDIATE:
        return f"即办件，当场办结（法定时限 {limit.legal_days} 个工作日）"
    return f"承诺 {limit.promised_days} 个工作日办结（法定时限 {limit.legal_days} 个工作日）"


def visits(item: Item) -> str:
    if item.visits == 0:
        return "零跑动，不用到现场"
    if item.visits == 1:
        return "最多跑一次"
    return f"需到现场 {item.visits} 次"


def online_depth_label(item: Item) -> str:
    """One of 全程网办 / 部分网办 / 仅网上咨询 / 不能网办: the search filter and summary value."""
    depth = set(item.online_depth)
    if FULLY_ONLINE <= depth:
        return "全程网办"
    if depth - {OnlineCapability.CONSULT}:
        return "部分网办"
    if depth:
        return "仅网上咨询"
    return "不能网办"


def online_depth(item: Item) -> str:
    label = online_depth_label(item)
    if not item.online_depth:
        return label
    return f"{label}（{'、'.join(c.value for c in item.online_depth)}）"


def fees(item: Item) -> str:
    if not item.fees:
        return "不收费"
    return "；".join(f"{fee.name} {fee.amount_yuan} 元" for fee in item.fees)


AUDIENCE_NAMES = {"自然人": "个人", "法人": "企业和其他组织"}
"""Plain words for the service object (服务对象)."""


def audience(item: Item) -> str:
    return "、".join(AUDIENCE_NAMES.get(a.value, a.value) for a in item.service_object)


def booking(item: Item) -> str:
    offers = []
    if item.booking.appointment:
        offers.append("可预约")
    if item.booking.after_hours:
        offers.append("可预约延时服务")
    if item.booking.assisted:
        offers.append("可申请帮办代办")
    return "、".join(offers) if offers else "不需预约，直接到窗口办理"


def periods(hours: list[Period]) -> str:
    return "、".join(f"{p.start}–{p.end}" for p in hours)


def window_hours(window: Window) -> list[tuple[str, str]]:
    """(label, text) rows for a window's opening hours, after-hours and weekend service."""
    rows = [("工作日", periods(window.hours))]
    flexible = window.flexible
    if flexible.early_minutes or flexible.late_minutes:
        parts = []
        if flexible.early_minutes:
            parts.append(f"开门前 {flexible.early_minutes} 分钟")
        if flexible.late_minutes:
            parts.append(f"下班后 {flexible.late_minutes} 分钟")
        rows.append(("早晚弹性办", "、".join(parts) + "，需提前预约"))
    rows.append(("双休日", periods(window.weekend) if window.weekend else "不开放"))
    return rows
