#define _POSIX_C_SOURCE 200809L /* strdup */
#include "batch.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"

#define DEFAULTS_SECTION "defaults"
#define QUOTE_MAX 48 /* how much of a bad value a message repeats */

/* What the reader and the handler share while one file is parsed. */
struct parse_ctx {
	struct sgd_batch *batch;
	const char *path;       /* as the user named it, for messages */
	const char *text, *end; /* the file's bytes */
	const char *next;       /* where the reader goes on */
	int line;               /* the line last handed to inih */
	struct sgd_config defaults;
	int defaults_line;      /* line of [defaults], or 0 */
	struct sgd_config *current; /* the section being filled, or NULL */
	int in_defaults;
	int in_section;         /* a [section] header has been read */
	unsigned seen_keys;     /* keys given in the current section */
	int seen_line[16];      /* where each of them was given */
	size_t first_new;       /* batch->count before this file */
	struct sgd_error *err;
	int failed;
};

typedef int (*key_parser)(struct parse_ctx *ctx, struct sgd_config *config,
			  const char *key, const char *value);

struct key_spec {
	const char *name;
	key_parser parse;
	const char *expected; /* for "expected ..." in messages */
};

static int parse_lr(struct parse_ctx *, struct sgd_config *, const char *,
		    const char *);
static int parse_epochs(struct parse_ctx *, struct sgd_config *,
			const char *, const char *);
static int parse_init(struct parse_ctx *, struct sgd_config *, const char *,
		      const char *);
static int parse_curvature(struct parse_ctx *, struct sgd_config *,
			   const char *, const char *);
static int parse_center(struct parse_ctx *, struct sgd_config *,
			const char *, const char *);
static int parse_offset(struct parse_ctx *, struct sgd_config *,
			const char *, const char *);
static int parse_title(struct parse_ctx *, struct sgd_config *, const char *,
		       const char *);
static int parse_xrange(struct parse_ctx *, struct sgd_config *,
			const char *, const char *);
static int parse_yrange(struct parse_ctx *, struct sgd_config *,
			const char *, const char *);
static int parse_sweep(struct parse_ctx *, struct sgd_config *, const char *,
		       const char *);
static int parse_format(struct parse_ctx *, struct sgd_config *,
			const char *, const char *);
static int parse_size(struct parse_ctx *, struct sgd_config *, const char *,
		      const char *);
static int parse_style(struct parse_ctx *, struct sgd_config *, const char *,
		       const char *);

/* The keys, in the order batch_describe() writes them. */
static const struct key_spec keys[] = {
	{ "lr", parse_lr, "a finite number >= 0" },
	{ "epochs", parse_epochs, "a whole number from 1 to 1000000" },
	{ "init", parse_init, "a finite number" },
	{ "curvature", parse_curvature, "a finite number > 0" },
	{ "center", parse_center, "a number from -1e15 to 1e15" },
	{ "offset", parse_offset, "a finite number" },
	{ "title", parse_title,
	  "printable UTF-8 text of at most 200 bytes" },
	{ "xrange", parse_xrange, "'auto' or 'LO:HI' with finite LO < HI" },
	{ "yrange", parse_yrange, "'auto' or 'LO:HI' with finite LO < HI" },
	{ "format", parse_format, "'png', 'svg' or 'pdf'" },
	{ "size", parse_size,
	  "'WxH' in pixels from 200 to 8000, or 'WxHin' or 'WxHcm' (100 "
	  "pixels to the inch)" },
	{ "style", parse_style, "'sgdplot' or 'article'" },
	/* Last: handle_pair() finds it by its place. */
	{ "sweep", parse_sweep,
	  "'FROM:TO:COUNT' with 0 <= FROM < TO and COUNT from 2 to 100000" },
};
#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

/*
 * Copies `src` into `out` for a message: at most QUOTE_MAX bytes, bytes
 * that are not printable ASCII as \xNN, so a message never carries a
 * control character or broken UTF-8 to the terminal.
 */
