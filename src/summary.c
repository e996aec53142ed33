#define _POSIX_C_SOURCE 200809L
#include "summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "textbuf.h"

enum sgd_status summary_text(const struct summary_row *rows, size_t count,
			     char **text, size_t *len, struct sgd_error *err)
{
	char lr[NUMFMT_DOUBLE_MAX], init[NUMFMT_DOUBLE_MAX];
	char theta[NUMFMT_DOUBLE_MAX], loss[NUMFMT_DOUBLE_MAX];
	FILE *fp;
	size_t i;

	fp = textbuf_open(text, len, err);
	if (!fp)
		return err->status;
	fputs("name\tlr\tepochs\tinit\ttheta\tloss\tregime\tstatus\n", fp);
	for (i = 0; i < count; i++) {
		const struct summary_row *r = &rows[i];

		if (r->config->sweep.count) {
			/* A sweep has many runs: its range, and no one final
			 * theta (they are in its data file). */
			char from[NUMFMT_DOUBLE_MAX], to[NUMFMT_DOUBLE_MAX];

			fprintf(fp, "%s\t%s:%s:%ld\t%ld\t%s\t-\t-\tsweep\t",
				r->config->name,
				numfmt_double(from, r->config->sweep.from),
				numfmt_double(to, r->config->sweep.to),
				r->config->sweep.count, r->config->epochs,
				numfmt_double(init, r->config->init));
		} else {
			fprintf(fp, "%s\t%s\t%ld\t%s\t%s\t%s\t%s\t",
				r->config->name,
				numfmt_double(lr, r->config->lr),
				r->config->epochs,
				numfmt_double(init, r->config->init),
				numfmt_double(theta, r->theta),
				numfmt_double(loss, r->loss), r->regime);
		}
		if (r->elsewhere)
			fputs("elsewhere\n", fp);
		else if (r->failed)
			fputs("failed\n", fp);
		else if (r->overflow_step >= 0)
			fprintf(fp, "overflow at step %ld\n", r->overflow_step);
		else
			fputs("ok\n", fp);
	}
	return textbuf_close(fp, text, SGD_OK, err);
}

#define HEADER "name\tlr\tepochs\tinit\ttheta\tloss\tregime\tstatus\n"

/* The next line of `text` from *pos: its start, its length with the
 * newline; 0 at the end. */
static size_t next_line(const char *text, size_t *pos, const char **line)
{
	const char *start = text + *pos;
	const char *nl = strchr(start, '\n');
	size_t n = nl ? (size_t)(nl - start) + 1 : strlen(start);

	*line = start;
	*pos += n;
	return n;
}

/* A row's status: the text after its last tab, without the newline. */
static int is_elsewhere(const char *line, size_t n)
{
	const char *tab = line + n;

	while (tab > line && tab[-1] != '\t')
		tab--;
	return (size_t)(line + n - tab) >= 9 && !strncmp(tab, "elsewhere", 9) &&
	       (tab + 9 == line + n || tab[9] == '\n');
}

enum sgd_status summary_merge(const char *const *texts,
			      const char *const *names, size_t count,
			      char **text, size_t *len,
			      struct sgd_error *err)
{
	size_t *pos = calloc(count ? count : 1, sizeof(*pos));
	enum sgd_status status = SGD_OK;
	long row = 1;
	size_t i;
	FILE *fp;

