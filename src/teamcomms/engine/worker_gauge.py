"""How many changes worth having going at once.

Worker threads only hide waiting: for the site's answers, for a long task or a search index to
catch up, for the write rate. The client's own work (building requests, reading answers: the
requests, urllib3 and http.client layers, the resources' code) runs one thread at a time under
Python's global interpreter lock, so while one change waits the others can only be prepared. A
change that waits many times its own CPU time (a real site, tens of milliseconds away, or a poll)
leaves room for others and every worker is used. Against a site that answers within a
millisecond (the local sandbox, a server next door) a change waits about as long as it works: a
second change going finishes no sooner, and the threads spend CPU handing the lock back and forth.
"""

from __future__ import annotations

import math
import threading

# Weight of the newest change in the running averages: about the last 20 changes count.
SMOOTHING = 0.1
# A change taken over by another thread needs the lock the working thread holds, so one more
# change going pays off only when a change waits twice its own CPU time, not once: against the
# local sandbox (waiting about 0.9 times its CPU time) two writers used a fifth more CPU than one
# and finished no sooner.
TURNS_PER_EXTRA_CHANGE = 2.0
# Changes finished before the estimate is trusted; until then every worker may be used.
WARM_UP = 8


class WorkerGauge:
    """Running averages of a change's waiting and of its CPU time (its own thread's), and
    from them the number of changes worth having going at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waited = 0.0
        self._worked = 0.0
        self._changes = 0

    def record(self, wall: float, cpu: float) -> None:
        """Note one finished change that took ``wall`` seconds, ``cpu`` of them working."""
        waited = max(0.0, wall - cpu)
        with self._lock:
            if self._changes == 0:
                self._waited, self._worked = waited, cpu
            else:
                self._waited += SMOOTHING * (waited - self._waited)
                self._worked += SMOOTHING * (cpu - self._worked)
            self._changes += 1

    def useful(self, maximum: int) -> int:
        """How many changes going at once pay off: how many of a change's CPU times fit in
        its waiting (two per extra change, see ``TURNS_PER_EXTRA_CHANGE``), at least 1 and at
        most ``maximum``."""
        with self._lock:
            if self._changes < WARM_UP or self._worked <= 0.0:
                return maximum
            turns = self._waited / self._worked
        if not math.isfinite(turns):
            return maximum
        return max(1, min(maximum, int(turns / TURNS_PER_EXTRA_CHANGE)))
