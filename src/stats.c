/* stats.c -- statistics on top of GSL (the only file including GSL):
 * normal tail and quantile, Wilson, Newcombe and Katz intervals, the
 * two-proportion z-test, numpy-exact summation, and exact k-nearest-
 * neighbour classification (FlipTest).  Pure functions of their
 * arguments; used by bias.c, later by profile. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include "stats.h"
#include "util.h"

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

/* ---- exact k-nearest neighbours ----
 * A k-d tree over the training points (split at the median of the widest
 * dimension, leaves of up to 16 points) answers each query with the k
 * smallest (squared distance, index) pairs.  Comparing pairs, not just
 * distances, makes ties go to the lower index whatever the tree shape;
 * a subtree is skipped only when its lower bound (distance to the split
 * plane) is strictly above the current k-th pair's distance. */
struct kd {
    const double *t;
    size_t dim;
    size_t *perm;
    struct kdnode {
        size_t lo, hi, sdim;
        double split;
        long left, right;           /* -1: leaf */
    } *node;
    size_t nnode, cap;
};

struct kdheap {
    double d2[64];
    size_t idx[64];
    unsigned n, k;
};

static double kd_coord(const struct kd *kd, size_t i, size_t d)
{
    return kd->t[kd->perm[i] * kd->dim + d];
}

/* Partial sort perm[lo..hi) so that position m holds the value an
 * ordering by coordinate d would put there (quickselect). */
static void kd_select(struct kd *kd, size_t lo, size_t hi, size_t m,
                      size_t d)
{
    while (hi - lo > 1) {
        /* never the last element: Hoare needs that to make progress */
        double pivot = kd_coord(kd, lo + (hi - lo - 1) / 2, d);
        size_t i = lo, j = hi - 1, tmp;

        for (;;) {
            while (kd_coord(kd, i, d) < pivot)
                i++;
            while (kd_coord(kd, j, d) > pivot)
                j--;
            if (i >= j)
                break;
            tmp = kd->perm[i];
            kd->perm[i] = kd->perm[j];
            kd->perm[j] = tmp;
            i++;
            j--;
        }
        /* [lo, j] <= pivot <= [j + 1, hi) */
        if (m <= j)
            hi = j + 1;
        else
            lo = j + 1;
    }
}

static long kd_build(struct kd *kd, size_t lo, size_t hi)
{
    long id;
    size_t d, i, best = 0, mid;
    double spread = -1, mn, mx, v;

    if (kd->nnode == kd->cap) {
        kd->cap = kd->cap ? kd->cap * 2 : 64;
        kd->node = xrealloc(kd->node, kd->cap * sizeof(*kd->node));
    }
    id = (long)kd->nnode++;
    kd->node[id].lo = lo;
    kd->node[id].hi = hi;
    kd->node[id].left = kd->node[id].right = -1;
    if (hi - lo <= 16)
        return id;
    for (d = 0; d < kd->dim; d++) {
        mn = mx = kd_coord(kd, lo, d);
        for (i = lo + 1; i < hi; i++) {
            v = kd_coord(kd, i, d);
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        if (mx - mn > spread) {
            spread = mx - mn;
            best = d;
        }
    }
    if (!(spread > 0))
        return id;                  /* all points equal: one leaf */
    mid = lo + (hi - lo) / 2;
    kd_select(kd, lo, hi, mid, best);
    kd->node[id].sdim = best;
    kd->node[id].split = kd_coord(kd, mid, best);
    {
        long l = kd_build(kd, lo, mid), r = kd_build(kd, mid, hi);

        kd->node[id].left = l;
        kd->node[id].right = r;
    }
    return id;
}

static int pair_less(double d1, size_t i1, double d2, size_t i2)
{
    return d1 < d2 || (d1 == d2 && i1 < i2);
}

/* Max-heap on (d2, idx): the root is the worst of the best k. */
static void heap_offer(struct kdheap *h, double d2, size_t idx)
{
    unsigned i, c;

    if (h->n < h->k) {
        i = h->n++;
        while (i > 0 && pair_less(h->d2[(i - 1) / 2], h->idx[(i - 1) / 2],
                                  d2, idx)) {
            h->d2[i] = h->d2[(i - 1) / 2];
            h->idx[i] = h->idx[(i - 1) / 2];
            i = (i - 1) / 2;
        }
    } else if (pair_less(d2, idx, h->d2[0], h->idx[0])) {
        i = 0;
        for (;;) {
            c = 2 * i + 1;
            if (c >= h->n)
                break;
            if (c + 1 < h->n && pair_less(h->d2[c], h->idx[c],
                                          h->d2[c + 1], h->idx[c + 1]))
                c++;
            if (!pair_less(d2, idx, h->d2[c], h->idx[c]))
                break;
            h->d2[i] = h->d2[c];
            h->idx[i] = h->idx[c];
            i = c;
        }
    } else {
        return;
    }
    h->d2[i] = d2;
    h->idx[i] = idx;
}

static void kd_search(const struct kd *kd, long id, const double *q,
                      struct kdheap *h)
{
    const struct kdnode *nd = &kd->node[id];
    size_t i, d, p;
    double d2, diff;

    if (nd->left < 0) {
        for (i = nd->lo; i < nd->hi; i++) {
            p = kd->perm[i];
            d2 = 0;
            for (d = 0; d < kd->dim; d++) {
                diff = q[d] - kd->t[p * kd->dim + d];
                d2 += diff * diff;
            }
            heap_offer(h, d2, p);
        }
        return;
    }
    diff = q[nd->sdim] - nd->split;
    kd_search(kd, diff < 0 ? nd->left : nd->right, q, h);
    if (h->n < h->k || !(diff * diff > h->d2[0]))
        kd_search(kd, diff < 0 ? nd->right : nd->left, q, h);
}

void stats_knn(const double *t, const unsigned char *y, size_t nt,
               size_t dim, const double *q, size_t nq, unsigned k,
               unsigned char *out)
{
    struct kd kd = { t, dim, NULL, NULL, 0, 0 };
    struct kdheap h;
    size_t i;
    unsigned j, pos;

    if (k > 64)
        k = 64;
    if (k > nt)
        k = (unsigned)nt;
    kd.perm = xmalloc((nt ? nt : 1) * sizeof(size_t));
    for (i = 0; i < nt; i++)
        kd.perm[i] = i;
    if (nt > 0)
        kd_build(&kd, 0, nt);
    for (i = 0; i < nq; i++) {
        h.n = 0;
        h.k = k;
        if (nt > 0)
            kd_search(&kd, 0, q + i * dim, &h);
        for (j = 0, pos = 0; j < h.n; j++)
            pos += y[h.idx[j]] != 0;
        out[i] = 2 * pos > h.n;
    }
    free(kd.perm);
    free(kd.node);
}
