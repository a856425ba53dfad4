// The oracle of the differential run (tests/differential): Obsidian Tasks 8.3.0's own code reads
// a vault's tasks and runs its queries, under node. setup.sh bundles this entry with Tasks'
// source (copied from its git tag into a scratch folder, never into this repository) and
// obsidian-stub.js.
//
// stdin:  {today: "YYYY-MM-DD", settings: {...Tasks data.json...} | null,
//          files: [{path, text, frontmatter?}], queries: [{path, line, source}]}
// stdout: {tasks: [...as `followup tasks --format json`...],
//          queries: [{path, line, selected: [{path, line}], error}], warnings: [...]}
//
// Obsidian's metadata cache (list items, their parents, sections, headings, frontmatter) is
// emulated with mdast-util-from-markdown, a CommonMark parser, then handed to Tasks' own
// FileParser exactly as src/Obsidian/Cache.ts does. Where Obsidian's parser differs from
// CommonMark, this oracle differs from Obsidian too: see README.md.
import moment from 'moment';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import YAML from 'yaml';
import { readFileSync } from 'node:fs';

// Tasks runs inside Obsidian, which puts moment on window.
globalThis.window = globalThis;
globalThis.moment = moment;

// Every "now" Tasks or chrono-node asks for is noon of the request's today, local time.
function pinToday(today) {
    const [y, m, d] = today.split('-').map(Number);
    const fixed = new Date(y, m - 1, d, 12, 0, 0).getTime();
    const RealDate = Date;
    class PinnedDate extends RealDate {
        constructor(...args) {
            if (args.length === 0) super(fixed);
            else super(...args);
        }
        static now() {
            return fixed;
        }
    }
    globalThis.Date = PinnedDate;
    moment.now = () => fixed;
}

// --- Obsidian's CachedMetadata, from the Markdown ---------------------------------------------

const pos = (node) => ({
    start: { line: node.position.start.line - 1, col: node.position.start.column - 1, offset: node.position.start.offset },
    end: { line: node.position.end.line - 1, col: node.position.end.column - 1, offset: node.position.end.offset },
});

// A list item is a task when its first line is `[c]` after the marker, then a space or the end,
// and that line opens a paragraph: Obsidian's task lists are GFM's, whose box is the start of the
// item's first paragraph (`- [ ] t` over `===` is a heading, not a task; a definition `[x]: /u`
// does not make the box a link).
// (A byte-order mark at the start of the file stays in the line, as a JavaScript \s.)
const TASK_MARK = /^\uFEFF?[ \t>]*(?:[-*+]|\d+[.)])[ \t]+\[(.)\](?:[ \t]|$)/u;

