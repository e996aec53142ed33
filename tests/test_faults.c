/*
 * Faults, end to end: hostile batch files and a broken environment.
 * Whatever happens, sgdplot ends with a clear message and a non-zero
 * status, and no broken or half-written file carries a final name.
 */
#include "helpers.h"

#include <signal.h>
#include <sys/mount.h>
#include <time.h>

#include "png_check.h"

#define ARTICLE_INI "figures/article.ini"

SCRATCH_SUITE(faults, 120);

static struct run_result sgdplot_argv(const char *const *args)
{
	char *argv[16];
	size_t i;

	argv[0] = sgdplot_bin();
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
	return run_argv(argv, NULL);
}

/* Whether any temporary file (.NAME.XXXXXX) is left in `path`. */
static int has_temporaries(const char *path)
{
	char *names = list_dir(path);
	int found = names[0] == '.' || strstr(names, "\n.") != NULL;

	free(names);
	return found;
}

/*
 * Bad batch files: each must end with status 2, a message naming the
 * file, the line and what was wrong, and an untouched output folder.
 * The first rows are the list; the rest are inventions of ours.
 */
struct bad_batch {
	const char *name;
	const char *text;
	const char *message; /* after "bad.ini:" */
};

static const struct bad_batch bad_batches[] = {
	{ "empty_lr", "[a]\nlr =\n",
	  "2: key 'lr': expected a finite number >= 0, got ''" },
	{ "word_lr", "[a]\nlr = abc\n",
	  "2: key 'lr': expected a finite number >= 0, got 'abc'" },
	{ "trailing_junk", "[a]\nlr = 0.1x\n", "2: key 'lr': expected" },
	{ "two_dots", "[a]\ninit = 1..2\n", "2: key 'init': expected a finite "
					   "number, got '1..2'" },
	{ "nan", "[a]\nlr = nan\n", "2: key 'lr': expected" },
	{ "inf", "[a]\ncenter = inf\n", "2: key 'center': expected" },
	{ "double_overflow", "[a]\ninit = 1e999\n", "2: key 'init': expected" },
	{ "integer_overflow", "[a]\nepochs = 99999999999999999999999\n",
	  "2: key 'epochs': expected a whole number from 1 to 1000000" },
	{ "negative_epochs", "[a]\nepochs = -5\n", "2: key 'epochs'" },
	{ "fractional_epochs", "[a]\nepochs = 2.5\n", "2: key 'epochs'" },
	{ "epochs_over_limit", "[a]\nepochs = 1000001\n", "2: key 'epochs'" },
	{ "zero_curvature", "[a]\ncurvature = 0\n",
	  "2: key 'curvature': expected a finite number > 0, got '0'" },
	{ "negative_curvature", "[a]\ncurvature = -1\n", "2: key 'curvature'" },
	{ "reversed_range", "[a]\nxrange = 2:1\n",
	  "2: key 'xrange': expected 'auto' or 'LO:HI' with finite LO < HI, "
	  "got '2:1'" },
	{ "empty_range", "[a]\nyrange = 1:1\n", "2: key 'yrange'" },
	{ "typo_key", "[a]\nlrr = 0.1\n",
	  "2: unknown key 'lrr' (did you mean 'lr'?)" },
	{ "duplicate_section", "[a]\nlr = 0.1\n[b]\n[a]\n",
	  "4: duplicate section 'a' (first on line 1)" },
	{ "no_configurations", "; nothing here\n[defaults]\nlr = 1\n",
	  " no configurations" },
	{ "empty_file", "", " no configurations" },
	{ "long_line", NULL, "2: line longer than 4096 bytes" },
	{ "dotdot_section", "[..]\n", "1: section name '..'" },
	{ "slash_section", "[a/b]\n", "1: section name 'a/b'" },
	{ "space_section", "[a b]\n", "1: section name 'a b'" },
	{ "hidden_section", "[.a]\n", "1: section name '.a'" },
	{ "control_section", "[a\x01]\n", "1: section name 'a\\x01'" },
	{ "continuation_line", "[a]\ntitle = one\n  system('touch x')\n",
	  "3: expected '[name]' or 'key = value'" },
	/* Ours, beyond the list. */
	{ "hex_float", "[a]\nlr = 0x1p-3\n", "2: key 'lr'" },
	{ "bare_exponent", "[a]\nlr = 1e\n", "2: key 'lr'" },
	{ "decimal_comma", "[a]\ninit = 1,5\n", "2: key 'init'" },
	{ "arabic_digits", "[a]\nepochs = \xd9\xa1\xd9\xa0\n",
	  "2: key 'epochs': expected a whole number from 1 to 1000000, got "
	  "'\\xd9\\xa1\\xd9\\xa0'" },
	{ "three_part_range", "[a]\nxrange = 1:2:3\n", "2: key 'xrange'" },
	{ "half_auto_range", "[a]\nyrange = auto:5\n", "2: key 'yrange'" },
	{ "invalid_utf8_title", "[a]\ntitle = caf\xe9\n", "2: key 'title'" },
	{ "tab_in_title", "[a]\ntitle = a\tb\n", "2: key 'title'" },
	{ "upper_case_key", "[a]\nLR = 0.1\n",
	  "2: unknown key 'LR' (did you mean 'lr'?)" },
	{ "empty_key", "[a]\n= 5\n", "2: unknown key ''" },
	{ "key_before_section", "lr = 0.1\n[a]\n",
	  "1: key 'lr' outside any section" },
	{ "repeated_key", "[a]\nlr = 0.1\n\nlr = 0.2\n",
	  "4: key 'lr' given twice in this section (first on line 2)" },
	{ "unclosed_header", "[a]\n[b\nlr = 1\n",
	  "2: expected '[name]' or 'key = value'" },
	{ "two_defaults", "[defaults]\n[a]\n[defaults]\n",
	  "3: duplicate section 'defaults' (first on line 1)" },
	{ "name_too_long",
	  "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n",
	  "1: section name 'aaaa" },
	{ "plus_inf_lr", "[a]\nlr = +infinity\n", "2: key 'lr'" },
	{ "title_too_long", NULL, "2: key 'title'" },
};
#define BAD_BATCH_COUNT (sizeof(bad_batches) / sizeof(bad_batches[0]))

