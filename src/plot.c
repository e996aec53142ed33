#define _POSIX_C_SOURCE 200809L
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "textbuf.h"

#define FONT_POINTS 16
#define MARKERS_MAX 120    /* more markers than this blur into a line */
#define MARGIN 0.06        /* share of a data span added on each side */
#define STAR_OUTER_PX 22.0 /* the minimum's star, outer radius */
#define STAR_INNER_PX 9.0
#define LABEL_GAP_PX 14.0  /* between a point and its label */

#define PI 3.14159265358979323846

#define COLOR_CURVE "#1f77b4"
#define COLOR_PATH "#d62728"

/*
 * Text extents at FONT_POINTS, in pixels, rounded up: pngcairo draws
 * 16-point DejaVu Sans about 10 px per lower-case letter and 20 px high.
 */
#define CHAR_WIDTH_PX 10.5
#define TEXT_HEIGHT_PX 20.0
#define TITLE_LINE_PX 24.0 /* one line of the title, at scale 1 */

struct box {
	double x0, y0, x1, y1;
};

static int boxes_overlap(const struct box *a, const struct box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 &&
	       b->y0 < a->y1;
}

static double pad(double lo, double hi, double *out_lo, double *out_hi)
{
	/* Halved before subtracting so the span of huge values stays finite. */
	double span = hi / 2 - lo / 2;

	if (!(span > 0))
		span = fabs(hi) > 1 ? fabs(hi) / 2 : 0.5;
	*out_lo = lo - 2 * MARGIN * span;
	*out_hi = hi + 2 * MARGIN * span;
	return span;
}

void plot_layout_pixel(const struct plot_layout *layout, double x, double y,
		       double *px, double *py)
{
	double w = layout->width - 1, h = layout->height - 1;
	double fx = (x - layout->xlo) / (layout->xhi - layout->xlo);
	double fy = (y - layout->ylo) / (layout->yhi - layout->ylo);

	*px = (layout->left + fx * (layout->right - layout->left)) * w;
	*py = (1 - (layout->bottom + fy * (layout->top - layout->bottom))) * h;
}

static struct box label_box(const struct plot_label *label, size_t chars,
			    double scale)
{
	struct box b;
	double w = CHAR_WIDTH_PX * scale * (double)chars;

	b.x0 = label->align_right ? label->x - w : label->x;
	b.x1 = b.x0 + w;
	b.y0 = label->y - TEXT_HEIGHT_PX * scale / 2;
	b.y1 = label->y + TEXT_HEIGHT_PX * scale / 2;
	return b;
}

#define POLY_MAX 2000 /* points of a polyline tested for collisions */

struct polyline {
	double x[POLY_MAX], y[POLY_MAX]; /* pixels */
	size_t count;
};

struct placement_ctx {
	const struct plot_layout *layout;
	struct box taken[4];
	size_t ntaken;
	struct polyline path, curve;
};

/* Liang-Barsky: does the segment (x0,y0)-(x1,y1) cross the box? */
static int segment_hits_box(double x0, double y0, double x1, double y1,
			    const struct box *b)
{
	double dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1;
	double p[4] = { -dx, dx, -dy, dy };
	double q[4] = { x0 - b->x0, b->x1 - x0, y0 - b->y0, b->y1 - y0 };
	int i;

	for (i = 0; i < 4; i++) {
		double r;

		if (p[i] == 0) {
			if (q[i] < 0)
				return 0;
			continue;
		}
		r = q[i] / p[i];
		if (p[i] < 0 && r > t0)
			t0 = r;
		else if (p[i] > 0 && r < t1)
			t1 = r;
		if (t0 > t1)
			return 0;
	}
	return 1;
}

/* Whether any segment of the polyline crosses the box: a label that
 * touches a line is as bad however many samples of it it touches. */
static int polyline_hits(const struct polyline *pl, const struct box *b)
{
	size_t i;

	if (pl->count == 1)
		return segment_hits_box(pl->x[0], pl->y[0], pl->x[0], pl->y[0],
					b);
	for (i = 1; i < pl->count; i++)
		if (segment_hits_box(pl->x[i - 1], pl->y[i - 1], pl->x[i],
				     pl->y[i], b))
			return 1;
	return 0;
}

/* How badly a label box would collide: with the plot's edge and other
 * labels or the star (heavily), with the path and the curve. */
static double collision_cost(const struct placement_ctx *pc,
			     const struct box *b)
{
	const struct plot_layout *l = pc->layout;
	struct box padded = { b->x0 - 3, b->y0 - 3, b->x1 + 3, b->y1 + 3 };
	double cost = 0;
	double ax0 = l->left * (l->width - 1);
	double ax1 = l->right * (l->width - 1);
	double ay0 = (1 - l->top) * (l->height - 1);
	double ay1 = (1 - l->bottom) * (l->height - 1);
	size_t i;

	if (b->x0 < ax0 || b->x1 > ax1 || b->y0 < ay0 || b->y1 > ay1)
		cost += 100;
	for (i = 0; i < pc->ntaken; i++)
		if (boxes_overlap(&padded, &pc->taken[i]))
			cost += 50;
	cost += 5 * polyline_hits(&pc->path, &padded);
	cost += 2 * polyline_hits(&pc->curve, &padded);
	return cost;
}

