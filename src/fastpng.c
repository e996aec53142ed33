/*
 * fastpng.c - a preload library that makes gnuplot's PNG encoding cheap.
 *
 * gnuplot's pngcairo terminal spends most of its time (83% measured with
 * perf on the article's figures) in libpng and zlib, compressing with
 * libpng's defaults: zlib level 6 and every row filter tried in turn.
 * sgdplot starts gnuplot with this library in LD_PRELOAD; it wraps
 * png_create_write_struct() and asks the new writer for zlib level 1 and
 * no row filter.  PNG is lossless: the pixels are the same, only the
 * compression differs (the article's figures grow by about 3%), and
 * gnuplot draws a figure about three times faster.  See the README's
 * Performance section for the numbers and how they were taken.
 *
 * It is not part of libsgdplot: it is loaded into gnuplot, not sgdplot.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <png.h>

typedef png_structp (*create_write_fn)(png_const_charp, png_voidp,
				       png_error_ptr, png_error_ptr);

png_structp png_create_write_struct(png_const_charp version,
				    png_voidp error_ptr, png_error_ptr error_fn,
				    png_error_ptr warn_fn)
{
	create_write_fn real;
	png_structp png;

	/* Looked up on each call: no state, and cheap next to a figure.
	 * Assigned through a void * as POSIX's dlsym() page shows: ISO C
	 * has no conversion from object to function pointer. */
	*(void **)&real = dlsym(RTLD_NEXT, "png_create_write_struct");
	if (!real)
		return NULL;
	png = real(version, error_ptr, error_fn, warn_fn);
	if (png) {
		png_set_compression_level(png, 1);
		png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	}
	return png;
}
