/*
 * End-to-end: the real ./sgdplot on batch files in scratch folders, with
 * the real gnuplot or fake ones (tests/fake/), and the PNGs decoded with
 * libpng to check what a reader sees.
 */
#include "helpers.h"

#include <math.h>

#include "descent.h"
#include "plot.h"
#include "png_check.h"

#define ARTICLE_INI "figures/article.ini"

/* The article's iterates (../shared/ARTICLE.md), written independently of
 * sgdplot's own arithmetic. */
struct article_case {
	const char *name;
	double lr;
	double theta1, theta2, theta10, loss10;
	const char *summary_row;
};

static const struct article_case cases[] = {
	{ "lr-0.05", 0.05, -0.9, -0.805, -0.19747387847675782,
	  1.2169718448170843,
	  "lr-0.05\t0.05\t10\t-1\t-0.19747387847675782\t1.2169718448170843\t"
	  "monotone\tok\n" },
	{ "lr-0.33", 0.33, -0.34, 0.1022, 0.9635432439089647,
	  0.5006645475323406,
	  "lr-0.33\t0.33\t10\t-1\t0.9635432439089647\t0.5006645475323406\t"
	  "monotone\tok\n" },
	{ "lr-1.87", 1.87, 2.74, -0.5138, 0.503153171617128,
	  0.6234283854370595,
	  "lr-1.87\t1.87\t10\t-1\t0.503153171617128\t0.6234283854370595\t"
	  "oscillating\tok\n" },
	{ "lr-2.18", 2.18, 3.36, -1.7848, -9.467671107597148,
	  55.28606920841205,
	  "lr-2.18\t2.18\t10\t-1\t-9.467671107597148\t55.28606920841205\t"
	  "divergent\tok\n" },
};

static char *outdir;

static void setup(void)
{
	outdir = scratch_dir();
}

static void teardown(void)
{
	rm_rf(outdir);
	free(outdir);
}

static struct run_result sgdplot(const char *a1, const char *a2,
				 const char *a3, const char *a4,
				 const char *a5)
{
	char *argv[] = { sgdplot_bin(), (char *)a1, (char *)a2, (char *)a3,
			 (char *)a4, (char *)a5, NULL };

	return run_argv(argv, NULL);
}

static struct png_check_image load_png(const char *dir, const char *name)
{
	struct png_check_image img;
	struct sgd_error err;
	char *path = path_join(dir, name);
	size_t len;
	char *data = read_text(path, &len);

	cr_assert_not_null(data, "missing %s", path);
	png_check_image_init(&img);
	cr_assert_eq(png_check_decode(data, len, &img, &err), SGD_OK, "%s",
		     err.msg);
	free(data);
	free(path);
	return img;
}

static const unsigned char *pixel(const struct png_check_image *img, int x,
				  int y)
{
	return img->rgba + 4 * ((size_t)y * img->width + (size_t)x);
}

static int is_red(const unsigned char *p)
{
	return p[0] > 170 && p[1] < 90 && p[2] < 90;
}

static int is_blue(const unsigned char *p)
{
	return p[2] > 140 && p[0] < 90 && p[1] > 80 && p[1] < 160;
}

static int is_white(const unsigned char *p)
{
	return p[0] > 245 && p[1] > 245 && p[2] > 245;
}

/* Whether a pixel matching `want` lies within `radius` of (x, y). */
static int near(const struct png_check_image *img, double x, double y,
		int radius, int (*want)(const unsigned char *))
{
	int cx = (int)lround(x), cy = (int)lround(y), dx, dy;

	for (dy = -radius; dy <= radius; dy++)
		for (dx = -radius; dx <= radius; dx++) {
			int px = cx + dx, py = cy + dy;

			if (px >= 0 && py >= 0 && px < (int)img->width &&
			    py < (int)img->height && want(pixel(img, px, py)))
				return 1;
		}
	return 0;
}

