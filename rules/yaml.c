/* yaml.c -- the only file that includes <yaml.h> (libyaml 0.2.5).
 *
 * Reads libyaml's event stream into the small positioned tree of
 * rules/yaml.h.  libyaml marks are 0-based (line, column in characters);
 * nodes carry them 1-based.  Everything YAML can do beyond plain data
 * (anchors, aliases, merge keys, tags, several documents) is refused, and
 * size and depth are capped, so a hostile rules file costs at most
 * YDOC_MAX_BYTES of input and a tree proportional to it. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "yaml.h"
#include "util.h"

/* Byte offset of the start of every line, to check whether a scalar is
 * verbatim source text and to locate reader errors (byte offsets). */
struct lines {
    size_t *start;
    size_t n, cap;
};

struct loader {
    const char *text;
    size_t len;
    const char *name;
    struct assay_err *err;
    struct lines lines;
    struct ynode *stack[YDOC_MAX_DEPTH + 1];
    size_t depth;
    struct ynode *root;
    /* The last position byte_at() found: events come in file order, so
     * walking on from it keeps a long line linear, not quadratic. */
    size_t last_line, last_col, last_byte;
};

static void lines_build(struct lines *l, const char *text, size_t n)
{
    size_t i;

    grow(&l->start, &l->cap, 1, sizeof(*l->start));
    l->start[l->n++] = 0;
    for (i = 0; i < n; i++) {
        if (text[i] == '\n') {
            grow(&l->start, &l->cap, l->n + 1, sizeof(*l->start));
            l->start[l->n++] = i + 1;
        }
    }
}

/* Byte offset of (line, column in characters), both 0-based, or
 * (size_t)-1 when out of range. */
static size_t byte_at(struct loader *ld, size_t line, size_t col)
{
    size_t p, want = col;

    if (line >= ld->lines.n)
        return (size_t)-1;
    p = ld->lines.start[line];
    if (line == ld->last_line && col >= ld->last_col && ld->last_byte >= p) {
        p = ld->last_byte;
        col -= ld->last_col;
    }
    ld->last_line = line;
    ld->last_col = want - col;
    ld->last_byte = p;
    while (col > 0 && p < ld->len) {
        if (ld->text[p] == '\n')
            return (size_t)-1;
        p++;
        while (p < ld->len && ((unsigned char)ld->text[p] & 0xC0) == 0x80)
            p++;
        col--;
    }
    if (col != 0)
        return (size_t)-1;
    ld->last_col = want;
    ld->last_byte = p;
    return p;
}

/* 1-based line and column of a byte offset. */
static void locate_byte(const struct loader *ld, size_t off, unsigned *line,
                        unsigned *col)
{
    size_t a = 0, b = ld->lines.n, p, c = 1;

    while (b - a > 1) {
        size_t mid = a + (b - a) / 2;

        if (ld->lines.start[mid] <= off)
            a = mid;
        else
            b = mid;
    }
    for (p = ld->lines.start[a]; p < off && p < ld->len; p++)
        if (((unsigned char)ld->text[p] & 0xC0) != 0x80)
            c++;
    *line = (unsigned)a + 1;
    *col = (unsigned)c;
}

static int fail_at(struct loader *ld, const yaml_mark_t *m, const char *what)
{
    return seterr_at(ld->err, ASSAY_ERULES, ld->name,
                     (unsigned long)m->line + 1, (unsigned long)m->column + 1,
                     "%s", what);
}

static int syntax_error(struct loader *ld, const yaml_parser_t *p)
{
    const char *problem = p->problem != NULL ? p->problem : "syntax error";
    unsigned line, col;
    size_t at;

    if (p->error == YAML_MEMORY_ERROR)
        return seterr(ld->err, ASSAY_ENOMEM, "%s: out of memory", ld->name);
    if (p->error == YAML_READER_ERROR) {
        locate_byte(ld, p->problem_offset, &line, &col);
        return seterr_at(ld->err, ASSAY_ERULES, ld->name, line, col,
                         "%s", problem);
    }
    /* libyaml's "found character that cannot start any token" for a
     * tab says nothing of tabs: YAML indents with spaces only. */
    at = byte_at(ld, p->problem_mark.line, p->problem_mark.column);
    if (p->error == YAML_SCANNER_ERROR && at != (size_t)-1 &&
        at < ld->len && ld->text[at] == '\t')
        return seterr_at(ld->err, ASSAY_ERULES, ld->name,
                         (unsigned long)p->problem_mark.line + 1,
                         (unsigned long)p->problem_mark.column + 1,
                         "a tab character where YAML expects spaces "
                         "(indent with spaces, not tabs)");
    if (p->context != NULL)
        return seterr_at(ld->err, ASSAY_ERULES, ld->name,
                         (unsigned long)p->problem_mark.line + 1,
                         (unsigned long)p->problem_mark.column + 1,
                         "%s (%s at %lu:%lu)", problem, p->context,
                         (unsigned long)p->context_mark.line + 1,
                         (unsigned long)p->context_mark.column + 1);
    return seterr_at(ld->err, ASSAY_ERULES, ld->name,
                     (unsigned long)p->problem_mark.line + 1,
                     (unsigned long)p->problem_mark.column + 1, "%s", problem);
}

