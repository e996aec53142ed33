/*
 * test_png_check.c - decoding PNGs and their provenance text chunks.
 *
 * The PNGs are made here with libpng's simplified write API, so every
 * test knows each pixel, then broken in known places: cut inside IDAT,
 * a flipped byte inside IDAT, random bytes.
 */
#include "helpers.h"

#include <png.h>

#include "png_check.h"

#define W 16
#define H 8

/* A known RGBA picture: every pixel different, some alpha. */
static void make_pixels(unsigned char px[W * H * 4])
{
	unsigned x, y;

	for (y = 0; y < H; y++) {
		for (x = 0; x < W; x++) {
			unsigned char *p = px + 4 * (y * W + x);

			p[0] = (unsigned char)(x * 16);
			p[1] = (unsigned char)(y * 32);
			p[2] = (unsigned char)((x * 7 + y * 13) & 0xff);
			p[3] = (unsigned char)(y == 0 ? 128 : 255);
		}
	}
}

/* Encodes the known picture; the caller frees *len bytes at the result. */
static unsigned char *make_png(size_t *len)
{
	unsigned char px[W * H * 4];
	png_image image;
	png_alloc_size_t size = 0;
	unsigned char *buf;

	make_pixels(px);
	memset(&image, 0, sizeof(image));
	image.version = PNG_IMAGE_VERSION;
	image.width = W;
	image.height = H;
	image.format = PNG_FORMAT_RGBA;
	cr_assert(png_image_write_get_memory_size(image, size, 0, px, 0, NULL),
		  "%s", image.message);
	buf = malloc(size);
	cr_assert_not_null(buf);
	cr_assert(png_image_write_to_memory(&image, buf, &size, 0, px, 0, NULL),
		  "%s", image.message);
	*len = size;
	return buf;
}

static unsigned long get_u32(const unsigned char *p)
{
	return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
	       ((unsigned long)p[2] << 8) | p[3];
}

/*
 * Finds chunk `type` and returns the offset of its length field, or 0.
 * *data_len gets the length of its data.
 */
static size_t find_chunk(const unsigned char *png, size_t len,
			 const char *type, size_t *data_len)
{
	size_t off = 8;

	while (off + 12 <= len) {
		size_t n = get_u32(png + off);

		if (!memcmp(png + off + 4, type, 4)) {
			if (data_len)
				*data_len = n;
			return off;
		}
		off += 12 + n;
	}
	return 0;
}

static int count_chunks(const unsigned char *png, size_t len,
			const char *type)
{
	size_t off = 8;
	int n = 0;

	while (off + 12 <= len) {
		if (!memcmp(png + off + 4, type, 4))
			n++;
		off += 12 + get_u32(png + off);
	}
	return n;
}

static void expect_known_pixels(const struct png_check_image *img)
{
	unsigned char px[W * H * 4];

	make_pixels(px);
	cr_expect_eq(img->width, W);
	cr_expect_eq(img->height, H);
	cr_assert_not_null(img->rgba);
	cr_expect(!memcmp(img->rgba, px, sizeof(px)), "pixels differ");
}

/* ---- decoding --------------------------------------------------------- */

Test(png_check, decode_gives_width_height_and_pixels)
{
	size_t len;
	unsigned char *png = make_png(&len);
	struct png_check_image img;
	struct sgd_error err;

	png_check_image_init(&img);
	cr_assert_eq(png_check_decode(png, len, &img, &err), SGD_OK, "%s",
		     err.msg);
	expect_known_pixels(&img);
	/* Spot checks, rows top down. */
	cr_expect_eq(img.rgba[0], 0);
	cr_expect_eq(img.rgba[3], 128);
	cr_expect_eq(img.rgba[4 * (W * 2 + 3) + 0], 48);
	cr_expect_eq(img.rgba[4 * (W * 2 + 3) + 1], 64);
	cr_expect_eq(img.rgba[4 * (W * 2 + 3) + 3], 255);
	png_check_image_release(&img);
	cr_expect_null(img.rgba);
	cr_expect_eq(img.width, 0);
	png_check_image_release(NULL);
	free(png);
}

