/*
 * test_descent.c - gradient descent on the quadratic cost.
 *
 * The article's four cases must come out bit for bit (the expected values
 * are the decimal literals of the article's table: they round-trip, so ==
 * on doubles is the right comparison), the regimes must follow lr * a, and
 * every trajectory must agree with the closed form
 * theta_k - c = (1 - lr * a)^k (theta_0 - c).
 */
#include "helpers.h"

#include <float.h>
#include <math.h>

#include "descent.h"

static const struct sgd_cost article_cost = { 1.0, 1.0, 0.5 };

/* Runs `epochs` steps and asserts success. */
static void run(struct sgd_trajectory *t, const struct sgd_cost *cost,
		double lr, double init, long epochs)
{
	struct sgd_error err;

	sgd_error_init(&err);
	descent_trajectory_init(t);
	cr_assert_eq(descent_run(t, cost, lr, init, epochs, &err), SGD_OK,
		     "%s", err.msg);
}

/* ---- the article's table ---------------------------------------------- */

/*
 * ARTICLE.md, "The four published cases" (epoch = 10, init_theta = -1).
 *
 * theta_10 and J(theta_10) are printed there to 17 significant digits and
 * round-trip: they are compared with ==.  The theta_1 and theta_2 columns
 * are rounded for reading (the article prints "-0.34"; the double that the
 * update gives, in sgdplot and in the article's own Python alike, is
 * -0.33999999999999997).  So theta_1 and theta_2 are compared with == to
 * the exact IEEE results, written as round-tripping literals, and checked
 * to be within 1e-15 (relative) of the article's rounded figures.
 */
struct article_row {
	double lr;
	double theta1, theta2;                 /* exact IEEE results */
	double shown_theta1, shown_theta2;     /* as the article prints them */
	double theta10, loss10;                /* the article's, exact */
};

static const struct article_row article[] = {
	{ 0.05, -0.9, -0.805, -0.9, -0.805, -0.19747387847675782,
	  1.2169718448170843 },
	{ 0.33, -0.33999999999999997, 0.10220000000000001, -0.34, 0.1022,
	  0.9635432439089647, 0.5006645475323406 },
	{ 1.87, 2.74, -0.5138000000000003, 2.74, -0.5138, 0.503153171617128,
	  0.6234283854370595 },
	{ 2.18, 3.3600000000000003, -1.7848000000000006, 3.36, -1.7848,
	  -9.467671107597148, 55.28606920841205 },
};

static void check_article_case(int n)
{
	const struct article_row *r = &article[n - 1];
	struct sgd_trajectory t;

	run(&t, &article_cost, r->lr, -1.0, 10);
	cr_assert_eq(t.count, 11, "case %d: %zu iterates", n, t.count);
	cr_expect_eq(t.overflow_step, -1);
	cr_expect_eq(t.theta[0], -1.0, "case %d theta_0 %.17g", n, t.theta[0]);
	cr_expect_eq(t.loss[0], 2.5, "case %d J(theta_0) %.17g", n, t.loss[0]);
	cr_expect_eq(t.theta[1], r->theta1, "case %d theta_1 %.17g, want %.17g",
		     n, t.theta[1], r->theta1);
	cr_expect_eq(t.theta[2], r->theta2, "case %d theta_2 %.17g, want %.17g",
		     n, t.theta[2], r->theta2);
	cr_expect_leq(fabs(t.theta[1] - r->shown_theta1),
		      1e-15 * fabs(r->shown_theta1), "case %d theta_1 %.17g", n,
		      t.theta[1]);
	cr_expect_leq(fabs(t.theta[2] - r->shown_theta2),
		      1e-15 * fabs(r->shown_theta2), "case %d theta_2 %.17g", n,
		      t.theta[2]);
	cr_expect_eq(t.theta[10], r->theta10,
		     "case %d theta_10 %.17g, want %.17g", n, t.theta[10],
		     r->theta10);
	cr_expect_eq(t.loss[10], r->loss10,
		     "case %d J(theta_10) %.17g, want %.17g", n, t.loss[10],
		     r->loss10);
	/* The stored loss is the cost of the stored theta. */
	cr_expect_eq(t.loss[10], descent_cost(&article_cost, t.theta[10]));
	descent_trajectory_release(&t);
}

Test(descent, article_case1_iterates_bit_exact)
{
	check_article_case(1);
}

Test(descent, article_case2_iterates_bit_exact)
{
	check_article_case(2);
}

Test(descent, article_case3_iterates_bit_exact)
{
	check_article_case(3);
}

Test(descent, article_case4_iterates_bit_exact)
{
	check_article_case(4);
}

