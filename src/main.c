/*
 * sgdplot - gradient-descent figures from batch files.
 *
 * main owns the command line, every message and the exit status.  The
 * batch files are validated first (batch); then workers (workers) make
 * each configuration's figure (figure: descent -> plot -> cache -> fsutil
 * -> gnuplot -> png_check -> fsutil), and main reports the results in
 * batch order and writes the summary (summary).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "error.h"
#include "figure.h"
#include "fsutil.h"
#include "gnuplot.h"
#include "overview.h"
#include "summary.h"
#include "workers.h"

#define SGDPLOT_VERSION "0.1.0"
#define PROGRESS_MIN 8 /* batches smaller than this show no progress */

/* Set by the signal handler; read by main and by gnuplot's loop. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

struct run_options {
	const char *outdir;
	int outdir_given;
	int quiet;
	int force;
	int charts;   /* draw overview.png and loss.png */
	int format_given;          /* -f: every figure in this format */
	unsigned shard, shards;    /* --shard K/N, or 0/0 */
	enum sgd_format format;    /* of the charts, and with -f of all */
	size_t jobs;
	struct gnuplot_options gnuplot;
};

static void usage(FILE *fp)
{
	fputs("usage: sgdplot [-o DIR] [-j N] [-f FORMAT] [--force] "
	      "[--no-charts]\n"
	      "               [--gnuplot PATH] [--timeout SECONDS] "
	      "[--shard K/N] [-q] BATCH...\n"
	      "       sgdplot --list [--shard K/N] BATCH...\n"
	      "       sgdplot --merge-summaries [-o DIR] SUMMARY...\n"
	      "       sgdplot --help | --version\n"
	      "\n"
	      "Runs gradient descent for every configuration of the batch "
	      "files (INI) and\n"
	      "writes NAME.dat, NAME.gp and NAME.png per configuration, and "
	      "summary.tsv.\n"
	      "\n"
	      "  -o, --output DIR     write into DIR (made if missing; "
	      "default .)\n"
	      "  -j, --jobs N         draw with N gnuplot workers (default: "
	      "one per CPU)\n"
	      "  -f, --format FORMAT  draw every figure as png (default), svg "
	      "or pdf\n"
	      "      --force          redraw figures that are up to date\n"
	      "      --no-charts      skip the batch's overview.png and "
	      "loss.png\n"
	      "      --gnuplot PATH   the gnuplot to run (default: gnuplot "
	      "from PATH)\n"
	      "      --timeout SECS   kill gnuplot after SECS per figure "
	      "(default 60)\n"
	      "      --shard K/N      draw only the K-th of N parts of the "
	      "batches\n"
	      "      --list           print the configurations, resolved; "
	      "write nothing\n"
	      "      --merge-summaries SUMMARY...\n"
	      "                       merge the summaries of a sharded run\n"
	      "  -q, --quiet          do not print the summary table\n"
	      "  -h, --help           show this help\n"
	      "  -V, --version        show the version\n"
	      "\n"
	      "Exit status: 0 done, 1 a figure failed, 2 usage or batch "
	      "error,\n"
	      "130/143 interrupted.  A batch of '-' is standard input.\n"
	      "The manual has every key, file and message: man sgdplot\n",
	      fp);
}

/* Whether messages may be coloured: on a terminal, unless NO_COLOR. */
static int use_color(void)
{
	const char *no_color = getenv("NO_COLOR");

	return isatty(STDERR_FILENO) && !(no_color && *no_color);
}

/*
 * Every message goes through here: "sgdplot: " and the text, the form
 * editors and CI annotators parse; the prefix in bold red on a terminal.
 */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;

	fputs(use_color() ? "\033[1;31msgdplot:\033[0m " : "sgdplot: ",
	      stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void report(const struct sgd_error *err)
{
	say("%s", err->msg);
}

static int parse_timeout(const char *text, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end || errno || !isfinite(v) || v <= 0 ||
	    v > 86400)
		return 0;
	*out = v;
	return 1;
}

static int parse_jobs(const char *text, size_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (end == text || *end || errno || v < 1 || v > 256)
		return 0;
	*out = (size_t)v;
	return 1;
}

