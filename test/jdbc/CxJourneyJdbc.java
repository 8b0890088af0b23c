/*
 * CxJourneyJdbc.java
 *		The demo's analyst queries through the PostgreSQL JDBC driver (the one
 *		Metabase ships), as prepared statements with bound parameters, reading
 *		journey_stage, milestone_path, arrays, JSON, composites and funnel_table
 *		rows through ResultSet.  Each answer is checked against a hand-known
 *		value or against the same query written with literals.
 *
 *		java -cp postgresql.jar:. CxJourneyJdbc jdbc:postgresql://127.0.0.1:PORT/DB?user=postgres
 */
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

public class CxJourneyJdbc
{
	private static int passed = 0;
	private static int failed = 0;

	private static void check(String what, boolean ok, Object got)
	{
		if (ok)
			passed++;
		else
			failed++;
		System.out.println((ok ? "ok      " : "FAILED  ") + what + (ok ? "" : ": got " + got));
	}

	/* Every row of a result as text, columns separated by '|'. */
	private static List<String> rows(ResultSet rs) throws SQLException
	{
		List<String> out = new ArrayList<>();
		int n = rs.getMetaData().getColumnCount();

		while (rs.next())
		{
			StringBuilder row = new StringBuilder();

			for (int i = 1; i <= n; i++)
				row.append(i > 1 ? "|" : "").append(rs.getString(i));
			out.add(row.toString());
		}
		return out;
	}

