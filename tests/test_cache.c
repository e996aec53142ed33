/*
 * Incremental runs and workers: what is up to date is not drawn again,
 * what changed is, and a worker that loses its gnuplot carries on.
 */
#include "helpers.h"

#include "figure.h"
#include "gnuplot.h"

#define ARTICLE_INI "figures/article.ini"

static char *dir;
static char *log_path;

static void setup(void)
{
	dir = scratch_dir();
	log_path = path_join(dir, "gnuplot.log");
	setenv("SGDPLOT_TEST_LOG", log_path, 1);
}

static void teardown(void)
{
	rm_rf(dir);
	free(dir);
	free(log_path);
}

TestSuite(cache, .init = setup, .fini = teardown, .timeout = 60);

static struct run_result sgdplot_in(const char *out, const char *batch,
				    const char *extra)
{
	char *argv[] = { sgdplot_bin(), "-q", "--gnuplot",
			 "tests/fake/gnuplot-logged", "-o", (char *)out,
			 (char *)batch, (char *)extra, NULL };

	return run_argv(argv, NULL);
}

/* How many gnuplots the runs so far started; empties the log. */
static int gnuplot_starts(void)
{
	char *text = read_text(log_path, NULL);
	int n = 0;
	char *p;

	for (p = text; p && (p = strstr(p, "started")); p++)
		n++;
	free(text);
	unlink(log_path);
	return n;
}

struct stamp {
	ino_t ino;
	struct timespec mtime;
};

static struct stamp stamp_of(const char *folder, const char *name)
{
	char *path = path_join(folder, name);
	struct stat st;
	struct stamp s;

	cr_assert_eq(stat(path, &st), 0, "%s: %s", path, strerror(errno));
	s.ino = st.st_ino;
	s.mtime = st.st_mtim;
	free(path);
	return s;
}

static int same_stamp(struct stamp a, struct stamp b)
{
	return a.ino == b.ino && a.mtime.tv_sec == b.mtime.tv_sec &&
	       a.mtime.tv_nsec == b.mtime.tv_nsec;
}

static const char *const names[] = { "lr-0.05", "lr-0.33", "lr-1.87",
				     "lr-2.18" };

static void stamps(const char *out, struct stamp st[4][3])
{
	static const char *const ext[] = { ".png", ".dat", ".gp" };
	size_t i, k;

	for (i = 0; i < 4; i++)
		for (k = 0; k < 3; k++) {
			char name[64];

			snprintf(name, sizeof(name), "%s%s", names[i], ext[k]);
			st[i][k] = stamp_of(out, name);
		}
}

Test(cache, unchanged_batch_redraws_nothing_and_starts_no_gnuplot)
{
	char *out = path_join(dir, "out");
	struct stamp before[4][3], after[4][3];
	struct run_result a, b;
	size_t i, k;

	a = sgdplot_in(out, ARTICLE_INI, NULL);
	cr_assert_eq(a.status, 0, "%s", a.err);
	cr_expect(gnuplot_starts() >= 1);
	stamps(out, before);
	b = sgdplot_in(out, ARTICLE_INI, NULL);
	cr_assert_eq(b.status, 0, "%s", b.err);
	cr_expect_eq(gnuplot_starts(), 0, "a no-op run started gnuplot");
	stamps(out, after);
	for (i = 0; i < 4; i++)
		for (k = 0; k < 3; k++)
			cr_expect(same_stamp(before[i][k], after[i][k]),
				  "%s file %zu was rewritten", names[i], k);
	run_result_free(&a);
	run_result_free(&b);
	free(out);
}

Test(cache, changed_key_redraws_exactly_that_figure)
{
	char *out = path_join(dir, "out");
	char *ini = path_join(dir, "batch.ini");
	char *text = read_text(ARTICLE_INI, NULL);
	char *p = strstr(text, "lr = 1.87");

	/* The four figures alone: the sweep and the charts depend on every
	 * case, and are redrawn with it (tested below). */
	*strstr(text, "[sweep]") = '\0';
	struct stamp before[4][3], after[4][3];
	struct run_result a, b;
	size_t i;

	write_text(ini, text);
	a = sgdplot_in(out, ini, NULL);
	cr_assert_eq(a.status, 0, "%s", a.err);
	gnuplot_starts();
	stamps(out, before);
	cr_assert_not_null(p);
	memcpy(p, "lr = 1.88", 9);
	write_text(ini, text);
	b = sgdplot_in(out, ini, NULL);
	cr_assert_eq(b.status, 0, "%s", b.err);
	/* One worker redrew the figure; the charts took a gnuplot too. */
	cr_expect_eq(gnuplot_starts(), 2);
	stamps(out, after);
	for (i = 0; i < 4; i++) {
		int redrawn = !same_stamp(before[i][0], after[i][0]);

		cr_expect_eq(redrawn, i == 2, "%s redrawn: %d", names[i],
			     redrawn);
	}
	/* Its data followed: the new final theta is there. */
	{
		char *dat = path_join(out, "lr-1.87.dat");
		char *data = read_text(dat, NULL);

		cr_expect_not_null(strstr(data, "# lr=1.88\n"));
		free(data);
		free(dat);
	}
	free(text);
	free(ini);
	run_result_free(&a);
	run_result_free(&b);
	free(out);
}