static void fill_polylines(struct placement_ctx *pc,
			   const struct sgd_config *config,
			   const struct sgd_trajectory *t)
{
	const struct plot_layout *l = pc->layout;
	struct sgd_cost cost = { config->curvature, config->center,
				 config->offset };
	size_t i, step = t->count / POLY_MAX + 1;

	for (i = 0; i < t->count && pc->path.count < POLY_MAX; i += step) {
		plot_layout_pixel(l, t->theta[i], t->loss[i],
				  &pc->path.x[pc->path.count],
				  &pc->path.y[pc->path.count]);
		pc->path.count++;
	}
	for (i = 0; i < 400; i++) {
		double x = l->xlo + (l->xhi - l->xlo) * (double)i / 399;

		plot_layout_pixel(l, x, descent_cost(&cost, x),
				  &pc->curve.x[i], &pc->curve.y[i]);
	}
	pc->curve.count = 400;
}

/*
 * Puts a label of `chars` characters beside the point (x, y): the first
 * of the preferred places that collides with nothing, else the least bad.
 */
static void place_label(struct placement_ctx *pc, struct plot_label *label,
			const char *text, double x, double y,
			const double (*tries)[3], size_t ntries)
{
	const struct plot_layout *l = pc->layout;
	size_t chars = strlen(text);
	double px, py, best_cost = INFINITY;
	struct plot_label best;
	size_t i, scale;

	memset(label, 0, sizeof(*label));
	if (!(x >= l->xlo && x <= l->xhi && y >= l->ylo && y <= l->yhi))
		return;
	plot_layout_pixel(l, x, y, &px, &py);
	best = *label;
	/* Each place at its own distance, then twice and three times as
	 * far: a clear place a little further beats a crowded near one. */
	for (scale = 1; scale <= 3; scale++) {
		for (i = 0; i < ntries; i++) {
			struct plot_label cand = *label;
			struct box b;
			double cost;

			cand.shown = 1;
			cand.x = px + tries[i][0] * (double)scale * l->scale;
			cand.y = py + tries[i][1] * (double)scale * l->scale;
			cand.align_right = tries[i][2] != 0;
			b = label_box(&cand, chars, l->scale);
			cost = collision_cost(pc, &b) + (double)i * 0.01 +
			       (double)(scale - 1) * 0.5;
			if (cost < best_cost)
				best_cost = cost, best = cand;
		}
	}
	*label = best;
	snprintf(label->text, sizeof(label->text), "%s", text);
	if (pc->ntaken < sizeof(pc->taken) / sizeof(pc->taken[0]))
		pc->taken[pc->ntaken++] = label_box(label, chars, l->scale);
}

static void plot_layout_place_labels(struct plot_layout *layout,
				     const struct sgd_config *config,
				     const struct sgd_trajectory *trajectory);

static void compute_ranges(struct plot_layout *layout,
			   const struct sgd_config *config,
			   const struct sgd_trajectory *t)
{
	struct sgd_cost cost = { config->curvature, config->center,
				 config->offset };
	double xlo = config->center - 2, xhi = config->center + 2;
	double ylo = config->offset, yhi;
	size_t i;

	for (i = 0; i < t->count; i++) {
		if (t->theta[i] < xlo)
			xlo = t->theta[i];
		if (t->theta[i] > xhi)
			xhi = t->theta[i];
	}
	if (config->xrange.is_auto) {
		pad(xlo, xhi, &layout->xlo, &layout->xhi);
	} else {
		layout->xlo = config->xrange.lo;
		layout->xhi = config->xrange.hi;
	}
	/* The curve's height at the article's window edges, c +/- 2, and at
	 * the x range's ends, so the curve leaves through the corners. */
	yhi = descent_cost(&cost, config->center + 2);
	if (descent_cost(&cost, layout->xlo) > yhi)
		yhi = descent_cost(&cost, layout->xlo);
	if (descent_cost(&cost, layout->xhi) > yhi)
		yhi = descent_cost(&cost, layout->xhi);
	for (i = 0; i < t->count; i++)
		if (t->loss[i] > yhi)
			yhi = t->loss[i];
	if (config->yrange.is_auto) {
		double span = pad(ylo, yhi, &layout->ylo, &layout->yhi);

		/* Room under the star for its label: no iterate and no part
		 * of the curve lies below the minimum d, so "min" always has
		 * a clear place there. */
		layout->ylo -= 2 * MARGIN * span * 0.6;
	} else {
		layout->ylo = config->yrange.lo;
		layout->yhi = config->yrange.hi;
	}
}

/* Everything but the labels' places, for `title_lines` lines of title. */
static void layout_frame(struct plot_layout *layout,
			 const struct sgd_config *config,
			 const struct sgd_trajectory *trajectory, int width,
			 int height, const struct plot_frame *frame,
			 double scale, int title_lines)
{
	/* Room for tick labels and axis names, in pixels at full scale. */
	double left_px = 110 * scale, bottom_px = 80 * scale;

	memset(layout, 0, sizeof(*layout));
	layout->width = width;
	layout->height = height;
	layout->scale = scale;
	compute_ranges(layout, config, trajectory);
	/* Fixed margins, so that pixels follow from data alone: room for
	 * the tick labels left and below, the title above. */
	layout->left = (frame->x + left_px) / width;
	layout->right = (frame->x + frame->w - 0.04 * frame->w) / width;
	layout->bottom = 1 - (frame->y + frame->h - bottom_px) / height;
	layout->top = 1 - (frame->y + title_lines * TITLE_LINE_PX * scale +
			   0.035 * frame->h) / height;
	layout->marker_every = trajectory->count / MARKERS_MAX + 1;
	/* Odd, so a run that alternates sides shows markers on both. */
	if (layout->marker_every > 1 && layout->marker_every % 2 == 0)
		layout->marker_every++;
}

