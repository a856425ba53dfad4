#!/usr/bin/python3
"""The script a user would write instead of followup: the same job in plain
Python (PyYAML for frontmatter, regular expressions for tasks and links,
`icalendar` for the feed). It is the benchmark's peer, not a reference:
it skips the corner cases followup handles (code blocks, callouts, BOMs...).

    peer.py VAULT TODAY OUT.ics
"""
import datetime
import json
import os
import re
import sys

import icalendar
import yaml

TASK = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+\[(.)\]\s+(.*)$")
DUE = re.compile(r"(?:\U0001F4C5|\U0001F4C6|\U0001F5D3)\uFE0F?\s*(\d{4}-\d{2}-\d{2})")
LINK = re.compile(r"\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]")
QUERY = re.compile(r"```tasks\n(.*?)```", re.S)


def as_date(v):
    if isinstance(v, datetime.datetime):
        return v.date()
    if isinstance(v, datetime.date):
        return v
    if isinstance(v, str) and len(v) >= 10:
        try:
            return datetime.date.fromisoformat(v[:10])
        except ValueError:
            return None
    return None


def read(vault):
    notes = []
    for root, dirs, files in os.walk(vault):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if not f.endswith(".md"):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, vault)
            text = open(path, encoding="utf-8").read()
            fm, body = {}, text
            if text.startswith("---\n"):
                end = text.find("\n---\n", 4)
                if end > 0:
                    try:
                        fm = yaml.safe_load(text[4:end]) or {}
                    except yaml.YAMLError:
                        fm = {}
                    body = text[end + 5:]
            tasks = []
            for n, line in enumerate(body.splitlines()):
                m = TASK.match(line)
                if m:
                    due = DUE.search(m.group(2))
                    tasks.append({"path": rel, "line": n, "text": m.group(2),
                                  "status": m.group(1),
                                  "due": as_date(due.group(1)) if due else None,
                                  "links": LINK.findall(m.group(2))})
            notes.append({"path": rel, "fm": fm if isinstance(fm, dict) else {},
                          "tasks": tasks, "queries": QUERY.findall(body)})
    return notes


def main():
    vault, today = sys.argv[1], datetime.date.fromisoformat(sys.argv[2])
    notes = read(vault)
    contacts = {}
    for n in notes:
        fm = n["fm"]
        tags = fm.get("tags") or []
        if fm.get("type") == "people" or "type/people" in tags:
            name = fm.get("title") or os.path.basename(n["path"])[:-3]
            contacts[name.lower()] = {"name": name, "note": n, "items": [],
                                      "last": as_date(fm.get("last_contact"))
                                      or as_date(fm.get("created"))}
    all_tasks = [t for n in notes for t in n["tasks"]]
    for c in contacts.values():
        c["items"] += c["note"]["tasks"]
        for q in c["note"]["queries"]:
            needles = [l[len("path includes "):].strip().lower()
                       for l in q.splitlines() if l.startswith("path includes ")]
            for t in all_tasks:
                if all(nd in t["path"].lower() for nd in needles):
                    c["items"].append(t)
    for t in all_tasks:
        for l in t["links"]:
            c = contacts.get(l.split("/")[-1].lower())
            if c:
                c["items"].append(t)
    for n in notes:
        d = as_date(n["fm"].get("date"))
        for a in n["fm"].get("attendees") or []:
            for l in LINK.findall(str(a)):
                c = contacts.get(l.lower())
                if c:
                    c["items"] += n["tasks"]
                    if d and d <= today and (c["last"] is None or d > c["last"]):
                        c["last"] = d
    cal = icalendar.Calendar()
    cal.add("prodid", "-//peer//EN")
    cal.add("version", "2.0")
    out = []
    for c in contacts.values():
        items = {(t["path"], t["line"]): t for t in c["items"]
                 if t["status"] not in "xX-"}
        due = c["last"] + datetime.timedelta(days=30) if c["last"] else today
        dues = [t["due"] for t in items.values() if t["due"]]
        if dues:
            due = min(due, min(dues))
        out.append({"name": c["name"], "due": due.isoformat(),
                    "open_items": len(items)})
        ev = icalendar.Event()
        ev.add("uid", c["note"]["path"])
        ev.add("summary", "Follow up with " + c["name"])
        ev.add("dtstart", max(due, today))
        cal.add_component(ev)
    out.sort(key=lambda c: (c["due"], c["name"]))
    with open(sys.argv[3], "wb") as f:
        f.write(cal.to_ical())
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
