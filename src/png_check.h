/*
 * png_check.h - PNG files through libpng: decode, and provenance text.
 *
 * gnuplot's exit status alone does not prove it wrote a picture: a figure
 * gets its final name only after png_check_decode() has decoded every
 * pixel of it.  Provenance (which program drew it, from which settings) is
 * added as PNG text chunks by png_check_add_text(), which inserts them
 * after the header without re-encoding the image data.
 *
 * All functions work on PNG bytes in memory; reading and writing files is
 * fsutil's business.  Errors are SGD_ERR_PNG_INVALID with libpng's reason,
 * or SGD_ERR_NOMEM.
 */
#ifndef SGD_PNG_CHECK_H
#define SGD_PNG_CHECK_H

#include <stddef.h>

#include "error.h"

struct png_check_image {
	unsigned width, height;
	unsigned char *rgba; /* width * height * 4 bytes, rows top down;
				owned, NULL when empty */
};

struct png_check_text {
	const char *key;   /* Latin-1 keyword, 1 to 79 bytes, e.g. "Software" */
	const char *value; /* UTF-8 text */
};

void png_check_image_init(struct png_check_image *img);

/* Frees the pixels and empties `img`; accepts NULL. */
void png_check_image_release(struct png_check_image *img);

/* Decodes all of `png` into 8-bit RGBA; `img` must be empty. */
enum sgd_status png_check_decode(const void *png, size_t len,
				 struct png_check_image *img,
				 struct sgd_error *err);

/*
 * Checks that `png` is a whole PNG: every chunk's CRC, every row of the
 * image data inflated and unfiltered by libpng, the end chunk present.
 * Gives its size.  Faster than png_check_decode(), for it keeps no pixels
 * and skips zlib's Adler-32 (the chunk CRCs already cover those bytes).
 */
enum sgd_status png_check_verify(const void *png, size_t len,
				 unsigned *width, unsigned *height,
				 struct sgd_error *err);

/*
 * Returns in *out a copy of `png` with the text chunks inserted after
 * IHDR: tEXt for ASCII values, iTXt (UTF-8) otherwise.  The caller owns
 * *out.  The input must be a PNG (signature and IHDR are checked).
 */
enum sgd_status png_check_add_text(const void *png, size_t len,
				   const struct png_check_text *texts,
				   size_t count, unsigned char **out,
				   size_t *out_len, struct sgd_error *err);

/*
 * Finds the text chunk `key` before the image data and returns its value
 * in *value (malloc'd, the caller owns it), or NULL if there is none.
 */
enum sgd_status png_check_get_text(const void *png, size_t len,
				   const char *key, char **value,
				   struct sgd_error *err);

#endif
