/*
 * milestone_path.c
 *		The milestone_path type: its storage, text, binary and JSON forms,
 *		and the functions that read one path.
 *
 * A path is the ordered list of milestones a customer reached: each step a
 * label (1 to 255 bytes) and, in stored paths, the time it was reached.
 * Paths used as patterns may leave the times out.  Steps are in time order;
 * steps at the same instant keep the order they were given in (the
 * aggregate gives them in label order).
 */
#include "milestone_path.h"

#include "catalog/pg_type_d.h"
#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "path_json.h"

/* ---------- storage ---------- */

static int
path_id_width(uint32 nlabels)
{
	if (nlabels <= 256)
		return 1;
	if (nlabels <= 65536)
		return 2;
	return 4;
}

void
path_check_steps(int64 nsteps)
{
	if (nsteps > PATH_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a milestone_path cannot have more than %d steps",
						PATH_MAX_STEPS),
				 errhint("Keep fewer steps per path, for example with compact() or first_reached(), or by filtering the labels first.")));
}

MilestonePath *
path_assemble(uint32 nsteps, const TimestampTz *times, const uint32 *ids,
			  uint32 nlabels, const char *const *labels, const uint8 *lengths)
{
	int			width = path_id_width(nlabels);
	Size		label_bytes = 0;
	Size		size;
	MilestonePath *path;
	char	   *cursor;
	uint32		i;

	path_check_steps(nsteps);
	for (i = 0; i < nlabels; i++)
		label_bytes += lengths[i];
	size = PATH_HEADER_SIZE + (times ? (Size) nsteps * sizeof(TimestampTz) : 0) +
		(Size) nsteps * width + nlabels + label_bytes;
	path = palloc0(size);
	SET_VARSIZE(path, size);
	path->nsteps = nsteps;
	path->nlabels = nlabels;
	path->flags = times ? PATH_HAS_TIMES : 0;
	path->id_width = width;
	cursor = (char *) path + PATH_HEADER_SIZE;
	if (times)
	{
		memcpy(cursor, times, (Size) nsteps * sizeof(TimestampTz));
		cursor += (Size) nsteps * sizeof(TimestampTz);
	}
	for (i = 0; i < nsteps; i++)
	{
		if (width == 1)
			*cursor = (char) ids[i];
		else if (width == 2)
		{
			uint16		id = (uint16) ids[i];

			memcpy(cursor, &id, 2);
		}
		else
			memcpy(cursor, &ids[i], 4);
		cursor += width;
	}
	memcpy(cursor, lengths, nlabels);
	cursor += nlabels;
	for (i = 0; i < nlabels; i++)
	{
		memcpy(cursor, labels[i], lengths[i]);
		cursor += lengths[i];
	}
	return path;
}

void
path_view(MilestonePath *path, PathView *view, bool with_labels)
{
	const char *cursor = (const char *) path + PATH_HEADER_SIZE;
	const char *label;
	uint32		i;

	view->path = path;
	view->nsteps = path->nsteps;
	view->nlabels = path->nlabels;
	view->has_times = (path->flags & PATH_HAS_TIMES) != 0;
	view->id_width = path->id_width;
	view->times = NULL;
	if (view->has_times)
	{
		view->times = (const TimestampTz *) cursor;
		cursor += (Size) view->nsteps * sizeof(TimestampTz);
	}
	view->ids = (const uint8 *) cursor;
	cursor += (Size) view->nsteps * view->id_width;
	view->label_lengths = (const uint8 *) cursor;
	label = cursor + view->nlabels;
	view->label_bytes = label;
	view->labels = NULL;
	if (!with_labels)
		return;
	if (view->nlabels <= PATH_VIEW_INLINE_LABELS)
		view->labels = view->label_space;
	else
		view->labels = palloc(sizeof(char *) * view->nlabels);
	for (i = 0; i < view->nlabels; i++)
	{
		view->labels[i] = label;
		label += view->label_lengths[i];
	}
}

