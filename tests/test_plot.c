/*
 * plot: gnuplot quoting (round-tripped through the real gnuplot, the way
 * Redis checks that sdscatrepr() output parses back), layout and text.
 */
#include "helpers.h"

#include <math.h>

#include "plot.h"

/* Strings a title may hold, each of which gnuplot must print back
 * unchanged from the single-quoted literal plot_quote() makes. */
static const char *const round_trip[] = {
	"plain",
	"",
	"it's",
	"''",
	"'",
	"\"double\"",
	"`touch PWNED`",
	"\"`touch PWNED`\"",
	"'`touch PWNED`'",
	"'''; system('touch PWNED'); '''",
	"a''b",
	"x''",
	"'x",
	"$(touch PWNED)",
	"system('touch PWNED')",
	"! touch PWNED",
	"a; print 'injected'",
	"back\\slash \\n \\\\",
	"#not a comment",
	"θ → ∞, 学习率",
	"{braces} ^super _sub @ &",
};
#define ROUND_TRIP_COUNT (sizeof(round_trip) / sizeof(round_trip[0]))

static char *gnuplot_prints(const char *script)
{
	char *argv[] = { "/usr/bin/env", "gnuplot", NULL };
	struct run_result r = run_argv(argv, script);
	char *out = r.out;

	cr_assert_eq(r.status, 0, "gnuplot failed: %s", r.err);
	free(r.err);
	return out;
}

Test(plot, quote_round_trips_through_gnuplot)
{
	char *script = NULL, *expected = NULL, *printed;
	size_t script_len = 0, expected_len = 0, i;
	FILE *sf = open_memstream(&script, &script_len);
	FILE *ef = open_memstream(&expected, &expected_len);
	char *dir = scratch_dir();
	char *pwned = path_join(dir, "PWNED");

	/* print writes to stdout after `set print '-'`; run in the scratch
	 * folder so a command that did run would leave PWNED there. */
	fprintf(sf, "cd '%s'\nset print '-'\n", dir);
	for (i = 0; i < ROUND_TRIP_COUNT; i++) {
		char quoted[256];

		cr_assert(plot_quote(quoted, sizeof(quoted), round_trip[i]) <
			  sizeof(quoted));
		fprintf(sf, "print '<' . %s . '>'\n", quoted);
		fprintf(ef, "<%s>\n", round_trip[i]);
	}
	fclose(sf);
	fclose(ef);
	printed = gnuplot_prints(script);
	cr_expect_str_eq(printed, expected);
	cr_expect(!file_exists(pwned), "a quoted string ran a command");
	free(printed);
	free(script);
	free(expected);
	rm_rf(dir);
	free(pwned);
	free(dir);
}

/* The control: the hazard the quoting avoids is real in this gnuplot. */
Test(plot, double_quotes_would_run_backquotes)
{
	char *printed = gnuplot_prints("set print '-'\nprint \"`echo ran`\"\n");

	cr_expect_str_eq(printed, "ran\n");
	free(printed);
}

Test(plot, quote_splits_at_single_quotes_and_reports_length)
{
	char buf[32];

	cr_expect_eq(plot_quote(buf, sizeof(buf), "plain"), 7);
	cr_expect_str_eq(buf, "'plain'");
	cr_expect_eq(plot_quote(buf, sizeof(buf), "it's"), 18);
	cr_expect_str_eq(buf, "('it' . \"'\" . 's')");
	/* Too small: cut, NUL-terminated, full length still reported. */
	cr_expect_eq(plot_quote(buf, 4, "abcdef"), 8);
	cr_expect_str_eq(buf, "'ab");
	cr_expect_eq(plot_quote(NULL, 0, "''"), 11); /* ("'" . "'") */
}

static struct sgd_config article_config(double lr)
{
	struct sgd_config c;

	memset(&c, 0, sizeof(c));
	strcpy(c.name, "case");
	c.lr = lr;
	c.epochs = 10;
	c.init = -1;
	c.curvature = 1;
	c.center = 1;
	c.offset = 0.5;
	c.xrange.is_auto = c.yrange.is_auto = 1;
	return c;
}

static void run(struct sgd_trajectory *t, const struct sgd_config *c)
{
	struct sgd_cost cost = { c->curvature, c->center, c->offset };
	struct sgd_error err;

	descent_trajectory_init(t);
	cr_assert_eq(descent_run(t, &cost, c->lr, c->init, c->epochs, &err),
		     SGD_OK);
}

