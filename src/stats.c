/* stats.c -- statistics on top of GSL (the only file including GSL):
 * normal tail and quantile, Wilson, Newcombe and Katz intervals, the
 * two-proportion z-test, and numpy-exact summation.
 * Pure functions of their arguments; used by bias.c, later by profile. */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include "stats.h"

double stats_normal_q(double z)
{
    return gsl_cdf_ugaussian_Q(z);
}

double stats_normal_quantile(double p)
{
    return gsl_cdf_ugaussian_Pinv(p);
}

double stats_z_crit(double conf)
{
    return gsl_cdf_ugaussian_Pinv(1.0 - (1.0 - conf) / 2.0);
}

/* Wilson (1927): the set of p whose score test does not reject k/n,
 *   centre = (p^ + z^2/2n) / (1 + z^2/n),
 *   half   = z / (1 + z^2/n) * sqrt(p^(1-p^)/n + z^2/4n^2).
 * Clamped to [0, 1] against rounding at the edges. */
int stats_wilson(uint64_t k, uint64_t n, double conf, double *lo,
                 double *hi)
{
    double z, z2, nn, p, den, centre, half;

    if (n == 0 || k > n)
        return -1;
    z = stats_z_crit(conf);
    z2 = z * z;
    nn = (double)n;
    p = (double)k / nn;
    den = 1.0 + z2 / nn;
    centre = (p + z2 / (2.0 * nn)) / den;
    half = z / den * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));
    *lo = k == 0 ? 0.0 : fmax(0.0, centre - half);
    *hi = k == n ? 1.0 : fmin(1.0, centre + half);
    return 0;
}

/* Newcombe (1998), method 10: with Wilson intervals (l1, u1), (l2, u2)
 * and d = p1 - p2,
 *   lo = d - sqrt((p1 - l1)^2 + (u2 - p2)^2)
 *   hi = d + sqrt((u1 - p1)^2 + (p2 - l2)^2). */
int stats_newcombe(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2,
                   double conf, double *lo, double *hi)
{
    double l1, u1, l2, u2, p1, p2, d;

    if (stats_wilson(k1, n1, conf, &l1, &u1) < 0 ||
        stats_wilson(k2, n2, conf, &l2, &u2) < 0)
        return -1;
    p1 = (double)k1 / (double)n1;
    p2 = (double)k2 / (double)n2;
    d = p1 - p2;
    *lo = d - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
    *hi = d + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
    return 0;
}

/* Katz, Baptista, Azen and Pike (1978): ln(r) is close to normal with
 * variance 1/k1 - 1/n1 + 1/k2 - 1/n2. */
int stats_katz(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2,
               double conf, double *lo, double *hi)
{
    double z, r, se;

    if (k1 == 0 || k2 == 0 || k1 > n1 || k2 > n2)
        return -1;
    z = stats_z_crit(conf);
    r = ((double)k1 / (double)n1) / ((double)k2 / (double)n2);
    se = sqrt(1.0 / (double)k1 - 1.0 / (double)n1 +
              1.0 / (double)k2 - 1.0 / (double)n2);
    *lo = exp(log(r) - z * se);
    *hi = exp(log(r) + z * se);
    return 0;
}

/* z = (p1 - p2) / sqrt(p(1-p)(1/n1 + 1/n2)), p pooled; p-value 2 Q(|z|). */
double stats_two_prop_p(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2)
{
    double p1, p2, p, se, z;

    if (n1 == 0 || n2 == 0)
        return -1;
    p1 = (double)k1 / (double)n1;
    p2 = (double)k2 / (double)n2;
    p = (double)(k1 + k2) / (double)(n1 + n2);
    se = sqrt(p * (1.0 - p) * (1.0 / (double)n1 + 1.0 / (double)n2));
    if (!(se > 0))
        return 1.0;
    z = fabs(p1 - p2) / se;
    return fmin(1.0, 2.0 * gsl_cdf_ugaussian_Q(z));
}

/* ---- numpy summation ----
 * numpy/core/src/umath/loops_utils.h.src, pairwise_sum: below 8 a plain
 * loop; up to 128 eight accumulators combined as ((r0+r1)+(r2+r3)) +
 * ((r4+r5)+(r6+r7)) then the tail; above, split at n/2 rounded down to a
 * multiple of 8.  np.sum adds the result to the identity 0.0. */
static double pairwise(const double *a, size_t n)
{
    double r[8], res;
    size_t i, j, n2;

    if (n < 8) {
        res = 0.0;
        for (i = 0; i < n; i++)
            res += a[i];
        return res;
    }
    if (n <= 128) {
        for (j = 0; j < 8; j++)
            r[j] = a[j];
        for (i = 8; i < n - n % 8; i += 8)
            for (j = 0; j < 8; j++)
                r[j] += a[i + j];
        res = ((r[0] + r[1]) + (r[2] + r[3])) +
              ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i];
        return res;
    }
    n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(a, n2) + pairwise(a + n2, n - n2);
}

double stats_sum(const double *a, size_t n)
{
    return 0.0 + pairwise(a, n);
}