int64
path_label_id(const PathView *view, const char *label, int len)
{
	const char *candidate = view->label_bytes;
	uint32		i;

	for (i = 0; i < view->nlabels; i++)
	{
		if (view->label_lengths[i] == len && memcmp(candidate, label, len) == 0)
			return i;
		candidate += view->label_lengths[i];
	}
	return -1;
}

/* ---------- the label dictionary ---------- */

static void
path_dict_rehash(PathDict *dict, uint32 nslots)
{
	uint32		i;

	dict->slots = MemoryContextAllocZero(dict->cxt, sizeof(uint32) * nslots);
	dict->mask = nslots - 1;
	for (i = 0; i < dict->count; i++)
	{
		uint32		slot = dict->hashes[i] & dict->mask;

		while (dict->slots[slot] != 0)
			slot = (slot + 1) & dict->mask;
		dict->slots[slot] = i + 1;
	}
}

void
path_dict_init(PathDict *dict, MemoryContext cxt, uint32 expected)
{
	uint32		nslots = 16;

	while (nslots < expected * 2)
		nslots *= 2;
	dict->cxt = cxt;
	dict->count = 0;
	dict->capacity = Max(expected, 8);
	dict->offsets = MemoryContextAlloc(cxt, sizeof(uint32) * dict->capacity);
	dict->lengths = MemoryContextAlloc(cxt, dict->capacity);
	dict->hashes = MemoryContextAlloc(cxt, sizeof(uint32) * dict->capacity);
	dict->size = (Size) dict->capacity * 16;
	dict->bytes = MemoryContextAlloc(cxt, dict->size);
	dict->used = 0;
	dict->slots = NULL;
	path_dict_rehash(dict, nslots);
}

uint32
path_dict_intern(PathDict *dict, const char *label, int len)
{
	uint32		hash = hash_bytes((const unsigned char *) label, len);
	uint32		slot = hash & dict->mask;
	uint32		id;

	Assert(len >= 1 && len <= CX_PATH_LABEL_MAX);
	while (dict->slots[slot] != 0)
	{
		id = dict->slots[slot] - 1;
		if (dict->hashes[id] == hash && dict->lengths[id] == len &&
			memcmp(path_dict_label(dict, id), label, len) == 0)
			return id;
		slot = (slot + 1) & dict->mask;
	}

	/* a new label */
	if (dict->count >= dict->capacity)
	{
		dict->capacity *= 2;
		dict->offsets = repalloc(dict->offsets, sizeof(uint32) * dict->capacity);
		dict->lengths = repalloc(dict->lengths, dict->capacity);
		dict->hashes = repalloc(dict->hashes, sizeof(uint32) * dict->capacity);
	}
	if (dict->used + len > dict->size)
	{
		dict->size = Max(dict->size * 2, dict->used + len);
		dict->bytes = repalloc(dict->bytes, dict->size);
	}
	id = dict->count++;
	memcpy(dict->bytes + dict->used, label, len);
	dict->offsets[id] = (uint32) dict->used;
	dict->lengths[id] = (uint8) len;
	dict->hashes[id] = hash;
	dict->used += len;
	dict->slots[slot] = id + 1;
	/* keep the table at most half full */
	if ((Size) dict->count * 2 > (Size) dict->mask + 1)
	{
		pfree(dict->slots);
		path_dict_rehash(dict, (dict->mask + 1) * 2);
	}
	return id;
}

/* ---------- building a path step by step ---------- */

void
path_builder_init(PathBuilder *builder, bool has_times)
{
	path_dict_init(&builder->dict, CurrentMemoryContext, 8);
	builder->nsteps = 0;
	builder->capacity = 16;
	builder->ids = palloc(sizeof(uint32) * builder->capacity);
	builder->times = has_times ? palloc(sizeof(TimestampTz) * builder->capacity) : NULL;
	builder->has_times = has_times;
}

