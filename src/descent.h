/*
 * descent.h - plain gradient descent on a one-dimensional quadratic cost.
 *
 * Pure mathematics: no I/O, no allocation but the trajectory's arrays.
 *
 * The cost is J(theta) = a/2 * (theta - c)^2 + d with curvature a > 0,
 * centre c and offset d; its gradient is J'(theta) = a * (theta - c).  The
 * update is theta <- theta - lr * J'(theta), evaluated in double precision
 * in exactly that order, so the article's cost (a = 1, c = 1, d = 0.5) gives
 * the article's iterates bit for bit.
 *
 * Calling sequence:
 *   struct sgd_trajectory t;
 *   descent_trajectory_init(&t);
 *   if (descent_run(&t, &cost, lr, init, epochs, &err)) ...;
 *   ... t.theta[0..t.count-1], t.loss[0..t.count-1] ...
 *   descent_trajectory_release(&t);
 */
#ifndef SGD_DESCENT_H
#define SGD_DESCENT_H

#include <stddef.h>

#include "error.h"

struct sgd_cost {
	double curvature; /* a > 0 */
	double center;    /* c: the minimiser */
	double offset;    /* d: the minimum value */
};

/* How the iterates behave, from the product lr * a alone. */
enum sgd_regime {
	SGD_REGIME_STALLED,     /* lr * a == 0: theta never moves */
	SGD_REGIME_MONOTONE,    /* 0 < lr * a < 1: approaches from one side */
	SGD_REGIME_ONE_STEP,    /* lr * a == 1: lands on the minimum at once */
	SGD_REGIME_OSCILLATING, /* 1 < lr * a < 2: alternates, shrinking */
	SGD_REGIME_BOUNCING,    /* lr * a == 2: alternates between two points */
	SGD_REGIME_DIVERGENT,   /* lr * a > 2: alternates, growing */
};

struct sgd_trajectory {
	double *theta;  /* theta_0 .. theta_{count-1}; owned */
	double *loss;   /* J(theta_k), same length; owned */
	size_t count;   /* iterates stored: epochs + 1 unless it overflowed */
	long overflow_step; /* first step k with theta_k or J(theta_k) not
			       finite (not stored), or -1 */
};

double descent_cost(const struct sgd_cost *cost, double theta);
double descent_gradient(const struct sgd_cost *cost, double theta);

enum sgd_regime descent_regime(double lr, const struct sgd_cost *cost);

/* A lower-case name for a regime, e.g. "oscillating"; never NULL. */
const char *descent_regime_name(enum sgd_regime regime);

/*
 * The closed form: theta_k - c = r^k (theta_0 - c) with the contraction
 * factor r = 1 - lr * a.  descent_contraction() gives r;
 * descent_closed_form() gives theta_k from it (in long double, for
 * checking the iterates, which it matches to rounding).
 */
double descent_contraction(double lr, const struct sgd_cost *cost);
double descent_closed_form(double lr, const struct sgd_cost *cost,
			   double init, long k);

/*
 * The fewest steps k >= 0 after which |theta_k - c| <= fraction *
 * |theta_0 - c| by the closed form, or -1 when no number of steps does
 * (|r| >= 1).  0 when theta_0 is already c.
 */
long descent_steps_within(double lr, const struct sgd_cost *cost,
			  double init, double fraction);

/* Sees one iterate of a walk: its step, theta_k and J(theta_k). */
typedef void (*descent_visit)(void *ctx, long step, double theta,
			      double loss);

/*
 * The one loop of the update: calls `visit` for theta_0 .. theta_N in
 * order and stops before the first iterate whose theta or loss is not
 * finite.  Returns that step, or -1 when all epochs ran.
 */
long descent_walk(const struct sgd_cost *cost, double lr, double init,
		  long epochs, descent_visit visit, void *ctx);

/*
 * Runs the same updates as descent_run() but keeps only the last finite
 * iterate: *theta and *loss (NaN when even theta_0 overflows) and
 * *overflow_step (-1, or the first step that was not finite).
 */
void descent_final(const struct sgd_cost *cost, double lr, double init,
		   long epochs, double *theta, double *loss,
		   long *overflow_step);

void descent_trajectory_init(struct sgd_trajectory *t);

/* Frees the arrays and leaves `t` empty and reusable; accepts NULL. */
void descent_trajectory_release(struct sgd_trajectory *t);

/*
 * Runs `epochs` updates from theta_0 = init and stores theta_0 .. theta_N.
 * Stops early, without storing it, at the first iterate whose theta or loss
 * is not finite and records its step in overflow_step.  `t` must be empty
 * (just initialised or released).  Fails only for lack of memory.
 */
enum sgd_status descent_run(struct sgd_trajectory *t,
			    const struct sgd_cost *cost, double lr,
			    double init, long epochs, struct sgd_error *err);

#endif