Test(descent, article_case3_jumps_across_the_minimum)
{
	struct sgd_trajectory t;

	/* The post: theta_1 ~ 2.74, gradient ~ 1.74, so theta_2 < 0. */
	run(&t, &article_cost, 1.87, -1.0, 10);
	cr_expect_gt(t.theta[1], 1.0);
	cr_expect_eq(descent_gradient(&article_cost, t.theta[1]),
		     t.theta[1] - 1.0);
	cr_expect_lt(t.theta[2], 0.0);
	descent_trajectory_release(&t);
}

Test(descent, cost_and_gradient_of_the_article)
{
	cr_expect_eq(descent_cost(&article_cost, 1.0), 0.5);
	cr_expect_eq(descent_cost(&article_cost, -1.0), 2.5);
	cr_expect_eq(descent_cost(&article_cost, 3.0), 2.5);
	cr_expect_eq(descent_gradient(&article_cost, 1.0), 0.0);
	cr_expect_eq(descent_gradient(&article_cost, -1.0), -2.0);

	{
		const struct sgd_cost steep = { 4.0, -2.0, 3.0 };

		/* a/2 (theta - c)^2 + d = 2 * 9 + 3 at theta = 1 */
		cr_expect_eq(descent_cost(&steep, 1.0), 21.0);
		cr_expect_eq(descent_gradient(&steep, 1.0), 12.0);
	}
}

/* ---- regimes -------------------------------------------------------------- */

Test(descent, regime_follows_lr_times_curvature)
{
	static const struct {
		double curvature, lr;
		enum sgd_regime want;
		const char *name;
	} rows[] = {
		{ 1, 0, SGD_REGIME_STALLED, "stalled" },
		{ 1, 0.5, SGD_REGIME_MONOTONE, "monotone" },
		{ 1, 0.05, SGD_REGIME_MONOTONE, "monotone" },
		{ 1, 1, SGD_REGIME_ONE_STEP, "one-step" },
		{ 1, 1.5, SGD_REGIME_OSCILLATING, "oscillating" },
		{ 1, 1.87, SGD_REGIME_OSCILLATING, "oscillating" },
		{ 1, 2, SGD_REGIME_BOUNCING, "bouncing" },
		{ 1, 2.18, SGD_REGIME_DIVERGENT, "divergent" },
		{ 1, 3, SGD_REGIME_DIVERGENT, "divergent" },
		{ 2, 0.5, SGD_REGIME_ONE_STEP, "one-step" },
		{ 2, 1, SGD_REGIME_BOUNCING, "bouncing" },
		{ 2, 0.25, SGD_REGIME_MONOTONE, "monotone" },
		{ 2, 0.75, SGD_REGIME_OSCILLATING, "oscillating" },
		{ 2, 1.5, SGD_REGIME_DIVERGENT, "divergent" },
		{ 0.5, 4, SGD_REGIME_BOUNCING, "bouncing" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sgd_cost cost = { rows[i].curvature, 1.0, 0.5 };
		enum sgd_regime got = descent_regime(rows[i].lr, &cost);

		cr_expect_eq(got, rows[i].want, "a=%g lr=%g: regime %d, want %d",
			     rows[i].curvature, rows[i].lr, got, rows[i].want);
		cr_expect_str_eq(descent_regime_name(got), rows[i].name);
	}
}

Test(descent, regime_names_are_lower_case_and_never_null)
{
	cr_expect_str_eq(descent_regime_name(SGD_REGIME_STALLED), "stalled");
	cr_expect_str_eq(descent_regime_name(SGD_REGIME_MONOTONE), "monotone");
	cr_expect_str_eq(descent_regime_name(SGD_REGIME_ONE_STEP), "one-step");
	cr_expect_str_eq(descent_regime_name(SGD_REGIME_OSCILLATING),
			 "oscillating");
	cr_expect_str_eq(descent_regime_name(SGD_REGIME_BOUNCING), "bouncing");
	cr_expect_str_eq(descent_regime_name(SGD_REGIME_DIVERGENT),
			 "divergent");
	cr_expect_not_null(descent_regime_name((enum sgd_regime)99));
}

Test(descent, stalled_never_moves)
{
	struct sgd_trajectory t;
	size_t k;

	run(&t, &article_cost, 0.0, -1.0, 5);
	cr_assert_eq(t.count, 6);
	for (k = 0; k < t.count; k++) {
		cr_expect_eq(t.theta[k], -1.0);
		cr_expect_eq(t.loss[k], 2.5);
	}
	descent_trajectory_release(&t);
}

Test(descent, monotone_approaches_from_one_side)
{
	struct sgd_trajectory t;
	size_t k;

	run(&t, &article_cost, 0.5, -1.0, 20);
	for (k = 1; k < t.count; k++) {
		cr_expect_lt(t.theta[k], 1.0, "theta_%zu = %.17g", k,
			     t.theta[k]);
		cr_expect_gt(t.theta[k], t.theta[k - 1]);
		cr_expect_lt(t.loss[k], t.loss[k - 1]);
	}
	descent_trajectory_release(&t);
}

Test(descent, one_step_lands_on_the_minimum)
{
	static const struct {
		struct sgd_cost cost;
		double lr, init;
	} rows[] = {
		{ { 1, 1, 0.5 }, 1.0, -1.0 },
		{ { 2, 1, 0.5 }, 0.5, -1.0 },
		{ { 4, -3, 2 }, 0.25, 5.0 },
	};
	size_t i, k;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sgd_trajectory t;

		run(&t, &rows[i].cost, rows[i].lr, rows[i].init, 4);
		cr_assert_eq(t.count, 5);
		for (k = 1; k < t.count; k++) {
			cr_expect_eq(t.theta[k], rows[i].cost.center,
				     "row %zu theta_%zu = %.17g", i, k,
				     t.theta[k]);
			cr_expect_eq(t.loss[k], rows[i].cost.offset);
		}
		descent_trajectory_release(&t);
	}
}

