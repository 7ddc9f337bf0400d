"""Loads the BMA structure (directory/bma_data.py) into the directory. Safe to run again:
rows are matched by their stable key and updated in place, never duplicated."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.dispatch import Signal

from documents.thai import to_thai_digits

from . import bma_data as data
from .models import Position, RecipientGroup, Unit, UnitKind

directory_loaded = Signal()  # sent with report=LoadReport after each load, inside its transaction


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    groups: dict[str, int] = field(default_factory=dict)


class _Loader:
    def __init__(self) -> None:
        self.report = LoadReport()
        self.order = 0
        self.group_members: dict[str, list[Position]] = {key: [] for key, _ in data.RECIPIENT_GROUPS}

    def _next(self) -> int:
        self.order += 10
        return self.order

    def unit(self, key: str, name: str, kind: str, parent: Unit | None, short: str = "", **extra: str) -> Unit:
        defaults = {"name": name, "short_name": short, "kind": kind, "parent": parent, "sort_order": self._next()}
        # doc_code, phone and mailbox are set once and then belong to the administrators:
        # reloading must not wipe a code someone has since filled in.
        obj, created = Unit.objects.get_or_create(key=key, defaults={**defaults, **extra})
        if created:
            self.report.created += 1
        else:
            changed = False
            for attr, value in defaults.items():
                if getattr(obj, attr) != value:
                    setattr(obj, attr, value)
                    changed = True
            if changed:
                obj.save()
                self.report.updated += 1
        return obj

    def position(
        self, key: str, title: str, unit: Unit, *, group: str | None = None, receiving: Unit | None = None
    ) -> Position:
        defaults = {"title": title, "unit": unit, "receiving_unit": receiving, "sort_order": self._next()}
        obj, created = Position.objects.update_or_create(key=key, defaults=defaults)
        self.report.created += int(created)
        if group:
            self.group_members[group].append(obj)
        return obj

    def groups(self) -> None:
        for order, (key, name) in enumerate(data.RECIPIENT_GROUPS):
            group, _ = RecipientGroup.objects.update_or_create(key=key, defaults={"name": name, "sort_order": order})
            group.positions.set(self.group_members[key])
            self.report.groups[name] = len(self.group_members[key])


@transaction.atomic
def load_bma_directory() -> LoadReport:
    ld = _Loader()
    bma = ld.unit("bma", "กรุงเทพมหานคร", UnitKind.ORGANISATION, None, "กทม.")
    ops = ld.unit("ops", "สำนักปลัดกรุงเทพมหานคร", UnitKind.DEPARTMENT, bma, "สป.")
    kinds = {"ops-secretariat": UnitKind.SECRETARIAT, "ops-hrd": UnitKind.INSTITUTE}
    ops_units = {
        key: ld.unit(key, name, kinds.get(key, UnitKind.OFFICE), ops, short) for key, name, short in data.OPS_UNITS
    }
    secretariat = ops_units["ops-secretariat"]

    ld.position("permanent-secretary", "ปลัดกรุงเทพมหานคร", ops, receiving=secretariat)
    for i in range(1, data.DEPUTY_COUNT + 1):
        office = ld.unit(
            f"deputy-{i}-office",
            f"สำนักงานรองปลัดกรุงเทพมหานคร {to_thai_digits(i)}",
            UnitKind.EXECUTIVE,
            ops,
            f"รป.กทม. {to_thai_digits(i)}",
        )
        ld.position(f"deputy-{i}", "รองปลัดกรุงเทพมหานคร", office, group="deputy-permanent-secretaries")
    for i in range(1, data.ASSISTANT_COUNT + 1):
        office = ld.unit(
            f"assistant-{i}-office",
            f"สำนักงานผู้ช่วยปลัดกรุงเทพมหานคร {to_thai_digits(i)}",
            UnitKind.EXECUTIVE,
            ops,
            f"ผช.ปกท. {to_thai_digits(i)}",
        )
        ld.position(f"assistant-{i}", "ผู้ช่วยปลัดกรุงเทพมหานคร", office, group="assistant-permanent-secretaries")

    for key, name, _short in data.OPS_UNITS:
        unit = ops_units[key]
        title = f"หัวหน้า{name}" if key == "ops-secretariat" else f"ผู้อำนวยการ{name}"
        ld.position(f"{key}-head", title, unit, group="ops-unit-heads")

    institute = ops_units["ops-hrd"]
    if institute.doc_code == "":
        institute.doc_code = data.INSTITUTE_DOC_CODE
        institute.phone = data.INSTITUTE_PHONE
        institute.mailbox = data.INSTITUTE_MAILBOX
        institute.save(update_fields=["doc_code", "phone", "mailbox"])
    for key, name, short in data.HRD_DIVISIONS:
        division = ld.unit(key, name, UnitKind.DIVISION, institute, short)
        ld.position(f"{key}-director", f"ผู้อำนวยการ{name}", division)

    for key, name, short in data.DEPARTMENTS:
        dept = ld.unit(key, name, UnitKind.DEPARTMENT, bma, short)
        ld.position(f"{key}-director", f"ผู้อำนวยการ{name}", dept, group="department-directors")

    for key, name, short, pos_key, title in data.NAMED_OFFICES:
        office = ld.unit(key, name, UnitKind.OFFICE if key != "commerce" else UnitKind.ENTERPRISE, bma, short)
        ld.position(pos_key, title, office, group=pos_key)

    for number, district in enumerate(data.DISTRICTS, start=1):
        unit = ld.unit(f"district-{number:02d}", f"สำนักงานเขต{district}", UnitKind.DISTRICT, bma, f"เขต{district}")
        ld.position(f"district-{number:02d}-director", f"ผู้อำนวยการเขต{district}", unit, group="district-directors")

    ld.groups()
    # Apps above the directory add what they keep per unit (memos: the usual routes).
    directory_loaded.send(sender=LoadReport, report=ld.report)
    return ld.report
