"""The one form (一表申报) of an item or a bundle, built from the catalog and narrowed by the
applicant's answers to the situations (情形).

A bundle's form asks each field once for the sub-items that apply (a key, or fields the catalog
says are the same with ``same_as``, worded as the first applicable sub-item words it); uploads
are the ``file`` fields and the applicable materials the catalog marks electronic (电子 or
纸质或电子), each material once whichever sub-items need it; paper-only materials are listed to
bring to the window. Every submission fans out into one case per applicable item.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace

from catalog import Bundle, Catalog, FieldType, FormField, Item, Material, Medium, Situation
from catalog.bundling import applies, material_key, merged_fields, merged_materials

CONTACT_PHONE = FormField(
    key="contact-phone",
    label="联系手机号",
    type=FieldType.PHONE,
    help="用于查询办理进度和接收通知。",
)
"""Added when the catalog's form has no phone field: status lookup needs the last 4 digits."""


@dataclass(frozen=True)
class Upload:
    """One file the applicant may or must upload."""

    key: str
    label: str
    required: bool
    hint: str | None = None
    items: tuple[str, ...] = ()
    """The applicable items that need this file: only their departments may download it."""


@dataclass(frozen=True)
class PaperMaterial:
    """A material that cannot be uploaded: the applicant brings it to the window."""

    name: str
    hint: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class FormSpec:
    """Everything the form page, the validation and the fan-out need."""

    target_id: str
    target_kind: str
    """``item`` or ``bundle``."""
    name: str
    window: str | None
    situations: tuple[Situation, ...]
    answers: Mapping[str, str]
    items: tuple[Item, ...]
    """The items that apply: one case each."""
    fields: tuple[FormField, ...]
    uploads: tuple[Upload, ...]
    paper: tuple[PaperMaterial, ...]
    """Applicable paper-only materials (纸质, not 免提交), each once."""
    phone_key: str
    """The phone field whose last 4 digits unlock the status page."""

    @property
    def field_keys(self) -> set[str]:
        return {f.key for f in self.fields}

    @property
    def upload_keys(self) -> set[str]:
        return {u.key for u in self.uploads}


def find_target(catalog: Catalog, target_id: str) -> Item | Bundle | None:
    """The published bundle or online-appliable item with this id."""
    bundle = catalog.bundles.get(target_id)
    if bundle is not None:
        return bundle if bundle.published and merged_fields(catalog, bundle) else None
    item = catalog.items.get(target_id)
    if item is not None and item.published and item.online_apply:
        return item
    return None


def situations_of(catalog: Catalog, target: Item | Bundle) -> list[Situation]:
    if isinstance(target, Bundle):
        from catalog.bundling import merged_situations

        return merged_situations(catalog, target)
    return list(target.situations)


@dataclass(frozen=True)
class Questions:
    """Where the applicant is in the situations questionnaire."""

    ask: tuple[Situation, ...]
    """The situations that matter now (answered or not), in order."""
    answers: Mapping[str, str]
    """The valid answers to those situations (answers to questions that no longer matter are
    dropped)."""
    invalid: Mapping[str, str]
    """Situation id → message: unknown situations, options that are not offered."""
    missing: Mapping[str, str]
    """Situation id → "请回答：…" for the situations that matter and are not answered yet."""

    @property
    def complete(self) -> bool:
        return not self.invalid and not self.missing


def relevant_situations(
    catalog: Catalog, target: Item | Bundle, answers: Mapping[str, str]
) -> list[Situation]:
    """The questions to ask: a bundle's own situations first (they decide which sub-items
    apply), then the situations of the sub-items that apply; an item's own situations."""
    if not isinstance(target, Bundle):
        return list(target.situations)
    own = list(target.situations)
    if any(not answers.get(s.id) for s in own):
        return own
    chosen = {s.id: s for s in own}
    for sub in target.sub_items:
        if applies(sub.when, dict(answers)):
            for situation in catalog.items[sub.item].situations:
                chosen.setdefault(situation.id, situation)
    return list(chosen.values())


def questions(catalog: Catalog, target: Item | Bundle, raw: Mapping[str, str]) -> Questions:
    known = {s.id: s for s in situations_of(catalog, target)}
    invalid: dict[str, str] = {}
    valid: dict[str, str] = {}
    for sid, value in raw.items():
        situation = known.get(sid)
        if situation is None:
            names = "、".join(known) or "（本事项没有情形问题）"
            invalid[str(sid)[:80]] = f"没有情形“{str(sid)[:80]}”。可回答的情形有：{names}。"
        elif value in (None, ""):
            continue
        elif value not in {o.id for o in situation.options}:
            labels = "、".join(f"{o.id}（{o.label}）" for o in situation.options)
            invalid[sid] = (
                f"“{situation.question}”的回答“{str(value)[:40]}”不是可选项。请从 {labels} 中选择。"
            )
        else:
            valid[sid] = value
    ask = relevant_situations(catalog, target, valid)
    return Questions(
        ask=tuple(ask),
        answers={s.id: valid[s.id] for s in ask if s.id in valid},
        invalid=invalid,
        missing={s.id: f"请回答：{s.question}" for s in ask if s.id not in valid},
    )