void
path_builder_add(PathBuilder *builder, const char *label, int len, TimestampTz at)
{
	if (builder->nsteps >= builder->capacity)
	{
		path_check_steps((int64) builder->nsteps + 1);
		builder->capacity *= 2;
		builder->ids = repalloc(builder->ids, sizeof(uint32) * builder->capacity);
		if (builder->has_times)
			builder->times = repalloc(builder->times,
									  sizeof(TimestampTz) * builder->capacity);
	}
	builder->ids[builder->nsteps] = path_dict_intern(&builder->dict, label, len);
	if (builder->has_times)
		builder->times[builder->nsteps] = at;
	builder->nsteps++;
}

MilestonePath *
path_builder_finish(PathBuilder *builder)
{
	PathDict   *dict = &builder->dict;
	const char **labels = palloc(sizeof(char *) * Max(dict->count, 1));
	uint32		i;

	for (i = 0; i < dict->count; i++)
		labels[i] = path_dict_label(dict, i);
	return path_assemble(builder->nsteps, builder->times, builder->ids,
						 dict->count, labels, dict->lengths);
}

/* ---------- text form ---------- */

#define PATH_INPUT_HINT \
	"Write steps as label@time separated by \"->\", for example: visit@2024-01-05 10:00:00+00 -> \"added to cart\"@2024-01-05 10:02:00+00; " \
	"double-quote labels that contain \", \\, @ or \"->\" (escape \" and \\ inside quotes with \\)."

/* 1-based character position of a byte offset into a literal. */
static int
path_char_position(const char *text, size_t offset)
{
	return pg_mbstrlen_with_len(text, (int) offset) + 1;
}

/* The message of an input error: the literal as text or as JSON. */
static int
path_input_errmsg(const char *literal, bool json)
{
	if (json)
		return errmsg("invalid milestone_path JSON: \"%s\"",
					  cx_quote_literal(literal, strlen(literal)));
	return errmsg("invalid input syntax for type %s: \"%s\"",
				  "milestone_path", cx_quote_literal(literal, strlen(literal)));
}

/* What the text and JSON readers share while adding steps. */
typedef struct PathReader
{
	PathBuilder builder;
	bool		started;
	const char *literal;		/* the whole input, for messages */
	bool		json;			/* the input is JSON */
	size_t		place;			/* the step being read: its byte offset in the
								 * text, or its 1-based JSON element number */
	TimestampTz previous;
} PathReader;

/* The step being read, for an error message: "character 12", "element 3". */
static char *
path_reader_where(const PathReader *reader)
{
	if (reader->json)
		return psprintf("element %zu", reader->place);
	return psprintf("character %d", path_char_position(reader->literal, reader->place));
}

/* Convert a time of a path literal; any error becomes 22P02 naming the place. */
static TimestampTz
path_read_time(const PathReader *reader, const char *time_text)
{
	MemoryContext cxt = CurrentMemoryContext;
	TimestampTz at = 0;

	PG_TRY();
	{
		at = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in,
													 CStringGetDatum(time_text),
													 ObjectIdGetDatum(InvalidOid),
													 Int32GetDatum(-1)));
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		/* rethrown at once as our own error, so nothing runs in between */
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 path_input_errmsg(reader->literal, reader->json),
				 errdetail("At %s: %s.", path_reader_where(reader), edata->message),
				 errhint("Give each step a time PostgreSQL reads as timestamptz, for example 2024-01-05 10:00:00+00.")));
	}
	PG_END_TRY();
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 path_input_errmsg(reader->literal, reader->json),
				 errdetail("At %s: a milestone cannot be reached at %s.",
						   path_reader_where(reader),
						   TIMESTAMP_IS_NOBEGIN(at) ? "-infinity" : "infinity"),
				 errhint("Give each step a finite time.")));
	return at;
}

/*
 * Add the step at reader->place: every step has a time or none does (the
 * text parser checks that itself, with its own message), and times must not
 * go back.
 */