Test(png_check, truncated_inside_idat_is_invalid)
{
	size_t len, idat_len;
	unsigned char *png = make_png(&len);
	size_t idat = find_chunk(png, len, "IDAT", &idat_len);
	struct png_check_image img;
	struct sgd_error err;

	cr_assert_gt(idat, 0);
	cr_assert_gt(idat_len, 4);
	png_check_image_init(&img);
	sgd_error_init(&err);
	cr_expect_eq(png_check_decode(png, idat + 8 + idat_len / 2, &img, &err),
		     SGD_ERR_PNG_INVALID);
	cr_expect_eq(err.status, SGD_ERR_PNG_INVALID);
	cr_expect_neq(err.msg[0], '\0');
	cr_expect_null(img.rgba, "no pixels on failure");
	png_check_image_release(&img);
	free(png);
}

Test(png_check, truncated_anywhere_before_iend_is_invalid)
{
	size_t len, cut;
	unsigned char *png = make_png(&len);
	size_t iend = find_chunk(png, len, "IEND", NULL);

	/* Every prefix that loses image data or an IDAT CRC.  (A cut inside
	 * the final 12-byte IEND chunk leaves every pixel decodable; libpng's
	 * simplified reader does not insist on IEND.) */
	cr_assert_eq(iend, len - 12);
	for (cut = 0; cut < iend; cut++) {
		struct png_check_image img;
		struct sgd_error err;

		png_check_image_init(&img);
		sgd_error_init(&err);
		cr_expect_eq(png_check_decode(png, cut, &img, &err),
			     SGD_ERR_PNG_INVALID, "cut at %zu of %zu", cut,
			     len);
		cr_expect_null(img.rgba);
		png_check_image_release(&img);
	}
	free(png);
}

Test(png_check, random_bytes_are_invalid)
{
	unsigned char junk[512];
	unsigned state = 12345;
	struct png_check_image img;
	struct sgd_error err;
	size_t i;

	for (i = 0; i < sizeof(junk); i++) {
		state = state * 1103515245u + 12345u;
		junk[i] = (unsigned char)(state >> 16);
	}
	png_check_image_init(&img);
	sgd_error_init(&err);
	cr_expect_eq(png_check_decode(junk, sizeof(junk), &img, &err),
		     SGD_ERR_PNG_INVALID);
	cr_expect_not_null(strstr(err.msg, "not a png"), "%s", err.msg);
	cr_expect_eq(png_check_decode("", 0, &img, &err), SGD_ERR_PNG_INVALID);
	cr_expect_eq(png_check_decode("GIF89a", 6, &img, &err),
		     SGD_ERR_PNG_INVALID);
	png_check_image_release(&img);
}

Test(png_check, flipped_byte_inside_idat_is_invalid)
{
	size_t len, idat_len, i;
	unsigned char *png = make_png(&len);
	size_t idat = find_chunk(png, len, "IDAT", &idat_len);

	cr_assert_gt(idat, 0);
	/* The first, middle and last data bytes of IDAT, one at a time. */
	for (i = 0; i < 3; i++) {
		size_t at = idat + 8 +
			    (i == 0 ? 0 : i == 1 ? idat_len / 2 : idat_len - 1);
		unsigned char *bad = malloc(len);
		struct png_check_image img;
		struct sgd_error err;

		cr_assert_not_null(bad);
		memcpy(bad, png, len);
		bad[at] ^= 0x01;
		png_check_image_init(&img);
		sgd_error_init(&err);
		cr_expect_eq(png_check_decode(bad, len, &img, &err),
			     SGD_ERR_PNG_INVALID, "flip at offset %zu", at);
		cr_expect_null(img.rgba);
		png_check_image_release(&img);
		free(bad);
	}
	free(png);
}

/* ---- text chunks -------------------------------------------------------- */

static const char utf8_theta[] = "\xce\xb8 = 1"; /* "θ = 1" */

/* The test PNG with two text chunks; the caller frees the result. */
static unsigned char *tagged_png(size_t *out_len)
{
	size_t len;
	unsigned char *png = make_png(&len), *out = NULL;
	const struct png_check_text texts[] = {
		{ "Software", "sgdplot 1.0" },
		{ "Title", utf8_theta },
	};
	struct sgd_error err;

	cr_assert_eq(png_check_add_text(png, len, texts, 2, &out, out_len,
					&err),
		     SGD_OK, "%s", err.msg);
	cr_assert_not_null(out);
	free(png);
	return out;
}

