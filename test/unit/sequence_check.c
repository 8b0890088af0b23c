/*
 * sequence_check.c
 *		The sequence matcher (src/core/sequence_*.c) against a brute-force
 *		backtracking matcher over random patterns and random events.
 *
 *		sequence_check [cases] [seed]
 *
 * Patterns are generated as syntax trees here, written out as text for
 * seq_compile, and matched by backtracking over the trees: so neither the
 * parser's tree nor the NFA is shared with the reference.  Checked per case:
 * the compile error class (leading / trailing time condition, empty match),
 * sequence_match, sequence_count, the chosen match's first and last event,
 * the (?N) events sequence_match_events reports, and for chain patterns
 * (a quarter of the cases are built as such, or near misses) that they are
 * recognized and that seq_chain_matches answers as the reference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sequence_pattern.h"

enum
{
	N_COND, N_ANY, N_SKIP, N_GATE, N_CAT, N_ALT, N_REP
};

typedef struct T
{
	int			kind;
	int			cond;
	int			op;				/* gate: 0 < 1 <= 2 > 3 >= 4 == 5 != */
	int64_t		value;			/* gate, usec */
	int			min,
				max;
	int			nkids;
	struct T   *kid[4];
} T;

static uint64_t rng;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t) (rng % n);
}

static T	pool[4096];
static int	npool;

static T *
mk(int kind)
{
	T		   *t = &pool[npool++];

	memset(t, 0, sizeof(T));
	t->kind = kind;
	return t;
}

static int	nconds;

static T *
gen(int depth)
{
	int			r = rnd(depth <= 0 ? 10 : 16);
	T		   *t;
	int			k;

	if (r < 5)
	{
		t = mk(N_COND);
		t->cond = 1 + rnd(nconds);
	}
	else if (r < 6)
		t = mk(N_ANY);
	else if (r < 8)
		t = mk(N_SKIP);
	else if (r < 10)
	{
		t = mk(N_GATE);
		t->op = rnd(6);
		/* now and then a bound wider than the gap from a time near an end to infinity */
		t->value = (int64_t) (rnd(8) == 0 ? 200 : rnd(4)) * 1000000;
	}
	else if (r < 12)
	{
		t = mk(N_CAT);
		t->nkids = 2 + rnd(3);
		for (k = 0; k < t->nkids; k++)
			t->kid[k] = gen(depth - 1);
	}
	else if (r < 14)
	{
		t = mk(N_ALT);
		t->nkids = 2 + rnd(2);
		for (k = 0; k < t->nkids; k++)
			t->kid[k] = gen(depth - 1);
	}
	else
	{
		T		   *kid = gen(depth - 1);

		if (kid->kind == N_SKIP || kid->kind == N_GATE)
			return kid;
		t = mk(N_REP);
		t->nkids = 1;
		t->kid[0] = kid;
		switch (rnd(6))
		{
			case 0:
				t->min = 0, t->max = -1;
				break;
			case 1:
				t->min = 1, t->max = -1;
				break;
			case 2:
				t->min = 0, t->max = 1;
				break;
			case 3:
				t->min = t->max = rnd(3);
				break;
			case 4:
				t->min = rnd(3), t->max = -1;
				break;
			default:
				t->min = rnd(2);
				t->max = t->min + rnd(3);
				break;
		}
	}
	return t;
}

/*
 * A pattern of 1 to 5 atoms with what may stand between two of them: mostly
 * what a chain allows (.*, (?t<D), (?t<=D), (?t>=0), in any mix), now and
 * then what it does not (nothing: adjacent atoms; '.'; (?t>D), (?t==D),
 * (?t!=D)).  *chain says whether it is one.
 */
static T *
gen_chain(bool *chain)
{
	T		   *items[32];
	int			nitems = 0;
	int			atoms = 1 + rnd(5);
	int			a;
	T		   *t;

	*chain = true;
	for (a = 0; a < atoms; a++)
	{
		if (a > 0)
		{
			int			parts = rnd(8) == 0 ? 0 : 1 + rnd(2);
			int			k;

			if (parts == 0)
				*chain = false; /* adjacent atoms */
			for (k = 0; k < parts; k++)
			{
				int			r = rnd(12);
				T		   *gap;

				if (r < 4)
					gap = mk(N_SKIP);
				else if (r < 10)
				{
					static const int upper[] = {0, 1, 3};	/* <, <=, >= 0 */

					gap = mk(N_GATE);
					gap->op = upper[rnd(3)];
					gap->value = gap->op == 3 ? 0 :
						(int64_t) (rnd(8) == 0 ? 200 : rnd(4)) * 1000000;
					/* (?t<0) bounds below 0 */
					if (gap->op == 0 && gap->value == 0)
						*chain = false;
				}
				else if (r < 11)
				{
					gap = mk(N_ANY);
					*chain = false;
				}
				else
				{
					gap = mk(N_GATE);
					gap->op = 2 + rnd(4);	/* > >= == != */
					gap->value = (int64_t) (1 + rnd(3)) * 1000000;
					*chain = false;
				}
				items[nitems++] = gap;
			}
		}
		t = mk(N_COND);
		t->cond = 1 + rnd(nconds);
		items[nitems++] = t;
	}
	/* fold into sequences of two, from the right */
	t = items[nitems - 1];
	for (a = nitems - 2; a >= 0; a--)
	{
		T		   *cat = mk(N_CAT);

		cat->nkids = 2;
		cat->kid[0] = items[a];
		cat->kid[1] = t;
		t = cat;
	}
	return t;
}