static void write_bad(const char *path, const struct bad_batch *b)
{
	if (b->text) {
		write_text(path, b->text);
	} else if (!strcmp(b->name, "long_line")) {
		char *text = malloc(6000);

		strcpy(text, "[a]\ntitle = ");
		memset(text + strlen(text), 'x', 5000);
		strcpy(text + 12 + 5000, "\nepochs = 5\n");
		write_text(path, text);
		free(text);
	} else {
		char text[400];

		strcpy(text, "[a]\ntitle = ");
		memset(text + strlen(text), 'y', 201);
		strcpy(text + 12 + 201, "\n");
		write_text(path, text);
	}
}

Test(faults, every_bad_batch_exits_2_with_file_line_and_key)
{
	char *out = path_join(dir, "out");
	char *keep = path_join(out, "earlier.png");
	char *ini = path_join(dir, "bad.ini");
	size_t i;

	mkdir(out, 0777);
	write_text(keep, "a figure from an earlier run");
	for (i = 0; i < BAD_BATCH_COUNT; i++) {
		const char *args[] = { "-o", out, ARTICLE_INI, ini, NULL };
		char expected[512];
		struct run_result r;
		char *listing;

		write_bad(ini, &bad_batches[i]);
		r = sgdplot_argv(args);
		snprintf(expected, sizeof(expected), "sgdplot: %s:%s", ini,
			 bad_batches[i].message);
		cr_expect_eq(r.status, 2, "%s: status %d", bad_batches[i].name,
			     r.status);
		cr_expect_not_null(strstr(r.err, expected),
				   "%s: expected '%s' in stderr: %s",
				   bad_batches[i].name, expected, r.err);
		listing = list_dir(out);
		cr_expect_str_eq(listing, "earlier.png\n", "%s wrote files",
				 bad_batches[i].name);
		free(listing);
		run_result_free(&r);
	}
	free(ini);
	free(keep);
	free(out);
}

Test(faults, nul_bytes_are_refused_with_their_line)
{
	char *ini = path_join(dir, "nul.ini");
	const char *args[] = { "-o", dir, ini, NULL };
	FILE *fp = fopen(ini, "wb");
	struct run_result r;
	char expected[256];

	fwrite("[a]\nlr = 0.1\ntitle = x\0y\n\x89PNG", 1, 29, fp);
	fclose(fp);
	r = sgdplot_argv(args);
	snprintf(expected, sizeof(expected), "%s:3: NUL byte", ini);
	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, expected), "%s", r.err);
	run_result_free(&r);
	free(ini);
}

