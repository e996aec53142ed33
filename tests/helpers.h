/*
 * helpers.h - what the tests share: scratch folders, files, running the
 * real binary.  Header-only (static functions): each test is one program.
 */
#ifndef SGD_TEST_HELPERS_H
#define SGD_TEST_HELPERS_H

#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The binary under test: $SGDPLOT_BIN (scripts/run-tests.sh sets it), or
 * ./sgdplot, from the repository root where the tests run. */
static inline char *sgdplot_bin(void)
{
	char *bin = getenv("SGDPLOT_BIN");

	return bin && *bin ? bin : "./sgdplot";
}

/* Whether sgdplot is the sanitized build (valgrind cannot run it). */
static inline int sgdplot_sanitized(void)
{
	const char *s = getenv("SGDPLOT_SANITIZED");

	return s && *s;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* A fresh folder under $TMPDIR (or /tmp); free the result, then rm_rf. */
static inline char *scratch_dir(void)
{
	const char *base = getenv("TMPDIR");
	char *path;

	if (!base || !*base)
		base = "/tmp";
	cr_assert(asprintf(&path, "%s/sgdplot-test.XXXXXX", base) > 0);
	cr_assert_not_null(mkdtemp(path), "mkdtemp: %s", strerror(errno));
	return path;
}

static inline void rm_rf(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * A test suite whose every test gets a fresh scratch folder `dir`,
 * removed after it (as jq's tests/setup does), and a time limit.
 */
#define SCRATCH_SUITE(suite, seconds)                                     \
	static char *dir;                                                 \
	static void suite##_setup(void)                                   \
	{                                                                 \
		dir = scratch_dir();                                      \
	}                                                                 \
	static void suite##_teardown(void)                                \
	{                                                                 \
		rm_rf(dir);                                               \
		free(dir);                                                \
		dir = NULL;                                               \
	}                                                                 \
	TestSuite(suite, .init = suite##_setup, .fini = suite##_teardown, \
		  .timeout = seconds)

static inline char *path_join(const char *dir, const char *name)
{
	char *p;

	cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static inline void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");

	cr_assert_not_null(fp, "cannot write %s: %s", path, strerror(errno));
	fputs(text, fp);
	cr_assert_eq(fclose(fp), 0);
}

/* The whole file, NUL-terminated, or NULL when it does not exist. */
static inline char *read_text(const char *path, size_t *len_out)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!fp)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		n = fread(buf + len, 1, 4096, fp);
		len += n;
	} while (n > 0);
	fclose(fp);
	buf[len] = '\0';
	if (len_out)
		*len_out = len;
	return buf;
}

static inline int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Names in `dir`, sorted and joined with '\n' ("" when empty). */
static inline char *list_dir(const char *dir)
{
	struct dirent **names;
	char *out;
	size_t len = 0;
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	cr_assert(n >= 0, "scandir %s: %s", dir, strerror(errno));
	out = calloc(1, 1);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (strcmp(name, ".") && strcmp(name, "..")) {
			out = realloc(out, len + strlen(name) + 2);
			len += (size_t)sprintf(out + len, "%s\n", name);
		}
		free(names[i]);
	}
	free(names);
	return out;
}

struct run_result {
	int status; /* exit status, or 128 + signal */
	char *out;  /* standard output, NUL-terminated */
	char *err;  /* standard error */
};

static inline void run_result_free(struct run_result *r)
{
	free(r->out);
	free(r->err);
}

/*
 * Runs argv (argv[0] a path) with no shell, `input` (or nothing) on its
 * standard input, and collects its output.
 */
static inline struct run_result run_argv(char *const argv[], const char *input)
{
	struct run_result r = { 0, NULL, NULL };
	char out_path[] = "/tmp/sgdplot-out.XXXXXX";
	char err_path[] = "/tmp/sgdplot-err.XXXXXX";
	char in_path[] = "/tmp/sgdplot-in.XXXXXX";
	int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
	int in_fd = mkstemp(in_path), wstatus;
	pid_t pid;

	cr_assert(out_fd >= 0 && err_fd >= 0 && in_fd >= 0);
	if (input)
		cr_assert_eq(write(in_fd, input, strlen(input)),
			     (ssize_t)strlen(input));
	lseek(in_fd, 0, SEEK_SET);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(in_fd, 0);
		dup2(out_fd, 1);
		dup2(err_fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &wstatus, 0), pid);
	r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus)
				      : 128 + WTERMSIG(wstatus);
	close(out_fd);
	close(err_fd);
	close(in_fd);
	r.out = read_text(out_path, NULL);
	r.err = read_text(err_path, NULL);
	unlink(out_path);
	unlink(err_path);
	unlink(in_path);
	return r;
}

#endif
