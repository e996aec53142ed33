/*
 * The batch's charts: the sweep's stability diagram, overview.png and
 * loss.png.  Their numbers are checked against the closed form, their
 * pixels decoded with libpng and looked for where the layout puts them.
 */
#include "helpers.h"

#include <math.h>

#include "descent.h"
#include "overview.h"
#include "plot.h"
#include "png_check.h"

#define ARTICLE_INI "figures/article.ini"

SCRATCH_SUITE(charts, 60);

static void run_ok(const char *batch)
{
	char *argv[] = { sgdplot_bin(), "-q", "-o", dir, (char *)batch, NULL };
	struct run_result r = run_argv(argv, NULL);

	cr_assert_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
}

static struct png_check_image load_png(const char *name)
{
	struct png_check_image img;
	struct sgd_error err;
	char *path = path_join(dir, name);
	size_t len = 0;
	char *data = read_text(path, &len);

	cr_assert_not_null(data, "missing %s", path);
	png_check_image_init(&img);
	cr_assert_eq(png_check_decode(data, len, &img, &err), SGD_OK, "%s",
		     err.msg);
	free(data);
	free(path);
	return img;
}

/* Pixels whose colour is within `tol` of "#rrggbb", in a disc. */
static int count_color(const struct png_check_image *img, double x, double y,
		       int radius, const char *hex, int tol)
{
	unsigned r, g, b;
	int cx = (int)lround(x), cy = (int)lround(y), dx, dy, n = 0;

	cr_assert_eq(sscanf(hex, "#%02x%02x%02x", &r, &g, &b), 3);
	for (dy = -radius; dy <= radius; dy++)
		for (dx = -radius; dx <= radius; dx++) {
			const unsigned char *p;
			int px = cx + dx, py = cy + dy;

			if (dx * dx + dy * dy > radius * radius || px < 0 ||
			    py < 0 || px >= (int)img->width ||
			    py >= (int)img->height)
				continue;
			p = img->rgba + 4 * ((size_t)py * img->width +
					     (size_t)px);
			if (abs(p[0] - (int)r) <= tol &&
			    abs(p[1] - (int)g) <= tol &&
			    abs(p[2] - (int)b) <= tol)
				n++;
		}
	return n;
}

static struct sgd_batch load_article(void)
{
	struct sgd_batch batch;
	struct sgd_error err;

	batch_init(&batch);
	cr_assert_eq(batch_load(&batch, ARTICLE_INI, &err), SGD_OK, "%s",
		     err.msg);
	return batch;
}

Test(charts, sweep_rows_match_the_closed_form)
{
	char *ini = path_join(dir, "sweep.ini");
	char *dat = path_join(dir, "s.dat");
	struct sgd_cost cost = { 1.5, 0.5, 0.25 };
	char *text, *line;
	int rows = 0;

	write_text(ini, "[s]\nsweep = 0.1:1.9:37\nepochs = 12\ninit = 3\n"
			"curvature = 1.5\ncenter = 0.5\noffset = 0.25\n");
	run_ok(ini);
	text = read_text(dat, NULL);
	cr_assert_not_null(text);
	cr_expect_not_null(strstr(text, "# lr theta loss distance\n"));
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		double lr, theta, loss, dist, want;

		if (line[0] == '#')
			continue;
		cr_assert_eq(sscanf(line, "%lf %lf %lf %lf", &lr, &theta, &loss,
				    &dist),
			     4, "row '%s'", line);
		if (rows == 0)
			cr_expect_eq(lr, 0.1);
		if (rows == 36)
			cr_expect_eq(lr, 1.9);
		want = descent_closed_form(lr, &cost, 3, 12);
		cr_expect(fabs(theta - want) <= 1e-12 * (1 + fabs(want)),
			  "lr %g: theta %.17g, closed form %.17g", lr, theta,
			  want);
		cr_expect_eq(dist, fabs(theta - 0.5));
		cr_expect_eq(loss, descent_cost(&cost, theta));
		rows++;
	}
	cr_expect_eq(rows, 37);
	free(text);
	free(dat);
	free(ini);
}

