/*
 * sgdplot among other tools: standard input, --list, --shard and
 * --merge-summaries, colour only where it belongs, the manual, and
 * make install.
 */
#include "helpers.h"

#define ARTICLE_INI "figures/article.ini"

SCRATCH_SUITE(cli, 120);

Test(cli, batch_from_standard_input)
{
	char *argv[] = { sgdplot_bin(), "-q", "--no-charts", "-o", dir, "-",
			 NULL };
	struct run_result r = run_argv(argv, "[piped]\nlr = 0.33\n");
	char *listing = list_dir(dir);

	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(listing, "piped.dat\npiped.gp\npiped.png\n"
				  "summary.tsv\n");
	free(listing);
	run_result_free(&r);
}

Test(cli, errors_in_standard_input_name_it)
{
	static const char *const bad[][2] = {
		{ "[a]\nlr = x\n", "sgdplot: <stdin>:2: key 'lr': expected" },
		{ "", "sgdplot: <stdin>: no configurations" },
		{ "[a\n", "sgdplot: <stdin>:1: expected '[name]'" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { sgdplot_bin(), "-o", dir, "-", NULL };
		struct run_result r = run_argv(argv, bad[i][0]);
		char *listing = list_dir(dir);

		cr_expect_eq(r.status, 2);
		cr_expect_not_null(strstr(r.err, bad[i][1]), "%s", r.err);
		cr_expect_str_eq(listing, "", "files written");
		free(listing);
		run_result_free(&r);
	}
}

Test(cli, list_resolves_every_key_and_writes_nothing)
{
	char *out = path_join(dir, "never");
	char *argv[] = { sgdplot_bin(), "--list", "-o", out, ARTICLE_INI,
			 NULL };
	struct run_result r = run_argv(argv, NULL);

	const char *header = "name\tlr\tepochs\tinit\tcurvature\tcenter\t"
			     "offset\txrange\tyrange\tformat\tsize\tstyle\t"
			     "title\tdefined\n";

	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strncmp(r.out, header, strlen(header)) == 0, "%s", r.out);
	/* [defaults] applied: 10 epochs from -1, the cost's defaults. */
	cr_expect_not_null(strstr(r.out, "lr-1.87\t1.87\t10\t-1\t1\t1\t0.5\t"
					 "auto\tauto\tpng\t1000x1000\tsgdplot\t"
					 "too large: jumps across the minimum "
					 "and back\tfigures/article.ini:15\n"),
			   "%s", r.out);
	cr_expect_not_null(strstr(r.out, "sweep\t0:2.5:251\t10\t"), "%s",
			   r.out);
	cr_expect(!file_exists(out), "--list made the output folder");
	run_result_free(&r);
	free(out);
}

Test(cli, list_refuses_a_bad_batch_like_a_run)
{
	char *ini = path_join(dir, "bad.ini");
	char *argv[] = { sgdplot_bin(), "--list", ini, NULL };
	struct run_result r;

	write_text(ini, "[a]\nepochs = 0\n");
	r = run_argv(argv, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "bad.ini:2: key 'epochs'"));
	cr_expect_str_eq(r.out, "");
	run_result_free(&r);
	free(ini);
}

/* A batch of `n` configurations, c000 .. */
static char *write_batch(const char *name, int n)
{
	char *path = path_join(dir, name);
	FILE *fp = fopen(path, "w");
	int i;

	cr_assert_not_null(fp);
	for (i = 0; i < n; i++)
		fprintf(fp, "[c%03d]\nlr = %.3f\ninit = %.1f\nepochs = %d\n\n",
			i, 0.02 + i * 0.011, -1 + (i % 9) * 0.5, 5 + i % 7);
	fclose(fp);
	return path;
}

static struct run_result run6(const char *a, const char *b, const char *c,
			      const char *d, const char *e, const char *f)
{
	char *argv[] = { sgdplot_bin(), (char *)a, (char *)b, (char *)c,
			 (char *)d, (char *)e, (char *)f, NULL };

	return run_argv(argv, NULL);
}

