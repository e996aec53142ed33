#define _POSIX_C_SOURCE 200809L /* strdup */
#include "png_check.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const unsigned char png_signature[8] = { 0x89, 'P', 'N', 'G',
						'\r', '\n', 0x1a, '\n' };

void png_check_image_init(struct png_check_image *img)
{
	img->width = img->height = 0;
	img->rgba = NULL;
}

void png_check_image_release(struct png_check_image *img)
{
	if (!img)
		return;
	free(img->rgba);
	png_check_image_init(img);
}

enum sgd_status png_check_decode(const void *png, size_t len,
				 struct png_check_image *img,
				 struct sgd_error *err)
{
	png_image image;
	size_t size;

	/* libpng's simplified API: it keeps its setjmp to itself. */
	memset(&image, 0, sizeof(image));
	image.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&image, png, len))
		return sgd_error_set(err, SGD_ERR_PNG_INVALID, "not a png: %s",
				     image.message);
	image.format = PNG_FORMAT_RGBA;
	size = PNG_IMAGE_SIZE(image);
	img->rgba = malloc(size);
	if (!img->rgba) {
		png_image_free(&image);
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	}
	if (!png_image_finish_read(&image, NULL, img->rgba, 0, NULL)) {
		png_check_image_release(img);
		return sgd_error_set(err, SGD_ERR_PNG_INVALID,
				     "corrupt png: %s", image.message);
	}
	img->width = image.width;
	img->height = image.height;
	return SGD_OK;
}

