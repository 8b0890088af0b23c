/*
 * milestone_path.h
 *		The milestone_path value, its label dictionary and the helpers the
 *		path files share (path_storage.c, path_io.c, path_functions.c, path_ops.c,
 *		path_agg.c).
 */
#ifndef CX_MILESTONE_PATH_H
#define CX_MILESTONE_PATH_H

#include "cx_journey.h"

#include "datatype/timestamp.h"
#include "funnel_core.h"
#include "path_parse.h"

/* Most steps one path holds; past it: 54000. */
#define PATH_MAX_STEPS		(1000 * 1000)

/* flags */
#define PATH_HAS_TIMES		0x0001

/*
 * On-disk value (a varlena, 8-byte aligned; no padding anywhere, so equal
 * paths are equal bytes):
 *
 *	header (16 bytes)
 *	TimestampTz times[nsteps]		only with PATH_HAS_TIMES
 *	label ids[nsteps]				id_width bytes each (1, 2 or 4)
 *	uint8 label_lengths[nlabels]
 *	label bytes, concatenated
 *
 * The labels form a dictionary of distinct labels, numbered in order of
 * first appearance in the path, so a path has exactly one encoding: that
 * is what lets equality, hashing and GIN keys work on bytes.  It follows
 * that every label of the dictionary occurs in the steps, which the
 * readers of a dictionary rely on (retention, the growth map): every
 * constructor numbers the labels of the steps it keeps, and no input form
 * (text, JSON, binary: a list of steps) carries a dictionary of its own.
 */
typedef struct MilestonePath
{
	int32		vl_len_;		/* varlena header */
	uint32		nsteps;
	uint32		nlabels;
	uint16		flags;
	uint8		id_width;
	uint8		reserved;		/* zero */
	/* times, ids, lengths and label bytes follow */
} MilestonePath;

#define PATH_HEADER_SIZE	((Size) sizeof(MilestonePath))
#define PG_GETARG_PATH(n)	((MilestonePath *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* Paths with at most this many distinct labels decode without a palloc. */
#define PATH_VIEW_INLINE_LABELS 32

/* A decoded view of a path: pointers into it plus the label table. */
typedef struct PathView
{
	uint32		nsteps;
	uint32		nlabels;
	bool		has_times;
	int			id_width;
	const TimestampTz *times;	/* NULL without times */
	const uint8 *ids;
	const uint8 *label_lengths;
	const char *label_bytes;	/* the labels, concatenated */
	const char **labels;		/* start of each label, or NULL */
	const char *label_space[PATH_VIEW_INLINE_LABELS];	/* labels, when few */
} PathView;

/*
 * Decode a path; with_labels also builds the labels table (in the view for
 * a few labels, else palloc'd).
 */
extern void path_view(MilestonePath *path, PathView *view, bool with_labels);

/*
 * Start loading the bytes of a path argument (not NULL) into the CPU's
 * cache, when it is stored in place: a call that checks its other arguments
 * first then finds the label dictionary at the path's end already there.
 * Measured on the funnel over stored paths (doc/performance.md).
 */
static inline void
path_prefetch(Datum datum)
{
#if defined(__GNUC__) || defined(__clang__)
	const char *line = DatumGetPointer(datum);
	const char *end;

	if (VARATT_IS_EXTENDED(line))
		return;					/* detoasted later, elsewhere */
	end = line + VARSIZE(line);
	for (; line < end; line += 64)
		__builtin_prefetch(line);
	__builtin_prefetch(end - 1);
#else
	(void) datum;
#endif
}

/*
 * 22023 when fname needs times and the viewed path has steps without them
 * (a pattern).  An empty path passes: it has no rows either way.
 */
extern void path_require_times(const PathView *view, const char *fname);

/*
 * A call site's per-path buffer (in fn_mcxt) with room for need elements of
 * size bytes, grown by doubling up to PATH_MAX_STEPS; the old contents go.
 */
