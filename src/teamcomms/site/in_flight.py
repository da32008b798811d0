"""How many requests in flight still pay off.

Worker threads only hide the site's latency. The client's own work for a request (building it,
reading the answer: the requests, urllib3 and http.client layers) runs one thread at a time under
Python's global interpreter lock, so while one request waits for its answer the others can only be
prepared. Against a real site, tens of milliseconds away, many of the client's turns fit in one
round trip and every worker is used. Against a site that answers within a millisecond (the local
sandbox, a server next door) none does: a second request in flight finishes no sooner, and the
threads spend CPU handing the lock back and forth.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

# Weight of the newest sample in the running averages: about the last 20 answers count.
SMOOTHING = 0.1
# A request taken over by another thread needs the lock the answering thread holds, so one more
# in flight pays off only when a round trip hides two of the client's turns, not one: against the
# local sandbox (a round trip of about 0.9 turns) two writers used a fifth more CPU than one and
# finished no sooner.
TURNS_PER_EXTRA_REQUEST = 2.0
# Answers needed before the estimate is trusted; until then every worker may be used.
WARM_UP = 8


class InFlightGauge:
    """Running averages of the round trip and of the client's CPU per answered request, and
    from them the number of requests worth having in flight.

    ``cpu_clock`` is the process's CPU time (all threads): its growth between two answers,
    whatever thread got them, is the client's CPU per request. Time spent sleeping (pacing,
    waiting out a 429) costs no CPU, so waiting never makes the site look slow to prepare for.
    """

    def __init__(self, cpu_clock: Callable[[], float] = time.process_time) -> None:
        self._cpu_clock = cpu_clock
        self._lock = threading.Lock()
        self._round_trip = 0.0
        self._cpu_per_answer = 0.0
        self._answers = 0
        self._last_cpu: float | None = None

    def record(self, round_trip: float) -> None:
        """Note one answered request that took ``round_trip`` seconds on the wire."""
        cpu = self._cpu_clock()
        with self._lock:
            last, self._last_cpu = self._last_cpu, cpu
            if last is None:
                return
            spent = max(0.0, cpu - last)
            if self._answers == 0:
                self._round_trip, self._cpu_per_answer = round_trip, spent
            else:
                self._round_trip += SMOOTHING * (round_trip - self._round_trip)
                self._cpu_per_answer += SMOOTHING * (spent - self._cpu_per_answer)
            self._answers += 1

    def useful(self, maximum: int) -> int:
        """How many requests in flight pay off: the client's turns that fit in one round
        trip (two per request, see ``TURNS_PER_EXTRA_REQUEST``), at least 1 and at most
        ``maximum``."""
        with self._lock:
            if self._answers < WARM_UP or self._cpu_per_answer <= 0.0:
                return maximum
            turns = self._round_trip / self._cpu_per_answer
        if not math.isfinite(turns):
            return maximum
        return max(1, min(maximum, int(turns / TURNS_PER_EXTRA_REQUEST)))
