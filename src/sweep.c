#define _POSIX_C_SOURCE 200809L
#include "sweep.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "descent.h"
#include "numfmt.h"
#include "plot.h"
#include "textbuf.h"

#define COLOR_LINE "#1f77b4"
#define COLOR_MARK "#d62728"

double sweep_lr(const struct sgd_sweep *sweep, long i)
{
	/* Both ends exact: i = count - 1 gives `to` itself. */
	if (i == sweep->count - 1)
		return sweep->to;
	return sweep->from +
	       (sweep->to - sweep->from) * (double)i / (double)(sweep->count - 1);
}

enum sgd_status sweep_run(struct sweep *sweep, const struct sgd_config *config,
			  struct sgd_error *err)
{
	struct sgd_cost cost = { config->curvature, config->center,
				 config->offset };
	long i;

	sweep->config = config;
	sweep->count = (size_t)config->sweep.count;
	sweep->rows = malloc(sweep->count * sizeof(*sweep->rows));
	if (!sweep->rows)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	for (i = 0; i < config->sweep.count; i++) {
		struct sweep_row *r = &sweep->rows[i];

		r->lr = sweep_lr(&config->sweep, i);
		descent_final(&cost, r->lr, config->init, config->epochs,
			      &r->theta, &r->loss, &r->overflow_step);
		r->distance = r->overflow_step >= 0
				      ? NAN
				      : fabs(r->theta - config->center);
	}
	return SGD_OK;
}

void sweep_release(struct sweep *sweep)
{
	if (!sweep)
		return;
	free(sweep->rows);
	sweep->rows = NULL;
	sweep->count = 0;
}

enum sgd_status sweep_data_write(FILE *fp, const struct sweep *sweep,
				 struct sgd_error *err)
{
	char desc[1024];
	char a[NUMFMT_DOUBLE_MAX], b[NUMFMT_DOUBLE_MAX];
	char c[NUMFMT_DOUBLE_MAX], d[NUMFMT_DOUBLE_MAX];
	const char *p;
	size_t i;