static void
path_reader_add(PathReader *reader, const char *label, size_t len,
				const char *time_text)
{
	TimestampTz at = 0;

	if (!reader->started)
	{
		path_builder_init(&reader->builder, time_text != NULL);
		reader->started = true;
	}
	else if ((time_text != NULL) != reader->builder.has_times)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 path_input_errmsg(reader->literal, reader->json),
				 errdetail("At %s: either every element has an \"at\" time or none does.",
						   path_reader_where(reader))));
	if (time_text != NULL)
	{
		at = path_read_time(reader, time_text);
		if (reader->builder.nsteps > 0 && at < reader->previous)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 path_input_errmsg(reader->literal, reader->json),
					 errdetail("At %s: the time \"%s\" is earlier than the step before it.",
							   path_reader_where(reader), time_text),
					 errhint("List the steps of a path in time order.")));
		reader->previous = at;
	}
	path_builder_add(&reader->builder, label, (int) len, at);
}

static MilestonePath *
path_reader_finish(PathReader *reader)
{
	if (!reader->started)
		path_builder_init(&reader->builder, false);
	return path_builder_finish(&reader->builder);
}

static bool
path_text_step(void *arg, const char *label, size_t label_len, size_t label_offset,
			   const char *time_text, size_t time_len, size_t time_offset)
{
	PathReader *reader = (PathReader *) arg;
	char	   *time_copy = NULL;

	/* a step's errors point at its time when it has one, else at its label */
	reader->place = time_text != NULL ? time_offset : label_offset;
	if (time_text != NULL)
		time_copy = pnstrdup(time_text, time_len);
	path_reader_add(reader, label, label_len, time_copy);
	if (time_copy)
		pfree(time_copy);
	return true;
}

/* Text input: label@time -> label@time ..., or labels alone (see README). */
PG_FUNCTION_INFO_V1(milestone_path_in);
Datum
milestone_path_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	size_t		len = strlen(text);
	char	   *scratch = palloc(len + 1);
	PathReader	reader = {0};
	CxPathParseError error;
	size_t		offset;

	reader.literal = text;
	error = cx_path_parse(text, len, scratch, path_text_step, &reader, &offset);
	if (error != CX_PATH_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 path_input_errmsg(text, false),
				 errdetail("At character %d: %s.", path_char_position(text, offset),
						   cx_path_error_text(error)),
				 errhint("%s", PATH_INPUT_HINT)));
	PG_RETURN_POINTER(path_reader_finish(&reader));
}

/* A path time in the given DateStyle style (into buf of MAXDATELEN + 1). */
static void
path_format_time(TimestampTz at, int style, char *buf)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	const char *tzn;

	if (TIMESTAMP_NOT_FINITE(at))
		EncodeSpecialTimestamp(at, buf);
	else if (timestamp2tm(at, &tz, &tm, &fsec, &tzn, NULL) == 0)
		EncodeDateTime(&tm, fsec, true, tz, tzn, style, buf);
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
}

/*
 * Text output.  Times are written in ISO style whatever DateStyle says, in
 * the session's time zone, so the text reads back the same under any
 * DateStyle.
 */
PG_FUNCTION_INFO_V1(milestone_path_out);
Datum
milestone_path_out(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	PathView	view;
	StringInfoData buf;
	char		timebuf[MAXDATELEN + 1];
	uint32		i;

	path_view(path, &view, true);
	initStringInfo(&buf);
	for (i = 0; i < view.nsteps; i++)
	{
		uint32		id = path_step_id(&view, i);
		int			len = view.label_lengths[id];

		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoString(&buf, " -> ");
		enlargeStringInfo(&buf, 2 * len + 2);
		buf.len += cx_path_write_label(buf.data + buf.len, view.labels[id], len);
		buf.data[buf.len] = '\0';
		if (view.has_times)
		{
			path_format_time(view.times[i], USE_ISO_DATES, timebuf);
			appendStringInfoChar(&buf, '@');
			appendStringInfoString(&buf, timebuf);
		}
	}
	PG_RETURN_CSTRING(buf.data);
}

/* ---------- binary form ---------- */