	*text = NULL;
	if (!pos)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	fp = textbuf_open(text, len, err);
	if (!fp) {
		free(pos);
		return err->status;
	}
	for (i = 0; i < count; i++) {
		const char *line;
		size_t n = next_line(texts[i], &pos[i], &line);

		if (n != strlen(HEADER) || strncmp(line, HEADER, n)) {
			status = sgd_error_set(err, SGD_ERR_BATCH,
					       "%s:1: not an sgdplot summary "
					       "(its header differs)",
					       names[i]);
			goto out;
		}
	}
	fputs(HEADER, fp);
	for (;;) {
		const char *chosen = NULL, *first = NULL;
		size_t chosen_len = 0, first_len = 0, from = 0, ended = 0;

		row++;
		for (i = 0; i < count; i++) {
			const char *line;
			size_t n = next_line(texts[i], &pos[i], &line);
			size_t name_len = strcspn(line, "\t\n");

			if (n == 0) {
				ended++;
				continue;
			}
			if (!first) {
				first = line;
				first_len = name_len;
			} else if (name_len != first_len ||
				   strncmp(line, first, name_len)) {
				status = sgd_error_set(
					err, SGD_ERR_BATCH,
					"%s:%ld: configuration '%.*s' where "
					"%s has '%.*s': the parts come from "
					"different batches",
					names[i], row, (int)name_len, line,
					names[0], (int)first_len, first);
				goto out;
			}
			if (is_elsewhere(line, n))
				continue;
			if (chosen) {
				status = sgd_error_set(
					err, SGD_ERR_BATCH,
					"%s:%ld: configuration '%.*s' drawn "
					"by two parts (also %s)",
					names[i], row, (int)name_len, line,
					names[from]);
				goto out;
			}
			chosen = line;
			chosen_len = n;
			from = i;
		}
		if (ended == count)
			break;
		if (ended) {
			status = sgd_error_set(err, SGD_ERR_BATCH,
					       "line %ld: the summaries have "
					       "different lengths",
					       row);
			goto out;
		}
		if (!chosen) {
			status = sgd_error_set(err, SGD_ERR_BATCH,
					       "%s:%ld: configuration '%.*s' "
					       "drawn by no part",
					       names[0], row, (int)first_len,
					       first);
			goto out;
		}
		fwrite(chosen, 1, chosen_len, fp);
	}
out:
	free(pos);
	return textbuf_close(fp, text, status, err);
}

enum sgd_status summary_list_text(const struct sgd_config *const *configs,
				  size_t count, char **text, size_t *len,
				  struct sgd_error *err)
{
	char a[NUMFMT_DOUBLE_MAX], b[NUMFMT_DOUBLE_MAX], c[NUMFMT_DOUBLE_MAX];
	char d[NUMFMT_DOUBLE_MAX], e[NUMFMT_DOUBLE_MAX];
	char lr[3 * NUMFMT_DOUBLE_MAX], xr[80], yr[80];
	size_t i;
	FILE *fp;

	fp = textbuf_open(text, len, err);
	if (!fp)
		return err->status;
	fputs("name\tlr\tepochs\tinit\tcurvature\tcenter\toffset\txrange"
	      "\tyrange\tformat\tsize\tstyle\ttitle\tdefined\n",
	      fp);
	for (i = 0; i < count; i++) {
		const struct sgd_config *k = configs[i];

		if (k->sweep.count)
			snprintf(lr, sizeof(lr), "%s:%s:%ld",
				 numfmt_double(a, k->sweep.from),
				 numfmt_double(b, k->sweep.to), k->sweep.count);
		else
			snprintf(lr, sizeof(lr), "%s", numfmt_double(a, k->lr));
		batch_range_text(xr, sizeof(xr), &k->xrange);
		batch_range_text(yr, sizeof(yr), &k->yrange);
		/* A title holds no tab or newline (batch.c refuses them). */
		fprintf(fp, "%s\t%s\t%ld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%dx%d"
			    "\t%s\t%s\t%s:%d\n",
			k->name, lr, k->epochs, numfmt_double(b, k->init),
			numfmt_double(c, k->curvature),
			numfmt_double(d, k->center),
			numfmt_double(e, k->offset), xr, yr,
			batch_format_name(k->format), k->width, k->height,
			k->article_style ? "article" : "sgdplot", k->title,
			k->file, k->line);
	}
	return textbuf_close(fp, text, SGD_OK, err);
}
