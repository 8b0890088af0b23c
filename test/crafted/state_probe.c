/*
 * state_probe.c
 *		Test-only: reach an aggregate's serialize, deserialize and final
 *		functions from SQL, which otherwise only the executor calls (their
 *		state argument is "internal").  Built and loaded by
 *		test/t_crafted_states.sh into its throwaway cluster; never installed.
 *
 * The functions to call are named by custom settings (regprocedure text):
 *	cx_probe.serialize, cx_probe.deserialize, cx_probe.final.
 * Each call runs inside the probe aggregate's own context, so the probed
 * functions see a real aggregate (AggCheckCallContext succeeds).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"

PG_MODULE_MAGIC;

/* Call the function named by setting on one argument, in fcinfo's context. */
static Datum
probe_call(FunctionCallInfo fcinfo, const char *setting, Datum arg, bool two_args,
		   bool *isnull, Oid *result_type)
{
	const char *name = GetConfigOption(setting, true, false);
	Oid			fn;
	FmgrInfo   *flinfo;
	LOCAL_FCINFO(call, 2);
	Datum		result;

	if (name == NULL || name[0] == '\0')
		elog(ERROR, "set %s first", setting);
	fn = DatumGetObjectId(DirectFunctionCall1(regprocedurein, CStringGetDatum(name)));
	flinfo = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FmgrInfo));
	fmgr_info_cxt(fn, flinfo, fcinfo->flinfo->fn_mcxt);
	InitFunctionCallInfoData(*call, flinfo, two_args ? 2 : 1, InvalidOid,
							 fcinfo->context, NULL);
	call->args[0].value = arg;
	call->args[0].isnull = false;
	call->args[1].value = (Datum) 0;
	call->args[1].isnull = false;
	result = FunctionCallInvoke(call);
	*isnull = call->isnull;
	if (result_type)
		*result_type = get_func_rettype(fn);
	return result;
}

/* Final function: the state as bytes, through cx_probe.serialize. */
PG_FUNCTION_INFO_V1(probe_serialize_final);
Datum
probe_serialize_final(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Datum		bytes;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	bytes = probe_call(fcinfo, "cx_probe.serialize", PG_GETARG_DATUM(0), false,
					   &isnull, NULL);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(bytes);
}

/* Transition: the state read from bytes, through cx_probe.deserialize. */
PG_FUNCTION_INFO_V1(probe_deserialize_transfn);
Datum
probe_deserialize_transfn(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Datum		state;

	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	state = probe_call(fcinfo, "cx_probe.deserialize", PG_GETARG_DATUM(1), true,
					   &isnull, NULL);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(state);
}

/* Final function: the aggregate's answer on the state, as text. */
PG_FUNCTION_INFO_V1(probe_final_text);
Datum
probe_final_text(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Oid			type;
	Oid			output;
	bool		varlena;
	Datum		answer;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	answer = probe_call(fcinfo, "cx_probe.final", PG_GETARG_DATUM(0), false,
						&isnull, &type);
	if (isnull)
		PG_RETURN_NULL();
	getTypeOutputInfo(type, &output, &varlena);
	PG_RETURN_TEXT_P(cstring_to_text(OidOutputFunctionCall(output, answer)));
}
