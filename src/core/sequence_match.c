/*
 * sequence_match.c
 *		The exact matcher of compiled sequence patterns (sequence_pattern.h).
 *
 * Backward pass.  V[c][i] is, when event i satisfies consuming state c, the
 * smallest index at which an accepting continuation ends after c consumed
 * event i (i itself when the closure after c reaches the end); otherwise
 * INF.  V[c][i] = min over the closure entries e after c of the minimum of
 * V[e.target][j] over the j that e allows after i: j = i + 1 when adjacent,
 * else the j > i whose time difference lies in [lo, hi] minus the excluded
 * values, a few contiguous index ranges found by binary search.  Every j > i
 * is known before i, so one segment tree per consuming state answers each
 * range minimum in O(log n).
 *
 * Forward walk.  A start i0 is feasible when some start entry's state
 * consumes i0 with V <= the deadline (the last index within the window, or
 * n - 1).  From a feasible prefix the walk takes the smallest next index j
 * that some live thread can consume with V[.][j] <= deadline (a descent in
 * the tree), and stops as soon as a thread's closure reaches the end: the
 * lexicographically earliest complete sequence of consumed events.  The
 * threads (NFA states consistent with the prefix) are kept in priority
 * order with the first arrival at a state kept, so the reported (?N) events
 * are those of the highest-priority path consuming the chosen events.
 */
#include "sequence_pattern.h"
#include "time_distance.h"

#include <string.h>

#define INF INT32_MAX

/*
 * The stamp marking the NFA states reached at a step; a narrower type can
 * be compiled in to test its wrap-around (test/t_unit.sh).
 */
#ifndef SEQ_STAMP_TYPE
#define SEQ_STAMP_TYPE uint32_t
#endif
typedef SEQ_STAMP_TYPE seq_stamp;

struct SeqMatcher
{
	const SeqPattern *pat;
	const SeqHooks *hooks;
	const int64_t *times;
	const uint64_t *masks;
	int64_t		n;
	int64_t		finite_start;	/* the first event after those at -infinity */
	int64_t		finite_end;		/* the first event at +infinity, or n */
	int64_t		size;			/* leaves per tree: a power of two >= n */
	int64_t		tree_capacity;	/* the size the trees were allocated for */
	int32_t    *trees;			/* nconsume trees of 2 * size values */
	bool	   *needs_tree;		/* per consuming state: a time condition reads
								 * ranges of it (else only its leaves are kept) */
	int32_t    *sufmin;			/* per consuming state: min of V over j > i */
	/* forward walk scratch */
	int		   *thread_space;	/* the one allocation of the four below */
	int		   *threads;
	int		   *next_threads;
	int		   *thread_node;
	int		   *next_node;
	seq_stamp  *seen;			/* stamp per consuming state */
	seq_stamp	stamp;
	uint64_t	steps;			/* walk steps, for the interrupt checks */
	/*
	 * The history of the current walk: one node per consumption by a live
	 * thread (a back-pointer per step per state), 8 bytes each, in blocks of
	 * SEQ_NODE_BLOCK nodes that are never copied; the blocks are kept.
	 */
	uint32_t  **node_blocks;	/* each 2 * SEQ_NODE_BLOCK: index<<1|cond, parent */
	int64_t		nblocks;		/* blocks allocated */
	int64_t		max_blocks;		/* room in node_blocks */
	int64_t		nnodes;
	size_t		byte_limit;		/* trees + history, at most (0: none) */
	bool		over_limit;		/* the last search stopped at byte_limit */
};

/* Nodes per history block (512 kB). */
#define SEQ_NODE_BLOCK	65536

static inline int32_t *
tree_of(SeqMatcher *m, int c)
{
	return m->trees + (int64_t) c * 2 * m->size;
}

static inline int32_t
leaf(SeqMatcher *m, int c, int64_t j)
{
	return tree_of(m, c)[m->size + j];
}

