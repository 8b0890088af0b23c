/*
 * model_io.c
 *		The text and binary forms of journey_model, in and out.  The text
 *		form (grammar in model_text.h) writes active_after in UTC, so it is
 *		the same under every DateStyle, IntervalStyle and TimeZone.
 */
#include "journey_model.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "text_util.h"

#define MODEL_INPUT_HINT \
	"Write v1 k=<order> [active_after=\"<time>\"] {(<context>) -> <next>: <count>, ...}, for example: " \
	"v1 k=1 {(^) -> \"visit\": 3, (\"visit\") -> $: 3}; ^ is the start, $ the end, labels are double-quoted."

/* ---------- text ---------- */

typedef struct ModelReader
{
	const char *literal;
	ModelExpanded *em;
	int64		total;			/* of the counts so far: must fit int64 */
} ModelReader;

static void
model_input_error(const char *literal, const char *detail, size_t offset)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", "journey_model",
					cx_quote_literal(literal, strlen(literal))),
			 errdetail("At character %d: %s.",
					   pg_mbstrlen_with_len(literal, (int) offset) + 1, detail),
			 errhint(MODEL_INPUT_HINT)));
}

/* n digits at s[*pos] as a number (n >= 1), advancing *pos; false if any is not a digit. */
static bool
model_time_digits(const char *s, size_t len, size_t *pos, int n, int *value)
{
	int			i;

	*value = 0;
	if (*pos + n > len)
		return false;
	for (i = 0; i < n; i++)
	{
		if (s[*pos + i] < '0' || s[*pos + i] > '9')
			return false;
		*value = *value * 10 + (s[*pos + i] - '0');
	}
	*pos += n;
	return true;
}

/*
 * The cut-off time of the text form, in the one form the output writes:
 * YYYY-MM-DD HH:MM:SS[.ffffff]+00[ BC] (a year of 4 to 7 digits, from 1),
 * infinity or -infinity.  Parsed here, not by timestamptz_in, so that the
 * same text means the same time under every DateStyle and TimeZone (and
 * the input function can be immutable).  False with *bad the offset of the
 * first wrong character.
 */
static bool
model_parse_time(const char *s, size_t len, TimestampTz *result, size_t *bad)
{
	struct pg_tm tm;
	fsec_t		fsec = 0;
	size_t		pos = 0;
	size_t		year_digits = 0;
	int			tz = 0;
	int			scale;

	if (len == 8 && memcmp(s, "infinity", 8) == 0)
	{
		TIMESTAMP_NOEND(*result);
		return true;
	}
	if (len == 9 && memcmp(s, "-infinity", 9) == 0)
	{
		TIMESTAMP_NOBEGIN(*result);
		return true;
	}
	memset(&tm, 0, sizeof(tm));
	while (pos < len && s[pos] >= '0' && s[pos] <= '9' && year_digits < 7)
	{
		tm.tm_year = tm.tm_year * 10 + (s[pos] - '0');
		pos++;
		year_digits++;
	}
	if (year_digits < 4 || tm.tm_year < 1)
	{
		*bad = year_digits < 4 ? pos : 0;
		return false;
	}
#define MODEL_TIME_FIELD(sep, field, lo, hi) \
	do { \
		size_t		at_ = pos; \
		if (pos >= len || s[pos] != (sep)) \
		{ \
			*bad = pos; \
			return false; \
		} \
		pos++; \
		if (!model_time_digits(s, len, &pos, 2, &(field)) || (field) < (lo) || (field) > (hi)) \
		{ \
			*bad = at_ + 1; \
			return false; \
		} \
	} while (0)
	MODEL_TIME_FIELD('-', tm.tm_mon, 1, 12);
	MODEL_TIME_FIELD('-', tm.tm_mday, 1, 31);
	MODEL_TIME_FIELD(' ', tm.tm_hour, 0, 23);
	MODEL_TIME_FIELD(':', tm.tm_min, 0, 59);
	MODEL_TIME_FIELD(':', tm.tm_sec, 0, 59);
#undef MODEL_TIME_FIELD
	if (pos < len && s[pos] == '.')
	{
		pos++;
		for (scale = 100000; scale >= 1 && pos < len && s[pos] >= '0' && s[pos] <= '9'; scale /= 10)
			fsec += (s[pos++] - '0') * scale;
		/* one to six digits, as the output writes them */
		if (scale == 100000 || (pos < len && s[pos] >= '0' && s[pos] <= '9'))
		{
			*bad = pos;
			return false;
		}
	}
	if (len - pos < 3 || memcmp(s + pos, "+00", 3) != 0)
	{
		*bad = pos;
		return false;
	}
	pos += 3;
	if (pos < len)
	{
		if (len - pos != 3 || memcmp(s + pos, " BC", 3) != 0)
		{
			*bad = pos;
			return false;
		}
		/* 1 BC is year 0 of the proleptic calendar timestamps use */
		tm.tm_year = -(tm.tm_year - 1);
	}
	/* the day must exist in its month (after the BC shift: leap years are astronomical) */
	if (tm.tm_mday > day_tab[isleap(tm.tm_year)][tm.tm_mon - 1] ||
		tm2timestamp(&tm, fsec, &tz, result) != 0 || !IS_VALID_TIMESTAMP(*result))
	{
		*bad = 0;
		return false;
	}
	return true;
}