/*
 * The conditions every match consumes, from the tree: a (?N) needs N, a
 * sequence what any part needs, an alternation what every branch needs, a
 * repetition what its body needs when it must run at least once.  Time
 * conditions are ignored, so the compiled pattern's set may only be larger
 * (it may drop a branch no time can satisfy).
 */
static uint64_t
required_ref(const T *t)
{
	uint64_t	r;
	int			k;

	switch (t->kind)
	{
		case N_COND:
			return UINT64_C(1) << (t->cond - 1);
		case N_CAT:
			for (r = 0, k = 0; k < t->nkids; k++)
				r |= required_ref(t->kid[k]);
			return r;
		case N_ALT:
			for (r = ~UINT64_C(0), k = 0; k < t->nkids; k++)
				r &= required_ref(t->kid[k]);
			return r;
		case N_REP:
			return t->min >= 1 ? required_ref(t->kid[0]) : 0;
		default:
			return 0;
	}
}

static const char *ops[] = {"<", "<=", ">", ">=", "==", "!="};

static void
render(const T *t, char *out, size_t *len)
{
	int			k;

#define PUT(s) do { size_t l_ = strlen(s); memcpy(out + *len, s, l_); *len += l_; } while (0)
	char		buf[64];

	switch (t->kind)
	{
		case N_COND:
			snprintf(buf, sizeof(buf), "(?%d)", t->cond);
			PUT(buf);
			break;
		case N_ANY:
			PUT(".");
			break;
		case N_SKIP:
			PUT(".*");
			break;
		case N_GATE:
			if (rnd(2))
				snprintf(buf, sizeof(buf), "(?t%s%lld)", ops[t->op], (long long) (t->value / 1000000));
			else
				snprintf(buf, sizeof(buf), "(?t %s '%lld seconds')", ops[t->op], (long long) (t->value / 1000000));
			PUT(buf);
			break;
		case N_CAT:
			for (k = 0; k < t->nkids; k++)
			{
				bool		paren = t->kid[k]->kind == N_ALT;

				if (paren)
					PUT("(");
				render(t->kid[k], out, len);
				if (paren)
					PUT(")");
			}
			break;
		case N_ALT:
			for (k = 0; k < t->nkids; k++)
			{
				if (k > 0)
					PUT("|");
				render(t->kid[k], out, len);
			}
			break;
		case N_REP:
			{
				bool		paren = t->kid[0]->kind != N_COND;

				if (paren)
					PUT("(");
				render(t->kid[0], out, len);
				if (paren)
					PUT(")");
				if (t->min == 0 && t->max == -1)
					PUT("*");
				else if (t->min == 1 && t->max == -1)
					PUT("+");
				else if (t->min == 0 && t->max == 1)
					PUT("?");
				else if (t->max == -1)
				{
					snprintf(buf, sizeof(buf), "{%d,}", t->min);
					PUT(buf);
				}
				else if (t->min == t->max)
				{
					snprintf(buf, sizeof(buf), "{%d}", t->min);
					PUT(buf);
				}
				else
				{
					snprintf(buf, sizeof(buf), "{%d,%d}", t->min, t->max);
					PUT(buf);
				}
			}
			break;
	}
#undef PUT
}

/* ---- static properties ---- */

static bool
nullable(const T *t)
{
	int			k;

	switch (t->kind)
	{
		case N_COND:
		case N_ANY:
			return false;
		case N_SKIP:
		case N_GATE:
			return true;
		case N_CAT:
			for (k = 0; k < t->nkids; k++)
				if (!nullable(t->kid[k]))
					return false;
			return true;
		case N_ALT:
			for (k = 0; k < t->nkids; k++)
				if (nullable(t->kid[k]))
					return true;
			return false;
		default:
			return t->min == 0 || nullable(t->kid[0]);
	}
}

/* A gate can be met before (dir 0) / after (dir 1) any consumption in t. */
static bool
edge_gate(const T *t, int dir)
{
	int			k;

	switch (t->kind)
	{
		case N_GATE:
			return true;
		case N_CAT:
			for (k = 0; k < t->nkids; k++)
			{
				const T    *kid = t->kid[dir ? t->nkids - 1 - k : k];

				if (edge_gate(kid, dir))
					return true;
				if (!nullable(kid))
					return false;
			}
			return false;
		case N_ALT:
			for (k = 0; k < t->nkids; k++)
				if (edge_gate(t->kid[k], dir))
					return true;
			return false;
		case N_REP:
			return t->max != 0 && edge_gate(t->kid[0], dir);
		default:
			return false;
	}
}

