\set c random(1, 2000)
SELECT check_path(:c);
