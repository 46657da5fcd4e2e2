"""Event logs for process mining from raw_events: CSV, XES (IEEE 1849) and OCEL 2.0 JSON.

A case is a pathway; an activity is an event type; the timestamp is `occurred_at` (business
time, §4.1). Pathways are chosen by their facts (region, municipality, entry-month cohort), so
an export matches what the dashboards count. Only pseudonymous ids leave ClickHouse.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import quoteattr

from schemas import tables

# Objects of the OCEL export besides the pathway: body field -> object type.
OBJECT_FIELDS = {
    "offer_id": "offer",
    "company_id": "company",
    "mentor_id": "mentor",
    "company_mentor_id": "mentor",
}


@dataclass(frozen=True)
class LogEvent:
    """One row of the event log."""

    case_id: str
    event_id: str
    activity: str
    at: datetime
    role: str
    municipality_code: str
    job_centre_id: str
    body: dict[str, Any]

    @property
    def lifecycle(self) -> str:
        """XES lifecycle transition: `*.started` starts an activity, everything else completes."""
        return "start" if self.activity.endswith(".started") else "complete"


@dataclass(frozen=True)
class Selection:
    """Which pathways to export (all given filters must hold)."""

    region: str | None = None
    municipality: str | None = None
    cohort_month: str | None = None  # YYYY-MM, the month of entry (first contact, E1)

    def where(self) -> tuple[str, dict[str, Any]]:
        """SQL condition on pathway_facts and its parameters."""
        parts, params = ["1 = 1"], {}
        if self.region:
            parts.append("region_code = %(region)s")
            params["region"] = self.region
        if self.municipality:
            parts.append("municipality_code = %(municipality)s")
            params["municipality"] = self.municipality
        if self.cohort_month:
            parts.append("entry_month = toDate(%(month)s)")
            params["month"] = f"{self.cohort_month}-01"
        return " AND ".join(parts), params


def query(client: Any, database: str, selection: Selection) -> list[LogEvent]:
    """Events of the selected pathways, ordered by case and time."""
    cond, params = selection.where()
    sql = (
        f"SELECT pathway_id, event_id, event_type, toUnixTimestamp(occurred_at), actor_role, "
        f"municipality_code, job_centre_id, body FROM {database}.{tables.RAW_EVENTS} FINAL "
        f"WHERE pathway_id IN (SELECT pathway_id FROM {database}.{tables.PATHWAY_FACTS} FINAL "
        f"WHERE {cond}) ORDER BY pathway_id, occurred_at, event_id"
    )
    return [
        LogEvent(
            case_id=r[0],
            event_id=r[1],
            activity=r[2],
            at=datetime.fromtimestamp(int(r[3]), tz=UTC),
            role=r[4],
            municipality_code=r[5],
            job_centre_id=r[6],
            body=json.loads(r[7]),
        )
        for r in client.execute(sql, params)
    ]


CSV_COLUMNS = (
    "case:concept:name",
    "concept:name",
    "time:timestamp",
    "lifecycle:transition",
    "org:role",
    "event_id",
    "municipality_code",
    "job_centre_id",
)


def to_csv(events: list[LogEvent]) -> str:
    """One row per event, with the XES standard attribute names as column names."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow(
            (
                e.case_id,
                e.activity,
                e.at.isoformat(),
                e.lifecycle,
                e.role,
                e.event_id,
                e.municipality_code,
                e.job_centre_id,
            )
        )
    return out.getvalue()


def _attr(kind: str, key: str, value: str) -> str:
    return f"<{kind} key={quoteattr(key)} value={quoteattr(value)}/>"


