"""``task_create_once``: the one way to put a task in an inbox, once per ``source_key`` (routines, sweeps, dunning
lists and overdue keys all call it on every tick)."""
from datetime import timedelta

from dutydesk.core import clock
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_create_once
from dutydesk.org.models import Post


def test_a_second_call_with_the_same_key_returns_the_first_task(staff, project):
    due = clock.now() + timedelta(hours=1)
    first, created = task_create_once(source="manual", source_key="k", title="核对登记", due_at=due,
                                      assignee=staff["frontdesk"], project=project)
    again, created_again = task_create_once(source="manual", source_key="k", title="别的标题", due_at=due,
                                            assignee=staff["butler"], project=project)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and Task.objects.get().title == "核对登记"


def test_it_takes_the_people_and_places_as_objects_or_as_ids(staff, project):
    post = Post.objects.get(code="frontdesk-assistant")
    due = clock.now() + timedelta(hours=1)
    by_object, _ = task_create_once(source="routine", source_key="a", title="x", due_at=due,
                                    assignee=staff["frontdesk"], post=post, project=project)
    by_id, _ = task_create_once(source="routine", source_key="b", title="x", due_at=due,
                                assignee=staff["frontdesk"].pk, post=post.pk, project=project.pk)
    fields = ("assignee_id", "post_id", "project_id")
    assert [getattr(by_object, f) for f in fields] == [getattr(by_id, f) for f in fields] == [
        staff["frontdesk"].pk, post.pk, project.pk]


def test_a_long_title_is_cut_to_the_field(staff, project):
    task, _ = task_create_once(source="manual", source_key="long", title="长" * 300, due_at=clock.now(),
                               assignee=staff["frontdesk"], project=project)
    assert len(task.title) == 200


def test_many_at_once_skip_the_keys_that_exist_and_keep_their_history(staff, project, django_assert_max_num_queries):
    """``tasks_create_once``: a job's tasks for a whole project in a fixed number of queries."""
    from dutydesk.inbox.services import tasks_create_once

    due = clock.now() + timedelta(hours=1)
    task_create_once(source="sweep", source_key="s:1", title="已有", due_at=due, assignee=staff["frontdesk"],
                     project=project)

    def task(key, title="新的"):
        return Task(source="sweep", source_key=key, title=title, due_at=due, assignee=staff["butler"],
                    project=project)

    with django_assert_max_num_queries(6):
        created = tasks_create_once([task("s:1"), task("s:2", "长" * 300), task("s:3"), task("s:3")])
    assert created == 2 and tasks_create_once([task("s:2"), task("s:3")]) == 0
    assert Task.objects.get(source_key="s:1").title == "已有"  # the existing task is left as it was
    assert len(Task.objects.get(source_key="s:2").title) == 200
    assert Task.history.filter(source_key__in=["s:2", "s:3"], history_type="+").count() == 2
