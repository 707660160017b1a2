"""好差评 statistics: counts, 好评率 per window/department/month, window stars, CORS."""

from __future__ import annotations

import pytest

from forms_backend.evaluations.rules import stars


def test_stats_count_and_rate_per_window_department_and_month(client, clock, evaluate):
    evaluate(level=5, ticket="A001", item="business-licence")
    evaluate(level=3, ticket="A002", item="health-permit")
    evaluate(level=1, ticket="A003", item="health-permit", labels=["多次跑动"])
    evaluate(level=4, ticket="B001", window="social-affairs")
    clock.set("2026-12-01T10:00:00+08:00")
    evaluate(level=2, ticket="A001", item="business-licence", reason="窗口人员不在岗。")
    body = client.get("/api/stats/evaluations").json
    assert (body["total"], body["positive"], body["negative"]) == (5, 3, 2)
    assert body["positive_rate"] == 0.6
    assert body["levels"] == {"非常满意": 1, "满意": 1, "基本满意": 1, "不满意": 1, "非常不满意": 1}
    windows = {w["id"]: w for w in body["windows"]}
    assert (windows["enterprise"]["total"], windows["enterprise"]["positive"]) == (4, 2)
    assert windows["enterprise"]["positive_rate"] == 0.5
    assert windows["social-affairs"]["positive_rate"] == 1.0
    assert [(m["month"], m["total"], m["positive"]) for m in windows["enterprise"]["months"]] == [
        ("2026-11", 3, 2),
        ("2026-12", 1, 0),
    ]
    departments = {d["id"]: d for d in body["departments"]}
    assert (departments["health"]["total"], departments["health"]["positive"]) == (2, 1)
    assert departments["market"]["name"] == "包头市青山区市场监督管理局"
    assert [(m["month"], m["total"], m["positive"]) for m in body["months"]] == [
        ("2026-11", 4, 3),
        ("2026-12", 1, 0),
    ]
    assert body["follow_ups"] == {"open": 2, "replied": 0, "closed": 0}
    november = client.get("/api/stats/evaluations?from=2026-11&to=2026-11").json
    assert november["total"] == 4


def test_window_stars_from_the_five_dimensions(client, evaluate):
    all_fives = {k: 5 for k in ("experience", "window_service", "process", "quality", "service")}
    evaluate(level=5, ticket="A001", dimensions=all_fives)
    evaluate(level=3, ticket="A002", dimensions={"process": 1, "quality": 2})
    window = client.get("/api/stats/evaluations").json["windows"][0]
    # experience (5+3)/2=4, window service 4, process (5+1)/2=3, quality 3.5, service 4 → 3.7
    assert window["dimensions"] == {
        "群众体验": 4.0,
        "窗口服务": 4.0,
        "业务流程": 3.0,
        "工作质量": 3.5,
        "服务评价": 4.0,
    }
    assert window["score"] == 3.7
    assert window["stars"] == 4


@pytest.mark.parametrize(
    ("means", "expected"),
    [({"a": 5.0}, 5), ({"a": 4.5, "b": 4.5}, 5), ({"a": 4.49}, 4), ({"a": 1.0}, 1), ({}, 0)],
)
def test_stars_round_half_up_between_one_and_five(means, expected):
    assert stars(means) == expected


def test_stats_with_no_evaluations_has_no_rate(client):
    body = client.get("/api/stats/evaluations").json
    assert body["total"] == 0 and body["positive_rate"] is None and body["windows"] == []


def test_stats_bad_month_is_422(client):
    answer = client.get("/api/stats/evaluations?from=2026-13")
    assert answer.status_code == 422 and "年-月" in answer.json["errors"]["from"]


def test_stats_allow_the_site_origin_only(client):
    ok = client.get("/api/stats/evaluations", headers={"Origin": "https://guide.example.cn"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://guide.example.cn"
    other = client.get("/api/stats/evaluations", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    private = client.get(
        "/api/evaluations/7KQ2M9XA", headers={"Origin": "https://guide.example.cn"}
    )
    assert "Access-Control-Allow-Origin" not in private.headers


def test_evaluation_pages_work_without_javascript(client):
    from tests.backend.fixtures import csrf_token, scripts_needed

    page = client.get("/evaluations/new?channel=onsite")
    assert page.status_code == 200 and scripts_needed(page.text) == []
    data = {
        "csrf_token": csrf_token(page.text),
        "channel": "onsite",
        "window": "enterprise",
        "ticket": "A077",
        "level": "2",
    }
    refused = client.post("/evaluations/new", data=data)
    assert refused.status_code == 422
    assert "请勾选不满意的方面" in refused.text
    data["labels"] = ["办理时间过长", "多次跑动"]
    done = client.post("/evaluations/new", data=data)
    assert done.status_code == 303
    detail = client.get(done.headers["Location"])
    assert "办理时间过长、多次跑动" in detail.text and "待回访" in detail.text
    assert "2026-12-16" in detail.text


def test_stats_are_cached_for_the_configured_seconds(app, client, clock, evaluate):
    evaluate(level=5, ticket="A001")
    assert client.get("/api/stats/evaluations").json["total"] == 1
    evaluate(level=4, ticket="A002")
    cached = client.get("/api/stats/evaluations")
    assert cached.json["total"] == 1 and cached.headers["Cache-Control"] == "public, max-age=60"
    clock.set("2026-11-25T10:01:01+08:00")
    assert client.get("/api/stats/evaluations").json["total"] == 2
    app.config["STATS_CACHE_SECONDS"] = 0
    evaluate(level=4, ticket="A003")
    assert client.get("/api/stats/evaluations").json["total"] == 3


def test_case_evaluation_page_names_the_case_from_the_status_page(client, concluded_case):
    from tests.backend.fixtures import csrf_token

    case = concluded_case(phone="13700005555")
    url = f"/evaluations/new?channel=case&reference={case['reference']}&item=health-permit"
    page = client.get(url)
    assert "评价的办件：</strong>公共场所卫生许可" in page.text
    answer = client.post(
        "/evaluations/new",
        data={
            "csrf_token": csrf_token(page.text),
            "channel": "case",
            "reference": case["reference"],
            "phone_last4": "5555",
            "item": "health-permit",
            "level": "5",
        },
    )
    assert answer.status_code == 303
    assert "查询申报进度" in client.get("/evaluations/new?channel=case").text