Test(plot, auto_ranges_cover_window_and_every_iterate_with_margin)
{
	static const double lrs[] = { 0.05, 0.33, 1.87, 2.18, 2.5 };
	size_t i, k;

	for (i = 0; i < sizeof(lrs) / sizeof(lrs[0]); i++) {
		struct sgd_config c = article_config(lrs[i]);
		struct sgd_trajectory t;
		struct plot_layout l;

		run(&t, &c);
		plot_layout_compute(&l, &c, &t, 1000, 1000);
		cr_expect(l.xlo < -1 && l.xhi > 3, "lr %g", lrs[i]);
		cr_expect(l.ylo < 0.5, "lr %g", lrs[i]);
		for (k = 0; k < t.count; k++) {
			double px, py;

			plot_layout_pixel(&l, t.theta[k], t.loss[k], &px, &py);
			/* Inside the plot area, not on its border. */
			cr_expect(px > l.left * 999 + 5 &&
				  px < l.right * 999 - 5 &&
				  py > (1 - l.top) * 999 + 5 &&
				  py < (1 - l.bottom) * 999 - 5,
				  "lr %g iterate %zu at %.0f,%.0f", lrs[i], k,
				  px, py);
		}
		descent_trajectory_release(&t);
	}
}

Test(plot, given_ranges_are_used_as_they_are)
{
	struct sgd_config c = article_config(0.33);
	struct sgd_trajectory t;
	struct plot_layout l;

	c.xrange.is_auto = 0;
	c.xrange.lo = -3;
	c.xrange.hi = 5;
	c.yrange.is_auto = 0;
	c.yrange.lo = 0;
	c.yrange.hi = 4;
	run(&t, &c);
	plot_layout_compute(&l, &c, &t, 1000, 1000);
	cr_expect_eq(l.xlo, -3);
	cr_expect_eq(l.xhi, 5);
	cr_expect_eq(l.ylo, 0);
	cr_expect_eq(l.yhi, 4);
	descent_trajectory_release(&t);
}

Test(plot, labels_keep_clear_of_the_star)
{
	/* Case 2 ends 0.04 left of the minimum: "end" must not sit on the
	 * star, nor on "min". */
	struct sgd_config c = article_config(0.33);
	struct sgd_trajectory t;
	struct plot_layout l;
	double sx, sy;

	run(&t, &c);
	plot_layout_compute(&l, &c, &t, 1000, 1000);
	plot_layout_pixel(&l, 1, 0.5, &sx, &sy);
	cr_assert(l.end.shown && l.min.shown && l.start.shown);
	{
		double x0 = l.end.align_right ? l.end.x - 32 : l.end.x;
		int overlaps = x0 < sx + 22 && x0 + 32 > sx - 22 &&
			       l.end.y - 10 < sy + 22 && l.end.y + 10 > sy - 22;

		cr_expect(!overlaps, "end label at %.0f,%.0f on the star at "
				     "%.0f,%.0f",
			  l.end.x, l.end.y, sx, sy);
	}
	cr_expect(fabs(l.end.y - l.min.y) > 19 ||
		  fabs(l.end.x - l.min.x) > 40);
	/* "min" above the star, as in the article. */
	cr_expect(l.min.y < sy);
	descent_trajectory_release(&t);
}

Test(plot, markers_thin_on_long_runs)
{
	struct sgd_config c = article_config(0.001);
	struct sgd_trajectory t;
	struct plot_layout l;

	c.epochs = 100000;
	run(&t, &c);
	plot_layout_compute(&l, &c, &t, 1000, 1000);
	cr_expect(l.marker_every > 1);
	cr_expect(t.count / l.marker_every <= 200);
	descent_trajectory_release(&t);
	c.epochs = 10;
	run(&t, &c);
	plot_layout_compute(&l, &c, &t, 1000, 1000);
	cr_expect_eq(l.marker_every, 1);
	descent_trajectory_release(&t);
}

/* The data file as plot_data_write() writes it, in memory. */
static char *data_text(const struct sgd_config *c,
		       const struct sgd_trajectory *t, size_t *len)
{
	struct plot_layout l;
	struct plot_path path;
	struct sgd_error err;
	char *text = NULL;
	FILE *fp = open_memstream(&text, len);

	cr_assert_not_null(fp);
	plot_layout_compute(&l, c, t, 1000, 1000);
	cr_assert_eq(plot_path_compute(&path, &l, t, &err), SGD_OK);
	cr_assert_eq(plot_data_write(fp, c, t, &path, &err), SGD_OK);
	cr_assert_eq(fclose(fp), 0);
	plot_path_release(&path);
	return text;
}