Test(cache, force_and_missing_files_redraw)
{
	char *out = path_join(dir, "out");
	char *dat = path_join(out, "lr-0.33.dat");
	struct stamp before[4][3], after[4][3];
	struct run_result a, b, c;
	size_t i;

	a = sgdplot_in(out, ARTICLE_INI, NULL);
	cr_assert_eq(a.status, 0, "%s", a.err);
	stamps(out, before);
	/* A figure whose data file is gone is drawn again, alone. */
	unlink(dat);
	b = sgdplot_in(out, ARTICLE_INI, NULL);
	cr_assert_eq(b.status, 0, "%s", b.err);
	stamps(out, after);
	for (i = 0; i < 4; i++)
		cr_expect_eq(!same_stamp(before[i][0], after[i][0]), i == 1,
			     "%s", names[i]);
	/* --force draws them all. */
	c = sgdplot_in(out, ARTICLE_INI, "--force");
	cr_assert_eq(c.status, 0, "%s", c.err);
	stamps(out, before);
	for (i = 0; i < 4; i++)
		cr_expect(!same_stamp(before[i][0], after[i][0]), "%s",
			  names[i]);
	run_result_free(&a);
	run_result_free(&b);
	run_result_free(&c);
	free(dat);
	free(out);
}

/* The key covers sgdplot's version and the gnuplot binary: a change of
 * either redraws.  (Library level: the version is compiled in.) */
Test(cache, new_sgdplot_or_gnuplot_version_redraws_everything)
{
	static const char *const software[] = { "sgdplot 0.1.0",
						"sgdplot 0.1.0",
						"sgdplot 0.2.0",
						"sgdplot 0.2.0" };
	static const char *const identity[] = { "size=1 mtime=1",
						"size=1 mtime=1",
						"size=1 mtime=1",
						"size=2 mtime=1" };
	static const int drawn[] = { 1, 0, 1, 1 };
	struct gnuplot_options go = { .program = "gnuplot", .timeout = 60 };
	struct gnuplot_session session;
	struct sgd_batch batch;
	struct sgd_error err;
	size_t run;

	go.workdir = dir;
	batch_init(&batch);
	cr_assert_eq(batch_load(&batch, ARTICLE_INI, &err), SGD_OK);
	gnuplot_session_init(&session);
	for (run = 0; run < 4; run++) {
		struct figure_options fo = {
			.outdir = dir,
			.software = software[run],
			.gnuplot_identity = identity[run],
			.encoding = "png: libpng defaults",
			.force = 0,
			.gnuplot = &go,
		};
		struct figure_result result;

		cr_expect_eq(figure_make(&fo, &session, &batch.configs[0],
					 &result),
			     SGD_OK, "%s", result.err.msg);
		cr_expect_eq(result.drawn, drawn[run], "run %zu", run);
	}
	gnuplot_session_release(&session);
	batch_release(&batch);
}

Test(cache, worker_that_loses_its_gnuplot_goes_on_with_a_new_one)
{
	char *out = path_join(dir, "out");
	char *argv[] = { sgdplot_bin(), "-q", "-j", "1", "--no-charts",
			 "--gnuplot", "tests/fake/gnuplot-flaky", "-o", out,
			 ARTICLE_INI, NULL };
	struct run_result r = run_argv(argv, NULL);
	char *listing = list_dir(out);
	char *summary_path = path_join(out, "summary.tsv");
	char *summary = read_text(summary_path, NULL);

	cr_expect_eq(r.status, 1);
	cr_expect_not_null(strstr(r.err, "[lr-0.33]: gnuplot exited with "
					 "status 1: line 1: gnuplot crashed "
					 "(fake)"),
			   "%s", r.err);
	cr_expect_null(strstr(r.err, "[lr-1.87]"), "%s", r.err);
	cr_expect_str_eq(listing, "lr-0.05.dat\nlr-0.05.gp\nlr-0.05.png\n"
				  "lr-1.87.dat\nlr-1.87.gp\nlr-1.87.png\n"
				  "lr-2.18.dat\nlr-2.18.gp\nlr-2.18.png\n"
				  "summary.tsv\nsweep.dat\nsweep.gp\nsweep.png\n");
	cr_assert_not_null(summary);
	cr_expect_not_null(strstr(summary, "\tmonotone\tfailed\n"));
	cr_expect_not_null(strstr(summary, "\toscillating\tok\n"));
	free(summary);
	free(summary_path);
	free(listing);
	run_result_free(&r);
	free(out);
}

