"""Who may use the readings endpoints: people by the role table, devices (with a key) only to
send readings."""

from rest_framework.views import APIView

from heartmon.devices.authentication import PEOPLE_AND_DEVICES
from heartmon.devices.permissions import PeopleByRoleDevicesFor


class ReadingsAccess(APIView):
    """People (Bearer or cookie) and devices (Authorization: Device <key>) both authenticate."""

    authentication_classes = PEOPLE_AND_DEVICES
    permission_classes = [PeopleByRoleDevicesFor]
    role_resource = "readings"
    role_actions = {"partial_update": "correct", "destroy": "correct"}
    device_actions: frozenset[str] = frozenset()
