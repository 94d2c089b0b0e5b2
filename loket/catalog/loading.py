"""Loads the service catalog the project owns (data/services.json) into the database."""

import json
from pathlib import Path

DATA = Path(__file__).parent / "data" / "services.json"


def catalog_entries() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def load_services(Service=None) -> int:  # noqa: N803 (a model class, from a migration too)
    """Creates or updates every service of the catalog; returns how many there are."""
    if Service is None:
        from loket.catalog.models import Service
    entries = catalog_entries()
    # an older migration's historical model has no `document_kinds` yet
    has_kinds = any(f.name == "document_kinds" for f in Service._meta.get_fields())
    for entry in entries:
        kinds = {"document_kinds": entry.get("document_kinds", [])} if has_kinds else {}
        Service.objects.update_or_create(
            code=entry["code"],
            defaults={
                **kinds,
                "name": entry["name_id"],
                "name_en": entry["name_en"],
                "short_name": entry["short_name"],
                "group": entry["group"],
                "position": entry["position"],
                "requirements": entry["requirements"],
                "output": entry["output"] or "",
                "needs_presence": entry["needs_presence"],
                "sla_hours": entry["sla_days"] * 24 if entry["sla_days"] else None,
                "reporting_deadline_days": entry["reporting_deadline_days"],
                "legal_basis": entry["legal_basis"] or "",
            },
        )
    return len(entries)
