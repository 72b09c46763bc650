"""Demo data: the property-cs catalogue, one project with 2 buildings, 600 units, about 1,000
residents and one user per post. Deterministic and idempotent: running it twice changes nothing."""
import random
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from dutydesk.archive.models import Building, ParkingSpace, Project, Resident, Unit, Vehicle
from dutydesk.archive.validators import id_check_char
from dutydesk.org.catalog import import_catalog
from dutydesk.org.catalog_yaml import load_shipped
from dutydesk.org.models import Organisation, Post, PostHolding

PROJECT_CODE = "sunshine"
FLOORS, UNITS_PER_FLOOR = 30, 10
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红梅鑫宇晨浩然欣怡子涵梓轩雨桐思远佳琪嘉怡俊杰文博"
# user -> (post code, name, scope kwargs)
DEMO_USERS = {
    "manager": ("cs-manager", "周经理", {}),
    "supervisor": ("cs-supervisor", "吴主管", {}),
    "frontdesk": ("frontdesk-assistant", "林前台", {}),
    "butler": ("floor-butler", "陈管家", {"building": "A", "floor_from": 1, "floor_to": 15}),
    "archivist": ("archivist", "黄资料员", {}),
    "visitordesk": ("visitor-desk", "赵登记员", {}),
    "cardclerk": ("ic-card-clerk", "钱发卡员", {}),
    "engineer": ("repair-technician", "孙技工", {}),
    "clerk": ("cs-dept-clerk", "何文员", {}),  # keeps the supplies store (dutydesk/stock/demo.py) and gets its alerts
}
RESIDENT_USER_UNIT = ("A", "1201")


def _id_number(rng, born):
    first17 = f"440304{born:%Y%m%d}{rng.randint(100, 999)}"
    return first17 + id_check_char(first17)


def _mobile(rng):
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


@transaction.atomic
def base(stdout=None):
    """The demo's ground (catalogue, project, units, residents, users); the other apps' ``load`` add to it."""
    say = stdout.write if stdout else (lambda *_: None)
    organisation, _ = Organisation.objects.get_or_create(
        code="demo-org", defaults={"name": "深圳示例物业服务有限公司", "name_en": "Demo Property Services Ltd."})
    result = import_catalog(load_shipped("property-cs"), organisation=organisation)
    say(f"catalogue property-cs: {result.posts_created} posts created, {result.posts_updated} updated")
    project, _ = Project.objects.get_or_create(code=PROJECT_CODE, defaults={
        "organisation": organisation, "name": "阳光花园", "name_en": "Sunshine Garden",
        "address": "深圳市福田区示例路88号",
        "payment_instructions": "现金、微信、支付宝请到A座大堂客户服务中心缴纳；银行转账：招商银行 示例支行 账号 7559 0000 0000 0000，备注房号。",
    })
    buildings = {}
    for name in ("A", "B"):
        buildings[name], _ = Building.objects.get_or_create(project=project, name=name, defaults={"floors": FLOORS})
    if not Unit.objects.filter(project=project).exists():
        _load_units_and_residents(project, buildings)
    say(f"project {project.name}: {Unit.objects.filter(project=project).count()} units, "
        f"{Resident.objects.filter(unit__project=project).count()} residents")
    _load_users(project, buildings)
    say(f"demo users: {', '.join([*DEMO_USERS, 'resident'])}; password (demo only): {settings.DUTYDESK_DEMO_PASSWORD}")
    return project


