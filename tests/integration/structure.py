#!/usr/bin/python3
"""The shape of the source tree: who may include whom.

Reads the C sources under $SRCDIR (the folders of LAYERS that exist;
tests/ and bench/ are not looked at) and compiles nothing. `dir/x.c` and
`dir/x.h` are one module, `dir/x`; a `#include "..."` (resolved against
the including file's folder) is an edge from the file's module to the
header's. It fails on:

- an include cycle: modules that reach each other through includes (a
  strongly connected component of more than one module), with the
  include lines that tie them;
- an include against the layers: a folder may include only the folders
  LAYERS gives it (cmd anything); siblings on one layer (feed and
  notifiers, net and config) may not include each other;
- a library header in the wrong room: nothing under core/ includes a
  header of CORE_FORBIDS, and each header of LIBRARIES is included only
  by the files listed for it;
- a `#include "..."` that names no file.

One PASS line per rule when it holds, one FAIL line per violation (the
file:line and the include). Then, and alone with --selftest, it proves
it can fail: small trees built in a temporary folder, each with one
known fault (or none), must give exactly that fault.
"""
import os
import re
import sys

import testlib
from testlib import report

# folder -> the folders its files may include; None: any.
LAYERS = {
    "core": {"core"},
    "config": {"config", "core"},
    "net": {"net", "core"},
    "feed": {"feed", "net", "config", "core"},
    "notifiers": {"notifiers", "net", "config", "core"},
    "cmd": None,
}
# Headers (or prefixes, ending in /) of libraries no file under core/ may
# include: the core does no networking, no calendar, no serving.
CORE_FORBIDS = ("curl/", "libical/", "microhttpd.h")
# A library header -> the only files that may include it.
LIBRARIES = {
    "yaml.h": {"core/note.c", "core/fmedit.c", "config/config.c"},
    "md4c.h": {"core/body.c"},
    "curl/curl.h": {"net/http.c", "notifiers/email.c"},
    "libical/ical.h": {"feed/calendar.c"},
    "sqlite3.h": {"core/cache.c", "notifiers/ledger.c"},
    "pcre2.h": {"core/regex.c"},
}

RULES = {
    "cycle": "no include cycle between modules",
    "layer": "every include runs from a layer to one below it or its own",
    "library": "library headers only where the table allows them",
    "missing": 'every #include "..." names a file',
}

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)',
                     re.M)
# Comments (blanked, newlines kept) and the literals they may hide in.
LEXEME = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"'
                    r"|'(?:\\.|[^'\\\n])*'", re.S)


def without_comments(text):
    def blank(m):
        s = m.group(0)
        return re.sub(r"[^\n]", " ", s) if s[0] == "/" else s
    return LEXEME.sub(blank, text)


def module_of(rel):
    base, ext = os.path.splitext(rel)
    return base if ext in (".c", ".h") else rel


def layer_of(rel):
    return rel.split("/", 1)[0]


def sources(root):
    """The .c and .h files of the folders of LAYERS, relative to root."""
    out = []
    for top in LAYERS:
        for folder, dirs, files in os.walk(os.path.join(root, top)):
            dirs.sort()
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    out.append(os.path.relpath(os.path.join(folder, f), root)
                               .replace(os.sep, "/"))
    return out


def includes(root, rel):
    """[(line, quoted?, name, the directive as written)] of one file."""
    with open(os.path.join(root, rel), encoding="utf-8",
              errors="replace") as f:
        text = without_comments(f.read())
    out = []
    for m in INCLUDE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        quoted = m.group(1) is not None
        name = m.group(1) if quoted else m.group(2)
        shown = '#include "%s"' % name if quoted else "#include <%s>" % name
        out.append((line, quoted, name, shown))
    return out


def cycles(edges):
    """Strongly connected components of more than one module (Tarjan),
    each a sorted list."""
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def check(root):
    """Every violation in the tree at root: dicts with rule, name (file:line
    and the include, or the modules of a cycle) and detail; for a cycle
    also ties, the include lines inside it."""
    found, edges = [], {}     # (module, module) -> [(file, line, include)]
    for rel in sources(root):
        layer, here = layer_of(rel), os.path.dirname(rel)
        for line, quoted, name, shown in includes(root, rel):
            at = "%s:%d %s" % (rel, line, shown)
            if not quoted:
                rule = library_rule(rel, layer, name)
                if rule:
                    found.append({"rule": "library", "name": at,
                                  "detail": rule})
                continue
            target = os.path.normpath(os.path.join(here, name)).replace(
                os.sep, "/")
            if not os.path.isfile(os.path.join(root, target)):
                found.append({"rule": "missing", "name": at,
                              "detail": "there is no %s" % target})
                continue
            allowed = LAYERS[layer]
            if allowed is not None and layer_of(target) not in allowed:
                found.append({"rule": "layer", "name": at, "detail":
                              "%s may include only %s" % (
                                  layer, ", ".join(sorted(allowed)))})
            a, b = module_of(rel), module_of(target)
            if a != b:
                edges.setdefault((a, b), []).append((rel, line, shown))
    for part in cycles(edges):
        ties = sorted(tie for (a, b), some in edges.items()
                      if a in part and b in part for tie in some)
        found.append({"rule": "cycle", "name": ", ".join(part),
                      "detail": "%d include lines tie them" % len(ties),
                      "ties": ["%s:%d %s" % tie for tie in ties]})
    return found


