-- A listing of every object of the cx_journey extension with what defines
-- it, one line each, sorted: two databases whose listings are equal have
-- the same extension.  Used by the upgrade check in test/t_packaging.sh.
SELECT line FROM (
	SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
		|| coalesce(' | ' || (SELECT format('%s %s strict=%s parallel=%s volatile=%s leakproof=%s secdef=%s src=%s',
				pg_get_function_result(p.oid), p.prokind, p.proisstrict, p.proparallel,
				p.provolatile, p.proleakproof, p.prosecdef, p.prosrc)
			FROM pg_proc p WHERE d.classid = 'pg_proc'::regclass AND p.oid = d.objid), '')
		|| coalesce(' | ' || (SELECT format('len=%s byval=%s align=%s storage=%s in=%s out=%s recv=%s send=%s',
				t.typlen, t.typbyval, t.typalign, t.typstorage, t.typinput, t.typoutput, t.typreceive, t.typsend)
			FROM pg_type t WHERE d.classid = 'pg_type'::regclass AND t.oid = d.objid), '')
		|| coalesce(' | ' || (SELECT format('fn=%s restrict=%s join=%s com=%s neg=%s hashes=%s merges=%s',
				o.oprcode, o.oprrest, o.oprjoin, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprcanhash, o.oprcanmerge)
			FROM pg_operator o WHERE d.classid = 'pg_operator'::regclass AND o.oid = d.objid), '')
		|| coalesce(' | ' || (SELECT format('sfunc=%s stype=%s final=%s combine=%s serial=%s deserial=%s',
				a.aggtransfn, a.aggtranstype::regtype, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn)
			FROM pg_aggregate a WHERE d.classid = 'pg_proc'::regclass AND a.aggfnoid = d.objid), '')
		|| coalesce(' | ' || (SELECT string_agg(format('op %s %s', ao.amopstrategy, ao.amopopr::regoperator), ', ' ORDER BY ao.amopstrategy)
			FROM pg_amop ao JOIN pg_opclass oc ON oc.opcfamily = ao.amopfamily
			WHERE d.classid = 'pg_opclass'::regclass AND oc.oid = d.objid), '')
		|| coalesce(' | ' || (SELECT string_agg(format('fn %s %s', ap.amprocnum, ap.amproc::regprocedure), ', ' ORDER BY ap.amprocnum)
			FROM pg_amproc ap JOIN pg_opclass oc ON oc.opcfamily = ap.amprocfamily
			WHERE d.classid = 'pg_opclass'::regclass AND oc.oid = d.objid), '')
		|| coalesce(' | ' || (SELECT format('context=%s method=%s fn=%s', c.castcontext, c.castmethod, c.castfunc::regprocedure)
			FROM pg_cast c WHERE d.classid = 'pg_cast'::regclass AND c.oid = d.objid), '')
		|| coalesce(' | comment: ' || obj_description(d.objid, d.classid::regclass::name), '') AS line
	FROM pg_depend d
	WHERE d.refclassid = 'pg_extension'::regclass
		AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_journey')
		AND d.deptype = 'e'
) objects
ORDER BY line;
