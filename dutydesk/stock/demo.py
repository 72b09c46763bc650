"""Demo supplies store of the property project (seeds/000_d44081c6db2527f0.txt:509 文员: 物资登记和领用; :519 清洁监管员:
清洁易耗品的申购、验收、入库、领用): a few consumables received, inspected (one batch rejected, one still pending),
issued first in, first out, and counted. Written by the department's clerk (文员, ``clerk``), whose post keeps the store
(stock.manage) and so gets its safety-stock alert: the A4 paper is left below its safety stock. Idempotent."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from dutydesk.core import clock
from dutydesk.stock import services
from dutydesk.stock.models import Item

# code, name, unit, bin, safety stock, shelf life (days)
SUPPLIES = [
    ("QJ01", "垃圾袋（大）", "卷", "耗材-01", "20", None),
    ("QJ02", "洗手液", "瓶", "耗材-02", "12", 730),
    ("BG01", "A4复印纸", "箱", "办公-01", "3", None),
    ("WX01", "节能灯管", "支", "维修-01", "10", None),
]


@transaction.atomic
def load(project, stdout=None):
    say = stdout.write if stdout else (lambda *_: None)
    if Item.objects.filter(project=project).exists():
        return
    clerk = get_user_model().objects.filter(username="clerk").first()
    if clerk is None:
        say("stock demo: demo users missing, skipped")
        return
    today = clock.today()
    items = {code: services.item_save(project=project, code=code, name=name, unit=unit, bin=bin_, safety_stock=safety,
                                      shelf_life_days=shelf_life)
             for code, name, unit, bin_, safety, shelf_life in SUPPLIES}

    def received(code, quantity, result="passed", **kwargs):
        produced = today - timedelta(days=30) if items[code].shelf_life_days else None
        receipt = services.receipt_record(project=project, item=items[code], quantity=quantity, received_by=clerk,
                                          produced_on=produced, **kwargs)
        if result:
            services.receipt_inspect(receipt=receipt, result=result, inspected_by=clerk,
                                     note="" if result == "passed" else "包装破损，退回供应商")
        return receipt

    received("QJ01", "40", supplier="深圳示例清洁用品有限公司")
    received("QJ01", "30", supplier="深圳示例清洁用品有限公司")
    received("QJ02", "24", supplier="深圳示例清洁用品有限公司")
    received("QJ02", "6", result="rejected", supplier="深圳示例清洁用品有限公司")
    received("BG01", "5", supplier="示例办公用品商行")
    received("WX01", "20", result=None, supplier="示例五金电料行")
    services.issue_record(project=project, item=items["QJ01"], quantity="45", to="保洁班组", issued_by=clerk)
    services.issue_record(project=project, item=items["BG01"], quantity="3", to="客服中心前台", issued_by=clerk)
    services.count_record(project=project, item=items["QJ02"], counted="23", counted_by=clerk, note="一瓶破损")
    say(f"stock: {len(items)} supplies in the store")


# ---- the store of `dutydesk demo --org supermarket` (issue 12) ---------------------------------------------------

# code, name, unit, bin, safety stock, shelf life (days) — seed 000 篇1–5: fixed bins (固定货位), fresh goods with short
# shelf lives (袋奶 15 days, 利乐枕 25 days: the freshness rule of PRODUCT.md), dry goods
STORE_ITEMS = [
    ("NN01", "袋装鲜牛奶 200ml", "袋", "冷柜-A1", "60", 15),
    ("NN02", "利乐枕纯牛奶 250ml", "包", "常温-B2", "48", 25),
    ("MF01", "挂面 1kg", "袋", "干货-C1", "30", 365),
    ("YL01", "瓶装饮用水 550ml", "瓶", "饮料-D1", "120", 365),
    ("RH01", "洗衣液 2kg", "瓶", "日化-E3", "12", None),
]


@transaction.atomic
def load_supermarket(project, stdout=None):
    """The store's stock: received over the last weeks by the keeper (sm-keeper), inspected (one batch rejected, one
    expired batch that is never issued, one still pending), issued FIFO to the sales floor and counted. Idempotent."""
    say = stdout.write if stdout else (lambda *_: None)
    if Item.objects.filter(project=project).exists():
        return
    keeper = get_user_model().objects.filter(username="sm-keeper").first()
    if keeper is None:
        say("stock demo: the store's keeper (sm-keeper) is missing, skipped")
        return
    today = clock.today()
    items = {code: services.item_save(project=project, code=code, name=name, unit=unit, bin=bin_, safety_stock=safety,
                                      shelf_life_days=shelf_life)
             for code, name, unit, bin_, safety, shelf_life in STORE_ITEMS}

    def received(code, quantity, *, days_ago, result="passed", **kwargs):
        shelf_life = items[code].shelf_life_days
        produced = today - timedelta(days=days_ago + 1) if shelf_life else None
        receipt = services.receipt_record(project=project, item=items[code], quantity=quantity, received_by=keeper,
                                          produced_on=produced, supplier="示例食品供应链有限公司", **kwargs)
        if result:
            services.receipt_inspect(receipt=receipt, result=result, inspected_by=keeper,
                                     note="" if result == "passed" else "外包装破损、温度超标，拒收")
        return receipt

    received("NN01", "80", days_ago=16)  # past its 15 days: flagged expired, never issued
    received("NN01", "120", days_ago=3)
    received("NN01", "40", days_ago=1, result="rejected")
    received("NN02", "96", days_ago=10)
    received("NN02", "48", days_ago=2)
    received("MF01", "60", days_ago=20)
    received("YL01", "240", days_ago=12)
    received("YL01", "120", days_ago=0, result=None)  # arrived today, waiting in 待检区
    received("RH01", "24", days_ago=8)
    services.expired_flag(project=project, today=today)
    for code, quantity in [("NN01", "90"), ("NN02", "110"), ("MF01", "35"), ("YL01", "150"), ("RH01", "15")]:
        services.issue_record(project=project, item=items[code], quantity=quantity, to="卖场", issued_by=keeper)
    services.count_record(project=project, item=items["MF01"], counted="25", counted_by=keeper)
    services.count_record(project=project, item=items["RH01"], counted="9", counted_by=keeper, note="两瓶破损")
    for item in items.values():
        services.safety_check(item=item, today=today)
    say(f"stock: {len(items)} items in {project.name}")