/* The axes the sweep's script set, read back from it. */
static void sweep_axes(double *xlo, double *xhi, double *ylo, double *yhi)
{
	char *gp_path = path_join(dir, "sweep.gp");
	char *gp = read_text(gp_path, NULL);

	cr_assert_not_null(gp);
	cr_assert_eq(sscanf(strstr(gp, "set xrange ["), "set xrange [%lf:%lf]",
			    xlo, xhi),
		     2);
	cr_assert_eq(sscanf(strstr(gp, "set yrange ["), "set yrange [%lf:%lf]",
			    ylo, yhi),
		     2);
	free(gp);
	free(gp_path);
}

Test(charts, sweep_diagram_draws_the_distances_and_marks_the_cases)
{
	struct sgd_batch batch = load_article();
	struct sgd_cost cost = { 1, 1, 0.5 };
	struct png_check_image img;
	double xlo, xhi, ylo, yhi;
	size_t i;

	run_ok(ARTICLE_INI);
	sweep_axes(&xlo, &xhi, &ylo, &yhi);
	img = load_png("sweep.png");
	for (i = 0; i < batch.count; i++) {
		const struct sgd_config *c = &batch.configs[i];
		double theta, loss, dist, fx, fy, px, py;
		long overflow;

		if (c->sweep.count)
			continue;
		descent_final(&cost, c->lr, -1, 10, &theta, &loss, &overflow);
		dist = fabs(theta - 1);
		fx = (c->lr - xlo) / (xhi - xlo);
		fy = (log10(dist) - log10(ylo)) / (log10(yhi) - log10(ylo));
		px = (0.12 + fx * (0.96 - 0.12)) * 999;
		py = (1 - (0.08 + fy * (0.87 - 0.08))) * 999;
		/* A red mark on the curve at each of the four cases. */
		cr_expect(count_color(&img, px, py, 5, "#d62728", 40) > 40,
			  "%s not marked at %.0f,%.0f", c->name, px, py);
	}
	/* The curve between them: lr 0.6, where nothing else is. */
	{
		double dist = fabs(descent_closed_form(0.6, &cost, -1, 10) - 1);
		double fx = (0.6 - xlo) / (xhi - xlo);
		double fy = (log10(dist) - log10(ylo)) /
			    (log10(yhi) - log10(ylo));

		cr_expect(count_color(&img, (0.12 + fx * 0.84) * 999,
				      (1 - (0.08 + fy * 0.79)) * 999, 3,
				      "#1f77b4", 50) > 3,
			  "no sweep line at lr 0.6");
	}
	png_check_image_release(&img);
	batch_release(&batch);
}

Test(charts, overview_has_a_panel_per_configuration_in_a_grid)
{
	struct sgd_batch batch = load_article();
	const struct sgd_config *drawn[8];
	struct overview_geometry g;
	struct png_check_image img;
	size_t n = 0, i;

	run_ok(ARTICLE_INI);
	for (i = 0; i < batch.count; i++)
		if (!batch.configs[i].sweep.count)
			drawn[n++] = &batch.configs[i];
	cr_assert_eq(n, 4);
	overview_geometry(n, &g);
	cr_expect_eq(g.cols, 2);
	cr_expect_eq(g.rows, 2);
	img = load_png("overview.png");
	cr_assert_eq(img.width, (unsigned)g.width);
	cr_assert_eq(img.height, (unsigned)g.height);
	for (i = 0; i < n; i++) {
		struct sgd_cost cost = { 1, 1, 0.5 };
		struct sgd_trajectory t;
		struct plot_layout l;
		struct plot_frame frame;
		struct sgd_error err;
		double x, y;

		descent_trajectory_init(&t);
		cr_assert_eq(descent_run(&t, &cost, drawn[i]->lr, -1, 10, &err),
			     SGD_OK);
		overview_frame(&g, i, &frame);
		plot_layout_compute_panel(&l, drawn[i], &t, g.width, g.height,
					  &frame, g.scale);
		/* Its star, its start and its end, inside its own frame. */
		plot_layout_pixel(&l, 1, 0.5, &x, &y);
		cr_expect(x > frame.x && x < frame.x + frame.w);
		cr_expect(count_color(&img, x, y, 5, "#d62728", 40) > 50,
			  "panel %zu: no star at %.0f,%.0f", i, x, y);
		plot_layout_pixel(&l, t.theta[0], t.loss[0], &x, &y);
		cr_expect(count_color(&img, x, y, 2, "#d62728", 60) > 5,
			  "panel %zu: no start", i);
		plot_layout_pixel(&l, t.theta[10], t.loss[10], &x, &y);
		cr_expect(count_color(&img, x, y, 2, "#d62728", 60) > 5,
			  "panel %zu: no end", i);
		descent_trajectory_release(&t);
	}
	png_check_image_release(&img);
	batch_release(&batch);
}

