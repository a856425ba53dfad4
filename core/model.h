/*
 * model.h - what a scan knows of a vault: its notes, their tasks and
 * their ```tasks query blocks. Types only; store.h is the one module that
 * writes them (and reads them for others), notecodec.h keeps them in the
 * scan cache.
 *
 * Every string and array a struct vault points to lives in its arena or
 * in its three arrays (notes, tasks, queries), which only the store grows;
 * store_release() frees all of it. Notes are in byte order of their path;
 * a note's tasks are the range [task_first, task_first + ntasks) of
 * tasks, and its query blocks a range of queries, found by store_queries().
 *
 * A vault holds every note and open task of a large vault at once: note
 * (48 bytes), task (40) and query_filter (24) are kept small on purpose,
 * so a field added here costs memory per note or task. What only a
 * contact reads is in a struct note_person, which only notes with such
 * keys have.
 */
#ifndef FOLLOWUP_MODEL_H
#define FOLLOWUP_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/* ------------------------------------------------------------ notes */

/* The widths of the bit-fields below (the scan cache checks them too). */
#define LINE_BITS 28		/* a file of VAULT_MAX_FILE has fewer lines */
#define DATE_BAD_BITS 3		/* enum date_parse */
#define TASK_LINE_BITS 31

/*
 * A frontmatter value as read. Whether a bad value is an error depends on
 * the note (a bad `created` matters only for a contact), so the parser
 * records it with its line and contact.c reports it.
 */
struct fm_date {
	const char *raw;	/* the value as written when bad, else NULL */
	int day;
	unsigned line : LINE_BITS;
	unsigned present : 1;	/* key given with a non-empty value */
	unsigned bad : DATE_BAD_BITS;	/* enum date_parse, 0 when valid */
};

/* A meeting's date: what struct fm_date holds but its text. */
struct fm_day {
	int day;
	unsigned line : LINE_BITS;
	unsigned present : 1;
	unsigned bad : DATE_BAD_BITS;
};

struct fm_cadence {
	const char *raw;	/* the value as written when bad, else NULL */
	int days;
	unsigned line : LINE_BITS;
	unsigned present : 1;
	unsigned bad : 1;
};

#define NOTE_HAS_FRONTMATTER	(1u << 0)
#define NOTE_FRONTMATTER_BAD	(1u << 1)	/* unclosed, YAML error: no contact */
#define NOTE_FOLLOWUP_OFF	(1u << 2)	/* followup: false */

/* The frontmatter that makes a contact and dates it. */
struct note_person {
	const char *title;	/* NULL unless a non-empty string */
	const char **types;
	size_t ntypes;
	const char **tags;	/* without '#' */
	size_t ntags;
	const char **aliases;
	size_t naliases;
	struct fm_date last_contact, created, snooze_until;
	/*
	 * birthday: "YYYY-MM-DD" (day set) or "--MM-DD" (no year: day is
	 * DATE_NONE). birthday_month and birthday_day are 0 unless it is valid.
	 */
	struct fm_date birthday;
	int birthday_month, birthday_day;
	struct fm_cadence cadence;
};

struct note {
	const char *path;	/* relative to the root, "/" separated */
	/* NULL when the note has none of its keys: see note_person(). */
	const struct note_person *person;
	const char **attendees;	/* wikilink targets as written */
	/*
	 * A meeting's: when it is bad and the note has attendees, the error
	 * is reported as the note is read, which needs no copy of its text.
	 */
	struct fm_day date;
	uint32_t flags;
	uint32_t nattendees;
	uint32_t task_first, ntasks;	/* range in vault->tasks */
	/* Its query blocks: store_queries() finds them. */
};

/* ------------------------------------------------------------ tasks */

/* A status's type, as Tasks names them (StatusConfiguration.ts). */
enum task_status {
	TASK_TODO,
	TASK_IN_PROGRESS,
	TASK_DONE,
	TASK_CANCELLED,
	TASK_ON_HOLD,
	TASK_NON_TASK,
};
#define TASK_STATUS_LAST TASK_NON_TASK

/* Tasks' priorities, none the default (Priority.ts); see task_priority_rank(). */
enum task_priority {
	PRIORITY_NONE,
	PRIORITY_LOWEST,	/* ⏬ */
	PRIORITY_LOW,		/* 🔽 */
	PRIORITY_MEDIUM,	/* 🔼 */
	PRIORITY_HIGH,		/* ⏫ */
	PRIORITY_HIGHEST,	/* 🔺 */
};
#define PRIORITY_LAST PRIORITY_HIGHEST

#define TASK_SUB_ITEM	(1u << 0)	/* indented under a list item */
#define TASK_SCHEDULED_FROM_FILENAME (1u << 1)	/* the date is the note's */

/*
 * What a task line carries besides its status and due date, when it
 * carries any of it: most lines carry none, so most tasks have none.
 * Dates are day numbers, DATE_NONE, or DATE_INVALID for a date Tasks
 * reads but that is not on the calendar (📅 2026-02-30).
 */
