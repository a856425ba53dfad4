#!/usr/bin/python3
"""Differential test of task detection: followup (tests/tasklines) against cmark.

docs/rules.md says structure comes from md4c, so followup agrees with CommonMark.
This script checks that claim against cmark (`cmark -t xml --sourcepos`):

  A task is a list item whose FIRST block is a paragraph whose leading text
  begins `[c]` (c = exactly one Unicode character), then a space, a tab or the
  end of the line, written literally in the source: `\\[ ] a` or `&#91; ] a`
  decode to the same text in cmark's tree but are not tasks. And, as the Tasks
  plugin reads a line (TaskRegularExpressions.taskRegex), what stands before
  the checkbox on its line is blanks and `>`, the list marker, then spaces
  only: `-\t[ ] a` and `* - [ ] a` are list items to Obsidian, not tasks to
  Tasks. The task's line is the paragraph's first line.

The tool under test, $BUILD_DIR/tests/tasklines FILE..., prints `FILE:LINE` for
each task line (in file order) or `FILE:skip` for a file followup skips. The
script predicts skips from docs/rules.md (a file over 16 MiB) and compares them
too. Frontmatter (the first line after a BOM is `---`, up to the next line `---`,
each followed only by spaces/tabs; a leading blank means no fence; `...` does not
close it) is
blanked before cmark sees the file so that line numbers stay those of the file;
one never closed is no frontmatter, and the whole file is Markdown. A file that
is not UTF-8 is given with U+FFFD for each ill-formed sequence; a BOM is
dropped.

md4c 0.4.8 is not fully CommonMark-compliant, so there are four groups, one
PASS line each (A-C run on corpora written to a temporary folder):

  A well-formed  WF_COUNT documents from a fixed seed: the same shape families
    corpus       as B, generated so that they avoid every known md4c deviation
                 (see C): no line indented 4+ columns except top-level indented
                 code after a blank line and nested content at its exact column,
                 no fence left open in a container, quotes `> ` with one space,
                 no tab after a bullet, never two blank lines in a row, empty
                 items only between items, no blank line after a self-closing
                 block in a list item. Task lines must agree exactly, no
                 excuses; md4c and cmark must also build the same blocks (see
                 B), and the corpus must hold NONTRIVIAL tasks and non-task
                 items (else FAIL: vacuous).
  B adversarial  CORPUS_COUNT documents from the original, deliberately sloppy
    corpus       generator. Where the task lines differ, both parsers' HTML for
                 the same input (`cmark --unsafe`, $BUILD_DIR/tests/md2html) is
                 reduced to its block skeleton: the opening/closing tags of ul
                 ol li p blockquote pre h1-h6 hr plus ol's start, nothing else
                 (a <p> directly in an <li> is left out: tight and loose lists
                 print it differently). Raw HTML is passed through verbatim by
                 both, so its tags count the same on both sides. Equal skeletons
                 are a followup bug: FAIL. So are skeletons that differ only
                 away from the first differing task: those of the text through
                 the first blank line after it, or the inline tags of the blocks
                 from it on, must differ as well (differing_blocks), so that a
                 disagreement elsewhere in a long document cannot hide a bug.
                 Otherwise it is a parser disagreement: counted, FAIL above
                 ADV_MAX_SHARE of the files, the 3 smallest shown as `note:`
                 lines. A skip mismatch, a tool error, or different task lines
                 where md4c gave up: FAIL.
  C deviations   tests/fixtures/md4c-deviations/*.md, each listed in its
    pinned       expected.txt as `FILE: cmark=[..] followup=[..]`: each known
                 deviation must still give exactly those task lines on each side,
                 and different skeletons, so we notice when md4c or cmark changes.
  D fixtures     every *.md under $SRCDIR/tests/cases/*/vault/, examples/vault/
                 and tests/fixtures/tasks/ (dot folders included: the tool under
                 test is per file; never tests/fixtures/md4c-deviations/). Task
                 lines must agree exactly. Printed first.

Output: PASS/FAIL lines; exit status 1 when anything failed.
Environment: BUILD_DIR (tests/tasklines and tests/md2html), SRCDIR (FOLLOWUP
unused); optional CMARK_DIFF_SEED and CMARK_DIFF_COUNT (B), CMARK_DIFF_WF_SEED
and CMARK_DIFF_WF_COUNT (A), CMARK_DIFF_KEEP=1 (keep the generated corpora).
Standard library and testlib only.
"""

import concurrent.futures
import os
import random
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET

import testlib
from testlib import report

NS = '{http://commonmark.org/xml/1.0}'
SEED = int(os.environ.get('CMARK_DIFF_SEED', '20260110'))
WF_SEED = int(os.environ.get('CMARK_DIFF_WF_SEED', '20260111'))
CORPUS_COUNT = int(os.environ.get('CMARK_DIFF_COUNT', '2500'))
WF_COUNT = int(os.environ.get('CMARK_DIFF_WF_COUNT', '2000'))
BATCH = 250                      # files per tasklines / md2html invocation
MAX_FILE = 16 * 1024 * 1024      # rules.md: a file over 16 MiB is skipped
MAX_SHOWN = 10                   # differing files printed on FAIL
NONTRIVIAL = 1000                # tasks and non-task items A must hold
ADV_MAX_SHARE = 0.25             # B: at most this share may be parser disagreements
NOTES = 3                        # B: parser disagreements always shown
DEVIATIONS = os.path.join('tests', 'fixtures', 'md4c-deviations')
BOM = b'\xef\xbb\xbf'

# ---------------------------------------------------------------------------
# Reference: what cmark says
# ---------------------------------------------------------------------------

BOX = re.compile(r'\[(.)\]', re.S)
# What Tasks' taskRegex allows before the checkbox: ^[\s\t>]*([-*+]|[0-9]+[.)]) +
TASK_PREFIX = re.compile(r'[\s>]*(?:[-*+]|[0-9]+[.)]) +')
# The start of a link reference definition. cmark removes definitions from the
# front of a paragraph but keeps the paragraph's original start line (and, after
# a lazy line, that line's leading spaces), so when a definition and more text
# share one paragraph, cmark's line and leading text are wrong: such files are
# left out of the comparison and counted as "unverifiable".
REFDEF = re.compile(r'\[(?:[^\]\\]|\\.)+\]:')


def split_lines(data):
    """Lines with their terminators, as followup counts them: LF (or CRLF) ends one."""
    return [m for m in re.split(b'(?<=\n)', data) if m]


def line_content(line):
    if line.endswith(b'\n'):
        line = line[:-1]
    if line.endswith(b'\r'):
        line = line[:-1]
    return line


FM_OPEN = re.compile(rb'---[ \t]*')
FM_CLOSE = re.compile(rb'---[ \t]*')


