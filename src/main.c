/*
 * sgdplot - gradient-descent figures from batch files.
 *
 * main owns the command line, the loop over configurations, every message
 * and the exit status.  Each configuration flows one way through the
 * modules: batch -> descent -> plot -> fsutil (temporary files) -> gnuplot
 * -> png_check -> fsutil (rename to final names).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "descent.h"
#include "error.h"
#include "fsutil.h"
#include "gnuplot.h"
#include "numfmt.h"
#include "plot.h"
#include "png_check.h"
#include "summary.h"

#define SGDPLOT_VERSION "0.1.0"
#define PNG_SIZE_MAX (64L << 20) /* larger output is not ours */

/* Set by the signal handler; read by main and by gnuplot's loop. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

struct run_options {
	const char *outdir;
	int quiet;
	struct gnuplot_options gnuplot;
	char gnuplot_version[64];
};

static void usage(FILE *fp)
{
	fputs("usage: sgdplot [-o DIR] [--gnuplot PATH] [--timeout SECONDS] "
	      "[-q] BATCH...\n"
	      "       sgdplot --help | --version\n"
	      "\n"
	      "Runs gradient descent for every configuration of the batch "
	      "files (INI) and\n"
	      "writes NAME.dat, NAME.gp and NAME.png per configuration, and "
	      "summary.tsv.\n"
	      "\n"
	      "  -o, --output DIR     write into DIR (made if missing; "
	      "default .)\n"
	      "      --gnuplot PATH   the gnuplot to run (default: gnuplot "
	      "from PATH)\n"
	      "      --timeout SECS   kill gnuplot after SECS per figure "
	      "(default 60)\n"
	      "  -q, --quiet          do not print the summary table\n"
	      "  -h, --help           show this help\n"
	      "  -V, --version        show the version\n"
	      "\n"
	      "Exit status: 0 done, 1 a figure failed, 2 usage or batch "
	      "error,\n"
	      "130/143 interrupted.  The README documents keys and "
	      "messages.\n",
	      fp);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The files of one figure while they are being made. */
struct figure_files {
	struct fsutil_tmp data, script, drawn, png;
};

static void figure_files_discard(struct figure_files *f)
{
	fsutil_tmp_discard(&f->data);
	fsutil_tmp_discard(&f->script);
	fsutil_tmp_discard(&f->drawn);
	fsutil_tmp_discard(&f->png);
}

static enum sgd_status write_tmp(struct fsutil_tmp *tmp, const char *dir,
				 const char *name, const char *text,
				 size_t len, struct sgd_error *err)
{
	if (fsutil_tmp_create(tmp, dir, name, err) ||
	    fsutil_tmp_write(tmp, text, len, err) ||
	    fsutil_tmp_close(tmp, err))
		return err->status;
	return SGD_OK;
}

/*
 * Checks gnuplot's picture and adds provenance: decoded by libpng, of the
 * size asked for, then re-emitted with text chunks into `png`.
 */
static enum sgd_status finish_png(const struct run_options *opt,
				  const struct sgd_config *config,
				  const struct plot_layout *layout,
				  struct figure_files *f,
				  struct sgd_error *err)
{
	char software[96], description[1024 + SGD_NAME_MAX];
	struct png_check_text texts[2];
	struct png_check_image img;
	unsigned char *tagged = NULL;
	char *drawn = NULL;
	size_t drawn_len, tagged_len;
	enum sgd_status status;

