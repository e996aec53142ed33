#define _POSIX_C_SOURCE 200809L /* fdopen, dup */
#include "figure.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "descent.h"
#include "fsutil.h"
#include "plot.h"
#include "png_check.h"
#include "sweep.h"
#include "vector.h"

#define PNG_SIZE_MAX (64L << 20) /* larger output is not ours */

/* Writes a figure's data file; NULL for a chart, which has none. */
typedef enum sgd_status (*data_writer)(FILE *fp, const void *ctx,
				       struct sgd_error *err);

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static enum sgd_status write_tmp(struct fsutil_tmp *tmp, const char *dir,
				 const char *name, const void *data,
				 size_t len, struct sgd_error *err)
{
	if (fsutil_tmp_create(tmp, dir, name, err) ||
	    fsutil_tmp_write(tmp, data, len, err) ||
	    fsutil_tmp_close(tmp, err))
		return err->status;
	return SGD_OK;
}

/* The data file can be tens of megabytes: it is streamed, not built. */
static enum sgd_status write_data(const struct figure_options *opt,
				  struct figure_job *f, data_writer writer,
				  const void *ctx, struct sgd_error *err)
{
	char name[FIGURE_NAME_MAX + 8];
	FILE *fp;
	int fd;

	snprintf(name, sizeof(name), "%s.dat", f->name);
	if (fsutil_tmp_create(&f->data, opt->outdir, name, err))
		return err->status;
	fd = dup(f->data.fd);
	fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!fp) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return sgd_error_errno(err, SGD_ERR_IO, e, "cannot write '%s'",
				       f->data.final_path);
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 16);
	if (writer(fp, ctx, err)) {
		fclose(fp);
		return err->status;
	}
	if (fclose(fp) != 0)
		return sgd_error_errno(err, SGD_ERR_IO, errno,
				       "cannot write '%s'", f->data.final_path);
	return fsutil_tmp_close(&f->data, err);
}

/*
 * Checks gnuplot's picture and adds provenance: every row decoded by
 * libpng, of the size asked for, then re-emitted with text chunks.
 */
static enum sgd_status finish_png(const struct figure_options *opt,
				  struct figure_job *f, struct sgd_error *err)
{
	char software[128];
	struct png_check_text texts[3];
	unsigned width, height;
	unsigned char *tagged = NULL;
	char *drawn = NULL;
	size_t drawn_len, tagged_len;
	enum sgd_status status;

	status = fsutil_read_file(f->drawn.path, PNG_SIZE_MAX, &drawn,
				  &drawn_len, err);
	if (status)
		goto out;
	status = png_check_verify(drawn, drawn_len, &width, &height, err);
	if (status)
		goto out;
	if (width != (unsigned)f->width || height != (unsigned)f->height) {
		status = sgd_error_set(err, SGD_ERR_PNG_INVALID,
				       "gnuplot drew %ux%u pixels, not %dx%d",
				       width, height, f->width, f->height);
		goto out;
	}
	snprintf(software, sizeof(software), "%s (gnuplot %s)", opt->software,
		 f->gnuplot_version);
	texts[0].key = "Software";
	texts[0].value = software;
	texts[1].key = "Description";
	texts[1].value = f->description;
	texts[2].key = CACHE_PNG_KEYWORD;
	texts[2].value = f->key;
	status = png_check_add_text(drawn, drawn_len, texts, 3, &tagged,
				    &tagged_len, err);
	if (status)
		goto out;
	status = write_tmp(&f->out, opt->outdir,
			   base_name(f->drawn.final_path), tagged, tagged_len,
			   err);
out:
	free(tagged);
	free(drawn);
	return status;
}

/* An SVG or PDF: checked as a whole document, then tagged. */
static enum sgd_status finish_vector(const struct figure_options *opt,
				     struct figure_job *f,
				     struct sgd_error *err)
{
	char software[128];
	char *drawn = NULL, *tagged = NULL;
	size_t drawn_len, tagged_len;
	enum sgd_status status;

	status = fsutil_read_file(f->drawn.path, PNG_SIZE_MAX, &drawn,
				  &drawn_len, err);
	if (!status)
		status = vector_check(f->format, drawn, drawn_len, err);
	snprintf(software, sizeof(software), "%s (gnuplot %s)", opt->software,
		 f->gnuplot_version);
	if (!status)
		status = vector_tag(f->format, drawn, drawn_len, software,
				    f->key, &tagged, &tagged_len, err);
	if (!status)
		status = write_tmp(&f->out, opt->outdir,
				   base_name(f->drawn.final_path), tagged,
				   tagged_len, err);
	free(tagged);
	free(drawn);
	return status;
}

