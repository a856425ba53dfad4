/*
 * acmatch.c - Aho-Corasick automaton (see acmatch.h).
 *
 * A state with one child finds it through first_child; the transitions
 * out of forks live in one open-addressing hash table keyed by (state,
 * byte), so memory grows with the total length of the needles, not with
 * 256 times the number of states. Matching follows failure links; each
 * state's "dictionary link" points to the nearest state on its failure
 * chain that ends a needle, so reporting costs only the matches.
 */
#include "acmatch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define NONE ((uint32_t)-1)

struct edge {
	uint32_t from;		/* NONE: empty slot */
	uint32_t to;
	unsigned char byte;
};

struct state {
	uint32_t fail;
	uint32_t dict;		/* nearest failure state with output */
	uint32_t out;		/* first output in m->outs, or NONE */
	uint32_t first_child;	/* children list, for the breadth-first pass */
	uint32_t next_sibling;
	unsigned char byte;
	unsigned char fanout;	/* children: 0, 1, or FANOUT_MANY */
	uint32_t row;		/* its dense row in m->rows, or NONE */
};

#define FANOUT_MANY 2
/*
 * Forks nearest the root are where the text keeps coming back to after a
 * failure: the first DENSE_ROWS of them (breadth first) get a dense row
 * of 256 transitions, 1 KiB each, instead of hash probes.
 */
#define DENSE_ROWS 512

struct output {
	size_t id;
	uint32_t next;
};

struct acm {
	uint32_t root[256];	/* the root's transitions, dense: the hot ones */
	unsigned char used[256];/* bytes that occur in some needle */
	struct state *states;
	size_t nstates, capstates;
	struct edge *edges;
	size_t capedges, nedges;	/* capedges: a power of two */
	struct output *outs;
	size_t nouts, capouts;
	uint32_t *rows;		/* 256 transitions per dense row, NONE: none */
	size_t nrows;
	int built;
};

static unsigned char
fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static size_t
edge_slot(const struct edge *edges, size_t cap, uint32_t from,
    unsigned char byte)
{
	uint64_t h = ((uint64_t)from * 256 + byte) * 0x9E3779B97F4A7C15ULL;
	size_t i = (size_t)(h >> 32) & (cap - 1);

	while (edges[i].from != NONE &&
	    (edges[i].from != from || edges[i].byte != byte))
		i = (i + 1) & (cap - 1);
	return i;
}

/*
 * Most states of a trie of names have no child or one (the rest of a
 * name): those are answered from the states array, whose chains lie next
 * to each other, and only forks pay for a probe of the hash table.
 */
static uint32_t
go(const struct acm *m, uint32_t from, unsigned char byte)
{
	const struct state *s = &m->states[from];
	size_t i;

	if (s->fanout == 0)
		return NONE;
	if (s->fanout == 1)
		return m->states[s->first_child].byte == byte ? s->first_child
		    : NONE;
	if (s->row != NONE)
		return m->rows[(size_t)s->row * 256 + byte];
	i = edge_slot(m->edges, m->capedges, from, byte);

	return m->edges[i].from == NONE ? NONE : m->edges[i].to;
}

static void
grow_edges(struct acm *m)
{
	size_t ncap = m->capedges * 2, i;
	struct edge *edges = xmalloc(ncap * sizeof(*edges));

	for (i = 0; i < ncap; i++)
		edges[i].from = NONE;
	for (i = 0; i < m->capedges; i++) {
		struct edge *e = &m->edges[i];

		if (e->from != NONE)
			edges[edge_slot(edges, ncap, e->from, e->byte)] = *e;
	}
	free(m->edges);
	m->edges = edges;
	m->capedges = ncap;
}

static uint32_t
new_state(struct acm *m, unsigned char byte)
{
	struct state *s;

	GROW(m->states, m->capstates, m->nstates + 1);
	s = &m->states[m->nstates];
	s->fail = s->dict = s->out = NONE;
	s->first_child = s->next_sibling = NONE;
	s->byte = byte;
	s->fanout = 0;
	s->row = NONE;
	return (uint32_t)m->nstates++;
}

struct acm *
acm_new(void)
{
	struct acm *m = xcalloc(1, sizeof(*m));
	size_t i;

	m->capedges = 64;
	m->edges = xmalloc(m->capedges * sizeof(*m->edges));
	for (i = 0; i < m->capedges; i++)
		m->edges[i].from = NONE;
	new_state(m, 0);
	return m;
}

static void
hash_edge(struct acm *m, uint32_t from, uint32_t to, unsigned char byte)
{
	size_t slot;

	if ((m->nedges + 1) * 2 > m->capedges)
		grow_edges(m);
	slot = edge_slot(m->edges, m->capedges, from, byte);
	m->edges[slot].from = from;
	m->edges[slot].to = to;
	m->edges[slot].byte = byte;
	m->nedges++;
}

/*
 * Only the edges out of forks go into the hash table: an only child is
 * found from its parent's first_child, and most states have one.
 */