static void install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A gnuplot that dies mid-script is an EPIPE, not our death. */
	signal(SIGPIPE, SIG_IGN);
}

/*
 * Finds build/sgdplot-fastpng.so (src/fastpng.c) beside this program: in
 * the source tree (./sgdplot, build/sanitize/sgdplot) or installed
 * (PREFIX/bin/sgdplot, PREFIX/lib/sgdplot/).  NULL when there is none:
 * gnuplot then compresses as it always does.
 */
static char *find_fastpng(void)
{
	static const char *const places[] = {
		"/build/sgdplot-fastpng.so",
		"/../sgdplot-fastpng.so",
		"/../lib/sgdplot/sgdplot-fastpng.so",
	};
	char exe[4096], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		char candidate[4200];

		snprintf(candidate, sizeof(candidate), "%s%s", exe, places[i]);
		if (access(candidate, R_OK) == 0)
			return realpath(candidate, NULL);
	}
	return NULL;
}

/* Shows "done/total" on a terminal while the workers run. */
static void show_progress(const struct workers *w, size_t total)
{
	int shown = 0;

	while (!workers_finished(w)) {
		if (total >= PROGRESS_MIN) {
			fprintf(stderr, "\rsgdplot: %zu/%zu figures",
				workers_done(w), total);
			shown = 1;
		}
		nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	}
	if (shown)
		fputs("\r\033[K", stderr);
}

/* Draws one chart and reports its failure; returns its status. */
static enum sgd_status draw_chart(const struct figure_options *fo,
				  struct gnuplot_session *session,
				  const char *name, const char *description,
				  const char *script, size_t len,
				  enum sgd_format format, int width, int height)
{
	struct figure_result result;
	struct figure_job job;

	memset(&result, 0, sizeof(result));
	figure_job_init(&job, NULL, &result);
	figure_chart_render(fo, session, &job, name, description, script, len,
			    format, width, height);
	if (figure_finish(fo, &job))
		say("%s.%s: %s", name, batch_format_name(format),
		    result.err.msg);
	return result.err.status;
}

/*
 * The batch's overview and loss chart, from the figures that were drawn
 * (or up to date): at least two of them, sweeps aside.
 */
static enum sgd_status draw_charts(const struct figure_options *fo,
				   enum sgd_format format,
				   const struct sgd_batch *batch,
				   const struct figure_result *results,
				   struct sgd_error *err)
{
	const struct sgd_config **drawn;
	struct gnuplot_session session;
	struct overview_geometry g;
	struct loss_layout loss;
	enum sgd_status worst = SGD_OK;
	char description[256];
	char *script = NULL;
	size_t n = 0, len, i;

	drawn = malloc(batch->count * sizeof(*drawn));
	if (!drawn)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	for (i = 0; i < batch->count; i++)
		if (!batch->configs[i].sweep.count &&
		    results[i].err.status == SGD_OK)
			drawn[n++] = &batch->configs[i];
	gnuplot_session_init(&session);
	if (n >= 2) {
		overview_geometry(n, &g);
		snprintf(description, sizeof(description),
			 "overview of %zu configurations", n);
		if (overview_script_text(drawn, n, format, fo->software,
					 &script, &len, err) == SGD_OK &&
		    draw_chart(fo, &session, OVERVIEW_NAME, description, script,
			       len, format, g.width, g.height))
			worst = SGD_ERR_GNUPLOT_FAILED;
		else if (err->status)
			worst = err->status;
		free(script);
		script = NULL;
	}
	if (n >= 2 && loss_layout(drawn, n, &loss)) {
		snprintf(description, sizeof(description),
			 "loss per step of %zu configurations", n);
		if (loss_script_text(drawn, n, &loss, format, fo->software,
				     &script, &len, err) == SGD_OK &&
		    draw_chart(fo, &session, LOSS_NAME, description, script,
			       len, format, loss.width, loss.height))
			worst = SGD_ERR_GNUPLOT_FAILED;
		free(script);
	}
	gnuplot_session_release(&session);
	free(drawn);
	return worst;
}

