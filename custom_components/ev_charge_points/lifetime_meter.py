"""An exact lifetime energy meter built from a charge point's session energy (no Home Assistant).

Charge points of every brand report the energy of the current (or last) session; this module
turns that stream of frames into a meter that never goes down and never counts a kWh twice,
whatever bad frames arrive. The rule is written once, in `LifetimeMeter`'s docstring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Final, Self, TypeGuard

# A reset: the session energy fell to below this while the charge point is online.
NEAR_ZERO_KWH: Final = 0.1
# Values are reported with two decimals: a change within this is no change.
TOLERANCE_KWH: Final = 0.01
# No session of an EV delivers this much: such a value is a broken frame, not energy.
ABSURD_SESSION_KWH: Final = 1000.0
NOMINAL_PHASE_VOLTAGE_V: Final = 230.0
# Generous, so that a real session is never cut by the bound (voltage above 230 V, rounding).
POWER_MARGIN: Final = 1.25
DEFAULT_MAX_POWER_KW: Final = 22.0 * POWER_MARGIN
# Server clocks run a little ahead of ours; a time further in the future is a broken frame.
CLOCK_SKEW: Final = timedelta(minutes=10)
# The account history and the live frames may state a session's start a little differently
# (unknown); no new session starts this soon after the last one in the history.
HISTORY_START_SLACK: Final = timedelta(minutes=2)


def max_power_kw(max_current_a: float | None, phases: int | None) -> float:
    """What a charge point could physically deliver, with a margin; a sane default if unknown.

    Unknown phases count as three (the most a charge point has), so the bound stays generous.
    """
    if (
        max_current_a is None
        or not math.isfinite(max_current_a)
        or max_current_a <= 0
        or (phases is not None and phases not in (1, 2, 3))
    ):
        return DEFAULT_MAX_POWER_KW
    return max_current_a * (phases or 3) * NOMINAL_PHASE_VOLTAGE_V / 1000 * POWER_MARGIN


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterObservation:
    """One frame of a charge point as the meter sees it.

    `server_zone` is the zone the server's naive local times were read in (None when the
    server sends real offsets): in the repeated autumn hour the client takes the first
    (summer-time) reading, and the meter may need the second one.
    """

    received_at: datetime
    session_start: datetime | None = None
    session_stop: datetime | None = None
    session_energy_kwh: float | None = None
    online: bool = True
    max_power_kw: float = DEFAULT_MAX_POWER_KW
    server_zone: tzinfo | None = None

    def __post_init__(self) -> None:
        """Without an aware arrival time no bound can be computed: a programming error."""
        if self.received_at.utcoffset() is None:
            raise ValueError("received_at must be an aware datetime")


@dataclass(frozen=True, slots=True, kw_only=True)
class CountedSession:
    """The session the meter is counting.

    `counted_kwh` is the high-water mark of its energy already accounted for; `counted_at`
    is the time that energy is explained up to (the reference for the physical bound);
    `opened_after` the latest stop known when the meter opened it (its start is later);
    `unattributed_kwh` energy adopted without knowing whether the history already holds it.
    """

    start: datetime | None
    counted_kwh: float
    counted_at: datetime
    opened_after: datetime | None = None
    ended: bool = False
    unattributed_kwh: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """Evidence of a new session seen on an earlier frame, awaiting a second frame.

    `other_start` is a different later start seen once since: one bad frame with a start of
    its own neither replaces the evidence nor is lost if it turns out to be the real one.
    `energy_kwh` at `seen_at`: what the last frame with `start` showed, the new session's own
    energy (counted, within the bound, once the boundary is confirmed).
    """

    start: datetime | None = None
    reset: bool = False
    other_start: datetime | None = None
    energy_kwh: float | None = None
    seen_at: datetime | None = None

    @property
    def starts(self) -> tuple[datetime, ...]:
        """The later starts seen, each awaiting its second frame."""
        return tuple(start for start in (self.start, self.other_start) if start is not None)


@dataclass(frozen=True, slots=True, kw_only=True)
class SeenFrame:
    """The content of the last frame: the same content again is no new evidence."""

    start: datetime | None = None
    stop: datetime | None = None
    energy_kwh: float | None = None
    online: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterState:
    """Everything the meter needs to go on, also after a restart (see `to_dict`)."""

    total_kwh: float = 0.0
    session: CountedSession | None = None
    # The session closed last (or the last one of the history): its frames may still arrive.
    closed_start: datetime | None = None
    closed_kwh: float | None = None
    candidate: Candidate | None = None
    shown_start: datetime | None = None
    shown_stop: datetime | None = None
    last_frame: SeenFrame | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form, read back by `from_dict`."""
        session = self.session
        candidate = self.candidate
        seen = self.last_frame
        return {
            "total_kwh": self.total_kwh,
            "session": None
            if session is None
            else {
                "start": _iso(session.start),
                "counted_kwh": session.counted_kwh,
                "counted_at": _iso(session.counted_at),
                "opened_after": _iso(session.opened_after),
                "ended": session.ended,
                "unattributed_kwh": session.unattributed_kwh,
            },
            "closed_start": _iso(self.closed_start),
            "closed_kwh": self.closed_kwh,
            "candidate": None
            if candidate is None
            else {
                "start": _iso(candidate.start),
                "reset": candidate.reset,
                "other_start": _iso(candidate.other_start),
                "energy_kwh": candidate.energy_kwh,
                "seen_at": _iso(candidate.seen_at),
            },
            "shown_start": _iso(self.shown_start),
            "shown_stop": _iso(self.shown_stop),
            "last_frame": None
            if seen is None
            else {
                "start": _iso(seen.start),
                "stop": _iso(seen.stop),
                "energy_kwh": seen.energy_kwh,
                "online": seen.online,
            },
        }

    @classmethod
    def continuing(
        cls,
        total_kwh: float,
        session_start: datetime | None,
        counted_kwh: float | None,
        counted_at: datetime,
    ) -> Self:
        """Continue a meter that kept only its total and how much of which session it counted.

        That is what the lifetime sensor stored before this module existed; `counted_at` is
        when it last counted (the restored state's time), so a session that went on while
        Home Assistant was away is counted from where it was, within the physical bound.
        """
        total = total_kwh if _valid_kwh(total_kwh) else 0.0
        start = _aware_or_none(session_start)
        at = _aware_or_none(counted_at)
        if at is None or not _valid_kwh(counted_kwh):
            return cls(total_kwh=total, closed_start=start, shown_start=start)
        session = CountedSession(start=start, counted_kwh=counted_kwh, counted_at=at)
        return cls(total_kwh=total, session=session, shown_start=start)

    def shown_at_least(self, other: MeterState) -> Self:
        """This state with shown times no earlier than `other`'s (rule 5 over two states).

        For a charge point's meter that takes over from another: what it showed stays.
        """
        return replace(
            self,
            shown_start=_latest(self.shown_start, other.shown_start),
            shown_stop=_latest(self.shown_stop, other.shown_stop),
        )

    @classmethod
    def from_dict(cls, data: object) -> Self | None:
        """Read back `to_dict`; None (never an exception) for anything else."""
        try:
            return cls._from_dict(data)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            return None

    @classmethod
    def _from_dict(cls, data: object) -> Self | None:
        if not isinstance(data, dict):
            return None
        session = None
        if (raw := data["session"]) is not None:
            counted_at = _time(raw["counted_at"])
            if counted_at is None or not isinstance(raw["ended"], bool):
                return None
            session = CountedSession(
                start=_time(raw["start"]),
                counted_kwh=_kwh(raw["counted_kwh"]),
                counted_at=counted_at,
                opened_after=_time(raw["opened_after"]),
                ended=raw["ended"],
                unattributed_kwh=_kwh(raw["unattributed_kwh"]),
            )
        candidate = None
        if (raw := data["candidate"]) is not None:
            if not isinstance(raw["reset"], bool):
                return None
            energy = raw.get("energy_kwh")  # absent in states of earlier versions
            candidate = Candidate(
                start=_time(raw["start"]),
                reset=raw["reset"],
                other_start=_time(raw["other_start"]),
                energy_kwh=None if energy is None else _kwh(energy),
                seen_at=_time(raw.get("seen_at")),
            )
        seen = None
        if (raw := data["last_frame"]) is not None:
            energy = raw["energy_kwh"]
            if not isinstance(raw["online"], bool):
                return None
            seen = SeenFrame(
                start=_time(raw["start"]),
                stop=_time(raw["stop"]),
                energy_kwh=None if energy is None else _kwh(energy),
                online=raw["online"],
            )
        closed_kwh = data["closed_kwh"]
        return cls(
            total_kwh=_kwh(data["total_kwh"]),
            session=session,
            closed_start=_time(data["closed_start"]),
            closed_kwh=None if closed_kwh is None else _kwh(closed_kwh),
            candidate=candidate,
            shown_start=_time(data["shown_start"]),
            shown_stop=_time(data["shown_stop"]),
            last_frame=seen,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterUpdate:
    """What one observation did: the new state, and what the sensors should show."""

    state: MeterState
    added_kwh: float
    sessions_ended: int
    session_start: datetime | None
    session_stop: datetime | None

    @property
    def total_kwh(self) -> float:
        """The meter reading."""
        return self.state.total_kwh

    @property
    def session_ended(self) -> bool:
        """Whether a session ended with this observation (each session ends exactly once)."""
        return self.sessions_ended > 0


@dataclass(slots=True)
class _Frame:
    at: datetime
    start: datetime | None
    stop: datetime | None
    energy: float | None
    online: bool
    power_kw: float
    zone: tzinfo | None

    def budget_kwh(self, since: datetime, until: datetime | None = None) -> float:
        """The most the charge point could deliver from `since` to `until` (this frame)."""
        end = self.at if until is None else until
        return self.power_kw * max((end - since).total_seconds(), 0.0) / 3600


class LifetimeMeter:
    """Lifetime energy from session energy: exact, never double counted, never going down.

    The rule. Cleaning: an energy that is not a finite number from 0 to 1000 kWh, and a
    start or stop more than 10 minutes in the future, count as absent.
    (1) Bound: energy counts only as growth above the counted session's high-water mark,
    and only when that growth fits in the charge point's maximum power times the time since
    the energy counted last. A frame that does not fit counts nothing; a later frame counts
    the growth once time explains it. A dip counts nothing; its recovery counts only what
    lies above the mark.
    (2) Boundary: no single frame starts a new session; it takes two signals on two frames
    with different content, and evidence lasts until the counted session grows again (a
    second later start is remembered beside the first): (a) a reset (energy below the mark
    by more than 0.01 kWh, near zero (< 0.1 kWh) or with a later start, the charge point
    online), then a frame still below the mark; (b) a reset after a frame that showed the
    counted session's stop; (c) a later start seen twice, first with a reset or then below
    the mark; (d) a later start seen twice, with growth the point could have delivered
    since that start, which lies after the energy counted last (a reset missed while no
    frame came).
    A frame with an unconfirmed later start counts nothing, nor does a frame without a
    start after it whose energy the later start's session could have reached. The same
    later start twice with growth that (d) cannot explain is the running session's
    corrected start. A new session counts from zero, and counts (within the bound) what the
    frame that announced its start showed, then the confirming frame; its start is the later
    start that announced it, or (a reset carrying the old start: a server quirk) the first
    later start its energy fits after. Its bound counts from the old session's last count or
    its own start, whichever is earlier. Starts and stops of the repeated autumn hour of the
    server's zone are also tried at their second reading; a new session's start is read so
    that it lies after the old session's last count and the last stop shown.
    (3) Late frames: after a boundary, a frame with the closed session's start (at either
    reading) is ignored, unless the new session's start is still unknown and the energy is
    below the closed session's final value (the quirk frame itself). A frame with the same
    content as the one before counts only growth that time now explains.
    (4) Ended: each session ends exactly once: when a stop at or after its start first
    arrives (a new stop that reads before its start in the repeated autumn hour of the
    server's zone is taken at its second reading), or at its boundary if no stop came.
    (5) Shown start and stop: the latest ever seen, never unknown again, never earlier.
    (6) First frame: its session counts from zero when its start is more than 2 minutes
    after the seed's last session start (or there is no seed); a session the seed already
    holds, or one without a start, only sets the mark (its energy is added once a later
    start shows it is new).
    """

    def __init__(self, state: MeterState | None = None) -> None:
        """Continue from `state` (e.g. restored), or start a new meter at zero."""
        self.state = state or MeterState()

    @classmethod
    def seed(cls, total_from_history: float, last_session_start: datetime | None) -> Self:
        """A meter that starts from the sum of the sessions in the account's history."""
        total = total_from_history if _valid_kwh(total_from_history) else 0.0
        start = _aware_or_none(last_session_start)
        return cls(MeterState(total_kwh=total, closed_start=start, shown_start=start))

    def observe(self, observation: MeterObservation) -> MeterUpdate:
        """Take one frame; the meter keeps the new state, which the update also carries."""
        update = observe(self.state, observation)
        self.state = update.state
        return update


def observe(state: MeterState, observation: MeterObservation) -> MeterUpdate:
    """The pure step of `LifetimeMeter` (whose docstring states the rule): one frame applied."""
    return _Step(state, _clean(observation)).run()


class _Step:
    """One observation applied to one state (mutable scratch; the result is frozen)."""

    def __init__(self, state: MeterState, frame: _Frame) -> None:
        self.before = state
        self.frame = frame
        self.total = state.total_kwh
        self.session = state.session
        self.closed_start = state.closed_start
        self.closed_kwh = state.closed_kwh
        self.candidate = state.candidate
        self.shown_start = _latest(state.shown_start, frame.start)
        self.shown_stop = state.shown_stop
        self.ended = 0
        self.repeat = state.last_frame == SeenFrame(
            start=frame.start, stop=frame.stop, energy_kwh=frame.energy, online=frame.online
        )

    def run(self) -> MeterUpdate:
        frame = self.frame
        seen = SeenFrame(
            start=frame.start, stop=frame.stop, energy_kwh=frame.energy, online=frame.online
        )
        if self.session is None:
            self._first_frame()
        elif self._is_late_frame(self.session):
            pass
        elif self.repeat:
            # The same content again (e.g. an update of another value) is no new evidence;
            # only time has passed, which may explain growth held back by the bound.
            if self.candidate is None:
                self._grow()
        else:
            self._continue(self.session)
        if frame.stop is not None:
            self.shown_stop = _latest(self.shown_stop, self._stop_of_session() or frame.stop)
        state = MeterState(
            total_kwh=self.total,
            session=self.session,
            closed_start=self.closed_start,
            closed_kwh=self.closed_kwh,
            candidate=self.candidate,
            shown_start=self.shown_start,
            shown_stop=self.shown_stop,
            last_frame=seen,
        )
        return MeterUpdate(
            state=state,
            added_kwh=self.total - self.before.total_kwh,
            sessions_ended=self.ended,
            session_start=state.shown_start,
            session_stop=state.shown_stop,
        )

    def _first_frame(self) -> None:
        frame = self.frame
        if frame.energy is None:
            return
        start = frame.start
        if start is None:
            # Whether the history holds this session is unknown until its start arrives;
            # after a seed without a last start it can never be known, so it is never added.
            attributable = self.closed_start is not None or self.total == 0
            self.session = CountedSession(
                start=None,
                counted_kwh=frame.energy,
                counted_at=frame.at,
                unattributed_kwh=frame.energy if attributable else 0.0,
            )
            return
        if self.closed_start is not None and start <= self.closed_start + HISTORY_START_SLACK:
            # The history already holds this session: only what it adds from now on counts.
            self.session = CountedSession(
                start=start, counted_kwh=frame.energy, counted_at=frame.at
            )
        else:
            self.session = CountedSession(
                start=start, counted_kwh=0.0, counted_at=min(start, frame.at)
            )
            self._grow()
        # A session that had already ended when the meter first saw it ends without an event.
        if self._stop_of_session() is not None:
            self.session = replace(self._counted(), ended=True)

    def _is_late_frame(self, session: CountedSession) -> bool:
        frame = self.frame
        if (
            frame.start is None
            or not self._is(frame.start, self.closed_start)
            or self._is(frame.start, session.start)
        ):
            return False
        if (
            session.start is None
            and frame.energy is not None
            and self.closed_kwh is not None
            and frame.energy < self.closed_kwh - TOLERANCE_KWH
        ):
            # The quirk: the new session's first frame still carries the old start.
            frame.start = None
            return False
        return True

    def _is(self, start: datetime, known: datetime | None) -> bool:
        """Whether a frame's start is `known`, also when read at the other of two readings."""
        return known is not None and known in {start, _second_reading(start, self.frame.zone)}

    def _continue(self, session: CountedSession) -> None:
        frame, energy = self.frame, self.frame.energy
        drop = energy is not None and energy < session.counted_kwh - TOLERANCE_KWH
        later = self._later_start(session)
        if later is not None and session.start is None and not drop and self._fits(later):
            self._relabel(later)  # the start of the session counted so far arrived
            later = None
        ended_before = self._note_stop()
        session = self._counted()
        near_zero = energy is not None and energy < NEAR_ZERO_KWH
        reset = drop and frame.online and (later is not None or near_zero)
        candidate = self.candidate
        repeated = later is not None and candidate is not None and later in candidate.starts
        was_reset = candidate is not None and candidate.reset and candidate.start == later
        if drop and frame.online and candidate is not None and candidate.reset:
            self._new_session(later or candidate.start)
        elif (reset and ended_before) or (repeated and (drop or was_reset)):
            self._new_session(later)
        elif repeated and energy is not None and energy > session.counted_kwh + TOLERANCE_KWH:
            assert later is not None  # noqa: S101 - repeated implies a later start
            begun = self._reading_after(later, session.counted_at)
            if begun >= session.counted_at and energy <= frame.budget_kwh(begun):
                self._new_session(begun)  # a whole session that began after the last count
            else:
                self._relabel(later)  # the running session's start was corrected
        elif reset or later is not None:
            # One frame is not evidence: remember it and count nothing until the next one.
            self.candidate = _remember(candidate, later, reset=reset, frame=frame)
            return
        elif (
            frame.start is None
            and energy is not None
            and candidate is not None
            and candidate.start is not None
            and energy <= frame.budget_kwh(candidate.start)
        ):
            return  # without a start, either session may have grown (even a little): wait
        elif energy is not None and energy > session.counted_kwh + TOLERANCE_KWH:
            self.candidate = None  # the counted session goes on; a repeat of its mark may be late
        self._grow()

    def _later_start(self, session: CountedSession) -> datetime | None:
        """The frame's start if it is later than the counted (or else the closed) session's."""
        start = self.frame.start
        if start is None:
            return None
        reference = session.start or self.closed_start
        if reference is None:
            return start
        if start < reference and (second := _second_reading(start, self.frame.zone)):
            start = second  # a start in the repeated autumn hour, read as summer time
        return start if start > reference else None

    def _reading_after(self, start: datetime, moment: datetime) -> datetime:
        """`start`, or its second reading in the repeated autumn hour if only that is after."""
        second = _second_reading(start, self.frame.zone)
        return second if start < moment and second is not None and second >= moment else start

    def _fits(self, start: datetime) -> bool:
        """Whether the energy counted of the session could have been delivered since `start`."""
        return self._counted().counted_kwh <= self.frame.budget_kwh(start)

    def _relabel(self, start: datetime) -> None:
        session = self._counted()
        if session.opened_after is not None:
            start = self._reading_after(start, session.opened_after)
        if session.unattributed_kwh > 0 and (
            self.closed_start is None or start > self.closed_start + HISTORY_START_SLACK
        ):
            # The adopted energy belongs to a session the history does not hold. The whole
            # session (with this frame's growth) is explained by the time since its start,
            # so the bound starts again from now.
            energy, counted = self.frame.energy, session.counted_kwh
            if energy is None or not counted < energy <= self.frame.budget_kwh(start):
                energy = counted
            self.total += session.unattributed_kwh + energy - counted
            session = replace(
                session, counted_kwh=energy, counted_at=max(session.counted_at, self.frame.at)
            )
        self.session = replace(session, start=start, unattributed_kwh=0.0)
        self.shown_start = _latest(self.shown_start, start)
        self.candidate = None

    def _note_stop(self) -> bool:
        """Mark the counted session ended when its stop arrives; whether it had ended before."""
        session = self._counted()
        if not session.ended and self._stop_of_session() is not None:
            self.session = replace(session, ended=True)
            self.ended += 1
        return session.ended

    def _stop_of_session(self) -> datetime | None:
        """The frame's stop if it is the counted session's stop (at or after its start)."""
        stop, session = self.frame.stop, self.session
        if stop is None or session is None or session.start is None:
            return None
        if stop >= session.start:
            return stop
        if stop == self.before.shown_stop:
            return None  # the stop already shown: the previous session's, whatever its reading
        second = _second_reading(stop, self.frame.zone)
        if second is not None and second >= session.start:
            return second  # a stop in the repeated autumn hour, read as summer time
        return None

    def _new_session(self, start: datetime | None) -> None:
        old, evidence = self._counted(), self.candidate
        announced = start
        if start is not None:
            # It began after the old session's last growth and after the last stop shown,
            # which decide an ambiguous reading (the repeated autumn hour).
            stop = self.before.shown_stop
            start = self._reading_after(
                start, old.counted_at if stop is None else max(old.counted_at, stop)
            )
        if not old.ended:
            self.ended += 1
        if old.start is not None:
            self.closed_start = old.start
        self.closed_kwh = old.counted_kwh
        # Counted from zero; its energy was delivered after the old session's last count, or
        # after its own start if that is earlier (a count after it was a bad frame's).
        counted_at = old.counted_at if start is None else min(old.counted_at, start)
        self.session = CountedSession(
            start=start,
            counted_kwh=0.0,
            counted_at=counted_at,
            opened_after=self.before.shown_stop,
        )
        self.candidate = None
        if (
            evidence is not None
            and announced is not None
            and evidence.start == announced
            and evidence.energy_kwh is not None
            and evidence.seen_at is not None
        ):
            # The frame that announced the session showed its energy: count it (bounded), so
            # a bad frame that confirms the boundary (a dip) does not hold the session back.
            self._grow_to(evidence.energy_kwh, evidence.seen_at)
        if start is not None:
            self.shown_start = _latest(self.shown_start, start)
            self._note_stop()

    def _grow(self) -> None:
        if self.frame.energy is not None:
            self._grow_to(self.frame.energy, self.frame.at)

    def _grow_to(self, energy: float, at: datetime) -> None:
        """Count the growth to `energy`, shown at `at`, if the bound allows it."""
        session = self._counted()
        if energy <= session.counted_kwh:
            return
        growth = energy - session.counted_kwh
        if growth <= self.frame.budget_kwh(session.counted_at, at):
            self.total += growth
            self.session = replace(session, counted_kwh=energy, counted_at=at)

    def _counted(self) -> CountedSession:
        assert self.session is not None  # noqa: S101 - only called with a session
        return self.session


def _remember(
    candidate: Candidate | None, later: datetime | None, *, reset: bool, frame: _Frame
) -> Candidate:
    """The evidence after one more frame that shows a reset or a later start."""
    if later is None:  # a reset without a start of its own: the new session's is unknown
        other = None if candidate is None else candidate.start or candidate.other_start
        return Candidate(reset=reset, other_start=other)
    # What this frame shows of the session that starts at `later`.
    energy, at = (None, None) if frame.energy is None else (frame.energy, frame.at)
    if candidate is None:
        return Candidate(start=later, reset=reset, energy_kwh=energy, seen_at=at)
    if later == candidate.start or candidate.start is None:
        # The same session again, or its start after a reset that carried none (the quirk).
        return replace(
            candidate,
            start=later,
            reset=reset or candidate.reset,
            energy_kwh=energy,
            seen_at=at,
        )
    if reset or later == candidate.other_start:
        return Candidate(
            start=later, reset=reset, other_start=candidate.start, energy_kwh=energy, seen_at=at
        )
    return replace(candidate, other_start=later)


def _clean(observation: MeterObservation) -> _Frame:
    at = observation.received_at.astimezone(UTC)
    latest = at + CLOCK_SKEW

    def _time_or_none(value: datetime | None) -> datetime | None:
        value = _aware_or_none(value)
        return value if value is not None and value <= latest else None

    energy = observation.session_energy_kwh
    power = observation.max_power_kw
    return _Frame(
        at=at,
        start=_time_or_none(observation.session_start),
        stop=_time_or_none(observation.session_stop),
        energy=energy if _valid_kwh(energy) and energy <= ABSURD_SESSION_KWH else None,
        online=observation.online,
        power_kw=power if _valid_kwh(power) and power > 0 else DEFAULT_MAX_POWER_KW,
        zone=observation.server_zone,
    )


def _second_reading(moment: datetime, zone: tzinfo | None) -> datetime | None:
    """The later reading of a wall time that occurs twice in `zone`, if `moment` is the first."""
    if zone is None:
        return None
    wall = moment.astimezone(zone).replace(tzinfo=None)
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.astimezone(UTC) != moment.astimezone(UTC):
        return None
    later = second.astimezone(UTC)
    return later if later > moment else None


def _valid_kwh(value: object) -> TypeGuard[float]:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def _kwh(value: object) -> float:
    if not _valid_kwh(value):
        raise ValueError
    return float(value)


def _aware_or_none(value: object) -> datetime | None:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        return None
    return value.astimezone(UTC)


def _latest(current: datetime | None, new: datetime | None) -> datetime | None:
    if new is None:
        return current
    if current is None:
        return new
    return max(current, new)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _time(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError
    parsed = _aware_or_none(datetime.fromisoformat(value))
    if parsed is None:
        raise ValueError
    return parsed


__all__ = [
    "DEFAULT_MAX_POWER_KW",
    "Candidate",
    "CountedSession",
    "LifetimeMeter",
    "MeterObservation",
    "MeterState",
    "MeterUpdate",
    "SeenFrame",
    "max_power_kw",
    "observe",
]
