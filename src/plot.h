/*
 * plot.h - what a figure is made of: the data file and the gnuplot script.
 *
 * This module turns a configuration and its trajectory into text: the data
 * file NAME.dat and a standalone gnuplot script NAME.gp that draws NAME.png
 * from it.  It decides the figure's layout (axis ranges, margins, where
 * each label goes) so the data-to-pixel mapping is known before gnuplot
 * runs; tests use plot_layout_pixel() to find the iterates in the picture.
 *
 * Calling sequence:
 *   struct plot_layout layout;
 *   struct plot_path path;
 *   plot_layout_compute(&layout, config, trajectory, width, height);
 *   plot_path_compute(&path, &layout, trajectory, &err);
 *   plot_data_write(fp, config, trajectory, &path, &err);
 *   plot_script_text(config, trajectory, &layout, &path, version, &gp,
 *                    &gp_len, &err);
 *   plot_path_release(&path);
 *
 * Long runs: the data file holds every iterate, but gnuplot draws only
 * the iterates that move the path on screen.  plot_path_compute() keeps
 * an iterate when it lands on another pixel than the last one kept and
 * the segment to it has not been drawn yet (a run bouncing between two
 * points draws two segments, not a million), plus every iterate that gets
 * a marker.  The data file then has a second block (gnuplot's `index 1`)
 * with those rows, which the script plots.
 *
 * The script reads its data file and writes its PNG by the names in the
 * gnuplot variables `datafile` and `outfile`, which default to NAME.dat and
 * NAME.png; a caller that renders under temporary names defines them first
 * (plot_script_preamble()).
 *
 * User text enters a script only through plot_quote(), as a single-quoted
 * gnuplot string: gnuplot expands `backquotes` and escapes only inside
 * double quotes, so a single-quoted string is inert.
 */
#ifndef SGD_PLOT_H
#define SGD_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "batch.h"
#include "descent.h"
#include "error.h"

#define PLOT_WIDTH_DEFAULT 1000
#define PLOT_HEIGHT_DEFAULT 1000

/* A label's text and placement, in pixels of the final image. */
struct plot_label {
	char text[16];      /* "min", "start", "end" or "start, end" */
	int shown;          /* 0 when its point lies outside the ranges */
	double x, y;        /* anchor, pixels from the top-left corner */
	int align_right;    /* text ends at the anchor instead of starting */
};

/* A panel's rectangle in the image, in pixels from the top-left corner. */
struct plot_frame {
	int x, y, w, h;
};

struct plot_layout {
	int width, height;          /* image size in pixels */
	double scale;               /* text, markers and star: 1 full size */
	int compact;                /* a panel of an overview: short title */
	int article;                /* the post's layout (style = article) */
	double xlo, xhi, ylo, yhi;  /* axis ranges */
	double left, right, bottom, top; /* plot area, screen fractions */
	size_t marker_every;        /* draw every Nth iterate's marker */
	struct plot_label start, end, min;
};

/*
 * Computes ranges (the configuration's own, or: x covers c +/- 2 and
 * every iterate, y the curve's minimum and every iterate's loss, each with
 * a margin), the plot area and the labels' places.
 */
void plot_layout_compute(struct plot_layout *layout,
			 const struct sgd_config *config,
			 const struct sgd_trajectory *trajectory, int width,
			 int height);

/*
 * The same for one panel of a larger image (an overview): the panel fills
 * `frame`, its text and marks drawn at `scale`, under a two-line title.
 */
void plot_layout_compute_panel(struct plot_layout *layout,
			       const struct sgd_config *config,
			       const struct sgd_trajectory *trajectory,
			       int width, int height,
			       const struct plot_frame *frame, double scale);

/* Maps data coordinates to pixels (origin top left, y down). */
void plot_layout_pixel(const struct plot_layout *layout, double x, double y,
		       double *px, double *py);

/*
 * Writes `s` as a gnuplot string expression into `buf` of `size` bytes:
 * a single-quoted literal, or where `s` holds quotes, single-quoted runs
 * joined to "'" with '.' in parentheses.  Returns the length needed (as
 * snprintf).  `s` must hold no control characters (batch.c refuses them).
 */
size_t plot_quote(char *buf, size_t size, const char *s);

/* The iterates the figure draws (see above). */
struct plot_path {
	size_t *index; /* ascending steps; owned; NULL when not thinned */
	size_t count;
	int thinned;   /* 0: short runs draw every iterate from block 0 */
};

#define PLOT_THIN_ABOVE 2000 /* runs with more iterates are thinned */

/* Chooses the iterates to draw.  Fails only for lack of memory. */
enum sgd_status plot_path_compute(struct plot_path *path,
				  const struct plot_layout *layout,
				  const struct sgd_trajectory *trajectory,
				  struct sgd_error *err);

/* Frees the indices and empties `path`; accepts NULL. */
void plot_path_release(struct plot_path *path);

/*
 * Writes the data file to `fp`: '#' lines naming the configuration, its
 * keys and the columns, then "step theta loss gradient" per iterate, each
 * number exact (numfmt.h); for a thinned path, two blank lines and the
 * drawn rows "step theta loss".  Fails when writing fails (errno kept).
 */
enum sgd_status plot_data_write(FILE *fp, const struct sgd_config *config,
				const struct sgd_trajectory *trajectory,
				const struct plot_path *path,
				struct sgd_error *err);

/*
 * The gnuplot script; `software` (e.g. "sgdplot 0.1.0") goes into its
 * first comment.  On success *text is malloc'd: the caller owns it.
 */
enum sgd_status plot_script_text(const struct sgd_config *config,
				 const struct sgd_trajectory *trajectory,
				 const struct plot_layout *layout,
				 const struct plot_path *path,
				 const char *software, char **text,
				 size_t *len, struct sgd_error *err);

/*
 * Writes the terminal for `format` at `width` x `height` pixels (100 to
 * the inch for PDF), its font at `font_points` as a PNG would have it, and
 * "set output outfile".
 */
void plot_terminal_write(FILE *fp, enum sgd_format format, int width,
			 int height, double font_points);

/*
 * Writes the gnuplot commands that draw one configuration's panel into
 * the current terminal and output: title, margins, ranges, the curve, the
 * star, the labels and the path, read from `data` (a gnuplot string
 * expression naming the data file, e.g. the variable `datafile` or a
 * plot_quote()d name).  plot_script_text() is a terminal line and this.
 */
enum sgd_status plot_panel_write(FILE *fp, const struct sgd_config *config,
				 const struct sgd_trajectory *trajectory,
				 const struct plot_layout *layout,
				 const struct plot_path *path, const char *data,
				 struct sgd_error *err);

/* The sentence the figures give on a run's speed, from the closed form:
 * "1 - lr·a = 0.95: within 1% of the minimum after 90 steps". */
void plot_analysis_text(const struct sgd_config *config, char *buf,
			size_t size);

/*
 * The lines that point a script at other file names than its own:
 * "datafile = '...'" (unless `datafile` is NULL) and "outfile = '...'".
 * Caller owns *text.
 */
enum sgd_status plot_script_preamble(const char *datafile,
				     const char *outfile, char **text,
				     size_t *len, struct sgd_error *err);

#endif
