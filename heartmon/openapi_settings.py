"""drf-spectacular's settings (SPECTACULAR_SETTINGS): what the OpenAPI document says of itself
and how it is built. Kept apart from settings.py because nothing here depends on the environment."""

OPENAPI_SETTINGS = {
    "TITLE": "heartmon API",
    "DESCRIPTION": (
        "Heart-monitoring server: organizations, users, patients, devices, heart-rate and ECG "
        "telemetry. Errors are RFC 9457 problem details (application/problem+json)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "heartmon.core.schema.problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "heartmon.core.roles.Role",
        "PlaceKindEnum": "heartmon.clinic.models.PlaceKind",
        "CareTeamRoleEnum": "heartmon.clinic.models.CareTeamRole",
        "DeviceStatusEnum": "heartmon.devices.models.DeviceStatus",
        "OtaStatusEnum": "heartmon.devices.serializers.OTA_STATUSES",
        "RecordingKindEnum": "heartmon.ecg.models.RecordingKind",
        "MetricEnum": "heartmon.telemetry.models.Metric",
        "RuleMetricEnum": "heartmon.alarms.models.RULE_METRIC_CHOICES",
        "AlarmKindEnum": "heartmon.alarms.models.Kind",
    },
}