Test(plot, data_text_is_exact_and_names_columns)
{
	struct sgd_config c = article_config(0.05);
	struct sgd_trajectory t;
	char *text;
	size_t len;

	run(&t, &c);
	text = data_text(&c, &t, &len);
	cr_expect_eq(strlen(text), len);
	cr_expect_not_null(strstr(text, "# sgdplot data for configuration 'case'\n"));
	cr_expect_not_null(strstr(text, "# step theta loss gradient\n"));
	cr_expect_not_null(strstr(text, "\n0 -1 2.5 -2\n"));
	cr_expect_not_null(strstr(text, "\n10 -0.19747387847675782 "
					"1.2169718448170843 "
					"-1.1974738784767578\n"),
			   "%s", text);
	free(text);
	descent_trajectory_release(&t);
}

Test(plot, script_names_its_files_and_user_title_only_single_quoted)
{
	const struct plot_path unthinned = { NULL, 0, 0 };
	struct sgd_config c = article_config(1.87);
	struct sgd_trajectory t;
	struct plot_layout l;
	struct sgd_error err;
	char *text, *pre;
	size_t len, pre_len;

	strcpy(c.title, "a \"b\" `c`");
	run(&t, &c);
	plot_layout_compute(&l, &c, &t, 1000, 1000);
	cr_assert_eq(plot_script_text(&c, &t, &l, &unthinned, "sgdplot test",
				      &text, &len, &err),
		     SGD_OK);
	cr_expect_not_null(strstr(text, "datafile = 'case.dat'"));
	cr_expect_not_null(strstr(text, "outfile = 'case.png'"));
	cr_expect_not_null(strstr(text, "set title 'a \"b\" `c`' . \"\\n\""),
			   "%s", text);
	cr_expect_not_null(strstr(text, "oscillating (1 < lr·a < 2)"));
	cr_expect_not_null(strstr(text, "set xrange ["));
	cr_assert_eq(plot_script_preamble(".case.dat.X", "o'k.png", &pre,
					  &pre_len, &err),
		     SGD_OK);
	cr_expect_str_eq(pre, "datafile = '.case.dat.X'\n"
			   "outfile = ('o' . \"'\" . 'k.png')\n");
	free(pre);
	free(text);
	descent_trajectory_release(&t);
}

Test(plot, run_that_ends_where_it_began_gets_one_label)
{
	static const double lrs[] = { 0, 2 }; /* stalled; bouncing, 10 steps */
	size_t i;

	for (i = 0; i < 2; i++) {
		struct sgd_config c = article_config(lrs[i]);
		struct sgd_trajectory t;
		struct plot_layout l;

		run(&t, &c);
		plot_layout_compute(&l, &c, &t, 1000, 1000);
		cr_expect_str_eq(l.start.text, "start, end", "lr %g", lrs[i]);
		cr_expect(!l.end.shown, "lr %g", lrs[i]);
		descent_trajectory_release(&t);
	}
}

Test(plot, start_and_end_labels_do_not_overlap_at_the_star)
{
	/* From the minimum itself: start, end and min all at the star. */
	struct sgd_config c = article_config(0.5);
	struct sgd_trajectory t;
	struct plot_layout l;

	c.init = 1;
	run(&t, &c);
	plot_layout_compute(&l, &c, &t, 1000, 1000);
	cr_expect_str_eq(l.start.text, "start, end");
	cr_expect_str_eq(l.min.text, "min");
	cr_expect(fabs(l.start.y - l.min.y) > 19 ||
		  fabs(l.start.x - l.min.x) > 100,
		  "start at %.0f,%.0f and min at %.0f,%.0f overlap", l.start.x,
		  l.start.y, l.min.x, l.min.y);
	descent_trajectory_release(&t);
}