static uint32_t
add_child(struct acm *m, uint32_t cur, unsigned char c)
{
	uint32_t next = new_state(m, c), only = m->states[cur].first_child;

	if (m->states[cur].fanout == 1)
		hash_edge(m, cur, only, m->states[only].byte);
	if (m->states[cur].fanout >= 1)
		hash_edge(m, cur, next, c);
	m->states[next].next_sibling = m->states[cur].first_child;
	m->states[cur].first_child = next;
	if (m->states[cur].fanout < FANOUT_MANY)
		m->states[cur].fanout++;
	return next;
}

void
acm_add(struct acm *m, const char *needle, size_t len, size_t id)
{
	uint32_t cur = 0;
	size_t i;

	if (m->built)
		BUG("acm_add after acm_build");
	for (i = 0; i < len; i++) {
		unsigned char c = fold((unsigned char)needle[i]);
		uint32_t next = go(m, cur, c);

		m->used[c] = 1;
		if (next == NONE)
			next = add_child(m, cur, c);
		cur = next;
	}
	GROW(m->outs, m->capouts, m->nouts + 1);
	m->outs[m->nouts].id = id;
	m->outs[m->nouts].next = m->states[cur].out;
	m->states[cur].out = (uint32_t)m->nouts++;
}

/* queue[0..n): the states breadth first. */
static void
give_dense_rows(struct acm *m, const uint32_t *queue, size_t n)
{
	size_t i, k, forks = 0;

	for (i = 0; i < n && forks < DENSE_ROWS; i++)
		if (m->states[queue[i]].fanout == FANOUT_MANY)
			forks++;
	if (forks == 0)
		return;
	m->rows = xmalloc(forks * 256 * sizeof(*m->rows));
	for (i = 0; i < n && m->nrows < forks; i++) {
		struct state *s = &m->states[queue[i]];
		uint32_t *row = m->rows + m->nrows * 256;
		uint32_t c;

		if (s->fanout != FANOUT_MANY)
			continue;
		for (k = 0; k < 256; k++)
			row[k] = NONE;
		for (c = s->first_child; c != NONE;
		    c = m->states[c].next_sibling)
			row[m->states[c].byte] = c;
		s->row = (uint32_t)m->nrows++;
	}
}

void
acm_build(struct acm *m)
{
	uint32_t *queue = xmalloc(m->nstates * sizeof(*queue));
	size_t head = 0, tail = 0;
	uint32_t c;

	m->states[0].fail = 0;
	for (c = m->states[0].first_child; c != NONE;
	    c = m->states[c].next_sibling) {
		m->states[c].fail = 0;
		queue[tail++] = c;
	}
	while (head < tail) {
		uint32_t s = queue[head++];

		for (c = m->states[s].first_child; c != NONE;
		    c = m->states[c].next_sibling) {
			uint32_t f = m->states[s].fail, to;
			unsigned char b = m->states[c].byte;

			while ((to = go(m, f, b)) == NONE && f != 0)
				f = m->states[f].fail;
			m->states[c].fail = (to != NONE && to != c) ? to : 0;
			f = m->states[c].fail;
			m->states[c].dict = m->states[f].out != NONE ? f :
			    m->states[f].dict;
			queue[tail++] = c;
		}
	}
	give_dense_rows(m, queue, tail);
	free(queue);
	for (c = 0; c < 256; c++) {
		uint32_t to = go(m, 0, (unsigned char)c);

		m->root[c] = to == NONE ? 0 : to;
	}
	m->built = 1;
}

static void
report(const struct acm *m, uint32_t s, size_t end,
    void (*fn)(void *, size_t, size_t), void *arg)
{
	for (; s != NONE; s = m->states[s].dict) {
		uint32_t o;

		for (o = m->states[s].out; o != NONE; o = m->outs[o].next)
			fn(arg, m->outs[o].id, end);
	}
}

void
acm_scan(const struct acm *m, const char *text, size_t len,
    void (*fn)(void *arg, size_t id, size_t end), void *arg)
{
	uint32_t s = 0;
	size_t i;

	if (!m->built)
		BUG("acm_scan before acm_build");
	for (i = 0; i < len; i++) {
		unsigned char c = fold((unsigned char)text[i]);
		uint32_t to;

		if (!m->used[c]) {	/* no needle goes on with this byte */
			s = 0;
			continue;
		}
		while (s != 0 && (to = go(m, s, c)) == NONE)
			s = m->states[s].fail;
		s = s == 0 ? m->root[c] : to;
		if (m->states[s].out != NONE || m->states[s].dict != NONE)
			report(m, s, i + 1, fn, arg);
	}
}

size_t
acm_needles(const struct acm *m)
{
	return m->nouts;
}

size_t
acm_states(const struct acm *m)
{
	return m->nstates;
}

void
acm_free(struct acm *m)
{
	if (m == NULL)
		return;
	free(m->states);
	free(m->edges);
	free(m->outs);
	free(m->rows);
	free(m);
}
