/* json.c -- jansson wrapper (the only file that includes <jansson.h>).
 * Adds what the JSON contract needs on top of jansson: infinities as
 * strings, invalid UTF-8 repaired instead of refused, errors with
 * file:line:col. */
#include <jansson.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "types.h"
#include "util.h"

static json_t *must(json_t *v)
{
    if (v == NULL)
        die("out of memory");
    return v;
}

struct json_t *j_obj(void) { return must(json_object()); }
struct json_t *j_arr(void) { return must(json_array()); }
struct json_t *j_null(void) { return json_null(); }
struct json_t *j_bool(int v) { return v ? json_true() : json_false(); }
struct json_t *j_int(long long v) { return must(json_integer(v)); }
struct json_t *j_ref(struct json_t *v) { return json_incref(v); }
struct json_t *j_copy(struct json_t *v) { return must(json_deep_copy(v)); }
void j_free(struct json_t *v) { json_decref(v); }

struct json_t *j_num(double v)
{
    if (isnan(v))
        return json_null();
    if (isinf(v))
        return must(json_string(v > 0 ? "Infinity" : "-Infinity"));
    return must(json_real(v));
}

/* Length of a valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned cp;

    return utf8_decode(p, n, &cp);
}

struct json_t *j_strn(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    struct buf b = BUF_INIT;
    json_t *v;
    size_t i = 0, k;

    if (s == NULL)
        return json_null();
    while (i < n) {
        k = utf8_seq(p + i, n - i);
        if (k == 0 || (k == 1 && p[i] == 0))
            break;
        i += k;
    }
    if (i == n)
        return must(json_stringn(s, n));
    /* Repair: invalid bytes and NUL become U+FFFD. */
    for (i = 0; i < n;) {
        k = utf8_seq(p + i, n - i);
        if (k == 0 || (k == 1 && p[i] == 0)) {
            buf_add(&b, "\xEF\xBF\xBD", 3);
            i++;
        } else {
            buf_add(&b, p + i, k);
            i += k;
        }
    }
    v = must(json_stringn(buf_cstr(&b), b.len));
    buf_release(&b);
    return v;
}

struct json_t *j_str(const char *s)
{
    return s == NULL ? json_null() : j_strn(s, strlen(s));
}

void j_set(struct json_t *obj, const char *key, struct json_t *val)
{
    if (val == NULL)
        val = json_null();
    if (json_object_set_new(obj, key, val) != 0)
        must(NULL);
}

void j_push(struct json_t *arr, struct json_t *val)
{
    if (val == NULL)
        val = json_null();
    if (json_array_append_new(arr, val) != 0)
        must(NULL);
}

static size_t dump_flags(int flags)
{
    size_t f = JSON_REAL_PRECISION(17) | JSON_ENCODE_ANY;

    if (flags & J_CANON)
        f |= JSON_SORT_KEYS | JSON_COMPACT;
    else if (flags & J_PRETTY)
        f |= JSON_INDENT(2);
    else
        f |= JSON_COMPACT;
    return f;
}

char *j_dump(const struct json_t *v, int flags)
{
    char *s = json_dumps(v, dump_flags(flags));

    return s != NULL ? s : xstrdup("null");
}

int j_write(const struct json_t *v, FILE *fp, int flags)
{
    char *s = j_dump(v, flags);
    int rc = (fputs(s, fp) < 0 || fputc('\n', fp) == EOF) ? -1 : 0;

    free(s);
    return rc;
}

static struct json_t *load_fail(json_error_t *je, const char *name,
                                struct assay_err *err)
{
    seterr_at(err, ASSAY_EINPUT, name, (unsigned long)(je->line > 0 ?
              je->line : 0), (unsigned long)(je->column > 0 ? je->column : 0),
              "%s", je->text);
    return NULL;
}

struct json_t *j_load_file(const char *path, struct assay_err *err)
{
    json_error_t je;
    FILE *fp = fopen(path, "rb");
    json_t *v;

    if (fp == NULL) {
        seterr(err, ASSAY_EOPEN, "cannot open '%s': %s", path,
               strerror(errno));
        return NULL;
    }
    v = json_loadf(fp, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    fclose(fp);
    return v != NULL ? v : load_fail(&je, path, err);
}

struct json_t *j_loads(const char *s, size_t n, const char *name,
                       struct assay_err *err)
{
    json_error_t je;
    json_t *v = json_loadb(s, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                           &je);

    return v != NULL ? v : load_fail(&je, name, err);
}

struct json_t *j_get(const struct json_t *o, const char *key)
{
    return json_is_object(o) ? json_object_get(o, key) : NULL;
}

const char *j_string(const struct json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int j_is_number(const struct json_t *v) { return json_is_number(v); }
double j_number(const struct json_t *v) { return json_number_value(v); }
int j_is_null(const struct json_t *v) { return json_is_null(v); }
int j_is_true(const struct json_t *v) { return json_is_true(v); }
int j_is_object(const struct json_t *v) { return json_is_object(v); }
int j_is_array(const struct json_t *v) { return json_is_array(v); }

long long j_integer(const struct json_t *v)
{
    if (json_is_integer(v))
        return json_integer_value(v);
    return (long long)json_number_value(v);
}

size_t j_len(const struct json_t *a)
{
    return json_is_array(a) ? json_array_size(a) : 0;
}

struct json_t *j_at(const struct json_t *a, size_t i)
{
    return json_is_array(a) ? json_array_get(a, i) : NULL;
}

void *j_iter(struct json_t *o) { return json_object_iter(o); }
void *j_iter_next(struct json_t *o, void *it)
{
    return json_object_iter_next(o, it);
}
const char *j_iter_key(void *it) { return json_object_iter_key(it); }
struct json_t *j_iter_value(void *it) { return json_object_iter_value(it); }
