/*
 * test_fsutil.c - files that appear whole or not at all.
 *
 * Each test works in its own scratch folder and looks at what a reader of
 * that folder would see (list_dir): the final file, and no leftover
 * ".NAME.XXXXXX" temporary.
 */
#include "helpers.h"

#include "fsutil.h"

/* A scratch folder per test, removed afterwards. */
SCRATCH_SUITE(fsutil, 30);

static void expect_listing(const char *want)
{
	char *got = list_dir(dir);

	cr_expect_str_eq(got, want);
	free(got);
}

/* ---- whole files --------------------------------------------------------- */

Test(fsutil, write_file_creates_file_with_content_and_no_temporary)
{
	struct sgd_error err;
	char *path = path_join(dir, "fig.png");
	char *text;
	size_t len;

	sgd_error_init(&err);
	cr_assert_eq(fsutil_write_file(dir, "fig.png", "hello\0world", 11,
				       &err),
		     SGD_OK, "%s", err.msg);
	expect_listing("fig.png\n");
	text = read_text(path, &len);
	cr_assert_not_null(text);
	cr_expect_eq(len, 11);
	cr_expect(!memcmp(text, "hello\0world", 11));
	free(text);
	free(path);
}

Test(fsutil, write_file_of_zero_bytes_makes_an_empty_file)
{
	struct sgd_error err;
	char *path = path_join(dir, "empty");
	char *text;
	size_t len = 99;

	cr_assert_eq(fsutil_write_file(dir, "empty", "", 0, &err), SGD_OK,
		     "%s", err.msg);
	text = read_text(path, &len);
	cr_assert_not_null(text);
	cr_expect_eq(len, 0);
	expect_listing("empty\n");
	free(text);
	free(path);
}

Test(fsutil, write_file_replaces_an_existing_file)
{
	struct sgd_error err;
	char *path = path_join(dir, "summary.tsv");
	char *text;

	write_text(path, "an old and much longer content\n");
	cr_assert_eq(fsutil_write_file(dir, "summary.tsv", "new\n", 4, &err),
		     SGD_OK, "%s", err.msg);
	text = read_text(path, NULL);
	cr_expect_str_eq(text, "new\n");
	expect_listing("summary.tsv\n");
	free(text);
	free(path);
}

Test(fsutil, write_file_accepts_a_folder_with_a_trailing_slash)
{
	struct sgd_error err;
	char *slashed = path_join(dir, "");
	char *path = path_join(dir, "a.txt");
	char *text;

	cr_assert_eq(fsutil_write_file(slashed, "a.txt", "x", 1, &err),
		     SGD_OK, "%s", err.msg);
	text = read_text(path, NULL);
	cr_expect_str_eq(text, "x");
	free(text);
	free(path);
	free(slashed);
}

Test(fsutil, write_file_in_a_missing_folder_fails_and_leaves_nothing)
{
	struct sgd_error err;
	char *missing = path_join(dir, "nope");

	sgd_error_init(&err);
	cr_expect_eq(fsutil_write_file(missing, "f", "x", 1, &err), SGD_ERR_IO);
	cr_expect_eq(err.status, SGD_ERR_IO);
	cr_expect_not_null(strstr(err.msg, missing), "%s", err.msg);
	expect_listing("");
	free(missing);
}

Test(fsutil, created_file_mode_is_0644_under_umask_022)
{
	struct sgd_error err;
	struct stat st;
	char *path = path_join(dir, "fig.png");
	struct fsutil_tmp tmp;

	umask(022); /* Criterion runs each test in its own process */
	cr_assert_eq(fsutil_write_file(dir, "fig.png", "x", 1, &err), SGD_OK,
		     "%s", err.msg);
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0644, "mode %o", st.st_mode & 07777);

	/* The temporary already has it, before the rename. */
	cr_assert_eq(fsutil_tmp_create(&tmp, dir, "b.png", &err), SGD_OK);
	cr_assert_eq(stat(tmp.path, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0644, "mode %o", st.st_mode & 07777);
	fsutil_tmp_discard(&tmp);

	umask(077);
	cr_assert_eq(fsutil_write_file(dir, "private", "x", 1, &err), SGD_OK);
	free(path);
	path = path_join(dir, "private");
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0600, "mode %o", st.st_mode & 07777);
	free(path);
}

/* ---- the temporary-file steps ---------------------------------------- */

