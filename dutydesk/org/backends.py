"""Django admin for managers: a holder of a post granting ``org.manage`` gets the Django model
permissions the admin asks for, except those listed in ``ADMIN_DENIED`` (money records are
never edited or deleted, only reversed through their own services)."""
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model

from dutydesk.org import access

# "app_label.codename" patterns no admin may have; apps add to this list.
ADMIN_DENIED = {"billing.change_payment", "billing.delete_payment", "billing.delete_receipt",
                "billing.change_receipt", "billing.delete_bill", "billing.delete_billline", "billing.change_billline"}


class PostPermissionBackend(BaseBackend):
    def has_perm(self, user_obj: User | AnonymousUser, perm: str, obj: Model | None = None) -> bool:
        if not user_obj.is_active or perm in ADMIN_DENIED:
            return False
        return access.has_perm(user_obj, "org.manage")

    def has_module_perms(self, user_obj: User | AnonymousUser, app_label: str) -> bool:
        return user_obj.is_active and access.has_perm(user_obj, "org.manage")
