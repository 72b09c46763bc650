"""Admin: configuration is editable; money records (bills, lines, payments, receipts,
reversals) are read-only — payments are corrected only by a reversal with a reason."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dutydesk.billing.models import (Bill, BillingPolicy, BillLine, BillRun, ChargeItem, ChargeTier, LateFee,
                                     MeterReading, Payment, PaymentReversal, Receipt, UnitCharge)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChargeTierInline(admin.TabularInline):
    model = ChargeTier
    extra = 0


@admin.register(ChargeItem)
class ChargeItemAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "project", "kind", "basis", "unit_price", "active"]
    list_filter = ["project", "basis", "active"]
    inlines = [ChargeTierInline]


@admin.register(UnitCharge)
class UnitChargeAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "item", "start", "end", "quantity", "unit_price", "vacant_discount_percent"]
    raw_id_fields = ["unit"]


@admin.register(BillingPolicy)
class BillingPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["project", "due_day", "late_fee_enabled", "late_fee_daily_rate", "late_fee_grace_days",
                    "late_fee_cap_percent"]


@admin.register(MeterReading)
class MeterReadingAdmin(ReadOnlyAdmin):
    list_display = ["unit", "item", "period", "reading", "usage", "flagged"]


class BillLineInline(admin.TabularInline):
    model = BillLine
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Bill)
class BillAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period", "amount", "paid", "status", "due_date"]
    list_filter = ["project", "period", "status"]
    inlines = [BillLineInline]


@admin.register(BillRun)
class BillRunAdmin(ReadOnlyAdmin):
    list_display = ["project", "period", "bills_created", "total", "created_at", "seconds"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["unit", "amount", "method", "received_by", "received_at"]
    list_filter = ["project", "method"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["project", "number", "payment", "issued_at"]


@admin.register(PaymentReversal)
class PaymentReversalAdmin(ReadOnlyAdmin):
    list_display = ["payment", "reason", "reversed_by", "reversed_at"]


@admin.register(LateFee)
class LateFeeAdmin(ReadOnlyAdmin):
    list_display = ["bill", "amount", "days", "status", "as_of"]
