"""The lifetime meter: exact, never double counted, never going down, whatever frames arrive."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from custom_components.ev_charge_points.api.bluecurrent.timeutil import AMSTERDAM, parse_timestamp
from custom_components.ev_charge_points.lifetime_meter import (
    DEFAULT_MAX_POWER_KW,
    Candidate,
    CountedSession,
    LifetimeMeter,
    MeterObservation,
    MeterState,
    MeterUpdate,
    SeenFrame,
    max_power_kw,
)

# 16 A on three phases, as a Blue Current point reports it, with the meter's margin.
POWER_KW = max_power_kw(16, 3)
T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def local(value: str) -> datetime:
    """A server timestamp converted exactly as the Blue Current client converts it."""
    parsed = parse_timestamp(value)
    assert parsed is not None
    return parsed


def utc(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


@dataclass
class Feed:
    """Frames into one meter, with everything it reported."""

    meter: LifetimeMeter = field(default_factory=LifetimeMeter)
    updates: list[MeterUpdate] = field(default_factory=list)

    def frame(
        self,
        at: datetime,
        kwh: float | None,
        start: datetime | None = None,
        stop: datetime | None = None,
        *,
        online: bool = True,
    ) -> MeterUpdate:
        update = self.meter.observe(
            MeterObservation(
                received_at=at,
                session_start=start,
                session_stop=stop,
                session_energy_kwh=kwh,
                online=online,
                max_power_kw=POWER_KW,
                server_zone=AMSTERDAM,
            )
        )
        self.updates.append(update)
        return update

    @property
    def total(self) -> float:
        return self.meter.state.total_kwh

    @property
    def ended(self) -> int:
        return sum(update.sessions_ended for update in self.updates)


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


START = T0 - timedelta(minutes=30)
NEXT_START = T0 + timedelta(hours=2)


def charging(kwh: float = 5.0) -> Feed:
    """A fresh meter that has counted `kwh` of a session that began at START."""
    feed = Feed()
    feed.frame(minutes(0), kwh, START)
    assert feed.total == pytest.approx(kwh)
    return feed


def test_whole_timeline_of_bad_frames_gives_the_exact_total() -> None:
    """Every bad shape in one realistic night, across the autumn clock change of 2026."""
    feed = Feed(LifetimeMeter.seed(1000.0, local("20261020 18:00:00")))
    a_start, a_stop = local("20261024 22:00:00"), local("20261024 23:00:00")
    # Session B begins in the first 02:xx (summer time) and ends in the second (winter time);
    # the client reads the naive "02:20" as the first one, 20 minutes before B began.
    b_start, b_stop = local("20261025 02:40:00"), local("20261025 02:20:00")
    assert b_stop < b_start
    c_start = local("20261025 07:00:00")
    d_start, d_stop = local("20261025 08:58:00"), local("20261025 09:15:00")
    e_start, e_stop = local("20261025 12:30:00"), local("20261025 13:10:00")
    old_stop = local("20261020 23:00:00")

    steps: list[tuple[str, datetime | None, datetime | None, float | None, bool, float]] = [
        # received (UTC), start, stop, kWh, online -> expected total
        ("2026-10-24 20:05", a_start, old_stop, 1.00, True, 1001.00),  # not in the history
        ("2026-10-24 20:15", None, None, 3.00, True, 1003.00),  # timestamps not sent
        ("2026-10-24 20:20", None, None, None, True, 1003.00),  # an empty push
        ("2026-10-24 20:25", a_start, old_stop, 4.50, True, 1004.50),
        ("2026-10-24 20:30", a_start, old_stop, 2.10, True, 1004.50),  # a dip
        ("2026-10-24 20:35", a_start, old_stop, 5.80, True, 1005.80),  # and its recovery
        ("2026-10-24 20:40", a_start, old_stop, -1.0, True, 1005.80),
        ("2026-10-24 20:41", a_start, old_stop, math.nan, True, 1005.80),
        ("2026-10-24 20:42", a_start, old_stop, math.inf, True, 1005.80),
        ("2026-10-24 20:43", a_start, old_stop, 1e9, True, 1005.80),
        ("2026-10-24 20:44", a_start, old_stop, 500.0, True, 1005.80),  # beyond 16 A x 3
        ("2026-10-24 20:45", a_start, old_stop, 7.00, True, 1007.00),
        ("2026-10-24 21:00", a_start, a_stop, 7.00, True, 1007.00),  # A ends
        # B: the first status still carries A's start (the server quirk), then B's own.
        ("2026-10-25 00:41", a_start, a_stop, 0.00, True, 1007.00),
        ("2026-10-25 00:45", b_start, a_stop, 0.90, True, 1007.90),
        ("2026-10-25 00:50", a_start, a_stop, 7.00, True, 1007.90),  # a late frame of A
        ("2026-10-25 01:00", b_start, a_stop, 3.00, True, 1010.00),
        ("2026-10-25 01:20", b_start, b_stop, 4.00, True, 1011.00),  # B ends at 02:20 CET
        ("2026-10-25 01:30", b_start, b_stop, 4.00, True, 1011.00),
        # C: a reset with a later start right after B's stop; one bad zero frame mid-way.
        ("2026-10-25 06:00", c_start, b_stop, 0.05, True, 1011.05),
        ("2026-10-25 06:30", c_start, b_stop, 5.00, True, 1016.00),
        ("2026-10-25 06:35", c_start, b_stop, 0.00, True, 1016.00),
        ("2026-10-25 06:40", c_start, b_stop, 6.00, True, 1017.00),
        ("2026-10-25 06:45", None, None, 0.00, False, 1017.00),  # offline placeholder
        ("2026-10-25 06:50", c_start, b_stop, 6.50, True, 1017.50),
        # D: C's stop never came; a reset confirmed by the next frame, start only later.
        ("2026-10-25 08:00", None, None, 0.02, True, 1017.50),
        ("2026-10-25 08:05", None, None, 0.40, True, 1017.90),
        ("2026-10-25 08:10", d_start, None, 0.60, True, 1018.10),
        ("2026-10-25 08:20", d_start, d_stop, 0.90, True, 1018.40),
        # E: nothing arrived between D and E (the reset was missed).
        ("2026-10-25 12:00", e_start, d_stop, 2.00, True, 1018.40),
        ("2026-10-25 12:05", e_start, d_stop, 2.50, True, 1020.90),
        ("2026-10-25 12:10", e_start, e_stop, 2.60, True, 1021.00),
    ]
    for received, start, stop, kwh, online, expected in steps:
        feed.frame(utc(received), kwh, start, stop, online=online)
        assert feed.total == pytest.approx(expected, abs=1e-9), received

    assert feed.ended == 5  # A, B, C (at D's boundary), D, E: each once
    shown = [(u.session_start, u.session_stop) for u in feed.updates]
    assert shown[-1] == (e_start, e_stop)
    assert b_stop + timedelta(hours=1) in {stop for _, stop in shown}  # B's real stop shown
    for (start_before, stop_before), (start_after, stop_after) in pairwise(shown):
        assert start_before is None or (start_after is not None and start_after >= start_before)
        assert stop_before is None or (stop_after is not None and stop_after >= stop_before)


def test_the_live_instance_sequence_adds_only_what_was_delivered() -> None:
    """Starts that come and go and values that wobble: once 7.12 became 21.39 for 0.02 kWh."""
    began = T0 - timedelta(hours=2)
    feed = Feed()
    feed.frame(minutes(0), 7.12, began)
    for n, (kwh, start) in enumerate(
        [(7.12, None), (7.13, began), (7.13, None), (7.10, began), (7.13, None), (7.14, began)],
        start=1,
    ):
        feed.frame(minutes(n), kwh, start)
    assert feed.total == pytest.approx(7.14)
    assert feed.ended == 0


def test_a_dip_and_its_recovery_are_counted_once() -> None:
    feed = charging(5.0)
    feed.frame(minutes(5), 1.2, START)
    feed.frame(minutes(10), 5.5, START)
    assert feed.total == pytest.approx(5.5)


@pytest.mark.parametrize("bad", [-0.5, math.nan, math.inf, -math.inf, 1e9])
def test_impossible_values_count_nothing_and_hurt_nothing(bad: float) -> None:
    feed = charging(5.0)
    feed.frame(minutes(5), bad, START)
    feed.frame(minutes(10), 6.0, START)
    assert feed.total == pytest.approx(6.0)
    assert feed.ended == 0


def test_an_absurd_first_frame_does_not_become_the_mark() -> None:
    feed = Feed()
    feed.frame(minutes(0), 1e9, None)
    feed.frame(minutes(1), 3.0, START)
    assert feed.total == pytest.approx(3.0)


def test_growth_beyond_what_the_point_can_deliver_waits_until_time_explains_it() -> None:
    feed = charging(5.0)
    feed.frame(minutes(1), 9.0, START)  # 4 kWh in a minute: 240 kW
    assert feed.total == pytest.approx(5.0)
    feed.frame(minutes(30), 9.0, START)  # 4 kWh in half an hour: possible
    assert feed.total == pytest.approx(9.0)


def test_an_empty_start_then_a_normal_frame_is_the_same_session() -> None:
    feed = charging(5.0)
    feed.frame(minutes(5), 5.5, None)
    feed.frame(minutes(10), 6.0, START)
    assert feed.total == pytest.approx(6.0)
    assert feed.updates[-2].session_start == START  # not back to unknown
    assert feed.ended == 0


def test_one_zero_frame_is_not_a_new_session() -> None:
    feed = charging(5.0)
    feed.frame(minutes(5), 0.0, START)
    feed.frame(minutes(10), 5.5, START)
    assert feed.total == pytest.approx(5.5)
    assert feed.ended == 0


def test_the_same_zero_frame_seen_twice_is_not_a_new_session() -> None:
    """An update of another value hands the meter the same (merged) content again."""
    feed = charging(5.0)
    feed.frame(minutes(5), 0.0, START)
    feed.frame(minutes(6), 0.0, START)
    feed.frame(minutes(10), 5.5, START)
    assert feed.total == pytest.approx(5.5)
    assert feed.ended == 0


def test_a_zero_while_offline_is_not_a_reset() -> None:
    feed = charging(5.0)
    feed.frame(minutes(5), 0.0, None, online=False)
    feed.frame(minutes(6), 0.0, None, online=False)
    feed.frame(minutes(10), 5.5, START)
    assert feed.total == pytest.approx(5.5)


def test_a_confirmed_reset_starts_a_session_counted_from_zero() -> None:
    feed = charging(5.0)
    feed.frame(minutes(60), 0.0, START)
    feed.frame(minutes(65), 0.8, START)
    assert feed.total == pytest.approx(5.8)
    assert feed.ended == 1


def test_stale_start_quirk_counts_the_new_session_once() -> None:
    feed = charging(5.0)
    feed.frame(minutes(60), 0.0, START)  # the new session, still with the old start
    feed.frame(minutes(61), 0.1, START)
    feed.frame(minutes(65), 0.5, NEXT_START - timedelta(minutes=60))
    feed.frame(minutes(70), 1.0, NEXT_START - timedelta(minutes=60))
    assert feed.total == pytest.approx(6.0)
    assert feed.ended == 1


def test_a_late_frame_of_the_previous_session_is_ignored() -> None:
    feed = charging(5.0)
    feed.frame(NEXT_START + timedelta(minutes=1), 0.0, NEXT_START)
    feed.frame(NEXT_START + timedelta(minutes=2), 0.1, NEXT_START)
    # Late enough that the point could have delivered 4.9 kWh since: only its start tells.
    late = feed.frame(NEXT_START + timedelta(minutes=40), 5.0, START)
    feed.frame(NEXT_START + timedelta(minutes=45), 1.0, NEXT_START)
    assert late.added_kwh == 0
    assert late.session_start == NEXT_START
    assert feed.total == pytest.approx(6.0)


def test_a_single_frame_with_a_later_start_is_not_a_new_session() -> None:
    feed = charging(5.0)
    feed.frame(minutes(5), 5.0, NEXT_START - timedelta(hours=1))  # one bad frame
    feed.frame(minutes(10), 5.5, START)
    assert feed.total == pytest.approx(5.5)
    assert feed.ended == 0


def test_a_start_that_moves_before_the_value_resets_counts_the_new_session_from_zero() -> None:
    feed = charging(5.0)
    new_start = minutes(1)
    feed.frame(minutes(2), 5.0, new_start)
    feed.frame(minutes(3), 5.0, new_start)
    assert feed.total == pytest.approx(5.0)
    feed.frame(minutes(10), 0.5, new_start)
    assert feed.total == pytest.approx(5.5)
    assert feed.ended == 1


def test_a_session_missed_entirely_while_nothing_arrived_counts_from_zero() -> None:
    feed = charging(5.0)
    feed.frame(NEXT_START + timedelta(minutes=30), 7.0, NEXT_START)
    assert feed.total == pytest.approx(5.0)  # one frame is no evidence
    feed.frame(NEXT_START + timedelta(minutes=35), 7.5, NEXT_START)
    assert feed.total == pytest.approx(12.5)


def test_a_corrected_start_of_the_running_session_is_not_a_new_session() -> None:
    feed = charging(5.0)
    corrected = START + timedelta(minutes=5)
    feed.frame(minutes(5), 5.5, corrected)
    feed.frame(minutes(10), 6.0, corrected)
    assert feed.total == pytest.approx(6.0)
    assert feed.ended == 0


def test_session_ended_fires_exactly_once_per_session() -> None:
    feed = charging(5.0)
    stop = minutes(20)
    for n in range(20, 50, 5):
        feed.frame(minutes(n), 5.0, START, stop)
    assert [u.session_ended for u in feed.updates].count(True) == 1
    feed.frame(NEXT_START, 0.0, NEXT_START, stop)  # a reset right after a stop
    feed.frame(NEXT_START + timedelta(minutes=5), 0.3, NEXT_START, stop)
    assert feed.total == pytest.approx(5.3)
    assert feed.ended == 1
    feed.frame(
        NEXT_START + timedelta(minutes=9), 0.3, NEXT_START, NEXT_START + timedelta(minutes=8)
    )
    assert feed.ended == 2


def test_a_session_that_had_ended_before_the_meter_saw_it_fires_nothing() -> None:
    feed = Feed()
    feed.frame(minutes(0), 5.0, START, START + timedelta(minutes=20))
    assert feed.ended == 0


def test_the_stop_in_the_repeated_autumn_hour_ends_the_session_once() -> None:
    start, stop = local("20261025 02:40:00"), local("20261025 02:20:00")  # the 2nd 02:20
    feed = Feed()
    feed.frame(utc("2026-10-25 00:50"), 0.5, start)
    update = feed.frame(utc("2026-10-25 01:21"), 4.0, start, stop)
    feed.frame(utc("2026-10-25 01:30"), 4.0, start, stop)
    assert feed.ended == 1
    assert update.session_stop == utc("2026-10-25 01:20")  # 02:20 CET, after the start
    assert feed.total == pytest.approx(4.0)


def test_start_and_stop_never_return_to_unknown_or_go_back() -> None:
    feed = charging(5.0)
    stop = minutes(20)
    feed.frame(minutes(20), 5.0, START, stop)
    for update in (
        feed.frame(minutes(25), 5.0, None, None),
        feed.frame(minutes(26), 5.0, START - timedelta(days=3), stop - timedelta(days=3)),
        feed.frame(minutes(27), None, None, None),
    ):
        assert (update.session_start, update.session_stop) == (START, stop)


def test_times_in_the_future_are_broken_frames() -> None:
    feed = charging(5.0)
    update = feed.frame(minutes(5), 5.5, minutes(5) + timedelta(days=300))
    assert update.session_start == START
    assert feed.total == pytest.approx(5.5)


def test_seeded_meter_starts_from_the_history_and_does_not_recount_its_last_session() -> None:
    last = START - timedelta(days=1)
    feed = Feed(LifetimeMeter.seed(812.25, last))
    feed.frame(minutes(0), 9.0, last, last + timedelta(hours=2))  # in the history
    assert feed.total == pytest.approx(812.25)
    feed.frame(minutes(60), 0.0, NEXT_START - timedelta(minutes=61))
    feed.frame(minutes(65), 1.5, NEXT_START - timedelta(minutes=61))
    assert feed.total == pytest.approx(813.75)
    assert feed.ended == 0  # the history session had ended before


def test_seeded_meter_knows_its_last_session_though_the_history_rounds_its_start() -> None:
    last = START - timedelta(days=1)
    feed = Feed(LifetimeMeter.seed(812.25, last))
    feed.frame(minutes(0), 9.0, last + timedelta(seconds=59))
    assert feed.total == pytest.approx(812.25)


def test_seeded_meter_counts_a_running_session_the_history_does_not_hold() -> None:
    feed = Feed(LifetimeMeter.seed(812.25, START - timedelta(days=1)))
    feed.frame(minutes(0), 3.0, START)
    assert feed.total == pytest.approx(815.25)


def test_seeded_meter_adds_a_session_without_start_once_its_start_shows_it_is_new() -> None:
    feed = Feed(LifetimeMeter.seed(812.25, START - timedelta(days=1)))
    feed.frame(minutes(0), 3.0, None)
    assert feed.total == pytest.approx(812.25)
    feed.frame(minutes(5), 3.5, START)
    assert feed.total == pytest.approx(815.75)


def test_seeded_meter_does_not_add_the_history_session_arriving_without_start() -> None:
    last = START - timedelta(hours=5)
    feed = Feed(LifetimeMeter.seed(812.25, last))
    feed.frame(minutes(0), 3.0, None)
    feed.frame(minutes(5), 3.0, last)
    assert feed.total == pytest.approx(812.25)


@pytest.mark.parametrize("history", [-1.0, math.nan, math.inf])
def test_a_broken_history_sum_seeds_zero(history: float) -> None:
    assert LifetimeMeter.seed(history, None).state.total_kwh == 0.0


def test_restored_meter_continues_exactly() -> None:
    feed = charging(5.0)
    feed.frame(minutes(60), 0.0, START)  # a reset awaiting its confirmation
    stored = json.loads(json.dumps(feed.meter.state.to_dict()))
    restored = MeterState.from_dict(stored)
    assert restored == feed.meter.state

    resumed = Feed(LifetimeMeter(restored))
    resumed.frame(minutes(65), 0.8, START)
    assert resumed.total == pytest.approx(5.8)
    assert resumed.ended == 1


def test_a_meter_restored_from_the_old_sensor_data_counts_only_the_growth() -> None:
    state = MeterState.continuing(100.0, START, 5.0, minutes(0))
    feed = Feed(LifetimeMeter(state))
    feed.frame(minutes(20), 7.0, START)  # the same session went on while HA was away
    assert feed.total == pytest.approx(102.0)


def test_a_meter_restored_from_the_old_sensor_data_counts_a_new_session_from_zero() -> None:
    state = MeterState.continuing(100.0, START, 5.0, minutes(0))
    feed = Feed(LifetimeMeter(state))
    feed.frame(NEXT_START + timedelta(minutes=1), 0.2, NEXT_START)
    feed.frame(NEXT_START + timedelta(minutes=2), 0.3, NEXT_START)
    assert feed.total == pytest.approx(100.3)
    assert feed.ended == 1


def test_old_sensor_data_without_a_counted_session_keeps_its_total() -> None:
    state = MeterState.continuing(100.0, START, None, minutes(0))
    feed = Feed(LifetimeMeter(state))
    feed.frame(minutes(1), 5.0, START)  # the session it had counted: nothing new
    assert feed.total == pytest.approx(100.0)


@pytest.mark.parametrize(
    "junk",
    [
        None,
        "total",
        [],
        {},
        {"total_kwh": 1.0},
        {**MeterState(total_kwh=1.0).to_dict(), "total_kwh": "12"},
        {**MeterState(total_kwh=1.0).to_dict(), "total_kwh": -3},
        {**MeterState(total_kwh=1.0).to_dict(), "total_kwh": math.nan},
        {**MeterState().to_dict(), "shown_start": "yesterday"},
        {**MeterState().to_dict(), "shown_start": "2026-03-10T12:00:00"},  # naive
        {**MeterState().to_dict(), "session": {"start": None}},
        {**MeterState().to_dict(), "candidate": {"start": None, "reset": "yes"}},
        {**MeterState().to_dict(), "closed_kwh": [1]},
    ],
)
def test_junk_restore_data_gives_none(junk: object) -> None:
    assert MeterState.from_dict(junk) is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)
FULL_STATE = MeterState(
    total_kwh=3.0,
    session=CountedSession(start=START, counted_kwh=1.0, counted_at=T0, opened_after=START),
    closed_start=START,
    closed_kwh=2.0,
    candidate=Candidate(start=T0, reset=True, other_start=T0 + timedelta(minutes=1)),
    shown_start=START,
    shown_stop=T0,
    last_frame=SeenFrame(start=START, energy_kwh=1.0),
).to_dict()


@settings(max_examples=300, deadline=None)
@given(junk=JSON, path=st.lists(st.sampled_from(sorted(FULL_STATE)), min_size=1, max_size=1))
def test_restore_data_never_raises(junk: object, path: list[str]) -> None:
    """Any JSON, and any key of real restore data replaced by any JSON, is read or refused."""
    for data in (junk, {**FULL_STATE, path[0]: junk}):
        state = MeterState.from_dict(data)
        assert state is None or MeterState.from_dict(state.to_dict()) == state


def test_naive_arrival_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        MeterObservation(received_at=datetime(2026, 3, 10, 12, 0))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("current", "phases", "expected"),
    [
        (16, 3, 16 * 3 * 230 / 1000 * 1.25),
        (32, 1, 32 * 230 / 1000 * 1.25),
        (16, None, 16 * 3 * 230 / 1000 * 1.25),
        (None, 3, DEFAULT_MAX_POWER_KW),
        (0, 3, DEFAULT_MAX_POWER_KW),
        (math.nan, 3, DEFAULT_MAX_POWER_KW),
        (16, 4, DEFAULT_MAX_POWER_KW),
    ],
)
def test_max_power(current: float | None, phases: int | None, expected: float) -> None:
    assert max_power_kw(current, phases) == pytest.approx(expected)


# Property: whatever frames arrive, the meter never goes down and never counts more than the
# charge point could have delivered since the first instant any frame refers to.
SEED_KWH = 250.0
EPOCH = T0
MOMENTS = st.integers(min_value=0, max_value=48 * 60).map(lambda m: EPOCH + timedelta(minutes=m))
ENERGIES = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=80).map(lambda v: round(v, 2)),
    st.sampled_from([0.0, 0.01, 0.05, 0.09, 1e9, -1.0]),
)
FRAMES = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=240),  # minutes since the previous frame
        st.one_of(st.none(), MOMENTS),
        st.one_of(st.none(), MOMENTS),
        ENERGIES,
        st.booleans(),
        st.sampled_from([DEFAULT_MAX_POWER_KW, POWER_KW, max_power_kw(6, 1)]),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames=FRAMES, seeded=st.booleans(), restart_at=st.integers(min_value=0, max_value=40))
def test_property_never_down_never_beyond_the_physical_bound(
    frames: list[tuple[int, datetime | None, datetime | None, float | None, bool, float]],
    seeded: bool,
    restart_at: int,
) -> None:
    meter = LifetimeMeter.seed(SEED_KWH, EPOCH) if seeded else LifetimeMeter()
    seed = meter.state.total_kwh
    at, previous = EPOCH, meter.state.total_kwh
    shown: tuple[datetime | None, datetime | None] = (None, None)
    for index, (gap, start, stop, kwh, online, power) in enumerate(frames):
        if index == restart_at:  # a restart in the middle changes nothing
            restored = MeterState.from_dict(json.loads(json.dumps(meter.state.to_dict())))
            assert restored == meter.state
            meter = LifetimeMeter(restored)
        at += timedelta(minutes=gap)
        update = meter.observe(
            MeterObservation(
                received_at=at,
                session_start=start,
                session_stop=stop,
                session_energy_kwh=kwh,
                online=online,
                max_power_kw=power,
                server_zone=AMSTERDAM,
            )
        )
        assert update.total_kwh >= previous
        assert update.added_kwh == pytest.approx(update.total_kwh - previous)
        bound = DEFAULT_MAX_POWER_KW * (at - EPOCH).total_seconds() / 3600
        assert update.total_kwh <= seed + bound + 1e-9
        for before, after in zip(shown, (update.session_start, update.session_stop), strict=True):
            assert before is None or (after is not None and after >= before)
        shown = (update.session_start, update.session_stop)
        previous = update.total_kwh


# Property: real sessions, sent the way the server sends them and interleaved with bad frames
# of every shape, give exactly the energy of the sessions.
TRUE_POWER_KW = 11.0  # what the car really draws: under the bound of 16 A x 3 with margin
NIGHT = utc("2026-10-24 22:30")  # the autumn clock change lies in the first sessions
BAD_FRAMES = st.sampled_from(
    ["none", "empty", "nan", "negative", "absurd", "dip", "zero", "bare", "again", "bogus_start"]
)
SESSIONS = st.lists(
    st.tuples(
        st.integers(min_value=10, max_value=600),  # minutes idle before the session
        st.lists(st.floats(min_value=0.3, max_value=1.0), min_size=2, max_size=6),  # growth
        st.booleans(),  # the first status still carries the previous start (the quirk)
        st.lists(BAD_FRAMES, max_size=6),  # bad frames after each good one
        st.booleans(),  # the server sends the session's stop (its docs: "currently disabled")
    ),
    min_size=1,
    max_size=4,
)


def as_server_sends(moment: datetime) -> datetime:
    """Naive Amsterdam time read back as the client does (first reading in the repeated hour)."""
    wall = moment.astimezone(AMSTERDAM).replace(tzinfo=None)
    return wall.replace(tzinfo=AMSTERDAM, fold=0).astimezone(UTC)


def send_bad_frame(
    feed: Feed, kind: str, at: datetime, energy: float, start: datetime, stop: datetime | None
) -> None:
    """One bad frame of `kind` in a session that has reached `energy`."""
    if kind == "none":
        feed.frame(at, None, None, None)
    elif kind == "empty":
        feed.frame(at, energy, None, None)
    elif kind in {"nan", "negative", "absurd"}:
        feed.frame(at, {"nan": math.nan, "negative": -2.0, "absurd": 1e9}[kind], start)
    elif kind == "dip":
        feed.frame(at, round(energy / 2, 2), start, stop)
    elif kind == "zero":
        feed.frame(at, 0.0, start, stop)
    elif kind == "again":  # the same content handed over twice
        feed.frame(at, energy, start, stop)
    elif kind == "bogus_start":  # a start that no session had
        feed.frame(at, energy, at - timedelta(minutes=2), stop)
    else:  # an offline point's placeholder
        feed.frame(at, 0.0, None, None, online=False)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions=SESSIONS)
# Found by hypothesis: a start-less frame a hair above the mark, while the next session's
# start awaited its second frame, was counted and held back the whole next session.
@example(
    sessions=[
        (10, [1.0, 1.0], False, [], False),
        (10, [0.625, 0.3359375], False, [], False),
        (10, [0.96875, 1.0], True, ["empty"], False),
    ]
)
# Found by hypothesis: the frame that confirmed the quirk session's boundary was a dip; the
# announcing frame's energy was not counted and the bound then held the session back.
@example(
    sessions=[
        (10, [0.5, 0.5], False, [], False),
        (10, [1.0, 1.0], True, ["dip"], False),
    ]
)
# Found by hypothesis: the next session starts in the repeated autumn hour right after a
# session whose stop came; read at its first reading, its start lay before that stop, and the
# old stop ended the new session at once (a second session_ended).
@example(
    sessions=[
        (59, [1.0, 1.0], False, [], False),
        (10, [1.0, 1.0], False, [], True),
        (59, [1.0, 1.0], False, [], False),
    ]
)
def test_property_real_sessions_among_bad_frames_are_counted_exactly(
    sessions: list[tuple[int, list[float], bool, list[str], bool]],
) -> None:
    feed, now, expected = Feed(), NIGHT, 0.0
    previous: tuple[datetime, float] | None = None  # the last session's start and energy
    stop: datetime | None = None
    sent: set[datetime] = set()
    for idle, shares, quirk, bad, stop_sent in sessions:
        now += timedelta(minutes=idle)
        start, energy = as_server_sends(now), 0.0
        # Two times an hour apart across the clock change are the same string: no information.
        assume(start not in sent)
        sent.add(start)
        first_start = previous[0] if quirk and previous is not None else start
        feed.frame(now, 0.0, first_start, stop)
        if previous is not None:  # one late frame of the previous session
            feed.frame(now + timedelta(seconds=30), previous[1], previous[0], stop)
        for index, share in enumerate(shares):
            now += timedelta(minutes=5)
            energy = round(energy + share * TRUE_POWER_KW * 5 / 60, 2)
            feed.frame(now, energy, start, stop)
            if index < len(bad):
                send_bad_frame(feed, bad[index], now + timedelta(seconds=10), energy, start, stop)
        now += timedelta(minutes=1)
        if stop_sent:
            stop = as_server_sends(now)
            assume(stop not in sent)
            sent.add(stop)
        feed.frame(now, energy, start, stop)
        expected += energy
        previous = (start, energy)
        assert feed.total == pytest.approx(expected, abs=1e-6)
    # A session whose stop never came ends when the next one begins.
    assert feed.ended == len(sessions) - (not sessions[-1][4])