/* The cut-off time of the header; 22P02 at the wrong character. */
static TimestampTz
model_read_time(const char *literal, const char *text, size_t len)
{
	TimestampTz result;
	size_t		bad = 0;

	if (!model_parse_time(text, len, &result, &bad))
	{
		/*
		 * The header comes first and a valid time has no escapes: its text
		 * starts right after the first active_after=" of the literal.
		 */
		const char *at = strstr(literal, "active_after=\"");
		size_t		offset = at != NULL ? (size_t) (at - literal) + 14 + bad : 0;

		model_input_error(literal,
						  psprintf("active_after must be a UTC time written YYYY-MM-DD HH:MM:SS[.ffffff]+00 (with \" BC\" before year 1) within the timestamp range, or infinity or -infinity: \"%s\"",
								   pnstrdup(text, len)),
						  offset);
	}
	return result;
}

static bool
model_read_header(void *arg, int k, const char *time_text, size_t time_len)
{
	ModelReader *reader = (ModelReader *) arg;
	TimestampTz cut = 0;

	if (time_text != NULL)
		cut = model_read_time(reader->literal, time_text, time_len);
	reader->em = model_expanded_new(CurrentMemoryContext, k,
									time_text ? MODEL_HAS_ACTIVE_AFTER : 0, cut);
	return true;
}

static bool
model_read_entry(void *arg, const CxModelState *context, const CxModelState *next,
				 int64_t count, size_t offset)
{
	ModelReader *reader = (ModelReader *) arg;
	ModelExpanded *em = reader->em;
	uint32		key[CX_MODEL_MAX_K + 1];
	bool		was_new;
	int			j;

	for (j = 0; j < em->k; j++)
		key[j] = context[j].len == 0 ? 0 :
			model_expanded_label(em, context[j].label, (int) context[j].len);
	key[em->k] = next->len == 0 ? 0 :
		model_expanded_label(em, next->label, (int) next->len);
	if (pg_add_s64_overflow(reader->total, count, &reader->total))
		model_input_error(reader->literal,
						  "the counts add up to more than 9223372036854775807", offset);
	model_expanded_add(em, key, count, &was_new);
	if (!was_new)
		model_input_error(reader->literal, "a transition is given twice", offset);
	return true;
}

/* journey_model_in(cstring): the text form, any order of transitions. */
PG_FUNCTION_INFO_V1(journey_model_in);
Datum
journey_model_in(PG_FUNCTION_ARGS)
{
	char	   *literal = PG_GETARG_CSTRING(0);
	size_t		len = strlen(literal);
	ModelReader reader = {literal, NULL, 0};
	size_t		offset = 0;
	CxModelParseError err;
	JourneyModel *result;

	err = cx_model_parse(literal, len, palloc(len + 1), model_read_header,
						 model_read_entry, &reader, &offset);
	if (err != CX_MODEL_OK)
		model_input_error(literal, cx_model_error_text(err), offset);
	result = model_flatten(reader.em);
	DeleteExpandedObject(EOHPGetRWDatum(&reader.em->hdr));
	PG_RETURN_POINTER(result);
}