	fprintf(fp, "# sgdplot sweep data for configuration '%s'\n",
		sweep->config->name);
	batch_describe(sweep->config, desc, sizeof(desc));
	for (p = desc; *p;) {
		const char *nl = strchr(p, '\n');

		fprintf(fp, "# %.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
	fputs("# a run that overflowed has nan for theta, loss and distance\n"
	      "# lr theta loss distance\n",
	      fp);
	for (i = 0; i < sweep->count; i++) {
		const struct sweep_row *r = &sweep->rows[i];

		if (r->overflow_step >= 0)
			fprintf(fp, "%s nan nan nan\n", numfmt_double(a, r->lr));
		else
			fprintf(fp, "%s %s %s %s\n", numfmt_double(a, r->lr),
				numfmt_double(b, r->theta),
				numfmt_double(c, r->loss),
				numfmt_double(d, r->distance));
	}
	if (ferror(fp))
		return sgd_error_errno(err, SGD_ERR_IO, errno,
				       "cannot write the data of '%s'",
				       sweep->config->name);
	return SGD_OK;
}

/* Whether `other` is a run the sweep covers: same cost, start and epochs,
 * a learning rate in its range. */
static int covered(const struct sgd_config *sweep_config,
		   const struct sgd_config *other)
{
	return !other->sweep.count && other->curvature == sweep_config->curvature &&
	       other->center == sweep_config->center &&
	       other->offset == sweep_config->offset &&
	       other->init == sweep_config->init &&
	       other->epochs == sweep_config->epochs &&
	       other->lr >= sweep_config->sweep.from &&
	       other->lr <= sweep_config->sweep.to;
}

/* A shaded band between two learning rates, clipped to the x range. */
static void emit_band(FILE *fp, int id, double lo, double hi, double xlo,
		      double xhi, const char *color, const char *name)
{
	char a[NUMFMT_DOUBLE_MAX], b[NUMFMT_DOUBLE_MAX], m[NUMFMT_DOUBLE_MAX];

	if (hi <= xlo || lo >= xhi)
		return;
	lo = lo < xlo ? xlo : lo;
	hi = hi > xhi ? xhi : hi;
	fprintf(fp,
		"set object %d rect from %s, graph 0 to %s, graph 1 behind "
		"fillcolor rgb '%s' fillstyle solid 1.0 noborder\n",
		id, numfmt_double(a, lo), numfmt_double(b, hi), color);
	fprintf(fp, "set label %d '%s' at %s, graph 0.96 center front\n", id,
		name, numfmt_double(m, (lo + hi) / 2));
}

enum sgd_status sweep_script_text(const struct sweep *sweep,
				  const struct sgd_config *configs,
				  size_t count, const char *software,
				  int width, int height, char **text,
				  size_t *len, struct sgd_error *err)
{
	const struct sgd_config *config = sweep->config;
	struct sgd_cost cost = { config->curvature, config->center,
				 config->offset };
	double xlo = config->sweep.from, xhi = config->sweep.to;
	double ylo = INFINITY, yhi = 0, span = xhi - xlo;
	double fastest = 1 / config->curvature, limit = 2 / config->curvature;
	char n1[NUMFMT_DOUBLE_MAX], n2[NUMFMT_DOUBLE_MAX], n3[NUMFMT_DOUBLE_MAX];
	char line[512], *q;
	int id = 10;
	size_t i;
	FILE *fp;

	for (i = 0; i < sweep->count; i++) {
		double dist = sweep->rows[i].distance;

		if (dist > 0 && isfinite(dist)) {
			ylo = dist < ylo ? dist : ylo;
			yhi = dist > yhi ? dist : yhi;
		}
	}
	if (!(ylo <= yhi)) /* nothing positive to show: any decade */
		ylo = 0.1, yhi = 10;
	/* A decade's margin on a log axis reads as a margin. */
	ylo = pow(10, floor(log10(ylo)) - 0.3);
	yhi = pow(10, ceil(log10(yhi)) + 0.3);

	fp = textbuf_open(text, len, err);
	if (!fp)
		return err->status;
	fprintf(fp,
		"# %s: sweep '%s'\n"
		"# Redraw by hand in this folder: gnuplot %s.gp\n"
		"if (!exists('datafile')) datafile = '%s.dat'\n"
		"if (!exists('outfile')) outfile = '%s.%s'\n"
		"set encoding utf8\n",
		software, config->name, config->name, config->name,
		config->name, batch_format_name(config->format));
	plot_terminal_write(fp, config->format, width, height,
			    16 * (width < height ? width : height) / 1000.0);
	fputs("set title ", fp);
	if (config->title[0]) {
		q = malloc(plot_quote(NULL, 0, config->title) + 1);
		if (q) {
			plot_quote(q, plot_quote(NULL, 0, config->title) + 1,
				   config->title);
			fprintf(fp, "%s . \"\\n\" . ", q);
			free(q);
		}
	}
	snprintf(line, sizeof(line),
		 "%ld learning rates from %s to %s, %ld epochs from theta = %s",
		 config->sweep.count, numfmt_double(n1, config->sweep.from),
		 numfmt_double(n2, config->sweep.to), config->epochs,
		 numfmt_double(n3, config->init));
	fprintf(fp, "'%s' . \"\\n\" . ", line);
	snprintf(line, sizeof(line),
		 "final distance to the minimum; fastest at lr = 1/a = %.4g, "
		 "divergent beyond 2/a = %.4g",
		 fastest, limit);
	fprintf(fp, "'%s'\n", line);
	fprintf(fp,
		"set lmargin at screen 0.12\nset rmargin at screen 0.96\n"
		"set bmargin at screen 0.08\nset tmargin at screen 0.87\n"
		"set xrange [%s:%s]\nset yrange [%s:%s]\nset logscale y\n"
		"set format y '1e%%T'\n"
		"set xlabel 'lr'\nset ylabel '|theta_N - c|'\n"
		"set grid lc rgb '#dddddd'\nset key off\n",
		numfmt_double(n1, xlo - 0.02 * span),
		numfmt_double(n2, xhi + 0.02 * span), numfmt_double(n3, ylo),
		numfmt_double(line, yhi));
	xlo -= 0.02 * span;
	xhi += 0.02 * span;
	emit_band(fp, 1, -INFINITY, fastest, xlo, xhi, "#e5f2e5", "monotone");
	emit_band(fp, 2, fastest, limit, xlo, xhi, "#fdf1d8", "oscillating");
	emit_band(fp, 3, limit, INFINITY, xlo, xhi, "#f9dede", "divergent");
	/* The analytic boundaries, dashed, with their names. */
	if (fastest > xlo && fastest < xhi)
		fprintf(fp,
			"set arrow 1 from %s, graph 0 to %s, graph 0.92 nohead "
			"dt 2 lw 1.5 lc rgb '#333333' front\n"
			"set label 4 'lr = 1/a (fastest)' at %s, graph 0.05 "
			"left offset 0.5,0 front\n",
			numfmt_double(n1, fastest), n1, n1);
	/* Near the right edge the name goes left of its line, and a line
	 * higher than the other's, which reaches right. */
	if (limit > xlo && limit < xhi)
		fprintf(fp,
			"set arrow 2 from %s, graph 0 to %s, graph 0.92 nohead "
			"dt 2 lw 1.5 lc rgb '#333333' front\n"
			"set label 5 'lr = 2/a (divergence)' at %s, graph 0.11 "
			"%s front\n",
			numfmt_double(n1, limit), n1, n1,
			xhi - limit < 0.35 * (xhi - xlo) ? "right offset -0.5,0"
							 : "left offset 0.5,0");
	/* The batch's runs that the sweep covers, by name. */
	fputs("set style textbox opaque noborder margins 1,1\n", fp);
	for (i = 0; i < count; i++) {
		double theta, loss, dist;
		long overflow;

		if (!covered(config, &configs[i]))
			continue;
		descent_final(&cost, configs[i].lr, config->init,
			      config->epochs, &theta, &loss, &overflow);
		dist = fabs(theta - config->center);
		if (overflow >= 0 || !(dist > 0))
			continue;
		fprintf(fp,
			"set object %d circle at %s,%s size screen 0.008 front "
			"fillcolor rgb '%s' fillstyle solid noborder\n"
			"set label %d '%s' at %s,%s left offset 1,0.8 front "
			"boxed\n",
			id, numfmt_double(n1, configs[i].lr),
			numfmt_double(n2, dist), COLOR_MARK, id,
			configs[i].name, n1, n2);
		id++;
	}
	fprintf(fp,
		"plot datafile using 1:4 with lines lw 2.5 lc rgb '%s'\n",
		COLOR_LINE);
	return textbuf_close(fp, text, SGD_OK, err);
}
