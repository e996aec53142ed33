/*
 * error.h - sgdplot's error values.
 *
 * Every fallible function of sgdplot returns an `enum sgd_status` (SGD_OK is
 * zero) and, on failure, fills the `struct sgd_error` its caller passed as the
 * last parameter.  Nothing below main.c prints: main reports the message and
 * maps the status to an exit code (see sgd_status_exit_code()).
 *
 * Messages follow git's style: lower case, no full stop, the failing thing
 * first, user-supplied subjects in quotes, e.g.
 *
 *   runs.ini:7: key 'lr': expected a finite number >= 0, got 'abc'
 */
#ifndef SGD_ERROR_H
#define SGD_ERROR_H

#include <stddef.h>

enum sgd_status {
	SGD_OK = 0,
	SGD_ERR_USAGE,         /* bad command line */
	SGD_ERR_BATCH,         /* a batch file is malformed or invalid */
	SGD_ERR_IO,            /* reading or writing a file failed */
	SGD_ERR_NOMEM,         /* out of memory */
	SGD_ERR_GNUPLOT_MISSING,  /* gnuplot cannot be started */
	SGD_ERR_GNUPLOT_TERMINAL, /* gnuplot lacks the pngcairo terminal */
	SGD_ERR_GNUPLOT_FAILED,   /* gnuplot exited non-zero or was killed */
	SGD_ERR_GNUPLOT_TIMEOUT,  /* gnuplot did not finish in time */
	SGD_ERR_PNG_INVALID,   /* gnuplot's output is not a valid PNG */
	SGD_ERR_INTERRUPTED,   /* a signal asked us to stop */
	SGD_STATUS_COUNT
};

#define SGD_ERROR_MSG_MAX 1024

struct sgd_error {
	enum sgd_status status;
	char msg[SGD_ERROR_MSG_MAX];
};

/* Empties `err` (status SGD_OK, empty message). */
void sgd_error_init(struct sgd_error *err);

/*
 * Sets `err` to `status` with a printf-style message and returns `status`,
 * so a failing function can `return sgd_error_set(err, ...)`.  A message
 * too long for the buffer is cut, never overflowed.
 */
enum sgd_status sgd_error_set(struct sgd_error *err, enum sgd_status status,
			      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Like sgd_error_set(), then appends ": " and strerror(errnum).  Pass errno
 * as captured right after the failing call.
 */
enum sgd_status sgd_error_errno(struct sgd_error *err, enum sgd_status status,
				int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A short text for each status, e.g. "batch file error"; never NULL. */
const char *sgd_status_text(enum sgd_status status);

/*
 * The process exit code for a status: 0 ok, 1 a figure failed, 2 usage or
 * batch error, 130 interrupted.  The full table is in the README.
 */
int sgd_status_exit_code(enum sgd_status status);

#endif
