from rest_framework import serializers

from dutydesk.core.i18n import bilingual
from dutydesk.core.permissions import all_permissions
from dutydesk.org.models import KPI, Catalog, Post, Procedure, Routine, Standard


def executor_name(executor: dict) -> str:
    """What executes a duty, as the reader's language names it (a module: its permission's label)."""
    if executor.get("kind") == "module":
        return str(all_permissions().get(executor["ref"], executor["ref"]))
    return bilingual(str(executor.get("name") or executor.get("ref")), executor.get("name_en"))


class StandardSerializer(serializers.ModelSerializer):
    procedure: "serializers.SlugRelatedField[Procedure]" = serializers.SlugRelatedField(slug_field="code",
                                                                                          read_only=True)
    procedure_name = serializers.CharField(source="procedure.name", read_only=True)

    class Meta:
        model = Standard
        fields = ["procedure", "procedure_name", "limit_minutes"]


class KPISerializer(serializers.ModelSerializer):
    class Meta:
        model = KPI
        fields = ["code", "name", "name_en", "target", "unit", "direction", "weight", "source"]


class RoutineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Routine
        fields = ["code", "text", "text_en", "schedule", "at", "weekday", "day", "every", "times", "assign"]


class ExecutorSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["routine", "register", "module", "kpi", "standard"])
    ref = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, executor: dict) -> str:
        return executor_name(executor)


class DutySerializer(serializers.Serializer):
    text = serializers.CharField()
    executed_by = ExecutorSerializer(many=True, read_only=True)


class PostSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", read_only=True)
    duties = DutySerializer(many=True, read_only=True)
    standards = StandardSerializer(many=True, read_only=True)
    routines = RoutineSerializer(many=True, read_only=True)
    kpis = KPISerializer(many=True, read_only=True)
    holders = serializers.SerializerMethodField()
    catalog: "serializers.SlugRelatedField[Catalog]" = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Post
        fields = ["id", "code", "name", "name_en", "department", "superior", "scope", "catalog", "permissions",
                  "duties", "standards", "routines", "kpis", "holders"]

    def get_holders(self, post) -> list[int]:
        return sorted({h.user_id for h in post.holdings.all() if h.active})


class PostRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "code", "name"]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    posts = PostRefSerializer(many=True)
    projects = serializers.ListField(child=serializers.IntegerField())
    permissions = serializers.ListField(child=serializers.CharField())
    is_resident = serializers.BooleanField()
