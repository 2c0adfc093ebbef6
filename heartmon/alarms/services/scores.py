"""NEWS2 alarms: the score of each admitted patient, kept as a condition like any other (raised
at the score's priority, escalated when it rises, cleared when it falls below every threshold).
Run for the patients of a batch holding NEWS2 parameters, and by the timed checks for every
admitted patient (parts age out, devices' values change)."""

import uuid
from collections.abc import Collection
from datetime import datetime, timedelta

from django.db import transaction

from heartmon.alarms import engine, news2
from heartmon.alarms.models import AlarmSettings, Condition, News2Scale
from heartmon.alarms.selectors import Whereabouts, whereabouts
from heartmon.alarms.services.alarms import Subject, apply
from heartmon.alarms.states import load_states, save_states

DEFAULT_MAX_AGE_MINUTES: int = AlarmSettings._meta.get_field("news2_max_age_minutes").default


def news2_of(patient_ids: Collection[uuid.UUID], *, now: datetime) -> dict[uuid.UUID, news2.News2]:
    """The patients' scores, each with their organization's maximum age of a part."""
    where = whereabouts(patient_ids)
    ages = max_ages({entry.organization_id for entry in where.values()})
    scale2 = set(
        News2Scale.objects.filter(patient_id__in=list(where), scale2=True).values_list(
            "patient_id", flat=True
        )
    )
    found: dict[uuid.UUID, news2.News2] = {}
    for organization_id, max_age in ages.items():
        mine = [pk for pk, entry in where.items() if entry.organization_id == organization_id]
        found.update(news2.scores(mine, scale2=scale2, max_age=max_age, now=now))
    return found


def max_ages(organization_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, timedelta]:
    kept = dict(
        AlarmSettings.objects.filter(organization_id__in=list(organization_ids)).values_list(
            "organization_id", "news2_max_age_minutes"
        )
    )
    return {pk: timedelta(minutes=kept.get(pk, DEFAULT_MAX_AGE_MINUTES)) for pk in organization_ids}


def evaluate_news2(patient_ids: Collection[uuid.UUID], *, now: datetime) -> None:
    """Raise, escalate or clear the NEWS2 alarms of these patients (admitted ones only)."""
    with transaction.atomic():
        where = {
            pk: entry for pk, entry in whereabouts(patient_ids, lock=True).items() if entry.places
        }
        if not where:
            return
        found = news2_of(list(where), now=now)
        states = load_states(where, [Condition.NEWS2])
        changes = []
        for patient_id, result in found.items():
            state = states.get(patient_id, Condition.NEWS2)
            state, change = engine.level(state, result.priority, now.timestamp())
            states.put(patient_id, Condition.NEWS2, state)
            if change is not None:
                changes.append((_subject(patient_id, where[patient_id], result), change))
        save_states(states)
        for subject, change in changes:
            apply(subject, change)


def _subject(patient_id: uuid.UUID, entry: Whereabouts, result: news2.News2) -> Subject:
    return Subject(
        patient_id=patient_id,
        organization_id=entry.organization_id,
        condition=Condition.NEWS2,
        place_id=entry.place_id,
        details=result.as_details(),
    )