def library_rule(rel, layer, name):
    """Why rel may not include <name>, or None."""
    if layer == "core" and any(
            name.startswith(p) if p.endswith("/") else name == p
            for p in CORE_FORBIDS):
        return "no file under core/ may include <%s>" % name
    allowed = LIBRARIES.get(name)
    if allowed is not None and rel not in allowed:
        return "only %s may include <%s>" % (", ".join(sorted(allowed)),
                                              name)
    return None


TITLES = {
    "cycle": "include cycle between",
    "layer": "include against the layers",
    "library": "library header in the wrong room",
    "missing": "include of no file",
}


def report_tree(root):
    found = check(root)
    for rule, clean in RULES.items():
        mine = [v for v in found if v["rule"] == rule]
        if not mine:
            report(clean, True)
        for v in mine:
            report("%s %s" % (TITLES[rule], v["name"]), False, v["detail"])
            for tie in v.get("ties", ()):
                print("    " + tie)


# ------------------------------------------------------------ selftest

INC = '#include "%s"\n'
# (what it proves, the tree, what check() must find: (rule, name, detail)
# or, for a cycle, (rule, modules, include lines))
CASES = [
    ("a cycle of two is found", {
        "core/a.c": INC % "a.h" + INC % "b.h",
        "core/a.h": "",
        "core/b.c": INC % "b.h" + "\n" + INC % "a.h",
        "core/b.h": "",
    }, [("cycle", "core/a, core/b",
         ['core/a.c:2 #include "b.h"', 'core/b.c:3 #include "a.h"'])]),
    ("a cycle of three modules through headers is found", {
        "core/a.h": INC % "b.h",
        "core/b.h": INC % "c.h",
        "core/c.h": INC % "a.h",
        "core/a.c": INC % "a.h",
        "core/c.c": INC % "c.h",
    }, [("cycle", "core/a, core/b, core/c",
         ['core/a.h:1 #include "b.h"', 'core/b.h:1 #include "c.h"',
          'core/c.h:1 #include "a.h"'])]),
    ("core/x.c including ../config/config.h is against the layers", {
        "core/x.c": "#include <stdio.h>\n" + INC % "../config/config.h",
        "config/config.h": "",
    }, [("layer", 'core/x.c:2 #include "../config/config.h"',
         "core may include only core")]),
    ("core/y.c including <curl/curl.h> or <microhttpd.h> is a library in "
     "the wrong room", {
        "core/y.c": "#include <stdio.h>\n#include <curl/curl.h>\n"
                    "#include <microhttpd.h>\n",
    }, [("library", "core/y.c:2 #include <curl/curl.h>",
         "no file under core/ may include <curl/curl.h>"),
        ("library", "core/y.c:3 #include <microhttpd.h>",
         "no file under core/ may include <microhttpd.h>")]),
    ("a library header outside its table is found", {
        "feed/z.c": "#include <sqlite3.h>\n",
    }, [("library", "feed/z.c:1 #include <sqlite3.h>",
         "only %s may include <sqlite3.h>"
         % ", ".join(sorted(LIBRARIES["sqlite3.h"])))]),
    ("feed/a.c including ../notifiers/b.h (a sibling) is against the "
     "layers", {
        "feed/a.c": INC % "../notifiers/b.h",
        "notifiers/b.h": INC % "../core/util.h",
        "core/util.h": "",
    }, [("layer", 'feed/a.c:1 #include "../notifiers/b.h"',
         "feed may include only " + ", ".join(sorted(LAYERS["feed"])))]),
    ("a missing header is found", {
        "net/m.c": INC % "m.h" + '#  include "nowhere.h"\n',
        "net/m.h": "",
    }, [("missing", 'net/m.c:2 #include "nowhere.h"',
         "there is no net/nowhere.h")]),
    ("a clean tree passes", {
        "core/util.h": "#include <stddef.h>\n",
        "core/util.c": INC % "util.h",
        "core/body.c": INC % "util.h" + "#include <md4c.h>\n"
                       "/* #include \"gone.h\"\n#include \"gone.h\" */\n"
                       "// #include \"gone.h\"\n"
                       "static const char *s = \"#include <curl/curl.h>\";\n",
        "config/config.h": INC % "../core/util.h",
        "config/config.c": INC % "config.h" + "#include <yaml.h>\n",
        "net/http.h": INC % "../core/util.h",
        "net/http.c": INC % "http.h" + "#include <curl/curl.h>\n",
        "feed/calendar.c": INC % "../net/http.h" + INC % "../config/config.h"
                           + "#include <libical/ical.h>\n",
        "notifiers/n.c": INC % "../net/http.h" + INC % "../config/config.h",
        "cmd/main.c": INC % "../feed/calendar.c" + INC % "../tests/t.h",
        "tests/t.h": INC % "../cmd/main.c",
        "bench/b.c": INC % "../nowhere.h" + INC % "../cmd/main.c",
    }, []),
]


def found_as_cases(found):
    out = []
    for v in found:
        if v["rule"] == "cycle":
            out.append((v["rule"], v["name"], v["ties"]))
        else:
            out.append((v["rule"], v["name"], v["detail"]))
    return out


def selftest():
    for i, (what, tree, want) in enumerate(CASES):
        root = os.path.join(testlib.TMP, "selftest-%d" % i)
        for rel, text in tree.items():
            testlib.write(os.path.join(root, rel), text, 0o644)
        got = found_as_cases(check(root))
        report("selftest: " + what, sorted(got) == sorted(want),
               "want %r, got %r" % (want, got))


if __name__ == "__main__":
    if sys.argv[1:] != ["--selftest"]:
        report_tree(testlib.SRC)
    selftest()
    testlib.finish()