Test(fsutil, tmp_create_makes_a_hidden_temporary_beside_the_target)
{
	struct sgd_error err;
	struct fsutil_tmp tmp;
	char *final = path_join(dir, "fig.png");
	char *prefix = path_join(dir, ".fig.png.");
	char *listing;

	cr_assert_eq(fsutil_tmp_create(&tmp, dir, "fig.png", &err), SGD_OK,
		     "%s", err.msg);
	cr_expect_geq(tmp.fd, 0);
	cr_expect_str_eq(tmp.final_path, final);
	cr_expect(!strncmp(tmp.path, prefix, strlen(prefix)), "%s", tmp.path);
	cr_expect_eq(strlen(tmp.path), strlen(prefix) + 6, "%s", tmp.path);
	cr_expect(file_exists(tmp.path));
	cr_expect(!file_exists(final));
	listing = list_dir(dir);
	cr_expect(!strncmp(listing, ".fig.png.", 9), "%s", listing);
	free(listing);
	fsutil_tmp_discard(&tmp);
	free(final);
	free(prefix);
}

Test(fsutil, tmp_commit_renames_to_the_final_name)
{
	struct sgd_error err;
	struct fsutil_tmp tmp;
	char *final = path_join(dir, "data.tsv");
	char *text;

	cr_assert_eq(fsutil_tmp_create(&tmp, dir, "data.tsv", &err), SGD_OK);
	cr_assert_eq(fsutil_tmp_write(&tmp, "0\t1\n", 4, &err), SGD_OK);
	cr_assert_eq(fsutil_tmp_write(&tmp, "1\t2\n", 4, &err), SGD_OK);
	/* Nothing under the final name until commit. */
	cr_expect(!file_exists(final));
	cr_assert_eq(fsutil_tmp_commit(&tmp, &err), SGD_OK, "%s", err.msg);
	cr_expect_null(tmp.path);
	cr_expect_null(tmp.final_path);
	cr_expect_eq(tmp.fd, -1);
	text = read_text(final, NULL);
	cr_expect_str_eq(text, "0\t1\n1\t2\n");
	expect_listing("data.tsv\n");
	free(text);
	free(final);
}

Test(fsutil, tmp_close_lets_another_writer_fill_the_file)
{
	struct sgd_error err;
	struct fsutil_tmp tmp;
	char *final = path_join(dir, "drawn.png");
	char *text;

	cr_assert_eq(fsutil_tmp_create(&tmp, dir, "drawn.png", &err), SGD_OK);
	cr_assert_eq(fsutil_tmp_close(&tmp, &err), SGD_OK, "%s", err.msg);
	cr_expect_eq(tmp.fd, -1);
	cr_expect_eq(fsutil_tmp_close(&tmp, &err), SGD_OK, "closing twice");
	write_text(tmp.path, "written by gnuplot");
	cr_assert_eq(fsutil_tmp_commit(&tmp, &err), SGD_OK, "%s", err.msg);
	text = read_text(final, NULL);
	cr_expect_str_eq(text, "written by gnuplot");
	expect_listing("drawn.png\n");
	free(text);
	free(final);
}

Test(fsutil, tmp_discard_removes_temporary_and_keeps_existing_final)
{
	struct sgd_error err;
	struct fsutil_tmp tmp;
	char *final = path_join(dir, "fig.png");
	char *text;

	write_text(final, "the figure from last time");
	cr_assert_eq(fsutil_tmp_create(&tmp, dir, "fig.png", &err), SGD_OK);
	cr_assert_eq(fsutil_tmp_write(&tmp, "half a fig", 10, &err), SGD_OK);
	fsutil_tmp_discard(&tmp);
	cr_expect_null(tmp.path);
	cr_expect_null(tmp.final_path);
	cr_expect_eq(tmp.fd, -1);
	expect_listing("fig.png\n");
	text = read_text(final, NULL);
	cr_expect_str_eq(text, "the figure from last time");
	free(text);
	free(final);
}

Test(fsutil, tmp_discard_after_close_removes_temporary)
{
	struct sgd_error err;
	struct fsutil_tmp tmp;

	cr_assert_eq(fsutil_tmp_create(&tmp, dir, "x", &err), SGD_OK);
	cr_assert_eq(fsutil_tmp_close(&tmp, &err), SGD_OK);
	fsutil_tmp_discard(&tmp);
	expect_listing("");
}