	png_check_image_init(&img);
	status = fsutil_read_file(f->drawn.path, PNG_SIZE_MAX, &drawn,
				  &drawn_len, err);
	if (status)
		goto out;
	status = png_check_decode(drawn, drawn_len, &img, err);
	if (status)
		goto out;
	if (img.width != (unsigned)layout->width ||
	    img.height != (unsigned)layout->height) {
		status = sgd_error_set(err, SGD_ERR_PNG_INVALID,
				       "gnuplot drew %ux%u pixels, not %dx%d",
				       img.width, img.height, layout->width,
				       layout->height);
		goto out;
	}
	snprintf(software, sizeof(software), "sgdplot " SGDPLOT_VERSION
		 " (gnuplot %s)", opt->gnuplot_version);
	snprintf(description, sizeof(description), "name=%s\n", config->name);
	batch_describe(config, description + strlen(description),
		       sizeof(description) - strlen(description));
	texts[0].key = "Software";
	texts[0].value = software;
	texts[1].key = "Description";
	texts[1].value = description;
	status = png_check_add_text(drawn, drawn_len, texts, 2, &tagged,
				    &tagged_len, err);
	if (status)
		goto out;
	status = write_tmp(&f->png, opt->outdir,
			   base_name(f->drawn.final_path), (const char *)tagged,
			   tagged_len, err);
out:
	free(tagged);
	free(drawn);
	png_check_image_release(&img);
	return status;
}

/* Draws one configuration; on failure nothing of it gets a final name. */
static enum sgd_status draw_figure(const struct run_options *opt,
				   const struct sgd_config *config,
				   const struct sgd_trajectory *t,
				   struct sgd_error *err)
{
	char name[SGD_NAME_MAX + 8];
	struct figure_files f;
	struct plot_layout layout;
	char *data = NULL, *script = NULL, *preamble = NULL, *full = NULL;
	size_t data_len, script_len, preamble_len;
	enum sgd_status status;

	fsutil_tmp_init(&f.data);
	fsutil_tmp_init(&f.script);
	fsutil_tmp_init(&f.drawn);
	fsutil_tmp_init(&f.png);
	plot_layout_compute(&layout, config, t, PLOT_WIDTH_DEFAULT,
			    PLOT_HEIGHT_DEFAULT);
	status = plot_data_text(config, t, &data, &data_len, err);
	if (!status)
		status = plot_script_text(config, t, &layout,
					  "sgdplot " SGDPLOT_VERSION, &script,
					  &script_len, err);
	if (status)
		goto out;

	snprintf(name, sizeof(name), "%s.dat", config->name);
	if (write_tmp(&f.data, opt->outdir, name, data, data_len, err))
		goto fail;
	snprintf(name, sizeof(name), "%s.gp", config->name);
	if (write_tmp(&f.script, opt->outdir, name, script, script_len, err))
		goto fail;
	snprintf(name, sizeof(name), "%s.png", config->name);
	if (fsutil_tmp_create(&f.drawn, opt->outdir, name, err) ||
	    fsutil_tmp_close(&f.drawn, err))
		goto fail;

	/* gnuplot reads the temporary data and draws to a temporary PNG. */
	if (plot_script_preamble(base_name(f.data.path),
				 base_name(f.drawn.path), &preamble,
				 &preamble_len, err))
		goto fail;
	full = malloc(preamble_len + script_len);
	if (!full) {
		sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
		goto fail;
	}
	memcpy(full, preamble, preamble_len);
	memcpy(full + preamble_len, script, script_len);
	if (gnuplot_render(&opt->gnuplot, opt->outdir, full,
			   preamble_len + script_len, err))
		goto fail;
	if (finish_png(opt, config, &layout, &f, err))
		goto fail;

	/* The PNG last: a figure under its final name has its data. */
	if (fsutil_tmp_commit(&f.data, err) ||
	    fsutil_tmp_commit(&f.script, err) ||
	    fsutil_tmp_commit(&f.png, err))
		goto fail;
	status = SGD_OK;
	goto out;
fail:
	status = err->status;
out:
	figure_files_discard(&f);
	free(full);
	free(preamble);
	free(script);
	free(data);
	return status;
}

