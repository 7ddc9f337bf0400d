"""Route templates that come with the BMA directory: filled in after each directory load."""

from __future__ import annotations

from typing import Any

from directory.models import Position, Unit

from .models import RouteTemplate, RouteTemplateStep


def institute_route_template(**_signal: Any) -> None:
    """The institute's usual route: the supervising deputy, then the Permanent Secretary."""
    institute = Unit.objects.get(key="ops-hrd")
    template, created = RouteTemplate.objects.get_or_create(
        unit=institute, name="รองปลัดกรุงเทพมหานคร ผู้กำกับ → ปลัดกรุงเทพมหานคร", defaults={"is_default": True}
    )
    if created:
        for order, key in enumerate(["deputy-1", "permanent-secretary"]):
            RouteTemplateStep.objects.create(template=template, order=order, position=Position.objects.get(key=key))
