/* stats.h -- statistics for bias and profile (stats.c, the only file
 * that includes GSL).
 *
 * Intervals are for proportions of counts (k successes out of n) at a
 * confidence level conf (0.95 for a 95% interval).  Functions that cannot
 * give an interval (n = 0, a zero count where a logarithm is needed)
 * return -1 and leave *lo and *hi untouched; otherwise 0.
 *
 * stats_sum() reproduces numpy's float64 summation (pairwise, 8-way
 * unrolled) bit for bit, so metrics defined as np.sum(...) by the
 * reference implementation come out identical. */
#ifndef ASSAY_STATS_H
#define ASSAY_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Standard normal: upper tail Q(z) = P(Z > z), and the quantile
 * P^-1(p) (p in (0, 1)). */
double stats_normal_q(double z);
double stats_normal_quantile(double p);
/* The two-sided critical value for a confidence level: 1.959964 for
 * 0.95. */
double stats_z_crit(double conf);

/* Wilson score interval for the proportion k/n (Wilson 1927). */
int stats_wilson(uint64_t k, uint64_t n, double conf, double *lo,
                 double *hi);

/* Newcombe's hybrid score interval for p1 - p2 (Newcombe 1998, method
 * 10), built from the two Wilson intervals. */
int stats_newcombe(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2,
                   double conf, double *lo, double *hi);

/* Katz log interval for the ratio (k1/n1) / (k2/n2) (Katz et al. 1978):
 * exp(ln r +- z sqrt(1/k1 - 1/n1 + 1/k2 - 1/n2)).  Needs k1, k2 > 0. */
int stats_katz(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2,
               double conf, double *lo, double *hi);

/* Two-sided p-value of the pooled two-proportion z-test of
 * H0: k1/n1 = k2/n2.  Returns -1 (no test) when n1 or n2 is 0; 1 when
 * the pooled proportion is 0 or 1 (both samples identical). */
double stats_two_prop_p(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2);

/* numpy's np.sum of a float64 vector (0.0 + pairwise sum), bit-exact. */
double stats_sum(const double *a, size_t n);

/* Exact k-nearest-neighbour classification (Euclidean, uniform vote) of
 * nq query points q[nq * dim] against nt training points t[nt * dim]
 * with 0/1 targets y[nt]: out[i] = 1 when more than half of the k
 * nearest training points have y = 1.  Ties in distance are broken by
 * the lower training index, so the result does not depend on the search
 * structure (a k-d tree).  k must be in 1..nt.  No NaN in t or q. */
void stats_knn(const double *t, const unsigned char *y, size_t nt,
               size_t dim, const double *q, size_t nq, unsigned k,
               unsigned char *out);

#endif
