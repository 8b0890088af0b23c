\set lo random(1, 1951)
SELECT check_funnel(:lo);
