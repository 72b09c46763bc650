from rest_framework import serializers

from dutydesk.duties.models import Opinion
from dutydesk.inbox.models import Task


class TaskSerializer(serializers.ModelSerializer):
    """API.md "Duty engine": {id, title, post, duty, due_at, status, source} (+ details)."""

    post = serializers.IntegerField(source="post_id", read_only=True, allow_null=True)
    post_code = serializers.CharField(source="post.code", read_only=True, default=None)
    post_name = serializers.CharField(source="post.display_name", read_only=True, default=None)
    duty = serializers.SerializerMethodField()
    assignee = serializers.IntegerField(source="assignee_id", read_only=True, allow_null=True)
    project = serializers.IntegerField(source="project_id", read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "title", "post", "post_code", "post_name", "duty", "due_at", "status", "source", "url",
                  "description", "assignee", "project", "is_overdue", "completed_at", "note", "evidence"]

    def get_duty(self, task) -> str | None:
        """The routine (recurring duty of the post) the task comes from, in the request's language."""
        return task.routine.display_text if task.routine_id else None

    def get_is_overdue(self, task: Task) -> bool:
        # lists annotate ``overdue`` in the query (inbox.selectors.with_overdue); one task computes it
        overdue: bool | None = getattr(task, "overdue", None)
        return task.is_overdue if overdue is None else overdue

    def get_evidence(self, task) -> str | None:
        return task.evidence.url if task.evidence else None


class TaskCompleteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    evidence = serializers.ImageField(required=False, allow_null=True)


class OpinionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Opinion
        fields = ["id", "project", "unit", "resident", "butler", "kind", "channel", "text", "received_at", "recorded_by"]
        read_only_fields = ["butler", "recorded_by"]
        extra_kwargs = {"received_at": {"required": False}}


def decimal(value):
    return None if value is None else f"{value:.2f}"


def scorecard_data(card):
    return {
        "kind": card.kind,
        "project": card.project.pk,
        "period": card.period.label,
        "post": {"id": card.post.pk, "code": card.post.code, "name": card.post.name},
        "user": None if card.user is None else {"id": card.user.pk, "username": card.user.username,
                                                "name": card.user.get_full_name() or card.user.username},
        "kpis": [{"code": row.kpi.code, "name": row.kpi.display_name, "source": row.kpi.source,
                  "unit": row.kpi.unit, "direction": row.kpi.direction, "target": decimal(row.kpi.target),
                  "actual": decimal(row.actual), "weight": decimal(row.weight), "score": decimal(row.score),
                  "no_data": row.no_data, "records_url": row.records_url} for row in card.rows],
        "total": decimal(card.total),
        # shared/API.md "Duty coverage": the share of the weights that had data; below 0.5 no total
        "measured_weight": f"{card.measured_weight:.4f}",
        "status": card.status,
        "rank": card.rank,
    }
