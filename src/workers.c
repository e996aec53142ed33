#define _POSIX_C_SOURCE 200809L
#include "workers.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct worker {
	struct workers *pool;
	pthread_t thread;
	int started;
	struct gnuplot_session session;
};

/* A rendered figure waiting for a finisher. */
struct queued_job {
	struct figure_job job;
	struct queued_job *next;
};

struct workers {
	const struct figure_options *opt;
	const struct sgd_config *configs;
	struct figure_result *results;
	size_t count;
	atomic_size_t next;     /* the next configuration to take */
	atomic_size_t done;
	atomic_size_t running;  /* workers not yet stopped */
	atomic_size_t queued;   /* jobs queued and not yet finished */
	atomic_int unusable;    /* gnuplot cannot be used: stop taking */
	unsigned char *taken;   /* taken[i]: configuration i was started */
	struct worker *workers;
	size_t nworkers;
	/* Finishers check and rename what the workers' gnuplots drew, so
	 * a gnuplot draws its next figure meanwhile. */
	pthread_mutex_t lock;
	pthread_cond_t ready;
	struct queued_job *head, **tail;
	int closed;             /* no more jobs will come */
	pthread_t *finishers;
	size_t nfinishers;
};

size_t workers_default_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (size_t)n : 1;
}

static int gnuplot_unusable(enum sgd_status status)
{
	return status == SGD_ERR_GNUPLOT_MISSING ||
	       status == SGD_ERR_GNUPLOT_TERMINAL;
}

static void *finish(void *arg)
{
	struct workers *w = arg;
	const volatile sig_atomic_t *stop = w->opt->gnuplot->stop;

	for (;;) {
		struct queued_job *q;

		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->closed)
			pthread_cond_wait(&w->ready, &w->lock);
		q = w->head;
		if (q) {
			w->head = q->next;
			if (!w->head)
				w->tail = &w->head;
		}
		pthread_mutex_unlock(&w->lock);
		if (!q)
			break;
		if (stop && *stop) {
			sgd_error_set(&q->job.result->err, SGD_ERR_INTERRUPTED,
				      "interrupted");
			figure_job_release(&q->job);
		} else {
			figure_finish(w->opt, &q->job);
		}
		free(q);
		atomic_fetch_add(&w->done, 1);
		atomic_fetch_sub(&w->queued, 1);
	}
	return NULL;
}

static void enqueue(struct workers *w, struct queued_job *q)
{
	q->next = NULL;
	atomic_fetch_add(&w->queued, 1);
	pthread_mutex_lock(&w->lock);
	*w->tail = q;
	w->tail = &q->next;
	pthread_cond_signal(&w->ready);
	pthread_mutex_unlock(&w->lock);
}

static void *work(void *arg)
{
	struct worker *self = arg;
	struct workers *w = self->pool;
	const volatile sig_atomic_t *stop = w->opt->gnuplot->stop;

	for (;;) {
		struct queued_job *q;
		size_t i;

		if (atomic_load(&w->unusable) || (stop && *stop))
			break;
		i = atomic_fetch_add(&w->next, 1);
		if (i >= w->count)
			break;
		w->taken[i] = 1;
		q = malloc(sizeof(*q));
		if (!q) {
			/* Without room to queue it, finish it here. */
			figure_make(w->opt, &self->session, &w->configs[i],
				    &w->results[i]);
			atomic_fetch_add(&w->done, 1);
			continue;
		}
		figure_job_init(&q->job, &w->configs[i], &w->results[i]);
		figure_render(w->opt, &self->session, &q->job);
		if (gnuplot_unusable(w->results[i].err.status))
			atomic_store(&w->unusable, 1);
		enqueue(w, q);
	}
	gnuplot_session_release(&self->session);
	atomic_fetch_sub(&w->running, 1);
	return NULL;
}

enum sgd_status workers_start(struct workers **out,
			      const struct figure_options *opt,
			      const struct sgd_config *configs, size_t count,
			      struct figure_result *results, size_t threads,
			      struct sgd_error *err)
{
	struct workers *w = calloc(1, sizeof(*w));
	size_t i;

	*out = NULL;
	if (threads > count)
		threads = count ? count : 1;
	if (!w)
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	w->opt = opt;
	w->configs = configs;
	w->results = results;
	w->count = count;
	atomic_init(&w->next, 0);
	atomic_init(&w->done, 0);
	atomic_init(&w->running, threads);
	atomic_init(&w->queued, 0);
	atomic_init(&w->unusable, 0);
	w->taken = calloc(count ? count : 1, 1);
	w->workers = calloc(threads, sizeof(*w->workers));
	w->finishers = calloc(threads, sizeof(*w->finishers));
	if (!w->taken || !w->workers || !w->finishers) {
		free(w->taken);
		free(w->workers);
		free(w->finishers);
		free(w);
		return sgd_error_set(err, SGD_ERR_NOMEM, "out of memory");
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->ready, NULL);
	w->head = NULL;
	w->tail = &w->head;
	for (i = 0; i < threads; i++)
		if (pthread_create(&w->finishers[w->nfinishers], NULL, finish,
				   w) == 0)
			w->nfinishers++;
	w->nworkers = threads;
	for (i = 0; i < threads; i++) {
		struct worker *k = &w->workers[i];

		k->pool = w;
		gnuplot_session_init(&k->session);
		if (pthread_create(&k->thread, NULL, work, k) != 0) {
			/* Fewer workers still finish the batch; none at all
			 * is an error, below. */
			atomic_fetch_sub(&w->running, 1);
			continue;
		}
		k->started = 1;
	}
	for (i = 0; i < threads && !w->workers[i].started; i++)
		;
	if (i == threads || w->nfinishers == 0) {
		*out = w;
		workers_wait(w);
		return sgd_error_set(err, SGD_ERR_NOMEM,
				     "cannot start worker threads");
	}
	*out = w;
	return SGD_OK;
}

size_t workers_done(const struct workers *w)
{
	return atomic_load(&((struct workers *)w)->done);
}

int workers_finished(const struct workers *w)
{
	struct workers *m = (struct workers *)w;

	return atomic_load(&m->running) == 0 && atomic_load(&m->queued) == 0;
}

enum sgd_status workers_wait(struct workers *w)
{
	enum sgd_status status = SGD_OK;
	size_t i;

	for (i = 0; i < w->nworkers; i++)
		if (w->workers[i].started)
			pthread_join(w->workers[i].thread, NULL);
	pthread_mutex_lock(&w->lock);
	w->closed = 1;
	pthread_cond_broadcast(&w->ready);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < w->nfinishers; i++)
		pthread_join(w->finishers[i], NULL);
	/* Without finishers, nothing took what the workers queued. */
	while (w->head) {
		struct queued_job *q = w->head;

		w->head = q->next;
		figure_job_release(&q->job);
		sgd_error_set(&q->job.result->err, SGD_ERR_INTERRUPTED,
			      "not finished");
		free(q);
	}
	for (i = 0; i < w->count; i++) {
		struct figure_result *r = &w->results[i];

		if (!w->taken[i]) {
			sgd_error_set(&r->err, SGD_ERR_INTERRUPTED,
				      "not started");
			r->drawn = 0;
		} else if (status == SGD_OK && gnuplot_unusable(r->err.status)) {
			status = r->err.status;
		}
	}
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->ready);
	free(w->taken);
	free(w->workers);
	free(w->finishers);
	free(w);
	return status;
}