Test(cli, shards_merged_equal_one_whole_run_byte_for_byte, .timeout = 300)
{
	char *ini = write_batch("big.ini", 200);
	char *whole = path_join(dir, "whole");
	char *parts[3], *summaries[3];
	char *merged_dir = path_join(dir, "merged");
	struct run_result r;
	char *names, *name;
	int k;

	r = run6("-q", "--no-charts", "-o", whole, ini, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_result_free(&r);
	for (k = 0; k < 3; k++) {
		char shard[16], sub[16];

		snprintf(shard, sizeof(shard), "%d/3", k + 1);
		snprintf(sub, sizeof(sub), "part%d", k + 1);
		parts[k] = path_join(dir, sub);
		summaries[k] = path_join(parts[k], "summary.tsv");
		r = run6("-q", "--shard", shard, "-o", parts[k], ini);
		cr_assert_eq(r.status, 0, "%s", r.err);
		run_result_free(&r);
	}
	{
		char *argv[] = { sgdplot_bin(), "--merge-summaries", "-o",
				 merged_dir, summaries[0], summaries[1],
				 summaries[2], NULL };
		char *want_path = path_join(whole, "summary.tsv");
		char *want = read_text(want_path, NULL);
		char *got_path = path_join(merged_dir, "summary.tsv");
		char *got;

		r = run_argv(argv, NULL);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_expect_str_eq(r.out, want);
		got = read_text(got_path, NULL);
		cr_expect_str_eq(got, want);
		free(got);
		free(got_path);
		free(want);
		free(want_path);
		run_result_free(&r);
	}
	/* Every figure file of the whole run is in exactly one part, the
	 * same bytes. */
	names = list_dir(whole);
	for (name = strtok(names, "\n"); name; name = strtok(NULL, "\n")) {
		char *p = path_join(whole, name);
		size_t lw = 0;
		char *w = read_text(p, &lw);
		int found = 0;

		if (!strcmp(name, "summary.tsv")) {
			free(w);
			free(p);
			continue;
		}
		for (k = 0; k < 3; k++) {
			char *q = path_join(parts[k], name);
			size_t lq = 0;
			char *t = read_text(q, &lq);

			if (t) {
				found++;
				cr_expect(lq == lw && !memcmp(t, w, lw),
					  "%s differs in part %d", name, k + 1);
			}
			free(t);
			free(q);
		}
		cr_expect_eq(found, 1, "%s is in %d parts", name, found);
		free(w);
		free(p);
	}
	free(names);
	for (k = 0; k < 3; k++) {
		free(parts[k]);
		free(summaries[k]);
	}
	free(merged_dir);
	free(whole);
	free(ini);
}

Test(cli, a_shard_keeps_its_configurations_when_sections_are_added)
{
	char *small = write_batch("small.ini", 30);
	char *large = write_batch("large.ini", 60);
	char *argv1[] = { sgdplot_bin(), "--list", "--shard", "2/4", small,
			  NULL };
	char *argv2[] = { sgdplot_bin(), "--list", "--shard", "2/4", large,
			  NULL };
	struct run_result a = run_argv(argv1, NULL), b = run_argv(argv2, NULL);
	char *line;
	int seen = 0;

	cr_assert_eq(a.status, 0);
	cr_assert_eq(b.status, 0);
	/* Every configuration of part 2 of the small batch (c000..c029)
	 * is still in part 2 of the large one, which adds c030..c059. */
	for (line = strtok(a.out, "\n"); line; line = strtok(NULL, "\n")) {
		char name[16];

		if (!strncmp(line, "name\t", 5))
			continue;
		snprintf(name, sizeof(name), "\n%.4s\t", line);
		cr_expect_not_null(strstr(b.out, name), "%s left its part",
				   name + 1);
		seen++;
	}
	cr_expect(seen > 0 && seen < 30, "part 2 of 4 has %d of 30", seen);
	run_result_free(&a);
	run_result_free(&b);
	free(small);
	free(large);
}

Test(cli, bad_shards_and_merges_are_refused)
{
	static const char *const shards[] = { "0/3", "4/3", "3", "a/b", "1/0",
					      "-1/2", "1/3x" };
	char *one = path_join(dir, "one.tsv"), *two = path_join(dir, "two.tsv");
	struct run_result r;
	size_t i;

	for (i = 0; i < sizeof(shards) / sizeof(shards[0]); i++) {
		r = run6("--shard", shards[i], "-o", dir, ARTICLE_INI, NULL);
		cr_expect_eq(r.status, 2, "--shard %s", shards[i]);
		cr_expect_not_null(strstr(r.err, "--shard: expected K/N"));
		run_result_free(&r);
	}
	write_text(one, "name\tlr\tepochs\tinit\ttheta\tloss\tregime\tstatus\n"
			"a\t0.1\t10\t-1\t0.3\t0.7\tmonotone\tok\n");
	write_text(two, "name\tlr\tepochs\tinit\ttheta\tloss\tregime\tstatus\n"
			"a\t0.1\t10\t-1\t0.3\t0.7\tmonotone\tok\n");
	r = run6("--merge-summaries", one, two, NULL, NULL, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "two.tsv:2: configuration 'a' drawn "
					 "by two parts"),
			   "%s", r.err);
	run_result_free(&r);
	write_text(two, "name\tlr\tepochs\tinit\ttheta\tloss\tregime\tstatus\n"
			"b\t0.1\t10\t-1\t0.3\t0.7\tmonotone\telsewhere\n");
	r = run6("--merge-summaries", one, two, NULL, NULL, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "different batches"), "%s", r.err);
	run_result_free(&r);
	write_text(two, "not a summary\n");
	r = run6("--merge-summaries", one, two, NULL, NULL, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "two.tsv:1: not an sgdplot summary"));
	run_result_free(&r);
	r = run6("--merge-summaries", one, "/nonexistent.tsv", NULL, NULL, NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "cannot open '/nonexistent.tsv'"));
	run_result_free(&r);
	free(one);
	free(two);
}

