"""The role table: which role may do what, for every resource. The one place in code.

The README's role table is rendered from this module (`heartmon roles`) and a test keeps the two
equal. Superusers may do everything, in every organization.
"""

from django.db import models

from heartmon.core.actor import Actor


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    DOCTOR = "doctor", "Doctor"
    NURSE = "nurse", "Nurse"
    STAFF = "staff", "Staff"
    TECHNICIAN = "technician", "Technician"


EVERYONE = frozenset(Role)
ADMINS = frozenset({Role.ADMIN})
DEVICE_MANAGERS = frozenset({Role.ADMIN, Role.TECHNICIAN})
CLINICIANS = frozenset({Role.DOCTOR, Role.NURSE})
DOCTORS = frozenset({Role.DOCTOR})
REGISTRARS = frozenset({Role.ADMIN, Role.STAFF})  # admit, register and update patients
CLINICAL = EVERYONE - {Role.TECHNICIAN}  # see clinical data

# resource -> action -> roles allowed. "read" is every safe method; other actions are named by the
# views that use them (a ModelViewSet's unsafe methods map to "write" unless the view says more).
PERMISSIONS: dict[str, dict[str, frozenset[Role]]] = {
    "own_profile": {"read": EVERYONE, "write": EVERYONE},
    "organizations": {"read": EVERYONE, "write": ADMINS},
    "users": {"read": ADMINS, "write": ADMINS},
    "audit_events": {"read": ADMINS},
    "webhooks": {"read": ADMINS, "write": ADMINS},
    # Clinic. "archived": list, read and restore archived patients. "clinical_details": see a
    # patient's notes and contact details (technicians see only what running a device needs).
    "places": {"read": EVERYONE, "write": ADMINS},
    "patients": {"read": EVERYONE, "write": REGISTRARS, "archived": ADMINS},
    "clinical_details": {"read": CLINICAL},
    "care_team": {"read": CLINICAL, "write": REGISTRARS},
    "admissions": {"read": CLINICAL, "admit": REGISTRARS},
    # Devices. "assign": attach a device to a patient outside an admission, or detach it.
    "devices": {
        "read": EVERYONE,
        "write": DEVICE_MANAGERS,
        "assign": DEVICE_MANAGERS | {Role.STAFF},
    },
    "device_keys": {"read": DEVICE_MANAGERS, "write": DEVICE_MANAGERS},
    "device_settings": {"read": DEVICE_MANAGERS | CLINICIANS, "write": DEVICE_MANAGERS},
    "firmware": {"read": DEVICE_MANAGERS, "write": DEVICE_MANAGERS},
    # Telemetry. "write": enter readings by hand (devices send theirs with a device key);
    # "observe": enter a patient's vital signs taken by hand, with no device;
    # "correct": change or delete a stored reading.
    "readings": {
        "read": ADMINS | CLINICIANS,
        "write": CLINICAL,
        "observe": CLINICIANS,
        "correct": ADMINS | CLINICIANS,
    },
    # ECG. Every role sees a recording's metadata; "signal": samples, beats, exports and the
    # patient-data query; "upload" and "delete" a recording (devices upload with a device key).
    "ecg_recordings": {
        "read": EVERYONE,
        "signal": ADMINS | CLINICIANS,
        "upload": CLINICAL,
        "delete": ADMINS,
    },
    # Alarms. "acknowledge": an alarm, with an optional note. Alarm rules: "write" the
    # organization's defaults and places' overrides; "patient_override": a patient's own rules
    # (with a reason) and NEWS2 SpO2 scale.
    "alarms": {"read": ADMINS | CLINICIANS, "acknowledge": CLINICIANS},
    "alarm_rules": {"read": ADMINS | CLINICIANS, "write": ADMINS, "patient_override": DOCTORS},
    # The organization's alarm timings (escalation delays, the no-data delay, NEWS2's maximum age).
    "alarm_settings": {"read": ADMINS | CLINICIANS, "write": ADMINS},
}


def may(actor: Actor, resource: str, action: str) -> bool:
    """Whether the role table lets this actor do `action` on `resource`: superusers may do
    everything, devices and the system nothing here (their endpoints say what they may)."""
    if actor.is_superuser:
        return True
    return actor.role is not None and actor.role in PERMISSIONS[resource].get(action, frozenset())


def refusal(actor: Actor, resource: str, action: str) -> str:
    """Why the role table refuses `action` on `resource` to this actor: the right it lacks, and
    the roles that have it."""
    allowed = [role.value for role in Role if role in PERMISSIONS[resource].get(action, ())]
    who = f"{Role(actor.role).label}s" if actor.role in Role.values else "You"
    holders = ", ".join(allowed) or "no role"
    return (
        f"{who} may not {action} {resource}: the role table gives {resource}.{action} to {holders}."
    )


def role_table_markdown() -> str:
    roles = list(Role)
    lines = [
        "| resource | action | " + " | ".join(role.value for role in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for resource, actions in PERMISSIONS.items():
        for action, allowed in actions.items():
            marks = " | ".join("✓" if role in allowed else "" for role in roles)
            lines.append(f"| {resource} | {action} | {marks} |")
    return "\n".join(lines)