/*
 * Makes every figure; reports failed ones in batch order.  Returns the
 * worst status: SGD_OK, SGD_ERR_GNUPLOT_FAILED (some figure failed), a
 * gnuplot-unusable status (reported by the caller), or
 * SGD_ERR_INTERRUPTED.
 */
static enum sgd_status run_batch(const struct run_options *opt,
				 const struct sgd_batch *batch,
				 struct figure_result *results,
				 struct sgd_error *err)
{
	struct figure_options fo;
	struct workers *w;
	char identity[128];
	enum sgd_status status;
	size_t i;

	if (gnuplot_identity(&opt->gnuplot, identity, sizeof(identity), err))
		return err->status;
	fo.outdir = opt->outdir;
	fo.configs = batch->configs;
	fo.config_count = batch->count;
	fo.software = "sgdplot " SGDPLOT_VERSION;
	fo.gnuplot_identity = identity;
	fo.encoding = opt->gnuplot.preload ? "png: zlib level 1, no filter"
					   : "png: libpng defaults";
	fo.force = opt->force;
	fo.shard = opt->shard;
	fo.shards = opt->shards;
	fo.gnuplot = &opt->gnuplot;
	if (workers_start(&w, &fo, batch->configs, batch->count, results,
			  opt->jobs, err))
		return err->status;
	if (isatty(STDERR_FILENO))
		show_progress(w, batch->count);
	status = workers_wait(w);
	if (stop_signal)
		return SGD_ERR_INTERRUPTED;
	if (status) {
		/* gnuplot cannot be used at all: one message, not one per
		 * figure. */
		for (i = 0; i < batch->count; i++)
			if (results[i].err.status == status) {
				*err = results[i].err;
				break;
			}
		return status;
	}
	for (i = 0; i < batch->count; i++) {
		const struct sgd_config *config = &batch->configs[i];

		if (results[i].err.status == SGD_OK)
			continue;
		say("%s:%d: [%s]: %s", config->file, config->line,
		    config->name, results[i].err.msg);
		status = SGD_ERR_GNUPLOT_FAILED;
	}
	/* A part of a sharded run has part of the figures: the charts are
	 * for a last run over the whole output (the figures then fresh). */
	if (opt->charts && !opt->shards &&
	    draw_charts(&fo, opt->format, batch, results, err) &&
	    !stop_signal)
		status = SGD_ERR_GNUPLOT_FAILED;
	if (stop_signal)
		return SGD_ERR_INTERRUPTED;
	return status;
}

static int parse_shard(const char *text, unsigned *k, unsigned *n)
{
	char *end, *slash;
	long a, b;

	errno = 0;
	a = strtol(text, &slash, 10);
	if (slash == text || *slash != '/' || errno)
		return 0;
	b = strtol(slash + 1, &end, 10);
	if (end == slash + 1 || *end || errno || b < 1 || b > 100000 ||
	    a < 1 || a > b)
		return 0;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 1;
}

/* Writes `text` to stdout, unless quiet, and checks that it got there. */
static int print_table(const char *text, size_t len)
{
	fwrite(text, 1, len, stdout);
	return ferror(stdout) ? 1 : 0;
}

/* --list: the configurations, resolved; nothing written. */
static int cmd_list(const struct run_options *opt,
		    const struct sgd_batch *batch)
{
	const struct sgd_config **shown;
	struct sgd_error err;
	char *table = NULL;
	size_t n = 0, len, i;
	int code;

	shown = malloc((batch->count ? batch->count : 1) * sizeof(*shown));
	if (!shown) {
		say("out of memory");
		return 1;
	}
	for (i = 0; i < batch->count; i++)
		if (!opt->shards ||
		    figure_shard_of(batch->configs[i].name, opt->shards) ==
			    opt->shard)
			shown[n++] = &batch->configs[i];
	if (summary_list_text(shown, n, &table, &len, &err)) {
		report(&err);
		free(shown);
		return sgd_status_exit_code(err.status);
	}
	code = print_table(table, len);
	free(table);
	free(shown);
	return code;
}