/*
 * Binary output: a flags byte (1 = with times), the step count (int4), then
 * per step the label as a counted text (int4 length, client encoding) and,
 * with times, the time (int8 microseconds since 2000-01-01 UTC).
 */
PG_FUNCTION_INFO_V1(milestone_path_send);
Datum
milestone_path_send(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	PathView	view;
	StringInfoData buf;
	uint32		i;

	path_view(path, &view, true);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, view.has_times ? 1 : 0);
	pq_sendint32(&buf, view.nsteps);
	for (i = 0; i < view.nsteps; i++)
	{
		uint32		id = path_step_id(&view, i);

		CHECK_FOR_INTERRUPTS();
		pq_sendcountedtext(&buf, view.labels[id], view.label_lengths[id], false);
		if (view.has_times)
			pq_sendint64(&buf, view.times[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
path_recv_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary milestone_path"),
			 errdetail("%s", detail)));
}

/* Binary input: the send format, every part checked. */
PG_FUNCTION_INFO_V1(milestone_path_recv);
Datum
milestone_path_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			flags = pq_getmsgbyte(buf);
	int32		nsteps = pq_getmsgint(buf, 4);
	PathBuilder builder;
	TimestampTz previous = 0;
	int32		i;

	if (flags != 0 && flags != 1)
		path_recv_error(psprintf("The flags byte is %d; expected 0 or 1.", flags));
	if (nsteps < 0)
		path_recv_error(psprintf("The step count is %d.", nsteps));
	path_check_steps(nsteps);
	/* every step needs at least 5 bytes: do not trust the count further */
	if ((int64) nsteps * (flags ? 13 : 5) > buf->len - buf->cursor)
		path_recv_error(psprintf("A step count of %d does not fit in the %d bytes that follow.",
								 nsteps, buf->len - buf->cursor));
	path_builder_init(&builder, flags == 1);
	for (i = 0; i < nsteps; i++)
	{
		int			len = pq_getmsgint(buf, 4);
		char	   *label;
		int			nbytes;
		TimestampTz at = 0;

		CHECK_FOR_INTERRUPTS();
		if (len < 1 || len > buf->len - buf->cursor)
			path_recv_error(psprintf("Step %d has a label length of %d.", i + 1, len));
		label = pq_getmsgtext(buf, len, &nbytes);
		if (nbytes < 1 || nbytes > CX_PATH_LABEL_MAX)
			path_recv_error(psprintf("The label of step %d is %d bytes; a label is 1 to %d bytes.",
									 i + 1, nbytes, CX_PATH_LABEL_MAX));
		if (memchr(label, '\0', nbytes) != NULL)
			path_recv_error(psprintf("The label of step %d contains a zero byte.", i + 1));
		if (flags)
		{
			at = pq_getmsgint64(buf);
			if (TIMESTAMP_NOT_FINITE(at) || !IS_VALID_TIMESTAMP(at))
				path_recv_error(psprintf("Step %d has no valid finite time.", i + 1));
			if (i > 0 && at < previous)
				path_recv_error(psprintf("Step %d is earlier than the step before it.", i + 1));
			previous = at;
		}
		path_builder_add(&builder, label, nbytes, at);
		pfree(label);
	}
	if (buf->cursor != buf->len)
		path_recv_error(psprintf("Extra bytes (%d) follow the last step.", buf->len - buf->cursor));
	PG_RETURN_POINTER(path_builder_finish(&builder));
}

/* ---------- JSON ---------- */

