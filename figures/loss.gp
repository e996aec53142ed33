# sgdplot 0.1.0: the loss per step of 4 configurations
# Redraw by hand in this folder: gnuplot loss.gp
if (!exists('outfile')) outfile = 'loss.png'
set encoding utf8
set terminal pngcairo size 1200,800 noenhanced font 'DejaVu Sans,14' linewidth 1.5
set output outfile
set title 'J(theta_k) - d: the loss above the minimum, per step' . "\n" . 'a straight line is a constant rate: the loss is multiplied by (1 - lr·a)^2 at every step'
set lmargin at screen 0.0900
set rmargin at screen 0.8000
set bmargin at screen 0.1000
set tmargin at screen 0.8800
set xrange [0:10]
set yrange [0.0001:100]
set logscale y
set format y '1e%T'
set xlabel 'step k'
set ylabel 'J(theta_k) - d'
set grid lc rgb '#dddddd'
set key outside right top noenhanced
plot \
  'lr-0.05.dat' index 0 every 1 using 1:(0.5 * 1 * ($2 - 1)**2) with lines lw 2.5 dt 1 lc rgb '#1f77b4' title 'lr-0.05', \
  'lr-0.33.dat' index 0 every 1 using 1:(0.5 * 1 * ($2 - 1)**2) with lines lw 2.5 dt 1 lc rgb '#d62728' title 'lr-0.33', \
  'lr-1.87.dat' index 0 every 1 using 1:(0.5 * 1 * ($2 - 1)**2) with lines lw 2.5 dt 1 lc rgb '#2ca02c' title 'lr-1.87', \
  'lr-2.18.dat' index 0 every 1 using 1:(0.5 * 1 * ($2 - 1)**2) with lines lw 2.5 dt 1 lc rgb '#ff7f0e' title 'lr-2.18'
