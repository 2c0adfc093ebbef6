"""The role table: which role may do what, for every resource. The one place in code.

The README's role table is rendered from this module (`heartmon roles`) and a test keeps the two
equal. Superusers may do everything, in every organization.
"""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    DOCTOR = "doctor", "Doctor"
    NURSE = "nurse", "Nurse"
    STAFF = "staff", "Staff"
    TECHNICIAN = "technician", "Technician"


EVERYONE = frozenset(Role)
ADMINS = frozenset({Role.ADMIN})

# resource -> action -> roles allowed. "read" is every safe method; other actions are named by the
# views that use them (a ModelViewSet's unsafe methods map to "write" unless the view says more).
PERMISSIONS: dict[str, dict[str, frozenset[Role]]] = {
    "own_profile": {"read": EVERYONE, "write": EVERYONE},
    "organizations": {"read": EVERYONE, "write": ADMINS},
    "users": {"read": ADMINS, "write": ADMINS},
    "audit_events": {"read": ADMINS},
}


def role_allows(role: str, resource: str, action: str) -> bool:
    return role in PERMISSIONS[resource].get(action, frozenset())


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