// The heading's text as its source reads: an ATX line without its # marks and closing #s, a
// setext heading's lines without the underline.
function headingText(node, lines) {
    const first = node.position.start.line - 1;
    const last = node.position.end.line - 1;
    const atx = /^\uFEFF?[ \t]*#{1,6}(?=[ \t]|$)/u;
    if (atx.test(lines[first])) {
        return lines[first].replace(atx, '').replace(/[ \t]+#+[ \t]*$/u, '').replace(/^[ \t]*#+[ \t]*$/u, '').trim();
    }
    return lines.slice(first, last).map((l) => l.trim()).join(' ');
}

// Obsidian's frontmatter: a first line `---`, up to the next line `---` (trailing blanks allowed);
// with no closing line there is none. This is an assumption of the oracle (Obsidian's parser is not
// open): `...` does not close it.
function frontmatterRange(lines) {
    const fence = /^---[ \t]*\r?$/u;
    if (!fence.test(lines[0].replace(/^\uFEFF/u, ''))) return null;
    for (let i = 1; i < lines.length; i++) if (fence.test(lines[i])) return { first: 0, last: i };
    return null;
}

function cachedMetadata(text, warnings, path) {
    const lines = text.split('\n');
    const meta = { sections: [], headings: [], listItems: [] };
    const fm = frontmatterRange(lines);
    let body = lines;
    if (fm !== null) {
        const yaml = lines.slice(fm.first + 1, fm.last).join('\n');
        try {
            const value = YAML.parse(yaml);
            if (value !== null && typeof value === 'object' && !Array.isArray(value)) meta.frontmatter = value;
        } catch (e) {
            warnings.push(`${path}: frontmatter: ${e.message.split('\n')[0]}`);
        }
        meta.sections.push({ type: 'yaml', position: { start: { line: fm.first }, end: { line: fm.last } } });
        // The body is parsed with the frontmatter's lines blank, so that line numbers stay.
        body = lines.map((l, i) => (i <= fm.last ? '' : l));
    }
    const tree = fromMarkdown(body.join('\n'), { extensions: [gfmFootnote()], mdastExtensions: [gfmFootnoteFromMarkdown()] });
    for (const node of tree.children) {
        meta.sections.push({ type: node.type, position: pos(node) });
        if (node.type === 'heading') {
            meta.headings.push({ heading: headingText(node, lines), level: node.depth, position: pos(node) });
        }
    }
    // Obsidian: parent is the line of the enclosing item, or minus the line of the list's first item.
    const walk = (node, parentLine) => {
        if (node.type === 'list') {
            const first = node.children.length > 0 ? node.children[0].position.start.line - 1 : 0;
            for (const item of node.children) {
                const line = item.position.start.line - 1;
                const entry = { position: pos(item), parent: parentLine ?? -first };
                const m = TASK_MARK.exec(lines[line] ?? '');
                const lead = item.children[0];
                if (m && lead?.type === 'paragraph' && lead.position.start.line - 1 === line) entry.task = m[1];
                meta.listItems.push(entry);
                for (const child of item.children) walk(child, line);
            }
            return;
        }
        for (const child of node.children ?? []) walk(child, parentLine);
    };
    walk(tree, null);
    meta.listItems.sort((a, b) => a.position.start.line - b.position.start.line);
    return meta;
}

// --- The run ------------------------------------------------------------------------------------

const { Task } = await import('./tasks/src/Task/Task');
const { TasksFile } = await import('./tasks/src/Scripting/TasksFile');
const { FileParser } = await import('./tasks/src/Obsidian/FileParser');
const { updateSettings, getSettings } = await import('./tasks/src/Config/Settings');
const { GlobalFilter } = await import('./tasks/src/Config/GlobalFilter');
const { GlobalQuery } = await import('./tasks/src/Config/GlobalQuery');
const { StatusRegistry } = await import('./tasks/src/Statuses/StatusRegistry');
const { StatusSettings } = await import('./tasks/src/Config/StatusSettings');
const { Query } = await import('./tasks/src/Query/Query');
const { getQueryForQueryRenderer } = await import('./tasks/src/Query/QueryRendererHelper');
const { initializeI18n } = await import('./tasks/src/i18n/i18n');
const { EnableJsInTasksQueries } = await import('./tasks/src/Config/EnableJsInTasksQueries');
void Task;

const request = JSON.parse(readFileSync(0, 'utf8'));
pinToday(request.today);
await initializeI18n();
// As main.ts does at start-up, from a vault-local storage that holds nothing: JavaScript in
// queries is off, Tasks' default.
EnableJsInTasksQueries.initialise({ load: () => undefined, save() {} });

// A data.json whose key has another type than Tasks' default would make Tasks fail to load (or
// misbehave) in Obsidian; followup warns and keeps that one key's default. The oracle does the
// same, so that the rest of such a vault is still compared (README.md, "Deviations").
function sanitiseSettings(given, warnings) {
    const defaults = getSettings();
    const out = {};
    for (const [key, value] of Object.entries(given ?? {})) {
        const want = defaults[key];
        const kind = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
        if (want !== undefined && kind(want) !== kind(value)) {
            warnings.push(`settings: ${key} is ${kind(value)}, not ${kind(want)}: its default is kept`);
            continue;
        }
        out[key] = value;
    }
    if (out.statusSettings !== undefined) {
        const fallback = new StatusSettings();
        const given = out.statusSettings;
        out.statusSettings = {
            coreStatuses: Array.isArray(given.coreStatuses) ? given.coreStatuses : fallback.coreStatuses,
            customStatuses: Array.isArray(given.customStatuses) ? given.customStatuses : fallback.customStatuses,
        };
    }
    return out;
}

const warnings = [];

// As main.ts loadSettings() and loadTaskStatuses() do.
updateSettings(sanitiseSettings(request.settings, warnings));
const settings = getSettings();
GlobalFilter.getInstance().set(settings.globalFilter);
GlobalFilter.getInstance().setRemoveGlobalFilter(settings.removeGlobalFilter);
GlobalQuery.getInstance().set(settings.globalQuery);
StatusSettings.applyToStatusRegistry(settings.statusSettings, StatusRegistry.getInstance());

const allTasks = [];
const files = new Map();
for (const file of request.files) {
    const meta = cachedMetadata(file.text, warnings, file.path);
    if (file.frontmatter !== undefined && file.frontmatter !== null) meta.frontmatter = file.frontmatter;
    const tasksFile = new TasksFile(file.path, meta);
    files.set(file.path, tasksFile);
    // Cache.ts: a file is read only when one of its list items is a task.
    if (!meta.listItems.some((item) => item.task !== undefined)) continue;
    const logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
    const report = (e, path, item, line) => warnings.push(`${path}:${item.position.start.line + 1}: ${e} (${line})`);
    const parser = new FileParser(tasksFile, file.text, meta.listItems, logger, report);
    allTasks.push(...parser.parseFileContent());
}

const day = (m) => (m === null || m === undefined ? null : m.isValid() ? m.format('YYYY-MM-DD') : 'invalid');
const PRIORITY = { 0: 'highest', 1: 'high', 2: 'medium', 3: 'none', 4: 'low', 5: 'lowest' };
const topLevel = new Set(new Query('exclude sub-items').applyQueryToTasks(allTasks).taskGroups.groups.flatMap((g) => g.tasks));

const taskJson = (t) => ({
    path: t.path,
    line: t.taskLocation.lineNumber + 1,
    status: { symbol: t.status.symbol, name: t.status.name, type: t.status.type },
    description: t.description,
    due: day(t.dueDate),
    scheduled: day(t.scheduledDate),
    start: day(t.startDate),
    created: day(t.createdDate),
    done: day(t.doneDate),
    cancelled: day(t.cancelledDate),
    priority: PRIORITY[t.priority],
    recurrence: t.recurrence ? t.recurrence.toText() : null,
    id: t.id,
    depends_on: t.dependsOn,
    tags: t.tags,
    heading: t.precedingHeader,
    sub_item: !topLevel.has(t),
});

const queries = (request.queries ?? []).map((q) => {
    const tasksFile = files.get(q.path) ?? new TasksFile(q.path, {});
    const query = getQueryForQueryRenderer(q.source, GlobalQuery.getInstance(), tasksFile);
    if (query.error !== undefined) return { path: q.path, line: q.line, selected: [], error: query.error };
    const result = query.applyQueryToTasks(allTasks);
    const seen = new Set();
    const selected = [];
    for (const group of result.taskGroups.groups) {
        for (const t of group.tasks) {
            if (seen.has(t)) continue;
            seen.add(t);
            selected.push({ path: t.path, line: t.taskLocation.lineNumber + 1 });
        }
    }
    return { path: q.path, line: q.line, selected, error: null };
});

process.stdout.write(JSON.stringify({ tasks: allTasks.map(taskJson), queries, warnings }) + '\n');
