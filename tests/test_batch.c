/*
 * test_batch.c - batch files: defaults, every key, every way to get one wrong.
 *
 * Tables in the style of curl's unit1394.c: each row is an input and what
 * the parser must make of it.  Every error row checks the status, the
 * "FILE:LINE: " prefix and a piece of the message; some rows check the
 * whole message, "FILE:LINE: key 'KEY': expected ..., got '...'".
 */
#include "helpers.h"

#include <math.h>

#include "batch.h"

#define PATH "t.ini"

/* The "expected ..." texts of batch.c's key table, as a user reads them. */
#define EXP_LR "a finite number >= 0"
#define EXP_EPOCHS "a whole number from 1 to 1000000"
#define EXP_FINITE "a finite number"
#define EXP_CENTER "a number from -1e15 to 1e15"
#define EXP_CURVATURE "a finite number > 0"
#define EXP_TITLE "printable UTF-8 text of at most 200 bytes"
#define EXP_RANGE "'auto' or 'LO:HI' with finite LO < HI"

static enum sgd_status load_len(struct sgd_batch *b, const char *text,
				size_t len, struct sgd_error *err)
{
	sgd_error_init(err);
	return batch_load_text(b, PATH, text, len, err);
}

static enum sgd_status load(struct sgd_batch *b, const char *text,
			    struct sgd_error *err)
{
	return load_len(b, text, strlen(text), err);
}

/* Loads `text`, which must define exactly one configuration, and copies it. */
static struct sgd_config load_one(const char *text)
{
	struct sgd_batch b;
	struct sgd_error err;
	struct sgd_config c;

	batch_init(&b);
	cr_assert_eq(load(&b, text, &err), SGD_OK, "text <<%s>>: %s", text,
		     err.msg);
	cr_assert_eq(b.count, 1, "text <<%s>>: %zu configurations", text,
		     b.count);
	c = b.configs[0];
	c.file = NULL; /* owned by the batch, gone after release */
	batch_release(&b);
	return c;
}

/*
 * Loads `len` bytes that must fail with `status`, a message starting
 * "t.ini:LINE: " (or "t.ini: " for line 0) and holding `expect`, and no
 * configuration added.  Returns nothing: uses cr_expect, so a table
 * reports every bad row, not just the first.
 */
static void expect_error_len(const char *label, const char *text, size_t len,
			     int line, const char *expect,
			     enum sgd_status status)
{
	struct sgd_batch b;
	struct sgd_error err;
	enum sgd_status got;
	char prefix[64];

	batch_init(&b);
	got = load_len(&b, text, len, &err);
	if (line > 0)
		snprintf(prefix, sizeof(prefix), PATH ":%d: ", line);
	else
		snprintf(prefix, sizeof(prefix), PATH ": ");
	cr_expect_eq(got, status, "[%s] status %d, want %d; message: %s",
		     label, got, status, err.msg);
	cr_expect_eq(err.status, status, "[%s] err.status %d, want %d", label,
		     err.status, status);
	cr_expect(!strncmp(err.msg, prefix, strlen(prefix)),
		  "[%s] message '%s' does not start with '%s'", label, err.msg,
		  prefix);
	cr_expect_not_null(strstr(err.msg, expect),
			   "[%s] message '%s' lacks '%s'", label, err.msg,
			   expect);
	cr_expect_eq(b.count, 0, "[%s] %zu configurations added", label,
		     b.count);
	batch_release(&b);
}

static void expect_error(const char *text, int line, const char *expect,
			 enum sgd_status status)
{
	expect_error_len(text, text, strlen(text), line, expect, status);
}

/* The whole message must be `message`. */
static void expect_message(const char *text, const char *message)
{
	struct sgd_batch b;
	struct sgd_error err;

	batch_init(&b);
	cr_expect_eq(load(&b, text, &err), SGD_ERR_BATCH, "<<%s>>", text);
	cr_expect_str_eq(err.msg, message, "<<%s>>", text);
	batch_release(&b);
}

/* ---- defaults ---------------------------------------------------------- */

static void expect_defaults(const struct sgd_config *c)
{
	cr_expect_eq(c->lr, 0.05);
	cr_expect_eq(c->epochs, 10);
	cr_expect_eq(c->init, -1.0);
	cr_expect_eq(c->curvature, 1.0);
	cr_expect_eq(c->center, 1.0);
	cr_expect_eq(c->offset, 0.5);
	cr_expect_str_eq(c->title, "");
	cr_expect(c->xrange.is_auto);
	cr_expect(c->yrange.is_auto);
}

Test(batch, section_without_keys_is_a_configuration_with_defaults)
{
	struct sgd_config c = load_one("[case-1]\n");

	cr_expect_str_eq(c.name, "case-1");
	expect_defaults(&c);
}

Test(batch, applies_article_defaults_to_unset_keys)
{
	struct sgd_config c = load_one("[a]\ntitle = only this\n");

	cr_expect_str_eq(c.title, "only this");
	cr_expect_eq(c.lr, 0.05);
	cr_expect_eq(c.epochs, 10);
	cr_expect_eq(c.init, -1.0);
	cr_expect_eq(c.curvature, 1.0);
	cr_expect_eq(c.center, 1.0);
	cr_expect_eq(c.offset, 0.5);
	cr_expect(c.xrange.is_auto);
	cr_expect(c.yrange.is_auto);
}

Test(batch, records_file_and_header_line)
{
	struct sgd_batch b;
	struct sgd_error err;

	batch_init(&b);
	cr_assert_eq(load(&b, "; two runs\n\n[a]\nlr = 0.1\n\n[b]\n", &err),
		     SGD_OK, "%s", err.msg);
	cr_assert_eq(b.count, 2);
	cr_expect_str_eq(b.configs[0].name, "a");
	cr_expect_str_eq(b.configs[0].file, PATH);
	cr_expect_eq(b.configs[0].line, 3);
	cr_expect_str_eq(b.configs[1].name, "b");
	cr_expect_eq(b.configs[1].line, 6);
	cr_expect_eq(b.configs[0].lr, 0.1);
	cr_expect_eq(b.configs[1].lr, 0.05);
	batch_release(&b);
}