def upload_key(name: str) -> str:
    """A stable key for a material: ``material-`` and 8 hex digits of its normalised name."""
    digest = hashlib.sha256("".join(name.split()).encode()).hexdigest()[:8]
    return f"material-{digest}"


def _bundle_fields(
    catalog: Catalog, bundle: Bundle, items: tuple[Item, ...]
) -> list[tuple[FormField, tuple[str, ...]]]:
    """The fields of the applicable sub-items, each asked once with the sub-items it fills: one
    key (or one ``same_as`` group) is worded as the first applicable sub-item words it; then the
    bundle's own additions, for every applicable sub-item."""
    found: dict[str, tuple[FormField, list[str]]] = {}
    for item in items:
        for form_field in item.form_fields:
            group = form_field.same_as or form_field.key
            if group in found:
                found[group][1].append(item.id)
            else:
                found[group] = (form_field, [item.id])
    chosen = [(f, tuple(ids)) for f, ids in found.values()]
    keys = {f.key for f, _ in chosen}
    everyone = tuple(i.id for i in items)
    chosen.extend((f, everyone) for f in bundle.extra_fields if f.key not in keys | found.keys())
    return chosen


def _sentence(text: str | None) -> str:
    """Catalog notes as a sentence that the next one can follow without a space."""
    if not text:
        return ""
    return text if text.endswith(("。", "！", "？", "；")) else f"{text}。"


def _upload_hint(material: Material, must: bool) -> str:
    """The hint under the file input of an electronic material (``must``: it is required)."""
    if must:
        hint = "必须上传电子版。"
    elif material.medium is Medium.EITHER:
        hint = "可上传电子版；不上传的，请在办理时提交纸质材料。"
    else:
        hint = "视情况提供：需要时请上传电子版。"
    return _sentence(material.notes) + hint


def _paper_hint(material: Material) -> str:
    needed = "" if material.required else "视情况提供。"
    return (
        f"{needed}纸质材料，不能网上上传，请带到窗口（{material.form.value} {material.copies} 份）。"
        + _sentence(material.notes)
    )


def build(catalog: Catalog, target: Item | Bundle, answers: Mapping[str, str]) -> FormSpec:
    """The form for ``target`` under valid ``answers`` (see ``answer_problems``)."""
    if isinstance(target, Bundle):
        items = tuple(
            catalog.items[s.item] for s in target.sub_items if applies(s.when, dict(answers))
        )
        wanted = {i.id for i in items}
        merged = _bundle_fields(catalog, target, items)
        materials = [
            (m.material, tuple(i for i in m.item_ids if i in wanted))
            for m in merged_materials(catalog, target)
            if wanted & set(m.item_ids) and applies(m.material.when, dict(answers))
        ]
        kind, window = "bundle", target.window
    else:
        items = (target,)
        merged = [(f, (target.id,)) for f in target.form_fields]
        materials = [(m, (target.id,)) for m in target.materials if applies(m.when, dict(answers))]
        kind, window = "item", target.window
    fields = [f for f, _ in merged if f.type is not FieldType.FILE]
    uploads = [
        Upload(f.key, f.label, f.required, f.help, ids)
        for f, ids in merged
        if f.type is FieldType.FILE
    ]
    names = catalog.materials
    seen = {names.key(u.label): at for at, u in enumerate(uploads)}  # a file field is a material
    paper: list[PaperMaterial] = []
    for material, ids in materials:
        if material.exempt:
            continue
        at = seen.get(material_key(material, names))
        if material.medium is Medium.PAPER:
            if at is None:
                paper.append(PaperMaterial(material.name, _paper_hint(material), ids))
            else:  # a file field asks for it too: one entry, the upload, saying both
                first = uploads[at]
                brought = f"纸质材料（{material.form.value} {material.copies} 份）也请带到窗口。"
                uploads[at] = replace(
                    first,
                    hint=_sentence(first.hint) + _sentence(material.notes) + brought,
                    items=tuple(dict.fromkeys(first.items + ids)),
                )
            continue
        must = material.required and material.medium is Medium.ELECTRONIC
        if at is not None:  # the same material for more items, or a file field: one upload
            first = uploads[at]
            must = must or first.required
            uploads[at] = replace(
                first,
                required=must,
                hint=first.hint or _upload_hint(material, must),
                items=tuple(dict.fromkeys(first.items + ids)),
            )
            continue
        seen[material_key(material, names)] = len(uploads)
        uploads.append(
            Upload(
                upload_key(material.name), material.name, must, _upload_hint(material, must), ids
            )
        )
    phone = next((f for f in fields if f.type is FieldType.PHONE), None)
    if phone is None:
        phone = CONTACT_PHONE
        fields.append(phone)
    return FormSpec(
        target_id=target.id,
        target_kind=kind,
        name=target.name,
        window=window,
        situations=tuple(relevant_situations(catalog, target, answers)),
        answers=dict(answers),
        items=items,
        fields=tuple(fields),
        uploads=tuple(uploads),
        paper=tuple(paper),
        phone_key=phone.key,
    )