struct task_more {
	int scheduled, start, created, done, cancelled;
	const char *recurrence;	/* the 🔁 rule as written; NULL */
	const char *id;		/* 🆔; NULL */
	const char **depends_on;	/* ⛔ ids; ndepends_on of them */
	uint32_t ndepends_on;
};

/*
 * A task, open or closed, as the Tasks
 * plugin reads its line (docs/rules.md, "Tasks"): its text in the arena,
 * in one record with its links; its status type from the vault's
 * statuses; the fields Tasks peels from the end of the line. Its
 * description (the text without those fields) is found when asked:
 * task_description().
 */
struct task {
	/*
	 * The rest of the first line after "[c] ", trimmed. When it has
	 * links, their targets (as written, before '|') and their count
	 * come just before it: see task_link().
	 */
	const char *text;
	const struct task_more *more;	/* NULL: none of its fields */
	uint32_t note;		/* index in vault->notes */
	unsigned line : TASK_LINE_BITS;	/* 1-based, in the file */
	unsigned has_links : 1;
	int due;		/* day number, DATE_NONE or DATE_INVALID */
	char symbol[4];		/* the status character, UTF-8, NUL-padded */
	/* The closest heading at or above it: vault->headings[heading - 1]. */
	uint32_t heading;
	unsigned char status;	/* enum task_status, from the statuses */
	unsigned char priority;	/* enum task_priority */
	unsigned char flags;	/* TASK_SUB_ITEM, ... */
};

/* The record before the text: nlinks pointers, then nlinks (uint32_t). */
static inline size_t
task_nlinks(const struct task *t)
{
	uint32_t n = 0;

	if (t->has_links)
		memcpy(&n, t->text - sizeof(n), sizeof(n));
	return n;
}

/* Wikilink target k (< task_nlinks()); the record need not be aligned. */
static inline const char *
task_link(const struct task *t, size_t k)
{
	const char *link;

	memcpy(&link, t->text - sizeof(uint32_t) -
	    (task_nlinks(t) - k) * sizeof(link), sizeof(link));
	return link;
}

/* ------------------------------------------------------------ queries */

enum query_field {
	QF_DONE,		/* done / not done */
	QF_PATH,
	QF_FOLDER,
	QF_FILENAME,
	QF_DESCRIPTION,
	QF_TAGS,
	QF_HAS_DUE,		/* has due date / no due date */
	QF_DUE,			/* due before/after/on/... DATE */
	QF_STATUS_TYPE,
	QF_HEADING,
	QF_ROOT,
	QF_STATUS_NAME,
	QF_RECURRENCE,		/* recurrence includes ... */
	QF_ID,			/* id includes ... */
	QF_HAS_TAGS,		/* has tags / no tags (negate) */
	QF_RECURRING,		/* is recurring / is not recurring */
	QF_SUB_ITEMS,		/* exclude sub-items */
	QF_HAS_ID,
	QF_HAS_DEPENDS,
	QF_BLOCKED,		/* is blocked / is not blocked */
	QF_BLOCKING,
	QF_PRIORITY,		/* priority is (above|below|not)? X */
	QF_DATE,		/* date_field, op and phrase */
	QF_HAS_DATE,		/* has/no date_field date */
	QF_DATE_INVALID,	/* date_field date is invalid */
	QF_NOTHING,		/* filter by function: selects nothing */
};
#define QF_LAST QF_NOTHING

enum query_cmp {
	QC_BEFORE,
	QC_AFTER,
	QC_ON,
	QC_ON_OR_BEFORE,
	QC_ON_OR_AFTER,
};
#define QC_LAST QC_ON_OR_AFTER

/* How a text filter compares (QF_PATH ... QF_ID). */
enum query_verb {
	QV_INCLUDES,
	QV_REGEX,		/* text is the pattern, flags the QR_* */
};
#define QV_LAST QV_REGEX

#define QR_I	(1u << 0)	/* the regex flags of /re/flags */
#define QR_M	(1u << 1)
#define QR_S	(1u << 2)
#define QR_U	(1u << 3)

/* Which date a QF_DATE/QF_HAS_DATE/QF_DATE_INVALID filter looks at. */
enum query_date {
	QD_DUE,
	QD_SCHEDULED,
	QD_START,
	QD_CREATED,
	QD_DONE,
	QD_CANCELLED,
	QD_HAPPENS,		/* start, scheduled or due */
};
#define QD_LAST QD_HAPPENS

/*
 * One filter of a block. The date filters keep their phrase as parsed
 * (datephrase.h's struct date_phrase: a, b, kind, unit), resolved when
 * the block is run.
 */