Test(batch, defaults_section_applies_to_sections_after_it)
{
	struct sgd_batch b;
	struct sgd_error err;
	const char *text = "[before]\n"
			   "[defaults]\n"
			   "lr = 0.2\n"
			   "epochs = 20\n"
			   "title = shared\n"
			   "yrange = 0:5\n"
			   "[after]\n"
			   "[own]\n"
			   "lr = 0.3\n"
			   "title = mine\n";

	batch_init(&b);
	cr_assert_eq(load(&b, text, &err), SGD_OK, "%s", err.msg);
	cr_assert_eq(b.count, 3, "'defaults' must not be a configuration");
	cr_expect_str_eq(b.configs[0].name, "before");
	expect_defaults(&b.configs[0]);

	cr_expect_str_eq(b.configs[1].name, "after");
	cr_expect_eq(b.configs[1].lr, 0.2);
	cr_expect_eq(b.configs[1].epochs, 20);
	cr_expect_str_eq(b.configs[1].title, "shared");
	cr_expect(!b.configs[1].yrange.is_auto);
	cr_expect_eq(b.configs[1].yrange.lo, 0.0);
	cr_expect_eq(b.configs[1].yrange.hi, 5.0);
	cr_expect_eq(b.configs[1].init, -1.0);

	cr_expect_str_eq(b.configs[2].name, "own");
	cr_expect_eq(b.configs[2].lr, 0.3);
	cr_expect_eq(b.configs[2].epochs, 20);
	cr_expect_str_eq(b.configs[2].title, "mine");
	batch_release(&b);
}

Test(batch, section_named_defaults_is_not_a_configuration)
{
	struct sgd_config c =
		load_one("[defaults]\ncurvature = 2\n[x]\n");

	cr_expect_str_eq(c.name, "x");
	cr_expect_eq(c.curvature, 2.0);
	expect_error("[defaults]\nlr = 0.2\n", 0, "no configurations",
		     SGD_ERR_BATCH);
}

Test(batch, defaults_do_not_carry_over_to_the_next_file)
{
	struct sgd_batch b;
	struct sgd_error err;

	batch_init(&b);
	cr_assert_eq(load(&b, "[defaults]\nlr = 0.7\n[a]\n", &err), SGD_OK,
		     "%s", err.msg);
	cr_assert_eq(batch_load_text(&b, "u.ini", "[b]\n", 4, &err), SGD_OK,
		     "%s", err.msg);
	cr_assert_eq(b.count, 2);
	cr_expect_eq(b.configs[0].lr, 0.7);
	cr_expect_eq(b.configs[1].lr, 0.05);
	batch_release(&b);
}

/* ---- every key, parsed ----------------------------------------------- */

struct number_row {
	const char *key;
	const char *value; /* as written after "KEY =" */
	double want;
};

static const struct number_row good_numbers[] = {
	{ "lr", "0", 0.0 },
	{ "lr", "0.33", 0.33 },
	{ "lr", "1.87", 1.87 },
	{ "lr", "+2.18", 2.18 },
	{ "lr", "5.", 5.0 },
	{ "lr", ".5", 0.5 },
	{ "lr", "1e-3", 0.001 },
	{ "lr", "2E+1", 20.0 },
	{ "lr", "   0.25   ", 0.25 }, /* inih trims both ends */
	{ "lr", "1e-400", 0.0 },      /* underflow rounds to a usable 0 */
	{ "init", "-3.25", -3.25 },
	{ "init", "0", 0.0 },
	{ "init", "1e300", 1e300 },
	{ "init", "-1e-320", -1e-320 }, /* subnormal, still finite */
	{ "curvature", "2.5", 2.5 },
	{ "curvature", "1e-300", 1e-300 },
	{ "center", "-0.001", -0.001 },
	{ "center", "7", 7.0 },
	{ "center", "-1e15", -1e15 },
	{ "offset", "-0.5", -0.5 },
	{ "offset", "0", 0.0 },
};

Test(batch, parses_every_numeric_key)
{
	size_t i;

	for (i = 0; i < sizeof(good_numbers) / sizeof(good_numbers[0]); i++) {
		const struct number_row *r = &good_numbers[i];
		char text[256];
		struct sgd_config c;
		double got;

		snprintf(text, sizeof(text), "[a]\n%s =%s\n", r->key, r->value);
		c = load_one(text);
		if (!strcmp(r->key, "lr"))
			got = c.lr;
		else if (!strcmp(r->key, "init"))
			got = c.init;
		else if (!strcmp(r->key, "curvature"))
			got = c.curvature;
		else if (!strcmp(r->key, "center"))
			got = c.center;
		else
			got = c.offset;
		cr_expect_eq(got, r->want, "%s =%s: got %.17g, want %.17g",
			     r->key, r->value, got, r->want);
	}
}

