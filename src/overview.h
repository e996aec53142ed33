/*
 * overview.h - a batch at a glance: overview.png and loss.png.
 *
 * The overview puts every configuration's figure into one image, as
 * panels of a grid sized to the count (the article's four as 2 x 2), each
 * drawn like the single figure at a smaller scale under a two-line title.
 * The loss chart draws J(theta_k) - d against k for every configuration,
 * on a log scale, one line and one key entry each: for gradient descent on
 * a quadratic that quantity is multiplied by (1 - lr·a)^2 at every step,
 * so every run is a straight line whose slope is its rate.
 *
 * Both scripts read the configurations' data files under their final
 * names (NAME.dat), so they are drawn after the figures; figure.h's
 * figure_chart_render() draws them.  Only configurations whose figure
 * exists belong in them; sweeps never do.
 *
 * Calling sequence: overview_script_text() and loss_script_text(), each
 * with the geometry that the tests also use to find things in the image
 * (overview_geometry(), overview_frame(), loss_layout()).
 */
#ifndef SGD_OVERVIEW_H
#define SGD_OVERVIEW_H

#include <stddef.h>

#include "batch.h"
#include "error.h"
#include "plot.h"

#define OVERVIEW_NAME "overview"
#define LOSS_NAME "loss"

struct overview_geometry {
	size_t cols, rows;
	int panel;        /* a panel's side, pixels */
	int width, height;
	double scale;     /* of text and marks, against a full figure */
};

void overview_geometry(size_t count, struct overview_geometry *g);

/* The rectangle of panel `i` (row by row from the top left). */
void overview_frame(const struct overview_geometry *g, size_t i,
		    struct plot_frame *frame);

/*
 * The overview's script for `count` configurations (pointers into the
 * batch).  Caller owns *text.
 */
enum sgd_status overview_script_text(const struct sgd_config *const *configs,
				     size_t count, enum sgd_format format,
				     const char *software, char **text,
				     size_t *len, struct sgd_error *err);

/* Where the loss chart puts things: ranges and the plot area. */
struct loss_layout {
	int width, height;
	double left, right, bottom, top; /* plot area, screen fractions */
	double xmax;                     /* steps: 0 to xmax */
	double ylo, yhi;                 /* loss above d, log axis */
};

/* The loss chart's layout; 0 when no configuration has a positive loss
 * above its minimum to draw (every run starting at its minimum). */
int loss_layout(const struct sgd_config *const *configs, size_t count,
		struct loss_layout *layout);

/* Maps (step, loss above d) to pixels, origin top left. */
void loss_pixel(const struct loss_layout *layout, double step, double loss,
		double *px, double *py);

enum sgd_status loss_script_text(const struct sgd_config *const *configs,
				 size_t count, const struct loss_layout *layout,
				 enum sgd_format format, const char *software,
				 char **text, size_t *len,
				 struct sgd_error *err);

/* The colour of the i-th line of the loss chart, "#rrggbb". */
const char *loss_color(size_t i);

#endif
