# sgdplot 0.1.0: the overview of 4 configurations
# Redraw by hand in this folder: gnuplot overview.gp
if (!exists('outfile')) outfile = 'overview.png'
set encoding utf8
set terminal pngcairo size 1200,1200 noenhanced font 'DejaVu Sans,12' linewidth 1.5
set output outfile
set multiplot
# panel 1: lr-0.05
reset
set title 'lr-0.05: too small: still far from the minimum after 10 steps' . "\n" . 'lr = 0.05, monotone: factor 0.95, 1% in 90 steps'
set lmargin at screen 0.0688
set rmargin at screen 0.4800
set bmargin at screen 0.5500
set tmargin at screen 0.9525
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
set object 1 polygon from 1,0.5991568568009573 to 0.9639524811115151,0.5328171018339545 to 0.8574250625581343,0.5306411538602989 to 0.9416738892283276,0.4874649825116959 to 0.911883842717037,0.4197804177392224 to 1,0.45943583130869925 to 1.088116157282963,0.4197804177392224 to 1.0583261107716724,0.4874649825116959 to 1.1425749374418657,0.5306411538602989 to 1.0360475188884848,0.5328171018339545 to 1,0.5991568568009573
set object 1 clip front fillcolor rgb '#d62728' fillstyle solid 1.0 border lc rgb '#d62728'
set label 'min' at screen 0.264523, screen 0.607195 left front boxed
set label 'start' at screen 0.099539, screen 0.860995 left front boxed
set label 'end' at screen 0.173208, screen 0.682930 left front boxed
set samples 1000
# markers on every 1-th iterate and the last (step 10)
marked(step) = int(step) % 1 == 0 || int(step) == 10
plot J(x) with lines lw 2 lc rgb '#1f77b4', \
     'lr-0.05.dat' index 0 using 2:3 with lines lw 2 lc rgb '#d62728', \
     'lr-0.05.dat' index 0 using 2:(marked($1) ? $3 : NaN) with points pt 7 ps 1.12 lc rgb '#d62728'
# panel 2: lr-0.33
reset
set title 'lr-0.33: larger: nearly converged after 10 steps' . "\n" . 'lr = 0.33, monotone: factor 0.67, 1% in 12 steps'
set lmargin at screen 0.5687
set rmargin at screen 0.9800
set bmargin at screen 0.5500
set tmargin at screen 0.9525
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
set object 1 polygon from 1,0.5991568568009573 to 0.9639524811115151,0.5328171018339545 to 0.8574250625581343,0.5306411538602989 to 0.9416738892283276,0.4874649825116959 to 0.911883842717037,0.4197804177392224 to 1,0.45943583130869925 to 1.088116157282963,0.4197804177392224 to 1.0583261107716724,0.4874649825116959 to 1.1425749374418657,0.5306411538602989 to 1.0360475188884848,0.5328171018339545 to 1,0.5991568568009573
set object 1 clip front fillcolor rgb '#d62728' fillstyle solid 1.0 border lc rgb '#d62728'
set label 'min' at screen 0.764523, screen 0.607195 left front boxed
set label 'start' at screen 0.599539, screen 0.860995 left front boxed
set label 'end' at screen 0.761176, screen 0.557246 left front boxed
set samples 1000
# markers on every 1-th iterate and the last (step 10)
marked(step) = int(step) % 1 == 0 || int(step) == 10
plot J(x) with lines lw 2 lc rgb '#1f77b4', \
     'lr-0.33.dat' index 0 using 2:3 with lines lw 2 lc rgb '#d62728', \
     'lr-0.33.dat' index 0 using 2:(marked($1) ? $3 : NaN) with points pt 7 ps 1.12 lc rgb '#d62728'
# panel 3: lr-1.87
reset
set title 'lr-1.87: too large: jumps across the minimum and back' . "\n" . 'lr = 1.87, oscillating: factor -0.87, 1% in 34 steps'
set lmargin at screen 0.0688
set rmargin at screen 0.4800
set bmargin at screen 0.0500
set tmargin at screen 0.4525
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
set object 1 polygon from 1,0.5991568568009573 to 0.9639524811115151,0.5328171018339545 to 0.8574250625581343,0.5306411538602989 to 0.9416738892283276,0.4874649825116959 to 0.911883842717037,0.4197804177392224 to 1,0.45943583130869925 to 1.088116157282963,0.4197804177392224 to 1.0583261107716724,0.4874649825116959 to 1.1425749374418657,0.5306411538602989 to 1.0360475188884848,0.5328171018339545 to 1,0.5991568568009573
set object 1 clip front fillcolor rgb '#d62728' fillstyle solid 1.0 border lc rgb '#d62728'
set label 'min' at screen 0.264523, screen 0.059656 left front boxed
set label 'start' at screen 0.099539, screen 0.371004 left front boxed
set label 'end' at screen 0.220009, screen 0.093049 right front boxed
set samples 1000
# markers on every 1-th iterate and the last (step 10)
marked(step) = int(step) % 1 == 0 || int(step) == 10
plot J(x) with lines lw 2 lc rgb '#1f77b4', \
     'lr-1.87.dat' index 0 using 2:3 with lines lw 2 lc rgb '#d62728', \
     'lr-1.87.dat' index 0 using 2:(marked($1) ? $3 : NaN) with points pt 7 ps 1.12 lc rgb '#d62728'
# panel 4: lr-2.18
reset
set title 'lr-2.18: far too large: every step lands further away' . "\n" . 'lr = 2.18, divergent: factor -1.18, never within 1%'
set lmargin at screen 0.5687
set rmargin at screen 0.9800
set bmargin at screen 0.0500
set tmargin at screen 0.4525
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
set object 1 polygon from 1,3.1719953812372697 to 0.8257230536242308,1.3843275932186754 to 0.31070083342068633,1.3256919816936832 to 0.7180139773084626,0.1622169165798572 to 0.5739896866370084,-1.6616896723123173 to 1,-0.5930890195970648 to 1.4260103133629913,-1.6616896723123178 to 1.2819860226915374,0.16221691657985682 to 1.6892991665793138,1.325691981693682 to 1.1742769463757692,1.3843275932186752 to 1,3.1719953812372697
set object 1 clip front fillcolor rgb '#d62728' fillstyle solid 1.0 border lc rgb '#d62728'
set label 'min' at screen 0.779682, screen 0.059656 left front boxed
set label 'start' at screen 0.742802, screen 0.083718 right front boxed
set label 'end' at screen 0.599539, screen 0.373094 left front boxed
set samples 1000
# markers on every 1-th iterate and the last (step 10)
marked(step) = int(step) % 1 == 0 || int(step) == 10
plot J(x) with lines lw 2 lc rgb '#1f77b4', \
     'lr-2.18.dat' index 0 using 2:3 with lines lw 2 lc rgb '#d62728', \
     'lr-2.18.dat' index 0 using 2:(marked($1) ? $3 : NaN) with points pt 7 ps 1.12 lc rgb '#d62728'
unset multiplot
