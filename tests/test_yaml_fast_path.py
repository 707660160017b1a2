"""The loader's fast construction path gives exactly the data PyYAML's safe loader gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from catalog.synth import run_synth
from catalog.yamlfile import YamlProblem, read

SAMPLE = Path(__file__).resolve().parent.parent / "catalog_yaml"

TRICKY = {
    "scalars": "a: yes\nb: 'yes'\nc: 012\nd: 0x1F\ne: 1.5e3\nf: .inf\ng: ~\nh: ''\ni: 2026-10-15\nj: 2026-10-15 08:30:00\n",
    "nested": "a:\n  - {b: [1, 2, {c: null}]}\n  - - x\n    - y\n",
    "empty collections": "a: []\nb: {}\nc:\n",
    "explicit tags": "a: !!str 12\nb: !!int '7'\nc: !!set {x, y}\nd: !!binary aGk=\n",
    "non-string keys": "1: one\ntrue: yes\n~: nothing\n",
    "anchor without alias": "a: &anchor [1, 2]\n",
    "alias": "a: &x {k: v}\nb: *x\n",
    "chinese text": "name: 食品经营许可\nwhen: {agent: ['yes']}\n",
}


def _same_as_pyyaml(path: Path) -> None:
    data, duplicates = read(path)
    assert duplicates == []
    assert data == yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_documents_read_like_pyyaml(tmp_path: Path, name: str) -> None:
    path = tmp_path / "doc.yml"
    path.write_text(TRICKY[name], encoding="utf-8")
    try:
        expected = yaml.load(TRICKY[name], Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        pytest.skip("PyYAML itself refuses this document")  # pragma: no cover
    data, _ = read(path)
    assert data == expected
    assert [type(v) for v in _values(data)] == [type(v) for v in _values(expected)]


def _values(data: object) -> list[object]:
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in (k, *_values(v))]
    if isinstance(data, list):
        return [x for v in data for x in _values(v)]
    return [data]


def test_sample_catalog_reads_like_pyyaml() -> None:
    for path in sorted(SAMPLE.rglob("*.yml")):
        _same_as_pyyaml(path)


def test_synthetic_catalog_reads_like_pyyaml(tmp_path: Path) -> None:
    import io

    run_synth(tmp_path / "c", items=150, bundles=4, seed=3, stdout=io.StringIO())
    paths = sorted((tmp_path / "c").rglob("*.yml"))
    assert len(paths) > 150
    for path in paths:
        _same_as_pyyaml(path)


def test_merge_keys_are_refused_on_both_paths(tmp_path: Path) -> None:
    # The strict loader has no constructor for merge keys (<<), with or without aliases.
    for text in ("item:\n  <<: {y: 2}\n  z: 3\n", "b: &b {y: 2}\nitem:\n  <<: *b\n  z: 3\n"):
        path = tmp_path / "doc.yml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(YamlProblem) as caught:
            read(path)
        assert (
            caught.value.message == "目录文件不支持 YAML 合并键（<<）。请把要复用的字段直接写出来。"
        )


def test_repeated_key_still_reported_by_the_general_path(tmp_path: Path) -> None:
    path = tmp_path / "doc.yml"
    path.write_text("name: 甲\nmaterials:\n  - {name: 乙, name: 丙}\n", encoding="utf-8")
    data, duplicates = read(path)
    assert data == {"name": "甲", "materials": [{"name": "丙"}]}
    assert [(d.line, d.column) for d in duplicates] == [(3, 15)]
