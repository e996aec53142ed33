#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "textbuf.h"

#include <errno.h>
#include <stdlib.h>

FILE *textbuf_open(char **text, size_t *len, struct sgd_error *err)
{
	FILE *fp;

	*text = NULL;
	fp = open_memstream(text, len);
	if (!fp)
		sgd_error_errno(err, SGD_ERR_NOMEM, errno,
				"cannot make text in memory");
	return fp;
}

enum sgd_status textbuf_close(FILE *fp, char **text, enum sgd_status status,
			      struct sgd_error *err)
{
	/* A stream that failed to grow says so in its error flag. */
	int failed = ferror(fp);

	if (fclose(fp) != 0)
		failed = 1;
	if (failed && status == SGD_OK)
		status = sgd_error_set(err, SGD_ERR_NOMEM,
				       "out of memory while writing text");
	if (status != SGD_OK) {
		free(*text);
		*text = NULL;
	}
	return status;
}
