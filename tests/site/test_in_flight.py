"""How many requests in flight pay off: every worker against a distant site, one against a site
that answers faster than the client prepares the next request."""

from __future__ import annotations

from teamcomms.site.in_flight import WARM_UP, InFlightGauge


class CpuClock:
    """The process's CPU time, moved on by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def answered(
    gauge: InFlightGauge, clock: CpuClock, *, round_trip: float, cpu: float, n: int
) -> None:
    """``n`` answers: ``cpu`` seconds of the client's work, ``round_trip`` on the wire."""
    for _ in range(n):
        clock.now += cpu
        gauge.record(round_trip)


def test_before_enough_answers_every_worker_may_be_used() -> None:
    clock = CpuClock()
    gauge = InFlightGauge(clock)
    assert gauge.useful(4) == 4
    answered(gauge, clock, round_trip=0.0003, cpu=0.0005, n=WARM_UP)
    assert gauge.useful(4) == 4  # the first answer only starts the CPU count
    answered(gauge, clock, round_trip=0.0003, cpu=0.0005, n=1)
    assert gauge.useful(4) == 1


def test_a_site_that_answers_faster_than_the_client_works_gets_one_request_at_a_time() -> None:
    clock = CpuClock()
    gauge = InFlightGauge(clock)
    # The local sandbox: a round trip a little shorter than the client's work per request.
    answered(gauge, clock, round_trip=0.00045, cpu=0.0005, n=50)
    assert gauge.useful(4) == 1
    # Even at one and a half turns per round trip, a second request would wait for the lock.
    answered(gauge, clock, round_trip=0.00075, cpu=0.0005, n=100)
    assert gauge.useful(4) == 1


def test_a_distant_site_gets_every_worker_and_no_more() -> None:
    clock = CpuClock()
    gauge = InFlightGauge(clock)
    answered(gauge, clock, round_trip=0.05, cpu=0.0005, n=50)
    assert gauge.useful(4) == 4
    assert gauge.useful(16) == 16
    assert gauge.useful(1) == 1


def test_in_between_one_more_request_per_two_turns_of_the_client() -> None:
    clock = CpuClock()
    gauge = InFlightGauge(clock)
    answered(gauge, clock, round_trip=0.003, cpu=0.0005, n=200)  # six turns per round trip
    assert gauge.useful(8) == 3


def test_the_estimate_follows_the_site_when_it_slows_down() -> None:
    clock = CpuClock()
    gauge = InFlightGauge(clock)
    answered(gauge, clock, round_trip=0.0003, cpu=0.0005, n=50)
    assert gauge.useful(4) == 1
    answered(gauge, clock, round_trip=0.05, cpu=0.0005, n=60)
    assert gauge.useful(4) == 4


def test_waiting_costs_no_cpu_so_a_paced_run_keeps_its_workers() -> None:
    clock = CpuClock()
    gauge = InFlightGauge(clock)
    # Answers far apart in time but with no client CPU between them (pacing, Retry-After).
    answered(gauge, clock, round_trip=0.05, cpu=0.0, n=50)
    assert gauge.useful(4) == 4