/* p::json: an array of {"label": ..., "at": ...} objects. */
PG_FUNCTION_INFO_V1(milestone_path_to_json);
Datum
milestone_path_to_json(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	PathView	view;
	const char **labels;
	uint8	   *lengths;
	char	  **times = NULL;
	char	   *time_space = NULL;
	char	   *serialized;
	text	   *result;
	uint32		i;

	path_view(path, &view, true);
	labels = palloc(sizeof(char *) * Max(view.nsteps, 1));
	lengths = palloc(Max(view.nsteps, 1));
	if (view.has_times)
	{
		times = palloc(sizeof(char *) * Max(view.nsteps, 1));
		time_space = palloc_extended((Size) Max(view.nsteps, 1) * (MAXDATELEN + 1),
									 MCXT_ALLOC_HUGE);
	}
	for (i = 0; i < view.nsteps; i++)
	{
		uint32		id = path_step_id(&view, i);

		CHECK_FOR_INTERRUPTS();
		labels[i] = view.labels[id];
		lengths[i] = view.label_lengths[id];
		if (times)
		{
			times[i] = time_space + (Size) i * (MAXDATELEN + 1);
			/* the ISO 8601 form json uses for timestamptz */
			path_format_time(view.times[i], USE_XSD_DATES, times[i]);
		}
	}
	serialized = cx_path_json_build(view.nsteps, labels, lengths,
									(const char *const *) times);
	if (serialized == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory while building JSON")));
	result = cstring_to_text(serialized);
	free(serialized);
	PG_RETURN_TEXT_P(result);
}

typedef struct PathJsonReader
{
	PathReader	reader;
	bool		convert;		/* labels come back in UTF-8 and need converting */
} PathJsonReader;

static bool
path_json_step(void *arg, size_t index, const char *label, size_t label_len,
			   const char *at)
{
	PathJsonReader *json = (PathJsonReader *) arg;
	const char *literal = json->reader.literal;
	const char *server_label = label;

	json->reader.place = index;
	if (memchr(label, '\0', label_len) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 path_input_errmsg(literal, true),
				 errdetail("At %s: the label contains \\u0000.",
						   path_reader_where(&json->reader))));
	if (json->convert)
	{
		server_label = pg_any_to_server(label, (int) label_len, PG_UTF8);
		label_len = strlen(server_label);
	}
	else
		pg_verifymbstr(label, (int) label_len, false);
	if (label_len < 1 || label_len > CX_PATH_LABEL_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 path_input_errmsg(literal, true),
				 errdetail("At %s: the label is %zu bytes; a label is 1 to %d bytes.",
						   path_reader_where(&json->reader), label_len, CX_PATH_LABEL_MAX)));
	path_reader_add(&json->reader, server_label, label_len, at);
	return true;
}

/* milestone_path(json): the inverse of p::json. */
PG_FUNCTION_INFO_V1(milestone_path_from_json);
Datum
milestone_path_from_json(PG_FUNCTION_ARGS)
{
	text	   *json_text = PG_GETARG_TEXT_PP(0);
	char	   *literal = text_to_cstring(json_text);
	size_t		len = strlen(literal);
	PathJsonReader json = {0};
	char		error[256];
	int			status;
	const char *utf8 = literal;
	int			encoding = GetDatabaseEncoding();

	json.reader.literal = literal;
	json.reader.json = true;
	/* json-c decodes \u escapes to UTF-8: read UTF-8, convert labels back */
	if (encoding != PG_UTF8 && encoding != PG_SQL_ASCII)
	{
		utf8 = pg_server_to_any(literal, (int) len, PG_UTF8);
		len = strlen(utf8);
		json.convert = true;
	}
	status = cx_path_json_parse(utf8, len, path_json_step, &json, error, sizeof(error));
	if (status == 3)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory while reading JSON")));
	if (status != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 path_input_errmsg(literal, true),
				 errdetail("%s.", error),
				 errhint("Give an array of objects like {\"label\": \"cart\", \"at\": \"2024-01-05T10:00:00+00:00\"}, in time order.")));
	PG_RETURN_POINTER(path_reader_finish(&json.reader));
}

/* ---------- reading one path ---------- */

/* length(p): the number of steps. */
PG_FUNCTION_INFO_V1(milestone_path_length);
Datum
milestone_path_length(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);

	PG_RETURN_INT32((int32) path->nsteps);
}

