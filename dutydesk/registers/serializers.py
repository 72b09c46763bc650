from rest_framework import serializers

from dutydesk.org.models import Post, Procedure, Register
from dutydesk.registers.models import Entry


class ChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)


class FieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    type = serializers.ChoiceField(choices=Register.FieldType.choices)
    required = serializers.BooleanField()  # type: ignore[assignment]  # a field named like Field.required
    choices = ChoiceSerializer(many=True, required=False, default=list)


class RegisterSerializer(serializers.ModelSerializer):
    fields = FieldSerializer(many=True, read_only=True)  # type: ignore[assignment]
    # an untimed register has no procedure: null (allow_null puts "nullable" in the OpenAPI schema)
    procedure: "serializers.SlugRelatedField[Procedure]" = serializers.SlugRelatedField(slug_field="code",
                                                                                        read_only=True, allow_null=True)
    writers: "serializers.SlugRelatedField[Post]" = serializers.SlugRelatedField(slug_field="code", many=True,
                                                                                 read_only=True)
    readers: "serializers.SlugRelatedField[Post]" = serializers.SlugRelatedField(slug_field="code", many=True,
                                                                                 read_only=True)
    can_write = serializers.SerializerMethodField()

    class Meta:
        model = Register
        fields = ["code", "name", "name_en", "fields", "procedure", "limit_minutes", "number_prefix", "writers",
                  "readers", "can_write"]

    def get_can_write(self, register: Register) -> bool:
        return register.code in self.context.get("writable", set())


class EntrySerializer(serializers.ModelSerializer):
    register: "serializers.SlugRelatedField[Register]" = serializers.SlugRelatedField(slug_field="code",
                                                                                      read_only=True)

    class Meta:
        model = Entry
        fields = ["id", "register", "project", "number", "values", "unit", "recorded_by", "post", "started_at",
                  "finished_at", "finished_by", "status", "on_time"]


class EntryCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    values = serializers.JSONField(help_text="{field code: value}; a photo field is sent as a file part named "
                                             "values.<code> in multipart/form-data (then values is JSON text)")
    started_at = serializers.DateTimeField(required=False)
