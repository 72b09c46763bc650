"""The OpenAPI schema tells the truth about errors too: every operation documents the error bodies of
shared/API.md (400 ``{"errors": {...}}``; 401/403/404/409/429 ``{"detail": "..."}``), so a client (and
schemathesis) knows every status code the API may answer."""
from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import Direction
from rest_framework import serializers


class ValidationErrors(serializers.Serializer):
    # a field named "errors": DRF's metaclass moves it into _declared_fields, Serializer.errors stays the property
    errors = serializers.DictField(child=serializers.JSONField(), help_text="field → list of messages")  # type: ignore[assignment]


class Detail(serializers.Serializer):
    detail = serializers.CharField()


ERROR_BODIES = {"400": ValidationErrors, "401": Detail, "403": Detail, "404": Detail, "409": Detail, "429": Detail}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            for code, body in ERROR_BODIES.items():
                if code not in responses:
                    responses[code] = self._get_response_for_code(body, code, ["application/json"], direction)
        return responses

    def _map_serializer_field(self, field: serializers.Field, direction: Direction,
                              bypass_extensions: bool = False) -> dict[str, Any]:
        # A time of day is "09:00:00" (no offset): OpenAPI's format "time" (RFC 3339) would demand one.
        if isinstance(field, serializers.TimeField):
            schema: dict[str, Any] = {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$",
                                      "example": "09:00:00"}
            if field.allow_null:
                schema["nullable"] = True
            if field.read_only:
                schema["readOnly"] = True
            return schema
        return super()._map_serializer_field(field, direction, bypass_extensions)
