"""The simulator's heart-rate model: physiological values, a baseline of each patient's own,
episodes of bradycardia and tachycardia, and the same values for the same seed."""

import itertools
import statistics

from heartmon.simulator.vitals import HeartRateModel, heart_rates

TWO_HOURS = 7200
PATIENTS = range(1, 11)


def test_the_same_seed_gives_the_same_rates_and_another_seed_others():
    first = heart_rates(seed=7, index=1, count=600)

    assert heart_rates(seed=7, index=1, count=600) == first
    assert heart_rates(seed=8, index=1, count=600) != first


def test_rates_stay_within_physiological_bounds():
    for index in PATIENTS:
        rates = heart_rates(seed=1, index=index, count=TWO_HOURS)

        assert all(25 <= rate <= 250 for rate in rates)
        assert all(isinstance(rate, int) for rate in rates)


def test_each_patient_has_a_baseline_of_their_own():
    medians = {}
    for index in PATIENTS:
        model = HeartRateModel.for_patient(seed=1, index=index)
        rates = [model.next(1.0) for _ in range(TWO_HOURS)]
        assert 58 <= model.baseline <= 88
        medians[index] = statistics.median(rates)
        assert abs(medians[index] - model.baseline) < 6

    assert len(set(medians.values())) > 5


def test_consecutive_rates_move_a_little_not_at_random():
    rates = heart_rates(seed=1, index=1, count=600)

    steps = [abs(later - earlier) for earlier, later in itertools.pairwise(rates)]
    assert statistics.median(steps) <= 3


def test_bradycardia_and_tachycardia_episodes_happen_and_show_in_the_rate():
    seconds_in = {"bradycardia": 0, "tachycardia": 0}
    lowest, highest = 250, 25
    for index in PATIENTS:
        model = HeartRateModel.for_patient(seed=1, index=index)
        for _ in range(TWO_HOURS):
            rate = model.next(1.0)
            if model.episode is not None and model.weight > 0.95:
                seconds_in[model.episode] += 1
                if model.episode == "bradycardia":
                    lowest = min(lowest, rate)
                else:
                    highest = max(highest, rate)

    assert seconds_in["bradycardia"] > 300
    assert seconds_in["tachycardia"] > 300
    assert lowest < 50
    assert highest > 120


def test_episodes_are_occasional():
    in_episode = 0
    for index in PATIENTS:
        model = HeartRateModel.for_patient(seed=1, index=index)
        for _ in range(TWO_HOURS):
            model.next(1.0)
            in_episode += model.episode is not None

    assert 0.01 < in_episode / (len(PATIENTS) * TWO_HOURS) < 0.15


def test_a_higher_rate_samples_the_same_kind_of_signal():
    rates = heart_rates(seed=3, index=2, count=4 * 600, rate_hz=4)

    assert abs(statistics.median(rates) - HeartRateModel.for_patient(seed=3, index=2).baseline) < 8