static int count_in_disc(const struct png_check_image *img, double x,
			 double y, int radius,
			 int (*want)(const unsigned char *))
{
	int cx = (int)lround(x), cy = (int)lround(y), dx, dy, n = 0;

	for (dy = -radius; dy <= radius; dy++)
		for (dx = -radius; dx <= radius; dx++)
			if (dx * dx + dy * dy <= radius * radius &&
			    want(pixel(img, cx + dx, cy + dy)))
				n++;
	return n;
}

static double article_loss(double theta)
{
	return 0.5 * (theta - 1) * (theta - 1) + 0.5;
}

/* The layout sgdplot computes for a case: ranges and margins that map
 * data to pixels. */
static struct plot_layout article_layout(double lr)
{
	struct sgd_batch batch;
	struct sgd_cost cost = { 1, 1, 0.5 };
	struct sgd_trajectory t;
	struct sgd_error err;
	struct plot_layout layout;
	size_t i;

	/* The configuration as sgdplot read it: its title takes a line. */
	batch_init(&batch);
	cr_assert_eq(batch_load(&batch, ARTICLE_INI, &err), SGD_OK);
	for (i = 0; i < batch.count && batch.configs[i].lr != lr; i++)
		;
	cr_assert(i < batch.count, "no case with lr %g", lr);
	descent_trajectory_init(&t);
	cr_assert_eq(descent_run(&t, &cost, lr, -1, 10, &err), SGD_OK);
	plot_layout_compute(&layout, &batch.configs[i], &t, 1000, 1000);
	descent_trajectory_release(&t);
	batch_release(&batch);
	return layout;
}

TestSuite(e2e, .init = setup, .fini = teardown, .timeout = 60);

Test(e2e, article_summary_matches_the_article_exactly)
{
	struct run_result r = sgdplot("-o", outdir, ARTICLE_INI, NULL, NULL);
	char *summary_path = path_join(outdir, "summary.tsv");
	char *summary = read_text(summary_path, NULL);
	const char *header =
		"name\tlr\tepochs\tinit\ttheta\tloss\tregime\tstatus\n";
	size_t i;

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_not_null(summary);
	cr_assert(strncmp(summary, header, strlen(header)) == 0, "%s", summary);
	for (i = 0; i < 4; i++)
		cr_expect_not_null(strstr(summary, cases[i].summary_row),
				   "row for %s missing in:\n%s", cases[i].name,
				   summary);
	/* The same table goes to stdout. */
	cr_expect_str_eq(r.out, summary);
	free(summary);
	free(summary_path);
	run_result_free(&r);
}

Test(e2e, quiet_prints_nothing)
{
	struct run_result r =
		sgdplot("-q", "-o", outdir, ARTICLE_INI, NULL);

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect_str_eq(r.out, "");
	cr_expect_str_eq(r.err, "");
	run_result_free(&r);
}

Test(e2e, data_files_hold_every_iterate_exactly)
{
	struct run_result r =
		sgdplot("-q", "-o", outdir, ARTICLE_INI, NULL);
	size_t i;

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	for (i = 0; i < 4; i++) {
		char name[64], *path, *text, *line;
		double got[11];
		int rows = 0;

		snprintf(name, sizeof(name), "%s.dat", cases[i].name);
		path = path_join(outdir, name);
		text = read_text(path, NULL);
		cr_assert_not_null(text, "missing %s", path);
		cr_expect_not_null(strstr(text, "# step theta loss gradient\n"));
		for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
			long step;
			double theta, loss, grad;

			if (line[0] == '#')
				continue;
			cr_assert_eq(sscanf(line, "%ld %lf %lf %lf", &step,
					    &theta, &loss, &grad),
				     4, "bad row '%s'", line);
			cr_assert_eq(step, rows);
			cr_assert(rows < 11);
			cr_expect_eq(loss, article_loss(theta));
			cr_expect_eq(grad, theta - 1);
			got[rows++] = theta;
		}
		cr_assert_eq(rows, 11, "%s has %d rows", name, rows);
		cr_expect_eq(got[0], -1.0);
		/* The article rounds theta_1 and theta_2 for print; theta_10
		 * it gives exactly. */
		cr_expect(fabs(got[1] - cases[i].theta1) < 1e-12,
			  "%s theta_1 %.17g", name, got[1]);
		cr_expect(fabs(got[2] - cases[i].theta2) < 1e-12,
			  "%s theta_2 %.17g", name, got[2]);
		cr_expect_eq(got[10], cases[i].theta10, "%s theta_10", name);
		free(text);
		free(path);
	}
	run_result_free(&r);
}