/*
 * style = article: the post's figure as its code draws it.  The curve
 * over the window c +/- 2 only, 100 samples; the path from theta_1 (the
 * post never drew theta_0); ranges as matplotlib autoscales them (every
 * plotted point, 5% margins); matplotlib's axes box; text at the post's
 * fixed offsets in data units, whatever it covers.
 */
static void layout_article(struct plot_layout *l,
			   const struct sgd_config *config,
			   const struct sgd_trajectory *t, int width,
			   int height)
{
	struct sgd_cost cost = { config->curvature, config->center,
				 config->offset };
	double xlo = config->center - 2, xhi = config->center + 2;
	double ylo = config->offset, yhi = descent_cost(&cost, xhi);
	size_t i, first = t->count > 1 ? 1 : 0;

	memset(l, 0, sizeof(*l));
	l->article = 1;
	l->width = width;
	l->height = height;
	l->scale = (width < height ? width : height) / 1000.0;
	for (i = first; i < t->count; i++) {
		xlo = t->theta[i] < xlo ? t->theta[i] : xlo;
		xhi = t->theta[i] > xhi ? t->theta[i] : xhi;
		ylo = t->loss[i] < ylo ? t->loss[i] : ylo;
		yhi = t->loss[i] > yhi ? t->loss[i] : yhi;
	}
	l->xlo = config->xrange.is_auto ? xlo - 0.05 * (xhi - xlo)
					 : config->xrange.lo;
	l->xhi = config->xrange.is_auto ? xhi + 0.05 * (xhi - xlo)
					 : config->xrange.hi;
	l->ylo = config->yrange.is_auto ? ylo - 0.05 * (yhi - ylo)
					 : config->yrange.lo;
	l->yhi = config->yrange.is_auto ? yhi + 0.05 * (yhi - ylo)
					 : config->yrange.hi;
	l->left = 0.125;
	l->right = 0.9;
	l->bottom = 0.11;
	l->top = 0.88;
	l->marker_every = 1;
}

void plot_layout_compute(struct plot_layout *layout,
			 const struct sgd_config *config,
			 const struct sgd_trajectory *trajectory, int width,
			 int height)
{
	if (config->article_style) {
		layout_article(layout, config, trajectory, width, height);
		return;
	}
	{
	struct plot_frame whole = { 0, 0, width, height };
	/* Text and marks keep their share of the figure at any size. */
	double scale = (width < height ? width : height) / 1000.0;

	scale = scale < 0.5 ? 0.5 : scale;
	/* Settings, outcome and analysis; the user's title above them. */
	layout_frame(layout, config, trajectory, width, height, &whole, scale,
		     config->title[0] ? 4 : 3);
	plot_layout_place_labels(layout, config, trajectory);
	}
}

void plot_layout_compute_panel(struct plot_layout *layout,
			       const struct sgd_config *config,
			       const struct sgd_trajectory *trajectory,
			       int width, int height,
			       const struct plot_frame *frame, double scale)
{
	layout_frame(layout, config, trajectory, width, height, frame, scale,
		     2);
	layout->compact = 1;
	plot_layout_place_labels(layout, config, trajectory);
}

