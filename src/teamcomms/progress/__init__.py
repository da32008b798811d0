"""Progress figures: what a standup and a progress report say, computed from plain values.

Pure: issues come in as :class:`~teamcomms.progress.facts.IssueFacts` (read from Jira by
:mod:`teamcomms.resources.progress_read`), figures go out as frozen values with a JSON form.
Working days come from the project's calendar, as onboarding counts them
(:class:`teamcomms.definitions.due.WorkingDays`).
"""

from __future__ import annotations

FORMAT_VERSION = 1
"""The version of the JSON that ``teamcomms standup`` and ``teamcomms report`` print; raised
when a key is removed or changes meaning (adding keys does not raise it)."""