Test(faults, missing_and_unreadable_batch_files)
{
	char *missing = path_join(dir, "missing.ini");
	const char *args1[] = { "-o", dir, missing, NULL };
	const char *args2[] = { "-o", dir, dir, NULL };
	struct run_result r1 = sgdplot_argv(args1);
	struct run_result r2 = sgdplot_argv(args2);

	cr_expect_eq(r1.status, 2);
	cr_expect_not_null(strstr(r1.err, "missing.ini: cannot open batch "
					  "file: No such file or directory"),
			   "%s", r1.err);
	cr_expect_eq(r2.status, 2);
	cr_expect_not_null(strstr(r2.err, "cannot read batch file: Is a "
					  "directory"),
			   "%s", r2.err);
	run_result_free(&r1);
	run_result_free(&r2);
	free(missing);
}

Test(faults, same_batch_twice_is_a_duplicate)
{
	const char *args[] = { "-o", dir, ARTICLE_INI, ARTICLE_INI, NULL };
	struct run_result r = sgdplot_argv(args);

	cr_expect_eq(r.status, 2);
	cr_expect_not_null(strstr(r.err, "figures/article.ini:7: section "
					 "'lr-0.05' already defined at "
					 "figures/article.ini:7"),
			   "%s", r.err);
	run_result_free(&r);
}

Test(faults, empty_png_never_gets_a_final_name)
{
	const char *args[] = { "--gnuplot", "tests/fake/gnuplot-empty", "-o",
			       dir, ARTICLE_INI, NULL };
	struct run_result r = sgdplot_argv(args);
	char *listing = list_dir(dir);

	cr_expect_eq(r.status, 1);
	cr_expect_not_null(strstr(r.err, "[lr-0.05]: not a png"), "%s", r.err);
	cr_expect_str_eq(listing, "summary.tsv\n");
	free(listing);
	run_result_free(&r);
}