/* A time in UTC, ISO style, whatever DateStyle and TimeZone say. */
static void
model_write_time(StringInfo out, TimestampTz at)
{
	char		buf[MAXDATELEN + 1];
	struct pg_tm tm;
	fsec_t		fsec;

	if (TIMESTAMP_NOT_FINITE(at))
		EncodeSpecialTimestamp(at, buf);
	else if (timestamp2tm(at, NULL, &tm, &fsec, NULL, NULL) == 0)
	{
		/* UTC: timestamp2tm leaves tm_isdst unknown, which hides the offset */
		tm.tm_isdst = 0;
		EncodeDateTime(&tm, fsec, true, 0, NULL, USE_ISO_DATES, buf);
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	appendStringInfo(out, "\"%s\"", buf);
}

static void
model_write_state(StringInfo out, const ModelView *view, uint32 id, char sentinel)
{
	if (id == 0)
		appendStringInfoChar(out, sentinel);
	else
	{
		uint8		len = view->lengths[id - 1];

		enlargeStringInfo(out, 2 * len + 2);
		out->len += (int) cx_write_quoted(out->data + out->len, view->labels[id - 1], len);
		out->data[out->len] = '\0';
	}
}

/* journey_model_out(journey_model): v1 k=.. [active_after=".."] {...}. */
PG_FUNCTION_INFO_V1(journey_model_out);
Datum
journey_model_out(PG_FUNCTION_ARGS)
{
	JourneyModel *model = PG_GETARG_MODEL(0);
	ModelView	view;
	StringInfoData out;
	uint32		i;
	int			j;

	model_view(model, &view);
	initStringInfo(&out);
	appendStringInfo(&out, "v1 k=%d ", view.k);
	if (view.flags & MODEL_HAS_ACTIVE_AFTER)
	{
		appendStringInfoString(&out, "active_after=");
		model_write_time(&out, view.active_after);
		appendStringInfoChar(&out, ' ');
	}
	appendStringInfoChar(&out, '{');
	for (i = 0; i < view.ntrans; i++)
	{
		const uint32 *ids = view.ids + (Size) i * view.width;

		appendStringInfoString(&out, i == 0 ? "(" : ", (");
		for (j = 0; j < view.k; j++)
		{
			if (j > 0)
				appendStringInfoString(&out, ", ");
			model_write_state(&out, &view, ids[j], '^');
		}
		appendStringInfoString(&out, ") -> ");
		model_write_state(&out, &view, ids[view.k], '$');
		appendStringInfo(&out, ": " INT64_FORMAT, view.counts[i]);
	}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

/* ---------- binary ---------- */

/*
 * The binary form: version (1 byte), k (1), flags (2), active_after (8),
 * nlabels (4), each label as its length (1) and bytes, ntrans (4), each
 * transition as k + 1 ids (4 each) and its count (8).  Receive checks all
 * of the canonical form's rules (journey_model.h).
 */
PG_FUNCTION_INFO_V1(journey_model_send);
Datum
journey_model_send(PG_FUNCTION_ARGS)
{
	JourneyModel *model = PG_GETARG_MODEL(0);
	ModelView	view;
	StringInfoData buf;
	uint32		i;
	int			j;

	model_view(model, &view);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, MODEL_VERSION);
	pq_sendbyte(&buf, view.k);
	pq_sendint16(&buf, view.flags);
	pq_sendint64(&buf, view.active_after);
	pq_sendint32(&buf, view.nlabels);
	for (i = 0; i < view.nlabels; i++)
	{
		pq_sendbyte(&buf, view.lengths[i]);
		pq_sendbytes(&buf, view.labels[i], view.lengths[i]);
	}
	pq_sendint32(&buf, view.ntrans);
	for (i = 0; i < view.ntrans; i++)
	{
		for (j = 0; j < view.width; j++)
			pq_sendint32(&buf, view.ids[(Size) i * view.width + j]);
		pq_sendint64(&buf, view.counts[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
model_bad_binary(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary journey_model: %s", what)));
}

PG_FUNCTION_INFO_V1(journey_model_recv);
Datum
journey_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version,
				k,
				flags;
	TimestampTz cut;
	uint32		nlabels,
				ntrans,
				i;
	int			j;
	const char *prev_label = NULL;
	int			prev_len = 0;
	uint32		prev_key[CX_MODEL_MAX_K + 1] = {0};
	bool	   *used;
	int64		total = 0;
	ModelExpanded *em;
	JourneyModel *result;

	cx_recv_need(buf, 16, "journey_model");
	version = pq_getmsgbyte(buf);
	if (version != MODEL_VERSION)
		model_bad_binary(psprintf("unknown version %d", version));
	k = pq_getmsgbyte(buf);
	if (k < 1 || k > CX_MODEL_MAX_K)
		model_bad_binary(psprintf("order k = %d is outside 1..%d", k, CX_MODEL_MAX_K));
	flags = (uint16) pq_getmsgint(buf, 2);
	if ((flags & ~MODEL_HAS_ACTIVE_AFTER) != 0)
		model_bad_binary(psprintf("unknown flags %d", flags));
	cut = pq_getmsgint64(buf);
	if (!(flags & MODEL_HAS_ACTIVE_AFTER) && cut != 0)
		model_bad_binary("an active_after time without its flag");
	if (!cx_valid_time(cut))
		model_bad_binary(psprintf("active_after " INT64_FORMAT " is out of the timestamp range", cut));
	nlabels = (uint32) pq_getmsgint(buf, 4);
	if (nlabels > MODEL_MAX_LABELS)
		model_bad_binary(psprintf("%u labels, more than %d", nlabels, MODEL_MAX_LABELS));
	em = model_expanded_new(CurrentMemoryContext, k, flags, cut);
	for (i = 0; i < nlabels; i++)
	{
		int			len;
		const char *label;

		cx_recv_need(buf, 1, "journey_model");
		len = pq_getmsgbyte(buf);
		if (len == 0)
			model_bad_binary(psprintf("label %u is empty", i + 1));
		cx_recv_need(buf, len, "journey_model");
		label = pq_getmsgbytes(buf, len);
		if (prev_label != NULL && path_label_cmp(prev_label, prev_len, label, len) >= 0)
			model_bad_binary(psprintf("label %u is not after label %u in byte order", i + 1, i));
		pg_verify_mbstr(GetDatabaseEncoding(), label, len, false);
		/* labels strictly ascending: each is new, id i + 1 */
		(void) model_expanded_label(em, label, len);
		prev_label = label;
		prev_len = len;
	}
	cx_recv_need(buf, 4, "journey_model");
	ntrans = (uint32) pq_getmsgint(buf, 4);
	if (ntrans > MODEL_MAX_TRANSITIONS)
		model_bad_binary(psprintf("%u transitions, more than %d", ntrans, MODEL_MAX_TRANSITIONS));
	used = palloc0(nlabels + 1);
	for (i = 0; i < ntrans; i++)
	{
		uint32		key[CX_MODEL_MAX_K + 1];
		int64		count;
		int			cmp = 0;

		cx_recv_need(buf, (Size) 4 * (k + 1) + 8, "journey_model");
		for (j = 0; j <= k; j++)
		{
			key[j] = (uint32) pq_getmsgint(buf, 4);
			if (key[j] > nlabels)
				model_bad_binary(psprintf("transition %u has label id %u, past %u labels", i + 1, key[j], nlabels));
			/* the start state only pads the front of a context */
			if (j > 0 && j < k && key[j] == 0 && key[j - 1] != 0)
				model_bad_binary(psprintf("transition %u has the start state after a label", i + 1));
			used[key[j]] = true;
			if (cmp == 0 && i > 0)
				cmp = key[j] < prev_key[j] ? -1 : key[j] > prev_key[j] ? 1 : 0;
		}
		if (i > 0 && cmp <= 0)
			model_bad_binary(psprintf("transition %u is not after transition %u", i + 1, i));
		count = pq_getmsgint64(buf);
		if (count < 1)
			model_bad_binary(psprintf("transition %u has count " INT64_FORMAT, i + 1, count));
		if (pg_add_s64_overflow(total, count, &total))
			model_bad_binary(psprintf("the counts up to transition %u add up to more than " INT64_FORMAT,
									  i + 1, PG_INT64_MAX));
		model_expanded_add(em, key, count, NULL);
		memcpy(prev_key, key, sizeof(key));
	}
	for (i = 1; i <= nlabels; i++)
		if (!used[i])
			model_bad_binary(psprintf("label %u is in no transition", i));
	if (buf->cursor != buf->len)
		model_bad_binary("bytes after the last transition");
	result = model_flatten(em);
	DeleteExpandedObject(EOHPGetRWDatum(&em->hdr));
	PG_RETURN_POINTER(result);
}
