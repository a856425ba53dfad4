#!/usr/bin/python3
"""The differential run: followup against Obsidian Tasks 8.3.0's own code, on every vault of the
fixture corpus.

For each vault (tests/cases/*/vault, the folders of tests/fixtures, examples/vault) it runs
`followup tasks --format json` (and `followup query --format json` when followup has that
command) and the oracle (setup.sh builds it: Tasks' code under node), with the settings the
vault pins in .obsidian/plugins/obsidian-tasks-plugin/data.json, compares them task by task
and field by field, prints every difference and a summary. Exit 1 on any difference.

usage: run.py [--followup BIN] [--oracle BUNDLE] [--today YYYY-MM-DD] [FILTER...]
FILTER keeps the vaults whose path contains one of them.
"""
import argparse
import collections
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRATCH = os.environ.get('FOLLOWUP_DIFFERENTIAL_DIR', '/tmp/followup-differential')
DEFAULT_TODAY = '2026-01-10'
TASK_FIELDS = ['status', 'description', 'due', 'scheduled', 'start', 'created', 'done', 'cancelled',
               'priority', 'recurrence', 'id', 'depends_on', 'tags', 'heading', 'sub_item']
SETTINGS = os.path.join('.obsidian', 'plugins', 'obsidian-tasks-plugin', 'data.json')


def corpus():
    """Every vault of the fixture corpus, with the --today its case runs at (if any)."""
    vaults = []
    cases = os.path.join(ROOT, 'tests', 'cases')
    for case in sorted(os.listdir(cases)):
        vault = os.path.join(cases, case, 'vault')
        if os.path.isdir(vault):
            vaults.append((vault, case_today(os.path.join(cases, case, 'args'))))
    fixtures = os.path.join(ROOT, 'tests', 'fixtures')
    for name in sorted(os.listdir(fixtures)):
        if os.path.isdir(os.path.join(fixtures, name)):
            vaults.append((os.path.join(fixtures, name), None))
    vaults.append((os.path.join(ROOT, 'examples', 'vault'), None))
    return vaults


def case_today(args_path):
    try:
        with open(args_path, encoding='utf-8') as f:
            args = f.read().split('\n')
    except OSError:
        return None
    for i, arg in enumerate(args[:-1]):
        if arg == '--today':
            return args[i + 1]
    return None


def valid_day(text):
    try:
        datetime.date.fromisoformat(text)
        return re.fullmatch(r'\d{4}-\d{2}-\d{2}', text) is not None
    except ValueError:
        return False


def notes(vault):
    """The Markdown files Obsidian indexes: every .md outside dot-folders, as vault paths."""
    found, seen = [], set()
    for top, dirs, files in os.walk(vault, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:  # a symlink loop: Obsidian indexes each folder once
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
        for name in sorted(files):
            if name.endswith('.md') and not name.startswith('.'):
                full = os.path.join(top, name)
                if os.path.isfile(full):
                    found.append(os.path.relpath(full, vault).replace(os.sep, '/'))
    return found


QUERY_FENCE = re.compile(r'^ {0,3}(`{3,}|~{3,})[ \t]*tasks[ \t]*$')


def query_blocks(path, text):
    """The ```tasks blocks of a note (top level only): their fence line (1-based) and source."""
    blocks, lines, i = [], text.split('\n'), 0
    while i < len(lines):
        m = QUERY_FENCE.match(lines[i].rstrip('\r'))
        if not m:
            i += 1
            continue
        fence, start, body = m.group(1), i, []
        i += 1
        while i < len(lines) and not re.match(r'^ {0,3}' + fence[0] + '{%d,}[ \t]*$' % len(fence),
                                                  lines[i].rstrip('\r')):
            body.append(lines[i].rstrip('\r'))
            i += 1
        blocks.append({'path': path, 'line': start + 1, 'source': '\n'.join(body)})
        i += 1
    return blocks


def read_settings(vault, warn):
    path = os.path.join(vault, SETTINGS)
    if not os.path.exists(path):
        return None
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        warn(f'{path}: {e}; Tasks would use its defaults')
        return None


def templates_folder(vault):
    """The vault's templates folder as followup finds it (docs/rules.md), or None."""
    for rel, key in (('.obsidian/templates.json', 'folder'),
                     ('.obsidian/plugins/templater-obsidian/data.json', 'templates_folder')):
        try:
            with open(os.path.join(vault, rel), encoding='utf-8') as f:
                value = json.load(f).get(key)
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(value, str) and value.strip('/'):
            return value.strip('/')
    return None


def run_oracle(bundle, request):
    out = subprocess.run(['node', bundle], input=json.dumps(request), capture_output=True, text=True,
                         env=dict(os.environ, TZ=os.environ.get('TZ', 'UTC')))
    if out.returncode != 0:
        raise RuntimeError('oracle failed: ' + out.stderr.strip()[-2000:])
    return json.loads(out.stdout)


def run_followup(binary, command, vault, today, config):
    args = [binary, command, '--vault', vault, '--format', 'json', '--no-cache', '--today', today,
            '--config', config, '-q']
    out = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, TZ='UTC'))
    try:
        return json.loads(out.stdout), out.stderr.strip()
    except ValueError:
        raise RuntimeError(f'followup {command} exit {out.returncode}: {out.stderr.strip()[-2000:]}')


