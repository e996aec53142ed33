#define _POSIX_C_SOURCE 200809L
#include "overview.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "descent.h"
#include "numfmt.h"
#include "textbuf.h"

#define OVERVIEW_SIDE_MAX 2400 /* the grid's width, pixels, at most */
#define PANEL_MIN 250
#define PANEL_MAX 600
#define LOSS_WIDTH 1200
#define LOSS_HEIGHT 800
#define LOSS_KEY_MAX 12 /* more lines than this get no key */
#define LOSS_SAMPLES 2000 /* points per line, at most */

/* Tableau's ten colours: distinct on screen and in print. */
static const char *const colors[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};
#define COLOR_COUNT (sizeof(colors) / sizeof(colors[0]))

const char *loss_color(size_t i)
{
	return colors[i % COLOR_COUNT];
}

void overview_geometry(size_t count, struct overview_geometry *g)
{
	size_t cols = 1;
	int panel;

	while (cols * cols < count)
		cols++;
	g->cols = cols;
	g->rows = count ? (count + cols - 1) / cols : 1;
	panel = OVERVIEW_SIDE_MAX / (int)cols;
	panel = panel < PANEL_MIN ? PANEL_MIN : panel > PANEL_MAX ? PANEL_MAX
								  : panel;
	g->panel = panel;
	g->width = panel * (int)cols;
	g->height = panel * (int)g->rows;
	/* Text a little larger than a shrunken figure's: panels are read
	 * smaller than a single figure. */
	g->scale = panel / 800.0;
}

void overview_frame(const struct overview_geometry *g, size_t i,
		    struct plot_frame *frame)
{
	frame->x = (int)(i % g->cols) * g->panel;
	frame->y = (int)(i / g->cols) * g->panel;
	frame->w = g->panel;
	frame->h = g->panel;
}

enum sgd_status overview_script_text(const struct sgd_config *const *configs,
				     size_t count, enum sgd_format format,
				     const char *software, char **text,
				     size_t *len, struct sgd_error *err)
{
	struct overview_geometry g;
	enum sgd_status status = SGD_OK;
	size_t i;
	FILE *fp;

	overview_geometry(count, &g);
	fp = textbuf_open(text, len, err);
	if (!fp)
		return err->status;
	fprintf(fp,
		"# %s: the overview of %zu configurations\n"
		"# Redraw by hand in this folder: gnuplot " OVERVIEW_NAME ".gp\n"
		"if (!exists('outfile')) outfile = '" OVERVIEW_NAME ".%s'\n"
		"set encoding utf8\n",
		software, count, batch_format_name(format));
	plot_terminal_write(fp, format, g.width, g.height, 16 * g.scale);
	fputs("set multiplot\n", fp);
	for (i = 0; i < count && !status; i++) {
		const struct sgd_config *c = configs[i];
		struct sgd_cost cost = { c->curvature, c->center, c->offset };
		struct sgd_trajectory t;
		struct plot_layout layout;
		struct plot_frame frame;
		/* The panel plots from the same block as the figure: the
		 * thinned one for long runs (index 1 of NAME.dat). */
		struct plot_path path = { NULL, 0, 0 };
		char file[SGD_NAME_MAX + 8], quoted[2 * SGD_NAME_MAX + 16];

		descent_trajectory_init(&t);
		status = descent_run(&t, &cost, c->lr, c->init, c->epochs, err);
		if (status)
			break;
		overview_frame(&g, i, &frame);
		plot_layout_compute_panel(&layout, c, &t, g.width, g.height,
					  &frame, g.scale);
		path.thinned = t.count > PLOT_THIN_ABOVE;
		snprintf(file, sizeof(file), "%s.dat", c->name);
		plot_quote(quoted, sizeof(quoted), file);
		fprintf(fp, "# panel %zu: %s\nreset\n", i + 1, c->name);
		status = plot_panel_write(fp, c, &t, &layout, &path, quoted,
					  err);
		descent_trajectory_release(&t);
	}
	fputs("unset multiplot\n", fp);
	return textbuf_close(fp, text, status, err);
}

/* Loss above the minimum at theta: computed from the distance, so that
 * converged runs do not lose it to cancellation against d. */
static double loss_above(const struct sgd_config *c, double theta)
{
	double dist = theta - c->center;

	return c->curvature / 2 * (dist * dist);
}

/* The smallest and largest positive loss above d that a walk meets. */
struct loss_span {
	const struct sgd_config *config;
	double lo, hi;
};

static void widen_span(void *ctx, long step, double theta, double loss)
{
	struct loss_span *span = ctx;
	double v = loss_above(span->config, theta);

	(void)step;
	(void)loss;
	if (v > 0) {
		span->lo = v < span->lo ? v : span->lo;
		span->hi = v > span->hi ? v : span->hi;
	}
}