Test(batch, parses_epochs)
{
	static const struct {
		const char *value;
		long want;
	} rows[] = {
		{ "1", 1 }, { "10", 10 }, { "+7", 7 }, { "0010", 10 },
		{ "1000000", 1000000 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char text[128];
		struct sgd_config c;

		snprintf(text, sizeof(text), "[a]\nepochs = %s\n",
			 rows[i].value);
		c = load_one(text);
		cr_expect_eq(c.epochs, rows[i].want, "epochs = %s: got %ld",
			     rows[i].value, c.epochs);
	}
}

Test(batch, parses_every_key_in_one_section)
{
	struct sgd_config c = load_one("[all-keys]\n"
				       "lr = 0.33\n"
				       "epochs = 25\n"
				       "init = 2.5\n"
				       "curvature = 3\n"
				       "center = -1\n"
				       "offset = 4\n"
				       "title = every key\n"
				       "xrange = -2:3.5\n"
				       "yrange = 0:1e3\n");

	cr_expect_eq(c.lr, 0.33);
	cr_expect_eq(c.epochs, 25);
	cr_expect_eq(c.init, 2.5);
	cr_expect_eq(c.curvature, 3.0);
	cr_expect_eq(c.center, -1.0);
	cr_expect_eq(c.offset, 4.0);
	cr_expect_str_eq(c.title, "every key");
	cr_expect(!c.xrange.is_auto);
	cr_expect_eq(c.xrange.lo, -2.0);
	cr_expect_eq(c.xrange.hi, 3.5);
	cr_expect(!c.yrange.is_auto);
	cr_expect_eq(c.yrange.lo, 0.0);
	cr_expect_eq(c.yrange.hi, 1000.0);
}

Test(batch, parses_ranges_lo_hi_and_auto)
{
	static const struct {
		const char *value;
		int is_auto;
		double lo, hi;
	} rows[] = {
		{ "auto", 1, 0, 0 },
		{ "-1:3", 0, -1, 3 },
		{ "-2.5:-1", 0, -2.5, -1 },
		{ "1e-3:2e-3", 0, 0.001, 0.002 },
		{ "+0:.5", 0, 0, 0.5 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char text[128];
		struct sgd_config c;

		snprintf(text, sizeof(text), "[a]\nxrange = %s\nyrange = %s\n",
			 rows[i].value, rows[i].value);
		c = load_one(text);
		cr_expect_eq(c.xrange.is_auto, rows[i].is_auto, "%s",
			     rows[i].value);
		cr_expect_eq(c.yrange.is_auto, rows[i].is_auto, "%s",
			     rows[i].value);
		if (!rows[i].is_auto) {
			cr_expect_eq(c.xrange.lo, rows[i].lo, "%s",
				     rows[i].value);
			cr_expect_eq(c.xrange.hi, rows[i].hi, "%s",
				     rows[i].value);
			cr_expect_eq(c.yrange.lo, rows[i].lo, "%s",
				     rows[i].value);
			cr_expect_eq(c.yrange.hi, rows[i].hi, "%s",
				     rows[i].value);
		}
	}
}

Test(batch, range_auto_overrides_a_range_from_defaults)
{
	struct sgd_config c =
		load_one("[defaults]\nxrange = 0:1\n[a]\nxrange = auto\n");

	cr_expect(c.xrange.is_auto);
}

/* ---- bad values -------------------------------------------------------- */

/* Wrong for every number key: not a plain finite decimal. */
static const char *const bad_numbers[] = {
	"",      "abc",  "0.1x", "1..2", "nan",   "NaN", "inf", "-inf",
	"Infinity", "1e999", "-1e999", "0x10", "1e", "-", ".", "1 2",
	"1,5",   "e5",   "--1",  "1e+",
};

static const struct {
	const char *key;
	const char *expected;
} number_keys[] = {
	{ "lr", EXP_LR },
	{ "epochs", EXP_EPOCHS },
	{ "init", EXP_FINITE },
	{ "curvature", EXP_CURVATURE },
	{ "center", EXP_CENTER },
	{ "offset", EXP_FINITE },
};

/* Every row here is printable, so the whole message is predictable. */
Test(batch, rejects_non_numbers_for_every_numeric_key)
{
	size_t k, v;

	for (k = 0; k < sizeof(number_keys) / sizeof(number_keys[0]); k++) {
		for (v = 0; v < sizeof(bad_numbers) / sizeof(bad_numbers[0]);
		     v++) {
			char text[256], message[512];

			snprintf(text, sizeof(text), "[a]\n%s = %s\n",
				 number_keys[k].key, bad_numbers[v]);
			snprintf(message, sizeof(message),
				 PATH ":2: key '%s': expected %s, got '%s'",
				 number_keys[k].key, number_keys[k].expected,
				 bad_numbers[v]);
			expect_error(text, 2, message, SGD_ERR_BATCH);
			expect_message(text, message);
		}
	}
}

struct bad_row {
	const char *text;
	int line;           /* of the error; 0: "FILE: " with no line */
	const char *expect; /* a piece of the message */
	enum sgd_status status;
};

static void run_bad_rows(const struct bad_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		expect_error(rows[i].text, rows[i].line, rows[i].expect,
			     rows[i].status);
}

#define RUN_BAD_ROWS(rows) run_bad_rows(rows, sizeof(rows) / sizeof(rows[0]))

Test(batch, rejects_nan_lr)
{
	expect_message("[a]\nlr = nan\n",
		       PATH ":2: key 'lr': expected a finite number >= 0, "
			    "got 'nan'");
}

Test(batch, rejects_negative_lr)
{
	static const struct bad_row rows[] = {
		{ "[a]\nlr = -0.1\n", 2, "key 'lr': expected " EXP_LR
					 ", got '-0.1'", SGD_ERR_BATCH },
		{ "[a]\nlr = -1e-300\n", 2, "got '-1e-300'", SGD_ERR_BATCH },
		{ "[defaults]\nlr = -2\n[a]\n", 2, "got '-2'", SGD_ERR_BATCH },
	};

	RUN_BAD_ROWS(rows);
	expect_message("[a]\nlr = -0.1\n",
		       PATH ":2: key 'lr': expected a finite number >= 0, "
			    "got '-0.1'");
}

Test(batch, rejects_epochs_out_of_range_or_not_whole)
{
	static const char *const bad[] = {
		"-1", "0", "1.5", "1000001", "99999999999999999999",
		"1e3", "+", "00", "1 000", "10.0", "+-1",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[128], message[256];

		snprintf(text, sizeof(text), "[a]\nepochs = %s\n", bad[i]);
		snprintf(message, sizeof(message),
			 PATH ":2: key 'epochs': expected " EXP_EPOCHS
			      ", got '%s'",
			 bad[i]);
		expect_error(text, 2, message, SGD_ERR_BATCH);
		expect_message(text, message);
	}
}

Test(batch, rejects_curvature_zero_or_negative)
{
	static const struct bad_row rows[] = {
		{ "[a]\ncurvature = 0\n", 2,
		  "key 'curvature': expected " EXP_CURVATURE ", got '0'",
		  SGD_ERR_BATCH },
		{ "[a]\ncurvature = -1\n", 2, "got '-1'", SGD_ERR_BATCH },
		{ "[a]\ncurvature = 0.0\n", 2, "got '0.0'", SGD_ERR_BATCH },
		{ "[a]\ncurvature = -0\n", 2, "got '-0'", SGD_ERR_BATCH },
		/* underflows to 0, which is not > 0 */
		{ "[a]\ncurvature = 1e-400\n", 2, "got '1e-400'",
		  SGD_ERR_BATCH },
	};

	RUN_BAD_ROWS(rows);
}

Test(batch, rejects_center_too_far_for_its_window)
{
	/* Past about 1e16, c +/- 2 rounds to c: no window to draw. */
	static const struct bad_row rows[] = {
		{ "[a]\ncenter = 1e16\n", 2,
		  "key 'center': expected " EXP_CENTER ", got '1e16'",
		  SGD_ERR_BATCH },
		{ "[a]\ncenter = -1.000001e15\n", 2, "got '-1.000001e15'",
		  SGD_ERR_BATCH },
		{ "[a]\ncenter = 1e300\n", 2, "got '1e300'", SGD_ERR_BATCH },
	};

	RUN_BAD_ROWS(rows);
}

Test(batch, parses_a_sweep_and_describes_it)
{
	struct sgd_batch b;
	struct sgd_error err;
	char desc[512];
	const char *text = "[s]\nsweep = 0:2.5:251\n";

	batch_init(&b);
	cr_assert_eq(batch_load_text(&b, PATH, text, strlen(text), &err),
		     SGD_OK, "%s", err.msg);
	cr_expect_eq(b.configs[0].sweep.from, 0);
	cr_expect_eq(b.configs[0].sweep.to, 2.5);
	cr_expect_eq(b.configs[0].sweep.count, 251);
	batch_describe(&b.configs[0], desc, sizeof(desc));
	cr_expect(strncmp(desc, "sweep=0:2.5:251\nepochs=10\n", 26) == 0,
		  "%s", desc);
	batch_release(&b);
}

Test(batch, rejects_bad_sweeps)
{
	static const struct bad_row rows[] = {
		{ "[s]\nsweep = 1\n", 2,
		  "key 'sweep': expected 'FROM:TO:COUNT' with 0 <= FROM < TO "
		  "and COUNT from 2 to 100000, got '1'",
		  SGD_ERR_BATCH },
		{ "[s]\nsweep = 2:1:10\n", 2, "got '2:1:10'", SGD_ERR_BATCH },
		{ "[s]\nsweep = 0:1:1\n", 2, "got '0:1:1'", SGD_ERR_BATCH },
		{ "[s]\nsweep = 0:1:100001\n", 2, "got '0:1:100001'",
		  SGD_ERR_BATCH },
		{ "[s]\nsweep = 0:1:x\n", 2, "got '0:1:x'", SGD_ERR_BATCH },
		{ "[s]\nsweep = 0:1:\n", 2, "got '0:1:'", SGD_ERR_BATCH },
		{ "[s]\nsweep = -1:1:5\n", 2, "got '-1:1:5'", SGD_ERR_BATCH },
		{ "[s]\nsweep = 0:nan:5\n", 2, "got '0:nan:5'", SGD_ERR_BATCH },
		{ "[s]\nsweep = 0:1:5:6\n", 2, "got '0:1:5:6'", SGD_ERR_BATCH },
		{ "[s]\nlr = 0.1\nsweep = 0:1:5\n", 3,
		  "key 'sweep': a section has 'lr' or 'sweep', not both",
		  SGD_ERR_BATCH },
		{ "[s]\nsweep = 0:1:5\nlr = 0.1\n", 3,
		  "key 'lr': a section has 'lr' or 'sweep', not both",
		  SGD_ERR_BATCH },
		{ "[s]\nsweep = 0:1:100000\nepochs = 10000\n", 1,
		  "section 's': a sweep of 100000 learning rates of 10000 "
		  "epochs is more than 100000000 steps",
		  SGD_ERR_BATCH },
		{ "[overview]\n", 1,
		  "section name 'overview' is taken by the batch's chart "
		  "overview.png",
		  SGD_ERR_BATCH },
		{ "[loss]\n", 1, "section name 'loss' is taken", SGD_ERR_BATCH },
	};

	RUN_BAD_ROWS(rows);
}

Test(batch, rejects_bad_ranges)
{
	static const char *const bad[] = {
		"2:1", "1:1", "1", "a:b", "nan:1", "1:nan", "inf:1", "1:inf",
		"-inf:0", ":", "1:", ":1", "1:2:3", "AUTO", "", "1 : 2",
		"0x1:2", "1e999:1e1000",
	};
	static const char *const keys[] = { "xrange", "yrange" };
	size_t i, k;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			char text[128], message[256];

			snprintf(text, sizeof(text), "[r]\n\n%s = %s\n",
				 keys[k], bad[i]);
			snprintf(message, sizeof(message),
				 PATH ":3: key '%s': expected " EXP_RANGE
				      ", got '%s'",
				 keys[k], bad[i]);
			expect_error(text, 3, message, SGD_ERR_BATCH);
			expect_message(text, message);
		}
	}
}

