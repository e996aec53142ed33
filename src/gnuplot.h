/*
 * gnuplot.h - running gnuplot: spawn, feed, watch, reap.
 *
 * gnuplot is started directly with an argv (fork and exec, never a shell),
 * in its own process group, in the folder the figure belongs to.  The
 * script is written to its standard input; what it prints (errors and
 * `print` output both go to its stderr) is collected to relay errors.
 *
 * Calling sequence:
 *   1. struct gnuplot_options opt = { "gnuplot", 60, &stop_flag };
 *   2. gnuplot_probe(&opt, version, sizeof(version), &err) once: checks
 *      that the program starts and has the pngcairo terminal;
 *   3. gnuplot_render(&opt, dir, script, len, &err) per figure.
 *
 * Error handling: SGD_ERR_GNUPLOT_MISSING when the program cannot be
 * started, SGD_ERR_GNUPLOT_TERMINAL without pngcairo, SGD_ERR_GNUPLOT_FAILED
 * when it exits non-zero or dies (the message carries its last lines),
 * SGD_ERR_GNUPLOT_TIMEOUT after the deadline (the whole process group is
 * killed), SGD_ERR_INTERRUPTED when *opt.stop becomes non-zero.  No child
 * is left running when a call returns.
 */
#ifndef SGD_GNUPLOT_H
#define SGD_GNUPLOT_H

#include <signal.h>
#include <stddef.h>

#include "error.h"

struct gnuplot_options {
	const char *program;   /* a path, or a name looked up in PATH */
	double timeout;        /* seconds per run */
	/* Set by a signal handler to ask for a stop; may be NULL. */
	const volatile sig_atomic_t *stop;
};

/*
 * Checks that gnuplot runs and offers pngcairo; writes its version
 * (e.g. "5.4.4") into `version`.
 */
enum sgd_status gnuplot_probe(const struct gnuplot_options *opt,
			      char *version, size_t version_size,
			      struct sgd_error *err);

/* Runs `len` bytes of `script` with `workdir` as the current folder. */
enum sgd_status gnuplot_render(const struct gnuplot_options *opt,
			       const char *workdir, const char *script,
			       size_t len, struct sgd_error *err);

#endif
