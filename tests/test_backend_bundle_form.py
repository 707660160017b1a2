"""The bundle one-form on the shipped catalog (开办餐饮店一件事): the name field the applicant's
form of business needs, 告知承诺 asked once, each material once with the sub-items that use it,
and the paper-only materials listed on the form, in the API and on the status page."""

from __future__ import annotations

import io
import itertools
import json
import re

import pytest

from catalog import FieldType
from forms_backend.submissions.formspec import build, find_target, questions, situations_of
from tests.backend.fixtures import id_number
from tests.backend.submissions import pdf_bytes, status_page
from tests.conftest import SAMPLE_CATALOG

RESTAURANT = "open-restaurant"
INDIVIDUAL = {
    "entity": "individual",
    "public-venue": "yes",
    "sign": "yes",
    "agent": "no",
    "premises": "rented",
    "hot-food": "yes",
    "pledge": "yes",
}
PLEDGE = "公众聚集场所投入使用、营业消防安全告知承诺书"


@pytest.fixture
def backend_config(backend_config):
    return {**backend_config, "CATALOG_PATH": str(SAMPLE_CATALOG)}


def _form(client, **answers) -> str:
    query = "&".join(f"s-{k}={v}" for k, v in answers.items())
    page = client.get(f"/apply/{RESTAURANT}?{query}")
    assert page.status_code == 200
    assert "提交申报" in page.text, "the situations are not all answered"
    return page.text


def _labels(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(r"<label for=\"[^\"]+\">(.*?)</label>", html, re.S)
    ]


def test_an_individual_is_asked_the_optional_individual_name_and_a_company_its_name(client):
    individual = _labels(_form(client, **INDIVIDUAL))
    assert "个体工商户名称" in individual  # no * : optional
    assert not any(label.startswith(("企业名称", "单位")) for label in individual), individual
    company = _labels(
        _form(client, **{**INDIVIDUAL, "entity": "company", "corporate-shareholder": "no"})
    )
    assert "企业名称 *" in company
    assert not any("个体工商户" in label for label in company), company


def test_the_pledge_is_asked_once_and_its_paper_is_signed_at_the_window(client):
    page = _form(client, **INDIVIDUAL)
    assert page.count("是否选择告知承诺") == 1  # the situation, not a field again
    assert 'name="f-fire-pledge"' not in page
    paper = page[page.index("需要带到窗口的纸质材料") :]
    assert (
        f"<strong>{PLEDGE}</strong>：纸质材料，不能网上上传，请带到窗口（原件 1 份）。在窗口现场签署"
        in paper
    )
    assert "食品安全自查和承诺书" in paper and "房屋产权人同意设置的证明" in paper
    assert "用于：公众聚集场所投入使用、营业前消防安全检查。" in paper
    for name in (PLEDGE, "食品安全自查和承诺书", "房屋产权人同意设置的证明"):
        assert name not in _labels(page), name  # no file input for paper
    without = _form(client, **{**INDIVIDUAL, "pledge": "no", "hot-food": "no"})
    assert PLEDGE not in without and "食品安全自查和承诺书" not in without


def test_a_material_needed_as_a_file_field_and_a_material_is_one_upload(client):
    page = _form(client, **INDIVIDUAL)
    assert _labels(page).count("设计效果图 *") == 1 and "设计效果图" not in _labels(page)
    assert page.count('name="u-') == len(set(re.findall(r'name="(u-[^"]+)"', page)))
    hint = re.search(r'id="u-sign-design-hint">([^<]+)<', page).group(1)
    assert hint.startswith("用于：户外广告和门头招牌设置审批。")
    assert "标注尺寸、材质、安装方式和位置" in hint


def test_the_api_form_lists_the_paper_materials(client):
    query = "&".join(f"{k}={v}" for k, v in INDIVIDUAL.items())
    form = client.get(f"/api/forms/{RESTAURANT}?{query}").json["form"]
    paper = {m["name"]: m for m in form["paper"]}
    assert paper[PLEDGE]["items"] == ["fire-safety-inspection"]
    assert "在窗口现场签署" in paper[PLEDGE]["hint"]
    assert [u["items"] for u in form["uploads"] if u["key"] == "sign-design"] == [["outdoor-sign"]]
    assert "company-name" not in {f["key"] for f in form["fields"]}