/* --merge-summaries: the parts' tables into one. */
static int cmd_merge(const struct run_options *opt, char **paths,
		     size_t count)
{
	char **texts = calloc(count, sizeof(*texts));
	struct sgd_error err;
	char *table = NULL;
	size_t len, i;
	int code = 0;

	if (!texts) {
		say("out of memory");
		return 1;
	}
	sgd_error_init(&err);
	for (i = 0; i < count && !code; i++) {
		size_t n;

		if (fsutil_read_file(paths[i], 64L << 20, &texts[i], &n,
				     &err)) {
			report(&err);
			code = 2;
		} else if (memchr(texts[i], '\0', n)) {
			say("%s: not a summary: it holds NUL bytes", paths[i]);
			code = 2;
		}
	}
	if (!code &&
	    summary_merge((const char *const *)texts,
			  (const char *const *)paths, count, &table, &len,
			  &err)) {
		report(&err);
		code = sgd_status_exit_code(err.status);
	}
	if (!code && opt->outdir_given &&
	    (fsutil_mkdirs(opt->outdir, &err) ||
	     fsutil_write_file(opt->outdir, "summary.tsv", table, len, &err))) {
		report(&err);
		code = 1;
	}
	if (!code && !opt->quiet)
		code = print_table(table, len);
	for (i = 0; i < count; i++)
		free(texts[i]);
	free(texts);
	free(table);
	return code;
}

/* Whether DIR/NAME holds these bytes already: a run that changed
 * nothing then writes nothing, and make sees nothing new. */
static int same_file(const char *dir, const char *name, const char *text,
		     size_t len)
{
	char *path = fsutil_join(dir, name), *old = NULL;
	struct sgd_error err;
	size_t old_len = 0;
	int same;

	same = path && fsutil_read_file(path, len + 1, &old, &old_len,
					&err) == SGD_OK &&
	       old_len == len && memcmp(old, text, len) == 0;
	free(old);
	free(path);
	return same;
}

/* Draws the batch: figures, charts, summary. */
static int cmd_draw(struct run_options *opt, struct sgd_batch *batch)
{
	struct figure_result *results = NULL;
	struct summary_row *rows = NULL;
	struct sgd_error err;
	char *fastpng = NULL, *table = NULL;
	size_t table_len, i;
	enum sgd_status status;
	int code;

	sgd_error_init(&err);
	/* -f is for the whole run: it overrides the batch's format keys. */
	if (opt->format_given)
		for (i = 0; i < batch->count; i++)
			batch->configs[i].format = opt->format;
	status = fsutil_mkdirs(opt->outdir, &err);
	if (!status)
		status = fsutil_check_writable(opt->outdir, &err);
	if (status)
		goto fail;
	opt->gnuplot.workdir = opt->outdir;
	fastpng = find_fastpng();
	opt->gnuplot.preload = fastpng;

	results = calloc(batch->count, sizeof(*results));
	rows = calloc(batch->count, sizeof(*rows));
	if (!results || !rows) {
		status = sgd_error_set(&err, SGD_ERR_NOMEM, "out of memory");
		goto fail;
	}
	status = run_batch(opt, batch, results, &err);
	if (status == SGD_ERR_INTERRUPTED) {
		say("interrupted by signal %d; figures already written are "
		    "complete",
		    (int)stop_signal);
		code = 128 + (int)stop_signal;
		goto out;
	}
	if (status && status != SGD_ERR_GNUPLOT_FAILED)
		goto fail;
	{
		enum sgd_status batch_status = status;

		for (i = 0; i < batch->count; i++) {
			rows[i].config = &batch->configs[i];
			rows[i].theta = results[i].theta;
			rows[i].loss = results[i].loss;
			rows[i].regime = results[i].regime;
			rows[i].overflow_step = results[i].overflow_step;
			rows[i].failed = results[i].err.status != SGD_OK;
			rows[i].elsewhere = results[i].elsewhere;
		}
		status = summary_text(rows, batch->count, &table, &table_len,
				      &err);
		if (!status && !same_file(opt->outdir, "summary.tsv", table,
					  table_len))
			status = fsutil_write_file(opt->outdir, "summary.tsv",
						   table, table_len, &err);
		if (status)
			goto fail;
		if (!opt->quiet)
			fwrite(table, 1, table_len, stdout);
		status = batch_status;
	}
	code = sgd_status_exit_code(status);
	goto out;
fail:
	report(&err);
	code = sgd_status_exit_code(status);
out:
	free(table);
	free(rows);
	free(results);
	free(fastpng);
	return code;
}