static void plot_layout_place_labels(struct plot_layout *layout,
				     const struct sgd_config *config,
				     const struct sgd_trajectory *trajectory)
{
	/* Preferred label places: {dx, dy, right-aligned}, in pixels. */
	static const double beside[][3] = {
		{ LABEL_GAP_PX, 0, 0 },
		{ LABEL_GAP_PX, TEXT_HEIGHT_PX * 0.8, 0 },
		{ -LABEL_GAP_PX, 0, 1 },
		{ LABEL_GAP_PX, -TEXT_HEIGHT_PX * 0.8, 0 },
		{ -LABEL_GAP_PX, TEXT_HEIGHT_PX * 0.8, 1 },
		{ -LABEL_GAP_PX, -TEXT_HEIGHT_PX * 0.8, 1 },
		{ -TEXT_HEIGHT_PX, TEXT_HEIGHT_PX * 1.2, 0 },
		{ -TEXT_HEIGHT_PX, -TEXT_HEIGHT_PX * 1.2, 0 },
		{ -CHAR_WIDTH_PX * 2.5, STAR_OUTER_PX + TEXT_HEIGHT_PX, 0 },
		{ -CHAR_WIDTH_PX * 2.5, -STAR_OUTER_PX - TEXT_HEIGHT_PX, 0 },
	};
	/* "end" prefers right and slightly below, as in the article. */
	static const double below_right[][3] = {
		{ LABEL_GAP_PX, TEXT_HEIGHT_PX * 0.6, 0 },
		{ LABEL_GAP_PX, 0, 0 },
		{ -LABEL_GAP_PX, TEXT_HEIGHT_PX * 0.6, 1 },
		{ LABEL_GAP_PX, -TEXT_HEIGHT_PX * 0.6, 0 },
		{ -LABEL_GAP_PX, -TEXT_HEIGHT_PX * 0.6, 1 },
		{ -LABEL_GAP_PX, 0, 1 },
		{ -TEXT_HEIGHT_PX, TEXT_HEIGHT_PX * 1.3, 0 },
		{ -TEXT_HEIGHT_PX, -TEXT_HEIGHT_PX * 1.3, 0 },
		{ -CHAR_WIDTH_PX * 1.5, STAR_OUTER_PX + TEXT_HEIGHT_PX, 0 },
		{ -CHAR_WIDTH_PX * 1.5, -STAR_OUTER_PX - TEXT_HEIGHT_PX, 0 },
		{ -STAR_OUTER_PX - 4, STAR_OUTER_PX, 1 },
		{ STAR_OUTER_PX + 4, STAR_OUTER_PX, 0 },
	};
	/* "min" goes above its star, as in the article, else below it. */
	static const double above[][3] = {
		{ -CHAR_WIDTH_PX * 1.5, -STAR_OUTER_PX - TEXT_HEIGHT_PX * 0.5 - 6, 0 },
		{ -CHAR_WIDTH_PX * 1.5, STAR_OUTER_PX + TEXT_HEIGHT_PX * 0.5 + 6, 0 },
		{ STAR_OUTER_PX + 4, 0, 0 },
		{ -STAR_OUTER_PX - 4, 0, 1 },
		{ STAR_OUTER_PX, -STAR_OUTER_PX, 0 },
		{ -STAR_OUTER_PX, -STAR_OUTER_PX, 1 },
		{ STAR_OUTER_PX, STAR_OUTER_PX, 0 },
		{ -STAR_OUTER_PX, STAR_OUTER_PX, 1 },
	};
	/* About 64 KiB of polylines: fine on the stack, and no failure. */
	struct placement_ctx pc;
	const struct sgd_trajectory *t = trajectory;
	double sx, sy, star = STAR_OUTER_PX * layout->scale;

	memset(&layout->start, 0, sizeof(layout->start));
	memset(&layout->end, 0, sizeof(layout->end));
	memset(&layout->min, 0, sizeof(layout->min));
	memset(&pc, 0, sizeof(pc));
	pc.layout = layout;
	fill_polylines(&pc, config, t);
	/* The star is placed first: labels must keep clear of it. */
	if (config->center >= layout->xlo && config->center <= layout->xhi &&
	    config->offset >= layout->ylo && config->offset <= layout->yhi) {
		plot_layout_pixel(layout, config->center, config->offset, &sx,
				  &sy);
		pc.taken[pc.ntaken++] = (struct box){ sx - star, sy - star,
						      sx + star, sy + star };
	}
	place_label(&pc, &layout->min, "min", config->center, config->offset,
		    above, sizeof(above) / sizeof(above[0]));
	if (t->count > 0) {
		double x0, y0, xn, yn;

		plot_layout_pixel(layout, t->theta[0], t->loss[0], &x0, &y0);
		plot_layout_pixel(layout, t->theta[t->count - 1],
				  t->loss[t->count - 1], &xn, &yn);
		/* Where the run ends where it began (stalled, bouncing after
		 * an even number of steps), one label says both. */
		if (fabs(x0 - xn) < 4 && fabs(y0 - yn) < 4) {
			place_label(&pc, &layout->start, "start, end",
				    t->theta[0], t->loss[0], beside,
				    sizeof(beside) / sizeof(beside[0]));
			return;
		}
		place_label(&pc, &layout->start, "start", t->theta[0],
			    t->loss[0], beside,
			    sizeof(beside) / sizeof(beside[0]));
		place_label(&pc, &layout->end, "end", t->theta[t->count - 1],
			    t->loss[t->count - 1], below_right,
			    sizeof(below_right) / sizeof(below_right[0]));
	}
}

size_t plot_quote(char *buf, size_t size, const char *s)
{
	size_t n = 0;
	int parts = 0;
	const char *p;

#define PUT(ch)                              \
	do {                                 \
		if (n + 1 < size)            \
			buf[n] = (ch);       \
		n++;                         \
	} while (0)
	/*
	 * gnuplot 5.4's scanner mishandles the '' escape: a literal cannot
	 * start with it, and a second '' in a row ends the string.  So each
	 * quote becomes "'" (a double-quoted string that holds nothing gnuplot
	 * expands) and the runs between them single-quoted literals, joined
	 * with '.' in parentheses: ('it' . "'" . 's').
	 */
	if (strchr(s, '\'') == NULL) {
		PUT('\'');
		for (p = s; *p; p++)
			PUT(*p);
		PUT('\'');
		goto done;
	}
	PUT('(');
	for (p = s; *p;) {
		if (parts++) {
			PUT(' ');
			PUT('.');
			PUT(' ');
		}
		if (*p == '\'') {
			PUT('"');
			PUT('\'');
			PUT('"');
			p++;
			continue;
		}
		PUT('\'');
		for (; *p && *p != '\''; p++)
			PUT(*p);
		PUT('\'');
	}
	PUT(')');
done:
#undef PUT
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}