/* ---- titles -------------------------------------------------------------- */

Test(batch, accepts_titles_with_quotes_and_shell_characters_verbatim)
{
	static const char *const titles[] = {
		"it's",
		"say \"hi\"",
		"`uname`",
		"$(rm -rf /)",
		"a; b",
		"#1 # not a comment",
		"back\\slash \\n",
		"\xce\xb8 = 1",                 /* θ = 1 */
		"\xe2\x80\x94 dash \xf0\x9f\x93\x88", /* — and a 4-byte emoji */
		"x = y",
		"'\"`$(;)#\\\xce\xb8",
		"%s %n %%",
		"[not a section]",
	};
	size_t i;

	for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		char text[512];
		struct sgd_config c;

		snprintf(text, sizeof(text), "[t]\ntitle = %s\n", titles[i]);
		c = load_one(text);
		cr_expect_str_eq(c.title, titles[i]);
	}
}

Test(batch, accepts_title_of_exactly_200_bytes)
{
	char title[SGD_TITLE_MAX + 1], text[300];
	struct sgd_config c;
	size_t i;

	/* 99 two-byte thetas and two 'x': 200 bytes, fewer characters. */
	for (i = 0; i < 99; i++)
		memcpy(title + 2 * i, "\xce\xb8", 2);
	memcpy(title + 198, "xx", 3);
	cr_assert_eq(strlen(title), 200);
	snprintf(text, sizeof(text), "[t]\ntitle = %s\n", title);
	c = load_one(text);
	cr_expect_str_eq(c.title, title);
}