/* ---- the backtracking reference ---- */

static int	n;
static int64_t times[16];
static uint64_t masks[16];
static bool has_window;
static int64_t window;

typedef struct Pending
{
	int			last;			/* last consumed index, -1 before the first */
	bool		skip;
	int			ngates;
	int			gop[16];
	int64_t		gval[16];
} Pending;

static int	start;				/* required first consumed index */
static int	path_idx[64];
static bool path_cond[64];
static int	path_len;
static int	best_idx[64];
static bool best_cond[64];
static int	best_len;
static long steps;
static bool budget_out;

typedef bool (*Cont) (Pending *st, void *arg);

typedef struct Frame
{
	const T    *t;
	int			k;				/* CAT: next child; REP: iterations done */
	Cont		cont;
	void	   *arg;
	int			last_at_iter;	/* REP: pending state at the iteration start */
	bool		skip_at_iter;
	int			ngates_at_iter;
} Frame;

static bool m(const T *t, Pending *st, Cont cont, void *arg);

static bool
gate_ok(int op, int64_t d, int64_t v)
{
	switch (op)
	{
		case 0:
			return d < v;
		case 1:
			return d <= v;
		case 2:
			return d > v;
		case 3:
			return d >= v;
		case 4:
			return d == v;
		default:
			return d != v;
	}
}

/*
 * Whether event j (j > i) is infinitely far from event i: exactly one of
 * the two times is infinite (INT64_MIN, INT64_MAX), or they are the two
 * infinities.  Infinitely far passes > >= != and fails < <= == and every
 * window.
 */
static bool
infinitely_far(int i, int j)
{
	bool		inf_i = times[i] == INT64_MIN || times[i] == INT64_MAX;
	bool		inf_j = times[j] == INT64_MIN || times[j] == INT64_MAX;

	return times[i] != times[j] && (inf_i || inf_j);
}

static bool
gate_ok_between(int op, int i, int j, int64_t v)
{
	if (infinitely_far(i, j))
		return op == 2 || op == 3 || op == 5;
	return gate_ok(op, times[j] - times[i], v);
}

/* Report a complete match: keep it when lexicographically earlier. */
static void
complete(void)
{
	int			k;

	if (has_window &&
		(infinitely_far(path_idx[0], path_idx[path_len - 1]) ||
		 times[path_idx[path_len - 1]] - times[path_idx[0]] > window))
		return;
	for (k = 0; k < path_len && k < best_len; k++)
	{
		if (path_idx[k] != best_idx[k])
			break;
	}
	if (best_len >= 0)
	{
		if (k == path_len && k == best_len)
			return;				/* same events: the first found has priority */
		if (k < path_len && k < best_len && path_idx[k] > best_idx[k])
			return;
		if (k == best_len && k < path_len)
			return;				/* best is a prefix: shorter wins */
	}
	best_len = path_len;
	memcpy(best_idx, path_idx, sizeof(int) * path_len);
	memcpy(best_cond, path_cond, sizeof(bool) * path_len);
}

static bool
cat_cont(Pending *st, void *arg)
{
	Frame	   *f = arg;
	Frame		next = *f;

	if (f->k >= f->t->nkids)
		return f->cont(st, f->arg);
	next.k = f->k + 1;
	return m(f->t->kid[f->k], st, cat_cont, &next);
}

static bool rep_iter(Pending *st, Frame *f);

static bool
rep_cont(Pending *st, void *arg)
{
	Frame	   *f = arg;
	Frame		next = *f;

	/* an iteration that changed nothing must not repeat (it would loop) */
	if (st->last == f->last_at_iter && st->skip == f->skip_at_iter &&
		st->ngates == f->ngates_at_iter && f->k >= f->t->min)
		return false;
	next.k = f->k + 1;
	return rep_iter(st, &next);
}

static bool
rep_iter(Pending *st, Frame *f)
{
	const T    *t = f->t;

	/* greedy: one more iteration first */
	if (t->max < 0 || f->k < t->max)
	{
		Pending		save = *st;
		Frame		g = *f;

		g.last_at_iter = st->last;
		g.skip_at_iter = st->skip;
		g.ngates_at_iter = st->ngates;
		if (m(t->kid[0], st, rep_cont, &g))
			return true;
		*st = save;
	}
	if (f->k >= t->min)
		return f->cont(st, f->arg);
	return false;
}

