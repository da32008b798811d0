"""How many changes are worth having going at once: every worker when a change mostly waits (a
distant site, a poll), one when it waits no longer than it works (a site next door)."""

from __future__ import annotations

from teamcomms.engine.worker_gauge import WARM_UP, WorkerGauge


def finished(gauge: WorkerGauge, *, waited: float, cpu: float, n: int) -> None:
    """``n`` changes, each ``cpu`` seconds of work and ``waited`` seconds of waiting."""
    for _ in range(n):
        gauge.record(waited + cpu, cpu)


def test_before_enough_changes_every_worker_may_be_used() -> None:
    gauge = WorkerGauge()
    assert gauge.useful(4) == 4
    finished(gauge, waited=0.0014, cpu=0.0015, n=WARM_UP - 1)
    assert gauge.useful(4) == 4
    finished(gauge, waited=0.0014, cpu=0.0015, n=1)
    assert gauge.useful(4) == 1


def test_changes_that_wait_no_longer_than_they_work_go_one_at_a_time() -> None:
    gauge = WorkerGauge()
    # A page against the local sandbox: three round trips a little shorter than the work.
    finished(gauge, waited=0.0014, cpu=0.0015, n=50)
    assert gauge.useful(4) == 1
    # Even waiting one and a half times its work, a second change would wait for the lock.
    finished(gauge, waited=0.00225, cpu=0.0015, n=100)
    assert gauge.useful(4) == 1


def test_changes_that_mostly_wait_get_every_worker_and_no_more() -> None:
    gauge = WorkerGauge()
    finished(gauge, waited=0.15, cpu=0.0015, n=50)  # 50 ms of latency, three requests
    assert gauge.useful(4) == 4
    assert gauge.useful(16) == 16
    assert gauge.useful(1) == 1


def test_a_change_waiting_on_a_poll_counts_as_waiting_whatever_the_latency() -> None:
    gauge = WorkerGauge()
    # A workflow scheme switch polled until Jira's task ends: seconds asleep, milliseconds of CPU.
    finished(gauge, waited=1.0, cpu=0.002, n=20)
    assert gauge.useful(4) == 4


def test_in_between_one_more_change_per_two_of_its_cpu_times_of_waiting() -> None:
    gauge = WorkerGauge()
    finished(gauge, waited=0.0096, cpu=0.0015, n=200)  # waits 6.4 times its work
    assert gauge.useful(8) == 3


def test_the_estimate_follows_the_changes_when_they_start_to_wait() -> None:
    gauge = WorkerGauge()
    finished(gauge, waited=0.0009, cpu=0.0015, n=50)
    assert gauge.useful(4) == 1
    finished(gauge, waited=0.15, cpu=0.0015, n=60)
    assert gauge.useful(4) == 4


def test_a_change_that_took_no_cpu_measured_leaves_every_worker() -> None:
    gauge = WorkerGauge()
    finished(gauge, waited=0.05, cpu=0.0, n=50)
    assert gauge.useful(4) == 4


def test_a_second_change_going_needs_a_change_to_wait_four_times_its_work() -> None:
    below, above = WorkerGauge(), WorkerGauge()
    finished(below, waited=0.0057, cpu=0.0015, n=100)  # 3.8 times its work
    finished(above, waited=0.0063, cpu=0.0015, n=100)  # 4.2 times
    assert (below.useful(4), above.useful(4)) == (1, 2)
