"""Write one item's guide (办事指南) as plain data ready for YAML, from its planned slot.

Each item draws from its own ``random.Random(f"{seed}:{item id}")``, so an item's text does not
change when other items are added or removed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .areas import GENERIC_MATERIALS
from .plan import Slot
from .texts import (
    CONDITIONS,
    EXEMPT_REASONS,
    EXTRA_FIELDS,
    FAQ,
    ORG_FIELDS,
    PERSON_FIELDS,
    SITUATION_MATERIALS,
    SITUATIONS,
    STEPS,
    VISIT_REASONS,
)

FULL_DEPTH = ["咨询", "收件", "预审", "受理", "办理", "结果反馈"]
MATERIAL_COUNT_WEIGHTS = (6, 10, 14, 14, 12, 10, 8, 6, 5, 4, 3, 2, 2, 1, 1)
"""Weights of 1 … 15 materials per item: most ask for 3 to 6, a few for 15."""
VERIFIED_FROM = dt.date(2026, 1, 5)
CN_DIGITS = "零一二三四五六七八九"

EX_OFFICIO_LIMITS = {
    "行政处罚": (90, 60),
    "行政检查": (30, 15),
    "行政强制": (30, 30),
    "行政征收": (15, 10),
    "其他行政权力": (20, 10),
}


def chinese_number(n: int) -> str:
    """1 … 999 in Chinese numerals as used for article numbers (第一百二十三条)."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = f"{CN_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else CN_DIGITS[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    if ones:
        text += CN_DIGITS[ones]
    return text


def _legal_basis(slot: Slot, rng: random.Random) -> list[dict[str, Any]]:
    laws = rng.sample(slot.area.laws, k=min(len(slot.area.laws), rng.choice((1, 1, 2, 3))))
    basis = [{"law": law, "article": f"第{chinese_number(rng.randint(2, 120))}条"} for law in laws]
    if rng.random() < 0.15:
        basis.append(
            {
                "law": "《内蒙古自治区人民政府关于深化“放管服”改革优化营商环境的实施意见》",
                "doc_number": f"内政发〔{rng.randint(2018, 2023)}〕{rng.randint(1, 60)}号",
            }
        )
    return basis


def _process(key: str, rng: random.Random) -> list[dict[str, str]]:
    steps = STEPS[key]
    if rng.random() < 0.5:
        return [{"name": name} for name, _ in steps]
    return [{"name": name, "description": description} for name, description in steps]


def _issuer(name: str) -> tuple[str, str | None]:
    if "身份证明" in name:
        return "申请人自备", None
    if "身份证" in name or "户口簿" in name:
        return "政府部门核发", "公安机关"
    if "营业执照" in name:
        return "政府部门核发", "市场监督管理部门"
    if "社会保障卡" in name:
        return "政府部门核发", "人力资源和社会保障部门"
    if any(word in name for word in ("许可证", "证书", "出生医学证明", "原")):
        return "政府部门核发", "发证机关"
    if any(word in name for word in ("报告", "诊断", "鉴定", "评价", "健康证明", "票据")):
        return "其他机构出具", "有资质的专业机构"
    return "申请人自备", None


def _material(name: str, rng: random.Random) -> dict[str, Any]:
    material: dict[str, Any] = {"name": name}
    source, issuer = _issuer(name)
    if rng.random() < 0.1:
        material["required"] = False
    if rng.random() < 0.3:
        material["form"] = rng.choice(("复印件", "原件和复印件"))
        if rng.random() < 0.3:
            material["copies"] = rng.randint(2, 3)
    if rng.random() < 0.5:
        material["medium"] = rng.choice(("纸质或电子", "电子"))
    if issuer:
        material["source"] = source
        material["issuer"] = issuer
        if source == "政府部门核发" and rng.random() < 0.6:
            material["exempt"] = True
            material["exempt_reason"] = rng.choice(EXEMPT_REASONS)
    if name.endswith(("申请表", "申请书", "登记表", "审批表", "声明书")):
        material["blank_form"] = f"{name}.docx"
        if rng.random() < 0.5:
            material["sample"] = f"{name}（填写示例）.pdf"
    if rng.random() < 0.12:
        material["notes"] = rng.choice(
            (
                "复印件需加盖单位公章。",
                "须在有效期内。",
                "外地户籍人员另需提供居住证。",
                "可在网上大厅下载模板。",
            )
        )
    return material


def _materials(slot: Slot, situations: list[str], rng: random.Random) -> list[dict[str, Any]]:
    conditional: list[tuple[str, str, str]] = []
    for sid in situations:
        for name, option in SITUATION_MATERIALS[sid]:
            name = f"原{slot.result}" if name == "原证件" else name
            conditional.append((name, sid, option))
    reserved = {name for name, _, _ in conditional}
    pool = [
        m for m in dict.fromkeys((*slot.area.materials, *GENERIC_MATERIALS)) if m not in reserved
    ]
    count = rng.choices(range(1, 16), weights=MATERIAL_COUNT_WEIGHTS)[0]
    names = rng.sample(pool, k=max(1, min(len(pool), count - len(conditional))))
    materials = [_material(name, rng) for name in names]
    for name, sid, option in conditional:
        material = _material(name, rng)
        material["when"] = {sid: [option]}
        materials.append(material)
    return materials


def _form_fields(audience: list[str], rng: random.Random) -> list[dict[str, Any]]:
    base = PERSON_FIELDS if audience[0] == "自然人" else ORG_FIELDS
    extras = rng.sample(EXTRA_FIELDS, k=rng.choice((0, 1, 2, 2, 3, 4, 6)))
    return [dict(f) for f in (*base, *extras)]


def _summary(slot: Slot) -> str:
    short = slot.dept.short_name
    if slot.kind == "依职权":
        return f"{short}依法实施的{slot.type}：{slot.name}。"
    if slot.kind == "公共服务":
        return f"{short}提供的公共服务，办理结果为{slot.result}。"
    return f"申请人向{short}申请，经审查符合条件的，取得{slot.result}。"


def _verified(rng: random.Random) -> dt.date:
    return VERIFIED_FROM + dt.timedelta(days=rng.randint(0, 290))


def ex_officio_item(slot: Slot, seed: int) -> dict[str, Any]:
    """A power the department exercises on its own initiative: short guide, no application."""
    rng = random.Random(f"{seed}:{slot.id}")
    legal, promised = EX_OFFICIO_LIMITS[slot.type]
    return {
        "id": slot.id,
        "name": slot.name,
        "kind": slot.kind,
        "type": slot.type,
        "status": slot.status,
        "basic_code": slot.basic_code,
        "implementation_code": slot.implementation_code,
        "department": slot.dept.id,
        "service_object": rng.choice((["法人"], ["自然人", "法人"], [slot.area.audience])),
        "summary": _summary(slot),
        "legal_basis": _legal_basis(slot, rng),
        "process": _process(slot.type, rng),
        "time_limit": {"legal_days": legal, "promised_days": promised, "case_type": "承诺件"},
        "visits": 0,
        "postal_delivery": True,
        "fees": [],
        "result": {"name": slot.result, "delivery": ["直接送达", "邮寄送达"]},
        "booking": {"appointment": False, "after_hours": False, "assisted": False},
        "verified": _verified(rng),
    }


def service_item(slot: Slot, seed: int) -> dict[str, Any]:
    """An on-application or public-service item with a full guide; published ones are richest."""
    rng = random.Random(f"{seed}:{slot.id}")
    published = slot.status == "已发布"
    audience = [slot.area.audience] if rng.random() < 0.7 else ["自然人", "法人"]
    item: dict[str, Any] = {"id": slot.id, "name": slot.name}
    if published and rng.random() < 0.25 and slot.result.endswith(("证", "证书", "执照", "证明")):
        item["aliases"] = [f"办{slot.result}"]
    item |= {
        "kind": slot.kind,
        "type": slot.type,
        "status": slot.status,
        "basic_code": slot.basic_code,
        "implementation_code": slot.implementation_code,
        "department": slot.dept.id,
    }
    if rng.random() < 0.1:
        others = [
            t for t in ("government-services", "taxation", "public-security") if t != slot.dept.id
        ]
        item["co_departments"] = [rng.choice(others)]
    item["service_object"] = audience
    item["themes"] = list(slot.area.themes[: rng.choice((1, 2))])
    if published and rng.random() < 0.06:
        item["high_frequency"] = True
    item["summary"] = _summary(slot)
    item["legal_basis"] = _legal_basis(slot, rng)
    if rng.random() < 0.7:
        item["conditions"] = rng.sample(CONDITIONS, k=rng.randint(1, 4))
    roll = rng.random()
    asked = sorted(SITUATIONS) if slot.kind == "依申请" else ["agent", "applicant-type"]
    situation_ids = [] if roll < 0.6 else rng.sample(asked, k=1 if roll < 0.9 else 2)
    if situation_ids:
        item["situations"] = [{"id": sid, **SITUATIONS[sid]} for sid in situation_ids]
    item["materials"] = _materials(slot, situation_ids, rng)
    item["process"] = _process("public" if slot.kind == "公共服务" else "apply", rng)
    if rng.random() < 0.35:
        item["time_limit"] = {
            "legal_days": rng.choice((1, 5, 10, 20)),
            "promised_days": 0,
            "case_type": "即办件",
        }
    else:
        legal = rng.choice((5, 10, 15, 20, 20, 20, 30, 45, 60))
        promised = min(legal, max(1, round(legal * rng.choice((0.1, 0.2, 0.2, 0.3)))))
        item["time_limit"] = {"legal_days": legal, "promised_days": promised, "case_type": "承诺件"}
    depth_roll = rng.random()
    if depth_roll < 0.6:
        depth = FULL_DEPTH + (["电子证照"] if rng.random() < 0.4 else [])
    elif depth_roll < 0.9:
        depth = ["咨询", "收件", "预审"]
    else:
        depth = ["咨询"]
    visits = 0 if depth_roll < 0.6 and rng.random() < 0.9 else 1
    if rng.random() < 0.003:
        visits = 2
    postal = rng.random() < 0.5
    item["visits"] = visits
    if visits:
        item["visits_reason"] = rng.choice(VISIT_REASONS)
    item["postal_delivery"] = postal
    item["online_depth"] = depth
    if rng.random() < 0.1:
        item["fees"] = [
            {
                "name": "工本费",
                "amount_yuan": rng.choice((5, 10, 20, 40)),
                "basis": "《内蒙古自治区行政事业性收费项目目录》",
            }
        ]
    else:
        item["fees"] = []
    delivery = (
        ["窗口领取"]
        + (["邮寄送达"] if postal else [])
        + (["电子证照"] if "电子证照" in depth else [])
    )
    item["result"] = {"name": slot.result, "delivery": delivery}
    item["window"] = slot.area.window
    item["booking"] = {"appointment": True, "after_hours": rng.random() < 0.3, "assisted": True}
    if published and rng.random() < 0.25:
        item["faq"] = [{"q": q, "a": a} for q, a in rng.sample(FAQ, k=rng.randint(1, 3))]
    if "收件" in depth and (published or rng.random() < 0.5):
        item["form_fields"] = _form_fields(audience, rng)
    item["verified"] = _verified(rng)
    return item
