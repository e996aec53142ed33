/*
 * gnuplot.h - gnuplot sessions: spawn, feed figure after figure, reap.
 *
 * A session is one long-lived gnuplot process that draws many figures:
 * starting gnuplot costs more than drawing a figure, so a worker keeps one
 * and feeds it through a pipe.  gnuplot is started with posix_spawn and an
 * argv (never a shell), in its own process group, in the output folder.
 *
 * The protocol: each script is followed by
 *     unset output
 *     print 'sgdplot-done SEQ', GPVAL_ERRNO
 * gnuplot reading a pipe goes on after an error, so the error number in
 * the marker says whether this figure failed; `unset output` closes the
 * PNG before the marker is printed.  Everything gnuplot prints (errors and
 * `print` share its stderr, which is also its stdout here) is collected
 * between markers, to relay its own words when a figure fails.
 *
 * Calling sequence:
 *   struct gnuplot_session s;
 *   1. gnuplot_session_init(&s);
 *   2. gnuplot_session_render(&s, &opt, script, len, &err) per figure; the
 *      first call starts gnuplot and checks it (gnuplot_session_start()
 *      does that alone, and fills s.version);
 *   3. gnuplot_session_release(&s): ends the process.
 *
 * Error handling: SGD_ERR_GNUPLOT_MISSING when the program cannot be
 * started, SGD_ERR_GNUPLOT_TERMINAL without pngcairo, SGD_ERR_GNUPLOT_FAILED
 * when the figure's script failed or gnuplot died (the message carries its
 * last lines), SGD_ERR_GNUPLOT_TIMEOUT after opt->timeout seconds (the
 * whole process group is killed), SGD_ERR_INTERRUPTED when *opt->stop
 * becomes non-zero.  After an error other than a script error the process
 * is gone, and the next render starts a new one.  No child outlives
 * gnuplot_session_release().
 */
#ifndef SGD_GNUPLOT_H
#define SGD_GNUPLOT_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

#define GNUPLOT_OUTPUT_MAX 16384 /* what a session keeps of its messages */

struct gnuplot_options {
	const char *program;   /* a path, or a name looked up in PATH */
	const char *workdir;   /* gnuplot's current folder */
	double timeout;        /* seconds per figure */
	/* A library for gnuplot's LD_PRELOAD (see src/fastpng.c), or NULL. */
	const char *preload;
	/* Set by a signal handler to ask for a stop; may be NULL. */
	const volatile sig_atomic_t *stop;
};

struct gnuplot_session {
	pid_t pid;             /* -1 when no process runs */
	int in_fd, out_fd;     /* its stdin; its stdout and stderr */
	unsigned long seq;     /* markers sent */
	char version[32];      /* e.g. "5.4.4", once started */
	char output[GNUPLOT_OUTPUT_MAX]; /* messages since the last marker */
	size_t output_len;
	size_t scan;           /* where to look for the next marker */
};

void gnuplot_session_init(struct gnuplot_session *s);

/*
 * Starts gnuplot if it is not running, checks that it answers and has the
 * pngcairo terminal, and records its version.
 */
enum sgd_status gnuplot_session_start(struct gnuplot_session *s,
				      const struct gnuplot_options *opt,
				      struct sgd_error *err);

/* Runs one figure's script (starting gnuplot first if need be). */
enum sgd_status gnuplot_session_render(struct gnuplot_session *s,
				       const struct gnuplot_options *opt,
				       const char *script, size_t len,
				       struct sgd_error *err);

/* Ends the process (closing its input, then killing its group) and
 * empties the session; accepts NULL. */
void gnuplot_session_release(struct gnuplot_session *s);

/*
 * Writes into `out` (`size` bytes) a text that changes when the gnuplot
 * binary does: its size and modification time, found without running it.
 * Debian installs a package's files with the package's own times, so the
 * same gnuplot package gives the same text on every machine.
 */
enum sgd_status gnuplot_identity(const struct gnuplot_options *opt,
				 char *out, size_t size,
				 struct sgd_error *err);

#endif