/* Match t from state st, then call cont; true stops the search. */
static bool
m(const T *t, Pending *st, Cont cont, void *arg)
{
	Pending		save = *st;
	int			k;

	if (++steps > 3000000)
	{
		budget_out = true;
		return true;
	}
	switch (t->kind)
	{
		case N_COND:
		case N_ANY:
			{
				int			lo,
							hi,
							j;

				if (st->last < 0)
					lo = hi = start;
				else if (!st->skip)
					lo = hi = st->last + 1;
				else
					lo = st->last + 1, hi = n - 1;
				for (j = lo; j <= hi && j < n; j++)
				{
					bool		ok = t->kind == N_ANY || (masks[j] >> (t->cond - 1) & 1);
					int			g;

					for (g = 0; ok && g < st->ngates; g++)
						ok = gate_ok_between(st->gop[g], st->last, j, st->gval[g]);
					if (!ok)
						continue;
					st->last = j;
					st->skip = false;
					st->ngates = 0;
					path_idx[path_len] = j;
					path_cond[path_len] = t->kind == N_COND;
					path_len++;
					if (cont(st, arg))
						return true;
					path_len--;
					*st = save;
				}
				return false;
			}
		case N_SKIP:
			st->skip = true;
			if (cont(st, arg))
				return true;
			*st = save;
			return false;
		case N_GATE:
			{
				/* the same gate twice in one gap adds nothing */
				for (k = 0; k < st->ngates; k++)
					if (st->gop[k] == t->op && st->gval[k] == t->value)
						break;
				if (k == st->ngates)
				{
					if (st->ngates >= 16)
						return false;
					st->gop[st->ngates] = t->op;
					st->gval[st->ngates] = t->value;
					st->ngates++;
				}
				st->skip = true;
				if (cont(st, arg))
					return true;
				*st = save;
				return false;
			}
		case N_CAT:
			{
				Frame		f = {t, 0, cont, arg, 0, false, 0};

				return cat_cont(st, &f);
			}
		case N_ALT:
			for (k = 0; k < t->nkids; k++)
			{
				if (m(t->kid[k], st, cont, arg))
					return true;
				*st = save;
			}
			return false;
		default:
			{
				Frame		f = {t, 0, cont, arg, 0, false, 0};

				return rep_iter(st, &f);
			}
	}
}

static bool
at_end(Pending *st, void *arg)
{
	(void) arg;
	if (st->last < 0 || st->ngates > 0)
		return false;
	complete();
	return false;				/* keep enumerating */
}

/* The reference's chosen match from index from; false when none. */
static bool
ref_find(const T *root, int from)
{
	for (start = from; start < n; start++)
	{
		Pending		st;

		memset(&st, 0, sizeof(st));
		st.last = -1;
		path_len = 0;
		best_len = -1;
		m(root, &st, at_end, NULL);
		if (budget_out)
			return false;
		if (best_len > 0)
			return true;
	}
	return false;
}

static void *
xalloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (!p)
		abort();
	return p;
}

static const SeqHooks hooks = {xalloc, free, NULL};

static int
mask_cmp(const void *a, const void *b)
{
	const int  *x = a,
			   *y = b;

	if (times[*x] != times[*y])
		return times[*x] < times[*y] ? -1 : 1;
	if (masks[*x] != masks[*y])
		return masks[*x] < masks[*y] ? -1 : 1;
	return 0;
}

/* ---- long event lists, linear patterns ---- */

/*
 * Linear patterns over long event lists (up to 600 events, so the matcher's
 * trees and running minima span many levels), against a depth-first search
 * with a memo of failures: atom[i] is a condition (0 for '.'), sep[i] what
 * precedes atom i: 0 adjacent, 1 '.*', 2 a time condition <= gap[i], 3 a
 * time condition >= gap[i]; a window in half of them.
 */
#define LN 600
static int64_t ltimes[LN];
static uint64_t lmasks[LN];
static int	ln;
static int	latom[4],
			lsep[4],
			lnatoms;
static int64_t lgap[4];
static int64_t lwindow;
static bool lhas_window;
static unsigned char lfail[4][LN];

static bool
lsat(int a, int j)
{
	return latom[a] == 0 || (lmasks[j] >> (latom[a] - 1) & 1);
}

/* The lexicographically first completion of atoms a.. after event last. */
static bool
ldfs(int a, int last, int first, int *path)
{
	int			j;

	if (a == lnatoms)
		return true;
	if (lfail[a][last])
		return false;
	for (j = last + 1; j < ln; j++)
	{
		int64_t		d = ltimes[j] - ltimes[last];

		if (lsep[a] == 0 && j > last + 1)
			break;
		if (lhas_window && ltimes[j] - ltimes[first] > lwindow)
			break;
		if (lsep[a] == 2 && d > lgap[a])
			break;
		if (lsep[a] == 3 && d < lgap[a])
			continue;
		if (!lsat(a, j))
			continue;
		path[a] = j;
		if (ldfs(a + 1, j, first, path))
			return true;
	}
	/* under a window the failure depends on first: memo only without */
	if (!lhas_window)
		lfail[a][last] = 1;
	return false;
}

static bool
lref_find(int from, int *path)
{
	int			s;

	for (s = from; s < ln; s++)
	{
		if (!lsat(0, s))
			continue;
		path[0] = s;
		if (ldfs(1, s, s, path))
			return true;
	}
	return false;
}