Test(png_check, add_text_round_trips_ascii_as_text_and_utf8_as_itxt)
{
	size_t len;
	unsigned char *png = tagged_png(&len);
	struct sgd_error err;
	char *value = NULL;

	cr_expect_eq(count_chunks(png, len, "tEXt"), 1);
	cr_expect_eq(count_chunks(png, len, "iTXt"), 1);

	cr_assert_eq(png_check_get_text(png, len, "Software", &value, &err),
		     SGD_OK, "%s", err.msg);
	cr_expect_str_eq(value, "sgdplot 1.0");
	free(value);

	cr_assert_eq(png_check_get_text(png, len, "Title", &value, &err),
		     SGD_OK, "%s", err.msg);
	cr_expect_str_eq(value, utf8_theta);
	free(value);
	free(png);
}

Test(png_check, add_text_puts_chunks_right_after_ihdr)
{
	size_t len, plain_len, n;
	unsigned char *png = tagged_png(&len);
	unsigned char *plain = make_png(&plain_len);

	cr_expect_eq(find_chunk(png, len, "IHDR", &n), 8);
	cr_expect_eq(n, 13);
	cr_expect_eq(find_chunk(png, len, "tEXt", NULL), 8 + 25);
	cr_expect_lt(find_chunk(png, len, "iTXt", NULL),
		     find_chunk(png, len, "IDAT", NULL));
	/* The rest is the original, byte for byte: not re-encoded. */
	cr_expect_gt(len, plain_len);
	cr_expect(!memcmp(png, plain, 33));
	cr_expect(!memcmp(png + len - (plain_len - 33), plain + 33,
			  plain_len - 33));
	free(plain);
	free(png);
}

Test(png_check, tagged_png_decodes_to_identical_pixels)
{
	size_t len, plain_len;
	unsigned char *png = tagged_png(&len);
	unsigned char *plain = make_png(&plain_len);
	struct png_check_image a, b;
	struct sgd_error err;

	png_check_image_init(&a);
	png_check_image_init(&b);
	cr_assert_eq(png_check_decode(png, len, &a, &err), SGD_OK, "%s",
		     err.msg);
	cr_assert_eq(png_check_decode(plain, plain_len, &b, &err), SGD_OK,
		     "%s", err.msg);
	expect_known_pixels(&a);
	cr_expect_eq(a.width, b.width);
	cr_expect_eq(a.height, b.height);
	cr_expect(!memcmp(a.rgba, b.rgba, (size_t)W * H * 4));
	png_check_image_release(&a);
	png_check_image_release(&b);
	free(plain);
	free(png);
}

Test(png_check, get_text_of_a_missing_key_gives_null)
{
	size_t len, plain_len;
	unsigned char *png = tagged_png(&len);
	unsigned char *plain = make_png(&plain_len);
	struct sgd_error err;
	char *value = (char *)1;

	cr_expect_eq(png_check_get_text(png, len, "Comment", &value, &err),
		     SGD_OK, "%s", err.msg);
	cr_expect_null(value);
	value = (char *)1;
	cr_expect_eq(png_check_get_text(png, len, "title", &value, &err),
		     SGD_OK, "keys are case-sensitive");
	cr_expect_null(value);
	value = (char *)1;
	cr_expect_eq(png_check_get_text(plain, plain_len, "Title", &value,
					&err),
		     SGD_OK, "%s", err.msg);
	cr_expect_null(value);
	free(plain);
	free(png);
}

Test(png_check, get_text_of_non_png_is_invalid)
{
	struct sgd_error err;
	char *value = (char *)1;

	sgd_error_init(&err);
	cr_expect_eq(png_check_get_text("hello, world", 12, "Title", &value,
					&err),
		     SGD_ERR_PNG_INVALID);
	cr_expect_null(value);
}

Test(png_check, add_text_with_no_texts_copies_the_png)
{
	size_t len, out_len = 0;
	unsigned char *png = make_png(&len), *out = NULL;
	struct sgd_error err;

	cr_assert_eq(png_check_add_text(png, len, NULL, 0, &out, &out_len,
					&err),
		     SGD_OK, "%s", err.msg);
	cr_expect_eq(out_len, len);
	cr_expect(!memcmp(out, png, len));
	free(out);
	free(png);
}

Test(png_check, add_text_keeps_long_multiline_values)
{
	size_t len, out_len;
	unsigned char *png = make_png(&len), *out = NULL;
	char big[3000];
	const struct png_check_text text = { "Description", big };
	struct sgd_error err;
	char *value = NULL;

	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[10] = '\n';
	cr_assert_eq(png_check_add_text(png, len, &text, 1, &out, &out_len,
					&err),
		     SGD_OK);
	cr_assert_eq(png_check_get_text(out, out_len, "Description", &value,
					&err),
		     SGD_OK, "%s", err.msg);
	cr_expect_str_eq(value, big);
	free(value);
	free(out);
	free(png);
}