Test(batch, rejects_titles_with_controls_bad_utf8_or_too_long)
{
	static const struct {
		const char *title;
		const char *shown; /* how the message quotes it */
	} rows[] = {
		{ "a\tb", "a\\x09b" },
		{ "a\x01" "b", "a\\x01b" },
		{ "del\x7f", "del\\x7f" },
		{ "esc\x1b[31m", "esc\\x1b[31m" },
		{ "bad \xff byte", "bad \\xff byte" },
		{ "cut \xce", "cut \\xce" },           /* sequence cut short */
		{ "lone \x80 cont", "lone \\x80 cont" }, /* stray continuation */
		{ "over \xc0\xaf", "over \\xc0\\xaf" },  /* overlong '/' */
		{ "over3 \xe0\x80\xaf", "over3 \\xe0\\x80\\xaf" },
		{ "surr \xed\xa0\x80", "surr \\xed\\xa0\\x80" }, /* U+D800 */
		{ "big \xf4\x90\x80\x80", "big \\xf4\\x90\\x80\\x80" },
		{ "\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80" },
		{ "nel \xc2\x85", "nel \\xc2\\x85" },   /* C1 control U+0085 */
		{ "csi \xc2\x9b", "csi \\xc2\\x9b" },   /* C1 control U+009B */
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char text[256], message[512];

		snprintf(text, sizeof(text), "[t]\ntitle = %s\n",
			 rows[i].title);
		snprintf(message, sizeof(message),
			 PATH ":2: key 'title': expected " EXP_TITLE
			      ", got '%s'",
			 rows[i].shown);
		expect_error(text, 2, "key 'title': expected " EXP_TITLE,
			     SGD_ERR_BATCH);
		expect_message(text, message);
	}
}

Test(batch, rejects_title_longer_than_200_bytes)
{
	char title[202], text[300], message[512];

	memset(title, 'x', 201);
	title[201] = '\0';
	snprintf(text, sizeof(text), "[t]\ntitle = %s\n", title);
	/* The message repeats 48 bytes of it, then "...". */
	snprintf(message, sizeof(message),
		 PATH ":2: key 'title': expected " EXP_TITLE ", got '%.48s...'",
		 title);
	expect_error(text, 2, "key 'title'", SGD_ERR_BATCH);
	expect_message(text, message);

	/* 200 bytes of x and one theta: 202 bytes. */
	memset(title, 'x', 199);
	memcpy(title + 199, "\xce\xb8", 3);
	snprintf(text, sizeof(text), "[t]\ntitle = %s\n", title);
	expect_error(text, 2, "key 'title'", SGD_ERR_BATCH);
}

/* ---- keys and sections -------------------------------------------------- */

Test(batch, unknown_key_suggests_the_nearest)
{
	static const struct bad_row rows[] = {
		{ "[a]\nlrr = 0.1\n", 2, "unknown key 'lrr' (did you mean 'lr'?)",
		  SGD_ERR_BATCH },
		{ "[a]\nepoch = 3\n", 2, "(did you mean 'epochs'?)",
		  SGD_ERR_BATCH },
		{ "[a]\ncentre = 3\n", 2, "(did you mean 'center'?)",
		  SGD_ERR_BATCH },
		{ "[a]\nxrnage = auto\n", 2, "(did you mean 'xrange'?)",
		  SGD_ERR_BATCH },
		{ "[a]\nLR = 1\n", 2, "unknown key 'LR'", SGD_ERR_BATCH },
		{ "[a]\nlearning_rate = 1\n", 2,
		  "unknown key 'learning_rate' (known keys: lr, epochs, init, "
		  "curvature, center, offset, title, xrange, yrange, format, size, style, sweep)",
		  SGD_ERR_BATCH },
		{ "[defaults]\nlrr = 1\n[a]\n", 2, "did you mean 'lr'",
		  SGD_ERR_BATCH },
	};

	RUN_BAD_ROWS(rows);
	expect_message("[a]\nlrr = 0.1\n",
		       PATH ":2: unknown key 'lrr' (did you mean 'lr'?)");
}

Test(batch, rejects_key_outside_any_section)
{
	static const struct bad_row rows[] = {
		{ "lr = 0.1\n[a]\n", 1, "key 'lr' outside any section",
		  SGD_ERR_BATCH },
		{ "; comment\n\nepochs = 3\n[a]\n", 3,
		  "key 'epochs' outside any section", SGD_ERR_BATCH },
	};

	RUN_BAD_ROWS(rows);
}

Test(batch, rejects_key_given_twice_in_a_section)
{
	static const struct bad_row rows[] = {
		{ "[a]\nlr = 0.1\nepochs = 2\nlr = 0.2\n", 4,
		  "key 'lr' given twice in this section (first on line 2)",
		  SGD_ERR_BATCH },
		{ "[defaults]\ntitle = x\ntitle = y\n[a]\n", 3,
		  "key 'title' given twice in this section (first on line 2)",
		  SGD_ERR_BATCH },
		/* a bad second value: the repetition is reported first */
		{ "[a]\nlr = 0.1\nlr = nan\n", 3, "given twice",
		  SGD_ERR_BATCH },
	};

	RUN_BAD_ROWS(rows);
}

Test(batch, same_key_in_different_sections_is_fine)
{
	struct sgd_batch b;
	struct sgd_error err;

	batch_init(&b);
	cr_assert_eq(load(&b, "[defaults]\nlr = 0.1\n[a]\nlr = 0.2\n[b]\n"
			      "lr = 0.3\n",
			  &err),
		     SGD_OK, "%s", err.msg);
	cr_assert_eq(b.count, 2);
	cr_expect_eq(b.configs[0].lr, 0.2);
	cr_expect_eq(b.configs[1].lr, 0.3);
	batch_release(&b);
}

Test(batch, rejects_duplicate_section_naming_its_first_line)
{
	static const struct bad_row rows[] = {
		{ "[a]\n[b]\n[a]\n", 3, "duplicate section 'a' (first on line 1)",
		  SGD_ERR_BATCH },
		{ "\n[x]\nlr = 1\n\n[x]\n", 5,
		  "duplicate section 'x' (first on line 2)", SGD_ERR_BATCH },
		{ "[defaults]\n[a]\n[defaults]\n", 3,
		  "duplicate section 'defaults' (first on line 1)",
		  SGD_ERR_BATCH },
	};

	RUN_BAD_ROWS(rows);
	expect_message("[a]\n[b]\n[a]\n",
		       PATH ":3: duplicate section 'a' (first on line 1)");
}

