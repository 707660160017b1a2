"""schema.org ``GovernmentService`` structured data for item and bundle pages.

Uses the current schema.org vocabulary: ``serviceOutput`` (not the superseded ``produces``),
``hoursAvailable`` on the service channel, ``areaServed`` and, when the catalog knows the
site's address (``settings.site_url``), the page's absolute ``url``.
"""

from __future__ import annotations

import json

from catalog import Bundle, Item, Period, Window

from .site import Site

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
WEEKEND = ["Saturday", "Sunday"]


def government_service(site: Site, item: Item) -> str:
    """A ``<script type="application/ld+json">`` block describing the item."""
    catalog = site.catalog
    department = catalog.departments[item.department]
    data = _service(site, item.name, f"items/{item.id}/", item.summary)
    data["identifier"] = item.implementation_code
    data["serviceType"] = item.type.value
    data["provider"] = _organisation(department.name, department.phone)
    data["audience"] = [{"@type": "Audience", "audienceType": a.value} for a in item.service_object]
    if item.aliases:
        data["alternateName"] = item.aliases
    if item.result:
        data["serviceOutput"] = {"@type": "Thing", "name": item.result.name}
    window = catalog.window_of(item)
    if window is not None:
        data["availableChannel"] = _channel(site, window, catalog.consult_phone(item))
        data["hoursAvailable"] = _opening_hours(window)
    return _script(data)


def bundle_service(site: Site, bundle: Bundle) -> str:
    """The bundle as one service: provided by the lead department, one channel (its window),
    and each sub-item's result as an output."""
    catalog = site.catalog
    lead = catalog.departments[bundle.lead_department]
    data = _service(site, bundle.name, f"bundles/{bundle.id}/", bundle.summary)
    data["serviceType"] = "一件事一次办"
    data["provider"] = _organisation(lead.name, lead.phone)
    data["audience"] = {"@type": "Audience", "audienceType": bundle.audience.value}
    if bundle.aliases:
        data["alternateName"] = bundle.aliases
    names = [bundle.licence_name] if bundle.industry_licence and bundle.licence_name else []
    names += [
        item.result.name
        for item in (catalog.items[s.item] for s in bundle.sub_items)
        if item.result
    ]
    if names:
        data["serviceOutput"] = [{"@type": "Thing", "name": n} for n in dict.fromkeys(names)]
    window = catalog.windows[bundle.window]
    data["availableChannel"] = _channel(site, window, lead.phone)
    data["hoursAvailable"] = _opening_hours(window)
    return _script(data)


def _service(site: Site, name: str, path: str, description: str | None) -> dict[str, object]:
    settings = site.catalog.settings
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": name,
        "areaServed": {"@type": "AdministrativeArea", "name": settings.district},
    }
    if description:
        data["description"] = description
    if settings.site_url:
        data["url"] = f"{str(settings.site_url).rstrip('/')}/{path}"
    return data


def _organisation(name: str, phone: str) -> dict[str, object]:
    return {"@type": "GovernmentOrganization", "name": name, "telephone": phone}


def _channel(site: Site, window: Window, phone: str) -> dict[str, object]:
    hall = site.catalog.hall_of(window)
    return {
        "@type": "ServiceChannel",
        "name": window.name,
        "serviceLocation": {
            "@type": "Place",
            "name": f"{hall.name} {window.location}",
            "address": hall.address,
            "openingHoursSpecification": _opening_hours(window),
        },
        "servicePhone": {"@type": "ContactPoint", "telephone": phone},
    }


def _opening_hours(window: Window) -> list[dict[str, object]]:
    """Working-day and weekend (双休日不打烊) periods; holidays are not modelled here."""
    return _hours(WEEKDAYS, window.hours) + _hours(WEEKEND, window.weekend)


def _hours(days: list[str], periods: list[Period]) -> list[dict[str, object]]:
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": days,
            "opens": f"{p.start}:00",
            "closes": f"{p.end}:00",
        }
        for p in periods
    ]


def _script(data: dict[str, object]) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/ld+json">{payload}</script>'
