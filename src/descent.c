#include "descent.h"

#include <math.h>
#include <stdlib.h>

double descent_cost(const struct sgd_cost *cost, double theta)
{
	double dist = theta - cost->center;

	/* (a / 2) * dist^2 + d: for a = 1 this is the article's
	 * 0.5 * (theta - 1) ** 2 + 0.5 to the last bit. */
	return cost->curvature / 2 * (dist * dist) + cost->offset;
}

double descent_gradient(const struct sgd_cost *cost, double theta)
{
	return cost->curvature * (theta - cost->center);
}

enum sgd_regime descent_regime(double lr, const struct sgd_cost *cost)
{
	double step = lr * cost->curvature;

	if (step == 0)
		return SGD_REGIME_STALLED;
	if (step < 1)
		return SGD_REGIME_MONOTONE;
	if (step == 1)
		return SGD_REGIME_ONE_STEP;
	if (step < 2)
		return SGD_REGIME_OSCILLATING;
	if (step == 2)
		return SGD_REGIME_BOUNCING;
	return SGD_REGIME_DIVERGENT;
}

const char *descent_regime_name(enum sgd_regime regime)
{
	switch (regime) {
	case SGD_REGIME_STALLED:
		return "stalled";
	case SGD_REGIME_MONOTONE:
		return "monotone";
	case SGD_REGIME_ONE_STEP:
		return "one-step";
	case SGD_REGIME_OSCILLATING:
		return "oscillating";
	case SGD_REGIME_BOUNCING:
		return "bouncing";
	case SGD_REGIME_DIVERGENT:
		return "divergent";
	}
	return "unknown";
}

double descent_contraction(double lr, const struct sgd_cost *cost)
{
	return 1 - lr * cost->curvature;
}

double descent_closed_form(double lr, const struct sgd_cost *cost,
			   double init, long k)
{
	long double r = 1 - (long double)lr * cost->curvature;

	return (double)(cost->center + powl(r, (long double)k) *
					       (init - cost->center));
}

long descent_steps_within(double lr, const struct sgd_cost *cost,
			  double init, double fraction)
{
	double r = fabs(descent_contraction(lr, cost));
	double k;

	if (init == cost->center)
		return 0;
	if (r == 0)
		return 1;
	if (r >= 1)
		return -1;
	/* |r|^k <= fraction  <=>  k >= log(fraction) / log|r|; the ceiling
	 * is then nudged across any rounding in the logarithms. */
	k = ceil(log(fraction) / log(r));
	if (k > 1e15)
		return (long)1e15; /* so slow that the nudge cannot matter */
	while (k > 0 && pow(r, k - 1) <= fraction)
		k--;
	while (pow(r, k) > fraction)
		k++;
	return (long)k;
}

long descent_walk(const struct sgd_cost *cost, double lr, double init,
		  long epochs, descent_visit visit, void *ctx)
{
	double theta = init;
	long step;

	for (step = 0; step <= epochs; step++) {
		double loss;

		if (step > 0)
			theta = theta - lr * descent_gradient(cost, theta);
		loss = descent_cost(cost, theta);
		if (!isfinite(theta) || !isfinite(loss))
			return step;
		visit(ctx, step, theta, loss);
	}
	return -1;
}

struct last_iterate {
	double theta, loss;
};

static void keep_last(void *ctx, long step, double theta, double loss)
{
	struct last_iterate *last = ctx;

	(void)step;
	last->theta = theta;
	last->loss = loss;
}

void descent_final(const struct sgd_cost *cost, double lr, double init,
		   long epochs, double *theta, double *loss,
		   long *overflow_step)
{
	struct last_iterate last = { NAN, NAN };

	*overflow_step = descent_walk(cost, lr, init, epochs, keep_last,
				      &last);
	*theta = last.theta;
	*loss = last.loss;
}

void descent_trajectory_init(struct sgd_trajectory *t)
{
	t->theta = NULL;
	t->loss = NULL;
	t->count = 0;
	t->overflow_step = -1;
}

void descent_trajectory_release(struct sgd_trajectory *t)
{
	if (!t)
		return;
	free(t->theta);
	free(t->loss);
	descent_trajectory_init(t);
}

static void store(void *ctx, long step, double theta, double loss)
{
	struct sgd_trajectory *t = ctx;

	(void)step;
	t->theta[t->count] = theta;
	t->loss[t->count] = loss;
	t->count++;
}

enum sgd_status descent_run(struct sgd_trajectory *t,
			    const struct sgd_cost *cost, double lr,
			    double init, long epochs, struct sgd_error *err)
{
	size_t capacity = (size_t)epochs + 1;

	t->theta = malloc(capacity * sizeof(*t->theta));
	t->loss = malloc(capacity * sizeof(*t->loss));
	if (!t->theta || !t->loss) {
		descent_trajectory_release(t);
		return sgd_error_set(err, SGD_ERR_NOMEM,
				     "cannot hold %ld iterates", epochs + 1);
	}
	t->overflow_step = descent_walk(cost, lr, init, epochs, store, t);
	return SGD_OK;
}