Test(fsutil, tmp_discard_accepts_null_and_an_empty_tmp)
{
	struct fsutil_tmp tmp;

	fsutil_tmp_discard(NULL);
	fsutil_tmp_init(&tmp);
	fsutil_tmp_discard(&tmp);
	cr_expect_null(tmp.path);
	cr_expect_eq(tmp.fd, -1);
	fsutil_tmp_discard(&tmp); /* twice is harmless */
}

Test(fsutil, tmp_struct_is_reusable_after_commit)
{
	struct sgd_error err;
	struct fsutil_tmp tmp;

	cr_assert_eq(fsutil_tmp_create(&tmp, dir, "a", &err), SGD_OK);
	cr_assert_eq(fsutil_tmp_commit(&tmp, &err), SGD_OK);
	cr_assert_eq(fsutil_tmp_create(&tmp, dir, "b", &err), SGD_OK);
	cr_assert_eq(fsutil_tmp_write(&tmp, "b", 1, &err), SGD_OK);
	cr_assert_eq(fsutil_tmp_commit(&tmp, &err), SGD_OK);
	expect_listing("a\nb\n");
}

Test(fsutil, tmp_create_in_a_missing_folder_fails_with_io)
{
	struct sgd_error err;
	struct fsutil_tmp tmp;
	char *missing = path_join(dir, "missing/deeper");

	sgd_error_init(&err);
	cr_expect_eq(fsutil_tmp_create(&tmp, missing, "fig.png", &err),
		     SGD_ERR_IO);
	cr_expect_eq(err.status, SGD_ERR_IO);
	cr_expect_not_null(strstr(err.msg, missing), "%s", err.msg);
	cr_expect_not_null(strstr(err.msg, strerror(ENOENT)), "%s", err.msg);
	/* Left empty: discarding it is safe and removes nothing. */
	cr_expect_null(tmp.path);
	cr_expect_null(tmp.final_path);
	cr_expect_eq(tmp.fd, -1);
	fsutil_tmp_discard(&tmp);
	expect_listing("");
	free(missing);
}

Test(fsutil, failed_commit_leaves_temporary_for_discard)
{
	struct sgd_error err;
	struct fsutil_tmp tmp;
	char *blocker = path_join(dir, "taken");
	char *inside = path_join(blocker, "x");

	/* A non-empty folder under the final name: rename() must fail. */
	cr_assert_eq(mkdir(blocker, 0777), 0);
	write_text(inside, "x");
	cr_assert_eq(fsutil_tmp_create(&tmp, dir, "taken", &err), SGD_OK);
	sgd_error_init(&err);
	cr_expect_eq(fsutil_tmp_commit(&tmp, &err), SGD_ERR_IO);
	cr_expect_not_null(strstr(err.msg, "cannot rename"), "%s", err.msg);
	cr_assert_not_null(tmp.path);
	cr_expect(file_exists(tmp.path));
	fsutil_tmp_discard(&tmp);
	expect_listing("taken\n");
	free(inside);
	free(blocker);
}

/* ---- folders -------------------------------------------------------------- */

Test(fsutil, mkdirs_makes_nested_folders)
{
	struct sgd_error err;
	char *deep = path_join(dir, "a/b/c");
	struct stat st;

	cr_assert_eq(fsutil_mkdirs(deep, &err), SGD_OK, "%s", err.msg);
	cr_assert_eq(stat(deep, &st), 0);
	cr_expect(S_ISDIR(st.st_mode));
	expect_listing("a\n");
	free(deep);
}

Test(fsutil, mkdirs_accepts_existing_folder_and_trailing_slash)
{
	struct sgd_error err;
	char *sub = path_join(dir, "out/");
	char *doubled = path_join(dir, "x//y");

	cr_expect_eq(fsutil_mkdirs(dir, &err), SGD_OK, "%s", err.msg);
	cr_expect_eq(fsutil_mkdirs(sub, &err), SGD_OK, "%s", err.msg);
	cr_expect_eq(fsutil_mkdirs(sub, &err), SGD_OK, "again: %s", err.msg);
	cr_expect_eq(fsutil_mkdirs(doubled, &err), SGD_OK, "%s", err.msg);
	cr_expect_eq(fsutil_mkdirs("/", &err), SGD_OK, "%s", err.msg);
	cr_expect_eq(fsutil_mkdirs(".", &err), SGD_OK, "%s", err.msg);
	expect_listing("out\nx\n");
	free(sub);
	free(doubled);
}

