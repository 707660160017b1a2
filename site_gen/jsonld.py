"""schema.org ``GovernmentService`` structured data for item pages."""

from __future__ import annotations

import json

from catalog import Item

from .site import Site


def government_service(site: Site, item: Item) -> str:
    """A ``<script type="application/ld+json">`` block describing the item."""
    catalog = site.catalog
    department = catalog.departments[item.department]
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": item.name,
        "identifier": item.implementation_code,
        "serviceType": item.type.value,
        "provider": {
            "@type": "GovernmentOrganization",
            "name": department.name,
            "telephone": department.phone,
        },
        "areaServed": {"@type": "AdministrativeArea", "name": catalog.settings.district},
        "audience": [{"@type": "Audience", "audienceType": a.value} for a in item.service_object],
    }
    if item.aliases:
        data["alternateName"] = item.aliases
    if item.summary:
        data["description"] = item.summary
    if item.result:
        data["produces"] = {"@type": "Thing", "name": item.result.name}
    window = catalog.window_of(item)
    if window is not None:
        hall = catalog.hall_of(window)
        data["availableChannel"] = {
            "@type": "ServiceChannel",
            "name": window.name,
            "serviceLocation": {"@type": "Place", "name": hall.name, "address": hall.address},
            "servicePhone": {
                "@type": "ContactPoint",
                "telephone": catalog.consult_phone(item),
            },
        }
    if catalog.settings.site_url:
        data["url"] = f"{str(catalog.settings.site_url).rstrip('/')}/items/{item.id}/"
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/ld+json">{payload}</script>'
