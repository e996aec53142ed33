#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "summary.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "numfmt.h"

enum sgd_status summary_text(const struct summary_row *rows, size_t count,
			     char **text, size_t *len, struct sgd_error *err)
{
	char lr[NUMFMT_DOUBLE_MAX], init[NUMFMT_DOUBLE_MAX];
	char theta[NUMFMT_DOUBLE_MAX], loss[NUMFMT_DOUBLE_MAX];
	FILE *fp;
	size_t i;
	int failed;

	*text = NULL;
	fp = open_memstream(text, len);
	if (!fp)
		return sgd_error_errno(err, SGD_ERR_NOMEM, errno,
				       "cannot make summary text");
	fputs("name\tlr\tepochs\tinit\ttheta\tloss\tregime\tstatus\n", fp);
	for (i = 0; i < count; i++) {
		const struct summary_row *r = &rows[i];

		if (r->config->sweep.count) {
			/* A sweep has many runs: its range, and no one final
			 * theta (they are in its data file). */
			char from[NUMFMT_DOUBLE_MAX], to[NUMFMT_DOUBLE_MAX];

			fprintf(fp, "%s\t%s:%s:%ld\t%ld\t%s\t-\t-\tsweep\t",
				r->config->name,
				numfmt_double(from, r->config->sweep.from),
				numfmt_double(to, r->config->sweep.to),
				r->config->sweep.count, r->config->epochs,
				numfmt_double(init, r->config->init));
		} else {
			fprintf(fp, "%s\t%s\t%ld\t%s\t%s\t%s\t%s\t",
				r->config->name,
				numfmt_double(lr, r->config->lr),
				r->config->epochs,
				numfmt_double(init, r->config->init),
				numfmt_double(theta, r->theta),
				numfmt_double(loss, r->loss), r->regime);
		}
		if (r->failed)
			fputs("failed\n", fp);
		else if (r->overflow_step >= 0)
			fprintf(fp, "overflow at step %ld\n", r->overflow_step);
		else
			fputs("ok\n", fp);
	}
	failed = ferror(fp);
	if (fclose(fp) != 0 || failed) {
		free(*text);
		*text = NULL;
		return sgd_error_set(err, SGD_ERR_NOMEM,
				     "out of memory while writing the summary");
	}
	return SGD_OK;
}