Test(charts, loss_chart_draws_each_run_as_its_own_line)
{
	struct sgd_batch batch = load_article();
	const struct sgd_config *drawn[8];
	struct loss_layout l;
	struct png_check_image img;
	size_t n = 0, i;

	run_ok(ARTICLE_INI);
	for (i = 0; i < batch.count; i++)
		if (!batch.configs[i].sweep.count)
			drawn[n++] = &batch.configs[i];
	cr_assert(loss_layout(drawn, n, &l));
	img = load_png("loss.png");
	cr_assert_eq(img.width, (unsigned)l.width);
	for (i = 0; i < n; i++) {
		struct sgd_cost cost = { 1, 1, 0.5 };
		double theta = descent_closed_form(drawn[i]->lr, &cost, -1, 6);
		double x, y;

		/* At step 6, 0.5 (theta_6 - 1)^2, in the line's own colour;
		 * the lines are apart there. */
		loss_pixel(&l, 6, 0.5 * (theta - 1) * (theta - 1), &x, &y);
		cr_expect(count_color(&img, x, y, 3, loss_color(i), 40) > 3,
			  "%s: no line at step 6 (%.0f,%.0f)", drawn[i]->name,
			  x, y);
	}
	png_check_image_release(&img);
	batch_release(&batch);
}