/* Runs sgdplot under script(1), so that its stderr is a terminal. */
static struct run_result on_terminal(const char *env)
{
	char *cmd;
	char *argv[] = { "/usr/bin/script", "-qec", NULL, "/dev/null", NULL };
	struct run_result r;

	cr_assert(asprintf(&cmd, "%s %s -o %s /nonexistent.ini", env,
			   sgdplot_bin(), dir) > 0);
	argv[2] = cmd;
	r = run_argv(argv, NULL);
	free(cmd);
	return r;
}

Test(cli, colour_only_on_a_terminal_and_never_with_no_color)
{
	char *argv[] = { sgdplot_bin(), "-o", dir, "/nonexistent.ini", NULL };
	struct run_result plain, tty, no_color;

	if (!file_exists("/usr/bin/script"))
		cr_skip_test("needs script(1) from bsdutils for a terminal");
	plain = run_argv(argv, NULL);
	cr_expect(strncmp(plain.err, "sgdplot: /nonexistent.ini: cannot open",
			  38) == 0,
		  "%s", plain.err);
	cr_expect_null(strchr(plain.err, '\033'));
	tty = on_terminal("env -u NO_COLOR");
	cr_expect_not_null(strstr(tty.out, "\033[1;31msgdplot:\033[0m "),
			   "%s", tty.out);
	no_color = on_terminal("env NO_COLOR=1");
	cr_expect_null(strchr(no_color.out, '\033'), "%s", no_color.out);
	cr_expect_not_null(strstr(no_color.out, "sgdplot: /nonexistent.ini"));
	run_result_free(&plain);
	run_result_free(&tty);
	run_result_free(&no_color);
}

Test(cli, manual_page_is_clean_for_mandoc_and_man)
{
	char *lint[] = { "/usr/bin/mandoc", "-T", "lint", "-W", "warning",
			 "sgdplot.1", NULL };
	char *man[] = { "/usr/bin/man", "--warnings", "-l", "sgdplot.1", NULL };
	struct run_result l, m;

	if (!file_exists(lint[0]) || !file_exists(man[0]))
		cr_skip_test("needs mandoc and man (scripts/deps.sh installs "
			     "them)");
	l = run_argv(lint, NULL);
	cr_expect_eq(l.status, 0, "mandoc: %s", l.err);
	m = run_argv(man, NULL);
	cr_expect_eq(m.status, 0);
	cr_expect_str_eq(m.err, "", "man --warnings: %s", m.err);
	cr_expect_not_null(strstr(m.out, "--merge-summaries"));
	run_result_free(&l);
	run_result_free(&m);
}