def to_xes(events: list[LogEvent]) -> str:
    """IEEE 1849 XES with the concept, time, lifecycle and org extensions; one trace per case."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<log xes.version="1849-2016" xes.features="nested-attributes">',
        '<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>',
        '<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>',
        '<extension name="Lifecycle" prefix="lifecycle" '
        'uri="http://www.xes-standard.org/lifecycle.xesext"/>',
        '<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>',
        '<global scope="trace">' + _attr("string", "concept:name", "") + "</global>",
        '<global scope="event">'
        + _attr("string", "concept:name", "")
        + _attr("date", "time:timestamp", "1970-01-01T00:00:00.000+00:00")
        + _attr("string", "lifecycle:transition", "complete")
        + "</global>",
        _attr("string", "concept:name", "pathwatch pathways"),
    ]
    current: str | None = None
    for e in events:
        if e.case_id != current:
            if current is not None:
                lines.append("</trace>")
            lines.append("<trace>" + _attr("string", "concept:name", e.case_id))
            lines.append(_attr("string", "municipality_code", e.municipality_code))
            current = e.case_id
        lines.append(
            "<event>"
            + _attr("string", "concept:name", e.activity)
            + _attr("date", "time:timestamp", e.at.isoformat(timespec="milliseconds"))
            + _attr("string", "lifecycle:transition", e.lifecycle)
            + _attr("string", "org:role", e.role)
            + _attr("string", "event_id", e.event_id)
            + "</event>"
        )
    if current is not None:
        lines.append("</trace>")
    lines.append("</log>")
    return "\n".join(lines) + "\n"


def to_ocel(events: list[LogEvent]) -> str:
    """OCEL 2.0 JSON: pathways, offers, companies and mentors as objects of the events."""
    objects: dict[str, dict[str, Any]] = {}
    out_events = []
    activities: set[str] = set()
    for e in events:
        activities.add(e.activity)
        pathway = f"pathway:{e.case_id}"
        objects.setdefault(
            pathway,
            {
                "id": pathway,
                "type": "pathway",
                "attributes": [
                    {
                        "name": "municipality_code",
                        "time": e.at.isoformat(),
                        "value": e.municipality_code,
                    }
                ],
                "relationships": [],
            },
        )
        rels = [{"objectId": pathway, "qualifier": "pathway"}]
        for field, otype in OBJECT_FIELDS.items():
            value = e.body.get(field)
            if not value:
                continue
            oid = f"{otype}:{value}"
            objects.setdefault(
                oid, {"id": oid, "type": otype, "attributes": [], "relationships": []}
            )
            rels.append({"objectId": oid, "qualifier": field})
            link = {"objectId": oid, "qualifier": field}
            if link not in objects[pathway]["relationships"]:
                objects[pathway]["relationships"].append(link)
        out_events.append(
            {
                "id": e.event_id,
                "type": e.activity,
                "time": e.at.isoformat(),
                "attributes": [{"name": "org:role", "value": e.role}],
                "relationships": rels,
            }
        )
    doc = {
        "objectTypes": [
            {"name": t, "attributes": []} for t in sorted({o["type"] for o in objects.values()})
        ],
        "eventTypes": [
            {"name": a, "attributes": [{"name": "org:role", "type": "string"}]}
            for a in sorted(activities)
        ],
        "objects": list(objects.values()),
        "events": out_events,
    }
    # pathway objects carry a municipality attribute: declare it on the type.
    for t in doc["objectTypes"]:
        if t["name"] == "pathway":
            t["attributes"] = [{"name": "municipality_code", "type": "string"}]
    return json.dumps(doc, indent=1)


FORMATS = {"csv": to_csv, "xes": to_xes, "ocel": to_ocel}


def case_durations(events: list[LogEvent]) -> dict[str, float]:
    """Seconds from a case's first to its last event (what process-mining tools call duration)."""
    first: dict[str, datetime] = {}
    last: dict[str, datetime] = {}
    for e in events:
        first[e.case_id] = min(first.get(e.case_id, e.at), e.at)
        last[e.case_id] = max(last.get(e.case_id, e.at), e.at)
    return {c: (last[c] - first[c]).total_seconds() for c in first}