static text *
path_label_text(const PathView *view, uint32 step)
{
	uint32		id = path_step_id(view, step);

	return cstring_to_text_with_len(view->labels[id], view->label_lengths[id]);
}

/* milestones(p): the labels of the steps, in order, as text[]. */
PG_FUNCTION_INFO_V1(milestone_path_milestones);
Datum
milestone_path_milestones(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	PathView	view;
	Datum	   *labels;
	uint32		i;

	path_view(path, &view, true);
	labels = palloc(sizeof(Datum) * Max(view.nsteps, 1));
	for (i = 0; i < view.nsteps; i++)
	{
		CHECK_FOR_INTERRUPTS();
		labels[i] = PointerGetDatum(path_label_text(&view, i));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(labels, (int) view.nsteps, TEXTOID,
										  -1, false, TYPALIGN_INT));
}

/* milestone_at(p, n): the label of step n (1-based; negative counts from the end). */
PG_FUNCTION_INFO_V1(milestone_path_milestone_at);
Datum
milestone_path_milestone_at(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	int32		n = PG_GETARG_INT32(1);
	int64		step;
	PathView	view;

	step = n > 0 ? (int64) n - 1 : (int64) path->nsteps + n;
	if (n == 0 || step < 0 || step >= path->nsteps)
		PG_RETURN_NULL();
	path_view(path, &view, true);
	PG_RETURN_TEXT_P(path_label_text(&view, (uint32) step));
}

/* last_milestone(p): the label of the last step; NULL for an empty path. */
PG_FUNCTION_INFO_V1(milestone_path_last_milestone);
Datum
milestone_path_last_milestone(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	PathView	view;

	if (path->nsteps == 0)
		PG_RETURN_NULL();
	path_view(path, &view, true);
	PG_RETURN_TEXT_P(path_label_text(&view, path->nsteps - 1));
}

/* The first step from 'from' on with the given label, or -1. */
static int64
path_next_step(const PathView *view, const text *label, int64 from)
{
	int64		id = path_label_id(view, VARDATA_ANY(label), VARSIZE_ANY_EXHDR(label));
	int64		i;

	if (id < 0)
		return -1;
	for (i = from; i < view->nsteps; i++)
		if (path_step_id(view, (uint32) i) == (uint32) id)
			return i;
	return -1;
}

/* reached_at(p, label): when the label was first reached; NULL if never. */
PG_FUNCTION_INFO_V1(milestone_path_reached_at);
Datum
milestone_path_reached_at(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	text	   *label = PG_GETARG_TEXT_PP(1);
	PathView	view;
	int64		step;

	if (!(path->flags & PATH_HAS_TIMES))
		PG_RETURN_NULL();
	path_view(path, &view, false);
	step = path_next_step(&view, label, 0);
	if (step < 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(view.times[step]);
}

/*
 * time_between(p, from_label, to_label): from the first 'from' step to the
 * first 'to' step after it (a later step, so time_between(p, 'buy', 'buy')
 * is the time to the second purchase).  NULL when either is missing.
 */
PG_FUNCTION_INFO_V1(milestone_path_time_between);
Datum
milestone_path_time_between(PG_FUNCTION_ARGS)
{
	MilestonePath *path = PG_GETARG_PATH(0);
	text	   *from_label = PG_GETARG_TEXT_PP(1);
	text	   *to_label = PG_GETARG_TEXT_PP(2);
	PathView	view;
	int64		from_step;
	int64		to_step;

	if (!(path->flags & PATH_HAS_TIMES))
		PG_RETURN_NULL();
	path_view(path, &view, false);
	from_step = path_next_step(&view, from_label, 0);
	if (from_step < 0)
		PG_RETURN_NULL();
	to_step = path_next_step(&view, to_label, from_step + 1);
	if (to_step < 0)
		PG_RETURN_NULL();
	/* the same interval as to_time - from_time in SQL */
	return DirectFunctionCall2(timestamp_mi,
							   TimestampTzGetDatum(view.times[to_step]),
							   TimestampTzGetDatum(view.times[from_step]));
}