void figure_job_init(struct figure_job *job, const struct sgd_config *config,
		     struct figure_result *result)
{
	memset(job, 0, sizeof(*job));
	job->config = config;
	job->result = result;
	if (config) {
		snprintf(job->name, sizeof(job->name), "%s", config->name);
		job->format = config->format;
	}
	fsutil_tmp_init(&job->data);
	fsutil_tmp_init(&job->script);
	fsutil_tmp_init(&job->drawn);
	fsutil_tmp_init(&job->out);
}

void figure_job_release(struct figure_job *job)
{
	if (!job)
		return;
	fsutil_tmp_discard(&job->data);
	fsutil_tmp_discard(&job->script);
	fsutil_tmp_discard(&job->drawn);
	fsutil_tmp_discard(&job->out);
}

/* Writes the data (if any) and the script under temporary names and has
 * gnuplot draw from them to a temporary PNG. */
static enum sgd_status draw(const struct figure_options *opt,
			    struct gnuplot_session *session,
			    struct figure_job *f, data_writer writer,
			    const void *ctx, const char *script,
			    size_t script_len, struct sgd_error *err)
{
	char name[FIGURE_NAME_MAX + 8];
	char *preamble = NULL, *full = NULL;
	size_t preamble_len;

	if (writer && write_data(opt, f, writer, ctx, err))
		goto out;
	snprintf(name, sizeof(name), "%s.gp", f->name);
	if (write_tmp(&f->script, opt->outdir, name, script, script_len, err))
		goto out;
	snprintf(name, sizeof(name), "%s.%s", f->name,
		 batch_format_name(f->format));
	if (fsutil_tmp_create(&f->drawn, opt->outdir, name, err) ||
	    fsutil_tmp_close(&f->drawn, err))
		goto out;

	/* gnuplot reads the temporary data and draws to a temporary PNG. */
	if (plot_script_preamble(writer ? base_name(f->data.path) : NULL,
				 base_name(f->drawn.path), &preamble,
				 &preamble_len, err))
		goto out;
	full = malloc(preamble_len + script_len);
	if (!full) {
		sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
		goto out;
	}
	memcpy(full, preamble, preamble_len);
	memcpy(full + preamble_len, script, script_len);
	if (gnuplot_session_render(session, opt->gnuplot, full,
				   preamble_len + script_len, err))
		goto out;
	snprintf(f->gnuplot_version, sizeof(f->gnuplot_version), "%s",
		 session->version);
out:
	free(full);
	free(preamble);
	return err->status;
}

/* The key of everything the PNG depends on; then draws unless fresh. */
static enum sgd_status key_and_draw(const struct figure_options *opt,
				    struct gnuplot_session *session,
				    struct figure_job *job, data_writer writer,
				    const void *ctx, const char *script,
				    size_t script_len)
{
	struct sgd_error *err = &job->result->err;
	const char *parts[5];

	parts[0] = opt->software;
	parts[1] = opt->gnuplot_identity;
	parts[2] = opt->encoding;
	parts[3] = job->description;
	parts[4] = script;
	cache_key(parts, 5, job->key);
	if (!opt->force &&
	    cache_is_fresh(opt->outdir, job->name, job->format, job->key,
			   writer != NULL)) {
		job->fresh = 1;
		return SGD_OK;
	}
	return draw(opt, session, job, writer, ctx, script, script_len, err);
}

struct trajectory_data {
	const struct sgd_config *config;
	const struct sgd_trajectory *t;
	const struct plot_path *path;
};

static enum sgd_status write_trajectory(FILE *fp, const void *ctx,
					struct sgd_error *err)
{
	const struct trajectory_data *d = ctx;

	return plot_data_write(fp, d->config, d->t, d->path, err);
}

static enum sgd_status write_sweep(FILE *fp, const void *ctx,
				   struct sgd_error *err)
{
	return sweep_data_write(fp, ctx, err);
}

/* A sweep section: the stability diagram of its learning rates. */
static enum sgd_status render_sweep(const struct figure_options *opt,
				    struct gnuplot_session *session,
				    struct figure_job *job)
{
	struct sgd_error *err = &job->result->err;
	struct sweep sweep;
	char *script = NULL;
	size_t script_len;