extern void *path_buffer_reserve(FunctionCallInfo fcinfo, void *buffer, int64 *capacity,
								 int64 need, Size size);

/*
 * The mask of every label of the viewed path, by label id, into a call
 * site's buffer (*masks, *capacity, as path_buffer_reserve): bit i set when
 * the label equals names[i] (n names, lens[i] bytes) byte for byte.  Each
 * label of the path is compared once, not each step.
 */
extern const uint64 *path_label_masks(FunctionCallInfo fcinfo, uint64 **masks, int64 *capacity,
									  const PathView *view, const int32 *lens,
									  char *const *names, int n);

/*
 * The (time, mask) rows of the viewed path's steps whose label's mask
 * (masks, by label id) is not zero, or of every step when keep_all, in path
 * order into rows (room for every step); returns their number.  The path
 * has times (path_require_times).
 */
extern int64 path_step_rows(const PathView *view, const uint64 *masks, FunnelEvent *rows,
							bool keep_all);

/* The dictionary id of a label in a path, or -1 when the path lacks it. */
extern int64 path_label_id(const PathView *view, const char *label, int len);

/* The first step from 'from' on with the given label, or -1. */
extern int64 path_next_step(const PathView *view, const text *label, int64 from);

/* The dictionary id of step i. */
static inline uint32
path_step_id(const PathView *view, uint32 i)
{
	switch (view->id_width)
	{
		case 1:
			return view->ids[i];
		case 2:
			{
				uint16		id;

				memcpy(&id, view->ids + (Size) i * 2, 2);
				return id;
			}
		default:
			{
				uint32		id;

				memcpy(&id, view->ids + (Size) i * 4, 4);
				return id;
			}
	}
}

/*
 * Assemble a path.  ids must already be canonical (numbered by first
 * appearance); labels/lengths is the dictionary in that order; times may
 * be NULL (a path without times).
 */
extern MilestonePath *path_assemble(uint32 nsteps, const TimestampTz *times,
									const uint32 *ids, uint32 nlabels,
									const char *const *labels,
									const uint8 *lengths);

/* Raise 54000 when a path would exceed PATH_MAX_STEPS. */
extern void path_check_steps(int64 nsteps);

/*
 * A dictionary of distinct labels with an open-addressing hash index,
 * used to number labels while building paths and in the aggregate state.
 */
typedef struct PathDict
{
	MemoryContext cxt;
	uint32		count;
	uint32		capacity;
	uint32	   *offsets;		/* where each label starts in bytes */
	uint8	   *lengths;
	uint32	   *hashes;
	char	   *bytes;
	Size		used;
	Size		size;
	uint32	   *slots;			/* id + 1, or 0 for an empty slot */
	uint32		mask;
} PathDict;

extern void path_dict_init(PathDict *dict, MemoryContext cxt, uint32 expected);
/* Free the dictionary's arrays (the PathDict itself is the caller's). */
extern void path_dict_free(PathDict *dict);
extern uint32 path_dict_intern(PathDict *dict, const char *label, int len);

static inline const char *
path_dict_label(const PathDict *dict, uint32 id)
{
	return dict->bytes + dict->offsets[id];
}

/*
 * A path under construction, step by step, in final order (used by the
 * text, binary and JSON input and by ||).
 */
typedef struct PathBuilder
{
	PathDict	dict;
	uint32		nsteps;
	uint32		capacity;
	uint32	   *ids;
	TimestampTz *times;			/* NULL for a path without times */
} PathBuilder;

extern void path_builder_init(PathBuilder *builder, bool has_times);
extern void path_builder_add(PathBuilder *builder, const char *label, int len,
							 TimestampTz at);
extern MilestonePath *path_builder_finish(PathBuilder *builder);

/* Compare two labels as the btree operator class orders them (bytes). */
static inline int
path_label_cmp(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c;
	return alen - blen;
}

#endif							/* CX_MILESTONE_PATH_H */