int loss_layout(const struct sgd_config *const *configs, size_t count,
		struct loss_layout *layout)
{
	struct loss_span span = { NULL, INFINITY, 0 };
	double lo, hi;
	long steps = 1;
	size_t i;

	for (i = 0; i < count; i++) {
		const struct sgd_config *c = configs[i];
		struct sgd_cost cost = { c->curvature, c->center, c->offset };

		if (c->epochs > steps)
			steps = c->epochs;
		/* The run's iterates as its data file holds them, unstored. */
		span.config = c;
		descent_walk(&cost, c->lr, c->init, c->epochs, widen_span,
			     &span);
	}
	lo = span.lo;
	hi = span.hi;
	if (!(lo <= hi))
		return 0;
	memset(layout, 0, sizeof(*layout));
	layout->width = LOSS_WIDTH;
	layout->height = LOSS_HEIGHT;
	layout->left = 0.09;
	layout->right = count <= LOSS_KEY_MAX ? 0.80 : 0.97;
	layout->bottom = 0.10;
	layout->top = 0.88;
	layout->xmax = (double)steps;
	/* Whole decades, and never more than 300 of them. */
	lo = floor(log10(lo));
	hi = ceil(log10(hi));
	if (hi - lo > 300)
		lo = hi - 300;
	if (hi == lo)
		hi = lo + 1;
	layout->ylo = pow(10, lo);
	layout->yhi = pow(10, hi);
	return 1;
}

void loss_pixel(const struct loss_layout *l, double step, double loss,
		double *px, double *py)
{
	double fx = step / l->xmax;
	double fy = (log10(loss) - log10(l->ylo)) /
		    (log10(l->yhi) - log10(l->ylo));

	*px = (l->left + fx * (l->right - l->left)) * (l->width - 1);
	*py = (1 - (l->bottom + fy * (l->top - l->bottom))) * (l->height - 1);
}

enum sgd_status loss_script_text(const struct sgd_config *const *configs,
				 size_t count, const struct loss_layout *l,
				 enum sgd_format format, const char *software,
				 char **text, size_t *len,
				 struct sgd_error *err)
{
	char n1[NUMFMT_DOUBLE_MAX], n2[NUMFMT_DOUBLE_MAX], n3[NUMFMT_DOUBLE_MAX];
	size_t i;
	FILE *fp;

	fp = textbuf_open(text, len, err);
	if (!fp)
		return err->status;
	fprintf(fp,
		"# %s: the loss per step of %zu configurations\n"
		"# Redraw by hand in this folder: gnuplot " LOSS_NAME ".gp\n"
		"if (!exists('outfile')) outfile = '" LOSS_NAME ".%s'\n"
		"set encoding utf8\n",
		software, count, batch_format_name(format));
	plot_terminal_write(fp, format, l->width, l->height, 14);
	fprintf(fp,
		"set title 'J(theta_k) - d: the loss above the minimum, per "
		"step' . \"\\n\" . 'a straight line is a constant rate: the "
		"loss is multiplied by (1 - lr·a)^2 at every step'\n"
		"set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
		"set bmargin at screen %.4f\nset tmargin at screen %.4f\n"
		"set xrange [0:%s]\nset yrange [%s:%s]\nset logscale y\n"
		"set format y '1e%%T'\n"
		"set xlabel 'step k'\nset ylabel 'J(theta_k) - d'\n"
		"set grid lc rgb '#dddddd'\n",
		l->left, l->right,
		l->bottom, l->top, numfmt_double(n1, l->xmax),
		numfmt_double(n2, l->ylo), numfmt_double(n3, l->yhi));
	if (count <= LOSS_KEY_MAX)
		fputs("set key outside right top noenhanced\n", fp);
	else
		fputs("set key off\n", fp);
	fputs("plot", fp);
	for (i = 0; i < count; i++) {
		const struct sgd_config *c = configs[i];
		char file[SGD_NAME_MAX + 8], quoted[2 * SGD_NAME_MAX + 16];
		char a[NUMFMT_DOUBLE_MAX], cc[NUMFMT_DOUBLE_MAX];
		long every = c->epochs / LOSS_SAMPLES + 1;

		snprintf(file, sizeof(file), "%s.dat", c->name);
		plot_quote(quoted, sizeof(quoted), file);
		/* From theta, not from J - d: no cancellation near d. */
		fprintf(fp,
			"%s \\\n  %s index 0 every %ld using 1:(0.5 * %s * "
			"($2 - %s)**2) with lines lw 2.5 dt %zu lc rgb '%s' "
			"title '%s'",
			i ? "," : "", quoted, every,
			numfmt_double(a, c->curvature),
			numfmt_double(cc, c->center), i / COLOR_COUNT + 1,
			loss_color(i), c->name);
	}
	fputs("\n", fp);
	return textbuf_close(fp, text, SGD_OK, err);
}
