-- A listing of every object of the cx_journey extension with what defines
-- it, one line each, sorted: two databases whose listings are equal have
-- the same extension.  Used by the upgrade checks in test/t_packaging.sh,
-- which also check that the listing sees a change of each kind below
-- (argument names, an aggregate's state size, a comment, a column).
SELECT line FROM (
	SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
		-- functions: arguments with their names, modes, VARIADIC and defaults
		|| coalesce(' | ' || (SELECT format('(%s) %s %s strict=%s parallel=%s volatile=%s leakproof=%s secdef=%s src=%s bin=%s cost=%s rows=%s support=%s config=%s acl=%s',
				pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), p.prokind, p.proisstrict,
				p.proparallel, p.provolatile, p.proleakproof, p.prosecdef, p.prosrc, p.probin,
				p.procost, p.prorows, p.prosupport, p.proconfig, p.proacl)
			FROM pg_proc p WHERE d.classid = 'pg_proc'::regclass AND p.oid = d.objid), '')
		-- types, and the columns of composite types with their comments
		|| coalesce(' | ' || (SELECT format('type=%s len=%s byval=%s align=%s storage=%s category=%s in=%s out=%s recv=%s send=%s default=%s columns=%s',
				t.typtype, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typcategory,
				t.typinput, t.typoutput, t.typreceive, t.typsend, t.typdefault,
				(SELECT string_agg(format('%s %s%s', a.attname, format_type(a.atttypid, a.atttypmod),
							coalesce(' comment: ' || col_description(a.attrelid, a.attnum), '')),
						', ' ORDER BY a.attnum)
					FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped))
			FROM pg_type t WHERE d.classid = 'pg_type'::regclass AND t.oid = d.objid), '')
		|| coalesce(' | ' || (SELECT format('fn=%s restrict=%s join=%s com=%s neg=%s hashes=%s merges=%s',
				o.oprcode, o.oprrest, o.oprjoin, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprcanhash, o.oprcanmerge)
			FROM pg_operator o WHERE d.classid = 'pg_operator'::regclass AND o.oid = d.objid), '')
		-- aggregates: every support function, the declared state size
		-- (SSPACE), the initial value and the sort operator
		|| coalesce(' | ' || (SELECT format('kind=%s direct=%s sfunc=%s stype=%s sspace=%s init=%s final=%s extra=%s modify=%s combine=%s serial=%s deserial=%s msfunc=%s minv=%s mstype=%s msspace=%s mfinal=%s minit=%s sortop=%s',
				a.aggkind, a.aggnumdirectargs, a.aggtransfn::regprocedure, a.aggtranstype::regtype, a.aggtransspace,
				a.agginitval, a.aggfinalfn::regprocedure, a.aggfinalextra, a.aggfinalmodify, a.aggcombinefn::regprocedure,
				a.aggserialfn::regprocedure, a.aggdeserialfn::regprocedure, a.aggmtransfn::regprocedure, a.aggminvtransfn::regprocedure,
				a.aggmtranstype::regtype, a.aggmtransspace, a.aggmfinalfn::regprocedure, a.aggminitval,
				a.aggsortop::regoperator)
			FROM pg_aggregate a WHERE d.classid = 'pg_proc'::regclass AND a.aggfnoid = d.objid), '')
		|| coalesce(' | ' || (SELECT format('default=%s ', oc.opcdefault)
				|| coalesce((SELECT string_agg(format('op %s %s', ao.amopstrategy, ao.amopopr::regoperator), ', ' ORDER BY ao.amopstrategy)
					FROM pg_amop ao WHERE ao.amopfamily = oc.opcfamily), '')
				|| ' ' || coalesce((SELECT string_agg(format('fn %s %s', ap.amprocnum, ap.amproc::regprocedure), ', ' ORDER BY ap.amprocnum)
					FROM pg_amproc ap WHERE ap.amprocfamily = oc.opcfamily), '')
			FROM pg_opclass oc WHERE d.classid = 'pg_opclass'::regclass AND oc.oid = d.objid), '')
		|| coalesce(' | ' || (SELECT format('context=%s method=%s fn=%s', c.castcontext, c.castmethod, c.castfunc::regprocedure)
			FROM pg_cast c WHERE d.classid = 'pg_cast'::regclass AND c.oid = d.objid), '')
		|| coalesce(' | comment: ' || obj_description(d.objid, d.classid::regclass::name), '') AS line
	FROM pg_depend d
	WHERE d.refclassid = 'pg_extension'::regclass
		AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'cx_journey')
		AND d.deptype = 'e'
) objects
ORDER BY line;
