/*
 * fsutil.h - files that appear whole or not at all.
 *
 * Every file sgdplot writes is first written under a temporary name in its
 * target folder, flushed to disk, and only then renamed to its final name,
 * so a reader (or a crash, or a signal) never sees half a file under a
 * final name.  rename() within one folder is atomic on POSIX systems.
 *
 * Calling sequence (compare git's lockfile.h):
 *   struct fsutil_tmp tmp;
 *   1. fsutil_tmp_create(&tmp, dir, "fig.png", &err): creates an empty
 *      DIR/.fig.png.XXXXXX (mode 0644, less the umask);
 *   2. fsutil_tmp_write(&tmp, data, len, &err), any number of times, or
 *      let another program write to tmp.path after fsutil_tmp_close();
 *   3. fsutil_tmp_commit(&tmp, &err): flushes, closes and renames it to
 *      DIR/fig.png, replacing any file of that name;
 *   or fsutil_tmp_discard(&tmp): removes the temporary file.
 * After commit or discard the struct is empty and may be reused.
 *
 * Error handling: each call returns SGD_OK or SGD_ERR_IO/SGD_ERR_NOMEM
 * with a message naming the path and the system's reason.  A failed
 * commit leaves the temporary file in place for fsutil_tmp_discard().
 */
#ifndef SGD_FSUTIL_H
#define SGD_FSUTIL_H

#include <stddef.h>

#include "error.h"

struct fsutil_tmp {
	char *path;       /* the temporary file; owned; NULL when empty */
	char *final_path; /* the name it gets on commit; owned */
	int fd;           /* open for writing, or -1 */
};

/* Makes `dir` and any missing parents, like mkdir -p. */
enum sgd_status fsutil_mkdirs(const char *dir, struct sgd_error *err);

/*
 * Checks that files can be made in `dir` by making and removing one, so a
 * read-only folder fails before any work rather than at every file.
 */
enum sgd_status fsutil_check_writable(const char *dir, struct sgd_error *err);

void fsutil_tmp_init(struct fsutil_tmp *tmp);

enum sgd_status fsutil_tmp_create(struct fsutil_tmp *tmp, const char *dir,
				  const char *name, struct sgd_error *err);

enum sgd_status fsutil_tmp_write(struct fsutil_tmp *tmp, const void *data,
				 size_t len, struct sgd_error *err);

/* Flushes and closes the descriptor, leaving the file for others. */
enum sgd_status fsutil_tmp_close(struct fsutil_tmp *tmp,
				 struct sgd_error *err);

enum sgd_status fsutil_tmp_commit(struct fsutil_tmp *tmp,
				  struct sgd_error *err);

/* Removes the temporary file, if any, and empties `tmp`; accepts NULL. */
void fsutil_tmp_discard(struct fsutil_tmp *tmp);

/*
 * Writes `len` bytes to DIR/NAME atomically: create, write, commit, and
 * discard on any failure.
 */
enum sgd_status fsutil_write_file(const char *dir, const char *name,
				  const void *data, size_t len,
				  struct sgd_error *err);

/*
 * Reads the whole file at `path` into a malloc'd buffer: the caller owns
 * *data.  Refuses files larger than `max` bytes.
 */
enum sgd_status fsutil_read_file(const char *path, size_t max, char **data,
				 size_t *len, struct sgd_error *err);

/* DIR/NAME in a malloc'd string the caller owns, or NULL. */
char *fsutil_join(const char *dir, const char *name);

#endif