def _restaurant_fields() -> dict[str, str]:
    return {
        "applicant-name": "王五",
        "applicant-id": id_number(serial=77),
        "applicant-phone": "13900002468",
        "business-address": "青山区钢铁大街 12 号",
        "business-scope": "餐饮服务",
        "food-category": "热食类食品制售",
        "food-safety-manager": "王五",
        "floor-area": "80",
        "sign-size": "4×0.8",
    }


def test_the_status_page_lists_the_paper_materials_to_bring(client):
    data = {
        "payload": json.dumps(
            {"target": RESTAURANT, "answers": INDIVIDUAL, "fields": _restaurant_fields()},
            ensure_ascii=False,
        ),
        "sign-design": (io.BytesIO(pdf_bytes()), "效果图.pdf"),
    }
    answer = client.post("/api/submissions", data=data, content_type="multipart/form-data")
    assert answer.status_code == 201, answer.json
    reference = answer.json["reference"]
    assert {c["item"] for c in answer.json["cases"]} == {
        "business-licence",
        "food-licence",
        "fire-safety-inspection",
        "outdoor-sign",
    }
    status = status_page(client, reference, "2468")
    paper = status[status.index("需要带到窗口的纸质材料") :]
    assert PLEDGE in paper and "在窗口现场签署" in paper and "食品安全自查和承诺书" in paper


def _complete_answers(catalog, target):
    situations = situations_of(catalog, target)
    for combo in itertools.product(*[[o.id for o in s.options] for s in situations]):
        asked = questions(
            catalog, target, dict(zip([s.id for s in situations], combo, strict=True))
        )
        if asked.complete:
            yield dict(asked.answers)


def test_no_shipped_one_form_asks_anything_twice(sample_catalog):
    """Every published bundle and online item under every complete answer: each field label,
    upload and paper material once, and no field repeats a situation question."""
    checked = 0
    targets = [b for b in sample_catalog.published_bundles() if find_target(sample_catalog, b.id)]
    targets += [i for i in sample_catalog.published_items() if i.online_apply]
    for bundle in targets:
        seen_answers = set()
        for answers in _complete_answers(sample_catalog, bundle):
            key = tuple(sorted(answers.items()))
            if key in seen_answers:
                continue
            seen_answers.add(key)
            spec = build(sample_catalog, bundle, answers)
            checked += 1
            labels = [f.label for f in spec.fields]
            assert len(labels) == len(set(labels)), (bundle.id, answers, labels)
            materials = [sample_catalog.materials.key(u.label) for u in spec.uploads] + [
                sample_catalog.materials.key(m.name) for m in spec.paper
            ]
            assert len(materials) == len(set(materials)), (bundle.id, answers)
            questions_asked = [s.question.rstrip("？") for s in spec.situations]
            for f in spec.fields:
                if f.type is FieldType.CHOICE:
                    assert not any(q.startswith(f.label) for q in questions_asked), (
                        bundle.id,
                        f.key,
                    )
            names = {f.label for f in spec.fields}
            if answers.get("entity") == "individual":
                assert "企业名称" not in names, (bundle.id, answers)
    assert checked > 80


def test_a_file_field_for_a_paper_material_is_one_upload_that_says_to_bring_the_paper(client):
    page = client.get("/apply/labour-dispute-arbitration")
    assert page.status_code == 200 and "提交申报" in page.text
    assert page.text.count("证据材料") == 1  # the upload's label; not again in the paper list
    hint = re.search(r'id="u-evidence-files-hint">([^<]+)<', page.text).group(1)
    assert hint == (
        "劳动合同、工资条、考勤记录、聊天记录等，开庭时出示原件。纸质材料（复印件 1 份）也请带到窗口。"
    )
    assert "需要带到窗口的纸质材料" in page.text  # the item's other paper materials