/* Every long option of --help is in the manual, and every key of the
 * README's key table. */
Test(cli, manual_documents_every_option_and_key)
{
	static const char *const words[] = {
		"--output", "--jobs", "--format", "--force", "--no-charts",
		"--gnuplot", "--timeout", "--shard", "--list",
		"--merge-summaries", "--quiet", "--help", "--version",
		"Ic lr", "Ic epochs", "Ic init", "Ic curvature", "Ic center",
		"Ic offset", "Ic title", "Ic xrange", "Ic yrange", "Ic format",
		"Ic size", "Ic style", "Ic sweep", "summary.tsv", "NO_COLOR",
		"EXIT STATUS",
	};
	char *page = read_text("sgdplot.1", NULL);
	char *argv[] = { sgdplot_bin(), "--help", NULL };
	struct run_result help = run_argv(argv, NULL);
	size_t i;

	cr_assert_not_null(page);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char want[64];

		/* mdoc writes a dash of an option as \-. */
		if (words[i][0] == '-') {
			snprintf(want, sizeof(want), "Fl \\-%s", words[i] + 2);
			for (char *p = want + 5; *p; p++)
				if (*p == '-') {
					memmove(p + 1, p, strlen(p) + 1);
					*p++ = '\\';
				}
			cr_expect_not_null(strstr(help.out, words[i]),
					   "--help lacks %s", words[i]);
		} else {
			snprintf(want, sizeof(want), "%s", words[i]);
		}
		cr_expect_not_null(strstr(page, want), "the manual lacks %s",
				   want);
	}
	cr_expect_not_null(strstr(help.out, "man sgdplot"));
	free(page);
	run_result_free(&help);
}