static void
tree_set(int32_t *t, int64_t size, int64_t j, int32_t v)
{
	int64_t		k = size + j;

	t[k] = v;
	for (k >>= 1; k >= 1; k >>= 1)
	{
		int32_t		a = t[2 * k],
					b = t[2 * k + 1];
		int32_t		nv = a < b ? a : b;

		if (t[k] == nv)
			break;
		t[k] = nv;
	}
}

/* Minimum over leaves [a, b] (inclusive). */
static int32_t
tree_min(const int32_t *t, int64_t size, int64_t a, int64_t b)
{
	int32_t		best = INF;

	if (a > b)
		return INF;
	a += size;
	b += size + 1;
	while (a < b)
	{
		if (a & 1)
		{
			if (t[a] < best)
				best = t[a];
			a++;
		}
		if (b & 1)
		{
			b--;
			if (t[b] < best)
				best = t[b];
		}
		a >>= 1;
		b >>= 1;
	}
	return best;
}

/* The first leaf in [a, b] whose value is <= x, or -1. */
static int64_t
tree_first(const int32_t *t, int64_t size, int64_t node, int64_t nl, int64_t nr,
		   int64_t a, int64_t b, int32_t x)
{
	int64_t		mid,
				r;

	if (nr < a || nl > b || t[node] > x)
		return -1;
	if (nl == nr)
		return nl;
	mid = nl + (nr - nl) / 2;
	r = tree_first(t, size, 2 * node, nl, mid, a, b, x);
	if (r >= 0)
		return r;
	return tree_first(t, size, 2 * node + 1, mid + 1, nr, a, b, x);
}