/* Quotes `s` into a fresh allocation; NULL when out of memory. */
static char *quote_dup(const char *s)
{
	size_t need = plot_quote(NULL, 0, s) + 1;
	char *q = malloc(need);

	if (q)
		plot_quote(q, need, s);
	return q;
}

/* An open-addressing set of drawn segments, in whole pixels. */
struct segment_set {
	unsigned long long *slot; /* 0 marks an empty slot */
	size_t size, used;
};

static unsigned long long segment_key(long x0, long y0, long x1, long y1)
{
	unsigned long long a, b;

	/* Clamped to 16 bits each: only what is near the picture matters. */
#define CLAMP16(v) ((unsigned long long)((v) < -16384 ? 0 : \
	(v) > 16383 ? 32767 : (v) + 16384))
	a = CLAMP16(x0) << 15 | CLAMP16(y0);
	b = CLAMP16(x1) << 15 | CLAMP16(y1);
#undef CLAMP16
	/* Undirected: A to B is B to A. */
	return (a < b ? a << 30 | b : b << 30 | a) + 1;
}

/* Adds `key`; returns 1 if it was new, 0 if present, -1 out of memory. */
static int segment_add(struct segment_set *set, unsigned long long key)
{
	size_t i;

	if (2 * (set->used + 1) > set->size) {
		struct segment_set grown;
		size_t j;

		grown.size = set->size ? 2 * set->size : 1024;
		grown.used = 0;
		grown.slot = calloc(grown.size, sizeof(*grown.slot));
		if (!grown.slot)
			return -1;
		for (j = 0; j < set->size; j++)
			if (set->slot[j])
				segment_add(&grown, set->slot[j]);
		free(set->slot);
		*set = grown;
	}
	i = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & (set->size - 1);
	while (set->slot[i]) {
		if (set->slot[i] == key)
			return 0;
		i = (i + 1) & (set->size - 1);
	}
	set->slot[i] = key;
	set->used++;
	return 1;
}

void plot_path_release(struct plot_path *path)
{
	if (!path)
		return;
	free(path->index);
	path->index = NULL;
	path->count = 0;
	path->thinned = 0;
}

enum sgd_status plot_path_compute(struct plot_path *path,
				  const struct plot_layout *layout,
				  const struct sgd_trajectory *t,
				  struct sgd_error *err)
{
	struct segment_set drawn = { NULL, 0, 0 };
	long last_x = 0, last_y = 0;
	size_t i;

	path->index = NULL;
	path->count = 0;
	path->thinned = t->count > PLOT_THIN_ABOVE;
	if (!path->thinned)
		return SGD_OK;
	path->index = malloc(t->count * sizeof(*path->index));
	if (!path->index)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	for (i = 0; i < t->count; i++) {
		double px, py;
		long x, y;
		int keep = i == 0 || i + 1 == t->count ||
			   i % layout->marker_every == 0;

		plot_layout_pixel(layout, t->theta[i], t->loss[i], &px, &py);
		x = lround(fmax(fmin(px, 1e6), -1e6));
		y = lround(fmax(fmin(py, 1e6), -1e6));
		if (!keep && (x != last_x || y != last_y)) {
			int added = segment_add(
				&drawn, segment_key(last_x, last_y, x, y));

			if (added < 0) {
				free(drawn.slot);
				plot_path_release(path);
				return sgd_error_set(err, SGD_ERR_NOMEM,
						     "out of memory");
			}
			keep = added;
		}
		if (keep) {
			if (i > 0)
				segment_add(&drawn,
					    segment_key(last_x, last_y, x, y));
			path->index[path->count++] = i;
			last_x = x;
			last_y = y;
		}
	}
	free(drawn.slot);
	return SGD_OK;
}

enum sgd_status plot_data_write(FILE *fp, const struct sgd_config *config,
				const struct sgd_trajectory *trajectory,
				const struct plot_path *path,
				struct sgd_error *err)
{
	struct sgd_cost cost = { config->curvature, config->center,
				 config->offset };
	char desc[1024];
	char th[NUMFMT_DOUBLE_MAX], lo[NUMFMT_DOUBLE_MAX], gr[NUMFMT_DOUBLE_MAX];
	const char *p;
	size_t i;