#define NAME_RULE                                                          \
	"expected 1 to 64 letters, digits, '.', '_' or '-', not starting " \
	"with '.'"

Test(batch, rejects_unsafe_section_names)
{
	char long_name[80], text[128];
	static const struct bad_row rows[] = {
		{ "[..]\n", 1, "section name '..': " NAME_RULE, SGD_ERR_BATCH },
		{ "[.]\n", 1, "section name '.'", SGD_ERR_BATCH },
		{ "[.hidden]\n", 1, "section name '.hidden'", SGD_ERR_BATCH },
		{ "[a/b]\n", 1, "section name 'a/b'", SGD_ERR_BATCH },
		{ "[../up]\n", 1, "section name '../up'", SGD_ERR_BATCH },
		{ "[a b]\n", 1, "section name 'a b'", SGD_ERR_BATCH },
		{ "[]\n", 1, "section name ''", SGD_ERR_BATCH },
		{ "[a*]\n", 1, "section name 'a*'", SGD_ERR_BATCH },
		{ "[\xce\xb8]\n", 1, "section name '\\xce\\xb8'", SGD_ERR_BATCH },
		{ "[ok]\n[a\\b]\n", 2, "section name 'a\\b'", SGD_ERR_BATCH },
	};

	RUN_BAD_ROWS(rows);
	expect_message("[..]\n", PATH ":1: section name '..': " NAME_RULE);

	memset(long_name, 'n', 65);
	long_name[65] = '\0';
	snprintf(text, sizeof(text), "[%s]\n", long_name);
	expect_error(text, 1, "section name 'nnnn", SGD_ERR_BATCH);
}

Test(batch, accepts_section_names_with_dot_underscore_dash)
{
	static const char *const names[] = {
		"a", "case-1", "case_2", "v1.2", "A.b_c-D", "9", "a..b",
		"trailing.",
	};
	char long_name[SGD_NAME_MAX + 1], text[128];
	struct sgd_config c;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(text, sizeof(text), "[%s]\n", names[i]);
		c = load_one(text);
		cr_expect_str_eq(c.name, names[i]);
	}
	memset(long_name, 'n', SGD_NAME_MAX);
	long_name[SGD_NAME_MAX] = '\0';
	snprintf(text, sizeof(text), "[%s]\n", long_name);
	c = load_one(text);
	cr_expect_str_eq(c.name, long_name);
	cr_expect_eq(strlen(c.name), 64);
}

Test(batch, header_may_be_indented_and_followed_by_text)
{
	struct sgd_config c = load_one("  [indented] ; trailing words\n"
				       "lr = 0.5\n");

	cr_expect_str_eq(c.name, "indented");
	cr_expect_eq(c.lr, 0.5);
}

/* ---- lines -------------------------------------------------------------- */

Test(batch, indented_continuation_line_is_an_error_not_appended)
{
	static const struct bad_row rows[] = {
		{ "[a]\ntitle = one\n  two\n", 3,
		  "expected '[name]' or 'key = value' (an indented line does "
		  "not continue the one before)",
		  SGD_ERR_BATCH },
		{ "[a]\nlr = 0.1\n\t5\n", 3, "expected '[name]' or 'key = value'",
		  SGD_ERR_BATCH },
		{ "[a]\njust words\n", 2, "expected '[name]' or 'key = value'",
		  SGD_ERR_BATCH },
		{ "[a\n", 1, "expected '[name]'", SGD_ERR_BATCH },
	};

	RUN_BAD_ROWS(rows);
}

Test(batch, rejects_nul_byte_on_its_line)
{
	static const char text[] = "[a]\nlr = 0.1\nti\0tle = x\n[b]\n";
	static const char first[] = "\0[a]\n";
	static const char last[] = "[a]\n\n\n\n\0";

	expect_error_len("nul line 3", text, sizeof(text) - 1, 3,
			 "NUL byte: a batch file is text, not binary data",
			 SGD_ERR_BATCH);
	expect_error_len("nul line 1", first, sizeof(first) - 1, 1,
			 "NUL byte", SGD_ERR_BATCH);
	expect_error_len("nul line 5", last, sizeof(last) - 1, 5, "NUL byte",
			 SGD_ERR_BATCH);
}

/* "[a]\n" then one line of `len` bytes (not counting its "\n"), then `tail`. */
static char *text_with_long_line(size_t len, const char *tail)
{
	size_t tl = strlen(tail);
	char *text = malloc(4 + len + 1 + tl + 1);

	cr_assert_not_null(text);
	memcpy(text, "[a]\n", 4);
	memset(text + 4, 'x', len);
	/* A comment: harmless if the line were accepted whole. */
	text[4] = ';';
	text[4 + len] = '\n';
	memcpy(text + 4 + len + 1, tail, tl + 1);
	return text;
}

Test(batch, rejects_line_longer_than_4096_bytes)
{
	char *text = text_with_long_line(5000, "[b]\n");

	expect_error(text, 2, "line longer than 4096 bytes", SGD_ERR_BATCH);
	free(text);
}

Test(batch, long_line_is_not_split_into_a_second_line)
{
	/* If the reader cut this line at 4096 bytes, its tail
	 * "zzz = 1" would be parsed as a line of its own. */
	size_t len = 4200;
	char *text = malloc(4 + len + 1 + 1);
	struct sgd_batch b;
	struct sgd_error err;

	cr_assert_not_null(text);
	memcpy(text, "[a]\n", 4);
	memcpy(text + 4, "title = ", 8);
	memset(text + 12, 'x', len - 8);
	memcpy(text + 4 + len - 7, "zzz = 1", 7);
	memcpy(text + 4 + len, "\n", 2);
	batch_init(&b);
	cr_expect_eq(load(&b, text, &err), SGD_ERR_BATCH);
	cr_expect_str_eq(err.msg, PATH ":2: line longer than 4096 bytes");
	cr_expect_null(strstr(err.msg, "zzz"));
	cr_expect_eq(b.count, 0);
	batch_release(&b);
	free(text);
}

