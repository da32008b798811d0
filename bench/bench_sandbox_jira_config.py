"""How fast the sandbox answers the reads a Jira configuration plan makes, on a site the size of
issue 10's generated one (20 workflows, 100 fields, 30 filters, 30 boards).

    python bench/bench_sandbox_jira_config.py [--workflows 20] [--fields 100] [--boards 30]

Builds the site over loopback HTTP (timed as "setup"), then times each bulk read several times
and prints requests and milliseconds per read. Nothing is asserted: the figures are for reading.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

import requests

from teamcomms.sandbox import start_sandbox

API = "/rest/api/3"
SELECT = "com.atlassian.jira.plugin.system.customfieldtypes:select"


def _workflow(name: str) -> dict[str, Any]:
    refs = [str(uuid.uuid4()) for _ in range(4)]
    categories = ("TODO", "IN_PROGRESS", "IN_PROGRESS", "DONE")
    return {
        "scope": {"type": "GLOBAL"},
        "statuses": [
            {"name": f"{name} {n}", "statusCategory": c, "statusReference": r}
            for n, (c, r) in enumerate(zip(categories, refs, strict=True))
        ],
        "workflows": [
            {
                "name": name,
                "statuses": [{"statusReference": r} for r in refs],
                "transitions": [
                    {"id": "1", "name": "Create", "type": "INITIAL", "toStatusReference": refs[0]}
                ]
                + [
                    {
                        "id": str(10 * n + 1),
                        "name": f"To {n}",
                        "type": "GLOBAL",
                        "toStatusReference": r,
                    }
                    for n, r in enumerate(refs[1:], start=1)
                ],
            }
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workflows", type=int, default=20)
    parser.add_argument("--fields", type=int, default=100)
    parser.add_argument("--boards", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with start_sandbox() as site:
        session = requests.Session()
        session.auth = (site.email, site.token)

        def call(method: str, path: str, **kwargs: Any) -> Any:
            answer = session.request(method, site.url + path, timeout=30, **kwargs)
            answer.raise_for_status()
            return answer.json() if answer.content else None

        started = time.perf_counter()
        for n in range(args.workflows):
            call("POST", API + "/workflows/create", json=_workflow(f"Flow {n}"))
        field_ids = []
        for n in range(args.fields):
            field = call("POST", API + "/field", json={"name": f"Field {n}", "type": SELECT})
            (context,) = call("GET", f"{API}/field/{field['id']}/context")["values"]
            options = [{"value": f"Option {k}"} for k in range(5)]
            path = f"{API}/field/{field['id']}/context/{context['id']}/option"
            call("POST", path, json={"options": options})
            field_ids.append((field["id"], context["id"]))
        for n in range(args.boards):
            made = call(
                "POST", API + "/filter", json={"name": f"Board {n}", "jql": "project = OPS"}
            )
            body = {"name": f"Board {n}", "type": "kanban", "filterId": int(made["id"])}
            call("POST", "/rest/agile/1.0/board", json=body)
        setup = time.perf_counter() - started
        print(f"setup: {len(site.requests)} requests in {setup:.2f} s")

        def paged(path: str, **params: Any) -> int:
            count, url = 0, path
            while url:
                page = call("GET", url, params=params)
                params, count = {}, count + 1
                url = page.get("nextPage", "").removeprefix(site.url) or ""
            return count

        def one(method: str, path: str, **kwargs: Any) -> Callable[[], int]:
            return lambda: [call(method, path, **kwargs), 1][1]

        names = [f"Flow {n}" for n in range(min(args.workflows, 20))]
        reads: dict[str, Callable[[], int]] = {
            "workflows/search expand=values.transitions (paged)": lambda: paged(
                API + "/workflows/search", expand="values.transitions"
            ),
            f"POST /workflows by {len(names)} names": one(
                "POST", API + "/workflows", json={"workflowNames": names}
            ),
            "GET /field (all)": one("GET", API + "/field"),
            "contexts + options of every field": lambda: _per_field(call, field_ids),
            "filter/search expand=jql,sharePermissions (paged)": lambda: paged(
                API + "/filter/search", expand="jql,sharePermissions"
            ),
            "GET /board?projectKeyOrId=OPS": one(
                "GET", "/rest/agile/1.0/board", params={"projectKeyOrId": "OPS"}
            ),
        }
        for label, read in reads.items():
            times, count = [], 0
            for _ in range(args.repeat):
                began = time.perf_counter()
                count = read()
                times.append((time.perf_counter() - began) * 1000)
            print(f"{label}: {count} request(s), median {statistics.median(times):.1f} ms")


def _per_field(call: Callable[..., Any], field_ids: list[tuple[str, str]]) -> int:
    for field_id, context_id in field_ids:
        call("GET", f"{API}/field/{field_id}/context")
        call("GET", f"{API}/field/{field_id}/context/{context_id}/option")
    return 2 * len(field_ids)


if __name__ == "__main__":
    main()