Test(descent, oscillating_alternates_and_shrinks)
{
	struct sgd_trajectory t;
	size_t k;

	run(&t, &article_cost, 1.5, -1.0, 20);
	for (k = 1; k < t.count; k++) {
		double now = t.theta[k] - 1, before = t.theta[k - 1] - 1;

		cr_expect_lt(now * before, 0.0, "step %zu keeps its side", k);
		cr_expect_lt(fabs(now), fabs(before));
	}
	descent_trajectory_release(&t);
}

Test(descent, bouncing_alternates_between_two_points)
{
	static const struct {
		struct sgd_cost cost;
		double lr;
	} rows[] = {
		{ { 1, 1, 0.5 }, 2.0 },
		{ { 2, 1, 0.5 }, 1.0 },
	};
	size_t i, k;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sgd_trajectory t;

		run(&t, &rows[i].cost, rows[i].lr, -1.0, 9);
		cr_assert_eq(t.count, 10);
		for (k = 0; k < t.count; k++) {
			cr_expect_eq(t.theta[k], k % 2 ? 3.0 : -1.0,
				     "row %zu theta_%zu = %.17g", i, k,
				     t.theta[k]);
			cr_expect_eq(t.loss[k], t.loss[0]);
		}
		descent_trajectory_release(&t);
	}
}

Test(descent, divergent_alternates_and_grows)
{
	struct sgd_trajectory t;
	size_t k;

	run(&t, &article_cost, 3.0, -1.0, 20);
	cr_assert_eq(t.count, 21);
	for (k = 1; k < t.count; k++) {
		double now = t.theta[k] - 1, before = t.theta[k - 1] - 1;

		cr_expect_lt(now * before, 0.0);
		/* factor -2 exactly: powers of two are exact */
		cr_expect_eq(now, -2 * before, "step %zu", k);
		cr_expect_gt(t.loss[k], t.loss[k - 1]);
	}
	descent_trajectory_release(&t);
}

/* ---- the closed form -------------------------------------------------- */

Test(descent, iterates_match_the_closed_form)
{
	static const struct {
		struct sgd_cost cost;
		double lr, init;
		long epochs;
	} rows[] = {
		{ { 1, 1, 0.5 }, 0.05, -1, 10 },
		{ { 1, 1, 0.5 }, 0.33, -1, 10 },
		{ { 1, 1, 0.5 }, 1.87, -1, 10 },
		{ { 1, 1, 0.5 }, 2.18, -1, 10 },
		{ { 1, 1, 0.5 }, 0.05, -1, 100 },
		{ { 2.5, 0, 1 }, 0.1, 4, 60 },
		{ { 0.5, 2, -1 }, 3.5, 0, 30 },
		{ { 3, -2, 0 }, 0.7, 10, 30 },
		{ { 1e-3, 5, 0 }, 10, -5, 50 },
		{ { 1, 1, 0.5 }, 2.18, -1, 200 },
	};
	size_t i, k;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct sgd_cost *cost = &rows[i].cost;
		double factor = 1 - rows[i].lr * cost->curvature;
		struct sgd_trajectory t;

		run(&t, cost, rows[i].lr, rows[i].init, rows[i].epochs);
		cr_assert_eq(t.count, (size_t)rows[i].epochs + 1);
		for (k = 0; k < t.count; k++) {
			double want = pow(factor, (double)k) *
				      (rows[i].init - cost->center);
			double got = t.theta[k] - cost->center;

			cr_expect_leq(fabs(got - want), 1e-12 * fabs(want),
				      "row %zu k=%zu: %.17g vs %.17g", i, k,
				      got, want);
			cr_expect_eq(t.loss[k], descent_cost(cost, t.theta[k]));
		}
		descent_trajectory_release(&t);
	}
}

