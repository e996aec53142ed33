/*
 * workers.h - figures drawn in parallel, each worker with its own gnuplot.
 *
 * A pool of threads takes the configurations in order, one at a time, and
 * runs figure_make() on each with the worker's own long-lived gnuplot
 * session (started only when a figure needs drawing).  Results land in the
 * caller's array, one per configuration, so the caller reports them in
 * batch order whatever order they finished in.
 *
 * Calling sequence:
 *   struct workers *w;
 *   1. workers_start(&w, &opt, configs, count, results, threads, &err);
 *   2. while (!workers_finished(w)) show workers_done(w) as progress;
 *   3. workers_wait(w): joins the threads, ends their gnuplots, frees w.
 *
 * When a figure fails because gnuplot cannot be used at all (missing, or
 * without pngcairo), or a stop is asked for, the workers take no further
 * configuration; those never started keep status SGD_ERR_INTERRUPTED
 * (see workers_wait()).
 */
#ifndef SGD_WORKERS_H
#define SGD_WORKERS_H

#include <stddef.h>

#include "batch.h"
#include "error.h"
#include "figure.h"

struct workers;

/* The number of processors online, at least 1. */
size_t workers_default_count(void);

enum sgd_status workers_start(struct workers **out,
			      const struct figure_options *opt,
			      const struct sgd_config *configs, size_t count,
			      struct figure_result *results, size_t threads,
			      struct sgd_error *err);

/* How many configurations are finished (drawn, fresh or failed). */
size_t workers_done(const struct workers *w);

/* Whether every worker has stopped. */
int workers_finished(const struct workers *w);

/*
 * Waits for the workers and frees `w`.  Returns SGD_OK, or the status of
 * the first figure that found gnuplot unusable (its message in that
 * figure's result).  Configurations never started get
 * SGD_ERR_INTERRUPTED in their result.
 */
enum sgd_status workers_wait(struct workers *w);

#endif