Test(e2e, figures_show_iterates_curve_and_star_where_they_belong)
{
	struct run_result r =
		sgdplot("-q", "-o", outdir, ARTICLE_INI, NULL);
	size_t i;

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	for (i = 0; i < 4; i++) {
		char name[64];
		struct plot_layout layout = article_layout(cases[i].lr);
		struct png_check_image img;
		double thetas[4] = { -1, cases[i].theta1, cases[i].theta2,
				     cases[i].theta10 };
		double x, y;
		int k;

		snprintf(name, sizeof(name), "%s.png", cases[i].name);
		img = load_png(outdir, name);
		cr_assert_eq(img.width, 1000);
		cr_assert_eq(img.height, 1000);
		/* A red marker at theta_0, theta_1, theta_2 and theta_10. */
		for (k = 0; k < 4; k++) {
			plot_layout_pixel(&layout, thetas[k],
					  article_loss(thetas[k]), &x, &y);
			cr_expect(count_in_disc(&img, x, y, 3, is_red) >= 20,
				  "%s: no red marker at theta %g (pixel %.0f,%.0f)",
				  name, thetas[k], x, y);
		}
		/* The x range covers the article's window and every iterate. */
		cr_expect(layout.xlo < -1 && layout.xhi > 3);
		cr_expect(layout.xlo < cases[i].theta10 &&
			  layout.xhi > cases[i].theta10);
		/* The blue cost curve, where it is clear of the path. */
		for (x = 2.0; x <= 3.0; x += 0.25) {
			double px, py;

			plot_layout_pixel(&layout, x, article_loss(x), &px,
					  &py);
			if (cases[i].lr > 1)
				continue; /* the zigzag crosses the curve */
			cr_expect(near(&img, px, py, 2, is_blue),
				  "%s: no curve at theta %g", name, x);
		}
		plot_layout_pixel(&layout, 2.5, article_loss(2.5), &x, &y);
		cr_expect(near(&img, x, y, 2, is_blue) ||
			  near(&img, x, y, 2, is_red));
		/* The star at the minimum (1, 0.5): a solid red shape. */
		plot_layout_pixel(&layout, 1, 0.5, &x, &y);
		cr_expect(count_in_disc(&img, x, y, 8, is_red) > 150,
			  "%s: no star at the minimum", name);
		png_check_image_release(&img);
	}
	run_result_free(&r);
}

Test(e2e, pixels_off_the_data_are_paper)
{
	struct run_result r =
		sgdplot("-q", "-o", outdir, ARTICLE_INI, NULL);
	struct plot_layout layout = article_layout(0.05);
	struct png_check_image img;
	double x, y;

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	img = load_png(outdir, "lr-0.05.png");
	/* Far right, low: below the curve, away from path, star and grid
	 * lines (the grid sits on tick values). */
	plot_layout_pixel(&layout, 2.62, 0.83, &x, &y);
	cr_expect(count_in_disc(&img, x, y, 6, is_white) > 100);
	cr_expect_eq(count_in_disc(&img, x, y, 6, is_red), 0);
	cr_expect_eq(count_in_disc(&img, x, y, 6, is_blue), 0);
	png_check_image_release(&img);
	run_result_free(&r);
}

