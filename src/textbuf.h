/*
 * textbuf.h - text built in memory with stdio (open_memstream).
 *
 * Calling sequence:
 *   FILE *fp = textbuf_open(&text, &len, &err);  (NULL: err says why)
 *   fprintf(fp, ...);
 *   status = textbuf_close(fp, &text, status, &err);
 *
 * Ownership: after textbuf_close() returns SGD_OK the caller owns *text,
 * NUL-terminated, *len bytes long; after a failure *text is NULL.
 */
#ifndef SGD_TEXTBUF_H
#define SGD_TEXTBUF_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

FILE *textbuf_open(char **text, size_t *len, struct sgd_error *err);

/*
 * Closes `fp`.  `status` is the caller's own outcome: when it is not
 * SGD_OK, or writing failed, the text is freed; the result is `status`,
 * or SGD_ERR_NOMEM when only writing failed.
 */
enum sgd_status textbuf_close(FILE *fp, char **text, enum sgd_status status,
			      struct sgd_error *err);

#endif
