/*
 * cache.h - incremental runs: is a figure on disk already what we would draw?
 *
 * A figure's key is a hash of everything that decides its bytes: sgdplot's
 * version, the gnuplot binary (gnuplot_identity()), the configuration's
 * keys, and the gnuplot script itself (which holds the terminal, size,
 * font, ranges and every label).  The key is stored in the PNG as the text
 * chunk "sgdplot-key".  A figure whose PNG carries the key it would get now,
 * and whose .dat and .gp files exist, is fresh: it is not drawn again.
 *
 * The hash is 64-bit FNV-1a over the parts, each followed by a NUL byte:
 * a check for change, not a defence against someone forging a PNG.
 */
#ifndef SGD_CACHE_H
#define SGD_CACHE_H

#include <stddef.h>

#include "batch.h"
#include "error.h"

#define CACHE_KEY_SIZE 17   /* 16 hex digits and a NUL */
#define CACHE_PNG_KEYWORD "sgdplot-key"

/* The 64-bit FNV-1a hash of `text`: stable across runs and machines. */
unsigned long long cache_hash(const char *text);

/* Hashes `count` NUL-terminated strings into `key`. */
void cache_key(const char *const *parts, size_t count,
	       char key[CACHE_KEY_SIZE]);

/*
 * Whether DIR/NAME.png (or .svg, .pdf: `format`) carries `key` and
 * DIR/NAME.gp exists (and, if `with_data`, DIR/NAME.dat).  Any trouble
 * reading them means "not fresh": never an error.
 */
int cache_is_fresh(const char *dir, const char *name, enum sgd_format format,
		   const char key[CACHE_KEY_SIZE], int with_data);

#endif
