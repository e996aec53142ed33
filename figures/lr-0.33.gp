# sgdplot 0.1.0: configuration 'lr-0.33'
# Redraw by hand in this folder: gnuplot lr-0.33.gp
# (gnuplot -e "outfile='other.png'" lr-0.33.gp draws elsewhere)
if (!exists('datafile')) datafile = 'lr-0.33.dat'
if (!exists('outfile')) outfile = 'lr-0.33.png'
set encoding utf8
set terminal pngcairo size 1000,1000 noenhanced font 'DejaVu Sans,16' linewidth 1.5
set output outfile
set title 'larger: nearly converged after 10 steps' . "\n" . 'lr = 0.33, 10 epochs from theta = -1: monotone (0 < lr·a < 1)' . "\n" . 'final theta = 0.963543, loss = 0.500665' . "\n" . '1 - lr·a = 0.67: within 1% of the minimum after 12 steps'
set lmargin at screen 0.1100
set rmargin at screen 0.9600
set bmargin at screen 0.0800
set tmargin at screen 0.8690
set xrange [-1.24:3.24]
set yrange [0.2591552:3.1593280000000004]
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
set object 1 polygon from 1,0.5809476163108609 to 0.9720903240034946,0.5267905443293938 to 0.889611811522051,0.5250141890941987 to 0.9548411956226572,0.48976692264328237 to 0.931776347564098,0.43451200275037083 to 1,0.4668850660546478 to 1.068223652435902,0.43451200275037083 to 1.0451588043773428,0.4897669226432823 to 1.110388188477949,0.5250141890941987 to 1.0279096759965054,0.5267905443293938 to 1,0.5809476163108609
set object 1 clip front fillcolor rgb '#d62728' fillstyle solid 1.0 border lc rgb '#d62728'
set label 'min' at screen 0.519234, screen 0.183561 left front boxed
set label 'start' at screen 0.169550, screen 0.689628 left front boxed
set label 'end' at screen 0.512317, screen 0.103661 left front boxed
set samples 1000
# markers on every 1-th iterate and the last (step 10)
marked(step) = int(step) % 1 == 0 || int(step) == 10
plot J(x) with lines lw 2 lc rgb '#1f77b4', \
     datafile index 0 using 2:3 with lines lw 2 lc rgb '#d62728', \
     datafile index 0 using 2:(marked($1) ? $3 : NaN) with points pt 7 ps 1.5 lc rgb '#d62728'