Test(e2e, png_carries_provenance_text)
{
	struct run_result r =
		sgdplot("-q", "-o", outdir, ARTICLE_INI, NULL);
	char *path = path_join(outdir, "lr-1.87.png");
	size_t len = 0;
	char *png = read_text(path, &len);
	char *software = NULL, *description = NULL;
	struct sgd_error err;

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(png_check_get_text(png, len, "Software", &software, &err),
		     SGD_OK);
	cr_assert_eq(png_check_get_text(png, len, "Description", &description,
					&err),
		     SGD_OK);
	cr_assert_not_null(software);
	cr_assert_not_null(description);
	cr_expect(strncmp(software, "sgdplot 0.1.0", 13) == 0, "%s", software);
	cr_expect_not_null(strstr(description, "name=lr-1.87\n"));
	cr_expect_not_null(strstr(description, "lr=1.87\n"));
	cr_expect_not_null(strstr(description, "epochs=10\n"));
	cr_expect_not_null(strstr(description, "init=-1\n"));
	free(software);
	free(description);
	free(png);
	free(path);
	run_result_free(&r);
}

Test(e2e, same_batch_gives_byte_identical_files)
{
	char *second = scratch_dir();
	struct run_result a = sgdplot("-q", "-o", outdir, ARTICLE_INI, NULL);
	struct run_result b = sgdplot("-q", "-o", second, ARTICLE_INI, NULL);
	char *names = list_dir(outdir), *names2 = list_dir(second), *name;

	cr_assert_eq(a.status, 0);
	cr_assert_eq(b.status, 0);
	cr_assert_str_eq(names, names2);
	cr_expect_not_null(strstr(names, "lr-2.18.png\n"));
	for (name = strtok(names, "\n"); name; name = strtok(NULL, "\n")) {
		char *p1 = path_join(outdir, name), *p2 = path_join(second, name);
		size_t l1 = 0, l2 = 0;
		char *t1 = read_text(p1, &l1), *t2 = read_text(p2, &l2);

		cr_expect(l1 == l2 && memcmp(t1, t2, l1) == 0,
			  "%s differs between two runs", name);
		free(t1);
		free(t2);
		free(p1);
		free(p2);
	}
	free(names);
	free(names2);
	rm_rf(second);
	free(second);
	run_result_free(&a);
	run_result_free(&b);
}

Test(e2e, saved_script_redraws_the_same_figure_by_hand)
{
	struct run_result r =
		sgdplot("-q", "-o", outdir, ARTICLE_INI, NULL);
	char *redrawn_dir = scratch_dir();
	char *gp = path_join(outdir, "lr-0.33.gp");
	char *gp_text = read_text(gp, NULL);
	struct png_check_image a, b;
	pid_t pid;
	int wstatus;

	cr_assert_eq(r.status, 0);
	cr_assert_not_null(gp_text);
	cr_expect_not_null(strstr(gp_text, "datafile = 'lr-0.33.dat'"));
	/* Rerun the script by hand, in the output folder, as a user would,
	 * drawing to another name so the original stays for comparison. */
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 2);
		if (chdir(outdir) != 0)
			_exit(126);
		execlp("gnuplot", "gnuplot", "-e", "outfile='by-hand.png'",
		       "lr-0.33.gp", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &wstatus, 0);
	cr_assert(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
	a = load_png(outdir, "lr-0.33.png");
	b = load_png(outdir, "by-hand.png");
	cr_assert_eq(a.width, b.width);
	cr_expect(memcmp(a.rgba, b.rgba, (size_t)a.width * a.height * 4) == 0,
		  "the saved script draws other pixels");
	png_check_image_release(&a);
	png_check_image_release(&b);
	free(gp_text);
	free(gp);
	rm_rf(redrawn_dir);
	free(redrawn_dir);
	run_result_free(&r);
}

