/*
 * vector.h - SVG and PDF figures: check what gnuplot wrote, add provenance.
 *
 * The PNG counterpart is png_check.h.  An SVG must be one whole document
 * (an XML declaration, an <svg> element, its end tag last); a PDF must
 * start with its header and end with its %%EOF marker.  Those are the
 * marks a crash or a full disk would cut off.
 *
 * Provenance: an SVG gets a comment after its XML declaration, a PDF
 * comment lines after its %%EOF (readers ignore both).  Both carry
 * sgdplot's cache key (cache.h) in a form vector_key() finds again.
 * cairo stamps a PDF with the time of drawing; the stamp is set to
 * 1970-01-01 in place (same length, so the cross-reference offsets
 * stay right), and the same batch gives the same bytes.
 */
#ifndef SGD_VECTOR_H
#define SGD_VECTOR_H

#include <stddef.h>

#include "batch.h"
#include "error.h"

/* Checks `len` bytes as an SVG or PDF document (`format`). */
enum sgd_status vector_check(enum sgd_format format, const char *data,
			     size_t len, struct sgd_error *err);

/*
 * A copy of the document with provenance (`software` and `key`, neither
 * holding "--" or a newline) in *out, which the caller owns.
 */
enum sgd_status vector_tag(enum sgd_format format, const char *data,
			   size_t len, const char *software, const char *key,
			   char **out, size_t *out_len, struct sgd_error *err);

/* Finds the key vector_tag() wrote into `key` (`size` bytes); 0 if none. */
int vector_key(enum sgd_format format, const char *data, size_t len,
	       char *key, size_t size);

#endif
