/*
 * batch.h - batch files: INI text in, validated configurations out.
 *
 * A batch file holds one [section] per configuration; the section name is
 * the configuration's name and the base name of its output files.  An
 * optional [defaults] section sets values for the sections after it.  The
 * keys, their defaults and their limits are listed in the README and in
 * batch.c's key table.  Parsing uses inih; everything it hands over is
 * validated here, so a configuration that leaves this module is usable as
 * it is.
 *
 * Calling sequence:
 *   struct sgd_batch batch;
 *   batch_init(&batch);
 *   for each file: if (batch_load(&batch, path, &err)) report err;
 *   ... batch.configs[0 .. batch.count-1] ...
 *   batch_release(&batch);
 *
 * Error handling: batch_load() stops at the first error and returns
 * SGD_ERR_BATCH (or SGD_ERR_IO, SGD_ERR_NOMEM) with a message of the form
 * "FILE:LINE: key 'KEY': expected ..., got '...'" (or "FILE: ..." where no
 * line applies).  The configurations of a file that failed are not added.
 */
#ifndef SGD_BATCH_H
#define SGD_BATCH_H

#include <stddef.h>

#include "error.h"

#define SGD_NAME_MAX 64             /* longest configuration name */
#define SGD_EPOCHS_MAX 1000000L     /* most epochs a configuration may ask */
#define SGD_TITLE_MAX 200           /* longest title, in bytes */
#define SGD_BATCH_LINE_MAX 4096     /* longest line of a batch file */
#define SGD_BATCH_SIZE_MAX (16L << 20) /* largest batch file, in bytes */

/* An axis range: automatic, or [lo, hi] with lo < hi, both finite. */
struct sgd_range {
	int is_auto;
	double lo, hi;
};

#define SGD_SWEEP_MAX 100000L        /* most learning rates in a sweep */
#define SGD_SWEEP_STEPS_MAX 1e8      /* most rates x epochs in a sweep */

/* A sweep section's learning rates: count of them, from `from` to `to`,
 * evenly spaced, both ends included; count 0 when not a sweep. */
struct sgd_sweep {
	double from, to;
	long count;
};

/* What a figure is drawn as.  Sizes are in pixels; a size given in
 * inches or centimetres counts 100 pixels to the inch, the article's
 * 10 x 10 inches at 100 dpi being 1000 x 1000 pixels. */
enum sgd_format {
	SGD_FORMAT_PNG,
	SGD_FORMAT_SVG,
	SGD_FORMAT_PDF,
};

#define SGD_SIZE_MIN 200   /* pixels, each side */
#define SGD_SIZE_MAX 8000

/* "png", "svg" or "pdf": the file extension too. */
const char *batch_format_name(enum sgd_format format);

/* Reads "png", "svg" or "pdf"; 0 when `text` is none of them. */
int batch_format_parse(const char *text, enum sgd_format *format);

struct sgd_config {
	char name[SGD_NAME_MAX + 1];
	double lr;
	long epochs;
	double init;
	double curvature, center, offset;
	char title[SGD_TITLE_MAX + 1]; /* "" when none; UTF-8, no controls */
	struct sgd_range xrange, yrange;
	struct sgd_sweep sweep; /* a sweep section draws a stability diagram */
	enum sgd_format format;
	int width, height;      /* pixels */
	int article_style;      /* style = article: the post's own layout */
	const char *file; /* the batch file it came from; owned by the batch */
	int line;         /* the line of its [section] header */
};

struct sgd_batch {
	struct sgd_config *configs; /* owned */
	size_t count, alloc;
	char **files;               /* the paths loaded; owned */
	size_t file_count;
};

void batch_init(struct sgd_batch *batch);

/* Frees everything the batch holds and leaves it empty; accepts NULL. */
void batch_release(struct sgd_batch *batch);

#define BATCH_STDIN_NAME "<stdin>"

/*
 * Parses and validates the batch file at `path` ("-": standard input,
 * named "<stdin>" in messages) and appends its configurations.  A configuration name already in the batch, from this
 * file or an earlier one, is an error, since both would write the same
 * files.  A file that defines no configuration is an error too.
 */
enum sgd_status batch_load(struct sgd_batch *batch, const char *path,
			   struct sgd_error *err);

/*
 * Like batch_load(), from `len` bytes at `text`, reported as `path`.
 * The text may hold NUL bytes (they are an error).
 */
enum sgd_status batch_load_text(struct sgd_batch *batch, const char *path,
				const char *text, size_t len,
				struct sgd_error *err);

/* Writes a range as a batch file gives it: "auto" or "LO:HI". */
void batch_range_text(char *buf, size_t size, const struct sgd_range *range);

/*
 * Writes the configuration's keys as "key=value" lines, in the key table's
 * order, to `buf` of `size` bytes (always NUL-terminated).  Returns the
 * length it needed, as snprintf does.  The text is what sgdplot stores as
 * the figure's provenance.
 */
size_t batch_describe(const struct sgd_config *config, char *buf, size_t size);

#endif