Test(batch, accepts_a_comment_line_of_250_bytes)
{
	/* Far below the 4096-byte limit: must parse. */
	char *text = text_with_long_line(250, "[b]\n");
	struct sgd_batch b;
	struct sgd_error err;

	batch_init(&b);
	cr_expect_eq(load(&b, text, &err), SGD_OK, "%s", err.msg);
	cr_expect_eq(b.count, 2);
	batch_release(&b);
	free(text);
}

Test(batch, accepts_line_at_the_length_limit)
{
	/* The limit counts the line's text, not its newline. */
	char *text = text_with_long_line(SGD_BATCH_LINE_MAX, "[b]\n");
	struct sgd_batch b;
	struct sgd_error err;

	batch_init(&b);
	cr_expect_eq(load(&b, text, &err), SGD_OK, "%s", err.msg);
	cr_expect_eq(b.count, 2);
	batch_release(&b);
	free(text);

	text = text_with_long_line(SGD_BATCH_LINE_MAX + 1, "[b]\n");
	expect_error(text, 2, "line longer than 4096 bytes", SGD_ERR_BATCH);
	free(text);
}

Test(batch, accepts_crlf_line_endings_and_utf8_bom)
{
	struct sgd_batch b;
	struct sgd_error err;
	const char *text = "\xef\xbb\xbf[first]\r\n"
			   "lr = 0.2\r\n"
			   "title = \xce\xb8 crlf\r\n"
			   "xrange = -1:3\r\n"
			   "\r\n"
			   "[second]\r\n"
			   "epochs = 4\r\n";

	batch_init(&b);
	cr_assert_eq(load(&b, text, &err), SGD_OK, "%s", err.msg);
	cr_assert_eq(b.count, 2);
	cr_expect_str_eq(b.configs[0].name, "first");
	cr_expect_eq(b.configs[0].line, 1);
	cr_expect_eq(b.configs[0].lr, 0.2);
	cr_expect_str_eq(b.configs[0].title, "\xce\xb8 crlf");
	cr_expect_eq(b.configs[0].xrange.hi, 3.0);
	cr_expect_str_eq(b.configs[1].name, "second");
	cr_expect_eq(b.configs[1].line, 6);
	cr_expect_eq(b.configs[1].epochs, 4);
	batch_release(&b);

	/* Line numbers after a BOM and CRLF are still right. */
	expect_error("\xef\xbb\xbf[a]\r\nlr = x\r\n", 2,
		     "key 'lr': expected " EXP_LR ", got 'x'", SGD_ERR_BATCH);
}

/* ---- files -------------------------------------------------------------- */

Test(batch, file_without_sections_has_no_configurations)
{
	static const struct bad_row rows[] = {
		{ "", 0, "no configurations", SGD_ERR_BATCH },
		{ "\n\n", 0, "no configurations", SGD_ERR_BATCH },
		{ "; only a comment\n# and another\n", 0, "no configurations",
		  SGD_ERR_BATCH },
		{ "[defaults]\nlr = 1\n", 0, "no configurations",
		  SGD_ERR_BATCH },
		{ "\xef\xbb\xbf", 0, "no configurations", SGD_ERR_BATCH },
	};

	RUN_BAD_ROWS(rows);
	expect_message("", PATH ": no configurations: add a section such as "
			    "[case-1] with keys like 'lr = 0.1'");
}

Test(batch, missing_file_is_a_batch_error_naming_the_path)
{
	struct sgd_batch b;
	struct sgd_error err;
	char *dir = scratch_dir();
	char *path = path_join(dir, "missing.ini");

	batch_init(&b);
	sgd_error_init(&err);
	cr_expect_eq(batch_load(&b, path, &err), SGD_ERR_BATCH);
	cr_expect_eq(err.status, SGD_ERR_BATCH);
	cr_expect(!strncmp(err.msg, path, strlen(path)), "%s", err.msg);
	cr_expect_not_null(strstr(err.msg, "cannot open"), "%s", err.msg);
	cr_expect_not_null(strstr(err.msg, strerror(ENOENT)), "%s", err.msg);
	cr_expect_eq(b.count, 0);
	batch_release(&b);
	free(path);
	rm_rf(dir);
	free(dir);
}

Test(batch, loads_a_file_from_disk)
{
	struct sgd_batch b;
	struct sgd_error err;
	char *dir = scratch_dir();
	char *path = path_join(dir, "runs.ini");

	write_text(path, "[case-1]\nlr = 0.05\n[case-2]\nlr = 0.33\n");
	batch_init(&b);
	cr_assert_eq(batch_load(&b, path, &err), SGD_OK, "%s", err.msg);
	cr_assert_eq(b.count, 2);
	cr_expect_str_eq(b.configs[1].file, path);
	cr_expect_eq(b.configs[1].lr, 0.33);

	/* Errors from a file on disk carry its path. */
	write_text(path, "[x]\nlr = abc\n");
	cr_expect_eq(batch_load(&b, path, &err), SGD_ERR_BATCH);
	{
		char want[1024];

		snprintf(want, sizeof(want),
			 "%s:2: key 'lr': expected " EXP_LR ", got 'abc'",
			 path);
		cr_expect_str_eq(err.msg, want);
	}
	cr_expect_eq(b.count, 2);
	batch_release(&b);
	free(path);
	rm_rf(dir);
	free(dir);
}

Test(batch, same_name_in_two_files_names_the_first_file_and_line)
{
	struct sgd_batch b;
	struct sgd_error err;
	char *dir = scratch_dir();
	char *first = path_join(dir, "first.ini");
	char *second = path_join(dir, "second.ini");
	char want[1024];

	write_text(first, "[a]\n\n[shared]\nlr = 0.1\n");
	write_text(second, "[b]\n[shared]\nlr = 0.2\n");
	batch_init(&b);
	cr_assert_eq(batch_load(&b, first, &err), SGD_OK, "%s", err.msg);
	cr_expect_eq(batch_load(&b, second, &err), SGD_ERR_BATCH);
	snprintf(want, sizeof(want),
		 "%s:2: section 'shared' already defined at %s:3 (both would "
		 "write the same files)",
		 second, first);
	cr_expect_str_eq(err.msg, want);
	cr_expect_eq(b.count, 2, "the second file's [b] must not be kept");
	cr_expect_str_eq(b.configs[0].name, "a");
	cr_expect_str_eq(b.configs[1].name, "shared");
	cr_expect_eq(b.configs[1].lr, 0.1);
	batch_release(&b);
	free(first);
	free(second);
	rm_rf(dir);
	free(dir);
}

