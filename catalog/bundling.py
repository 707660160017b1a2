"""What a bundle means for the applicant: merged situations, materials, form and savings.

All of it is computed from the sub-items, so a bundle's figures can never drift from its items.
"""

from __future__ import annotations

from dataclasses import dataclass

from .bundle import Bundle
from .catalog import Catalog
from .item import FormField, Item, Material, Situation
from .materials import MaterialDictionary, normalized


@dataclass(frozen=True)
class MergedMaterial:
    """A material brought once for the whole bundle, and the sub-items that need it."""

    material: Material
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class MergedField:
    """A form field asked once for the whole bundle, and the sub-items it fills."""

    field: FormField
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    """One figure before (items done one by one) and after (done as a bundle)."""

    before: int
    after: int

    @property
    def saved(self) -> int:
        return self.before - self.after

    @property
    def percent(self) -> int:
        """Reduction in percent, rounded down; 0 when there was nothing before."""
        return (self.saved * 100) // self.before if self.before else 0


@dataclass(frozen=True)
class Savings:
    """减环节 / 减材料 / 减时限 / 减跑动 and departments, before → after."""

    steps: Change
    materials: Change
    days: Change
    trips: Change
    departments: Change


def sub_items(catalog: Catalog, bundle: Bundle) -> list[Item]:
    """The bundle's items, in the bundle's order."""
    return [catalog.items[s.item] for s in bundle.sub_items]


def material_key(material: Material, names: MaterialDictionary | None = None) -> str:
    """Materials with the same name (ignoring spaces), or names the material dictionary
    lists as one material, are one material in a bundle."""
    return (names or NO_NAMES).key(material.name)


NO_NAMES = MaterialDictionary()


def merged_situations(catalog: Catalog, bundle: Bundle) -> list[Situation]:
    """The bundle's own situations, then each sub-item's, each id once."""
    seen: dict[str, Situation] = {s.id: s for s in bundle.situations}
    for item in sub_items(catalog, bundle):
        for situation in item.situations:
            seen.setdefault(situation.id, situation)
    return list(seen.values())


def merged_materials(catalog: Catalog, bundle: Bundle) -> list[MergedMaterial]:
    """Each material once, with the sub-items that need it; the first sub-item's wording wins,
    except that materials merged under different names show the dictionary's canonical name."""
    found: dict[str, tuple[Material, list[str]]] = {}
    for item in sub_items(catalog, bundle):
        for material in item.materials:
            key = material_key(material, catalog.materials)
            if key not in found:
                found[key] = (material, [item.id])
                continue
            first, ids = found[key]
            if item.id not in ids:
                ids.append(item.id)
            if normalized(first.name) != normalized(material.name):
                canonical = catalog.materials.canonical.get(normalized(material.name), first.name)
                found[key] = (first.model_copy(update={"name": canonical}), ids)
    return [MergedMaterial(m, tuple(ids)) for m, ids in found.values()]


def merged_fields(catalog: Catalog, bundle: Bundle) -> list[MergedField]:
    """The one form: sub-items' fields de-duplicated by key, then the bundle's own additions."""
    found: dict[str, tuple[FormField, list[str]]] = {}
    for item in sub_items(catalog, bundle):
        for form_field in item.form_fields:
            if form_field.key in found:
                found[form_field.key][1].append(item.id)
            else:
                found[form_field.key] = (form_field, [item.id])
    for form_field in bundle.extra_fields:
        found.setdefault(form_field.key, (form_field, []))
    return [MergedField(f, tuple(ids)) for f, ids in found.values()]


def savings(catalog: Catalog, bundle: Bundle) -> Savings:
    """Before: the sub-items done one by one. After: one form, one window, in parallel."""
    items = sub_items(catalog, bundle)
    departments_before = {i.department for i in items}
    return Savings(
        steps=Change(sum(len(i.process) for i in items), len(bundle.process)),
        materials=Change(
            sum(len(i.materials) for i in items), len(merged_materials(catalog, bundle))
        ),
        days=Change(
            sum(i.time_limit.promised_days for i in items),
            max(i.time_limit.promised_days for i in items),
        ),
        trips=Change(sum(i.visits for i in items), max(i.visits for i in items)),
        departments=Change(len(departments_before), 1),
    )


def applies(when: dict[str, list[str]] | None, answers: dict[str, str]) -> bool:
    """True when a ``when`` condition holds for the applicant's answers.

    An unanswered situation does not exclude anything: until the applicant answers, the
    full list is shown.
    """
    if not when:
        return True
    return all(answers.get(sid) is None or answers[sid] in options for sid, options in when.items())