	fprintf(fp, "# sgdplot data for configuration '%s'\n", config->name);
	batch_describe(config, desc, sizeof(desc));
	/* One '#' line per key; a title holds no newline (batch.c). */
	for (p = desc; *p;) {
		const char *nl = strchr(p, '\n');

		fprintf(fp, "# %.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
	if (trajectory->overflow_step >= 0)
		fprintf(fp, "# overflow: step %ld is not finite; rows stop "
			    "before it\n",
			trajectory->overflow_step);
	fputs("# step theta loss gradient\n", fp);
	for (i = 0; i < trajectory->count; i++) {
		double theta = trajectory->theta[i];

		fprintf(fp, "%zu %s %s %s\n", i, numfmt_double(th, theta),
			numfmt_double(lo, trajectory->loss[i]),
			numfmt_double(gr, descent_gradient(&cost, theta)));
	}
	if (path->thinned) {
		fprintf(fp, "\n\n# the %zu iterates the figure draws "
			    "(gnuplot: index 1): those that move the path on "
			    "screen, and the marked ones\n"
			    "# step theta loss\n",
			path->count);
		for (i = 0; i < path->count; i++) {
			size_t k = path->index[i];

			fprintf(fp, "%zu %s %s\n", k,
				numfmt_double(th, trajectory->theta[k]),
				numfmt_double(lo, trajectory->loss[k]));
		}
	}
	if (ferror(fp))
		return sgd_error_errno(err, SGD_ERR_IO, errno,
				       "cannot write the data of '%s'",
				       config->name);
	return SGD_OK;
}

enum sgd_status plot_script_preamble(const char *datafile,
				     const char *outfile, char **text,
				     size_t *len, struct sgd_error *err)
{
	char *qdata = datafile ? quote_dup(datafile) : NULL;
	char *qout = quote_dup(outfile);
	FILE *fp;

	*text = NULL;
	fp = ((qdata || !datafile) && qout) ? textbuf_open(text, len, err)
					    : NULL;
	if (!fp) {
		free(qdata);
		free(qout);
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	}
	if (qdata)
		fprintf(fp, "datafile = %s\n", qdata);
	fprintf(fp, "outfile = %s\n", qout);
	free(qdata);
	free(qout);
	return textbuf_close(fp, text, SGD_OK, err);
}

static const char *regime_phrase(enum sgd_regime regime)
{
	switch (regime) {
	case SGD_REGIME_STALLED:
		return "stalled (lr·a = 0: theta never moves)";
	case SGD_REGIME_MONOTONE:
		return "monotone (0 < lr·a < 1)";
	case SGD_REGIME_ONE_STEP:
		return "one-step (lr·a = 1)";
	case SGD_REGIME_OSCILLATING:
		return "oscillating (1 < lr·a < 2)";
	case SGD_REGIME_BOUNCING:
		return "bouncing (lr·a = 2)";
	case SGD_REGIME_DIVERGENT:
		return "divergent (lr·a > 2)";
	}
	return "";
}

/* Pixel offsets to data units, for shapes drawn in data coordinates. */
static void pixel_delta(const struct plot_layout *l, double dpx, double dpy,
			double *dx, double *dy)
{
	double w = (l->right - l->left) * (l->width - 1);
	double h = (l->top - l->bottom) * (l->height - 1);

	*dx = dpx * (l->xhi - l->xlo) / w;
	*dy = dpy * (l->yhi - l->ylo) / h;
}

static void emit_star(FILE *fp, const struct plot_layout *l,
		      const struct sgd_config *config)
{
	char x[NUMFMT_DOUBLE_MAX], y[NUMFMT_DOUBLE_MAX];
	int i;

	fputs("# the minimum (c, d): a five-pointed star\n"
	      "set object 1 polygon",
	      fp);
	for (i = 0; i <= 10; i++) {
		double angle = PI / 2 + (double)(i % 10) * PI / 5;
		double r = ((i % 2) ? STAR_INNER_PX : STAR_OUTER_PX) * l->scale;
		double dx, dy;

		pixel_delta(l, r * cos(angle), r * sin(angle), &dx, &dy);
		fprintf(fp, " %s %s,%s", i ? "to" : "from",
			numfmt_double(x, config->center + dx),
			numfmt_double(y, config->offset + dy));
	}
	fprintf(fp, "\nset object 1 clip front fillcolor rgb '%s' "
		    "fillstyle solid 1.0 border lc rgb '%s'\n",
		COLOR_PATH, COLOR_PATH);
}

static void emit_label(FILE *fp, const struct plot_layout *l,
		       const struct plot_label *label)
{
	double sx, sy;

	if (!label->shown)
		return;
	sx = label->x / (l->width - 1);
	sy = 1 - label->y / (l->height - 1);
	fprintf(fp, "set label '%s' at screen %.6f, screen %.6f %s front "
		    "boxed\n",
		label->text, sx, sy, label->align_right ? "right" : "left");
}

void plot_analysis_text(const struct sgd_config *config, char *buf,
			size_t size)
{
	struct sgd_cost cost = { config->curvature, config->center,
				 config->offset };
	double r = descent_contraction(config->lr, &cost);
	long steps = descent_steps_within(config->lr, &cost, config->init,
					  0.01);
	char rs[NUMFMT_DOUBLE_MAX];

	snprintf(rs, sizeof(rs), "%.4g", r);
	if (steps < 0)
		snprintf(buf, size,
			 "1 - lr·a = %s: |1 - lr·a| >= 1, never within 1%% of "
			 "the minimum",
			 rs);
	else
		snprintf(buf, size,
			 "1 - lr·a = %s: within 1%% of the minimum after %ld "
			 "step%s",
			 rs, steps, steps == 1 ? "" : "s");
}

/* Appends `s`, quoted, to the title expression being built in `fp`. */
static int title_part(FILE *fp, const char *s, int first)
{
	char *q = quote_dup(s);

	if (!q)
		return -1;
	fprintf(fp, "%s%s", first ? "" : " . \"\\n\" . ", q);
	free(q);
	return 0;
}

/* The post's figure (see layout_article()). */
static enum sgd_status article_panel_write(FILE *fp,
					   const struct sgd_config *config,
					   const struct sgd_trajectory *t,
					   const struct plot_layout *l,
					   const struct plot_path *path,
					   const char *data,
					   struct sgd_error *err)
{
	char n1[NUMFMT_DOUBLE_MAX], n2[NUMFMT_DOUBLE_MAX], n3[NUMFMT_DOUBLE_MAX];
	char n4[NUMFMT_DOUBLE_MAX];
	size_t first = t->count > 1 ? 1 : 0;

	fprintf(fp,
		"# style = article: the post's layout, theta_0 not drawn\n"
		"set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
		"set bmargin at screen %.4f\nset tmargin at screen %.4f\n"
		"set xrange [%s:%s]\nset yrange [%s:%s]\n"
		"set xlabel 'theta'\nset ylabel 'loss'\nset key off\n",
		l->left, l->right, l->bottom, l->top,
		numfmt_double(n1, l->xlo), numfmt_double(n2, l->xhi),
		numfmt_double(n3, l->ylo), numfmt_double(n4, l->yhi));
	fprintf(fp, "a = %s\nc = %s\nd = %s\n"
		"J(t) = 0.5 * a * (t - c)**2 + d\n",
		numfmt_double(n1, config->curvature),
		numfmt_double(n2, config->center),
		numfmt_double(n3, config->offset));
	/* The post's text: 'min' at (c, d + 0.05); 'start' right of the
	 * first plotted iterate; 'end' 0.1 right of and 0.05 below the
	 * last.  matplotlib puts the baseline there: gnuplot centres. */
	fputs("set label 1 'min' at c, d + 0.05 left offset 0,0.4 front\n",
	      fp);
	if (t->count > 0) {
		fprintf(fp,
			"set label 2 'start' at %s + 0.1, %s left offset 0,0.4 "
			"front\n"
			"set label 3 'end' at %s + 0.1, %s - 0.05 left offset "
			"0,0.4 front\n",
			numfmt_double(n1, t->theta[first]),
			numfmt_double(n2, t->loss[first]),
			numfmt_double(n3, t->theta[t->count - 1]),
			numfmt_double(n4, t->loss[t->count - 1]));
	}
	{
		/* matplotlib's star of area 300 pt^2: about 12 px across
		 * half its width at 100 dpi, half the size of ours. */
		struct plot_layout star = *l;

		star.scale = l->scale * 0.55;
		emit_star(fp, &star, config);
	}
	fprintf(fp,
		"set samples 100\n"
		"plot sample [c - 2:c + 2] J(x) with lines lw 1.5 "
		"lc rgb '#1f77b4', \\\n"
		"     %s index %d every ::%zu using 2:3 with linespoints lw 1.5 "
		"pt 7 ps %.3g lc rgb '#ff0000'\n",
		data, path->thinned, first, 1.0 * l->scale);
	if (ferror(fp))
		return sgd_error_set(err, SGD_ERR_NOMEM,
				     "out of memory while writing a script");
	return SGD_OK;
}

enum sgd_status plot_panel_write(FILE *fp, const struct sgd_config *config,
				 const struct sgd_trajectory *t,
				 const struct plot_layout *l,
				 const struct plot_path *path, const char *data,
				 struct sgd_error *err)
{
	struct sgd_cost cost = { config->curvature, config->center,
				 config->offset };
	enum sgd_regime regime = descent_regime(config->lr, &cost);
	char n1[NUMFMT_DOUBLE_MAX], n2[NUMFMT_DOUBLE_MAX], n3[NUMFMT_DOUBLE_MAX];
	char n4[NUMFMT_DOUBLE_MAX];
	size_t last = t->count ? t->count - 1 : 0; /* always marked */
	char settings[512], outcome[256], analysis[256], head[512];
	int bad = 0;

	if (l->article)
		return article_panel_write(fp, config, t, l, path, data, err);
	snprintf(settings, sizeof(settings),
		 "lr = %s, %ld epochs from theta = %s: %s",
		 numfmt_double(n1, config->lr), config->epochs,
		 numfmt_double(n2, config->init), regime_phrase(regime));
	if (t->overflow_step >= 0)
		snprintf(outcome, sizeof(outcome),
			 "overflowed at step %ld: theta or loss no longer "
			 "finite",
			 t->overflow_step);
	else
		snprintf(outcome, sizeof(outcome),
			 "final theta = %.6g, loss = %.6g",
			 t->theta[t->count - 1], t->loss[t->count - 1]);
	plot_analysis_text(config, analysis, sizeof(analysis));

	/* The title: the user's, then settings, outcome and analysis; a
	 * panel says its name and the essentials in two lines. */
	fputs("set title ", fp);
	if (l->compact) {
		struct sgd_cost c = cost;
		long steps = descent_steps_within(config->lr, &c, config->init,
						  0.01);
		/* What fits the panel: the user's title only if it does. */
		double room = (l->right - l->left) * (l->width - 1) /
			      (CHAR_WIDTH_PX * l->scale);

		snprintf(head, sizeof(head), "%s%s%s", config->name,
			 config->title[0] ? ": " : "", config->title);
		if ((double)strlen(head) > room)
			snprintf(head, sizeof(head), "%s", config->name);
		if (steps < 0)
			snprintf(settings, sizeof(settings),
				 "lr = %s, %s: factor %.3g, never within 1%%",
				 numfmt_double(n1, config->lr),
				 descent_regime_name(regime),
				 descent_contraction(config->lr, &c));
		else
			snprintf(settings, sizeof(settings),
				 "lr = %s, %s: factor %.3g, 1%% in %ld steps",
				 numfmt_double(n1, config->lr),
				 descent_regime_name(regime),
				 descent_contraction(config->lr, &c), steps);
		bad |= title_part(fp, head, 1);
		bad |= title_part(fp, settings, 0);
	} else {
		if (config->title[0])
			bad |= title_part(fp, config->title, 1);
		bad |= title_part(fp, settings, !config->title[0]);
		bad |= title_part(fp, outcome, 0);
		bad |= title_part(fp, analysis, 0);
	}
	if (bad)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	fputc('\n', fp);

	fprintf(fp,
		"set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
		"set bmargin at screen %.4f\nset tmargin at screen %.4f\n",
		l->left, l->right, l->bottom, l->top);
	fprintf(fp,
		"set xrange [%s:%s]\nset yrange [%s:%s]\n"
		"set xlabel 'theta'\nset ylabel 'loss'\n"
		"set grid lc rgb '#dddddd'\nset key off\nset border lw 1\n",
		numfmt_double(n1, l->xlo), numfmt_double(n2, l->xhi),
		numfmt_double(n3, l->ylo), numfmt_double(n4, l->yhi));
	fprintf(fp, "a = %s\nc = %s\nd = %s\n"
		"# 0.5 first: gnuplot divides integers as integers\n"
		"J(t) = 0.5 * a * (t - c)**2 + d\n",
		numfmt_double(n1, cost.curvature),
		numfmt_double(n2, cost.center),
		numfmt_double(n3, cost.offset));
	/* Labels on an opaque box stay legible where a line passes. */
	fputs("set style textbox opaque noborder margins 1,1\n", fp);
	emit_star(fp, l, config);
	emit_label(fp, l, &l->min);
	emit_label(fp, l, &l->start);
	emit_label(fp, l, &l->end);
	fprintf(fp,
		"set samples 1000\n"
		"# markers on every %zu-th iterate and the last (step %zu)\n"
		"marked(step) = int(step) %% %zu == 0 || int(step) == %zu\n"
		"plot J(x) with lines lw 2 lc rgb '%s', \\\n"
		"     %s index %d using 2:3 with lines lw 2 lc rgb '%s', \\\n"
		"     %s index %d using 2:(marked($1) ? $3 : NaN) "
		"with points pt 7 ps %.3g lc rgb '%s'\n",
		l->marker_every, last, l->marker_every, last, COLOR_CURVE, data,
		path->thinned, COLOR_PATH, data, path->thinned, 1.5 * l->scale,
		COLOR_PATH);
	if (ferror(fp))
		return sgd_error_set(err, SGD_ERR_NOMEM,
				     "out of memory while writing a script");
	return SGD_OK;
}

void plot_terminal_write(FILE *fp, enum sgd_format format, int width,
			 int height, double font_points)
{
	switch (format) {
	case SGD_FORMAT_PNG:
		fprintf(fp,
			"set terminal pngcairo size %d,%d noenhanced "
			"font 'DejaVu Sans,%.3g' linewidth 1.5\n",
			width, height, font_points);
		break;
	case SGD_FORMAT_SVG:
		/* The svg terminal reads a font size in pixels, pngcairo
		 * in points at 96 to the inch: 4/3 keeps the text's share. */
		fprintf(fp,
			"set terminal svg size %d,%d noenhanced "
			"font 'DejaVu Sans,%.3g' linewidth 1.5 "
			"background '#ffffff'\n",
			width, height, font_points * 4 / 3);
		break;
	case SGD_FORMAT_PDF:
		/* 100 pixels to the inch; a point is a point on paper, and
		 * 16 of them on a 10-inch page take the share that 16 take
		 * of a 1000-pixel PNG, near enough. */
		fprintf(fp,
			"set terminal pdfcairo size %.4gin,%.4gin noenhanced "
			"font 'DejaVu Sans,%.3g' linewidth 1.5\n",
			width / 100.0, height / 100.0, font_points);
		break;
	}
	fputs("set output outfile\n", fp);
}

enum sgd_status plot_script_text(const struct sgd_config *config,
				 const struct sgd_trajectory *t,
				 const struct plot_layout *l,
				 const struct plot_path *path,
				 const char *software, char **text,
				 size_t *len, struct sgd_error *err)
{
	enum sgd_status status;
	FILE *fp;

	fp = textbuf_open(text, len, err);
	if (!fp)
		return err->status;
	/* The name is safe as it is in comments and file names (batch.c
	 * allows letters, digits, '.', '_' and '-'). */
	fprintf(fp,
		"# %s: configuration '%s'\n"
		"# Redraw by hand in this folder: gnuplot %s.gp\n"
		"# (gnuplot -e \"outfile='other.%s'\" %s.gp draws elsewhere)\n"
		"if (!exists('datafile')) datafile = '%s.dat'\n"
		"if (!exists('outfile')) outfile = '%s.%s'\n"
		"set encoding utf8\n",
		software, config->name, config->name,
		batch_format_name(config->format), config->name, config->name,
		config->name, batch_format_name(config->format));
	plot_terminal_write(fp, config->format, l->width, l->height,
			    FONT_POINTS * l->scale);
	status = plot_panel_write(fp, config, t, l, path, "datafile", err);
	return textbuf_close(fp, text, status, err);
}