	private static List<String> literal(Connection c, String sql) throws SQLException
	{
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql))
		{
			return rows(rs);
		}
	}

	public static void main(String[] args) throws Exception
	{
		/* prepareThreshold=1: named server-side statements from the first run */
		try (Connection c = DriverManager.getConnection(args[0] + "&prepareThreshold=1"))
		{
			String[] steps = {"visit", "view_product", "add_to_cart", "purchase"};
			Array stepArray = c.createArrayOf("text", steps);

			/* a journey_stage literal bound as a string; read back as text and as an object */
			try (PreparedStatement ps = c.prepareStatement("SELECT ?::journey_stage, stage_rank(?::journey_stage)"))
			{
				ps.setString(1, "Selling/Buying");
				ps.setString(2, "HONEYMOON");
				try (ResultSet rs = ps.executeQuery())
				{
					rs.next();
					check("journey_stage alias bound as text", "selling".equals(rs.getString(1)), rs.getString(1));
					check("journey_stage type name through JDBC",
						  "journey_stage".equals(rs.getMetaData().getColumnTypeName(1)),
						  rs.getMetaData().getColumnTypeName(1));
					check("stage_rank of a bound stage", rs.getInt(2) == 3, rs.getInt(2));
				}
			}

			/* stages now, per stage */
			String stagesSql = "SELECT current_stage(t)::text AS stage, count(*) FROM (SELECT customer_id, stage_timeline(stage, at) AS t "
				+ "FROM stage_changes WHERE customer_id <= ? GROUP BY customer_id) s GROUP BY 1 ORDER BY 1";
			try (PreparedStatement ps = c.prepareStatement(stagesSql))
			{
				ps.setLong(1, 2000L);
				List<String> got = rows(ps.executeQuery());
				check("current_stage counts, bigint bound", got.equals(literal(c, stagesSql.replace("?", "2000"))), got);
			}

			/* the funnel report: window as a string cast to interval, steps as a text array */
			String funnelSql = "SELECT * FROM funnel_table((SELECT funnel_counts(level, 4) FROM ("
				+ "SELECT window_funnel(?::interval, ts, kind, ?) AS level FROM events GROUP BY customer_id) f), ?)";
			try (PreparedStatement ps = c.prepareStatement(funnelSql))
			{
				for (int run = 0; run < 3; run++)
				{
					ps.setString(1, "7 days");
					ps.setArray(2, stepArray);
					ps.setArray(3, stepArray);
					try (ResultSet rs = ps.executeQuery())
					{
						ResultSetMetaData md = rs.getMetaData();
						long previous = Long.MAX_VALUE;
						int step = 0;
						boolean ok = md.getColumnCount() == 5 && "pct_of_previous".equals(md.getColumnName(5));

						while (rs.next())
						{
							step++;
							long customers = rs.getLong("customers");

							ok &= rs.getInt("step") == step && steps[step - 1].equals(rs.getString("label"))
								&& customers <= previous && customers > 0;
							if (step == 1)
								ok &= rs.getBigDecimal("pct_of_first").compareTo(new java.math.BigDecimal("100")) == 0;
							previous = customers;
						}
						check("funnel_table rows, run " + (run + 1), ok && step == 4, step);
					}
				}
				ps.setString(1, "7 days");
				ps.setArray(2, stepArray);
				ps.setArray(3, stepArray);
				List<String> got = rows(ps.executeQuery());
				String lit = funnelSql.replaceFirst("\\?", "'7 days'")
					.replaceFirst("\\?", "'{visit,view_product,add_to_cart,purchase}'")
					.replaceFirst("\\?", "'{visit,view_product,add_to_cart,purchase}'");
				check("funnel_table equals the literal query", got.equals(literal(c, lit)), got);
			}

			/* a bad window bound as a parameter: SQLSTATE 22023 reaches the client */
			try (PreparedStatement ps = c.prepareStatement("SELECT window_funnel(?::interval, ts, kind, ?) FROM events WHERE customer_id = 1"))
			{
				ps.setString(1, "1 month");
				ps.setArray(2, stepArray);
				ps.executeQuery();
				check("a months window is refused", false, "no error");
			}
			catch (SQLException e)
			{
				check("a months window is refused with 22023", "22023".equals(e.getSQLState()), e.getSQLState());
			}

			/* funnel_json, as text */
			try (PreparedStatement ps = c.prepareStatement("SELECT funnel_json(?::bigint[], ?)"))
			{
				ps.setArray(1, c.createArrayOf("bigint", new Long[] {1000L, 600L, 45L}));
				ps.setArray(2, c.createArrayOf("text", new String[] {"visit", "cart", "purchase"}));
				try (ResultSet rs = ps.executeQuery())
				{
					rs.next();
					String json = rs.getString(1);
					check("funnel_json", json.startsWith("[{\"step\":1,\"label\":\"visit\",\"customers\":1000,\"pct_of_first\":100.00")
						  && json.contains("\"customers\":45"), json);
				}
			}

			/* arrays: window_funnel_times (timestamptz[]) and retention (bool[]) for one customer */
			try (PreparedStatement ps = c.prepareStatement(
				"SELECT window_funnel_times(?::interval, ts, kind, ?), retention(kind = 'visit', kind = 'purchase') FROM events WHERE customer_id = ?"))
			{
				ps.setString(1, "7 days");
				ps.setArray(2, stepArray);
				ps.setLong(3, 7L);
				try (ResultSet rs = ps.executeQuery())
				{
					rs.next();
					Timestamp[] times = (Timestamp[]) rs.getArray(1).getArray();
					Boolean[] kept = (Boolean[]) rs.getArray(2).getArray();
					boolean ordered = times.length >= 1;

					for (int i = 1; i < times.length; i++)
						ordered &= !times[i].before(times[i - 1]);
					check("window_funnel_times as Timestamp[] in order", ordered, times.length);
					check("retention as Boolean[]", kept.length == 2 && kept[0], kept.length);
				}
			}

			/* session_stats: a composite, read as text */
			String sessionSql = "SELECT session_stats(ts, ?::interval)::text FROM events WHERE customer_id = ?";
			try (PreparedStatement ps = c.prepareStatement(sessionSql))
			{
				ps.setString(1, "30 minutes");
				ps.setLong(2, 7L);
				List<String> got = rows(ps.executeQuery());
				check("session_stats composite", got.equals(literal(c, sessionSql.replaceFirst("\\?", "'30 minutes'").replaceFirst("\\?", "7"))), got);
			}

			/* session ids from the window function for one customer */
			try (PreparedStatement ps = c.prepareStatement(
				"SELECT max(s) FROM (SELECT session_id(ts, ?::interval) OVER (ORDER BY ts) AS s FROM events WHERE customer_id = ?) x"))
			{
				ps.setString(1, "30 minutes");
				ps.setLong(2, 7L);
				try (ResultSet rs = ps.executeQuery())
				{
					rs.next();
					check("session_id count for customer 7 (the demo shows 7)", rs.getLong(1) == 7, rs.getLong(1));
				}
			}

			/* milestone_path: the status of a customer (bigint bound), a pattern bound as text */
			String statusSql = "SELECT first_reached(milestone_path_agg(kind, ts)) FROM events WHERE customer_id = ? AND kind NOT IN ('visit', 'view_product')";
			try (PreparedStatement ps = c.prepareStatement(statusSql))
			{
				ps.setLong(1, 7L);
				try (ResultSet rs = ps.executeQuery())
				{
					rs.next();
					String path = rs.getString(1);
					check("milestone_path type name", "milestone_path".equals(rs.getMetaData().getColumnTypeName(1)),
						  rs.getMetaData().getColumnTypeName(1));
					check("milestone_path status text", path.startsWith("newsletter@2026-01-27 00:22:02+00 -> add_to_cart@")
						  && path.equals(literal(c, statusSql.replace("?", "7")).get(0)), path);
				}
			}
			try (PreparedStatement ps = c.prepareStatement(
				"SELECT count(*) FROM (SELECT milestone_path_agg(kind, ts) AS p FROM events GROUP BY customer_id) s WHERE p @> ?::milestone_path"))
			{
				ps.setString(1, "add_to_cart -> purchase");
				try (ResultSet rs = ps.executeQuery())
				{
					rs.next();
					long n = rs.getLong(1);
					check("paths containing a bound pattern", n == Long.parseLong(literal(c,
						"SELECT count(*) FROM (SELECT milestone_path_agg(kind, ts) AS p FROM events GROUP BY customer_id) s WHERE p @> 'add_to_cart -> purchase'").get(0)), n);
				}
			}
			try (PreparedStatement ps = c.prepareStatement("SELECT (?::milestone_path)::json, milestone_path(?::json)::text"))
			{
				ps.setString(1, "visit@2026-01-01 10:00:00+00 -> \"added to cart\"@2026-01-01 10:05:00+00");
				ps.setString(2, "[{\"label\": \"visit\"}, {\"label\": \"café\"}]");
				try (ResultSet rs = ps.executeQuery())
				{
					rs.next();
					check("milestone_path to JSON", ("[{\"label\":\"visit\",\"at\":\"2026-01-01T10:00:00+00:00\"},"
						  + "{\"label\":\"added to cart\",\"at\":\"2026-01-01T10:05:00+00:00\"}]").equals(rs.getString(1)), rs.getString(1));
					check("milestone_path from JSON, non-ASCII label", "visit -> café".equals(rs.getString(2)), rs.getString(2));
				}
			}
			/* a bad path literal bound as a parameter: 22P02 with the position */
			try (PreparedStatement ps = c.prepareStatement("SELECT ?::milestone_path"))
			{
				ps.setString(1, "a -> -> b");
				ps.executeQuery();
				check("a bad path is refused", false, "no error");
			}
			catch (SQLException e)
			{
				check("a bad path is refused with 22P02 and the position",
					  "22P02".equals(e.getSQLState()) && e.getMessage().contains("character 6"), e.getMessage());
			}
		}
		System.out.println();
		System.out.println(passed + " passed, " + failed + " failed");
		System.exit(failed == 0 ? 0 : 1);
	}
}