static long
long_checks(long cases)
{
	long		failed = 0;
	long		c;

	for (c = 0; c < cases; c++)
	{
		char		text[256];
		size_t		len = 0;
		SeqErrorInfo err;
		SeqPattern *pat;
		SeqMatcher *mt;
		int			a,
					k,
					path[4];
		int64_t		t = 0;
		SeqMatch	mm;
		long		ref_count = 0;
		int			from = 0;

		ln = 50 + rnd(LN - 50);
		for (k = 0; k < ln; k++)
		{
			t += (int64_t) rnd(3) * 1000000;
			ltimes[k] = t;
			lmasks[k] = 1 + rnd(7);
		}
		/* canonical order within ties */
		for (k = 1; k < ln; k++)
		{
			int			j = k;

			while (j > 0 && ltimes[j - 1] == ltimes[j] && lmasks[j - 1] > lmasks[j])
			{
				uint64_t	x = lmasks[j];

				lmasks[j] = lmasks[j - 1];
				lmasks[j - 1] = x;
				j--;
			}
		}
		lnatoms = 2 + rnd(3);
		lhas_window = rnd(2);
		lwindow = (int64_t) (5 + rnd(40)) * 1000000;
		if (lhas_window)
			len += sprintf(text + len, "(?w<=%lld)", (long long) (lwindow / 1000000));
		for (a = 0; a < lnatoms; a++)
		{
			latom[a] = rnd(5) == 0 ? 0 : 1 + rnd(3);
			lsep[a] = a == 0 ? 0 : rnd(4);
			lgap[a] = (int64_t) rnd(20) * 1000000;
			if (lsep[a] == 1)
				len += sprintf(text + len, ".*");
			else if (lsep[a] == 2)
				len += sprintf(text + len, "(?t<=%lld)", (long long) (lgap[a] / 1000000));
			else if (lsep[a] == 3)
				len += sprintf(text + len, "(?t>=%lld)", (long long) (lgap[a] / 1000000));
			if (latom[a] == 0)
				len += sprintf(text + len, ".");
			else
				len += sprintf(text + len, "(?%d)", latom[a]);
		}
		pat = seq_compile(text, len, &hooks, &err);
		if (pat == NULL)
		{
			fprintf(stderr, "long case %ld: %s does not compile: %s\n", c, text, err.message);
			failed++;
			continue;
		}
		mt = seq_matcher_new(pat, ltimes, lmasks, ln, &hooks);
		memset(lfail, 0, sizeof(lfail));
		while (from < ln && lref_find(from, path))
		{
			bool		got = seq_find(mt, from, &mm, NULL, NULL);

			if (!got || mm.first != path[0] || mm.last != path[lnatoms - 1])
			{
				if (failed < 5)
					fprintf(stderr, "long case %ld: %s over %d events, search from %d: got %d [%lld,%lld], expected [%d,%d]\n",
							c, text, ln, from, got, (long long) mm.first, (long long) mm.last,
							path[0], path[lnatoms - 1]);
				failed++;
				break;
			}
			ref_count++;
			from = path[lnatoms - 1] + 1;
		}
		if (seq_count(mt) != ref_count)
		{
			if (failed < 5)
				fprintf(stderr, "long case %ld: %s over %d events: count %lld, expected %ld\n",
						c, text, ln, (long long) seq_count(mt), ref_count);
			failed++;
		}
		seq_matcher_free(mt);
		free(pat);
	}
	return failed;
}

/*
 * The walk's history counts in the matcher's byte limit: (.+){120}(?2) over
 * 20,000 events keeps up to one node per consuming state per consumed
 * event, 8 bytes each (38 MB): under a 4 MB limit the search stops and says so;
 * with the default limit it finds the match, and the kept buffers are the
 * trees plus whole 512 kB blocks, never a doubled copy.
 */