struct query_filter {
	const char *text;	/* needle or regex of the text filters */
	uint32_t textlen;
	int date;		/* QF_DUE: absolute day, or offset from today */
	int phrase_a, phrase_b;	/* QF_DATE: the struct date_phrase */
	unsigned char phrase_kind, phrase_unit;
	unsigned char field;	/* enum query_field */
	unsigned char negate;	/* "not done", "does not include", "is not" */
	unsigned char cmp;	/* enum query_cmp; QF_PRIORITY: 0 is, 1 above, 2 below */
	unsigned char date_relative;
	unsigned char status;	/* enum task_status; QF_PRIORITY: priority */
	unsigned char verb;	/* enum query_verb */
	unsigned char flags;	/* QR_* */
	unsigned char date_field;	/* enum query_date */
	unsigned char op;	/* QF_DATE: enum date_op (datephrase.h) */
	unsigned char top;	/* a top-level conjunct: must hold alone */
};

/* A node of a block's expression, in postfix order. */
enum query_node_op {
	QN_FILTER,		/* push filters[arg] */
	QN_NOT,
	QN_AND,
	QN_OR,
	QN_XOR,
};
#define QN_LAST QN_XOR

struct query_node {
	uint32_t arg;		/* QN_FILTER: the filter's index */
	unsigned char op;	/* enum query_node_op */
};

/* A `sort by` line: it orders what `limit` keeps. */
enum query_sort_key {
	QS_STATUS,		/* todo before done */
	QS_STATUS_TYPE,
	QS_URGENCY,
	QS_PRIORITY,
	QS_DUE,
	QS_SCHEDULED,
	QS_START,
	QS_CREATED,
	QS_DONE,
	QS_CANCELLED,
	QS_HAPPENS,
	QS_PATH,
	QS_FILENAME,
	QS_DESCRIPTION,
	QS_HEADING,
};
#define QS_LAST QS_HEADING

struct query_sort {
	unsigned char key;	/* enum query_sort_key */
	unsigned char reverse;
};

/* A `group by` line: Tasks lists a block's tasks group by group. */
enum query_group_key {
	QG_STATUS,		/* Todo, Done */
	QG_STATUS_NAME,
	QG_STATUS_TYPE,
	QG_PRIORITY,
	QG_URGENCY,
	QG_DUE,
	QG_SCHEDULED,
	QG_START,
	QG_CREATED,
	QG_DONE,
	QG_CANCELLED,
	QG_HAPPENS,
	QG_PATH,
	QG_FOLDER,
	QG_ROOT,
	QG_FILENAME,
	QG_BACKLINK,
	QG_HEADING,
	QG_TAGS,		/* a task with two tags is in two groups */
	QG_RECURRING,
	QG_RECURRENCE,
	QG_ID,
};
#define QG_LAST QG_ID

struct query_group {
	unsigned char key;	/* enum query_group_key */
	unsigned char reverse;
};

/*
 * A block: its filters, and how they combine (nodes, postfix; none
 * selects every task). A block Tasks would not run keeps its error and
 * selects nothing.
 */
struct query {
	size_t note;		/* the note holding the block */
	int line;		/* line of the opening fence */
	int end_line;		/* line of its last line */
	int limit;		/* limit N; -1: none */
	int limit_groups;	/* limit groups N (only with a group); -1 */
	const char *error;	/* NULL, or why it selects nothing */
	struct query_filter *filters;
	size_t nfilters;
	struct query_node *nodes;
	size_t nnodes;
	struct query_sort *sorts;	/* before Tasks' default order */
	size_t nsorts;
	struct query_group *groups;	/* outermost first */
	size_t ngroups;
};

/* ------------------------------------------------------------ the vault */

struct strset;
struct obsidian_settings;

struct vault {
	char *root;
	struct arena arena;
	struct note *notes;
	size_t nnotes, capnotes;
	struct task *tasks;
	size_t ntasks, captasks;
	struct query *queries;
	size_t nqueries, capqueries;
	/* Headings tasks stand under, each once per note: a task's heading. */
	const char **headings;
	size_t nheadings, capheadings;
	size_t bytes_read;
	/* Notes read from their files, and taken from the scan cache. */
	size_t nread, ncached;
	/*
	 * Folders the walk could not open (EACCES, EMFILE, gone): the notes
	 * in them are unknown this scan, so nothing published of them may
	 * be taken back (feed/calendar.c).
	 */
	size_t nunread_folders;
	/*
	 * The vault's Obsidian and Tasks settings (obsidian.h), borrowed for
	 * the scan; NULL reads it as Tasks does with no settings. Readers
	 * take it through vault_settings().
	 */
	const struct obsidian_settings *settings;
	/*
	 * Set by vault_scan(): the paths it hands to the parser and the
	 * cache are in the vault's arena already, and notes point at them
	 * instead of copying.
	 */
	int paths_in_arena;
	/*
	 * Set by vault_scan(): only open tasks are kept. Closed ones are
	 * still read (their lines' problems are reported, the scan cache
	 * remembers them) but not stored, for a command whose output they
	 * cannot change (engine.h).
	 */
	int open_tasks_only;
	/*
	 * Set by vault_scan() while a thread reads: attendees and wikilink
	 * targets are kept once each, in the set (borrowed, not owned).
	 */
	struct strset *names;
};

#endif
