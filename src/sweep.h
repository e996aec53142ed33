/*
 * sweep.h - a learning-rate sweep: one run per rate, one stability diagram.
 *
 * A sweep section (key `sweep = FROM:TO:COUNT`) runs COUNT learning rates
 * from FROM to TO, evenly spaced and both ends included, with the
 * section's epochs, init and cost, and keeps each run's final iterate.
 * Its figure plots the final distance |theta_N - c| (log scale) against
 * lr, with the analytic boundaries lr = 1/a (fastest) and lr = 2/a (the
 * divergence threshold) and the monotone, oscillating and divergent bands;
 * it marks the batch's other configurations that share its cost, init and
 * epochs.  Its data file has a row per rate: lr theta loss distance.
 *
 * Calling sequence: sweep_run(), sweep_data_write() and
 * sweep_script_text(), sweep_release().
 */
#ifndef SGD_SWEEP_H
#define SGD_SWEEP_H

#include <stddef.h>
#include <stdio.h>

#include "batch.h"
#include "error.h"

struct sweep_row {
	double lr;
	double theta, loss;  /* the last finite iterate, or NaN */
	double distance;     /* |theta - c|, or NaN when the run overflowed */
	long overflow_step;  /* or -1 */
};

struct sweep {
	const struct sgd_config *config; /* borrowed */
	struct sweep_row *rows;          /* owned */
	size_t count;
};

/* The i-th learning rate of the sweep (i from 0 to count - 1). */
double sweep_lr(const struct sgd_sweep *sweep, long i);

/* Runs every rate of `config` (a sweep section).  Fails only for lack
 * of memory. */
enum sgd_status sweep_run(struct sweep *sweep, const struct sgd_config *config,
			  struct sgd_error *err);

/* Frees the rows; accepts NULL. */
void sweep_release(struct sweep *sweep);

enum sgd_status sweep_data_write(FILE *fp, const struct sweep *sweep,
				 struct sgd_error *err);

/*
 * The gnuplot script of the stability diagram, `width` x `height` pixels,
 * reading the gnuplot variable `datafile`.  `configs` (`count` of them) is
 * the whole batch, for the marks.  Caller owns *text.
 */
enum sgd_status sweep_script_text(const struct sweep *sweep,
				  const struct sgd_config *configs,
				  size_t count, const char *software,
				  int width, int height, char **text,
				  size_t *len, struct sgd_error *err);

#endif