static int process_gone(pid_t pid)
{
	char path[64], *stat;
	int gone;

	if (kill(pid, 0) != 0)
		return 1;
	/* A zombie waiting for a reaper has stopped running too. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	stat = read_text(path, NULL);
	gone = !stat || strstr(stat, ") Z ") != NULL;
	free(stat);
	return gone;
}

/* Every process the hanging fake gnuplot noted is gone. */
static void expect_hang_processes_gone(void)
{
	char *pids_path = path_join(dir, "hang.pids");
	char *pids = read_text(pids_path, NULL);
	char *tok;
	int seen = 0;

	cr_assert_not_null(pids, "the fake gnuplot never ran");
	for (tok = strtok(pids, " \n"); tok; tok = strtok(NULL, " \n")) {
		pid_t pid = (pid_t)atoi(tok);
		int tries;

		for (tries = 0; tries < 50 && !process_gone(pid); tries++)
			usleep(20000);
		cr_expect(process_gone(pid), "process %d still runs", (int)pid);
		seen++;
	}
	cr_expect(seen >= 2);
	free(pids);
	free(pids_path);
}

Test(faults, hanging_gnuplot_is_killed_with_its_children)
{
	const char *args[] = { "--gnuplot", "tests/fake/gnuplot-hang",
			       "--timeout", "0.5", "-o", dir, ARTICLE_INI,
			       NULL };
	struct run_result r = sgdplot_argv(args);
	char *summary_path = path_join(dir, "summary.tsv");
	char *summary = read_text(summary_path, NULL);

	cr_expect_eq(r.status, 1);
	cr_expect_not_null(strstr(r.err, "[lr-0.05]: gnuplot did not finish "
					 "within 0.5 seconds: killed it"),
			   "%s", r.err);
	/* The batch went on: every configuration was tried and failed. */
	cr_expect_not_null(strstr(r.err, "[lr-2.18]: gnuplot did not finish"));
	cr_assert_not_null(summary);
	cr_expect_not_null(strstr(summary, "lr-2.18\t2.18\t10\t-1\t"
					   "-9.467671107597148\t"
					   "55.28606920841205\tdivergent\t"
					   "failed\n"),
			   "%s", summary);
	cr_expect(!has_temporaries(dir));
	expect_hang_processes_gone();
	free(summary);
	free(summary_path);
	run_result_free(&r);
}

static void interrupt_mid_batch(int sig, int expected_status)
{
	char *argv[] = { sgdplot_bin(), "--gnuplot", "tests/fake/gnuplot-hang",
			 "-q", "-o", dir, ARTICLE_INI, NULL };
	char *pids_path = path_join(dir, "hang.pids");
	char *listing;
	int wstatus, tries;
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	/* Wait until gnuplot runs the first figure, then interrupt. */
	for (tries = 0; tries < 500 && !file_exists(pids_path); tries++)
		usleep(10000);
	cr_assert(file_exists(pids_path), "gnuplot never started");
	kill(pid, sig);
	cr_assert_eq(waitpid(pid, &wstatus, 0), pid);
	cr_expect(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == expected_status,
		  "status %d", wstatus);
	cr_expect(!has_temporaries(dir), "temporary files left");
	/* Nothing half-made: no figure, no summary. */
	listing = list_dir(dir);
	cr_expect_str_eq(listing, "hang.pids\n");
	free(listing);
	expect_hang_processes_gone();
	free(pids_path);
}

Test(faults, sigterm_kills_children_and_removes_temporaries)
{
	interrupt_mid_batch(SIGTERM, 143);
}

Test(faults, sigint_kills_children_and_removes_temporaries)
{
	interrupt_mid_batch(SIGINT, 130);
}

Test(faults, output_folder_that_is_a_file)
{
	char *file = path_join(dir, "file");
	const char *args[] = { "-o", file, ARTICLE_INI, NULL };
	struct run_result r;

	write_text(file, "not a folder");
	r = sgdplot_argv(args);
	cr_expect_eq(r.status, 1);
	cr_expect_not_null(strstr(r.err, "is not a folder"), "%s", r.err);
	run_result_free(&r);
	free(file);
}

Test(faults, output_folder_under_a_file_cannot_be_created)
{
	char *file = path_join(dir, "file");
	char *sub = path_join(file, "sub");
	const char *args[] = { "-o", sub, ARTICLE_INI, NULL };
	struct run_result r;

	write_text(file, "not a folder");
	r = sgdplot_argv(args);
	cr_expect_eq(r.status, 1);
	cr_expect_not_null(strstr(r.err, "cannot create output folder"), "%s",
			   r.err);
	run_result_free(&r);
	free(sub);
	free(file);
}

Test(faults, output_folder_not_writable)
{
	/* /proc/self is a folder nobody, root included, can add files to. */
	const char *args[] = { "-o", "/proc/self", ARTICLE_INI, NULL };
	struct run_result r = sgdplot_argv(args);

	cr_expect_eq(r.status, 1);
	cr_expect_not_null(strstr(r.err, "cannot create a file in '/proc/self'"),
			   "%s", r.err);
	run_result_free(&r);
}

/* Every PNG decodes and every data file is whole. */
static void expect_final_files_complete(const char *folder)
{
	char *names = list_dir(folder), *name;

	for (name = strtok(names, "\n"); name; name = strtok(NULL, "\n")) {
		char *path = path_join(folder, name);
		size_t len = 0;
		char *data = read_text(path, &len);

		cr_expect(name[0] != '.', "temporary %s left", name);
		if (strstr(name, ".png")) {
			struct png_check_image img;
			struct sgd_error err;

			png_check_image_init(&img);
			cr_expect_eq(png_check_decode(data, len, &img, &err),
				     SGD_OK, "%s: %s", name, err.msg);
			png_check_image_release(&img);
		} else if (strstr(name, ".dat")) {
			cr_expect(strstr(data, "\n10 ") && data[len - 1] == '\n',
				  "%s is incomplete", name);
		}
		free(data);
		free(path);
	}
	free(names);
}

Test(faults, full_disk_mid_batch_leaves_only_complete_files)
{
	char *mnt = path_join(dir, "small");
	const char *args[] = { "-q", "-o", mnt, ARTICLE_INI, NULL };
	struct run_result r;

	mkdir(mnt, 0777);
	/* Room for about two of the four figures. */
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=160k") != 0)
		cr_skip_test("cannot mount a small tmpfs here (%s): the full-disk "
			     "test needs root and mount rights",
			     strerror(errno));
	r = sgdplot_argv(args);
	cr_expect_eq(r.status, 1, "status %d, stderr %s", r.status, r.err);
	cr_expect_not_null(strstr(r.err, "No space left on device"), "%s",
			   r.err);
	expect_final_files_complete(mnt);
	umount(mnt);
	run_result_free(&r);
	free(mnt);
}

Test(faults, article_run_is_clean_under_valgrind)
{
	char *argv[] = { "/usr/bin/valgrind", "--quiet", "--error-exitcode=99",
			 "--leak-check=full", "--show-leak-kinds=all",
			 "--errors-for-leak-kinds=all", sgdplot_bin(), "-q",
			 "-o", dir, ARTICLE_INI, NULL };
	struct run_result r;

	if (sgdplot_sanitized())
		cr_skip_test("valgrind cannot run the sanitized build");
	if (!file_exists(argv[0]))
		cr_skip_test("valgrind is not installed (scripts/deps.sh "
			     "installs it)");
	r = run_argv(argv, NULL);
	cr_expect_eq(r.status, 0, "valgrind: %s", r.err);
	cr_expect_str_eq(r.err, "");
	run_result_free(&r);
}