def has_command(binary, command):
    out = subprocess.run([binary, command, '--help'], capture_output=True, text=True)
    return out.returncode == 0


def show(value):
    return json.dumps(value, ensure_ascii=False)


def compare_tasks(ours, theirs, report):
    mine = {(t['path'], t['line']): t for t in ours}
    tasks = {(t['path'], t['line']): t for t in theirs}
    for key in sorted(set(mine) | set(tasks)):
        if key not in tasks:
            report(key, 'task', 'a task (' + show(mine[key]['description']) + ')', 'no task')
            continue
        if key not in mine:
            report(key, 'task', 'no task', 'a task (' + show(tasks[key]['description']) + ')')
            continue
        for field in TASK_FIELDS:
            a, b = mine[key].get(field), tasks[key].get(field)
            if a != b:
                report(key, field, show(a), show(b))


def compare_queries(ours, theirs, report):
    mine = {(q['path'], q['line']): q for q in ours}
    for q in theirs:
        key = (q['path'], q['line'])
        m = mine.get(key)
        if m is None:
            report(key, 'query', 'no query', 'a query')
            continue
        if bool(m.get('error')) != bool(q.get('error')):
            report(key, 'query error', show(m.get('error')), show(q.get('error')))
            continue
        a = [(s['path'], s['line']) for s in m.get('selected', [])]
        b = [(s['path'], s['line']) for s in q.get('selected', [])]
        if set(a) != set(b):
            extra = sorted(set(a) - set(b))
            missing = sorted(set(b) - set(a))
            report(key, 'query selects', 'also ' + show(extra) if extra else '-',
                   'also ' + show(missing) if missing else '-')
        elif a != b:
            report(key, 'query order', show(a), show(b))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--followup', default=os.path.join(ROOT, 'build', 'followup'))
    ap.add_argument('--oracle', default=os.path.join(SCRATCH, 'oracle.bundle.mjs'))
    ap.add_argument('--today', help='the day for every vault (else its case\'s --today, else '
                    + DEFAULT_TODAY + ')')
    ap.add_argument('--summary', action='store_true', help='print the count of differences per field')
    ap.add_argument('filters', nargs='*')
    opts = ap.parse_args()
    if not os.path.exists(opts.oracle):
        sys.exit(f'run.py: no oracle at {opts.oracle}: run tests/differential/setup.sh first')
    with_queries = has_command(opts.followup, 'query')
    fd, config = tempfile.mkstemp(prefix='followup-differential-', suffix='.yml')
    os.close(fd)
    counts = collections.Counter()
    per_field = collections.Counter()
    try:
        for vault, today in corpus():
            name = os.path.relpath(vault, ROOT)
            if opts.filters and not any(f in name for f in opts.filters):
                continue
            if today is not None and not valid_day(today):
                today = None  # a case about a bad --today: the vault is still worth comparing
            today = opts.today or today or DEFAULT_TODAY

            def warn(message, name=name):
                print(f'{name}: warning: {message}')

            def report(key, field, ours, theirs, name=name):
                counts['differences'] += 1
                per_field[field] += 1
                print(f'{name}  {key[0]}:{key[1]}  {field}: followup {ours}  Tasks {theirs}')

            files, queries = [], []
            # A template is not a note to followup (the rule, docs/rules.md), where Tasks
            # reads its tasks like any other: the templates folder is left out on both sides.
            folder = templates_folder(vault)
            skipped = 0
            for path in notes(vault):
                if folder is not None and path.startswith(folder + '/'):
                    skipped += 1
                    continue
                with open(os.path.join(vault, path), encoding='utf-8', errors='replace', newline='') as f:
                    text = f.read()
                files.append({'path': path, 'text': text})
                queries.extend(query_blocks(path, text))
            if skipped:
                warn(f'{skipped} note(s) of the templates folder {folder}/ left out on both sides')
            request = {'today': today, 'settings': read_settings(vault, warn), 'files': files,
                       'queries': queries}
            try:
                theirs = run_oracle(opts.oracle, request)
                ours, _ = run_followup(opts.followup, 'tasks', vault, today, config)
            except RuntimeError as e:
                report(('-', 0), 'run', str(e), '')
                continue
            for w in theirs.get('warnings', []):
                warn('Tasks: ' + w)
            counts['vaults'] += 1
            counts['tasks'] += len(theirs['tasks'])
            compare_tasks(ours['tasks'], theirs['tasks'], report)
            if with_queries:
                counts['queries'] += len(theirs['queries'])
                try:
                    ours_q, _ = run_followup(opts.followup, 'query', vault, today, config)
                except RuntimeError as e:
                    report(('-', 0), 'run', str(e), '')
                    continue
                compare_queries(ours_q.get('queries', []), theirs['queries'], report)
    finally:
        os.unlink(config)
    if opts.summary:
        for field, n in per_field.most_common():
            print(f'  {n:5d} {field}')
    print(f"{counts['vaults']} vaults, {counts['tasks']} tasks, {counts['queries']} queries, "
          f"{counts['differences']} differences" + ('' if with_queries else ' (followup has no query command yet)'))
    return 1 if counts['differences'] else 0


if __name__ == '__main__':
    sys.exit(main())
