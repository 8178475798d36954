"""A case leaving or entering the school (area ``transfer``): an export in any format and an
import of another school's transfer file. The use cases are ``exporting.py`` and
``importing.py``; these are the service's doors to them."""

from __future__ import annotations

from .base import ServiceBase


class Transfer(ServiceBase):
    """Export, its precheck, and import."""

    def export(self, case_id: str, format_name: str, *, school: str | None = None,
               formats: dict | None = None, basis: str = "", basis_reason: str = ""):
        """Render ``case_id`` with a plugin's export format; the export itself is journalled
        (``case_exported``) in the same transaction, so there is no export without a record
        (``service_layer/exporting.py``)."""
        from .exporting import export_case

        return export_case(self, case_id, format_name, school=school, formats=formats,
                           basis=basis, basis_reason=basis_reason)

    def precheck_export(self, case_id: str, format_name: str, formats: dict | None = None) -> None:
        """Refuse an export before anyone is asked to confirm it (``service_layer/exporting.py``)."""
        from .exporting import precheck

        precheck(self, case_id, format_name, formats)

    def import_case(self, data: bytes | str, *, expect_head: str | None = None, config=None):
        """Take in a case exported as ``toml`` by another school (checked, all or nothing);
        ``expect_head`` is the sending school's control value (``service_layer/importing.py``)."""
        from .importing import import_case

        return import_case(self, data, expect_head=expect_head, config=config)


__all__ = ["Transfer"]