static long
history_checks(void)
{
	const char *text = "(.+){120}(?2)";
	SeqErrorInfo err;
	SeqPattern *pat = seq_compile(text, strlen(text), &hooks, &err);
	int64_t		n = 20000;
	int64_t    *ht = xalloc(sizeof(int64_t) * n);
	uint64_t   *hm = xalloc(sizeof(uint64_t) * n);
	int64_t    *consumed = xalloc(sizeof(int64_t) * n);
	int64_t		nconsumed = 0;
	int64_t		k;
	SeqMatch	match;
	SeqMatcher *mt;
	long		failed = 0;
	size_t		tree_bytes;

	if (pat == NULL)
	{
		fprintf(stderr, "history: %s does not compile: %s\n", text, err.message);
		return 1;
	}
	for (k = 0; k < n; k++)
	{
		ht[k] = k * 1000000;
		hm[k] = k == n - 1 ? 2 : 1;
	}
	mt = seq_matcher_new(pat, ht, hm, n, &hooks);
	tree_bytes = seq_matcher_bytes(mt);
	seq_matcher_set_limit(mt, tree_bytes + (size_t) 4 * 1024 * 1024);
	if (seq_find(mt, 0, &match, consumed, &nconsumed) || !seq_matcher_over_limit(mt) ||
		seq_matcher_bytes(mt) > tree_bytes + (size_t) 4 * 1024 * 1024)
	{
		fprintf(stderr, "history: a 4 MB limit did not stop the trace (%zu bytes kept)\n",
				seq_matcher_bytes(mt));
		failed++;
	}
	/* without a trace the same search needs no history */
	if (!seq_find(mt, 0, &match, NULL, NULL) || seq_matcher_over_limit(mt) ||
		match.first != 0 || match.last != n - 1)
	{
		fprintf(stderr, "history: the untraced search failed\n");
		failed++;
	}
	seq_matcher_set_limit(mt, SEQ_MAX_MATCH_BYTES);
	if (!seq_find(mt, 0, &match, consumed, &nconsumed) || seq_matcher_over_limit(mt) ||
		nconsumed != 1 || consumed[0] != n - 1)
	{
		fprintf(stderr, "history: the traced search failed\n");
		failed++;
	}
	/* at most one node per consuming state per event, 8 bytes, 512 kB blocks */
	if (seq_matcher_bytes(mt) - tree_bytes > (size_t) pat->nconsume * 8 * n + 512 * 1024)
	{
		fprintf(stderr, "history: %zu bytes for %lld events\n",
				seq_matcher_bytes(mt) - tree_bytes, (long long) n);
		failed++;
	}
	seq_matcher_free(mt);
	free(pat);
	free(ht);
	free(hm);
	free(consumed);
	return failed;
}

/*
 * One matcher serving many groups: each search advances the stamps that
 * mark reached states, and on wrap-around the marks must be cleared (else a
 * state marked 2^32 stamps ago looks reached, its thread is dropped and the
 * match is missed).  t_unit.sh also builds this with 8-bit stamps, so the
 * 256-stamp wrap is crossed at every alignment: groups "a b" for
 * (?1)(?2)|(?3), with 0 to 299 groups "c" between.
 */
static long
stamp_checks(void)
{
	const char *text = "(?1)(?2)|(?3)";
	SeqErrorInfo err;
	SeqPattern *pat = seq_compile(text, strlen(text), &hooks, &err);
	int64_t		ab_times[2] = {0, 1000000};
	uint64_t	ab_masks[2] = {1, 2};
	int64_t		c_times[1] = {0};
	uint64_t	c_masks[1] = {4};
	SeqMatcher *mt;
	SeqMatch	match;
	long		failed = 0;
	int			r,
				q;

	if (pat == NULL)
		return 1;
	mt = seq_matcher_create(pat, &hooks);
	for (r = 0; r < 2000 && failed < 5; r++)
	{
		seq_matcher_load(mt, ab_times, ab_masks, 2);
		if (!seq_find(mt, 0, &match, NULL, NULL) || match.first != 0 || match.last != 1)
		{
			fprintf(stderr, "stamps: group %d \"a b\" lost its match\n", r);
			failed++;
		}
		for (q = 0; q < r % 300; q++)
		{
			seq_matcher_load(mt, c_times, c_masks, 1);
			if (!seq_find(mt, 0, &match, NULL, NULL))
			{
				fprintf(stderr, "stamps: group %d.%d \"c\" lost its match\n", r, q);
				failed++;
			}
		}
	}
	seq_matcher_free(mt);
	free(pat);
	return failed;
}

/*
 * The forward walk checks for interrupts by its own step count: a traced
 * walk over 100,000 events of (?1)(.|.|.|.|.|.|.|.)*(?2) keeps 8 states
 * alive per step, so a check keyed on the history's size (1 + 8k nodes)
 * never fired.  One check per 256 steps is at least 390 calls.
 */
static long interrupt_calls;

static void
count_interrupt(void)
{
	interrupt_calls++;
}

static long
interrupt_checks(void)
{
	static const SeqHooks counting = {xalloc, free, count_interrupt};
	const char *text = "(?1)(.|.|.|.|.|.|.|.)*(?2)";
	SeqErrorInfo err;
	SeqPattern *pat = seq_compile(text, strlen(text), &counting, &err);
	int64_t		n = 100000;
	int64_t    *it = xalloc(sizeof(int64_t) * n);
	uint64_t   *im = xalloc(sizeof(uint64_t) * n);
	int64_t    *consumed = xalloc(sizeof(int64_t) * n);
	int64_t		nconsumed = 0;
	int64_t		k;
	SeqMatch	match;
	SeqMatcher *mt;
	long		failed = 0;

	if (pat == NULL)
		return 1;
	for (k = 0; k < n; k++)
	{
		it[k] = k;
		im[k] = k == n - 1 ? 2 : 1;
	}
	mt = seq_matcher_new(pat, it, im, n, &counting);
	interrupt_calls = 0;
	if (!seq_find(mt, 0, &match, consumed, &nconsumed) || match.last != n - 1 ||
		nconsumed != 2 || consumed[0] != 0 || consumed[1] != n - 1)
	{
		fprintf(stderr, "interrupts: wrong match\n");
		failed++;
	}
	if (interrupt_calls < n / 256)
	{
		fprintf(stderr, "interrupts: %ld checks in a walk of %lld steps\n",
				interrupt_calls, (long long) n);
		failed++;
	}
	seq_matcher_free(mt);
	free(pat);
	free(it);
	free(im);
	free(consumed);
	return failed;
}