Test(e2e, bad_batch_exits_2_and_writes_nothing)
{
	char *ini = path_join(outdir, "bad.ini");
	char *out = path_join(outdir, "out");
	char *keep = path_join(out, "keep.png");
	char *before, *after;
	struct run_result r;

	mkdir(out, 0777);
	write_text(keep, "an earlier figure");
	/* The first file is fine; the error is in the second. */
	write_text(ini, "[ok]\nlr = 0.1\n\n[broken]\nlr = abc\n");
	before = list_dir(out);
	r = sgdplot("-o", out, ARTICLE_INI, ini, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "bad.ini:5: key 'lr': expected a "
					 "finite number >= 0, got 'abc'"),
			   "stderr: %s", r.err);
	cr_expect_str_eq(r.out, "");
	after = list_dir(out);
	cr_expect_str_eq(after, before);
	free(before);
	free(after);
	free(keep);
	free(out);
	free(ini);
	run_result_free(&r);
}

Test(e2e, hostile_title_is_drawn_literally_and_runs_nothing)
{
	char *ini = path_join(outdir, "hostile.ini");
	char *pwned = path_join(outdir, "PWNED");
	char *gp_path = path_join(outdir, "evil.gp");
	char *gp;
	struct run_result r;

	write_text(ini, "[evil]\n"
			"title = it's `touch PWNED` \"$(touch PWNED)\" "
			"system('touch PWNED') ! touch PWNED; \\ θ\n");
	r = sgdplot("-q", "-o", outdir, ini, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_expect(!file_exists(pwned), "the title ran a command");
	gp = read_text(gp_path, NULL);
	cr_assert_not_null(gp);
	cr_expect_not_null(strstr(gp, "set title ('it' . \"'\" . 's `touch "
				      "PWNED` \"$(touch PWNED)\" system(' . "
				      "\"'\" . 'touch PWNED' . \"'\" . ') ! "
				      "touch PWNED; \\ θ') . \"\\n\""),
			   "title not single-quoted in:\n%s", gp);
	free(gp);
	free(gp_path);
	free(pwned);
	free(ini);
	run_result_free(&r);
}

Test(e2e, missing_gnuplot_names_the_package)
{
	struct run_result r = sgdplot("--gnuplot", "/nonexistent/gnuplot", "-o",
				      outdir, ARTICLE_INI);
	char *listing = list_dir(outdir);

	cr_expect_eq(r.status, 1);
	cr_expect_not_null(strstr(r.err, "gnuplot-nox"), "stderr: %s", r.err);
	cr_expect_str_eq(listing, "");
	free(listing);
	run_result_free(&r);
}

Test(e2e, gnuplot_without_pngcairo_is_named)
{
	struct run_result r = sgdplot("--gnuplot", "tests/fake/gnuplot-noterm",
				      "-o", outdir, ARTICLE_INI);

	cr_expect_eq(r.status, 1);
	cr_expect_not_null(strstr(r.err, "pngcairo"), "stderr: %s", r.err);
	run_result_free(&r);
}

Test(e2e, failing_gnuplot_is_relayed_and_leaves_no_figure)
{
	struct run_result r = sgdplot("--gnuplot", "tests/fake/gnuplot-fail",
				      "-o", outdir, ARTICLE_INI);
	char *listing = list_dir(outdir);
	char *summary_path = path_join(outdir, "summary.tsv");
	char *summary = read_text(summary_path, NULL);

	cr_expect_eq(r.status, 1);
	cr_expect_not_null(strstr(r.err, "[lr-0.05]: gnuplot exited with "
					 "status 1: line 12: undefined "
					 "variable: nonsense"),
			   "stderr: %s", r.err);
	/* Every configuration was tried: the batch goes on. */
	cr_expect_not_null(strstr(r.err, "[lr-2.18]"));
	cr_expect_str_eq(listing, "summary.tsv\n");
	cr_assert_not_null(summary);
	cr_expect_not_null(strstr(summary, "\tfailed\n"));
	free(summary);
	free(summary_path);
	free(listing);
	run_result_free(&r);
}

Test(e2e, junk_png_never_gets_a_final_name)
{
	struct run_result r = sgdplot("--gnuplot", "tests/fake/gnuplot-junk",
				      "-o", outdir, ARTICLE_INI);
	char *listing = list_dir(outdir);

	cr_expect_eq(r.status, 1);
	cr_expect_not_null(strstr(r.err, "not a png"), "stderr: %s", r.err);
	cr_expect_str_eq(listing, "summary.tsv\n");
	free(listing);
	run_result_free(&r);
}

Test(e2e, overflow_is_reported_in_summary_and_figure)
{
	char *ini = path_join(outdir, "huge.ini");
	char *summary_path = path_join(outdir, "summary.tsv");
	char *gp_path = path_join(outdir, "boom.gp");
	char *summary, *gp;
	struct run_result r;

	write_text(ini, "[boom]\nlr = 1e50\nepochs = 50\ninit = 3\n");
	r = sgdplot("-q", "-o", outdir, ini, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	summary = read_text(summary_path, NULL);
	cr_assert_not_null(summary);
	cr_expect_not_null(strstr(summary, "\tdivergent\toverflow at step 4\n"),
			   "%s", summary);
	gp = read_text(gp_path, NULL);
	cr_expect_not_null(strstr(gp, "overflowed at step 4"));
	free(gp);
	free(summary);
	free(gp_path);
	free(summary_path);
	free(ini);
	run_result_free(&r);
}

Test(e2e, help_and_version)
{
	struct run_result h = sgdplot("--help", NULL, NULL, NULL, NULL);
	struct run_result v = sgdplot("--version", NULL, NULL, NULL, NULL);
	struct run_result none = sgdplot(NULL, NULL, NULL, NULL, NULL);

	cr_expect_eq(h.status, 0);
	cr_expect_not_null(strstr(h.out, "usage: sgdplot"));
	cr_expect_eq(v.status, 0);
	cr_expect_str_eq(v.out, "sgdplot 0.1.0\n");
	cr_expect_eq(none.status, 2);
	cr_expect_not_null(strstr(none.err, "no batch file"));
	run_result_free(&h);
	run_result_free(&v);
	run_result_free(&none);
}

/* The zlib header of the first IDAT: FLEVEL (bits 6-7 of its second
 * byte) is 0 for zlib level 1, 2 for libpng's default level 6. */
static int zlib_level_class(const unsigned char *png, size_t len)
{
	size_t p = 8;

	while (p + 12 <= len) {
		size_t n = ((size_t)png[p] << 24) | ((size_t)png[p + 1] << 16) |
			   ((size_t)png[p + 2] << 8) | png[p + 3];

		if (!memcmp(png + p + 4, "IDAT", 4) && n >= 2)
			return png[p + 9] >> 6;
		p += 12 + n;
	}
	return -1;
}

Test(e2e, gnuplot_compresses_fast_and_pixels_stay_the_same)
{
	struct run_result r =
		sgdplot("-q", "-o", outdir, ARTICLE_INI, NULL);
	char *path = path_join(outdir, "lr-2.18.png");
	size_t len = 0;
	char *png = read_text(path, &len);
	pid_t pid;
	int wstatus;
	struct png_check_image fast, plain;

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_eq(zlib_level_class((unsigned char *)png, len), 0,
		     "build/sgdplot-fastpng.so was not in effect");
	/* gnuplot by hand, at libpng's defaults, draws the same pixels. */
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 2);
		unsetenv("LD_PRELOAD");
		if (chdir(outdir) != 0)
			_exit(126);
		execlp("gnuplot", "gnuplot", "-e", "outfile='plain.png'",
		       "lr-2.18.gp", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &wstatus, 0);
	cr_assert(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
	{
		char *plain_path = path_join(outdir, "plain.png");
		size_t plain_len = 0;
		char *plain_png = read_text(plain_path, &plain_len);

		cr_expect_eq(zlib_level_class((unsigned char *)plain_png,
					      plain_len),
			     2);
		free(plain_png);
		free(plain_path);
	}
	fast = load_png(outdir, "lr-2.18.png");
	plain = load_png(outdir, "plain.png");
	cr_expect(memcmp(fast.rgba, plain.rgba, 1000 * 1000 * 4) == 0);
	png_check_image_release(&fast);
	png_check_image_release(&plain);
	free(png);
	free(path);
	run_result_free(&r);
}
