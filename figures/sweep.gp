# sgdplot 0.1.0: sweep 'sweep'
# Redraw by hand in this folder: gnuplot sweep.gp
if (!exists('datafile')) datafile = 'sweep.dat'
if (!exists('outfile')) outfile = 'sweep.png'
set encoding utf8
set terminal pngcairo size 1000,1000 noenhanced font 'DejaVu Sans,16' linewidth 1.5
set output outfile
set title 'final distance after 10 steps, against the learning rate' . "\n" . '251 learning rates from 0 to 2.5, 10 epochs from theta = -1' . "\n" . 'final distance to the minimum; fastest at lr = 1/a = 1, divergent beyond 2/a = 2'
set lmargin at screen 0.12
set rmargin at screen 0.96
set bmargin at screen 0.08
set tmargin at screen 0.87
set xrange [-0.05:2.55]
set yrange [5.011872336272715e-16:1995.2623149688789]
set logscale y
set format y '1e%T'
set xlabel 'lr'
set ylabel '|theta_N - c|'
set grid lc rgb '#dddddd'
set key off
set object 1 rect from -0.05, graph 0 to 1, graph 1 behind fillcolor rgb '#e5f2e5' fillstyle solid 1.0 noborder
set label 1 'monotone' at 0.475, graph 0.96 center front
set object 2 rect from 1, graph 0 to 2, graph 1 behind fillcolor rgb '#fdf1d8' fillstyle solid 1.0 noborder
set label 2 'oscillating' at 1.5, graph 0.96 center front
set object 3 rect from 2, graph 0 to 2.55, graph 1 behind fillcolor rgb '#f9dede' fillstyle solid 1.0 noborder
set label 3 'divergent' at 2.275, graph 0.96 center front
set arrow 1 from 1, graph 0 to 1, graph 0.92 nohead dt 2 lw 1.5 lc rgb '#333333' front
set label 4 'lr = 1/a (fastest)' at 1, graph 0.05 left offset 0.5,0 front
set arrow 2 from 2, graph 0 to 2, graph 0.92 nohead dt 2 lw 1.5 lc rgb '#333333' front
set label 5 'lr = 2/a (divergence)' at 2, graph 0.11 right offset -0.5,0 front
set style textbox opaque noborder margins 1,1
set object 10 circle at 0.05,1.1974738784767578 size screen 0.008 front fillcolor rgb '#d62728' fillstyle solid noborder
set label 10 'lr-0.05' at 0.05,1.1974738784767578 left offset 1,0.8 front boxed
set object 11 circle at 0.33,0.03645675609103527 size screen 0.008 front fillcolor rgb '#d62728' fillstyle solid noborder
set label 11 'lr-0.33' at 0.33,0.03645675609103527 left offset 1,0.8 front boxed
set object 12 circle at 1.87,0.496846828382872 size screen 0.008 front fillcolor rgb '#d62728' fillstyle solid noborder
set label 12 'lr-1.87' at 1.87,0.496846828382872 left offset 1,0.8 front boxed
set object 13 circle at 2.18,10.467671107597148 size screen 0.008 front fillcolor rgb '#d62728' fillstyle solid noborder
set label 13 'lr-2.18' at 2.18,10.467671107597148 left offset 1,0.8 front boxed
plot datafile using 1:4 with lines lw 2.5 lc rgb '#1f77b4'
