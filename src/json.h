/* json.h -- the only door to jansson (src/json.c wraps it).
 *
 * Values are jansson's json_t, passed around as opaque pointers.
 * Constructors return a new reference; j_set()/j_push() steal the value
 * they are given (so j_set(o, "k", j_int(3)) leaks nothing).
 * Numbers: j_num() writes +-inf as the strings "Infinity"/"-Infinity"
 * and NaN as null (DESIGN.md JSON contract); doubles are printed with
 * 17 significant digits so they read back to the same value.
 * Strings: j_str()/j_strn() replace invalid UTF-8 with U+FFFD, so data
 * values can always be written. */
#ifndef ASSAY_JSON_H
#define ASSAY_JSON_H

#include <stddef.h>
#include <stdio.h>
#include "status.h"

struct json_t;

struct json_t *j_obj(void);
struct json_t *j_arr(void);
struct json_t *j_str(const char *s);            /* NULL gives null */
struct json_t *j_strn(const char *s, size_t n);
struct json_t *j_int(long long v);
struct json_t *j_num(double v);
struct json_t *j_bool(int v);
struct json_t *j_null(void);
struct json_t *j_ref(struct json_t *v);         /* +1 reference */
struct json_t *j_copy(struct json_t *v);        /* deep copy */
void j_free(struct json_t *v);                  /* -1 reference; NULL ok */

void j_set(struct json_t *obj, const char *key, struct json_t *val);
void j_push(struct json_t *arr, struct json_t *val);

enum { J_PRETTY = 1, J_CANON = 2 };   /* J_CANON: sorted keys, compact */
/* Returns a new string; caller frees.  Never NULL. */
char *j_dump(const struct json_t *v, int flags);
/* Writes v and a newline; returns 0, or -1 on a write error. */
int j_write(const struct json_t *v, FILE *fp, int flags);

/* Parse; NULL with err filled (file:line:col) on failure. */
struct json_t *j_load_file(const char *path, struct assay_err *err);
struct json_t *j_loads(const char *s, size_t n, const char *name,
                       struct assay_err *err);

/* ---- reading: all borrowed, NULL when absent or of another type ---- */
struct json_t *j_get(const struct json_t *obj, const char *key);
const char *j_string(const struct json_t *v);
int j_is_number(const struct json_t *v);
double j_number(const struct json_t *v);        /* int or real; 0 if not */
long long j_integer(const struct json_t *v);
int j_is_null(const struct json_t *v);
int j_is_true(const struct json_t *v);
int j_is_object(const struct json_t *v);
int j_is_array(const struct json_t *v);
size_t j_len(const struct json_t *arr);         /* 0 when not an array */
struct json_t *j_at(const struct json_t *arr, size_t i);
/* Object iteration in insertion order: for (it = j_iter(o); it;
 * it = j_iter_next(o, it)) { j_iter_key(it); j_iter_value(it); } */
void *j_iter(struct json_t *obj);
void *j_iter_next(struct json_t *obj, void *it);
const char *j_iter_key(void *it);
struct json_t *j_iter_value(void *it);

#endif