def prepare(data):
    """Return ('skip', reason) or ('ok', bytes given to cmark and md2html).

    rules.md "Frontmatter": the first line (after a BOM) is `---` followed only
    by spaces/tabs; it ends at the next line that is `---` followed only by
    spaces/tabs (a leading space or tab: not a fence; YAML's `...` does not
    end it). A line's CR before its LF is not part of it."""
    if len(data) > MAX_FILE:
        return 'skip', 'over 16 MiB'
    # Not UTF-8: read with U+FFFD for each ill-formed sequence, as Obsidian's
    # TextDecoder (and Python's "replace") mends it.
    data = data.decode('utf-8', 'replace').encode('utf-8')
    if data.startswith(BOM):
        data = data[len(BOM):]
    lines = split_lines(data)
    if lines and FM_OPEN.fullmatch(line_content(lines[0])):
        for i in range(1, len(lines)):
            if FM_CLOSE.fullmatch(line_content(lines[i])):
                blank = [b'\r\n' if l.endswith(b'\r\n') else b'\n'
                         for l in lines[:i + 1]]
                return 'ok', b''.join(blank + lines[i + 1:])
        # Never closed: no frontmatter, the whole file is Markdown.
    return 'ok', data


def run_cmark(text, args=('-t', 'xml', '--sourcepos')):
    p = subprocess.run(['cmark'] + list(args), input=text,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError('cmark exited %d: %s' % (p.returncode, p.stderr[:200]))
    return p.stdout


def start_of(elem):
    line, col = elem.get('sourcepos').split('-')[0].split(':')
    return int(line), int(col)


def tasks_from_xml(xml_bytes, text):
    """(sorted task lines, number of non-task items, unverifiable count)."""
    root = ET.fromstring(xml_bytes)
    raw = text.splitlines()        # CR, LF or CRLF: cmark's own line numbering
    tasks, others, unverifiable = [], 0, 0
    for item in root.iter(NS + 'item'):
        blocks = list(item)
        if not blocks or blocks[0].tag != NS + 'paragraph':
            others += 1
            continue
        para = blocks[0]
        lead = ''
        for child in para:
            if child.tag != NS + 'text':
                break
            lead += child.text or ''
        line, col = start_of(para)
        after = raw[line - 1][col - 1:].decode('utf-8', 'replace')
        src = after.lstrip(' \t')
        before = raw[line - 1][:col - 1].decode('utf-8', 'replace') + \
            after[:len(after) - len(src)]
        d = REFDEF.match(src)
        if d and not lead.startswith(d.group(0)):
            unverifiable += 1      # cmark dropped a definition from this paragraph
            continue
        m = BOX.match(lead)
        if (m is None and len(para) and para[0].tag == NS + 'link' and
                not lead):
            # `[x]` that a definition `[x]: /url` made a link: GFM's task
            # list extension (which Obsidian follows) reads the box first.
            m = BOX.match(src)
        if m and re.match(re.escape('[' + m.group(1) + ']') + r'(?:[ \t]|$)',
                          src) and TASK_PREFIX.fullmatch(before):
            tasks.append(line)
        else:                      # also `\[ ] a`, `&#91; ] a`, `[&amp;] a`...
            others += 1
    return sorted(tasks), others, unverifiable


def reference(paths, jobs):
    """path -> dict(status='skip'|'ok'|'unverifiable', lines, others, why)."""
    out = {}
    todo = {}
    for p in paths:
        with open(p, 'rb') as f:
            data = f.read()
        state, val = prepare(data)
        if state == 'skip':
            out[p] = {'status': 'skip', 'lines': [], 'others': 0, 'why': val,
                      'text': None}
        else:
            todo[p] = val

    def one(p):
        text = todo[p]
        lines, others, unver = tasks_from_xml(run_cmark(text), text)
        return p, lines, others, unver

    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        for p, lines, others, unver in ex.map(one, sorted(todo)):
            out[p] = {'status': 'unverifiable' if unver else 'ok',
                      'lines': lines, 'others': others, 'why': '',
                      'text': todo[p]}
    return out


# ---------------------------------------------------------------------------
# The tool under test
# ---------------------------------------------------------------------------

def run_tool_batch(tool, batch):
    """path -> ('ok', [lines]) | ('skip', []) | ('error', message)."""
    p = subprocess.run([tool] + batch, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=600)
    if p.returncode != 0:
        return None, 'exit %d: %s' % (p.returncode,
                                      p.stderr.decode('utf-8', 'replace')[-500:])
    known = {os.fsencode(b): b for b in batch}
    res = {b: ('ok', []) for b in batch}
    for raw in p.stdout.splitlines():
        name, sep, val = raw.rpartition(b':')
        path = known.get(name)
        if not sep or path is None:
            return None, 'unexpected output line %r' % raw[:200]
        kind, lines = res[path]
        if val == b'skip':
            res[path] = ('error', 'skip printed with task lines') if lines \
                else ('skip', [])
        elif val.isdigit() and kind == 'ok':
            lines.append(int(val))
        else:
            res[path] = ('error', 'bad output %r' % raw[:200])
    return res, ''


def run_tool(tool, paths, jobs):
    out = {}
    batches = [paths[i:i + BATCH] for i in range(0, len(paths), BATCH)]

    def one(batch):
        res, err = run_tool_batch(tool, batch)
        if res is not None:
            return res
        # The batch failed as a whole: find the files that fail alone.
        res = {}
        for p in batch:
            r, e = run_tool_batch(tool, [p])
            res[p] = r[p] if r is not None else ('error', e)
        return res

    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        for res in ex.map(one, batches):
            out.update(res)
    return out


# ---------------------------------------------------------------------------
# Corpus generators: shape combinators. These first ones make the adversarial
# corpus (B): deliberately sloppy Markdown (odd indentation, tabs, lazy lines,
# fences left open...). The well-formed corpus (A) reuses some of them below.
# ---------------------------------------------------------------------------

STATUS = [' '] * 8 + ['x'] * 3 + ['X', '-', '/', '?', '!', '>', '<', 'é', '🔥',
                                  '*', '_', '`', ']', '[', '~', '#', 'a', '\\', '\t',
                                  '\u00a0', '&']
WORDS = ['call', 'Ana', 'about', 'the', 'offer', 'send', 'notes', 'plan', 'ok']
TAIL_TOKENS = WORDS * 3 + [
    '📅 2026-01-10', '📅 2026-02-29', '📆 2025-12-31', '🗓️ 2026-03-01',
    '[due:: 2026-01-12]', '(due:: 2026-01-12)', '#work', '#tag/sub',
    '[[Ana Lima]]', '[[people/Bo|Bo]]', '`code [ ] x`', '*em*', '**strong**',
    '_under_', '<span>x</span>', 'https://example.com/a_b', '[link](/u)',
    '[x]', 'a*b', '&amp;', '\\*', '~~gone~~', '✅ 2026-01-02', '⏳ 2026-01-05',
]
# First lines of item content that are not well-formed boxes.
MALFORMED = [
    '[]', '[] a', '[  ] a', '[ ]', '[ ] ', '[ ]text', '[x]done', '[xx] a',
    '[ x] a', '[x ] a', '**[ ]** a', '*[ ]* a', '`[ ]` a', '\\[ ] a',
    '\\[x] a', '[\\]] a', '&#91; ] a', '[&amp;] a', '[ ]\ta', '( ) a',
    '[[ ]] a', '[[Ana]] call', '[x](/url) a', '[ ](/url) a', '<b>[ ]</b> a',
    '📅 2026-01-10 [ ] a', ' [ ] a', '[ ]  ', '[✔️] a', '[ ]\u00a0a',
    '[ ] \\', '[x] \\', '[ ]<br>a',
]
PLAIN = ['call Ana', 'buy milk 📅 2026-01-10', '#tag only', 'x', '[[Ana Lima]]',
         'a [ ] b', '- [ ] in text', '1. two', '***', '# heading in item',
         '> quoted [ ] a', '```', '<div>', '    [ ] code in item', 'a\\',
         '---']


def tail(rng):
    return ' '.join(rng.choice(TAIL_TOKENS) for _ in range(rng.randint(1, 4)))


def item_text(rng):
    r = rng.random()
    if r < 0.58:
        return '[%s] %s' % (rng.choice(STATUS), tail(rng))
    if r < 0.82:
        m = rng.choice(MALFORMED)
        return m + (' ' + tail(rng) if rng.random() < 0.3 and m.endswith(' a')
                    else '')
    return rng.choice(PLAIN)


def indent_lines(lines, ind):
    return [ind + l if l.strip() else l for l in lines]


def para_lines(rng):
    r = rng.random()
    first = rng.choice([
        'Some text.', '[ ] not in a list', 'Call [[Ana Lima]] 📅 2026-01-10',
        'x', 'a line with `- [ ] code`', '**bold** [ ] b', '2) not a list start',
    ])
    lines = [first]
    if r < 0.4:
        lines.append(rng.choice(['more text', '- [ ] interrupts', '1. interrupts',
                                 '2. does not interrupt', '    - [ ] lazy not code',
                                 '+ [x] plus', '*\tstar tab', '> [ ] quote',
                                 '[x] text line']))
    return lines


def fence_lines(rng, depth):
    ch = rng.choice('`~')
    n = rng.choice([3, 3, 3, 4])
    info = rng.choice(['', '', 'tasks', 'markdown', 'python', 'query'])
    ind = ' ' * rng.choice([0, 0, 0, 1, 3])
    body = [rng.choice(['- [ ] in code', '- [x] done in code', 'not done',
                        '* [ ] star', '1. [ ] num', '> - [ ] q', '',
                        ch * 3 + ' inner', ch * 2])
            for _ in range(rng.randint(0, 3))]
    r = rng.random()
    if r < 0.7:
        close = [ind + ch * n]
    elif r < 0.8:
        close = [ch * (n + 1)]
    elif r < 0.85:
        close = [('~' if ch == '`' else '`') * n]   # does not close
    elif r < 0.9:
        close = ['    ' + ch * n]                    # indented 4: does not close
    else:
        close = []                                  # unclosed
    return [ind + ch * n + info] + body + close


def indented_code_lines(rng):
    code = ['    - [ ] in indented code', '    * [x] also code',
            '\t- [ ] tab code', '     1. [ ] five spaces']
    lines = [rng.choice(code) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.5:
        return ['a paragraph'] + lines            # lazy continuation, not code
    return lines


def html_lines(rng):
    return rng.choice([
        ['<div>', '- [ ] inside html', '</div>'],
        ['<div>', '', '- [ ] after blank: markdown', '</div>'],
        ['<div class="x">- [ ] same line</div>'],
        ['<!--', '- [ ] in comment', '-->'],
        ['<!-- - [ ] one-line comment -->'],
        ['<pre>', '- [ ] in pre', '', '- [ ] still pre', '</pre>'],
        ['<details>', '<summary>Tasks</summary>', '- [ ] html', '</details>'],
        ['<span>', '- [ ] type 7 block', '</span>'],
        ['<?php', '- [ ] pi', '?>'],
    ])


def heading_lines(rng):
    return rng.choice([
        ['# [ ] heading'], ['## - [ ] not a task'], ['###### [x] h6'],
        ['[ ] setext', '==='], ['- [ ] item', '  ---'], ['- [ ] item', '  ==='],
        ['Title', '---'], ['#[ ] no space'],
    ])


def thematic_lines(rng):
    return [rng.choice(['---', '***', '* * *', '- - -', '___', ' - - -', '+++'])]


def refdef_lines(rng):
    return rng.choice([['[x]: /url'], ['[-]: <>'], ['[?]: /q "title"'],
                       ['[ ]: /blank-label-invalid'], ['[/]: /slash'],
                       ['[X]:', '  /multiline']])


def quote_lines(rng, depth, callout):
    inner = []
    if callout:
        inner.append(rng.choice(['[!note]', '[!todo]- Tasks', '[!tip]+ Title',
                                 '[!warning]', '[!NOTE] - [ ] title task']))
    inner += blocks(rng, depth + 1, rng.randint(1, 3))
    prefix = rng.choice(['> ', '> ', '>', '> > ', '>> ', ' > '])
    out = []
    for i, l in enumerate(inner):
        if l.strip() == '':
            out.append(prefix.rstrip() if rng.random() < 0.9 else '')
        elif i > 0 and rng.random() < 0.12:
            out.append(l)                           # lazy continuation
        else:
            out.append(prefix + l)
    return out


def list_lines(rng, depth):
    ordered = rng.random() < 0.35
    if ordered:
        start = rng.choice([1, 1, 1, 2, 10, 123456789])
        delim = rng.choice('.)')
    else:
        bullet = rng.choice('-*+')
    loose = rng.random() < 0.25
    out = []
    for i in range(rng.randint(1, 5)):
        if ordered:
            marker = '%d%s' % (start + i, delim)
        else:
            marker = bullet if rng.random() < 0.92 else rng.choice('-*+')
        gap = rng.choice([' '] * 12 + ['  ', '   ', '    ', '     ', '\t'])
        width = 4 if gap == '\t' else len(marker) + len(gap)
        if len(gap) == 5:
            width = len(marker) + 1
        r = rng.random()
        if r < 0.06:
            out.append(marker)                      # empty item
        elif r < 0.14:
            out.append(marker)                      # content on the next line
            out.append(' ' * width + item_text(rng))
        else:
            out.append(marker + gap + item_text(rng))
        r = rng.random()
        if r < 0.12:
            out.append(' ' * width + rng.choice(['continued', 'more 📅 2026-01-10']))
        elif r < 0.18:
            out.append(rng.choice(['lazy continuation', '===', '---']))
        if depth < 3 and rng.random() < 0.35:
            ind = rng.choice([' ' * width, ' ' * width, '  ', '   ', '    ',
                              '\t', ' ' * (width + 1), '\t\t'])
            if rng.random() < 0.3:
                out.append('')
            out += indent_lines(blocks(rng, depth + 1, rng.randint(1, 2)), ind)
        if loose and rng.random() < 0.7:
            out.append('')
    return out


def block(rng, depth):
    r = rng.random()
    if r < 0.45:
        return list_lines(rng, depth)
    if r < 0.53:
        return quote_lines(rng, depth, callout=False) if depth < 3 else para_lines(rng)
    if r < 0.59:
        return quote_lines(rng, depth, callout=True) if depth < 3 else para_lines(rng)
    if r < 0.67:
        return fence_lines(rng, depth)
    if r < 0.72:
        return indented_code_lines(rng)
    if r < 0.77:
        return html_lines(rng)
    if r < 0.82:
        return heading_lines(rng)
    if r < 0.85:
        return thematic_lines(rng)
    if r < 0.88:
        return refdef_lines(rng)
    return para_lines(rng)


def blocks(rng, depth, n):
    out = []
    for i in range(n):
        if i:
            r = rng.random()
            if r < 0.7:
                out.append('')
            elif r < 0.75:
                out += ['', '']
        out += block(rng, depth)
    return out


def document(rng):
    lines = blocks(rng, 0, rng.randint(1, 12))
    r = rng.random()
    if r < 0.12:
        fm = [rng.choice(['---', '---', '---  '])]
        fm += rng.sample(['title: Ana', 'type: people', 'tags: [a, b]',
                          '- [ ] yaml list, not a task', 'notes: |',
                          '  - [ ] block scalar', 'cadence: 2w'], rng.randint(0, 3))
        fm.append(rng.choice(['---', '---', '...']))
        lines = fm + lines
    elif r < 0.135:
        lines = ['---', 'title: never closed'] + lines   # all Markdown
    text = '\n'.join(lines) + ('\n' if rng.random() < 0.9 else '')
    if rng.random() < 0.05:
        text = text.replace('\n', '\r\n')
    data = text.encode('utf-8')
    if rng.random() < 0.03:
        data = BOM + data
    if rng.random() < 0.004:
        data += b'- [ ] bad byte \xff\n'                 # read mended
    return data


def big_files(folder):
    """A note exactly at the size limit (read) and one byte over (skipped)."""
    head = b'- [ ] first\n\n'
    foot = b'\n- [x] last\n'
    pad_line = b'x' * 999 + b'\n'
    for name, size in (('big-at-limit.md', MAX_FILE), ('big-over-limit.md', MAX_FILE + 1)):
        room = size - len(head) - len(foot)
        pad = pad_line * (room // len(pad_line))
        pad += b'y' * (room - len(pad) - 1) + b'\n' if room - len(pad) else b''
        data = head + pad + foot
        assert len(data) == size, (name, len(data))
        with open(os.path.join(folder, name), 'wb') as f:
            f.write(data)


def write_corpus(folder, prefix, rng, count, make):
    paths = []
    for i in range(count):
        p = os.path.join(folder, '%s%05d.md' % (prefix, i))
        with open(p, 'wb') as f:
            f.write(make(rng))
        paths.append(p)
    return paths


def generate_adversarial(folder):
    return write_corpus(folder, 'g', random.Random(SEED), CORPUS_COUNT, document)


# ---------------------------------------------------------------------------
# Well-formed corpus: the same shape families, but none of the known md4c
# deviations (tests/fixtures/md4c-deviations/). Blocks are joined by exactly
# one blank line, so two blank lines never follow each other. No line is
# indented 4 or more columns except top-level indented code (after a blank
# line, not after a list) and nested content at its item's exact content
# column; fences in containers are always closed and start at the
# container's column; quotes are `> ` (a blank quote line is `>`); no bullet
# is followed by a tab; an empty item is never first, last or followed by a
# blank line; a list that directly follows paragraph text can interrupt it.
#
# One more md4c 0.4.8 deviation is avoided by construction, see
# md4c-deviations/8-*.md: on a blank line inside a list item after a block
# that ends by itself (heading, fence, HTML block of types 1-5, thematic
# break), md4c reads the last line record of that block as if it were a
# block header; when its start offset is 4 modulo 256 that "header" says
# MD_BLOCK_LI and md4c ends the list item at the next line. So inside a list
# item such a block is never followed by a blank line: the generators
# return (lines, closed) and the blank line is left out after a closed tail.
# ---------------------------------------------------------------------------

WF_PLAIN = [t for t in PLAIN if t not in ('```', '    [ ] code in item')]
WF_CLOSED_TEXT = ('***', '# heading in item', '---')   # item texts that end a block
WF_PARA_SECOND = ['more text', '- [ ] interrupts', '1. interrupts',
                  '2. does not interrupt', '+ [x] plus', '> [ ] quote',
                  '[x] text line', '* [ ] star interrupts', 'a [ ] b']
LIST_START = re.compile(r'(?:[-+*]|\d{1,9}[.)])(?: |$)')


def wf_item_text(rng):
    r = rng.random()
    if r < 0.58:
        return '[%s] %s' % (rng.choice(STATUS), tail(rng))
    if r < 0.82:
        m = rng.choice(MALFORMED)
        return m + (' ' + tail(rng) if rng.random() < 0.3 and m.endswith(' a')
                    else '')
    return rng.choice(WF_PLAIN)


def wf_para(rng):
    lines = [rng.choice([
        'Some text.', '[ ] not in a list', 'Call [[Ana Lima]] 📅 2026-01-10',
        'x', 'a line with `- [ ] code`', '**bold** [ ] b', '2) not a list start',
        '\\- [ ] escaped marker', '&#45; [ ] entity marker', '[x] text first',
    ])]
    if rng.random() < 0.45:
        lines.append(rng.choice(WF_PARA_SECOND))
    return lines


def wf_fence(rng, depth, last, prev):
    """(lines, closed)."""
    ch = rng.choice('`~')
    n = rng.choice([3, 3, 3, 4])
    info = rng.choice(['', '', 'tasks', 'markdown', 'python', 'query'])
    # Indented only at top level and not after a list (it would join the item).
    ind = ' ' * rng.choice([0, 0, 0, 1, 3]) if depth == 0 and prev != 'list' else ''
    body = []
    for _ in range(rng.randint(0, 3)):
        l = rng.choice(['- [ ] in code', '- [x] done in code', 'not done',
                        '* [ ] star', '1. [ ] num', '> - [ ] q', '',
                        ch * 3 + ' inner', ch * 2, '    - [ ] indented in code'])
        if not (l == '' and (not body or body[-1] == '')):
            body.append(l)
    while body and body[-1] == '':
        body.pop()
    r = rng.random()
    if depth == 0 and last and r < 0.15:
        # Unclosed (to the end of the document): only the last top-level block.
        return [ind + ch * n + info] + body + rng.choice(
            [[], [('~' if ch == '`' else '`') * n]]), False
    close = [ind + ch * n] if r < 0.85 else [ch * (n + 1)]
    return [ind + ch * n + info] + body + close, True


def wf_indented_code(rng):
    code = ['    - [ ] in indented code', '    * [x] also code',
            '\t- [ ] tab code', '     1. [ ] five spaces', '    > - [ ] q']
    return [rng.choice(code) for _ in range(rng.randint(1, 3))]


def wf_quote(rng, depth, callout):
    inner = []
    if callout:
        inner.append(rng.choice(['[!note]', '[!todo]- Tasks', '[!tip]+ Title',
                                 '[!warning]', '[!NOTE] - [ ] title task']))
    lines, _ = wf_blocks(rng, depth + 1, rng.randint(1, 3), after_text=callout)
    # The quote's end (a container closer) hides a closed tail from md4c.
    return ['> ' + l if l else '>' for l in inner + lines]


def wf_list(rng, depth, after_text):
    """(lines, closed). after_text: the list follows a paragraph line
    directly, so it must be able to interrupt it (a bullet, or an ordered
    list starting at 1; its first item is never empty), else its nested
    lines would continue the paragraph at 4+ columns."""
    ordered = rng.random() < 0.35
    if ordered:
        start = 1 if after_text else rng.choice([1, 1, 1, 2, 10, 123456789])
        delim = rng.choice('.)')
    else:
        bullet = rng.choice('-*+')
    loose = rng.random() < 0.25
    out = []
    count = rng.randint(1, 5)
    empty = closed = False
    for i in range(count):
        if ordered:
            marker = '%d%s' % (start + i, delim)
        else:
            marker = bullet if rng.random() < 0.95 else rng.choice('-*+')
        gap = rng.choice([' '] * 12 + ['  ', '   ', '    '])
        if i and loose and not empty and not closed and rng.random() < 0.7:
            out.append('')
        r = rng.random()
        empty = 0 < i < count - 1 and r < 0.05
        if empty:
            # An empty item: never first (it cannot interrupt a paragraph) nor
            # last, and never followed by a blank line (md4c deviation 3).
            out.append(marker)
            closed = False
            continue
        text = wf_item_text(rng)
        if i and r < 0.12:
            width = len(marker) + 1                 # content on the next line
            out.append(marker)
            out.append(' ' * width + text)
        else:
            lead = len(text) - len(text.lstrip(' '))   # ' [ ] a' widens the gap
            if len(gap) + lead > 4:
                gap = ' '
            width = len(marker) + len(gap) + lead
            out.append(marker + gap + text)
        closed = text in WF_CLOSED_TEXT
        r = rng.random()
        if r < 0.12:
            out.append(' ' * width + rng.choice(['continued', 'more 📅 2026-01-10']))
            closed = False
        elif r < 0.16 and not closed and not text.startswith(('>', '<')):
            out.append('lazy continuation')
        if depth < 3 and rng.random() < 0.35:
            blank = not closed and rng.random() < 0.3
            if blank:
                out.append('')
            lines, closed = wf_blocks(rng, depth + 1, rng.randint(1, 2),
                                      after_text=not blank, in_item=True)
            out += indent_lines(lines, ' ' * width)
    return out, closed


def wf_html(rng):
    """(lines, closed): types 1-5 end at their end marker, 6 and 7 at a blank."""
    return rng.choice([
        (['<div>', '- [ ] inside html', '</div>'], False),
        (['<div class="x">- [ ] same line</div>'], False),
        (['<!--', '- [ ] in comment', '-->'], True),
        (['<!-- - [ ] one-line comment -->'], True),
        (['<pre>', '- [ ] in pre', '', '- [ ] still pre', '</pre>'], True),
        (['<details>', '<summary>Tasks</summary>', '- [ ] html', '</details>'], False),
        (['<span>', '- [ ] type 7 block', '</span>'], False),
        (['<?php', '- [ ] pi', '?>'], True),
    ])


def wf_block(rng, depth, prev, last, after_text):
    """(kind, lines, closed) for one block; prev is the kind of the block
    before; closed: the block ends by itself (see above)."""
    while True:
        r = rng.random()
        if r < 0.45:
            return ('list',) + wf_list(rng, depth, after_text)
        if r < 0.53 and depth < 3:
            return 'quote', wf_quote(rng, depth, callout=False), False
        if r < 0.59 and depth < 3:
            return 'quote', wf_quote(rng, depth, callout=True), False
        if 0.59 <= r < 0.67:
            return ('fence',) + wf_fence(rng, depth, last, prev)
        if 0.67 <= r < 0.72 and depth == 0 and prev != 'list':
            return 'code', wf_indented_code(rng), False
        if 0.72 <= r < 0.77:
            return ('html',) + wf_html(rng)
        if 0.77 <= r < 0.82:
            lines = heading_lines(rng)
            if lines == ['#[ ] no space']:
                return 'para', lines, False
            return ('list' if LIST_START.match(lines[0]) else 'heading'), lines, True
        if 0.82 <= r < 0.85:
            lines = [l.lstrip() if prev == 'list' else l for l in thematic_lines(rng)]
            return ('para', lines, False) if lines == ['+++'] else ('hr', lines, True)
        if 0.85 <= r < 0.88:
            return 'refdef', refdef_lines(rng), False
        if r >= 0.88:
            lines = wf_para(rng)
            return ('list' if any(LIST_START.match(l) for l in lines) else 'para'), \
                lines, False


def wf_blocks(rng, depth, n, after_text=False, in_item=False):
    """(lines, closed): n blocks joined by one blank line, none after a
    closed block inside a list item (in_item)."""
    out, prev, closed = [], None, False
    for i in range(n):
        if i and not (in_item and closed):
            out.append('')
        prev, lines, closed = wf_block(rng, depth, prev, i == n - 1,
                                       after_text and not i)
        out += lines
    return out, closed


WF_FRONTMATTER = [
    # (opening, closing or None when never closed)
    ('---', '---'), ('---', '---'), ('---', '...'), ('--- ', '---'),
    ('---\t', '...\t'), ('---', '---  '), ('---', '... '), ('--- \t', '---\t'),
    ('---', None),
]


def wf_document(rng):
    lines, _ = wf_blocks(rng, 0, rng.randint(1, 12))
    r = rng.random()
    if r < 0.15:
        opening, closing = rng.choice(WF_FRONTMATTER)
        fm = [opening] + rng.sample(
            ['title: Ana', 'type: people', 'tags: [a, b]', 'cadence: 2w',
             '- [ ] yaml list, not a task', 'notes: |', '  - [ ] block scalar',
             ' ---', '\t...', ' ...'], rng.randint(0, 3))
        lines = fm + ([closing] if closing is not None else []) + lines
    elif r < 0.17:
        lines = [' ---', 'title: not frontmatter', '---'] + lines
    text = '\n'.join(lines) + ('\n' if rng.random() < 0.9 else '')
    if rng.random() < 0.05:
        text = text.replace('\n', '\r\n')
    data = text.encode('utf-8')
    if rng.random() < 0.03:
        data = BOM + data
    if rng.random() < 0.004:
        data += b'- [ ] bad byte \xff\n'                 # read mended
    return data


def generate_well_formed(folder):
    paths = write_corpus(folder, 'w', random.Random(WF_SEED), WF_COUNT,
                         wf_document)
    big_files(folder)
    return paths + [os.path.join(folder, n)
                    for n in ('big-at-limit.md', 'big-over-limit.md')]


# ---------------------------------------------------------------------------
# Block skeletons: md4c's HTML (tests/md2html) against cmark's
# ---------------------------------------------------------------------------

# `cmark --unsafe` passes raw HTML through verbatim, as md2html (md4c without
# MD_FLAG_NOHTML) does; without --unsafe cmark would print a comment instead
# and raw <p>, <pre>... would count on md4c's side only. Text is escaped
# (&lt;p&gt;) by both, so no text can look like a tag.
HTML_TAG = re.compile(rb'<(/?)([A-Za-z][A-Za-z0-9]*)([^>]*)>')
SKEL_TAGS = {b'ul', b'ol', b'li', b'p', b'blockquote', b'pre', b'hr',
             b'h1', b'h2', b'h3', b'h4', b'h5', b'h6'}
OL_START = re.compile(rb'\bstart="?(\d+)')
GAVE_UP = b'<!-- md4c gave up -->'


def skeleton(html, inline=False):
    """The block tags of html as a list of strings (`ol@3`, `li`, `/li`, `hr`...);
    with inline, also `~name` for every other opening tag (`~a`, `~code`,
    raw HTML...), for differing_blocks.

    A <p> directly inside an <li> is left out: a tight list prints none, and
    md4c 0.4.8 and cmark disagree on tightness in places (`- a\\n  ***\\n\\n
    - c`), which never changes a task but would make every such document
    differ. Text and all other attributes are ignored."""
    out, stack = [], []           # stack: (tag, left out)
    for m in HTML_TAG.finditer(html):
        close, name, attrs = m.groups()
        name = name.lower()
        if name not in SKEL_TAGS:
            if inline and not close:
                out.append('~' + name.decode())
            continue
        if close:
            hidden = False
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    hidden = stack[i][1]
                    del stack[i:]
                    break
            if not hidden:
                out.append('/' + name.decode())
        elif name == b'hr':
            out.append('hr')
        else:
            hidden = name == b'p' and bool(stack) and stack[-1][0] == b'li'
            stack.append((name, hidden))
            if name == b'ol':
                s = OL_START.search(attrs)
                out.append('ol@%d' % (int(s.group(1)) if s else 1))
            elif not hidden:
                out.append(name.decode())
    return out


def run_md2html(md2html, texts, folder):
    """name -> md4c's HTML of texts[name] (bytes, written to folder/name)."""
    names = sorted(texts)
    paths = []
    for n in names:
        p = os.path.join(folder, n)
        with open(p, 'wb') as f:
            f.write(texts[n])
        paths.append(p)
    out = {}
    for i in range(0, len(paths), BATCH):
        batch = paths[i:i + BATCH]
        p = subprocess.run([md2html] + batch, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=600)
        parts = p.stdout.split(b'\n\f\n')
        if p.returncode == 0 and len(parts) == len(batch) + 1 and not parts[-1]:
            out.update(zip(names[i:i + BATCH], parts))
            continue
        for n, path in zip(names[i:i + BATCH], batch):   # one at a time
            q = subprocess.run([md2html, path], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=600)
            if q.returncode != 0 or not q.stdout.endswith(b'\n\f\n'):
                raise RuntimeError('md2html %s: exit %d %s' % (
                    path, q.returncode, q.stderr[:200]))
            out[n] = q.stdout[:-3]
    return out


def blocks_opened(skel):
    return sum(1 for t in skel if not t.startswith(('/', '~')))


def around_difference(text, lines_a, lines_b):
    """(before, through): text before the first line where the two task-line
    lists differ, and text through the first blank line after it."""
    first = min(set(lines_a) ^ set(lines_b))
    lines = split_lines(text)
    end = len(lines)
    for i in range(first, len(lines)):          # lines[first] is line first+1
        if not line_content(lines[i]).strip(b' \t'):
            end = i + 1
            break
    return b''.join(lines[:first - 1]), b''.join(lines[:end])


def region(skel, start, stop):
    """The opening tokens (blocks and ~inline) of a whole document's skeleton
    from its block opening number start + 1 up to number stop, inclusive."""
    out, seen = [], 0
    for t in skel:
        if t.startswith('/'):
            continue
        if not t.startswith('~'):
            seen += 1
        if start < seen <= stop:
            out.append(t)
    return out


def differing_blocks(md2html, docs, folder, jobs):
    """docs: name -> (text, cmark lines, followup lines), lines differing.
    name -> 'gave up' | 'same blocks' | 'different blocks'.

    Different blocks means: the skeletons of the whole text differ, AND md4c
    and cmark disagree where the first differing task is. Blocks are built
    line by line: later lines cannot change the blocks of a prefix that ends
    at a blank line (a setext underline never lies past one; tightness is
    ignored). So the task's line is reached when the skeletons of the text
    through the first blank line after it differ, or when, in the whole
    text, the blocks of that prefix that start at or after the task's line
    hold different inline tags: a link reference definition further on that
    only one parser sees (because of a block disagreement there) turns a
    `[x]` box into a link on one side; md4c takes a raw HTML tag where cmark
    takes a code span. An unrelated disagreement elsewhere in a long document
    therefore cannot hide a followup bug."""
    texts = {}
    for n, (text, a, b) in docs.items():
        before, through = around_difference(text, a, b)
        texts[n] = text
        texts[n + '.before'] = before
        texts[n + '.through'] = through
    skel = skeletons(md2html, texts, folder, jobs)
    out = {}
    for n in docs:
        c, m, gave_up, ci, mi = skel[n]
        cb, mb = skel[n + '.before'][:2]
        ct, mt, gave_up2 = skel[n + '.through'][:3]
        start = min(blocks_opened(cb), blocks_opened(mb))
        stop = blocks_opened(ct)
        reached = ct != mt or region(ci, start, stop) != region(mi, start, stop)
        out[n] = 'gave up' if gave_up or gave_up2 else \
            'different blocks' if c != m and reached else 'same blocks'
    return out


def skeletons(md2html, texts, folder, jobs):
    """name -> (cmark skeleton, md4c skeleton, md4c gave up, the same two
    skeletons with inline tags)."""
    md4c = run_md2html(md2html, texts, folder)

    def one(n):
        return n, run_cmark(texts[n], ('--unsafe',))

    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        cm = dict(ex.map(one, sorted(texts)))
    return {n: (skeleton(cm[n]), skeleton(md4c[n]), GAVE_UP in md4c[n],
                skeleton(cm[n], True), skeleton(md4c[n], True)) for n in texts}


# ---------------------------------------------------------------------------
# Comparison and report
# ---------------------------------------------------------------------------

def collect_fixtures(src):
    roots = []
    cases = os.path.join(src, 'tests', 'cases')
    if os.path.isdir(cases):
        roots += [os.path.join(cases, c, 'vault') for c in sorted(os.listdir(cases))]
    roots += [os.path.join(src, 'examples', 'vault'),
              os.path.join(src, 'tests', 'fixtures', 'tasks')]
    # The pinned md4c deviations disagree with cmark on purpose: never fixtures.
    excluded = os.path.realpath(os.path.join(src, DEVIATIONS)) + os.sep
    found = []
    for root in roots:
        for d, _dirs, files in os.walk(root):
            for f in files:
                p = os.path.join(d, f)
                if (f.endswith('.md') and os.path.isfile(p)
                        and not os.path.realpath(p).startswith(excluded)):
                    found.append(p)
    return sorted(set(found))


def show_text(path, limit=60):
    with open(path, 'rb') as f:
        data = f.read(64 * 1024)
    text = data.decode('utf-8', 'backslashreplace')
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    out = []
    for i, l in enumerate(lines[:limit], 1):
        l = l.replace('\t', '\\t').replace('\r', '\\r').replace('\ufeff', '\\ufeff')
        out.append('    %4d| %s' % (i, l))
    if len(lines) > limit:
        out.append('    ... (%d more lines)' % (len(lines) - limit))
    return '\n'.join(out)


def show_lines(path, numbers, limit=10):
    """The lines of a (long) fixture where the two sides disagree."""
    with open(path, 'rb') as f:
        lines = f.read().split(b'\n')
    out = []
    for n in sorted(numbers)[:limit]:
        l = lines[n - 1].decode('utf-8', 'backslashreplace') if n <= len(lines) else ''
        l = l.replace('\t', '\\t').replace('\r', '\\r').replace('\ufeff', '\\ufeff')
        out.append('    %4d| %s' % (n, l))
    return '\n'.join(out)


def one_line(path, limit=160):
    """A small document as one line: repr of its text."""
    with open(path, 'rb') as f:
        data = f.read(limit + 1)
    text = repr(data[:limit].decode('utf-8', 'backslashreplace'))
    return text + ('...' if len(data) > limit else '')


def describe(ref):
    if ref['status'] == 'skip':
        return 'skip (%s)' % ref['why']
    return str(ref['lines'])


def tool_says(g):
    return str(g[1]) if g[0] == 'ok' else 'skip' if g[0] == 'skip' else 'error: ' + g[1]


def same_result(r, g):
    if r['status'] == 'skip':
        return g[0] == 'skip'
    return g == ('ok', r['lines'])


def show_diffs(paths, ref, got, show_docs, root, why=None):
    for p in paths[:MAX_SHOWN]:
        g = got.get(p, ('error', 'no result'))
        print('  %s%s\n    cmark:     %s\n    tasklines: %s'
              % (os.path.relpath(p, root), ' (%s)' % why[p] if why else '',
                 describe(ref[p]), tool_says(g)))
        if show_docs:
            print(show_text(p))
        elif ref[p]['status'] == 'ok' and g[0] == 'ok':
            print(show_lines(p, set(ref[p]['lines']) ^ set(g[1])))
    if len(paths) > MAX_SHOWN:
        print('  ... and %d more' % (len(paths) - MAX_SHOWN))


def tally(paths, ref):
    tasks = others = skips = 0
    for p in paths:
        if ref[p]['status'] == 'skip':
            skips += 1
        else:
            tasks += len(ref[p]['lines'])
            others += ref[p]['others']
    return tasks, others, skips


def check_fixtures(paths, ref, got, src_root):
    """D: the fixtures agree exactly (as before)."""
    diffs = []
    tasks = skips = unver = 0
    for p in paths:
        r, g = ref[p], got.get(p, ('error', 'no result'))
        if r['status'] == 'unverifiable':
            unver += 1
            continue
        if r['status'] == 'skip':
            skips += 1
        else:
            tasks += len(r['lines'])
        if not same_result(r, g):
            diffs.append(p)
    extra = ', %d skipped' % skips
    if unver:
        extra += ', %d unverifiable: cmark sourcepos after a link definition' % unver
    n = len(paths)
    if not diffs:
        report('cmark-diff fixtures (%d files, %d tasks%s)' % (n, tasks, extra),
               True)
        return
    report('cmark-diff fixtures', False, '%d of %d files differ; %d tasks%s'
           % (len(diffs), n, tasks, extra))
    show_diffs(sorted(diffs), ref, got, False, src_root)


def check_well_formed(paths, ref, got, root, md2html, jobs):
    """A: every document agrees exactly; an unverifiable one is a failure too,
    and so is one where md4c and cmark build different blocks (the generator
    has reached an md4c deviation: avoid it there and pin it in C)."""
    diffs, why = [], {}
    for p in paths:
        r, g = ref[p], got.get(p, ('error', 'no result'))
        if r['status'] == 'unverifiable':
            diffs.append(p)
            why[p] = 'cmark sourcepos after a link definition: fix the generator'
        elif not same_result(r, g):
            diffs.append(p)
            why[p] = 'task lines differ'
    folder = os.path.join(root, 'md2html-input')
    os.makedirs(folder, exist_ok=True)
    small = [p for p in paths if ref[p]['status'] != 'skip' and p not in why
             and len(ref[p]['text']) < 1024 * 1024]
    skel = skeletons(md2html, {os.path.basename(p): ref[p]['text'] for p in small},
                     folder, jobs)
    for p in small:
        cm, md, gave_up = skel[os.path.basename(p)][:3]
        if gave_up or cm != md:
            diffs.append(p)
            why[p] = 'md4c gave up' if gave_up else \
                'same task lines, but md4c and cmark build different blocks'
    tasks, others, skips = tally(
        [p for p in paths if ref[p]['status'] != 'unverifiable'], ref)
    n = len(paths)
    if diffs:
        diffs.sort(key=lambda p: (os.path.getsize(p), p))
        report('cmark-diff well-formed corpus', False,
               '%d of %d files differ; %d tasks' % (len(diffs), n, tasks))
        show_diffs(diffs, ref, got, True, root, why)
        return
    if tasks < NONTRIVIAL or others < NONTRIVIAL:
        report('cmark-diff well-formed corpus', False,
               'vacuous (%d files, %d tasks, %d non-task items; need %d of '
               'each)' % (n, tasks, others, NONTRIVIAL))
        return
    report('cmark-diff well-formed corpus (%d files, %d tasks, %d non-task'
           ' items, %d skipped; same blocks in md4c and cmark)'
           % (n, tasks, others, skips), True)


def check_adversarial(paths, ref, got, root, md2html, jobs):
    """B: a difference must come with different block skeletons."""
    bugs, why = [], {}          # followup bugs: FAIL
    differ = []                 # task lines differ: skeletons decide
    agree_tasks = unver = 0
    for p in paths:
        r, g = ref[p], got.get(p, ('error', 'no result'))
        if r['status'] == 'unverifiable':
            unver += 1
        elif same_result(r, g):
            agree_tasks += len(r['lines'])
        elif r['status'] == 'skip' or g[0] != 'ok':
            bugs.append(p)
            why[p] = 'skip or tool error'
        else:
            differ.append(p)
    folder = os.path.join(root, 'md2html-input')
    os.makedirs(folder, exist_ok=True)
    verdict = differing_blocks(md2html, {
        os.path.basename(p): (ref[p]['text'], ref[p]['lines'], got[p][1])
        for p in differ}, folder, jobs)
    parser = []
    for p in differ:
        v = verdict[os.path.basename(p)]
        if v == 'different blocks':
            parser.append(p)
        else:
            bugs.append(p)
            why[p] = 'md4c gave up' if v == 'gave up' else \
                'md4c and cmark build the same blocks up to the difference'
    n, k = len(paths), len(parser)
    extra = ''
    if unver:
        extra = '; %d unverifiable: cmark sourcepos after a link definition' % unver
    ok = True
    if bugs:
        bugs.sort(key=lambda p: (os.path.getsize(p), p))
        report('cmark-diff adversarial corpus', False,
               '%d of %d files differ with the same block structure in md4c '
               '0.4.8 and cmark, or a skip/tool error' % (len(bugs), n))
        show_diffs(bugs, ref, got, True, root, why)
        ok = False
    if k > ADV_MAX_SHARE * n:
        report('cmark-diff adversarial corpus', False,
               '%d of %d files where md4c 0.4.8 and cmark build different '
               'blocks: over %d%%, the tool is broken?'
               % (k, n, ADV_MAX_SHARE * 100))
        ok = False
    if ok:
        report('cmark-diff adversarial corpus (%d files, %d tasks agree; %d '
               'files where md4c 0.4.8 and cmark build different blocks%s)'
               % (n, agree_tasks, k, extra), True)
    parser.sort(key=lambda p: (os.path.getsize(p), p))
    for p in parser[:NOTES]:
        print('  note: %s cmark=%s followup=%s %s'
              % (os.path.relpath(p, root), ref[p]['lines'],
                 got[p][1], one_line(p)))


MANIFEST_LINE = re.compile(
    r'(\S+\.md):\s*cmark=\[([\d,\s]*)\]\s*followup=\[([\d,\s]*)\]\s*$')


def check_deviations(src, tool, md2html, jobs, tmp):
    """C: each pinned md4c deviation still gives exactly its two lists."""
    folder = os.path.join(src, DEVIATIONS)
    manifest = os.path.join(folder, 'expected.txt')
    label = 'cmark-diff md4c deviations pinned'
    try:
        with open(manifest, encoding='utf-8') as f:
            text = f.read()
    except OSError as e:
        report(label, False, str(e))
        return
    expected, problems = {}, []
    for i, l in enumerate(text.splitlines(), 1):
        if not l.strip() or l.startswith('#'):
            continue
        m = MANIFEST_LINE.match(l)
        if not m:
            problems.append('expected.txt:%d: not `FILE: cmark=[..] followup=[..]`' % i)
            continue
        nums = [[int(x) for x in g.replace(',', ' ').split()] for g in m.group(2, 3)]
        expected[os.path.join(folder, m.group(1))] = nums
    present = {os.path.join(folder, f) for f in os.listdir(folder) if f.endswith('.md')}
    problems += ['%s is not in expected.txt' % os.path.basename(p)
                 for p in sorted(present - set(expected))]
    problems += ['%s is missing' % os.path.basename(p)
                 for p in sorted(set(expected) - present)]
    paths = sorted(present & set(expected))
    ref = reference(paths, jobs)
    got = run_tool(tool, paths, jobs)
    # Classified as in B: each must still be a parser disagreement there.
    docs = {os.path.basename(p): (ref[p]['text'],) + tuple(expected[p])
            for p in paths if ref[p]['status'] != 'skip'
            and expected[p][0] != expected[p][1]}
    work = os.path.join(tmp, 'deviations')
    os.makedirs(work, exist_ok=True)
    verdict = differing_blocks(md2html, docs, work, jobs)
    for p in paths:
        want_cmark, want_tool = expected[p]
        r, g = ref[p], got.get(p, ('error', 'no result'))
        name = os.path.basename(p)
        if r['status'] != 'ok' or r['lines'] != want_cmark:
            problems.append('%s: cmark now gives %s, pinned %s'
                            % (name, describe(r), want_cmark))
        if g != ('ok', want_tool):
            problems.append('%s: tasklines now gives %s, pinned %s'
                            % (name, tool_says(g), want_tool))
        if verdict.get(name) != 'different blocks':
            problems.append('%s: md4c and cmark: %s' % (name, verdict.get(
                name, 'pinned lists are equal')))
    if problems:
        report('%s (%d files)' % (label, len(paths)), False, problems[0])
        for pr in problems[1:]:
            print('  ' + pr)
        return
    report('%s (%d)' % (label, len(paths)), True)


def main():
    t0 = time.time()
    src = testlib.SRC
    tool = os.path.join(testlib.BUILD, 'tests', 'tasklines')
    md2html = os.path.join(testlib.BUILD, 'tests', 'md2html')
    if not shutil.which('cmark'):
        report('cmark-diff', False, 'cmark not found (apt-get install cmark)')
        return
    for program in (tool, md2html):
        if not os.access(program, os.X_OK):
            report('cmark-diff', False, '%s not built' % program)
            return
    jobs = max(2, (os.cpu_count() or 2) * 2)

    fixtures = collect_fixtures(src)
    ref = reference(fixtures, jobs)
    got = run_tool(tool, fixtures, jobs)
    check_fixtures(fixtures, ref, got, src)

    tmp = testlib.TMP
    testlib.KEEP |= os.environ.get('CMARK_DIFF_KEEP') == '1'
    wf_dir = os.path.join(tmp, 'well-formed')
    adv_dir = os.path.join(tmp, 'adversarial')
    os.makedirs(wf_dir)
    os.makedirs(adv_dir)

    corpus = generate_well_formed(wf_dir)
    ref = reference(corpus, jobs)
    got = run_tool(tool, corpus, jobs)
    check_well_formed(corpus, ref, got, wf_dir, md2html, jobs)

    corpus = generate_adversarial(adv_dir)
    ref = reference(corpus, jobs)
    got = run_tool(tool, corpus, jobs)
    check_adversarial(corpus, ref, got, adv_dir, md2html, jobs)

    check_deviations(src, tool, md2html, jobs, tmp)
    print('# cmark-diff took %.1f s' % (time.time() - t0))


if __name__ == '__main__':
    main()
    testlib.finish()