void ynode_free(struct ynode *node)
{
    size_t i;

    if (node == NULL)
        return;
    for (i = 0; i < node->n; i++)
        ynode_free(node->kid[i]);
    free(node->kid);
    free(node->str);
    free(node);
}

static struct ynode *node_new(enum ynode_kind kind, const yaml_mark_t *m)
{
    struct ynode *nd = xcalloc(1, sizeof(*nd));

    nd->kind = kind;
    nd->line = (unsigned)m->line + 1;
    nd->col = (unsigned)m->column + 1;
    return nd;
}

/* ---- building the tree ---- */

static int attach(struct loader *ld, struct ynode *nd, const yaml_mark_t *m)
{
    struct ynode *parent;

    if (ld->depth == 0) {
        ld->root = nd;
        return 0;
    }
    parent = ld->stack[ld->depth - 1];
    if (parent->kind == YN_MAP && parent->n % 2 == 0) {
        if (nd->kind != YN_SCALAR) {
            ynode_free(nd);
            return fail_at(ld, m, "mapping keys must be plain strings");
        }
        if (nd->plain && nd->len == 2 && memcmp(nd->str, "<<", 2) == 0) {
            ynode_free(nd);
            return fail_at(ld, m, "merge keys ('<<') are not supported");
        }
    }
    grow(&parent->kid, &parent->cap, parent->n + 1, sizeof(*parent->kid));
    parent->kid[parent->n++] = nd;
    return 0;
}

static int key_cmp(const void *a, const void *b)
{
    const struct ynode *x = *(const struct ynode *const *)a;
    const struct ynode *y = *(const struct ynode *const *)b;
    size_t n = MIN(x->len, y->len);
    int c = memcmp(x->str, y->str, n);

    if (c != 0)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    /* Equal keys: file order, so the later one is the duplicate. */
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* A key given twice is an error at its second occurrence (the earliest
 * such in the file). */
static int check_duplicates(struct loader *ld, const struct ynode *map)
{
    size_t nk = map->n / 2, i;
    const struct ynode **keys;
    const struct ynode *dup = NULL, *first = NULL;
    int rc = 0;

    if (nk < 2)
        return 0;
    keys = xmalloc(nk * sizeof(*keys));
    for (i = 0; i < nk; i++)
        keys[i] = map->kid[2 * i];
    qsort(keys, nk, sizeof(*keys), key_cmp);
    /* Sorted by text, then position: in each run of equal keys the first
     * is the original and the second the earliest duplicate. */
    for (i = 1; i < nk; i++) {
        const struct ynode *k = keys[i], *prev = keys[i - 1];

        if (k->len != prev->len || memcmp(k->str, prev->str, k->len) != 0)
            continue;
        if (i >= 2 && keys[i - 2]->len == k->len &&
            memcmp(keys[i - 2]->str, k->str, k->len) == 0)
            continue;               /* a third copy: not the earliest */
        if (dup == NULL || k->line < dup->line ||
            (k->line == dup->line && k->col < dup->col)) {
            dup = k;
            first = prev;
        }
    }
    if (dup != NULL)
        rc = seterr_at(ld->err, ASSAY_ERULES, ld->name, dup->line, dup->col,
                       "duplicate key '%s' (first at %u:%u)", dup->str,
                       first->line, first->col);
    free(keys);
    return rc;
}

static int on_scalar(struct loader *ld, const yaml_event_t *ev)
{
    const yaml_mark_t *m = &ev->start_mark;
    struct ynode *nd = node_new(YN_SCALAR, m);
    size_t len = ev->data.scalar.length, at;

    nd->str = xstrndup((const char *)ev->data.scalar.value, len);
    nd->len = len;
    nd->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (ev->start_mark.line == ev->end_mark.line &&
        (nd->plain || ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE
         || ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)) {
        at = byte_at(ld, m->line, m->column + (nd->plain ? 0 : 1));
        nd->verbatim = at != (size_t)-1 && at + len <= ld->len &&
                       memcmp(ld->text + at, nd->str, len) == 0;
    }
    return attach(ld, nd, m);
}

static int on_start(struct loader *ld, const yaml_event_t *ev,
                    enum ynode_kind kind)
{
    struct ynode *nd;

    if (ld->depth >= YDOC_MAX_DEPTH)
        return fail_at(ld, &ev->start_mark, "nesting is too deep");
    nd = node_new(kind, &ev->start_mark);
    if (attach(ld, nd, &ev->start_mark) < 0)
        return -1;
    ld->stack[ld->depth++] = nd;
    return 0;
}

static int on_end(struct loader *ld)
{
    struct ynode *nd = ld->stack[--ld->depth];

    if (nd->kind == YN_MAP)
        return check_duplicates(ld, nd);
    return 0;
}

/* Anchors, aliases and tags: refused wherever they appear. */
static int refuse_extras(struct loader *ld, const yaml_event_t *ev)
{
    const yaml_char_t *anchor = NULL, *tag = NULL;

    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        return fail_at(ld, &ev->start_mark,
                       "anchors and aliases are not supported in rules "
                       "files");
    case YAML_SCALAR_EVENT:
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
        break;
    default:
        return 0;
    }
    if (anchor != NULL)
        return fail_at(ld, &ev->start_mark,
                       "anchors and aliases are not supported in rules "
                       "files");
    if (tag != NULL) {
        char msg[160];

        snprintf(msg, sizeof(msg), "tags are not supported ('%.100s')",
                 (const char *)tag);
        return fail_at(ld, &ev->start_mark, msg);
    }
    return 0;
}

