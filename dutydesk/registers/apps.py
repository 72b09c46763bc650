from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _uses_registers(user: Any) -> bool:
    from dutydesk.registers.selectors import uses_registers
    return uses_registers(user)


class RegistersConfig(AppConfig):
    name = "dutydesk.registers"
    label = "registers"
    verbose_name = _("Registers")
    # shown to the holders of a post that writes or reads a register of the catalogue
    nav_items = [(_("Registers"), "registers:index", _uses_registers)]
    # registers with a ``portal`` (notices, 公告): what residents see
    portal_items = [(_("Notices"), "registers:portal-notices")]
    resident_nav_items = [(_("Notices"), "registers:portal-notices", None)]
