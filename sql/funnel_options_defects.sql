-- funnel options: one hand-checked case per defect fixed after review (issue 19)
SET timezone = 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';
-- 1. funnel_histogram: bin widths near the int64 limit.  Offsets 0 and
-- 9223372036854775807 in 1000 bins: the width rounds up to 9223372037 s, and
-- 1000 of them end past the interval range: 22008, not a negative bin.
\set VERBOSITY sqlstate
SELECT * FROM funnel_histogram('v1;excluded=0;counts=0,0,2;2=0,9223372036854775807', 1, 2, 1000);
-- one customer near the limit: the flat 60 s bin would end past it
SELECT * FROM funnel_histogram('v1;excluded=0;counts=0,0,1;2=9223372036854775000', 1, 2, 3);
\set VERBOSITY default
-- 0 and 100,000,000 days in 3 bins: 8.64e18 us / 3 = 2.88e18 us = 33333333 days 8 h each
SELECT * FROM funnel_histogram('v1;excluded=0;counts=0,0,2;2=0,8640000000000000000', 1, 2, 3);