static int on_event(struct loader *ld, const yaml_event_t *ev, int *done,
                    int *ndocs)
{
    if (refuse_extras(ld, ev) < 0)
        return -1;
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        *done = 1;
        return 0;
    case YAML_DOCUMENT_START_EVENT:
        if (++*ndocs > 1)
            return fail_at(ld, &ev->start_mark,
                           "more than one YAML document in a rules file");
        return 0;
    case YAML_SCALAR_EVENT:
        return on_scalar(ld, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_start(ld, ev, YN_SEQ);
    case YAML_MAPPING_START_EVENT:
        return on_start(ld, ev, YN_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_end(ld);
    default:
        return 0;
    }
}

struct ynode *ydoc_parse(const char *text, size_t n, const char *name,
                         struct assay_err *err)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    struct loader ld;
    int done = 0, ndocs = 0, rc = -1;

    memset(&ld, 0, sizeof(ld));
    ld.text = text;
    ld.len = n;
    ld.name = name;
    ld.err = err;
    if (n > YDOC_MAX_BYTES) {
        seterr(err, ASSAY_ERULES, "%s: rules file is larger than %d bytes",
               name, YDOC_MAX_BYTES);
        return NULL;
    }
    lines_build(&ld.lines, text, n);
    if (!yaml_parser_initialize(&parser)) {
        free(ld.lines.start);
        seterr(err, ASSAY_ENOMEM, "%s: out of memory", name);
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, n);
    while (!done) {
        int r;

        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(&ld, &parser);
            goto out;
        }
        r = on_event(&ld, &ev, &done, &ndocs);
        yaml_event_delete(&ev);
        if (r < 0)
            goto out;
    }
    if (ld.root == NULL) {
        seterr_at(err, ASSAY_ERULES, name, 1, 1, "empty rules file");
        goto out;
    }
    rc = 0;
out:
    yaml_parser_delete(&parser);
    free(ld.lines.start);
    if (rc < 0) {
        /* The stack's nodes hang off root: free from there. */
        ynode_free(ld.root);
        return NULL;
    }
    return ld.root;
}

const struct ynode *ymap_get(const struct ynode *m, const char *key)
{
    size_t i, n = strlen(key);

    if (m == NULL || m->kind != YN_MAP)
        return NULL;
    for (i = 0; i + 1 < m->n; i += 2)
        if (m->kid[i]->len == n && memcmp(m->kid[i]->str, key, n) == 0)
            return m->kid[i + 1];
    return NULL;
}

const char *ynode_what(const struct ynode *node)
{
    if (node == NULL)
        return "nothing";
    switch (node->kind) {
    case YN_MAP:
        return "a mapping";
    case YN_SEQ:
        return "a list";
    default:
        break;
    }
    if (node->len == 0 && node->plain)
        return "an empty value";
    return node->plain ? "a plain value" : "a quoted string";
}