Test(batch, failed_file_leaves_count_unchanged)
{
	struct sgd_batch b;
	struct sgd_error err;

	batch_init(&b);
	cr_assert_eq(load(&b, "[one]\nlr = 0.1\n[two]\n", &err), SGD_OK, "%s",
		     err.msg);
	cr_assert_eq(b.count, 2);
	cr_expect_eq(batch_load_text(&b, "bad.ini",
				     "[three]\n[four]\n[five]\nlr = oops\n",
				     strlen("[three]\n[four]\n[five]\nlr = "
					    "oops\n"),
				     &err),
		     SGD_ERR_BATCH);
	cr_expect_str_eq(err.msg, "bad.ini:4: key 'lr': expected " EXP_LR
				  ", got 'oops'");
	cr_expect_eq(b.count, 2);
	cr_expect_str_eq(b.configs[0].name, "one");
	cr_expect_eq(b.configs[0].lr, 0.1);
	cr_expect_str_eq(b.configs[1].name, "two");

	/* The names of the failed file are free for a later one. */
	cr_expect_eq(batch_load_text(&b, "good.ini", "[three]\n", 8, &err),
		     SGD_OK, "%s", err.msg);
	cr_expect_eq(b.count, 3);
	cr_expect_str_eq(b.configs[2].name, "three");
	cr_expect_str_eq(b.configs[2].file, "good.ini");
	batch_release(&b);
}

Test(batch, many_sections_survive_growth)
{
	struct sgd_batch b;
	struct sgd_error err;
	char text[100 * 32];
	size_t len = 0, i;

	for (i = 0; i < 100; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"[c%zu]\nepochs = %zu\n", i, i + 1);
	batch_init(&b);
	cr_assert_eq(load(&b, text, &err), SGD_OK, "%s", err.msg);
	cr_assert_eq(b.count, 100);
	for (i = 0; i < 100; i++) {
		char name[16];

		snprintf(name, sizeof(name), "c%zu", i);
		cr_expect_str_eq(b.configs[i].name, name);
		cr_expect_eq(b.configs[i].epochs, (long)i + 1);
		cr_expect_eq(b.configs[i].line, (int)(2 * i + 1));
	}
	batch_release(&b);
}

Test(batch, release_accepts_null_and_leaves_batch_reusable)
{
	struct sgd_batch b;
	struct sgd_error err;

	batch_release(NULL);
	batch_init(&b);
	cr_assert_eq(load(&b, "[a]\n", &err), SGD_OK);
	batch_release(&b);
	cr_expect_eq(b.count, 0);
	cr_expect_null(b.configs);
	cr_expect_eq(b.file_count, 0);
	cr_assert_eq(load(&b, "[a]\n", &err), SGD_OK, "%s", err.msg);
	cr_expect_eq(b.count, 1);
	batch_release(&b);
}

/* ---- describe ------------------------------------------------------------ */

Test(batch, describe_writes_every_key_in_table_order)
{
	struct sgd_config c = load_one("[d]\n"
				       "lr = 0.33\n"
				       "epochs = 7\n"
				       "init = -1.5\n"
				       "curvature = 2\n"
				       "center = 0.1\n"
				       "offset = 0\n"
				       "title = \xce\xb8 \"quoted\"\n"
				       "xrange = -1:3\n"
				       "format = svg\n"
				       "size = 8x6in\n");
	const char *want = "lr=0.33\n"
			   "epochs=7\n"
			   "init=-1.5\n"
			   "curvature=2\n"
			   "center=0.1\n"
			   "offset=0\n"
			   "title=\xce\xb8 \"quoted\"\n"
			   "xrange=-1:3\n"
			   "yrange=auto\n"
			   "format=svg\n"
			   "size=800x600\n"
			   "style=sgdplot\n";
	char buf[512];

	cr_expect_eq(batch_describe(&c, buf, sizeof(buf)), strlen(want));
	cr_expect_str_eq(buf, want);
}

Test(batch, describe_of_defaults_matches_the_article)
{
	struct sgd_config c = load_one("[plain]\n");
	char buf[512];

	batch_describe(&c, buf, sizeof(buf));
	cr_expect_str_eq(buf, "lr=0.05\nepochs=10\ninit=-1\ncurvature=1\n"
			      "center=1\noffset=0.5\ntitle=\nxrange=auto\n"
			      "yrange=auto\nformat=png\nsize=1000x1000\n"
			      "style=sgdplot\n");
}

Test(batch, describe_round_trips_through_the_parser)
{
	struct sgd_config c = load_one("[r]\nlr = 0.1\ninit = 0.30000000000000004\n"
				       "yrange = 1e-5:1e22\n");
	struct sgd_config back;
	char buf[512], text[600];

	batch_describe(&c, buf, sizeof(buf));
	cr_expect_not_null(strstr(buf, "init=0.30000000000000004\n"), "%s",
			   buf);
	snprintf(text, sizeof(text), "[r]\n%s", buf);
	back = load_one(text);
	cr_expect_eq(back.lr, c.lr);
	cr_expect_eq(back.init, c.init);
	cr_expect_eq(back.yrange.lo, c.yrange.lo);
	cr_expect_eq(back.yrange.hi, c.yrange.hi);
}

Test(batch, describe_truncates_like_snprintf)
{
	struct sgd_config c = load_one("[s]\n");
	char full[512], small[8];
	size_t need = batch_describe(&c, full, sizeof(full));

	memset(small, '#', sizeof(small));
	cr_expect_eq(batch_describe(&c, small, sizeof(small)), need);
	cr_expect_eq(small[7], '\0');
	cr_expect_str_eq(small, "lr=0.05");
}