static void put_u32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static unsigned long get_u32(const unsigned char *p)
{
	return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
	       ((unsigned long)p[2] << 8) | p[3];
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* Writes one text chunk at `p` (NULL: just measure); returns its size. */
static size_t text_chunk(unsigned char *p, const struct png_check_text *t)
{
	size_t kl = strlen(t->key), vl = strlen(t->value);
	int utf8 = !is_ascii(t->value);
	/* iTXt: key NUL, compression flag and method, empty language tag
	 * NUL, empty translated key NUL, text. */
	size_t data = kl + 1 + (utf8 ? 4 : 0) + vl;

	if (p) {
		unsigned char *d = p + 8;

		put_u32(p, data);
		memcpy(p + 4, utf8 ? "iTXt" : "tEXt", 4);
		memcpy(d, t->key, kl);
		d[kl] = 0;
		d += kl + 1;
		if (utf8) {
			memset(d, 0, 4);
			d += 4;
		}
		memcpy(d, t->value, vl);
		put_u32(p + 8 + data,
			crc32(crc32(0, Z_NULL, 0), p + 4, (uInt)(data + 4)));
	}
	return 12 + data;
}

enum sgd_status png_check_add_text(const void *png, size_t len,
				   const struct png_check_text *texts,
				   size_t count, unsigned char **out,
				   size_t *out_len, struct sgd_error *err)
{
	const unsigned char *in = png;
	size_t head, extra = 0, i;
	unsigned char *buf, *p;

	*out = NULL;
	/* Signature (8), then IHDR: length 13, type, data, CRC (25). */
	head = 8 + 25;
	if (len < head || memcmp(in, png_signature, 8) != 0 ||
	    get_u32(in + 8) != 13 || memcmp(in + 12, "IHDR", 4) != 0)
		return sgd_error_set(err, SGD_ERR_PNG_INVALID,
				     "not a png: no signature and header");
	for (i = 0; i < count; i++)
		extra += text_chunk(NULL, &texts[i]);
	buf = malloc(len + extra);
	if (!buf)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	memcpy(buf, in, head);
	p = buf + head;
	for (i = 0; i < count; i++)
		p += text_chunk(p, &texts[i]);
	memcpy(p, in + head, len - head);
	*out = buf;
	*out_len = len + extra;
	return SGD_OK;
}

/* libpng's default handlers print; errors here are values instead. */
static void quiet_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* Keeps libpng's message (its error pointer is our buffer) and jumps. */
static void keep_error(png_structp png, png_const_charp msg)
{
	char *buf = png_get_error_ptr(png);

	if (buf)
		snprintf(buf, 200, "%s", msg);
	png_longjmp(png, 1);
}

struct memory_source {
	const unsigned char *data;
	size_t len, pos;
};

static void read_from_memory(png_structp png, png_bytep out, size_t n)
{
	struct memory_source *src = png_get_io_ptr(png);

	if (n > src->len - src->pos)
		png_error(png, "unexpected end of data");
	memcpy(out, src->data + src->pos, n);
	src->pos += n;
}

/*
 * A libpng reader over `src` whose errors keep their message in `message`
 * (200 bytes) and jump; the caller sets the jump point.
 */
static enum sgd_status open_reader(struct memory_source *src, char *message,
				   png_structp *reader, png_infop *info,
				   struct sgd_error *err)
{
	*info = NULL;
	*reader = png_create_read_struct(PNG_LIBPNG_VER_STRING, message,
					 keep_error, quiet_warning);
	if (*reader)
		*info = png_create_info_struct(*reader);
	if (!*reader || !*info) {
		png_destroy_read_struct(reader, NULL, NULL);
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	}
	png_set_read_fn(*reader, src, read_from_memory);
	return SGD_OK;
}

enum sgd_status png_check_verify(const void *png, size_t len,
				 unsigned *width, unsigned *height,
				 struct sgd_error *err)
{
	struct memory_source src = { png, len, 0 };
	png_structp reader;
	png_infop info = NULL;
	/* Modified after setjmp, read after a longjmp: volatile. */
	png_bytep volatile row = NULL;
	volatile enum sgd_status status = SGD_OK;
	char message[200] = "not a png";
	int passes, pass;
	png_uint_32 y, h;

	if (open_reader(&src, message, &reader, &info, err))
		return err->status;
	if (setjmp(png_jmpbuf(reader))) {
		status = sgd_error_set(err, SGD_ERR_PNG_INVALID,
				       "%s png: %s",
				       src.pos <= 8 ? "not a" : "corrupt",
				       message);
		goto out;
	}
#ifdef PNG_IGNORE_ADLER32
	png_set_option(reader, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
	png_read_info(reader, info);
	*width = png_get_image_width(reader, info);
	*height = h = png_get_image_height(reader, info);
	passes = png_set_interlace_handling(reader);
	png_read_update_info(reader, info);
	row = malloc(png_get_rowbytes(reader, info));
	if (!row) {
		status = sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (pass = 0; pass < passes; pass++)
		for (y = 0; y < h; y++)
			png_read_row(reader, row, NULL);
	png_read_end(reader, NULL);
out:
	free(row);
	png_destroy_read_struct(&reader, &info, NULL);
	return status;
}

enum sgd_status png_check_get_text(const void *png, size_t len,
				   const char *key, char **value,
				   struct sgd_error *err)
{
	struct memory_source src = { png, len, 0 };
	png_structp reader;
	png_infop info = NULL;
	/* Modified after setjmp, read after a longjmp: volatile. */
	volatile enum sgd_status status = SGD_OK;
	char message[200] = "";
	png_textp texts;
	int count, i;

	*value = NULL;
	if (open_reader(&src, message, &reader, &info, err))
		return err->status;
	if (setjmp(png_jmpbuf(reader))) {
		status = sgd_error_set(err, SGD_ERR_PNG_INVALID,
				       "cannot read png text chunks: %s",
				       message);
		goto out;
	}
	png_read_info(reader, info);
	count = png_get_text(reader, info, &texts, NULL);
	for (i = 0; i < count; i++) {
		if (strcmp(texts[i].key, key) != 0)
			continue;
		*value = strdup(texts[i].text ? texts[i].text : "");
		if (!*value)
			status = sgd_error_set(err, SGD_ERR_NOMEM,
					       "out of memory");
		break;
	}
out:
	png_destroy_read_struct(&reader, &info, NULL);
	return status;
}