static void report(const struct sgd_error *err)
{
	fprintf(stderr, "sgdplot: %s\n", err->msg);
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

/* Runs every configuration; returns the worst status met. */
static enum sgd_status run_batch(const struct run_options *opt,
				 const struct sgd_batch *batch,
				 struct summary_row *rows)
{
	enum sgd_status worst = SGD_OK;
	size_t i;

	for (i = 0; i < batch->count && !stop_signal; i++) {
		const struct sgd_config *config = &batch->configs[i];
		struct sgd_cost cost = { config->curvature, config->center,
					 config->offset };
		struct sgd_trajectory t;
		struct sgd_error err;

		sgd_error_init(&err);
		descent_trajectory_init(&t);
		rows[i].config = config;
		rows[i].regime = descent_regime_name(
			descent_regime(config->lr, &cost));
		rows[i].theta = rows[i].loss = NAN;
		rows[i].overflow_step = -1;
		rows[i].failed = 1;
		if (descent_run(&t, &cost, config->lr, config->init,
				config->epochs, &err) == SGD_OK) {
			rows[i].overflow_step = t.overflow_step;
			if (t.count > 0) {
				rows[i].theta = t.theta[t.count - 1];
				rows[i].loss = t.loss[t.count - 1];
			}
			draw_figure(opt, config, &t, &err);
		}
		descent_trajectory_release(&t);
		if (err.status == SGD_OK) {
			rows[i].failed = 0;
			continue;
		}
		if (err.status == SGD_ERR_INTERRUPTED)
			break;
		fprintf(stderr, "sgdplot: %s:%d: [%s]: %s\n", config->file,
			config->line, config->name, err.msg);
		worst = SGD_ERR_GNUPLOT_FAILED;
	}
	return stop_signal ? SGD_ERR_INTERRUPTED : worst;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "gnuplot", required_argument, NULL, 'g' },
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_options opt;
	struct sgd_batch batch;
	struct sgd_error err;
	struct summary_row *rows = NULL;
	char *table = NULL;
	size_t table_len, i;
	enum sgd_status status = SGD_OK;
	int ch, code;

	memset(&opt, 0, sizeof(opt));
	opt.outdir = ".";
	opt.gnuplot.program = "gnuplot";
	opt.gnuplot.timeout = 60;
	opt.gnuplot.stop = &stop_signal;
	sgd_error_init(&err);
	batch_init(&batch);

	while ((ch = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			opt.outdir = optarg;
			break;
		case 'g':
			opt.gnuplot.program = optarg;
			break;
		case 't':
			if (!parse_timeout(optarg, &opt.gnuplot.timeout)) {
				fprintf(stderr,
					"sgdplot: --timeout: expected seconds "
					"> 0 and <= 86400, got '%s'\n",
					optarg);
				return 2;
			}
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
		fputs("sgdplot: no batch file given\n", stderr);
		usage(stderr);
		return 2;
	}
	if (!*opt.outdir) {
		fputs("sgdplot: -o: the output folder name is empty\n", stderr);
		return 2;
	}
	install_signal_handlers();

	/* Every batch file is validated before anything is written. */
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		status = batch_load(&batch, argv[i], &err);
		if (status)
			goto fail;
	}
	status = fsutil_mkdirs(opt.outdir, &err);
	if (!status)
		status = fsutil_check_writable(opt.outdir, &err);
	if (!status)
		status = gnuplot_probe(&opt.gnuplot, opt.gnuplot_version,
				       sizeof(opt.gnuplot_version), &err);
	if (status)
		goto fail;

	rows = calloc(batch.count, sizeof(*rows));
	if (!rows) {
		status = sgd_error_set(&err, SGD_ERR_NOMEM, "out of memory");
		goto fail;
	}
	status = run_batch(&opt, &batch, rows);
	if (status == SGD_ERR_INTERRUPTED) {
		fprintf(stderr, "sgdplot: interrupted by signal %d; figures "
				"already written are complete\n",
			(int)stop_signal);
		code = 128 + (int)stop_signal;
		goto out;
	}
	{
		enum sgd_status batch_status = status;

		status = summary_text(rows, batch.count, &table, &table_len,
				      &err);
		if (!status)
			status = fsutil_write_file(opt.outdir, "summary.tsv",
						   table, table_len, &err);
		if (status)
			goto fail;
		if (!opt.quiet)
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
	batch_release(&batch);
	/* As jq does: output that did not reach stdout is a failure. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (code == 0) {
			fprintf(stderr, "sgdplot: cannot write to standard "
					"output: %s\n",
				strerror(errno));
			code = 1;
		}
	}
	return code;
}
