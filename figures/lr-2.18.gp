# sgdplot 0.1.0: configuration 'lr-2.18'
# Redraw by hand in this folder: gnuplot lr-2.18.gp
# (gnuplot -e "outfile='other.png'" lr-2.18.gp draws elsewhere)
if (!exists('datafile')) datafile = 'lr-2.18.dat'
if (!exists('outfile')) outfile = 'lr-2.18.png'
set encoding utf8
set terminal pngcairo size 1000,1000 noenhanced font 'DejaVu Sans,16' linewidth 1.5
set output outfile
set title 'far too large: every step lands further away' . "\n" . 'lr = 2.18, 10 epochs from theta = -1: divergent (lr·a > 2)' . "\n" . 'final theta = -9.46767, loss = 55.2861' . "\n" . '1 - lr·a = -1.18: |1 - lr·a| >= 1, never within 1% of the minimum'
set lmargin at screen 0.1100
set rmargin at screen 0.9600
set bmargin at screen 0.0800
set tmargin at screen 0.8690
set xrange [-10.627985837151137:11.031222447856656]
set yrange [-5.990082622191396:72.16132895336334]
set xlabel 'theta'
set ylabel 'loss'
set grid lc rgb '#dddddd'
set key off
set border lw 1
a = 1
c = 1
d = 0.5
# 0.5 first: gnuplot divides integers as integers
J(t) = 0.5 * a * (t - c)**2 + d
set style textbox opaque noborder margins 1,1
# the minimum (c, d): a five-pointed star
set object 1 polygon from 1,2.681308120112767 to 0.8650666326840644,1.2219290023751672 to 0.4663123289177248,1.1740612790829141 to 0.7816732254663419,0.2242476585569898 to 0.6701628798943794,-1.2647153391392976 to 1,-0.3923533218643136 to 1.3298371201056203,-1.2647153391392978 to 1.2183267745336581,0.22424765855698958 to 1.5336876710822753,1.1740612790829132 to 1.1349333673159356,1.221929002375167 to 1,2.681308120112767
set object 1 clip front fillcolor rgb '#d62728' fillstyle solid 1.0 border lc rgb '#d62728'
set label 'min' at screen 0.550566, screen 0.107484 left front boxed
set label 'start' at screen 0.473829, screen 0.149698 right front boxed
set label 'end' at screen 0.169550, screen 0.710643 left front boxed
set samples 1000
# markers on every 1-th iterate and the last (step 10)
marked(step) = int(step) % 1 == 0 || int(step) == 10
plot J(x) with lines lw 2 lc rgb '#1f77b4', \
     datafile index 0 using 2:3 with lines lw 2 lc rgb '#d62728', \
     datafile index 0 using 2:(marked($1) ? $3 : NaN) with points pt 7 ps 1.5 lc rgb '#d62728'