Test(png_check, add_text_refuses_non_png_input)
{
	size_t len;
	unsigned char *png = make_png(&len), *out = (unsigned char *)1;
	unsigned char *bad = malloc(len);
	const struct png_check_text text = { "Software", "sgdplot" };
	struct sgd_error err;
	size_t out_len = 0;

	cr_assert_not_null(bad);
	sgd_error_init(&err);
	cr_expect_eq(png_check_add_text("not a png at all, just some text",
					32, &text, 1, &out, &out_len, &err),
		     SGD_ERR_PNG_INVALID);
	cr_expect_null(out);
	cr_expect_not_null(strstr(err.msg, "not a png"), "%s", err.msg);

	/* Too short to hold signature and IHDR. */
	cr_expect_eq(png_check_add_text(png, 20, &text, 1, &out, &out_len,
					&err),
		     SGD_ERR_PNG_INVALID);
	cr_expect_eq(png_check_add_text(png, 0, &text, 1, &out, &out_len,
					&err),
		     SGD_ERR_PNG_INVALID);

	/* Signature right, first chunk not IHDR. */
	memcpy(bad, png, len);
	memcpy(bad + 12, "IHDX", 4);
	cr_expect_eq(png_check_add_text(bad, len, &text, 1, &out, &out_len,
					&err),
		     SGD_ERR_PNG_INVALID);

	/* One signature byte wrong. */
	memcpy(bad, png, len);
	bad[1] = 'p';
	cr_expect_eq(png_check_add_text(bad, len, &text, 1, &out, &out_len,
					&err),
		     SGD_ERR_PNG_INVALID);
	cr_expect_null(out);
	free(bad);
	free(png);
}

/* ---- nothing but main prints (STYLE.md, "Errors are values") ---------- */

/* Sends file descriptor 2 to a scratch file until stderr_end(). */
struct stderr_capture {
	char path[64];
	int saved, fd;
};

static void stderr_begin(struct stderr_capture *c)
{
	snprintf(c->path, sizeof(c->path), "/tmp/sgdplot-stderr.XXXXXX");
	c->fd = mkstemp(c->path);
	cr_assert_geq(c->fd, 0);
	fflush(stderr);
	c->saved = dup(2);
	cr_assert_geq(c->saved, 0);
	cr_assert_geq(dup2(c->fd, 2), 0);
}

/* Restores stderr and returns what was written to it (caller frees). */
static char *stderr_end(struct stderr_capture *c)
{
	char *text;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	close(c->fd);
	text = read_text(c->path, NULL);
	unlink(c->path);
	cr_assert_not_null(text);
	return text;
}

Test(png_check, decode_of_bad_input_writes_nothing_to_stderr)
{
	size_t len, idat_len;
	unsigned char *png = make_png(&len);
	size_t idat = find_chunk(png, len, "IDAT", &idat_len);
	struct stderr_capture cap;
	struct png_check_image img;
	struct sgd_error err;
	enum sgd_status junk, cut;
	char *said;

	png_check_image_init(&img);
	stderr_begin(&cap);
	junk = png_check_decode("hello, world", 12, &img, &err);
	cut = png_check_decode(png, idat + 8 + idat_len / 2, &img, &err);
	said = stderr_end(&cap);
	cr_expect_eq(junk, SGD_ERR_PNG_INVALID);
	cr_expect_eq(cut, SGD_ERR_PNG_INVALID);
	cr_expect_str_eq(said, "", "png_check wrote to stderr: %s", said);
	free(said);
	free(png);
}

Test(png_check, get_text_of_bad_input_writes_nothing_to_stderr)
{
	struct stderr_capture cap;
	struct sgd_error err;
	enum sgd_status status;
	char *value = NULL, *said;

	/* The failure belongs in err.msg for main to report, not on
	 * stderr: libpng's default error handler prints it unless the
	 * read struct is given an error and a warning function. */
	stderr_begin(&cap);
	status = png_check_get_text("hello, world", 12, "Title", &value, &err);
	said = stderr_end(&cap);
	cr_expect_eq(status, SGD_ERR_PNG_INVALID);
	cr_expect_str_eq(said, "", "png_check wrote to stderr: %s", said);
	free(said);
}
