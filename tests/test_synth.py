"""``build.py synth``: a deterministic, valid synthetic catalog with the seed's proportions."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from pathlib import Path

import pytest

import build
from catalog import load_catalog
from catalog.report import run_check
from catalog.synth import MARKER, run_synth
from catalog.synth.plan import largest_remainder


def synth(
    out: Path, items: int = 400, bundles: int = 8, seed: int = 1, **kw
) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_synth(
        out, items=items, bundles=bundles, seed=seed, stdout=stdout, stderr=stderr, **kw
    )
    return code, stdout.getvalue(), stderr.getvalue()


def hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def counts(root: Path) -> dict[str, object]:
    catalog = load_catalog(root)
    published = {i.id for i in catalog.items.values() if i.published}
    sub_items = [s.item for b in catalog.bundles.values() for s in b.sub_items]
    return {
        "kinds": Counter(i.kind.value for i in catalog.items.values()),
        "statuses": Counter(i.status.value for i in catalog.items.values()),
        "bundles": len(catalog.bundles),
        "sub_items": len(sub_items),
        "unpublished_sub_items": [s for s in sub_items if s not in published],
    }


def check_output(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    return run_check(root, out=out), out.getvalue()


def test_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    assert synth(tmp_path / "a")[0] == 0
    assert synth(tmp_path / "b")[0] == 0
    first, second = hashes(tmp_path / "a"), hashes(tmp_path / "b")
    assert len(first) > 400
    assert first == second


def test_different_seeds_write_different_catalogs(tmp_path: Path) -> None:
    synth(tmp_path / "a", seed=1)
    synth(tmp_path / "b", seed=2)
    first, second = hashes(tmp_path / "a"), hashes(tmp_path / "b")
    changed = [name for name in first if name in second and first[name] != second[name]]
    assert len(changed) > 300


def test_small_catalog_scales_the_seed_proportions_exactly(tmp_path: Path) -> None:
    # 400 × (90, 512, 5052) / 5654 = 6.37, 36.22, 357.41 → largest remainder 6, 36, 358.
    # 400 × (428, 74, 5152) / 5654 = 30.28, 5.24, 364.49 → 30, 5, 365.
    # 8 × 167 / 75 = 17.8 → 18 sub-items.
    code, summary, _ = synth(tmp_path / "c")
    assert code == 0
    assert "400 个事项" in summary
    found = counts(tmp_path / "c")
    assert found["kinds"] == {"公共服务": 6, "依申请": 36, "依职权": 358}
    assert found["statuses"] == {"已发布": 30, "已认领": 5, "未认领": 365}
    assert (found["bundles"], found["sub_items"]) == (8, 18)
    assert found["unpublished_sub_items"] == []


def test_small_catalog_passes_check_without_warnings(tmp_path: Path) -> None:
    synth(tmp_path / "c", items=120, bundles=3)
    code, output = check_output(tmp_path / "c")
    assert code == 0, output
    assert "；0 处警告。" in output


def test_full_size_catalog_reproduces_the_seed_figures(tmp_path: Path) -> None:
    code, _, _ = synth(tmp_path / "full", items=5654, bundles=75)
    assert code == 0
    found = counts(tmp_path / "full")
    assert found["kinds"] == {"公共服务": 90, "依申请": 512, "依职权": 5052}
    statuses = found["statuses"]
    assert statuses == {"已发布": 428, "已认领": 74, "未认领": 5152}
    assert statuses["已发布"] + statuses["已认领"] == 502
    assert (found["bundles"], found["sub_items"]) == (75, 167)
    assert found["unpublished_sub_items"] == []
    check_code, output = check_output(tmp_path / "full")
    assert check_code == 0, output[-2000:]
    assert "5654 个事项、75 个一件事" in output


def test_items_vary_in_size_and_use_situations_and_faq(tmp_path: Path) -> None:
    synth(tmp_path / "c")
    catalog = load_catalog(tmp_path / "c")
    services = [i for i in catalog.items.values() if i.kind.value != "依职权"]
    material_counts = {len(i.materials) for i in services}
    assert min(material_counts) <= 2 and max(material_counts) >= 10
    assert any(m.when for i in services for m in i.materials)
    assert any(i.faq for i in services)
    assert len(catalog.departments) >= 45 and len(catalog.windows) == 5


def test_refuses_to_overwrite_a_directory_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _, error = synth(out, items=20, bundles=1)
    assert code == 2
    assert "不是空的" in error and "--force" in error
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_force_writes_into_a_directory_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    assert synth(out, items=20, bundles=1, force=True)[0] == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert len(list((out / "items").iterdir())) == 20


def test_rerun_replaces_earlier_output_without_leftovers(tmp_path: Path) -> None:
    out = tmp_path / "c"
    assert synth(out, items=60, bundles=2)[0] == 0
    assert (out / MARKER).is_file()
    assert synth(out, items=25, bundles=1)[0] == 0
    assert len(list((out / "items").iterdir())) == 25
    assert check_output(out)[0] == 0


def test_too_many_bundles_for_the_items_is_a_usage_error(tmp_path: Path) -> None:
    code, _, error = synth(tmp_path / "c", items=10, bundles=20)
    assert code == 2
    assert "请增加 --items 或减少 --bundles" in error
    assert not (tmp_path / "c").exists()


def test_cli_synth_prints_the_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = build.main(["synth", "--items", "30", "--bundles", "1", "--out", str(tmp_path / "c")])
    assert code == 0
    assert "30 个事项（公共服务 0、依申请 3、依职权 27" in capsys.readouterr().out


@pytest.mark.parametrize("total", [0, 1, 7, 400, 5654, 100_000])
def test_largest_remainder_parts_add_up(total: int) -> None:
    parts = largest_remainder(total, [90, 512, 5052])
    assert sum(parts) == total
    assert all(abs(p - total * w / 5654) < 1 for p, w in zip(parts, [90, 512, 5052], strict=True))