	job->result->regime = "sweep";
	job->width = job->config->width;
	job->height = job->config->height;
	if (sweep_run(&sweep, job->config, err))
		return err->status;
	if (sweep_script_text(&sweep, opt->configs, opt->config_count,
			      opt->software, job->width, job->height, &script,
			      &script_len, err) == SGD_OK)
		key_and_draw(opt, session, job, write_sweep, &sweep, script,
			     script_len);
	free(script);
	sweep_release(&sweep);
	return err->status;
}

unsigned figure_shard_of(const char *name, unsigned shards)
{
	return (unsigned)(cache_hash(name) % shards) + 1;
}

enum sgd_status figure_render(const struct figure_options *opt,
			      struct gnuplot_session *session,
			      struct figure_job *job)
{
	const struct sgd_config *config = job->config;
	struct figure_result *result = job->result;
	struct sgd_cost cost = { config->curvature, config->center,
				 config->offset };
	struct sgd_error *err = &result->err;
	struct sgd_trajectory t;
	struct plot_layout layout;
	struct plot_path path = { NULL, 0, 0 };
	struct trajectory_data data;
	char *script = NULL;
	size_t script_len, used;

	sgd_error_init(err);
	descent_trajectory_init(&t);
	result->theta = result->loss = NAN;
	result->overflow_step = -1;
	result->drawn = 0;
	result->elsewhere = opt->shards &&
			    figure_shard_of(config->name, opt->shards) !=
				    opt->shard;
	result->regime = descent_regime_name(descent_regime(config->lr, &cost));
	used = (size_t)snprintf(job->description, sizeof(job->description),
				"name=%s\n", config->name);
	batch_describe(config, job->description + used,
		       sizeof(job->description) - used);
	if (config->sweep.count) {
		if (result->elsewhere)
			result->regime = "sweep";
		else
			render_sweep(opt, session, job);
		goto out;
	}
	if (descent_run(&t, &cost, config->lr, config->init, config->epochs,
			err))
		goto out;
	result->overflow_step = t.overflow_step;
	if (t.count > 0) {
		result->theta = t.theta[t.count - 1];
		result->loss = t.loss[t.count - 1];
	}
	/* Another part draws it: its numbers are all the summary needs. */
	if (result->elsewhere)
		goto out;
	plot_layout_compute(&layout, config, &t, config->width,
			    config->height);
	job->width = layout.width;
	job->height = layout.height;
	if (plot_path_compute(&path, &layout, &t, err) ||
	    plot_script_text(config, &t, &layout, &path, opt->software,
			     &script, &script_len, err))
		goto out;
	data.config = config;
	data.t = &t;
	data.path = &path;
	key_and_draw(opt, session, job, write_trajectory, &data, script,
		     script_len);
out:
	if (err->status)
		figure_job_release(job);
	free(script);
	plot_path_release(&path);
	descent_trajectory_release(&t);
	return err->status;
}

enum sgd_status figure_chart_render(const struct figure_options *opt,
				    struct gnuplot_session *session,
				    struct figure_job *job, const char *name,
				    const char *description,
				    const char *script, size_t script_len,
				    enum sgd_format format, int width,
				    int height)
{
	struct sgd_error *err = &job->result->err;

	sgd_error_init(err);
	job->result->drawn = 0;
	snprintf(job->name, sizeof(job->name), "%s", name);
	snprintf(job->description, sizeof(job->description), "%s",
		 description);
	job->format = format;
	job->width = width;
	job->height = height;
	if (key_and_draw(opt, session, job, NULL, NULL, script, script_len))
		figure_job_release(job);
	return err->status;
}

enum sgd_status figure_finish(const struct figure_options *opt,
			      struct figure_job *job)
{
	struct sgd_error *err = &job->result->err;

	if (err->status == SGD_OK && !job->fresh && !job->result->elsewhere &&
	    (job->format == SGD_FORMAT_PNG ? finish_png(opt, job, err)
					   : finish_vector(opt, job, err)) ==
		    SGD_OK &&
	    /* The PNG last: a figure under its final name has its data. */
	    (!job->data.path || fsutil_tmp_commit(&job->data, err) == SGD_OK) &&
	    fsutil_tmp_commit(&job->script, err) == SGD_OK &&
	    fsutil_tmp_commit(&job->out, err) == SGD_OK)
		job->result->drawn = 1;
	figure_job_release(job);
	return err->status;
}

enum sgd_status figure_make(const struct figure_options *opt,
			    struct gnuplot_session *session,
			    const struct sgd_config *config,
			    struct figure_result *result)
{
	struct figure_job job;

	figure_job_init(&job, config, result);
	figure_render(opt, session, &job);
	return figure_finish(opt, &job);
}
