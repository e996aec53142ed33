/*
 * summary.h - the table of outcomes, one row per configuration.
 *
 * The same tab-separated text goes to DIR/summary.tsv and to stdout:
 * a header "name lr epochs init theta loss regime status", then a row per
 * configuration with the final theta and loss, exact (numfmt.h).  status
 * is "ok", "overflow at step N" or "failed" (the figure could not be
 * drawn; main reports why), or "elsewhere" in a sharded run (--shard),
 * for the configurations another part draws.
 */
#ifndef SGD_SUMMARY_H
#define SGD_SUMMARY_H

#include <stddef.h>

#include "batch.h"
#include "error.h"

struct summary_row {
	const struct sgd_config *config; /* borrowed from the batch */
	double theta, loss;              /* final iterate, or NaN if none */
	const char *regime;              /* static text */
	long overflow_step;              /* or -1 */
	int failed;                      /* the figure was not drawn */
	int elsewhere;                   /* another part of a sharded run
					    draws it */
};

/* The whole table; on success *text is malloc'd and the caller owns it. */
enum sgd_status summary_text(const struct summary_row *rows, size_t count,
			     char **text, size_t *len, struct sgd_error *err);

/*
 * Merges the summaries of the parts of a sharded run (`count` texts, named
 * by `names` in messages) into the table one run would have written: each
 * row from the part that drew it.  The parts must list the same
 * configurations in the same order, each drawn by exactly one of them.
 * Caller owns *text.  Errors are SGD_ERR_BATCH, naming file and line.
 */
enum sgd_status summary_merge(const char *const *texts,
			      const char *const *names, size_t count,
			      char **text, size_t *len,
			      struct sgd_error *err);

/*
 * The --list table: a row per configuration with every key resolved, and
 * where it was defined.  Caller owns *text.
 */
enum sgd_status summary_list_text(const struct sgd_config *const *configs,
				  size_t count, char **text, size_t *len,
				  struct sgd_error *err);

#endif
