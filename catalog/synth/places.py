"""The synthetic district's departments, hall, theme windows, themes, settings and calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

DISTRICT = "包头市青山区"


@dataclass(frozen=True)
class Dept:
    id: str
    name: str
    short_name: str
    area: str
    weight: int
    """How many ex officio powers this department holds relative to the others."""


def _dept(id: str, name: str, area: str, weight: int, short: str | None = None) -> Dept:
    full = name if short else f"{DISTRICT}{name}"
    if short is None:
        short = name if name.endswith(("办事处", "人民政府")) else f"区{name}"
    return Dept(id, full, short, area, weight)


DEPARTMENTS: tuple[Dept, ...] = (
    _dept("market", "市场监督管理局", "market", 30),
    _dept("health", "卫生健康委员会", "health", 14),
    _dept("cdc", "疾病预防控制中心", "health", 3),
    _dept("hrss", "人力资源和社会保障局", "hrss", 9),
    _dept("employment", "就业服务中心", "hrss", 1),
    _dept("social-insurance", "社会保险事业管理中心", "hrss", 1),
    _dept("labour-arbitration", "劳动人事争议仲裁院", "hrss", 1),
    _dept("civil-affairs", "民政局", "civil", 6),
    _dept("marriage-registry", "婚姻登记处", "civil", 1),
    _dept("justice", "司法局", "civil", 3),
    _dept("housing", "住房和城乡建设局", "housing", 16),
    _dept("housing-security", "住房保障服务中心", "housing", 1),
    _dept("transport", "交通运输局", "transport", 10),
    _dept("ecology", "包头市生态环境局青山区分局", "environment", 14, "青山生态环境分局"),
    _dept("culture", "文化旅游体育局", "culture", 8),
    _dept("library", "图书馆", "culture", 1),
    _dept("culture-centre", "文化馆", "culture", 1),
    _dept("education", "教育局", "education", 5),
    _dept("emergency", "应急管理局", "safety", 12),
    _dept("fire-rescue", "消防救援大队", "safety", 6),
    _dept("urban-management", "城市管理综合执法局", "urban", 14),
    _dept("landscaping", "园林绿化服务中心", "urban", 2),
    _dept("agriculture", "农牧和水务局", "agriculture", 10),
    _dept("forestry", "林业和草原局", "agriculture", 4),
    _dept("public-security", "包头市公安局青山区分局", "public-security", 10, "青山公安分局"),
    _dept("medical-insurance", "医疗保障局", "medical-insurance", 4),
    _dept("medical-insurance-centre", "医疗保险服务中心", "medical-insurance", 1),
    _dept("veterans", "退役军人事务局", "veterans", 2),
    _dept(
        "natural-resources",
        "包头市自然资源局青山区分局",
        "natural-resources",
        10,
        "青山自然资源分局",
    ),
    _dept("real-estate-registry", "不动产登记中心", "natural-resources", 1),
    _dept("disabled-persons", "残疾人联合会", "disability", 1),
    _dept("development-reform", "发展和改革委员会", "economy", 5),
    _dept("industry-it", "工业和信息化局", "economy", 3),
    _dept("commerce", "商务局", "economy", 4),
    _dept("statistics", "统计局", "economy", 2),
    _dept("audit", "审计局", "economy", 1),
    _dept("finance", "财政局", "economy", 2),
    _dept("science-technology", "科学技术局", "economy", 1),
    _dept("government-services", "政务服务局", "economy", 1),
    _dept("taxation", "国家税务总局包头市青山区税务局", "economy", 6, "青山区税务局"),
    _dept("ethnic-religious", "民族宗教事务局", "civil", 2),
    _dept("wanqinglu", "万青路街道办事处", "street", 2),
    _dept("xianfengdao", "先锋道街道办事处", "street", 2),
    _dept("xingfulu", "幸福路街道办事处", "street", 2),
    _dept("qingshanlu", "青山路街道办事处", "street", 2),
    _dept("ziyoulu", "自由路街道办事处", "street", 2),
    _dept("fuqianglu", "富强路街道办事处", "street", 2),
    _dept("kexuelu", "科学路街道办事处", "street", 2),
    _dept("wusutu", "乌素图街道办事处", "street", 2),
    _dept("qingfu", "青福镇人民政府", "street", 3),
    _dept("xingsheng", "兴胜镇人民政府", "street", 3),
)


def departments_file() -> dict[str, Any]:
    rows = []
    for index, dept in enumerate(DEPARTMENTS):
        row: dict[str, Any] = {
            "id": dept.id,
            "name": dept.name,
            "short_name": dept.short_name,
            "phone": f"0472-361{index + 1000:04d}",
        }
        if index % 3 == 0:
            row["address"] = f"青山区政务服务中心{index % 4 + 1}楼"
        rows.append(row)
    return {"departments": rows}


WINDOWS: tuple[tuple[str, str, str, list[str]], ...] = (
    (
        "enterprise",
        "企业开办综合窗口",
        "企业设立、变更、注销登记，经营许可，印章刻制，涉税事项。",
        ["法人"],
    ),
    (
        "construction",
        "工程建设综合窗口",
        "工程建设项目审批、规划、不动产、环评和城市管理事项。",
        ["法人"],
    ),
    (
        "social-affairs",
        "社会事务综合窗口",
        "户籍、婚姻、救助、教育、退役军人和街道事项。",
        ["自然人"],
    ),
    (
        "health-care",
        "医疗卫生综合窗口",
        "医疗机构、公共场所卫生许可和医保事项。",
        ["自然人", "法人"],
    ),
    ("livelihood", "民生保障综合窗口", "就业、社保、医保、残疾人服务事项。", ["自然人"]),
)


def places_file() -> dict[str, Any]:
    windows = []
    for index, (wid, name, description, audience) in enumerate(WINDOWS):
        window: dict[str, Any] = {
            "id": wid,
            "name": name,
            "hall": "citizen-hall",
            "location": f"一楼 {'ABCDE'[index]} 区 {index * 4 + 1}–{index * 4 + 4} 号窗口",
            "audience": audience,
            "description": description,
            "counters": 4,
            "hours": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "17:00"}],
            "flexible": {"early_minutes": 60, "late_minutes": 60},
        }
        if index % 2 == 0:
            window["weekend"] = [{"start": "09:00", "end": "12:00"}]
        windows.append(window)
    return {
        "halls": [
            {
                "id": "citizen-hall",
                "name": "青山区政务服务中心（市民大厅）",
                "address": "内蒙古自治区包头市青山区青山路 1 号",
                "phone": "0472-3612345",
                "transport": "乘 1 路、10 路公交车到青山区政府站下车，向东步行 200 米。",
            }
        ],
        "windows": windows,
    }


THEMES: tuple[tuple[str, str, str], ...] = (
    ("birth", "生育收养", "自然人"),
    ("education", "教育入学", "自然人"),
    ("employment", "就业创业", "自然人"),
    ("social-security", "社会保障", "自然人"),
    ("retirement", "退休养老", "自然人"),
    ("marriage", "婚姻登记", "自然人"),
    ("elderly", "老年服务", "自然人"),
    ("assistance", "社会救助", "自然人"),
    ("death", "身后事", "自然人"),
    ("household", "户籍办理", "自然人"),
    ("medical", "医疗卫生", "自然人"),
    ("veterans", "退役军人", "自然人"),
    ("housing", "住房和不动产", "自然人"),
    ("start-business", "开办企业", "法人"),
    ("food-business", "食品经营", "法人"),
    ("construction", "工程建设", "法人"),
    ("transport", "交通运输", "法人"),
    ("environment", "生态环境", "法人"),
    ("culture", "文化旅游体育", "法人"),
    ("safety", "安全生产", "法人"),
    ("urban", "城市管理", "法人"),
    ("agriculture", "农牧水务", "法人"),
)


def themes_file() -> dict[str, Any]:
    return {
        "themes": [
            {"id": tid, "name": name, "audience": audience, "description": f"与{name}有关的事项。"}
            for tid, name, audience in THEMES
        ]
    }


def settings_file() -> dict[str, Any]:
    return {
        "district": DISTRICT,
        "site_name": "青山区政务服务办事指南（合成数据）",
        "description": "本目录由 python build.py synth 生成，是用于测试规模和性能的合成数据，不是真实的办事指南。",
        "hotlines": [
            {"name": "政务服务便民热线", "phone": "12345"},
            {"name": "青山区政务服务中心咨询电话", "phone": "0472-3612345"},
        ],
        "complaint_phone": "0472-3612300",
    }


CALENDAR_YEARS = range(2020, 2041)


def calendar_file() -> dict[str, Any]:
    """New Year's Day for every year the synthetic catalog may be checked in, years confirmed.

    Synthetic data only: confirming the years keeps benchmarks and checks of the synthetic
    catalog bookable and quiet in any year. A real catalog confirms a year only after entering
    the State Council's full schedule for it.
    """
    return {
        "holidays": [{"date": dt.date(year, 1, 1), "name": "元旦"} for year in CALENDAR_YEARS],
        "workdays": [],
        "confirmed_years": [
            {"year": year, "notice": "合成目录的示例年份（不是真实的放假安排）"}
            for year in CALENDAR_YEARS
        ],
    }