int
main(int argc, char **argv)
{
	long		cases = argc > 1 ? atol(argv[1]) : 100000;
	long		c;
	long		passed = 0,
				failed = 0,
				skipped = 0,
				chains = 0,
				matched = 0,
				errors = 0;

	rng = (argc > 2 ? strtoull(argv[2], NULL, 10) : 42) * 2654435761ULL + 1;
	for (c = 0; c < cases; c++)
	{
		T		   *root;
		char		text[4096];
		size_t		len = 0;
		SeqErrorInfo err;
		SeqPattern *pat;
		bool		chain_case;
		bool		expect_chain = false;
		int			expect_err;
		int			k;
		bool		ok = true;
		char		why[256] = "";

		npool = 0;
		nconds = 1 + rnd(3);
		chain_case = rnd(4) == 0;
		if (chain_case)
			root = gen_chain(&expect_chain);
		else
			root = gen(1 + rnd(3));
		if (!chain_case && rnd(2))
		{
			/* framed by events: fewer leading / trailing / empty errors */
			T		   *cat = mk(N_CAT);

			cat->nkids = 3;
			cat->kid[0] = mk(N_COND);
			cat->kid[0]->cond = 1 + rnd(nconds);
			cat->kid[1] = root;
			cat->kid[2] = rnd(2) ? mk(N_ANY) : mk(N_COND);
			cat->kid[2]->cond = 1 + rnd(nconds);
			root = cat;
		}
		has_window = rnd(5) == 0;
		if (chain_case && has_window)
			expect_chain = false;
		window = (int64_t) (rnd(5) == 0 ? 200 : rnd(4)) * 1000000;
		if (has_window)
			len = (size_t) sprintf(text, "(?w<=%lld)", (long long) (window / 1000000));
		render(root, text, &len);
		text[len] = 0;

		/* events: small times (many ties), visible masks, canonical order */
		n = rnd(9);
		{
			int64_t		t0[16] = {0};
			uint64_t	m0[16] = {0};
			int			order[16];

			/*
			 * A quarter of the cases: the earliest time -infinity, the latest
			 * +infinity, and the finite ones near 0 or about 100 seconds from
			 * one end of the range, nearer to that infinity than a 200-second
			 * bound
			 */
			bool		infinite = rnd(4) == 0;
			int			where = rnd(3);
			int64_t		base = !infinite || where == 0 ? 0 :
				where == 1 ? INT64_MAX - 100000000 : INT64_MIN + 100000000;

			for (k = 0; k < n; k++)
			{
				t0[k] = (int64_t) rnd(6) * 1000000;
				if (infinite && t0[k] == 0)
					t0[k] = INT64_MIN;
				else if (infinite && t0[k] == 5000000)
					t0[k] = INT64_MAX;
				else
					t0[k] += base;
				m0[k] = 1 + rnd((1u << nconds) - 1);
			}
			memcpy(times, t0, sizeof(t0));
			memcpy(masks, m0, sizeof(m0));
			for (k = 0; k < n; k++)
				order[k] = k;
			qsort(order, n, sizeof(int), mask_cmp);
			for (k = 0; k < n; k++)
			{
				times[k] = t0[order[k]];
				masks[k] = m0[order[k]];
			}
		}

		expect_err = edge_gate(root, 0) ? SEQ_LEADING_GATE :
			nullable(root) ? SEQ_EMPTY_MATCH :
			edge_gate(root, 1) ? SEQ_TRAILING_GATE : SEQ_OK;
		pat = seq_compile(text, len, &hooks, &err);
		if (pat == NULL && err.code == SEQ_TOO_LARGE)
		{
			skipped++;
			continue;
		}
		if ((int) err.code != expect_err)
		{
			snprintf(why, sizeof(why), "compile: got error %d (%s), expected %d",
					 err.code, err.message, expect_err);
			ok = false;
		}
		else if (pat == NULL)
			errors++;
		else
		{
			SeqMatcher *mt = seq_matcher_create(pat, &hooks);
			int64_t		other_times[12];
			uint64_t	other_masks[12];

			/* a matcher is reused across groups: load another, larger one first */
			for (k = 0; k < 12; k++)
			{
				other_times[k] = (int64_t) k * 500000;
				other_masks[k] = 1 + (k % 7);
			}
			seq_matcher_load(mt, other_times, other_masks, 12);
			if (seq_count(mt) < 0)
				abort();
			seq_matcher_load(mt, times, masks, n);
			int64_t		consumed[64];
			int64_t		nconsumed = 0;
			SeqMatch	mm;
			bool		got;
			int			from = 0;
			long		ref_count = 0;

			steps = 0;
			budget_out = false;
			got = seq_find(mt, 0, &mm, consumed, &nconsumed);
			{
				uint64_t	present = 0;

				for (k = 0; k < n; k++)
					present |= masks[k];
				if ((required_ref(root) & ~pat->required) != 0)
				{
					snprintf(why, sizeof(why), "required: got %llx, the tree needs %llx",
							 (unsigned long long) pat->required,
							 (unsigned long long) required_ref(root));
					ok = false;
				}
				else if ((pat->required & ~present) != 0 && ref_find(root, 0))
				{
					snprintf(why, sizeof(why), "required: %llx, events have only %llx, yet a match",
							 (unsigned long long) pat->required, (unsigned long long) present);
					ok = false;
				}
				steps = 0;
				budget_out = false;
			}
			/*
			 * A chain: recognized when built as one (a near miss may be one
			 * too: (?t<1)(?t!=3) is (?t<1)), and seq_chain_matches against
			 * the reference.
			 */
			if (chain_case && expect_chain && pat->chain_length == 0)
			{
				snprintf(why, sizeof(why), "chain: not recognized");
				ok = false;
			}
			if (ok && pat->chain_length > 0)
			{
				bool		ref = ref_find(root, 0);

				if (!budget_out)
				{
					chains++;
					if (seq_chain_matches(pat, times, masks, n, &hooks) != ref)
					{
						snprintf(why, sizeof(why), "chain: one pass says %d, expected %d",
								 !ref, ref);
						ok = false;
					}
				}
				steps = 0;
				budget_out = false;
			}
			if (ref_find(root, 0))
			{
				int			nc = 0;

				matched++;
				if (!got || mm.first != best_idx[0] || mm.last != best_idx[best_len - 1])
				{
					snprintf(why, sizeof(why), "match: got %d [%lld,%lld], expected [%d,%d]",
							 got, (long long) mm.first, (long long) mm.last,
							 best_idx[0], best_idx[best_len - 1]);
					ok = false;
				}
				for (k = 0; k < best_len && ok; k++)
				{
					if (!best_cond[k])
						continue;
					if (nc >= nconsumed || consumed[nc] != best_idx[k])
					{
						snprintf(why, sizeof(why), "events: differ at reported event %d", nc);
						ok = false;
					}
					nc++;
				}
				if (ok && nc != nconsumed)
				{
					snprintf(why, sizeof(why), "events: %lld reported, expected %d",
							 (long long) nconsumed, nc);
					ok = false;
				}
			}
			else if (budget_out)
			{
				skipped++;
				seq_matcher_free(mt);
				free(pat);
				continue;
			}
			else if (got)
			{
				snprintf(why, sizeof(why), "match: got [%lld,%lld], expected none",
						 (long long) mm.first, (long long) mm.last);
				ok = false;
			}
			/* count */
			while (ok && from < n && ref_find(root, from))
			{
				ref_count++;
				from = best_idx[best_len - 1] + 1;
			}
			if (budget_out)
			{
				skipped++;
				seq_matcher_free(mt);
				free(pat);
				continue;
			}
			if (ok && seq_count(mt) != ref_count)
			{
				snprintf(why, sizeof(why), "count: got %lld, expected %ld",
						 (long long) seq_count(mt), ref_count);
				ok = false;
			}
			seq_matcher_free(mt);
			free(pat);
		}
		if (ok)
			passed++;
		else
		{
			failed++;
			if (failed <= 10)
			{
				fprintf(stderr, "case %ld: pattern %s, events", c, text);
				for (k = 0; k < n; k++)
					fprintf(stderr, " %lld:%llx", (long long) (times[k] / 1000000),
							(unsigned long long) masks[k]);
				fprintf(stderr, ": %s\n", why);
			}
		}
	}
	printf("sequence check: %ld cases (%ld with a match, %ld compile errors as expected, %ld skipped as too large, %ld chains matched in one pass)\n",
		   passed + failed, matched, errors, skipped, chains);
	{
		long		long_cases = cases / 100;
		long		long_failed = long_checks(long_cases);

		printf("long event lists: %ld cases of 50 to 600 events, %ld failed\n", long_cases, long_failed);
		passed += long_cases - long_failed;
		failed += long_failed;
	}
	{
		long		h = history_checks();

		printf("walk history under the byte limit: %ld failed\n", h);
		passed += h == 0;
		failed += h;
		h = interrupt_checks();
		printf("interrupt checks in a traced walk: %ld failed\n", h);
		passed += h == 0;
		failed += h;
		h = stamp_checks();
		printf("one matcher over 300,000 groups (stamps wrapping): %ld failed\n", h);
		passed += h == 0;
		failed += h;
	}
	printf("%ld passed, %ld failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
