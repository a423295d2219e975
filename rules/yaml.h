/* yaml.h -- private to rules/: a YAML (or JSON) document as a small tree.
 *
 * ydoc_parse() turns text into mapping/sequence/scalar nodes that keep
 * their 1-based line and column, so that every later error can say
 * FILE:LINE:COL.  Scalars are never typed here: a scalar is text plus a
 * flag saying whether it was written plain; the field it fills decides
 * what it means (no "Norway problem").  Anchors, aliases, merge keys,
 * tags, duplicate keys, several documents, files over YDOC_MAX_BYTES and
 * nesting deeper than YDOC_MAX_DEPTH are errors.
 *
 * rules/yaml.c is the only file that includes <yaml.h> (libyaml). */
#ifndef ASSAY_RULES_YAML_H
#define ASSAY_RULES_YAML_H

#include <stddef.h>
#include "status.h"

enum { YDOC_MAX_BYTES = 1 << 20, YDOC_MAX_DEPTH = 64 };

enum ynode_kind { YN_SCALAR, YN_MAP, YN_SEQ };

struct ynode {
    enum ynode_kind kind;
    unsigned line, col;         /* 1-based position of the node's start */
    /* Scalars: the text (NUL-terminated; len is authoritative). */
    char *str;
    size_t len;
    int plain;                  /* 1: written without quotes */
    /* verbatim: 1 when the text is the source bytes starting at
     * (line, col + plain ? 0 : 1) on one line, so an offset into str
     * maps to a source column (expressions, regexes). */
    int verbatim;
    /* Maps: kid[2i] is a key (a scalar), kid[2i + 1] its value.
     * Sequences: kid[i].  n counts nodes in kid[]. */
    struct ynode **kid;
    size_t n, cap;
};

/* Parse text (n bytes) into a tree.  Returns the root (caller frees with
 * ynode_free()), or NULL with err (ASSAY_ERULES, located at
 * name:LINE:COL) on a syntax error or anything listed above. */
struct ynode *ydoc_parse(const char *text, size_t n, const char *name,
                         struct assay_err *err);
void ynode_free(struct ynode *node);

/* Number of key/value pairs of a map. */
static inline size_t ymap_len(const struct ynode *m)
{
    return m->n / 2;
}

/* The value for key in map m (borrowed), or NULL. */
const struct ynode *ymap_get(const struct ynode *m, const char *key);

/* "a mapping", "a list", "a string" ... for messages. */
const char *ynode_what(const struct ynode *node);

#endif