Test(fsutil, mkdirs_fails_when_a_path_component_is_a_regular_file)
{
	struct sgd_error err;
	char *file = path_join(dir, "plain");
	char *below = path_join(dir, "plain/sub/deeper");

	write_text(file, "not a folder");
	sgd_error_init(&err);
	cr_expect_eq(fsutil_mkdirs(below, &err), SGD_ERR_IO);
	cr_expect_eq(err.status, SGD_ERR_IO);
	/* It names the path it could not make, and why. */
	cr_expect_not_null(strstr(err.msg, "'"), "%s", err.msg);
	cr_expect_not_null(strstr(err.msg, file), "%s", err.msg);
	cr_expect_not_null(strstr(err.msg, strerror(ENOTDIR)), "%s", err.msg);
	expect_listing("plain\n");
	free(file);
	free(below);
}

Test(fsutil, mkdirs_fails_when_the_folder_itself_is_a_regular_file)
{
	struct sgd_error err;
	char *file = path_join(dir, "plain");
	char want[1024];

	write_text(file, "not a folder");
	sgd_error_init(&err);
	cr_expect_eq(fsutil_mkdirs(file, &err), SGD_ERR_IO);
	snprintf(want, sizeof(want), "output folder '%s' is not a folder",
		 file);
	cr_expect_str_eq(err.msg, want);
	free(file);
}

/* ---- reading ------------------------------------------------------------- */

Test(fsutil, read_file_returns_the_bytes_nul_terminated)
{
	struct sgd_error err;
	char *path = path_join(dir, "in");
	char *data;
	size_t len;

	write_text(path, "0123456789");
	cr_assert_eq(fsutil_read_file(path, 10, &data, &len, &err), SGD_OK,
		     "%s", err.msg);
	cr_expect_eq(len, 10);
	cr_expect_str_eq(data, "0123456789");
	free(data);
	free(path);
}

Test(fsutil, read_file_refuses_a_file_larger_than_max)
{
	struct sgd_error err;
	char *path = path_join(dir, "big");
	char *data = (char *)1;
	size_t len = 1;

	write_text(path, "0123456789!");
	sgd_error_init(&err);
	cr_expect_eq(fsutil_read_file(path, 10, &data, &len, &err), SGD_ERR_IO);
	cr_expect_eq(err.status, SGD_ERR_IO);
	cr_expect_not_null(strstr(err.msg, path), "%s", err.msg);
	cr_expect_not_null(strstr(err.msg, "larger than 10 bytes"), "%s",
			   err.msg);
	cr_expect_null(data);
	cr_expect_eq(len, 0);
	free(path);
}

Test(fsutil, read_file_of_a_missing_path_fails_with_io)
{
	struct sgd_error err;
	char *path = path_join(dir, "absent");
	char *data;
	size_t len;

	sgd_error_init(&err);
	cr_expect_eq(fsutil_read_file(path, 100, &data, &len, &err),
		     SGD_ERR_IO);
	cr_expect_not_null(strstr(err.msg, path), "%s", err.msg);
	cr_expect_not_null(strstr(err.msg, strerror(ENOENT)), "%s", err.msg);
	cr_expect_null(data);
	free(path);
}

Test(fsutil, join_adds_one_slash)
{
	static const struct {
		const char *dir, *name, *want;
	} rows[] = {
		{ "out", "a.png", "out/a.png" },
		{ "out/", "a.png", "out/a.png" },
		{ "/", "a", "/a" },
		{ ".", "a", "./a" },
		{ "", "a", "a" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *got = fsutil_join(rows[i].dir, rows[i].name);

		cr_expect_str_eq(got, rows[i].want, "join('%s', '%s')",
				 rows[i].dir, rows[i].name);
		free(got);
	}
}

Test(fsutil, mkdirs_of_an_empty_path_fails_with_io)
{
	struct sgd_error err;

	/* main refuses "-o ''" itself; the function must still not read
	 * past the end of the string (run under -fsanitize=address). */
	sgd_error_init(&err);
	cr_expect_eq(fsutil_mkdirs("", &err), SGD_ERR_IO, "%s", err.msg);
	cr_expect_eq(err.status, SGD_ERR_IO);
}
