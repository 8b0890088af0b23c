/*
 * path_io.c
 *		The text, binary and JSON forms of milestone_path, in and out.
 */
#include "milestone_path.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "path_json.h"
#include "time_text.h"

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
	else if ((time_text != NULL) != (reader->builder.times != NULL))
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
			cx_timestamptz_text(view.times[i], USE_ISO_DATES, timebuf);
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
	/* an empty path has no times: 0.2.0 could store one flagged as timed */
	pq_sendbyte(&buf, view.has_times && view.nsteps > 0 ? 1 : 0);
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
	int			flags;
	int32		nsteps;
	PathBuilder builder;
	TimestampTz previous = 0;
	int32		i;

	cx_recv_need(buf, 5, "milestone_path");
	flags = pq_getmsgbyte(buf);
	nsteps = pq_getmsgint(buf, 4);
	if (flags != 0 && flags != 1)
		path_recv_error(psprintf("The flags byte is %d; expected 0 or 1.", flags));
	if (nsteps < 0)
		path_recv_error(psprintf("The step count is %d.", nsteps));
	/*
	 * Every step needs at least 5 bytes (13 with a time): a count the bytes
	 * cannot hold is a malformed value (22P03), checked before the step
	 * limit (54000), which only a value that really has the steps can pass.
	 */
	if ((int64) nsteps * (flags ? 13 : 5) > buf->len - buf->cursor)
		path_recv_error(psprintf("A step count of %d does not fit in the %d bytes that follow.",
								 nsteps, buf->len - buf->cursor));
	path_check_steps(nsteps);
	path_builder_init(&builder, flags == 1);
	for (i = 0; i < nsteps; i++)
	{
		int			len;
		char	   *label;
		int			nbytes;
		TimestampTz at = 0;

		CHECK_FOR_INTERRUPTS();
		cx_recv_need(buf, 4, "milestone_path");
		len = pq_getmsgint(buf, 4);
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
			cx_recv_need(buf, 8, "milestone_path");
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
			cx_timestamptz_text(view.times[i], USE_XSD_DATES, times[i]);
		}
	}
	serialized = cx_path_json_build(view.nsteps, labels, lengths,
									(const char *const *) times);
	PG_RETURN_TEXT_P(cx_json_to_text(serialized, "JSON"));
}

typedef struct PathJsonReader
{
	PathReader	reader;
	bool		convert;		/* labels come back in UTF-8 and need converting */
} PathJsonReader;

/* Add element reader.place of the JSON input. */
static void
path_json_add_step(PathJsonReader *json, const char *label, size_t label_len,
				   const char *at)
{
	const char *literal = json->reader.literal;
	const char *server_label = label;

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
}

/* Raise the error of JSON input that is not a path's shape. */
static pg_attribute_noreturn() void
path_json_error(const char *literal, const char *error)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 path_input_errmsg(literal, true),
			 errdetail("%s.", error),
			 errhint("Give an array of objects like {\"label\": \"cart\", \"at\": \"2024-01-05T10:00:00+00:00\"}, in time order.")));
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
	CxPathJson *doc;
	size_t		nsteps;
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
	status = cx_path_json_open(utf8, len, &doc, &nsteps, error, sizeof(error));
	if (status == 3)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory while reading JSON")));
	if (status != 0)
		path_json_error(literal, error);

	/*
	 * json-c's tree is malloc'd: every error from here on (a bad element, a
	 * bad time, out of memory, a cancel) must release it on its way out.
	 */
	PG_TRY();
	{
		size_t		i;

		for (i = 0; i < nsteps; i++)
		{
			const char *label;
			size_t		label_len;
			const char *at;

			CHECK_FOR_INTERRUPTS();
			json.reader.place = i + 1;
			if (cx_path_json_step(doc, i, &label, &label_len, &at,
								  error, sizeof(error)) != 0)
				path_json_error(literal, error);
			path_json_add_step(&json, label, label_len, at);
		}
	}
	PG_FINALLY();
	{
		cx_path_json_free(doc);
	}
	PG_END_TRY();
	PG_RETURN_POINTER(path_reader_finish(&json.reader));
}