Test(cache, script_errors_fail_the_figure_and_keep_the_session)
{
	char *out = path_join(dir, "out");
	char *argv[] = { sgdplot_bin(), "-q", "-j", "1", "--gnuplot",
			 "tests/fake/gnuplot-error", "-o", out, ARTICLE_INI,
			 NULL };
	struct run_result r = run_argv(argv, NULL);

	cr_expect_eq(r.status, 1);
	cr_expect_not_null(strstr(r.err, "[lr-0.05]: gnuplot failed: line 7: "
					 "undefined variable: nonsense"),
			   "%s", r.err);
	cr_expect_not_null(strstr(r.err, "[lr-2.18]: gnuplot failed"));
	run_result_free(&r);
	free(out);
}

Test(cache, jobs_must_be_a_small_whole_number)
{
	static const char *const bad[] = { "0", "-1", "x", "257", "1.5", "" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { sgdplot_bin(), "-j", (char *)bad[i], "-o", dir,
				 ARTICLE_INI, NULL };
		struct run_result r = run_argv(argv, NULL);

		cr_expect_eq(r.status, 2, "-j '%s'", bad[i]);
		cr_expect_not_null(strstr(r.err, "-j: expected a whole number "
						 "from 1 to 256"),
				   "%s", r.err);
		run_result_free(&r);
	}
}

Test(cache, many_workers_draw_the_same_bytes_as_one)
{
	char *one = path_join(dir, "one"), *four = path_join(dir, "four");
	char *a1[] = { sgdplot_bin(), "-q", "-j", "1", "-o", one, ARTICLE_INI,
		       NULL };
	char *a4[] = { sgdplot_bin(), "-q", "-j", "4", "-o", four,
		       ARTICLE_INI, NULL };
	struct run_result r1 = run_argv(a1, NULL), r4 = run_argv(a4, NULL);
	size_t i;

	cr_assert_eq(r1.status, 0, "%s", r1.err);
	cr_assert_eq(r4.status, 0, "%s", r4.err);
	for (i = 0; i < 4; i++) {
		char name[64];
		char *p1, *p4, *t1, *t4;
		size_t l1 = 0, l4 = 0;

		snprintf(name, sizeof(name), "%s.png", names[i]);
		p1 = path_join(one, name);
		p4 = path_join(four, name);
		t1 = read_text(p1, &l1);
		t4 = read_text(p4, &l4);
		cr_expect(l1 == l4 && memcmp(t1, t4, l1) == 0, "%s differs",
			  name);
		free(t1);
		free(t4);
		free(p1);
		free(p4);
	}
	run_result_free(&r1);
	run_result_free(&r4);
	free(one);
	free(four);
}

Test(cache, progress_line_only_on_a_terminal)
{
	char *out = path_join(dir, "out");
	char *ini = path_join(dir, "many.ini");
	char *cmd;
	struct run_result tty, plain;
	char *script_argv[] = { "/usr/bin/script", "-qec", NULL, "/dev/null",
				NULL };
	char *plain_argv[] = { sgdplot_bin(), "-q", "-o", out, ini, NULL };
	FILE *fp = fopen(ini, "w");
	int i;

	if (!file_exists("/usr/bin/script"))
		cr_skip_test("needs script(1) from bsdutils for a terminal");
	for (i = 0; i < 10; i++)
		fprintf(fp, "[p%d]\nlr = 0.%d\n", i, i + 1);
	fclose(fp);
	cr_assert(asprintf(&cmd, "%s -q --force -o %s %s", sgdplot_bin(), out,
			   ini) > 0);
	script_argv[2] = cmd;
	tty = run_argv(script_argv, NULL);
	cr_expect_eq(tty.status, 0, "%s%s", tty.out, tty.err);
	cr_expect_not_null(strstr(tty.out, "sgdplot: "), "%s", tty.out);
	cr_expect_not_null(strstr(tty.out, "/10 figures"), "%s", tty.out);
	plain = run_argv(plain_argv, NULL);
	cr_expect_eq(plain.status, 0);
	cr_expect_str_eq(plain.err, "");
	run_result_free(&tty);
	run_result_free(&plain);
	free(cmd);
	free(ini);
	free(out);
}