def _load_units_and_residents(project, buildings):
    rng = random.Random(2026)
    units = []
    for name, building in buildings.items():
        for floor in range(1, FLOORS + 1):
            for index in range(1, UNITS_PER_FLOOR + 1):
                area = Decimal(rng.choice((68, 89, 96, 112, 128, 143))) + Decimal(rng.randint(0, 99)) / 100
                status = rng.choices(["occupied", "vacant", "renovating"], weights=[85, 11, 4])[0]
                units.append(Unit(project=project, building=building, floor=floor, number=f"{floor}{index:02d}",
                                  area_m2=area, status=status))
    bulk_create_with_history(units, Unit, batch_size=500)
    residents = []
    for unit in Unit.objects.filter(project=project).exclude(status="vacant").order_by("id"):
        moved_in = date(2018, 1, 1) + timedelta(days=rng.randint(0, 2800))
        surname_owner = _name(rng)
        residents.append(Resident(unit=unit, name=surname_owner, role="owner", phone=_mobile(rng),
                                  id_number=_id_number(rng, date(1960, 1, 1) + timedelta(days=rng.randint(0, 14000))),
                                  move_in_date=moved_in, emergency_contact=_name(rng), emergency_phone=_mobile(rng)))
        if rng.random() < 0.85:
            role = rng.choice(["family", "family", "tenant"])
            residents.append(Resident(unit=unit, name=_name(rng), role=role, phone=_mobile(rng), move_in_date=moved_in))
    bulk_create_with_history(residents, Resident, batch_size=500)
    spaces = [ParkingSpace(project=project, code=f"B1-{n:03d}", kind=rng.choice(["owned", "rented"])) for n in range(1, 121)]
    bulk_create_with_history(spaces, ParkingSpace, batch_size=500)
    occupied = list(Unit.objects.filter(project=project, status="occupied").order_by("id")[:100])
    provinces = "粤粤粤粤湘赣桂"
    vehicles = [Vehicle(unit=unit, plate=f"{rng.choice(provinces)}B{rng.randint(10000, 99999)}{n % 10}",
                        description=rng.choice(["白色轿车", "黑色SUV", "银色轿车", "蓝色新能源"]), parking_space=space)
                for n, (unit, space) in enumerate(zip(occupied, ParkingSpace.objects.filter(project=project).order_by("code")))]
    bulk_create_with_history(vehicles, Vehicle, batch_size=500)


def _load_users(project, buildings):
    User = get_user_model()
    password = settings.DUTYDESK_DEMO_PASSWORD
    for username, (post_code, full_name, scope) in DEMO_USERS.items():
        user, created = User.objects.get_or_create(username=username, defaults={
            "first_name": full_name, "email": f"{username}@example.com", "is_staff": username == "manager"})
        if created:
            user.set_password(password)
            user.save()
        post = Post.objects.get(code=post_code)
        building = buildings[scope["building"]] if "building" in scope else None
        PostHolding.objects.get_or_create(user=user, post=post, project=project, building=building,
                                          floor_from=scope.get("floor_from"), floor_to=scope.get("floor_to"))
    resident_user, created = User.objects.get_or_create(username="resident", defaults={"first_name": "业主示例",
                                                                                       "email": "resident@example.com"})
    if created:
        resident_user.set_password(password)
        resident_user.save()
    building, number = RESIDENT_USER_UNIT
    unit = Unit.objects.get(project=project, building=buildings[building], number=number)
    resident = unit.residents.filter(role="owner").first()
    if resident is None:
        resident = Resident.objects.create(unit=unit, name="业主示例", role="owner", phone="13800138000")
    if resident.user_id != resident_user.pk:
        resident.user = resident_user
        resident.save(update_fields=["user"])
    if unit.status != "occupied":
        unit.status = "occupied"
        unit.save(update_fields=["status"])


# ---- the supermarket demo (`dutydesk demo --org supermarket`, issue 12) --------------------------------------------

STORE_CODE = "demo-store"
# user -> (post code, name) of seed 000 篇1–5 (理货主管, 理货员, 仓管员)
STORE_USERS = {
    "sm-supervisor": ("sm-supervisor", "郑理货主管"),
    "sm-clerk": ("sm-stock-clerk", "何理货员"),
    "sm-keeper": ("sm-warehouse-keeper", "冯仓管员"),
}


@transaction.atomic
def base_supermarket(stdout=None):
    """A store of its own (a project without buildings) run from the supermarket catalogue, with one user per post;
    the other apps' ``load_supermarket`` add its stock and register entries. Idempotent."""
    say = stdout.write if stdout else (lambda *_: None)
    organisation, _ = Organisation.objects.get_or_create(
        code="demo-retail", defaults={"name": "示例连锁超市有限公司", "name_en": "Demo Supermarkets Ltd."})
    result = import_catalog(load_shipped("supermarket"), organisation=organisation)
    say(f"catalogue supermarket: {result.posts_created} posts created, {result.posts_updated} updated")
    project, _ = Project.objects.get_or_create(code=STORE_CODE, defaults={
        "organisation": organisation, "name": "示例超市福田店", "name_en": "Demo Supermarket, Futian",
        "address": "深圳市福田区示例路99号"})
    User = get_user_model()
    for username, (post_code, full_name) in STORE_USERS.items():
        user, created = User.objects.get_or_create(username=username, defaults={
            "first_name": full_name, "email": f"{username}@example.com"})
        if created:
            user.set_password(settings.DUTYDESK_DEMO_PASSWORD)
            user.save()
        PostHolding.objects.get_or_create(user=user, post=Post.objects.get(code=post_code), project=project)
    say(f"store {project.name}; demo users: {', '.join(STORE_USERS)}; password (demo only): "
        f"{settings.DUTYDESK_DEMO_PASSWORD}")
    return project
