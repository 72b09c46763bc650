from rest_framework import serializers

from dutydesk.org.models import KPI, Catalog, Post, Procedure, Routine, Standard


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


class DutySerializer(serializers.Serializer):
    text = serializers.CharField()


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