/* The first index >= from whose time is >= t (n when none). */
static int64_t
lower_bound(const int64_t *times, int64_t from, int64_t n, int64_t t)
{
	int64_t		lo = from,
				hi = n;

	while (lo < hi)
	{
		int64_t		mid = lo + (hi - lo) / 2;

		if (times[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first index >= from whose time is > t (n when none). */
static int64_t
upper_bound(const int64_t *times, int64_t from, int64_t n, int64_t t)
{
	int64_t		lo = from,
				hi = n;

	while (lo < hi)
	{
		int64_t		mid = lo + (hi - lo) / 2;

		if (times[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* a + b for b >= 0, or false when it passes INT64_MAX (no time is that late). */
static inline bool
add_fits(int64_t a, int64_t b, int64_t *sum)
{
	if (b > 0 && a > INT64_MAX - b)
		return false;
	*sum = a + b;
	return true;
}

/*
 * The first event after i infinitely far from event i (time_distance.h), or
 * n: from -infinity every later time but -infinity, from a finite time
 * +infinity, from +infinity none.
 */
static inline int64_t
first_far(const SeqMatcher *m, int64_t i)
{
	if (m->times[i] == INT64_MIN)
		return m->finite_start;
	if (m->times[i] == INT64_MAX)
		return m->n;
	return m->finite_end;
}

/*
 * The index ranges [a_k, b_k] an entry with a skip allows after event i, in
 * ascending order; returns their number (at most nexcl + 2).  Events
 * infinitely far from i pass only a condition without an upper bound.
 */
static int
entry_ranges(const SeqMatcher *m, const SeqEntry *e, int64_t i,
			 int64_t *ra, int64_t *rb)
{
	const int64_t *t = m->times;
	int64_t		far = first_far(m, i);
	int64_t		a,
				b,
				x0;
	int			k;
	int			nr = 0;

	/*
	 * times are in order: no search for the bounds a plain .* leaves open.
	 * The upper bounds are searched with <=, never as "< t + hi + 1", which
	 * saturates at +infinity (INT64_MAX) and would drop ties there.
	 */
	if (e->lo == 0)
		a = i + 1;
	else if (add_fits(t[i], e->lo, &x0))
		a = lower_bound(t, i + 1, far, x0);
	else
		a = far;				/* past the latest time */
	if (e->hi == INT64_MAX || !add_fits(t[i], e->hi, &x0))
		b = far - 1;
	else
		b = upper_bound(t, a, far, x0) - 1;
	for (k = 0; k < e->nexcl && a <= b; k++)
	{
		int64_t		x;
		int64_t		xa;
		int64_t		xb;

		if (!add_fits(t[i], m->pat->excluded[e->excl + k], &x))
			continue;			/* no event lies that far */
		xa = lower_bound(t, a, b + 1, x);
		if (xa > b || t[xa] != x)
			continue;
		xb = upper_bound(t, xa, b + 1, x) - 1;
		if (xa > a)
		{
			ra[nr] = a;
			rb[nr] = xa - 1;
			nr++;
		}
		a = xb + 1;
	}
	if (a <= b)
	{
		ra[nr] = a;
		rb[nr] = b;
		nr++;
	}
	if (far < m->n && e->hi == INT64_MAX)
	{
		ra[nr] = far;
		rb[nr] = m->n - 1;
		nr++;
	}
	return nr;
}

/* A skip without a time constraint: any later event (a plain .*). */
static inline bool
entry_plain(const SeqEntry *e)
{
	return e->lo == 0 && e->hi == INT64_MAX && e->nexcl == 0;
}

/* Whether entry e allows consuming j right after i (j > i). */
static bool
entry_allows(const SeqMatcher *m, const SeqEntry *e, int64_t i, int64_t j)
{
	int64_t		d;
	int			k;

	if (!e->skip)
		return j == i + 1;
	/* infinitely far: only a condition without an upper bound is met */
	if (j >= first_far(m, i))
		return e->hi == INT64_MAX;
	/* times are in order, so d >= 0; saturate rather than overflow */
	if (m->times[i] < 0 && m->times[j] > INT64_MAX + m->times[i])
		d = INT64_MAX;
	else
		d = m->times[j] - m->times[i];
	if (d < e->lo || d > e->hi)
		return false;
	for (k = 0; k < e->nexcl; k++)
		if (m->pat->excluded[e->excl + k] == d)
			return false;
	return true;
}

static inline bool
satisfies(const SeqMatcher *m, int c, int64_t j)
{
	int			cond = m->pat->consume[c].cond;

	return cond == 0 || (m->masks[j] >> (cond - 1) & 1);
}

SeqMatcher *
seq_matcher_create(const SeqPattern *pat, const SeqHooks *hooks)
{
	SeqMatcher *m = hooks->alloc(sizeof(SeqMatcher));
	int			nc = pat->nconsume;

	memset(m, 0, sizeof(SeqMatcher));
	m->pat = pat;
	m->hooks = hooks;
	m->byte_limit = SEQ_MAX_MATCH_BYTES;
	m->thread_space = hooks->alloc(sizeof(int) * (nc + 1) * 4);
	m->seen = hooks->alloc(sizeof(seq_stamp) * (nc + 1));
	memset(m->seen, 0, sizeof(seq_stamp) * (nc + 1));
	m->sufmin = hooks->alloc(sizeof(int32_t) * (nc + 1));
	m->needs_tree = hooks->alloc(sizeof(bool) * (nc + 1));
	memset(m->needs_tree, 0, sizeof(bool) * (nc + 1));
	{
		int			k;

		/*
		 * Range minima are needed where a time condition bounds the gap, and
		 * for the forward walk's searches under a window (its deadline
		 * varies); otherwise a plain .* needs only "the next event with a
		 * completion", kept where the tree's inner nodes would be.
		 */
		for (k = 0; k < pat->nentries; k++)
			if (pat->entries[k].skip && (!entry_plain(&pat->entries[k]) || pat->has_window))
				m->needs_tree[pat->entries[k].target] = true;
	}
	return m;
}

void
seq_matcher_load(SeqMatcher *m, const int64_t *times, const uint64_t *masks, int64_t n)
{
	const SeqPattern *pat = m->pat;
	const SeqHooks *hooks = m->hooks;
	int64_t		size = 1;
	int			nc = pat->nconsume;
	int64_t		i;
	int			c;
	int64_t		ra[SEQ_MAX_GATES + 2],
				rb[SEQ_MAX_GATES + 2];

	m->times = times;
	m->masks = masks;
	m->n = n;
	m->finite_start = upper_bound(times, 0, n, INT64_MIN);
	m->finite_end = lower_bound(times, 0, n, INT64_MAX);
	m->threads = m->thread_space;
	m->next_threads = m->thread_space + nc + 1;
	m->thread_node = m->next_threads + nc + 1;
	m->next_node = m->thread_node + nc + 1;
	while (size < n)
		size <<= 1;
	if (size > m->tree_capacity)
	{
		if (m->trees)
			hooks->release(m->trees);
		m->trees = NULL;		/* should the allocation fail */
		m->tree_capacity = 0;
		m->trees = hooks->alloc(sizeof(int32_t) * 2 * size * (nc > 0 ? nc : 1));
		m->tree_capacity = size;
	}
	m->size = size;
	for (c = 0; c < nc; c++)
	{
		int32_t    *t = tree_of(m, c);
		int64_t		k;

		if (m->needs_tree[c])
			for (k = 0; k < 2 * size; k++)
				t[k] = INF;
		else
			for (k = size; k < size + n; k++)
				t[k] = INF;
		m->sufmin[c] = INF;
	}

	for (i = n - 1; i >= 0; i--)
	{
		if ((i & 4095) == 0 && hooks->check_interrupts)
			hooks->check_interrupts();
		for (c = 0; c < nc; c++)
		{
			const SeqConsume *sc = &pat->consume[c];
			int32_t		best = INF;
			int			k;

			if (!satisfies(m, c, i))
			{
				if (!m->needs_tree[c])
					tree_of(m, c)[i] = i + 1 < n ? tree_of(m, c)[i + 1] : INF;
				continue;
			}
			if (sc->accepts)
				best = (int32_t) i;
			else
			{
				for (k = 0; k < sc->nentries; k++)
				{
					const SeqEntry *e = &pat->entries[sc->first_entry + k];

					if (!e->skip)
					{
						if (i + 1 < n)
						{
							int32_t		v = leaf(m, e->target, i + 1);

							if (v < best)
								best = v;
						}
					}
					else if (entry_plain(e))
					{
						/* any later event: the running minimum */
						if (m->sufmin[e->target] < best)
							best = m->sufmin[e->target];
					}
					else
					{
						int			nr = entry_ranges(m, e, i, ra, rb);
						int			r;

						for (r = 0; r < nr; r++)
						{
							int32_t		v = tree_min(tree_of(m, e->target), size, ra[r], rb[r]);

							if (v < best)
								best = v;
						}
					}
				}
			}
			if (m->needs_tree[c])
			{
				if (best != INF)
					tree_set(tree_of(m, c), size, i, best);
			}
			else
			{
				int32_t    *t = tree_of(m, c);

				t[size + i] = best;
				/* t[i]: the first j >= i with a completion, INF if none */
				t[i] = best != INF ? (int32_t) i : (i + 1 < n ? t[i + 1] : INF);
			}
		}
		/* every query at i read j > i only: now i joins the minima */
		for (c = 0; c < nc; c++)
		{
			int32_t		v = tree_of(m, c)[size + i];

			if (v < m->sufmin[c])
				m->sufmin[c] = v;
		}
	}
}

SeqMatcher *
seq_matcher_new(const SeqPattern *pat, const int64_t *times,
				const uint64_t *masks, int64_t n, const SeqHooks *hooks)
{
	SeqMatcher *m = seq_matcher_create(pat, hooks);

	seq_matcher_load(m, times, masks, n);
	return m;
}

size_t
seq_matcher_bytes(const SeqMatcher *m)
{
	return sizeof(int32_t) * 2 * (size_t) m->tree_capacity * (size_t) m->pat->nconsume +
		sizeof(uint32_t) * 2 * SEQ_NODE_BLOCK * (size_t) m->nblocks;
}

/* Free the history's blocks. */
static void
history_release(SeqMatcher *m)
{
	int64_t		b;

	for (b = 0; b < m->nblocks; b++)
		m->hooks->release(m->node_blocks[b]);
	if (m->node_blocks)
		m->hooks->release(m->node_blocks);
	m->node_blocks = NULL;
	m->nblocks = 0;
	m->max_blocks = 0;
	m->nnodes = 0;
}

void
seq_matcher_set_limit(SeqMatcher *m, size_t bytes)
{
	m->byte_limit = bytes;
}

bool
seq_matcher_over_limit(const SeqMatcher *m)
{
	return m->over_limit;
}

void
seq_matcher_trim(SeqMatcher *m)
{
	if (m->trees)
		m->hooks->release(m->trees);
	m->trees = NULL;
	m->tree_capacity = 0;
	history_release(m);
}

void
seq_matcher_free(SeqMatcher *m)
{
	const SeqHooks *hooks = m->hooks;

	history_release(m);
	hooks->release(m->seen);
	hooks->release(m->sufmin);
	hooks->release(m->needs_tree);
	hooks->release(m->thread_space);
	if (m->trees)
		hooks->release(m->trees);
	hooks->release(m);
}

/* The last index within the window of a match starting at i0. */
static int64_t
deadline_of(const SeqMatcher *m, int64_t i0)
{
	int64_t		end;
	int64_t		far;

	if (!m->pat->has_window)
		return m->n - 1;
	/* no window reaches an event infinitely far from the first */
	far = first_far(m, i0);
	if (!add_fits(m->times[i0], m->pat->window, &end))
		return far - 1;
	/* with <=: "< end + 1" would saturate at +infinity */
	return upper_bound(m->times, i0, far, end) - 1;
}

/*
 * Record a consumption in the walk's history; returns its node, or -1 when
 * the history would take the matcher past its byte limit (over_limit set).
 */
static int
history_add(SeqMatcher *m, int64_t j, int parent, bool cond)
{
	uint32_t   *node;

	if (m->nnodes >= m->nblocks * SEQ_NODE_BLOCK)
	{
		size_t		block_bytes = sizeof(uint32_t) * 2 * SEQ_NODE_BLOCK;

		/* nodes are numbered by int, also without a byte limit */
		if ((m->byte_limit > 0 && seq_matcher_bytes(m) + block_bytes > m->byte_limit) ||
			m->nnodes > INT32_MAX - SEQ_NODE_BLOCK)
		{
			m->over_limit = true;
			return -1;
		}
		if (m->nblocks >= m->max_blocks)
		{
			/* only the small array of block pointers is ever copied */
			int64_t		cap = m->max_blocks ? m->max_blocks * 2 : 16;
			uint32_t  **nb = m->hooks->alloc(sizeof(uint32_t *) * cap);

			if (m->nblocks > 0)
				memcpy(nb, m->node_blocks, sizeof(uint32_t *) * m->nblocks);
			if (m->node_blocks)
				m->hooks->release(m->node_blocks);
			m->node_blocks = nb;
			m->max_blocks = cap;
		}
		m->node_blocks[m->nblocks] = m->hooks->alloc(block_bytes);
		m->nblocks++;
	}
	node = m->node_blocks[m->nnodes / SEQ_NODE_BLOCK] + 2 * (m->nnodes % SEQ_NODE_BLOCK);
	/* indexes are below INT32_MAX (the trees hold them as int32) */
	node[0] = (uint32_t) j << 1 | (cond ? 1 : 0);
	node[1] = (uint32_t) parent;
	return (int) m->nnodes++;
}

static inline const uint32_t *
history_node(const SeqMatcher *m, int node)
{
	return m->node_blocks[node / SEQ_NODE_BLOCK] + 2 * (node % SEQ_NODE_BLOCK);
}

/*
 * A new stamp; on wrap-around every mark is cleared, else states marked
 * 2^32 steps ago (the matcher serves many groups) would look reached now.
 */
static inline void
next_stamp(SeqMatcher *m)
{
	m->stamp++;
	if (m->stamp == 0)
	{
		memset(m->seen, 0, sizeof(seq_stamp) * (m->pat->nconsume + 1));
		m->stamp = 1;
	}
}

bool
seq_find(SeqMatcher *m, int64_t from, SeqMatch *match, int64_t *consumed,
		 int64_t *nconsumed)
{
	const SeqPattern *pat = m->pat;
	int64_t		i0;
	int64_t		deadline = 0;
	int			nthreads;
	int64_t		i;
	bool		history = consumed != NULL;
	int64_t		ra[SEQ_MAX_GATES + 2],
				rb[SEQ_MAX_GATES + 2];

	m->over_limit = false;
	/* the earliest feasible start */
	for (i0 = from; i0 < m->n; i0++)
	{
		int			k;
		bool		ok = false;

		if ((i0 & 4095) == 0 && m->hooks->check_interrupts)
			m->hooks->check_interrupts();
		deadline = deadline_of(m, i0);
		for (k = 0; k < pat->start_count && !ok; k++)
		{
			const SeqEntry *e = &pat->entries[pat->start_first + k];

			if (leaf(m, e->target, i0) <= deadline)
				ok = true;
		}
		if (ok)
			break;
	}
	if (i0 >= m->n)
		return false;

	/* the threads after consuming i0, in priority order */
	next_stamp(m);
	m->nnodes = 0;
	nthreads = 0;
	{
		int			k;

		for (k = 0; k < pat->start_count; k++)
		{
			const SeqEntry *e = &pat->entries[pat->start_first + k];

			if (m->seen[e->target] == m->stamp || leaf(m, e->target, i0) > deadline)
				continue;
			m->seen[e->target] = m->stamp;
			m->thread_node[nthreads] = -1;
			if (history &&
				(m->thread_node[nthreads] = history_add(m, i0, -1,
														pat->consume[e->target].cond != 0)) < 0)
				return false;
			m->threads[nthreads++] = e->target;
		}
	}

	i = i0;
	for (;;)
	{
		int			t;
		int64_t		best = INT64_MAX;
		int			accepted = -1;
		int			nnext = 0;
		int		   *swap;

		/* a step may visit every state's closure: check often */
		if ((++m->steps & 255) == 0 && m->hooks->check_interrupts)
			m->hooks->check_interrupts();
		for (t = 0; t < nthreads; t++)
			if (pat->consume[m->threads[t]].accepts)
			{
				accepted = t;
				break;
			}
		if (accepted >= 0)
		{
			match->first = i0;
			match->last = i;
			if (history)
			{
				int			node = m->thread_node[accepted];
				int64_t		count = 0;
				int64_t		k;

				for (; node >= 0; node = (int) history_node(m, node)[1])
					if (history_node(m, node)[0] & 1)
						consumed[count++] = history_node(m, node)[0] >> 1;
				/* the chain runs backwards */
				for (k = 0; k < count / 2; k++)
				{
					int64_t		tmp = consumed[k];

					consumed[k] = consumed[count - 1 - k];
					consumed[count - 1 - k] = tmp;
				}
				*nconsumed = count;
			}
			return true;
		}

		/* the smallest next index some thread can consume feasibly */
		for (t = 0; t < nthreads; t++)
		{
			const SeqConsume *sc = &pat->consume[m->threads[t]];
			int			k;

			for (k = 0; k < sc->nentries; k++)
			{
				const SeqEntry *e = &pat->entries[sc->first_entry + k];

				if (!e->skip)
				{
					if (i + 1 < m->n && i + 1 < best && leaf(m, e->target, i + 1) <= deadline)
						best = i + 1;
				}
				else if (entry_plain(e) && !m->needs_tree[e->target])
				{
					/*
					 * No window (a plain .* under a window has a tree): any
					 * completion is in time, and the first later event with
					 * one is kept.
					 */
					if (i + 1 < m->n)
					{
						int32_t		j = tree_of(m, e->target)[i + 1];

						if (j != INF && j < best)
							best = j;
					}
				}
				else
				{
					int			nr = entry_ranges(m, e, i, ra, rb);
					int			r;

					for (r = 0; r < nr; r++)
					{
						int64_t		b = rb[r] < best - 1 ? rb[r] : best - 1;
						int64_t		j;

						if (ra[r] > b)
							break;
						j = tree_first(tree_of(m, e->target), m->size, 1, 0, m->size - 1,
									   ra[r], b, (int32_t) deadline);
						if (j >= 0)
						{
							best = j;
							break;
						}
					}
				}
			}
		}
		/* a live thread always has a feasible continuation */
		if (best == INT64_MAX)
			return false;

		/* the threads after consuming best */
		next_stamp(m);
		for (t = 0; t < nthreads; t++)
		{
			const SeqConsume *sc = &pat->consume[m->threads[t]];
			int			k;

			for (k = 0; k < sc->nentries; k++)
			{
				const SeqEntry *e = &pat->entries[sc->first_entry + k];

				if (m->seen[e->target] == m->stamp ||
					!entry_allows(m, e, i, best) ||
					leaf(m, e->target, best) > deadline)
					continue;
				m->seen[e->target] = m->stamp;
				m->next_node[nnext] = -1;
				if (history &&
					(m->next_node[nnext] = history_add(m, best, m->thread_node[t],
													   pat->consume[e->target].cond != 0)) < 0)
					return false;
				m->next_threads[nnext++] = e->target;
			}
		}
		swap = m->threads;
		m->threads = m->next_threads;
		m->next_threads = swap;
		swap = m->thread_node;
		m->thread_node = m->next_node;
		m->next_node = swap;
		nthreads = nnext;
		i = best;
	}
}

int64_t
seq_count(SeqMatcher *m)
{
	int64_t		count = 0;
	int64_t		from = 0;
	SeqMatch	match;

	while (from < m->n && seq_find(m, from, &match, NULL, NULL))
	{
		count++;
		from = match.last + 1;
	}
	return count;
}

/*
 * The chain's one pass: latest[j] is the time of the latest event that ends
 * a match of the chain's first j + 1 atoms.  A later end is always at least
 * as good for the next atom, since its bound is only from above, so an event
 * of atom j's condition extends a match exactly when it lies within bound j
 * of latest[j - 1] (cx_time_within, infinities included).  Atoms are tried
 * from the last down, so that one event is never consumed twice.
 */
bool
seq_chain_matches(const SeqPattern *pattern, const int64_t *times, const uint64_t *masks,
				  int64_t n, const SeqHooks *hooks)
{
	int64_t		latest[SEQ_CHAIN_MAX];
	uint32_t	reached = 0;	/* bit j: latest[j] is set */
	uint32_t	complete = UINT32_C(1) << (pattern->chain_length - 1);
	int64_t		i;

	for (i = 0; i < n; i++)
	{
		int			j;

		if ((i & 4095) == 0 && hooks->check_interrupts)
			hooks->check_interrupts();
		for (j = pattern->chain_length - 1; j >= 0; j--)
		{
			if ((masks[i] & pattern->chain_cond[j]) == 0)
				continue;
			if (j > 0 &&
				(((reached >> (j - 1)) & 1) == 0 ||
				 (pattern->chain_within[j] != INT64_MAX &&
				  !cx_time_within(latest[j - 1], times[i], (uint64_t) pattern->chain_within[j]))))
				continue;
			latest[j] = times[i];
			reached |= UINT32_C(1) << j;
		}
		if (reached & complete)
			return true;
	}
	return false;
}