int main(int argc, char **argv)
{
	enum { DRAW, LIST, MERGE } mode = DRAW;
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'F' },
		{ "no-charts", no_argument, NULL, 'C' },
		{ "format", required_argument, NULL, 'f' },
		{ "gnuplot", required_argument, NULL, 'g' },
		{ "timeout", required_argument, NULL, 't' },
		{ "shard", required_argument, NULL, 'S' },
		{ "list", no_argument, NULL, 'L' },
		{ "merge-summaries", no_argument, NULL, 'M' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_options opt;
	struct sgd_batch batch;
	struct sgd_error err;
	enum sgd_status status = SGD_OK;
	int ch, code, i;

	memset(&opt, 0, sizeof(opt));
	opt.outdir = ".";
	opt.gnuplot.program = "gnuplot";
	opt.gnuplot.timeout = 60;
	opt.gnuplot.stop = &stop_signal;
	opt.jobs = workers_default_count();
	opt.charts = 1;
	sgd_error_init(&err);
	batch_init(&batch);

	while ((ch = getopt_long(argc, argv, "o:j:f:qhV", longopts, NULL)) !=
	       -1) {
		switch (ch) {
		case 'o':
			opt.outdir = optarg;
			opt.outdir_given = 1;
			break;
		case 'j':
			if (!parse_jobs(optarg, &opt.jobs)) {
				say("-j: expected a whole number from 1 to "
				    "256, got '%s'",
				    optarg);
				return 2;
			}
			break;
		case 'F':
			opt.force = 1;
			break;
		case 'C':
			opt.charts = 0;
			break;
		case 'f':
			if (!batch_format_parse(optarg, &opt.format)) {
				say("-f: expected 'png', 'svg' or 'pdf', got "
				    "'%s'",
				    optarg);
				return 2;
			}
			opt.format_given = 1;
			break;
		case 'g':
			opt.gnuplot.program = optarg;
			break;
		case 't':
			if (!parse_timeout(optarg, &opt.gnuplot.timeout)) {
				say("--timeout: expected seconds > 0 and <= "
				    "86400, got '%s'",
				    optarg);
				return 2;
			}
			break;
		case 'S':
			if (!parse_shard(optarg, &opt.shard, &opt.shards)) {
				say("--shard: expected K/N with 1 <= K <= N, "
				    "got '%s'",
				    optarg);
				return 2;
			}
			break;
		case 'L':
			mode = LIST;
			break;
		case 'M':
			mode = MERGE;
			break;
		case 'q':
			opt.quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return ferror(stdout) || fflush(stdout) ? 1 : 0;
		case 'V':
			printf("sgdplot %s\n", SGDPLOT_VERSION);
			return ferror(stdout) || fflush(stdout) ? 1 : 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		say(mode == MERGE ? "no summary given" : "no batch file given");
		usage(stderr);
		return 2;
	}
	if (!*opt.outdir) {
		say("-o: the output folder name is empty");
		return 2;
	}
	install_signal_handlers();
	if (mode == MERGE) {
		code = cmd_merge(&opt, argv + optind, (size_t)(argc - optind));
		goto out;
	}

	/* Every batch file is validated before anything is written. */
	for (i = optind; i < argc; i++) {
		status = batch_load(&batch, argv[i], &err);
		if (status) {
			report(&err);
			code = sgd_status_exit_code(status);
			goto out;
		}
	}
	code = mode == LIST ? cmd_list(&opt, &batch) : cmd_draw(&opt, &batch);
out:
	batch_release(&batch);
	/* As jq does: output that did not reach stdout is a failure. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (code == 0) {
			say("cannot write to standard output: %s",
			    strerror(errno));
			code = 1;
		}
	}
	return code;
}
