/*
 * figure.h - one configuration, from its numbers to its files on disk.
 *
 * figure_make() runs the descent, decides the figure's layout, and either
 * finds the figure fresh on disk (cache.h) or draws it: NAME.dat, NAME.gp
 * and gnuplot's PNG are written under temporary names, the PNG decoded and
 * checked with libpng and given its provenance text chunks, and then all
 * three are renamed, the PNG last.  On failure nothing of the figure gets a
 * final name, and files from an earlier run stay as they were.
 *
 * It is safe to call from several threads at once, each with its own
 * gnuplot session and result.
 */
#ifndef SGD_FIGURE_H
#define SGD_FIGURE_H

#include "batch.h"
#include "cache.h"
#include "error.h"
#include "fsutil.h"
#include "gnuplot.h"

struct figure_options {
	const char *outdir;
	const struct sgd_config *configs; /* the whole batch: a sweep marks */
	size_t config_count;              /* the configurations it covers */
	const char *software;          /* e.g. "sgdplot 0.1.0" */
	const char *gnuplot_identity;  /* gnuplot_identity() text */
	const char *encoding;          /* how gnuplot compresses PNGs */
	int force;                     /* draw even when fresh */
	unsigned shard, shards;        /* draw only part `shard` (1 to
					  `shards`); shards 0: everything */
	const struct gnuplot_options *gnuplot;
};

struct figure_result {
	double theta, loss;   /* final iterate, or NaN when there is none */
	long overflow_step;   /* or -1 */
	const char *regime;   /* static text */
	int drawn;            /* 1 drawn now, 0 found fresh or failed */
	int elsewhere;        /* another part of a sharded run draws it */
	struct sgd_error err; /* status SGD_OK, or why the figure failed */
};

/*
 * One figure between its two halves: what figure_render() leaves for
 * figure_finish().  The temporary files are owned by the job.
 */
#define FIGURE_NAME_MAX (SGD_NAME_MAX + 16)

struct figure_job {
	const struct sgd_config *config; /* borrowed; NULL for a chart */
	char name[FIGURE_NAME_MAX + 1];  /* the files' base name */
	char description[2048];          /* its PNG's Description chunk */
	struct figure_result *result;    /* borrowed: where results go */
	int fresh;                       /* up to date: nothing to draw */
	enum sgd_format format;          /* what gnuplot draws */
	int width, height;               /* the size it should have */
	char key[CACHE_KEY_SIZE];
	char gnuplot_version[32];
	/* drawn: what gnuplot wrote; out: that, checked and tagged */
	struct fsutil_tmp data, script, drawn, out;
};

void figure_job_init(struct figure_job *job, const struct sgd_config *config,
		     struct figure_result *result);

/* Removes whatever temporary files the job still holds; accepts NULL. */
void figure_job_release(struct figure_job *job);

/*
 * The part (1 to `shards`) a configuration of this name belongs to: from
 * the hash of its name alone, so adding a section moves no other one.
 */
unsigned figure_shard_of(const char *name, unsigned shards);

/*
 * The first half, which needs gnuplot: runs the descent, finds the figure
 * fresh or writes its temporary files and has `session` draw the PNG.
 * On failure the job's files are already removed.
 */
enum sgd_status figure_render(const struct figure_options *opt,
			      struct gnuplot_session *session,
			      struct figure_job *job);

/*
 * The second half, which does not: checks the PNG with libpng, adds its
 * text chunks and renames the three files to their final names.  Splitting
 * lets a worker's gnuplot draw the next figure meanwhile.  Releases the
 * job; returns the figure's final status.
 */
enum sgd_status figure_finish(const struct figure_options *opt,
			      struct figure_job *job);

/*
 * The first half for a chart that is no configuration's figure (the
 * overview, the loss chart): `script` draws into the gnuplot variable
 * outfile from files that already have their final names, and is saved
 * as DIR/NAME.gp beside DIR/NAME.png.  Same cache, checks and renames as
 * a figure; `job` is initialised with no configuration.
 */
enum sgd_status figure_chart_render(const struct figure_options *opt,
				    struct gnuplot_session *session,
				    struct figure_job *job, const char *name,
				    const char *description,
				    const char *script, size_t script_len,
				    enum sgd_format format, int width,
				    int height);

/*
 * Both halves at once: makes the figure of `config` with `session`
 * (started on first use).  Returns result->err.status.
 */
enum sgd_status figure_make(const struct figure_options *opt,
			    struct gnuplot_session *session,
			    const struct sgd_config *config,
			    struct figure_result *result);

#endif