/* ---- lengths, overflow, lifecycle ------------------------------------ */

Test(descent, one_epoch_stores_two_iterates)
{
	struct sgd_trajectory t;

	run(&t, &article_cost, 0.05, -1.0, 1);
	cr_expect_eq(t.count, 2);
	cr_expect_eq(t.overflow_step, -1);
	cr_expect_eq(t.theta[0], -1.0);
	cr_expect_eq(t.theta[1], -0.9);
	descent_trajectory_release(&t);
}

Test(descent, overflow_stops_at_the_first_non_finite_step)
{
	const double lr = 1e10;
	struct sgd_trajectory t;
	double theta, next, loss;
	size_t k;

	run(&t, &article_cost, lr, -1.0, 1000);
	/* |theta_k - 1| = 2 (1e10 - 1)^k: J overflows once that passes
	 * sqrt(DBL_MAX) ~ 1.3e154, at k = 16. */
	cr_expect_eq(t.overflow_step, 16);
	cr_assert_eq(t.count, (size_t)t.overflow_step);
	for (k = 0; k < t.count; k++) {
		cr_expect(isfinite(t.theta[k]), "theta_%zu", k);
		cr_expect(isfinite(t.loss[k]), "J(theta_%zu)", k);
	}

	/* By hand, from the last stored iterate: the next one is not. */
	theta = t.theta[t.count - 1];
	cr_expect(isfinite(theta));
	next = theta - lr * (1.0 * (theta - 1.0));
	loss = 1.0 / 2 * ((next - 1.0) * (next - 1.0)) + 0.5;
	cr_expect(!isfinite(next) || !isfinite(loss),
		  "step %zu: theta %g, J %g are finite", t.count, next, loss);
	descent_trajectory_release(&t);
}

Test(descent, overflow_at_step_one_keeps_only_theta_0)
{
	struct sgd_trajectory t;

	/* theta_1 ~ -1e160 is finite; only its cost, ~5e319, is not. */
	run(&t, &article_cost, 1e10, 1e150, 5);
	cr_expect_eq(t.overflow_step, 1);
	cr_expect_eq(t.count, 1);
	cr_expect_eq(t.theta[0], 1e150);
	descent_trajectory_release(&t);

	/* theta_1 = 1e10 - 1e300 * (1e10 - 1) = -inf: theta itself. */
	cr_expect(!isfinite(1e10 - 1e300 * (1e10 - 1)));
	run(&t, &article_cost, 1e300, 1e10, 5);
	cr_expect_eq(t.overflow_step, 1);
	cr_expect_eq(t.count, 1);
	descent_trajectory_release(&t);
}

Test(descent, start_with_infinite_cost_stores_nothing)
{
	struct sgd_trajectory t;

	/* A finite init whose cost overflows: step 0 is not finite. */
	run(&t, &article_cost, 0.05, 1e200, 10);
	cr_expect_eq(t.overflow_step, 0);
	cr_expect_eq(t.count, 0);
	descent_trajectory_release(&t);
}

Test(descent, release_accepts_null_and_leaves_struct_reusable)
{
	struct sgd_trajectory t;
	struct sgd_error err;

	descent_trajectory_release(NULL);
	run(&t, &article_cost, 1e10, -1.0, 1000);
	cr_expect_geq(t.overflow_step, 0);
	descent_trajectory_release(&t);
	cr_expect_null(t.theta);
	cr_expect_null(t.loss);
	cr_expect_eq(t.count, 0);
	cr_expect_eq(t.overflow_step, -1);

	/* Reuse the released struct without init. */
	sgd_error_init(&err);
	cr_assert_eq(descent_run(&t, &article_cost, 0.33, -1.0, 10, &err),
		     SGD_OK);
	cr_expect_eq(t.count, 11);
	cr_expect_eq(t.overflow_step, -1);
	cr_expect_eq(t.theta[10], 0.9635432439089647);
	descent_trajectory_release(&t);
	descent_trajectory_release(&t); /* twice is harmless */
	cr_expect_null(t.theta);
}

Test(descent, init_leaves_an_empty_trajectory)
{
	struct sgd_trajectory t;

	memset(&t, 0x5a, sizeof(t));
	descent_trajectory_init(&t);
	cr_expect_null(t.theta);
	cr_expect_null(t.loss);
	cr_expect_eq(t.count, 0);
	cr_expect_eq(t.overflow_step, -1);
}