Test(cli, make_install_and_uninstall_honour_destdir_and_prefix)
{
	char *dest = path_join(dir, "stage");
	char *destdir, *out = path_join(dir, "out");
	char *make_install[] = { "/usr/bin/make", "-s", "install", NULL,
				 "PREFIX=/opt/sgd", NULL };
	char *make_uninstall[] = { "/usr/bin/make", "-s", "uninstall", NULL,
				   "PREFIX=/opt/sgd", NULL };
	char *bin = path_join(dest, "opt/sgd/bin/sgdplot");
	char *lib = path_join(dest, "opt/sgd/lib/sgdplot/sgdplot-fastpng.so");
	char *page = path_join(dest, "opt/sgd/share/man/man1/sgdplot.1");
	struct run_result r;

	cr_assert(asprintf(&destdir, "DESTDIR=%s", dest) > 0);
	make_install[3] = destdir;
	make_uninstall[3] = destdir;
	r = run_argv(make_install, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	run_result_free(&r);
	cr_expect(file_exists(bin) && file_exists(lib) && file_exists(page));
	/* The installed program runs, and finds its library beside it. */
	{
		char *argv[] = { bin, "-q", "--no-charts", "-o", out, "-", NULL };
		char *png_path = path_join(out, "i.png");
		size_t len = 0;
		unsigned char *png;

		r = run_argv(argv, "[i]\nlr = 0.5\n");
		cr_expect_eq(r.status, 0, "%s", r.err);
		png = (unsigned char *)read_text(png_path, &len);
		cr_assert_not_null(png);
		/* The first IDAT's zlib header says level 1 (FLEVEL 0). */
		{
			size_t p = 8;
			int level = -1;

			while (p + 12 <= len) {
				size_t n = ((size_t)png[p] << 24) |
					   ((size_t)png[p + 1] << 16) |
					   ((size_t)png[p + 2] << 8) | png[p + 3];

				if (!memcmp(png + p + 4, "IDAT", 4)) {
					level = png[p + 9] >> 6;
					break;
				}
				p += 12 + n;
			}
			cr_expect_eq(level, 0, "the fast library was not found");
		}
		free(png);
		free(png_path);
		run_result_free(&r);
	}
	if (file_exists("/usr/bin/man")) {
		char *man[] = { "/usr/bin/man", "--warnings", "-l", page, NULL };

		r = run_argv(man, NULL);
		cr_expect_eq(r.status, 0);
		cr_expect_str_eq(r.err, "");
		cr_expect_not_null(strstr(r.out, "SYNOPSIS"));
		run_result_free(&r);
	}
	r = run_argv(make_uninstall, NULL);
	cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
	run_result_free(&r);
	cr_expect(!file_exists(bin) && !file_exists(lib) && !file_exists(page));
	free(destdir);
	free(bin);
	free(lib);
	free(page);
	free(out);
	free(dest);
}

/* The code block after "<!-- recipe: NAME -->" in README.md. */
static char *readme_recipe(const char *name)
{
	char *readme = read_text("README.md", NULL), *start, *end, *out;
	char marker[64];

	cr_assert_not_null(readme);
	snprintf(marker, sizeof(marker), "<!-- recipe: %s -->", name);
	start = strstr(readme, marker);
	cr_assert_not_null(start, "README.md has no recipe %s", name);
	start = strchr(strstr(start, "```"), '\n') + 1;
	end = strstr(start, "```");
	cr_assert_not_null(end);
	out = strndup(start, (size_t)(end - start));
	free(readme);
	return out;
}

Test(cli, readme_makefile_rule_renders_a_docs_folder_incrementally)
{
	char *docs = path_join(dir, "docs");
	char *makefile = path_join(docs, "Makefile");
	char *ini = path_join(docs, "figures.ini");
	char *summary = path_join(docs, "figures/summary.tsv");
	char *rule = readme_recipe("docs-makefile");
	char *bin = realpath(sgdplot_bin(), NULL);
	char *sgd_var, *first_png, *second_png;
	struct stat st1, st2, st3;
	struct run_result r;

	cr_assert(asprintf(&sgd_var, "SGDPLOT=%s", bin) > 0);
	mkdir(docs, 0777);
	write_text(makefile, rule);
	write_text(ini, "[first]\nlr = 0.2\n[second]\nlr = 1.5\n");
	{
		char *argv[] = { "/usr/bin/make", "-s", "-C", docs, sgd_var,
				 NULL };

		r = run_argv(argv, NULL);
		cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
		run_result_free(&r);
		first_png = path_join(docs, "figures/first.png");
		second_png = path_join(docs, "figures/second.png");
		cr_assert(file_exists(first_png) && file_exists(summary));
		cr_assert_eq(stat(second_png, &st1), 0);
		cr_assert_eq(stat(summary, &st2), 0);
		/* Again: make has nothing to do. */
		r = run_argv(argv, NULL);
		cr_expect_eq(r.status, 0);
		cr_expect_str_eq(r.out, "");
		run_result_free(&r);
		/* One configuration changed: only its figure is redrawn. */
		sleep(1);
		write_text(ini, "[first]\nlr = 0.25\n[second]\nlr = 1.5\n");
		r = run_argv(argv, NULL);
		cr_expect_eq(r.status, 0, "%s", r.err);
		run_result_free(&r);
		cr_assert_eq(stat(second_png, &st3), 0);
		cr_expect(st3.st_ino == st1.st_ino &&
			  st3.st_mtim.tv_sec == st1.st_mtim.tv_sec &&
			  st3.st_mtim.tv_nsec == st1.st_mtim.tv_nsec,
			  "second.png was redrawn");
		cr_assert_eq(stat(summary, &st3), 0);
		cr_expect(st3.st_mtim.tv_sec != st2.st_mtim.tv_sec ||
			  st3.st_mtim.tv_nsec != st2.st_mtim.tv_nsec,
			  "the summary did not follow");
	}
	free(first_png);
	free(second_png);
	free(sgd_var);
	free(bin);
	free(rule);
	free(summary);
	free(ini);
	free(makefile);
	free(docs);
}