static const char *quote_for_message(const char *src, size_t len,
				     char out[QUOTE_MAX * 4 + 4])
{
	size_t i, o = 0;

	for (i = 0; i < len && i < QUOTE_MAX; i++) {
		unsigned char ch = (unsigned char)src[i];

		if (ch >= 0x20 && ch < 0x7f) {
			out[o++] = (char)ch;
		} else {
			snprintf(out + o, 5, "\\x%02x", ch);
			o += 4;
		}
	}
	if (i < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

static int fail(struct parse_ctx *ctx, enum sgd_status status,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Records the first error of the file, prefixed with FILE:LINE. */
static int fail(struct parse_ctx *ctx, enum sgd_status status,
		const char *fmt, ...)
{
	char msg[SGD_ERROR_MSG_MAX];
	va_list ap;

	if (ctx->failed)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sgd_error_set(ctx->err, status, "%s:%d: %s", ctx->path, ctx->line, msg);
	ctx->failed = 1;
	return 0;
}

static int bad_value(struct parse_ctx *ctx, const char *key,
		     const char *expected, const char *value)
{
	char shown[QUOTE_MAX * 4 + 4];

	return fail(ctx, SGD_ERR_BATCH, "key '%s': expected %s, got '%s'", key,
		    expected, quote_for_message(value, strlen(value), shown));
}

static const struct key_spec *find_key(const char *name)
{
	size_t i;

	for (i = 0; i < KEY_COUNT; i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

/*
 * A plain decimal number: optional sign, digits with at most one point,
 * optional exponent.  strtod() alone would also take "nan", "inf", hex
 * floats and leading blanks, none of which belong in a batch file.
 */
static int is_plain_number(const char *s)
{
	int digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	while (*s >= '0' && *s <= '9')
		s++, digits++;
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9')
			s++, digits++;
	}
	if (!digits)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* Reads a finite double; 0 with no message when `s` is not one. */
static int read_finite(const char *s, double *out)
{
	char *end;
	double v;

	if (!is_plain_number(s))
		return 0;
	errno = 0;
	v = strtod(s, &end);
	/* ERANGE also flags underflow, which rounds to a usable value. */
	if (*end != '\0' || !isfinite(v))
		return 0;
	*out = v;
	return 1;
}

static const char *expected_of(const char *key)
{
	return find_key(key)->expected;
}

static int parse_lr(struct parse_ctx *ctx, struct sgd_config *config,
		    const char *key, const char *value)
{
	double v;

	if (!read_finite(value, &v) || v < 0)
		return bad_value(ctx, key, expected_of(key), value);
	config->lr = v;
	return 1;
}

static int parse_epochs(struct parse_ctx *ctx, struct sgd_config *config,
			const char *key, const char *value)
{
	const char *s = value;
	long v = 0;

	if (*s == '+')
		s++;
	if (!*s)
		return bad_value(ctx, key, expected_of(key), value);
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return bad_value(ctx, key, expected_of(key), value);
		/* Stop counting past the limit: no overflow, same message. */
		if (v <= SGD_EPOCHS_MAX)
			v = v * 10 + (*s - '0');
	}
	if (v < 1 || v > SGD_EPOCHS_MAX)
		return bad_value(ctx, key, expected_of(key), value);
	config->epochs = v;
	return 1;
}

static int parse_finite_into(struct parse_ctx *ctx, const char *key,
			     const char *value, double *out)
{
	if (!read_finite(value, out))
		return bad_value(ctx, key, expected_of(key), value);
	return 1;
}

static int parse_init(struct parse_ctx *ctx, struct sgd_config *config,
		      const char *key, const char *value)
{
	return parse_finite_into(ctx, key, value, &config->init);
}

static int parse_center(struct parse_ctx *ctx, struct sgd_config *config,
			const char *key, const char *value)
{
	double v;

	/* Beyond about 1e16, c - 2 and c + 2 round to c itself: the figure's
	 * window c +/- 2 would vanish and the curve overflow everywhere. */
	if (!read_finite(value, &v) || fabs(v) > 1e15)
		return bad_value(ctx, key, expected_of(key), value);
	config->center = v;
	return 1;
}

static int parse_offset(struct parse_ctx *ctx, struct sgd_config *config,
			const char *key, const char *value)
{
	return parse_finite_into(ctx, key, value, &config->offset);
}

static int parse_curvature(struct parse_ctx *ctx, struct sgd_config *config,
			   const char *key, const char *value)
{
	double v;

	if (!read_finite(value, &v) || !(v > 0))
		return bad_value(ctx, key, expected_of(key), value);
	config->curvature = v;
	return 1;
}

/* Length of the UTF-8 sequence at `s`, or 0 if it is not well formed. */
static size_t utf8_sequence(const unsigned char *s)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static int parse_title(struct parse_ctx *ctx, struct sgd_config *config,
		       const char *key, const char *value)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t len = strlen(value);

	if (len > SGD_TITLE_MAX)
		return bad_value(ctx, key, expected_of(key), value);
	while (*s) {
		size_t n = utf8_sequence(s);

		/* Control characters (C0, DEL and C1, U+0080-U+009F) would
		 * end a gnuplot command or garble the figure's text: refuse
		 * them rather than strip them. */
		if (!n || *s < 0x20 || *s == 0x7f ||
		    (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f))
			return bad_value(ctx, key, expected_of(key), value);
		s += n;
	}
	memcpy(config->title, value, len + 1);
	return 1;
}

static int parse_range(struct parse_ctx *ctx, const char *key,
		       const char *value, struct sgd_range *out)
{
	char buf[SGD_BATCH_LINE_MAX];
	char *colon;
	double lo, hi;

	if (!strcmp(value, "auto")) {
		out->is_auto = 1;
		return 1;
	}
	if (strlen(value) >= sizeof(buf))
		return bad_value(ctx, key, expected_of(key), value);
	memcpy(buf, value, strlen(value) + 1);
	colon = strchr(buf, ':');
	if (!colon)
		return bad_value(ctx, key, expected_of(key), value);
	*colon = '\0';
	if (!read_finite(buf, &lo) || !read_finite(colon + 1, &hi) ||
	    !(lo < hi))
		return bad_value(ctx, key, expected_of(key), value);
	out->is_auto = 0;
	out->lo = lo;
	out->hi = hi;
	return 1;
}

static int parse_xrange(struct parse_ctx *ctx, struct sgd_config *config,
			const char *key, const char *value)
{
	return parse_range(ctx, key, value, &config->xrange);
}

static int parse_yrange(struct parse_ctx *ctx, struct sgd_config *config,
			const char *key, const char *value)
{
	return parse_range(ctx, key, value, &config->yrange);
}

static const char *const format_names[] = { "png", "svg", "pdf" };

const char *batch_format_name(enum sgd_format format)
{
	return format_names[format];
}

int batch_format_parse(const char *text, enum sgd_format *format)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (!strcmp(text, format_names[i])) {
			*format = (enum sgd_format)i;
			return 1;
		}
	return 0;
}

static int parse_format(struct parse_ctx *ctx, struct sgd_config *config,
			const char *key, const char *value)
{
	if (!batch_format_parse(value, &config->format))
		return bad_value(ctx, key, expected_of(key), value);
	return 1;
}

static int parse_style(struct parse_ctx *ctx, struct sgd_config *config,
		       const char *key, const char *value)
{
	if (!strcmp(value, "sgdplot"))
		config->article_style = 0;
	else if (!strcmp(value, "article"))
		config->article_style = 1;
	else
		return bad_value(ctx, key, expected_of(key), value);
	return 1;
}

static int parse_size(struct parse_ctx *ctx, struct sgd_config *config,
		      const char *key, const char *value)
{
	char buf[64];
	char *x, *unit;
	double w, h, per = 1;
	size_t n = strlen(value);

	if (n >= sizeof(buf))
		return bad_value(ctx, key, expected_of(key), value);
	memcpy(buf, value, n + 1);
	if (n > 2 && (!strcmp(buf + n - 2, "in") || !strcmp(buf + n - 2, "cm"))) {
		unit = buf + n - 2;
		per = unit[0] == 'i' ? 100 : 100 / 2.54;
		*unit = '\0';
	}
	x = strchr(buf, 'x');
	if (!x)
		return bad_value(ctx, key, expected_of(key), value);
	*x = '\0';
	if (!read_finite(buf, &w) || !read_finite(x + 1, &h))
		return bad_value(ctx, key, expected_of(key), value);
	w = round(w * per);
	h = round(h * per);
	if (!(w >= SGD_SIZE_MIN && w <= SGD_SIZE_MAX && h >= SGD_SIZE_MIN &&
	      h <= SGD_SIZE_MAX))
		return bad_value(ctx, key, expected_of(key), value);
	config->width = (int)w;
	config->height = (int)h;
	return 1;
}

static int parse_sweep(struct parse_ctx *ctx, struct sgd_config *config,
		       const char *key, const char *value)
{
	char buf[SGD_BATCH_LINE_MAX];
	char *first, *second;
	const char *c;
	double from, to;
	long count = 0;

	if (strlen(value) >= sizeof(buf))
		return bad_value(ctx, key, expected_of(key), value);
	memcpy(buf, value, strlen(value) + 1);
	first = strchr(buf, ':');
	second = first ? strchr(first + 1, ':') : NULL;
	if (!second)
		return bad_value(ctx, key, expected_of(key), value);
	*first = *second = '\0';
	if (!read_finite(buf, &from) || !read_finite(first + 1, &to) ||
	    !(from >= 0) || !(from < to) || !second[1])
		return bad_value(ctx, key, expected_of(key), value);
	for (c = second + 1; *c; c++) {
		if (*c < '0' || *c > '9')
			return bad_value(ctx, key, expected_of(key), value);
		if (count <= SGD_SWEEP_MAX)
			count = count * 10 + (*c - '0');
	}
	if (count < 2 || count > SGD_SWEEP_MAX)
		return bad_value(ctx, key, expected_of(key), value);
	config->sweep.from = from;
	config->sweep.to = to;
	config->sweep.count = count;
	return 1;
}

/* Levenshtein distance, capped: enough to suggest a key for a typo. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[32];

	if (la >= 31 || lb >= 31)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static int unknown_key(struct parse_ctx *ctx, const char *name)
{
	char shown[QUOTE_MAX * 4 + 4];
	const char *best = NULL;
	size_t best_distance = 3, i;

	for (i = 0; i < KEY_COUNT; i++) {
		size_t d = edit_distance(name, keys[i].name);

		if (d < best_distance)
			best_distance = d, best = keys[i].name;
	}
	quote_for_message(name, strlen(name), shown);
	if (best)
		return fail(ctx, SGD_ERR_BATCH,
			    "unknown key '%s' (did you mean '%s'?)", shown,
			    best);
	return fail(ctx, SGD_ERR_BATCH,
		    "unknown key '%s' (known keys: lr, epochs, init, "
		    "curvature, center, offset, title, xrange, yrange, "
		    "format, size, style, sweep)",
		    shown);
}

static void config_set_defaults(struct sgd_config *config)
{
	memset(config, 0, sizeof(*config));
	config->lr = 0.05;
	config->epochs = 10;
	config->init = -1;
	config->curvature = 1;
	config->center = 1;
	config->offset = 0.5;
	config->xrange.is_auto = 1;
	config->yrange.is_auto = 1;
	config->format = SGD_FORMAT_PNG;
	config->width = 1000;
	config->height = 1000;
}

/* inih calls this for every "key = value" line. */
static int handle_pair(void *user, const char *section, const char *name,
		       const char *value)
{
	struct parse_ctx *ctx = user;
	const struct key_spec *spec;
	struct sgd_config *target;
	unsigned bit;

	/* The section comes from our reader: inih cuts long names short. */
	(void)section;
	if (ctx->failed)
		return 0;
	if (!ctx->in_section) {
		char shown[QUOTE_MAX * 4 + 4];

		return fail(ctx, SGD_ERR_BATCH,
			    "key '%s' outside any section (start a "
			    "configuration with [name] first)",
			    quote_for_message(name, strlen(name), shown));
	}
	spec = find_key(name);
	if (!spec)
		return unknown_key(ctx, name);
	bit = 1u << (spec - keys);
	if (ctx->seen_keys & bit)
		return fail(ctx, SGD_ERR_BATCH,
			    "key '%s' given twice in this section (first on "
			    "line %d)",
			    name, ctx->seen_line[spec - keys]);
	ctx->seen_keys |= bit;
	ctx->seen_line[spec - keys] = ctx->line;
	{
		unsigned lr_bit = 1u << 0, sweep_bit = 1u << (KEY_COUNT - 1);

		/* A sweep runs its own learning rates. */
		if ((ctx->seen_keys & lr_bit) && (ctx->seen_keys & sweep_bit))
			return fail(ctx, SGD_ERR_BATCH,
				    "key '%s': a section has 'lr' or 'sweep', "
				    "not both",
				    name);
	}
	target = ctx->in_defaults ? &ctx->defaults : ctx->current;
	return spec->parse(ctx, target, name, value);
}

static int is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
}

static struct sgd_config *find_config(struct sgd_batch *batch,
				      const char *name)
{
	size_t i;

	for (i = 0; i < batch->count; i++)
		if (!strcmp(batch->configs[i].name, name))
			return &batch->configs[i];
	return NULL;
}

/* Starts the section named by `name` (`len` bytes) on the current line. */
static int begin_section(struct parse_ctx *ctx, const char *name, size_t len)
{
	char shown[QUOTE_MAX * 4 + 4];
	struct sgd_config *config, *twin;
	size_t i;

	ctx->in_section = 1;
	ctx->seen_keys = 0;
	if (len == strlen(DEFAULTS_SECTION) &&
	    !memcmp(name, DEFAULTS_SECTION, len)) {
		if (ctx->defaults_line)
			return fail(ctx, SGD_ERR_BATCH,
				    "duplicate section 'defaults' (first on "
				    "line %d)",
				    ctx->defaults_line);
		ctx->defaults_line = ctx->line;
		ctx->in_defaults = 1;
		ctx->current = NULL;
		return 1;
	}
	ctx->in_defaults = 0;
	quote_for_message(name, len, shown);
	if (len == 0 || len > SGD_NAME_MAX || name[0] == '.')
		goto bad_name;
	/* The batch's charts have these names. */
	if ((len == 8 && !memcmp(name, "overview", 8)) ||
	    (len == 4 && !memcmp(name, "loss", 4)))
		return fail(ctx, SGD_ERR_BATCH,
			    "section name '%s' is taken by the batch's chart "
			    "%s.png: choose another",
			    shown, shown);
	for (i = 0; i < len; i++)
		if (!is_name_char(name[i]))
			goto bad_name;

	if (ctx->batch->count == ctx->batch->alloc) {
		size_t alloc = ctx->batch->alloc ? 2 * ctx->batch->alloc : 8;
		struct sgd_config *grown = realloc(
			ctx->batch->configs, alloc * sizeof(*grown));

		if (!grown)
			return fail(ctx, SGD_ERR_NOMEM, "out of memory");
		ctx->batch->configs = grown;
		ctx->batch->alloc = alloc;
	}
	config = &ctx->batch->configs[ctx->batch->count];
	*config = ctx->defaults;
	memcpy(config->name, name, len);
	config->name[len] = '\0';
	twin = find_config(ctx->batch, config->name);
	if (twin) {
		if (twin->file == ctx->path)
			return fail(ctx, SGD_ERR_BATCH,
				    "duplicate section '%s' (first on line %d)",
				    shown, twin->line);
		return fail(ctx, SGD_ERR_BATCH,
			    "section '%s' already defined at %s:%d (both would "
			    "write the same files)",
			    shown, twin->file, twin->line);
	}
	config->file = ctx->path;
	config->line = ctx->line;
	ctx->current = config;
	ctx->batch->count++;
	return 1;

bad_name:
	return fail(ctx, SGD_ERR_BATCH,
		    "section name '%s': expected 1 to %d letters, digits, "
		    "'.', '_' or '-', not starting with '.'",
		    shown, SGD_NAME_MAX);
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' ||
	       ch == '\f';
}

/*
 * inih's reader: hands over one line at a time from memory.  Reading the
 * lines ourselves lets us count them (this inih calls the handler without
 * a line number), refuse over-long lines (inih would split them and parse
 * the tail as a line of its own), and see [section] headers, which inih
 * does not report for sections without keys and truncates at 50 bytes.
 */
static char *read_line(char *str, int num, void *stream)
{
	struct parse_ctx *ctx = stream;
	const char *start = ctx->next, *eol, *s, *e;
	size_t len;

	if (ctx->failed || start >= ctx->end)
		return NULL;
	eol = memchr(start, '\n', (size_t)(ctx->end - start));
	eol = eol ? eol + 1 : ctx->end;
	len = (size_t)(eol - start);
	ctx->line++;
	ctx->next = eol;
	if (ctx->line == 1 && len >= 3 && !memcmp(start, "\xef\xbb\xbf", 3))
		start += 3, len -= 3;
	/* The limit counts the text, not its newline. */
	if (len - (eol[-1] == '\n') > SGD_BATCH_LINE_MAX ||
	    len + 1 > (size_t)num) {
		fail(ctx, SGD_ERR_BATCH, "line longer than %d bytes",
		     SGD_BATCH_LINE_MAX);
		return NULL;
	}
	memcpy(str, start, len);
	str[len] = '\0';

	/* A header is '[' after blanks, up to the first ']', as inih reads it;
	 * what follows the ']' inih ignores, and so do we. */
	for (s = start; s < eol && is_blank(*s); s++)
		;
	if (s < eol && *s == '[') {
		e = memchr(s, ']', (size_t)(eol - s));
		if (e && !begin_section(ctx, s + 1, (size_t)(e - s - 1)))
			return NULL;
	}
	return str;
}

static void configure_inih(void)
{
	/* This inih takes its options at run time, as process-wide settings;
	 * set them before every parse rather than trust a default. */
	ini_allow_multiline = 0;       /* an indented line is an error */
	ini_allow_inline_comments = 0; /* ';' in a title is text */
	ini_allow_bom = 0;             /* the reader drops a BOM itself */
	ini_allow_no_value = 0;
	ini_stop_on_first_error = 1;
	ini_use_stack = 0;
	ini_allow_realloc = 0;
	ini_max_line = SGD_BATCH_LINE_MAX + 3;
	ini_initial_alloc = SGD_BATCH_LINE_MAX + 3; /* the heap buffer */
}

static enum sgd_status remember_path(struct sgd_batch *batch,
				     const char *path, const char **kept,
				     struct sgd_error *err)
{
	char **grown = realloc(batch->files,
			       (batch->file_count + 1) * sizeof(*grown));

	if (!grown)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	batch->files = grown;
	grown[batch->file_count] = strdup(path);
	if (!grown[batch->file_count])
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	*kept = grown[batch->file_count++];
	return SGD_OK;
}

enum sgd_status batch_load_text(struct sgd_batch *batch, const char *path,
				const char *text, size_t len,
				struct sgd_error *err)
{
	struct parse_ctx ctx;
	const char *nul;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.batch = batch;
	ctx.text = text;
	ctx.next = text;
	ctx.end = text + len;
	ctx.err = err;
	ctx.first_new = batch->count;
	config_set_defaults(&ctx.defaults);
	if (remember_path(batch, path, &ctx.path, err))
		return err->status;

	nul = memchr(text, '\0', len);
	if (nul) {
		const char *s;

		ctx.line = 1;
		for (s = text; s < nul; s++)
			ctx.line += *s == '\n';
		fail(&ctx, SGD_ERR_BATCH,
		     "NUL byte: a batch file is text, not binary data");
		goto out;
	}

	configure_inih();
	rc = ini_parse_stream(read_line, &ctx, handle_pair, &ctx);
	if (ctx.failed)
		goto out;
	if (rc > 0) {
		ctx.line = rc;
		fail(&ctx, SGD_ERR_BATCH,
		     "expected '[name]' or 'key = value' (an indented line "
		     "does not continue the one before)");
		goto out;
	}
	if (rc < 0) {
		sgd_error_set(err, SGD_ERR_NOMEM, "%s: out of memory", path);
		ctx.failed = 1;
		goto out;
	}
	{
		size_t i;

		/* A sweep's cost is its rates times its epochs: bounded so
		 * that a batch cannot ask for hours of arithmetic. */
		for (i = ctx.first_new; i < batch->count; i++) {
			const struct sgd_config *c = &batch->configs[i];

			if (c->sweep.count &&
			    (double)c->sweep.count * (double)c->epochs >
				    SGD_SWEEP_STEPS_MAX) {
				ctx.line = c->line;
				fail(&ctx, SGD_ERR_BATCH,
				     "section '%s': a sweep of %ld learning "
				     "rates of %ld epochs is more than %.0f "
				     "steps; use fewer rates or epochs",
				     c->name, c->sweep.count, c->epochs,
				     SGD_SWEEP_STEPS_MAX);
				goto out;
			}
		}
	}
	if (batch->count == ctx.first_new) {
		sgd_error_set(err, SGD_ERR_BATCH,
			      "%s: no configurations: add a section such as "
			      "[case-1] with keys like 'lr = 0.1'",
			      path);
		ctx.failed = 1;
	}
out:
	if (ctx.failed) {
		batch->count = ctx.first_new;
		return err->status;
	}
	return SGD_OK;
}

enum sgd_status batch_load(struct sgd_batch *batch, const char *path,
			   struct sgd_error *err)
{
	FILE *fp;
	char *text = NULL;
	size_t len = 0, cap = 0;
	enum sgd_status status;
	int is_stdin = !strcmp(path, "-");

	/* "-" is standard input, named as messages name it. */
	if (is_stdin) {
		fp = stdin;
		path = BATCH_STDIN_NAME;
	} else {
		fp = fopen(path, "rb");
	}
	if (!fp)
		return sgd_error_errno(err, SGD_ERR_BATCH, errno,
				       "%s: cannot open batch file", path);
	for (;;) {
		size_t got;

		if (len == cap) {
			char *grown;

			if (cap >= (size_t)SGD_BATCH_SIZE_MAX) {
				status = sgd_error_set(
					err, SGD_ERR_BATCH,
					"%s: larger than %ld MiB: not a batch "
					"file",
					path, SGD_BATCH_SIZE_MAX >> 20);
				goto fail;
			}
			cap = cap ? 2 * cap : 65536;
			grown = realloc(text, cap);
			if (!grown) {
				status = sgd_error_set(err, SGD_ERR_NOMEM,
						       "%s: out of memory",
						       path);
				goto fail;
			}
			text = grown;
		}
		got = fread(text + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		status = sgd_error_errno(err, SGD_ERR_BATCH, errno,
					 "%s: cannot read batch file", path);
		goto fail;
	}
	if (!is_stdin)
		fclose(fp);
	fp = NULL;
	status = batch_load_text(batch, path, text, len, err);
fail:
	if (fp && !is_stdin)
		fclose(fp);
	free(text);
	return status;
}

void batch_init(struct sgd_batch *batch)
{
	memset(batch, 0, sizeof(*batch));
}

void batch_release(struct sgd_batch *batch)
{
	size_t i;

	if (!batch)
		return;
	for (i = 0; i < batch->file_count; i++)
		free(batch->files[i]);
	free(batch->files);
	free(batch->configs);
	batch_init(batch);
}

void batch_range_text(char *buf, size_t size, const struct sgd_range *range)
{
	char lo[NUMFMT_DOUBLE_MAX], hi[NUMFMT_DOUBLE_MAX];

	if (range->is_auto)
		snprintf(buf, size, "auto");
	else
		snprintf(buf, size, "%s:%s", numfmt_double(lo, range->lo),
			 numfmt_double(hi, range->hi));
}

size_t batch_describe(const struct sgd_config *config, char *buf, size_t size)
{
	char lr[NUMFMT_DOUBLE_MAX], init[NUMFMT_DOUBLE_MAX];
	char a[NUMFMT_DOUBLE_MAX], c[NUMFMT_DOUBLE_MAX], d[NUMFMT_DOUBLE_MAX];
	char xr[2 * NUMFMT_DOUBLE_MAX + 2], yr[2 * NUMFMT_DOUBLE_MAX + 2];
	int n;

	batch_range_text(xr, sizeof(xr), &config->xrange);
	batch_range_text(yr, sizeof(yr), &config->yrange);
	if (config->sweep.count) {
		char from[NUMFMT_DOUBLE_MAX], to[NUMFMT_DOUBLE_MAX];

		n = snprintf(buf, size,
			     "sweep=%s:%s:%ld\nepochs=%ld\ninit=%s\n"
			     "curvature=%s\ncenter=%s\noffset=%s\ntitle=%s\n"
			     "format=%s\nsize=%dx%d\n",
			     numfmt_double(from, config->sweep.from),
			     numfmt_double(to, config->sweep.to),
			     config->sweep.count, config->epochs,
			     numfmt_double(init, config->init),
			     numfmt_double(a, config->curvature),
			     numfmt_double(c, config->center),
			     numfmt_double(d, config->offset), config->title,
			     batch_format_name(config->format), config->width,
			     config->height);
		return n < 0 ? 0 : (size_t)n;
	}
	n = snprintf(buf, size,
		     "lr=%s\nepochs=%ld\ninit=%s\ncurvature=%s\ncenter=%s\n"
		     "offset=%s\ntitle=%s\nxrange=%s\nyrange=%s\n"
		     "format=%s\nsize=%dx%d\nstyle=%s\n",
		     numfmt_double(lr, config->lr), config->epochs,
		     numfmt_double(init, config->init),
		     numfmt_double(a, config->curvature),
		     numfmt_double(c, config->center),
		     numfmt_double(d, config->offset), config->title, xr, yr,
		     batch_format_name(config->format), config->width,
		     config->height,
		     config->article_style ? "article" : "sgdplot");
	return n < 0 ? 0 : (size_t)n;
}
