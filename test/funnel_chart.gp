# The sample funnel as a bar chart (test/demo feeds it the funnel_table rows
# as "step label customers pct_of_first pct_of_previous", one per line).
set terminal svg size 720,420 font "sans,13" background rgb "white" noenhanced
set title "Sample funnel within 7 days (window_funnel + funnel_counts + funnel_table)"
set style fill solid 0.85 border -1
set boxwidth 0.6
stats datafile using 3 nooutput
set yrange [0:STATS_max * 1.15]
set ylabel "customers"
set grid ytics lc rgb "#dddddd"
set xtics nomirror
unset key
plot datafile using 1:3:xtic(2) with boxes lc rgb "#3b6ea8", \
     datafile using 1:3:(sprintf("%d (%.1f%%)", $3, $4)) with labels offset 0,0.8 font "sans,12"
