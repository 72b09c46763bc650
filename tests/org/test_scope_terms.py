"""The scope rule's conditions stay one term per kind of holding, however many holdings: a group's manager holds
their post in many projects, a floor butler theirs on many ranges. Same units covered, fewer terms to build."""
from dutydesk.archive.models import Unit
from dutydesk.inbox.models import Task
from dutydesk.inbox.selectors import tasks_for_me
from dutydesk.org import access
from dutydesk.org.models import units_covered_q
from tests.factories import BuildingFactory, ProjectFactory, UnitFactory, UserFactory, hold


def _group(project, size=3):
    projects = [project, *(ProjectFactory(organisation=project.organisation, code=f"t{n}") for n in range(1, size))]
    units = [UnitFactory(building=BuildingFactory(project=each, name="T"), floor=n % 3 + 1, number=f"{n}01")
             for n, each in enumerate(projects)]
    return projects, units


def test_a_group_managers_whole_projects_are_one_term_and_cover_the_same_units(catalog, project):
    projects, units = _group(project)
    manager = UserFactory(username="scope-group")
    for each in projects:
        hold(manager, "cs-manager", each)
    condition = units_covered_q(access.holdings(manager))
    sql = str(Unit.objects.filter(condition).values("pk").query)
    assert sql.count('"archive_unit"."project_id" IN (') == 1 and " OR " not in sql
    assert set(Unit.objects.filter(condition).values_list("pk", flat=True)) == set(
        Unit.objects.filter(project__in=projects).values_list("pk", flat=True))
    assert {u.pk for u in units} <= set(Unit.objects.filter(condition).values_list("pk", flat=True))


def test_floors_stay_their_own_terms_beside_the_whole_projects(catalog, project):
    projects, units = _group(project, size=2)
    person = UserFactory(username="scope-mixed")
    hold(person, "cs-manager", projects[1])
    building = units[0].building
    hold(person, "floor-butler", projects[0], building=building, floor_from=1, floor_to=1)
    upstairs = UnitFactory(building=building, floor=9, number="901")
    covered = set(Unit.objects.filter(units_covered_q(access.holdings(person))).values_list("pk", flat=True))
    assert units[0].pk in covered and units[1].pk in covered and upstairs.pk not in covered


def test_a_post_held_in_many_projects_is_one_queue_term(catalog, project):
    projects, _units = _group(project)
    person = UserFactory(username="scope-queue")
    for each in projects:
        hold(person, "frontdesk-assistant", each)
    assert access.posts_held(person) == [(access.holdings(person)[0].post_id, sorted(p.pk for p in projects))]
    sql = str(tasks_for_me(person).values("pk").query)
    assert sql.count('"post_id" =') == 1 and sql.count('"project_id" IN (') == 1
    shared = Task.objects.create(title="交接班", project=projects[2], post=access.holdings(person)[0].post,
                                 due_at="2026-11-28T09:00:00+08:00")
    assert list(tasks_for_me(person).values_list("pk", flat=True)) == [shared.pk]