Test(charts, single_configuration_gets_no_charts_and_no_charts_says_so)
{
	char *ini = path_join(dir, "one.ini");
	char *argv[] = { sgdplot_bin(), "-q", "--no-charts", "-o", dir,
			 ARTICLE_INI, NULL };
	struct run_result r;
	char *listing;

	write_text(ini, "[only]\nlr = 0.1\n");
	run_ok(ini);
	listing = list_dir(dir);
	cr_expect_null(strstr(listing, "overview"), "%s", listing);
	cr_expect_null(strstr(listing, "loss"), "%s", listing);
	free(listing);
	r = run_argv(argv, NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	listing = list_dir(dir);
	cr_expect_null(strstr(listing, "overview"), "%s", listing);
	cr_expect_not_null(strstr(listing, "sweep.png"), "%s", listing);
	free(listing);
	run_result_free(&r);
	free(ini);
}

Test(charts, steps_to_one_percent_agree_with_the_iterates)
{
	/* Not 0.9 or 1.1: there |1 - lr|^2 is 1% itself, and rounding
	 * decides between two answers that are both right. */
	static const double lrs[] = { 0.05, 0.33, 0.5, 0.85, 1.0, 1.15, 1.5,
				      1.87, 1.99, 2.0, 2.18 };
	size_t i;

	for (i = 0; i < sizeof(lrs) / sizeof(lrs[0]); i++) {
		struct sgd_cost cost = { 1, 1, 0.5 };
		struct sgd_trajectory t;
		struct sgd_error err;
		long want = descent_steps_within(lrs[i], &cost, -1, 0.01);
		long k, first = -1;

		descent_trajectory_init(&t);
		cr_assert_eq(descent_run(&t, &cost, lrs[i], -1, 2000, &err),
			     SGD_OK);
		for (k = 0; k < (long)t.count; k++)
			if (fabs(t.theta[k] - 1) <= 0.01 * 2) {
				first = k;
				break;
			}
		cr_expect_eq(want, first, "lr %g: closed form %ld, iterates %ld",
			     lrs[i], want, first);
		descent_trajectory_release(&t);
	}
}

/* Vector output: every figure and chart as SVG (valid XML) or PDF (one
 * page that pdfinfo opens, of the size asked for). */
Test(charts, svg_figures_are_valid_xml)
{
	char *argv[] = { sgdplot_bin(), "-q", "-f", "svg", "-o", dir,
			 ARTICLE_INI, NULL };
	struct run_result r = run_argv(argv, NULL);
	char *listing = list_dir(dir), *name;

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_not_null(strstr(listing, "lr-1.87.svg\n"));
	cr_expect_not_null(strstr(listing, "overview.svg\n"));
	cr_expect_null(strstr(listing, ".png"), "%s", listing);
	if (!file_exists("/usr/bin/xmllint"))
		cr_skip_test("xmllint (libxml2-utils) is not installed");
	for (name = strtok(listing, "\n"); name; name = strtok(NULL, "\n")) {
		char *path;
		char *lint[] = { "/usr/bin/xmllint", "--noout", NULL, NULL };
		struct run_result x;

		if (!strstr(name, ".svg"))
			continue;
		path = path_join(dir, name);
		lint[2] = path;
		x = run_argv(lint, NULL);
		cr_expect_eq(x.status, 0, "%s: %s", name, x.err);
		run_result_free(&x);
		free(path);
	}
	free(listing);
	run_result_free(&r);
}

Test(charts, pdf_figures_open_with_the_size_asked_for)
{
	char *ini = path_join(dir, "pdf.ini");
	char *pdf = path_join(dir, "paper.pdf");
	char *pdfinfo[] = { "/usr/bin/pdfinfo", pdf, NULL };
	char *argv[] = { sgdplot_bin(), "-q", "-o", dir, ini, NULL };
	struct run_result r, info, again;
	size_t len1 = 0, len2 = 0;
	char *first, *second;

	write_text(ini, "[paper]\nlr = 0.33\nformat = pdf\nsize = 5x4in\n");
	r = run_argv(argv, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	if (!file_exists("/usr/bin/pdfinfo"))
		cr_skip_test("pdfinfo (poppler-utils) is not installed");
	info = run_argv(pdfinfo, NULL);
	cr_expect_eq(info.status, 0, "%s", info.err);
	cr_expect_not_null(strstr(info.out, "Pages:           1\n"), "%s",
			   info.out);
	/* 5 x 4 inches: 360 x 288 points. */
	cr_expect_not_null(strstr(info.out, "Page size:       360 x 288 pts"),
			   "%s", info.out);
	/* Drawn again, the same bytes: cairo's date stamp is fixed. */
	first = read_text(pdf, &len1);
	{
		char *force[] = { sgdplot_bin(), "-q", "--force", "-o", dir, ini,
				  NULL };

		again = run_argv(force, NULL);
	}
	cr_assert_eq(again.status, 0);
	second = read_text(pdf, &len2);
	cr_expect(len1 == len2 && memcmp(first, second, len1) == 0,
		  "two runs gave different PDFs");
	/* And up to date the third time. */
	{
		struct run_result third = run_argv(argv, NULL);
		char *third_text = read_text(pdf, NULL);

		cr_expect_eq(third.status, 0);
		free(third_text);
		run_result_free(&third);
	}
	free(first);
	free(second);
	run_result_free(&r);
	run_result_free(&info);
	run_result_free(&again);
	free(pdf);
	free(ini);
}

Test(charts, size_key_sets_the_png_size)
{
	char *ini = path_join(dir, "size.ini");
	struct png_check_image img;

	write_text(ini, "[wide]\nsize = 1600x900\n[small]\nsize = 4x3in\n");
	run_ok(ini);
	img = load_png("wide.png");
	cr_expect_eq(img.width, 1600);
	cr_expect_eq(img.height, 900);
	png_check_image_release(&img);
	img = load_png("small.png");
	cr_expect_eq(img.width, 400);
	cr_expect_eq(img.height, 300);
	png_check_image_release(&img);
	free(ini);
}

Test(charts, bad_formats_and_sizes_are_refused)
{
	static const char *const bad[][2] = {
		{ "format = jpeg", "key 'format': expected 'png', 'svg' or "
				   "'pdf', got 'jpeg'" },
		{ "format = PNG", "key 'format'" },
		{ "size = 100x100", "key 'size': expected 'WxH' in pixels from "
				    "200 to 8000" },
		{ "size = 9000x1000", "got '9000x1000'" },
		{ "size = 1000", "got '1000'" },
		{ "size = 1000x", "got '1000x'" },
		{ "size = 10x10ft", "got '10x10ft'" },
		{ "size = 1x1in", "got '1x1in'" },
		{ "size = axb", "got 'axb'" },
		{ "size = 1000 x 1000", "got '1000 x 1000'" },
		{ "style = fancy", "key 'style': expected 'sgdplot' or "
				   "'article', got 'fancy'" },
		{ "style = Article", "key 'style'" },
	};
	char *ini = path_join(dir, "bad.ini");
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[128];
		char *argv[] = { sgdplot_bin(), "-o", dir, ini, NULL };
		struct run_result r;

		snprintf(text, sizeof(text), "[a]\n%s\n", bad[i][0]);
		write_text(ini, text);
		r = run_argv(argv, NULL);
		cr_expect_eq(r.status, 2, "%s", bad[i][0]);
		cr_expect_not_null(strstr(r.err, "bad.ini:2: "), "%s", r.err);
		cr_expect_not_null(strstr(r.err, bad[i][1]), "%s: %s",
				   bad[i][0], r.err);
		run_result_free(&r);
	}
	{
		char *argv[] = { sgdplot_bin(), "-f", "gif", "-o", dir,
				 ARTICLE_INI, NULL };
		struct run_result r = run_argv(argv, NULL);

		cr_expect_eq(r.status, 2);
		cr_expect_not_null(strstr(r.err, "-f: expected 'png', 'svg' "
						 "or 'pdf', got 'gif'"));
		run_result_free(&r);
	}
	free(ini);
}

/* style = article: the post's figure, theta_0 left out, the curve only
 * over the window c +/- 2. */
Test(charts, article_style_draws_the_post_as_published)
{
	char *ini = path_join(dir, "post.ini");
	struct sgd_batch batch;
	struct sgd_error err;
	struct sgd_cost cost = { 1, 1, 0.5 };
	struct sgd_trajectory t;
	struct plot_layout l;
	struct png_check_image img;
	double x, y;
	char *gp_path = path_join(dir, "case4.gp");
	char *gp;

	write_text(ini, "[case4]\nstyle = article\nlr = 2.18\n");
	run_ok(ini);
	batch_init(&batch);
	cr_assert_eq(batch_load(&batch, ini, &err), SGD_OK);
	descent_trajectory_init(&t);
	cr_assert_eq(descent_run(&t, &cost, 2.18, -1, 10, &err), SGD_OK);
	plot_layout_compute(&l, &batch.configs[0], &t, 1000, 1000);
	img = load_png("case4.png");
	/* theta_1 and theta_10 are drawn; theta_0 = -1 is not. */
	plot_layout_pixel(&l, t.theta[1], t.loss[1], &x, &y);
	cr_expect(count_color(&img, x, y, 3, "#ff0000", 60) > 8, "no theta_1");
	plot_layout_pixel(&l, t.theta[10], t.loss[10], &x, &y);
	cr_expect(count_color(&img, x, y, 3, "#ff0000", 60) > 8,
		  "no theta_10");
	plot_layout_pixel(&l, -1, 2.5, &x, &y);
	cr_expect_eq(count_color(&img, x, y, 2, "#ff0000", 90), 0,
		     "theta_0 is drawn");
	/* The curve: at theta = 2 (inside the window), not at theta = 5. */
	plot_layout_pixel(&l, 2, 1, &x, &y);
	cr_expect(count_color(&img, x, y, 2, "#1f77b4", 60) > 0);
	plot_layout_pixel(&l, 5, 8.5, &x, &y);
	cr_expect_eq(count_color(&img, x, y, 4, "#1f77b4", 60), 0,
		     "the curve goes past the window");
	/* No title: the post has none. */
	gp = read_text(gp_path, NULL);
	cr_expect_null(strstr(gp, "set title"));
	cr_expect_not_null(strstr(gp, "every ::1 using 2:3"));
	free(gp);
	free(gp_path);
	png_check_image_release(&img);
	descent_trajectory_release(&t);
	batch_release(&batch);
	free(ini);
}