/* Long runs: gnuplot gets only the iterates that change the picture. */
Test(plot, long_runs_are_thinned_to_what_the_figure_shows)
{
	static const struct {
		double lr;
		size_t most; /* iterates drawn, at most */
	} rows[] = {
		{ 2.0, 200 },    /* bouncing: two points for ever */
		{ 0.001, 3000 }, /* creeping: many iterates per pixel */
		{ 1.999, 5000 }, /* slow oscillation, shrinking */
		{ 0.5, 200 },    /* converged after a few dozen steps */
	};
	size_t i, k;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sgd_config c = article_config(rows[i].lr);
		struct sgd_trajectory t;
		struct plot_layout l;
		struct plot_path path;
		struct sgd_error err;

		c.epochs = 1000000;
		run(&t, &c);
		plot_layout_compute(&l, &c, &t, 1000, 1000);
		cr_assert_eq(plot_path_compute(&path, &l, &t, &err), SGD_OK);
		cr_expect(path.thinned);
		cr_expect(path.count <= rows[i].most, "lr %g draws %zu",
			  rows[i].lr, path.count);
		/* First, last and every marked iterate are kept, in order. */
		cr_expect_eq(path.index[0], 0);
		cr_expect_eq(path.index[path.count - 1], t.count - 1);
		for (k = 1; k < path.count; k++)
			cr_assert(path.index[k] > path.index[k - 1]);
		for (k = 0; k < t.count; k += l.marker_every) {
			size_t lo = 0, hi = path.count;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (path.index[mid] < k)
					lo = mid + 1;
				else
					hi = mid;
			}
			cr_assert(lo < path.count && path.index[lo] == k,
				  "lr %g: marked iterate %zu dropped",
				  rows[i].lr, k);
		}
		plot_path_release(&path);
		descent_trajectory_release(&t);
	}
}

Test(plot, thinned_path_keeps_every_pixel_the_path_visits)
{
	/* Every iterate's pixel lies on a kept iterate's pixel or on the
	 * segment between two consecutive kept ones (within a pixel). */
	struct sgd_config c = article_config(0.001);
	struct sgd_trajectory t;
	struct plot_layout l;
	struct plot_path path;
	struct sgd_error err;
	size_t k, j = 0;

	c.epochs = 200000;
	run(&t, &c);
	plot_layout_compute(&l, &c, &t, 1000, 1000);
	cr_assert_eq(plot_path_compute(&path, &l, &t, &err), SGD_OK);
	for (k = 0; k < t.count; k++) {
		double x, y, x0, y0, x1, y1, dx, dy, u, d;

		while (j + 1 < path.count && path.index[j + 1] <= k)
			j++;
		plot_layout_pixel(&l, t.theta[k], t.loss[k], &x, &y);
		plot_layout_pixel(&l, t.theta[path.index[j]],
				  t.loss[path.index[j]], &x0, &y0);
		if (j + 1 < path.count)
			plot_layout_pixel(&l, t.theta[path.index[j + 1]],
					  t.loss[path.index[j + 1]], &x1, &y1);
		else
			x1 = x0, y1 = y0;
		dx = x1 - x0;
		dy = y1 - y0;
		u = dx * dx + dy * dy > 0
			    ? ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)
			    : 0;
		u = u < 0 ? 0 : u > 1 ? 1 : u;
		d = hypot(x - (x0 + u * dx), y - (y0 + u * dy));
		cr_assert(d <= 1.5, "iterate %zu is %.2f px off the drawn path",
			  k, d);
	}
	plot_path_release(&path);
	descent_trajectory_release(&t);
}

Test(plot, thinned_data_file_has_a_second_block_the_script_plots)
{
	struct sgd_config c = article_config(2.0);
	struct sgd_trajectory t;
	struct plot_layout l;
	struct plot_path path;
	struct sgd_error err;
	char *text, *script;
	size_t len, script_len;

	c.epochs = 5000;
	run(&t, &c);
	text = data_text(&c, &t, &len);
	cr_expect_not_null(strstr(text, "\n5000 -1 2.5 -2\n\n\n# the "));
	cr_expect_not_null(strstr(text, "(gnuplot: index 1)"));
	plot_layout_compute(&l, &c, &t, 1000, 1000);
	cr_assert_eq(plot_path_compute(&path, &l, &t, &err), SGD_OK);
	cr_assert_eq(plot_script_text(&c, &t, &l, &path, "sgdplot test",
				      &script, &script_len, &err),
		     SGD_OK);
	cr_expect_not_null(strstr(script, "datafile index 1 using 2:3"));
	free(script);
	free(text);
	plot_path_release(&path);
	descent_trajectory_release(&t);
}
