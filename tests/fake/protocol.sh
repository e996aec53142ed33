# Shared by the fake gnuplots: speaks sgdplot's side of gnuplot's protocol.
# A fake sources this file and defines on_figure_start, on_figure_done N
# and, optionally, on_probe_done N; each reply is printed on stdout.
# Lines: "reset session" starts a figure; "outfile = '...'" names its
# PNG; "print 'sgdplot-done N', GPVAL_ERRNO" ends an exchange.
command -v on_probe_done >/dev/null ||
	on_probe_done() { echo "sgdplot-done $1 0"; }
figure=0
outfile=
while IFS= read -r line; do
	case $line in
	"print sprintf('sgdplot-version"*) echo "sgdplot-version 5.4.4" ;;
	"reset session") figure=1; on_figure_start ;;
	"outfile = '"*) outfile=${line#outfile = \'}; outfile=${outfile%\'} ;;
	"print 'sgdplot-done "*)
		n=${line#print \'sgdplot-done }
		n=${n%%\'*}
		if [ "$figure" = 1 ]; then on_figure_done "$n"; else on_probe_done "$n"; fi
		figure=0
		;;
	esac
done
