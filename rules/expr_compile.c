/* expr_compile.c -- the expression language of `expression` checks:
 * tokens, grammar and types (expr.h).
 *
 * A recursive-descent parser compiles the text once into a typed tree
 * (nodes in one array, children by index); expr_eval() walks it per
 * record over values the checker already parsed.  Types are checked at
 * compile time (number, string, boolean, time, null); a string literal
 * compared with a number, time or boolean is converted once, a string
 * column compared with one is converted per record (null when it does
 * not parse).  Three-valued logic as in SQL.
 *
 *   expr    := or
 *   or      := and { (OR | '||') and }
 *   and     := not { (AND | '&&') not }
 *   not     := (NOT | '!') not | cmp
 *   cmp     := sum [ op sum | IS [NOT] NULL | [NOT] IN '(' sum {, sum} ')'
 *                  | [NOT] BETWEEN sum AND sum ]
 *   sum     := prod { (+ | -) prod }
 *   prod    := unary { (* | / | %) unary }
 *   unary   := (- | +) unary | primary
 *   primary := number | 'string' | DATE 'lit' | TIMESTAMP 'lit' | TRUE
 *            | FALSE | NULL | column | "column" | `column`
 *            | ABS '(' expr ')' | LENGTH '(' expr ')' | '(' expr ')'
 * op is one of = == != <> < <= > >=.  Keywords are case-insensitive. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "expr_int.h"
#include "rules_int.h"

/* ---- tokens ---- */

enum tok {
    K_END, K_NUM, K_STR, K_IDENT, K_QIDENT, K_LP, K_RP, K_COMMA,
    K_EQ, K_NE, K_LT, K_LE, K_GT, K_GE, K_PLUS, K_MINUS, K_STAR, K_SLASH,
    K_PCT, K_AND, K_OR, K_NOT, K_IS, K_NULL, K_TRUE, K_FALSE, K_DATE,
    K_TIMESTAMP, K_IN, K_BETWEEN, K_ABS, K_LENGTH
};

/* Keywords: how to add one: a row here and a K_ value above. */
static const struct {
    const char *word;
    enum tok tok;
} keywords[] = {
    { "and", K_AND }, { "or", K_OR }, { "not", K_NOT }, { "is", K_IS },
    { "null", K_NULL }, { "true", K_TRUE }, { "false", K_FALSE },
    { "date", K_DATE }, { "timestamp", K_TIMESTAMP }, { "in", K_IN },
    { "between", K_BETWEEN }, { "abs", K_ABS }, { "length", K_LENGTH },
};

struct cp {
    const char *s;
    size_t n, pos;
    enum tok tok;
    size_t off;                 /* of the current token */
    char *text;                 /* K_STR, K_QIDENT: unescaped (owned) */
    size_t tlen;
    struct expr *x;
    const char *const *names;
    const int *types;
    size_t ncols;
    struct expr_error *e;
    int failed;
    int depth;
};

static int cp_fail(struct cp *c, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int cp_fail(struct cp *c, size_t off, const char *fmt, ...)
{
    va_list ap;

    if (c->failed)
        return -1;
    c->failed = 1;
    c->e->off = off;
    va_start(ap, fmt);
    vsnprintf(c->e->msg, sizeof(c->e->msg), fmt, ap);
    va_end(ap);
    return -1;
}

static int is_digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

static int is_ident_start(unsigned char ch)
{
    return ch == '_' || (ch >= 'a' && ch <= 'z') ||
           (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

static int is_ident(unsigned char ch)
{
    return is_ident_start(ch) || is_digit(ch);
}

/* A quoted token ('...', "...", `...`): the quote doubled is itself. */
static int lex_quoted(struct cp *c, char q)
{
    struct buf b = BUF_INIT;
    size_t p = c->pos + 1;

    for (;;) {
        if (p >= c->n) {
            buf_release(&b);
            return cp_fail(c, c->off, "unterminated %s",
                           q == '\'' ? "string" : "quoted name");
        }
        if (c->s[p] == q) {
            if (p + 1 < c->n && c->s[p + 1] == q) {
                buf_addc(&b, q);
                p += 2;
                continue;
            }
            break;
        }
        buf_addc(&b, c->s[p++]);
    }
    c->pos = p + 1;
    c->tlen = b.len;
    buf_cstr(&b);
    free(c->text);
    c->text = b.data != NULL ? buf_detach(&b) : xstrdup("");
    c->tok = q == '\'' ? K_STR : K_QIDENT;
    return 0;
}

static int lex_number(struct cp *c)
{
    size_t p = c->pos;

    while (p < c->n && is_digit(c->s[p]))
        p++;
    if (p < c->n && c->s[p] == '.')
        for (p++; p < c->n && is_digit(c->s[p]); p++)
            ;
    if (p < c->n && (c->s[p] | 0x20) == 'e') {
        size_t q = p + 1;

        if (q < c->n && (c->s[q] == '+' || c->s[q] == '-'))
            q++;
        if (q < c->n && is_digit(c->s[q])) {
            for (p = q; p < c->n && is_digit(c->s[p]); p++)
                ;
        }
    }
    if (p < c->n && is_ident(c->s[p]))
        return cp_fail(c, c->off, "bad number '%.*s'",
                       (int)(p - c->pos + 1), c->s + c->pos);
    c->tlen = p - c->pos;
    c->pos = p;
    c->tok = K_NUM;
    return 0;
}

/* Operators: how to add one: a row here (longest first) and a K_ value. */
static const struct {
    const char *text;
    enum tok tok;
} operators[] = {
    { "==", K_EQ }, { "!=", K_NE }, { "<>", K_NE }, { "<=", K_LE },
    { ">=", K_GE }, { "&&", K_AND }, { "||", K_OR },
    { "=", K_EQ }, { "<", K_LT }, { ">", K_GT }, { "+", K_PLUS },
    { "-", K_MINUS }, { "*", K_STAR }, { "/", K_SLASH }, { "%", K_PCT },
    { "(", K_LP }, { ")", K_RP }, { ",", K_COMMA }, { "!", K_NOT },
};

static int lex(struct cp *c)
{
    size_t i, len;
    unsigned char ch;

    while (c->pos < c->n && strchr(" \t\r\n", c->s[c->pos]) != NULL &&
           c->s[c->pos] != '\0')
        c->pos++;
    c->off = c->pos;
    if (c->pos >= c->n) {
        c->tok = K_END;
        return 0;
    }
    ch = (unsigned char)c->s[c->pos];
    if (ch == '\'' || ch == '"' || ch == '`')
        return lex_quoted(c, (char)ch);
    if (is_digit(ch) || (ch == '.' && c->pos + 1 < c->n &&
                           is_digit(c->s[c->pos + 1])))
        return lex_number(c);
    if (is_ident_start(ch)) {
        for (len = 1; c->pos + len < c->n && is_ident(c->s[c->pos + len]);
             len++)
            ;
        c->tok = K_IDENT;
        c->tlen = len;
        for (i = 0; i < ARRAY_SIZE(keywords); i++)
            if (strlen(keywords[i].word) == len &&
                strncasecmp(keywords[i].word, c->s + c->pos, len) == 0)
                c->tok = keywords[i].tok;
        c->pos += len;
        return 0;
    }
    for (i = 0; i < ARRAY_SIZE(operators); i++) {
        len = strlen(operators[i].text);
        if (c->pos + len <= c->n &&
            memcmp(c->s + c->pos, operators[i].text, len) == 0) {
            c->tok = operators[i].tok;
            c->pos += len;
            return 0;
        }
    }
    return cp_fail(c, c->off, "unexpected character '%c'",
                   ch >= 0x20 && ch < 0x7f ? ch : '?');
}

/* ---- building nodes ---- */

static int node_add(struct cp *c, int op, int ty, int a, int b, size_t off)
{
    struct expr *x = c->x;
    struct xnode *nd;

    grow(&x->node, &x->cap, x->nnode + 1, sizeof(*x->node));
    nd = &x->node[x->nnode];
    memset(nd, 0, sizeof(*nd));
    nd->op = (unsigned char)op;
    nd->ty = (unsigned char)ty;
    nd->a = a;
    nd->b = b;
    nd->off = off;
    nd->height = 1 + MAX(a >= 0 ? x->node[a].height : 0,
                         b >= 0 ? x->node[b].height : 0);
    if (nd->height > EXPR_MAX_HEIGHT)
        return cp_fail(c, off, "expression is nested too deeply");
    return (int)x->nnode++;
}

/* items[0] op items[1] op ... as a balanced tree (and, or are
 * associative in three-valued logic too). */
static int chain(struct cp *c, int op, const int *items, size_t n,
                 size_t off)
{
    int l, r;

    if (n == 1)
        return items[0];
    l = chain(c, op, items, n / 2, off);
    r = l < 0 ? -1 : chain(c, op, items + n / 2, n - n / 2, off);
    return r < 0 ? -1 : node_add(c, op, TY_BOOL, l, r, off);
}

static void item_push(int **v, size_t *n, size_t *cap, int k)
{
    grow(v, cap, *n + 1, sizeof(**v));
    (*v)[(*n)++] = k;
}

static int expect_operand_fail(struct cp *c)
{
    if (c->tok == K_END)
        return cp_fail(c, c->off, "expected an operand, found the end of "
                       "the expression");
    return cp_fail(c, c->off, "expected an operand, found '%.*s'",
                   (int)MAX(c->pos - c->off, 1), c->s + c->off);
}

static int parse_or(struct cp *c);

static int column_ref(struct cp *c, const char *name, size_t len, size_t off)
{
    size_t i;
    int k;
    char hint[160];

    for (i = 0; i < c->ncols; i++)
        if (strlen(c->names[i]) == len &&
            memcmp(c->names[i], name, len) == 0)
            break;
    if (i == c->ncols) {
        char *w = xstrndup(name, len);

        rules_did_you_mean(hint, sizeof(hint), w, c->names, c->ncols);
        cp_fail(c, off, "unknown column '%s' in expression%s", w, hint);
        free(w);
        return -1;
    }
    if (c->types[i] < 0)
        return cp_fail(c, off, "column '%s' has no type: expressions may "
                       "name only columns declared with a type",
                       c->names[i]);
    k = node_add(c, X_COL, TY_STR, -1, -1, off);
    c->x->node[k].col = (int)i;
    c->x->node[k].ctype = c->types[i];
    switch (c->types[i]) {
    case VT_INTEGER:
    case VT_NUMBER:
        c->x->node[k].ty = TY_NUM;
        break;
    case VT_BOOLEAN:
        c->x->node[k].ty = TY_BOOL;
        break;
    case VT_DATE:
    case VT_TIMESTAMP:
        c->x->node[k].ty = TY_TIME;
        break;
    default:
        break;
    }
    for (i = 0; i < c->x->ncols; i++)
        if (c->x->cols[i] == c->x->node[k].col)
            break;
    if (i == c->x->ncols) {
        grow(&c->x->cols, &c->x->colcap, c->x->ncols + 1,
             sizeof(*c->x->cols));
        c->x->cols[c->x->ncols++] = c->x->node[k].col;
    }
    return k;
}

/* A string literal (the current token's text, moved into the pool). */
static int string_lit(struct cp *c, size_t off)
{
    struct expr *x = c->x;
    int k;

    grow(&x->pool, &x->poolcap, x->npool + 1, sizeof(*x->pool));
    x->pool[x->npool++] = c->text;
    k = node_add(c, X_LIT, TY_STR, -1, -1, off);
    x->node[k].lit.t = TY_STR;
    x->node[k].lit.p = c->text;
    x->node[k].lit.n = c->tlen;
    c->text = NULL;
    return k;
}

static int time_lit(struct cp *c, enum tok kind, size_t off)
{
    int64_t us;
    int ok, k;

    if (lex(c) < 0)
        return -1;
    if (c->tok != K_STR)
        return cp_fail(c, c->off, "expected a quoted %s after '%s'",
                       kind == K_DATE ? "date" : "timestamp",
                       kind == K_DATE ? "date" : "timestamp");
    ok = kind == K_DATE ? parse_date(c->text, c->tlen, &us)
                        : parse_timestamp(c->text, c->tlen, &us) ||
                          parse_date(c->text, c->tlen, &us);
    if (!ok)
        return cp_fail(c, c->off, "'%s' is not a valid %s", c->text,
                       kind == K_DATE ? "date (YYYY-MM-DD)" : "timestamp");
    k = node_add(c, X_LIT, TY_TIME, -1, -1, off);
    c->x->node[k].lit.t = TY_TIME;
    c->x->node[k].lit.i = us;
    return lex(c) < 0 ? -1 : k;
}

static int number_lit(struct cp *c)
{
    struct xv v = { 0 };
    int k;

    if (parse_int64(c->s + c->off, c->tlen, &v.i)) {
        xv_int(&v, v.i);
    } else if (parse_number(c->s + c->off, c->tlen, &v.d)) {
        xv_num(&v, v.d);
    } else {
        return cp_fail(c, c->off, "bad number '%.*s'", (int)c->tlen,
                       c->s + c->off);
    }
    k = node_add(c, X_LIT, TY_NUM, -1, -1, c->off);
    c->x->node[k].lit = v;
    return k;
}

static int func_call(struct cp *c, enum tok f, size_t off)
{
    int a, k;
    int want = f == K_ABS ? TY_NUM : TY_STR;

    if (lex(c) < 0)
        return -1;
    if (c->tok != K_LP)
        return cp_fail(c, c->off, "expected '(' after '%s'",
                       f == K_ABS ? "abs" : "length");
    if (lex(c) < 0)
        return -1;
    a = parse_or(c);
    if (a < 0)
        return -1;
    if (c->tok != K_RP)
        return cp_fail(c, c->off, "expected ')'");
    if (c->x->node[a].ty != want && c->x->node[a].ty != TY_NULL)
        return cp_fail(c, c->x->node[a].off, "%s() needs %s, not %s",
                       f == K_ABS ? "abs" : "length", expr_ty_name[want],
                       expr_ty_name[c->x->node[a].ty]);
    k = node_add(c, f == K_ABS ? X_ABS : X_LEN, TY_NUM, a, -1, off);
    return lex(c) < 0 ? -1 : k;
}

/* The next non-blank character after the current token, or 0. */
static char next_char(const struct cp *c)
{
    size_t p = c->pos;

    while (p < c->n && (c->s[p] == ' ' || c->s[p] == '\t' ||
                        c->s[p] == '\r' || c->s[p] == '\n'))
        p++;
    return p < c->n ? c->s[p] : '\0';
}

static int parse_primary(struct cp *c)
{
    size_t off = c->off;
    int k;

    if (++c->depth > EXPR_MAX_DEPTH)
        return cp_fail(c, off, "expression is nested too deeply");
    switch (c->tok) {
    case K_NUM:
        k = number_lit(c);
        break;
    case K_STR:
        k = string_lit(c, off);
        break;
    case K_TRUE:
    case K_FALSE:
        k = node_add(c, X_LIT, TY_BOOL, -1, -1, off);
        c->x->node[k].lit.t = TY_BOOL;
        c->x->node[k].lit.i = c->tok == K_TRUE;
        break;
    case K_NULL:
        k = node_add(c, X_LIT, TY_NULL, -1, -1, off);
        break;
    case K_DATE:
    case K_TIMESTAMP:
    case K_ABS:
    case K_LENGTH:
        /* date '...' is a literal and abs(...) a call; the word alone
         * is a column of that name. */
        if (next_char(c) == (c->tok == K_DATE || c->tok == K_TIMESTAMP ?
                             '\'' : '(')) {
            k = c->tok == K_DATE || c->tok == K_TIMESTAMP ?
                time_lit(c, c->tok, off) : func_call(c, c->tok, off);
            c->depth--;
            return k;
        }
        k = column_ref(c, c->s + off, c->pos - off, off);
        break;
    case K_IDENT:
        k = column_ref(c, c->s + off, c->tlen, off);
        break;
    case K_QIDENT:
        k = column_ref(c, c->text, c->tlen, off);
        break;
    case K_LP:
        if (lex(c) < 0)
            return -1;
        k = parse_or(c);
        if (k < 0)
            return -1;
        if (c->tok != K_RP)
            return cp_fail(c, c->off, "expected ')' to close the '(' at "
                           "offset %zu", off + 1);
        break;
    default:
        return expect_operand_fail(c);
    }
    if (k < 0 || lex(c) < 0)
        return -1;
    c->depth--;
    return k;
}

static int parse_unary(struct cp *c)
{
    size_t off = c->off;
    enum tok t = c->tok;
    int a;

    if (t != K_MINUS && t != K_PLUS)
        return parse_primary(c);
    if (lex(c) < 0)
        return -1;
    if (++c->depth > EXPR_MAX_DEPTH)
        return cp_fail(c, off, "expression is nested too deeply");
    a = parse_unary(c);
    c->depth--;
    if (a < 0)
        return -1;
    if (c->x->node[a].ty != TY_NUM && c->x->node[a].ty != TY_NULL)
        return cp_fail(c, off, "unary '%c' needs a number, not %s",
                       t == K_MINUS ? '-' : '+', expr_ty_name[c->x->node[a].ty]);
    return t == K_MINUS ? node_add(c, X_NEG, TY_NUM, a, -1, off) : a;
}

static int arith_node(struct cp *c, int op, int a, int b, size_t off,
                      const char *sym)
{
    int ta = c->x->node[a].ty, tb = c->x->node[b].ty;

    if ((ta != TY_NUM && ta != TY_NULL) || (tb != TY_NUM && tb != TY_NULL))
        return cp_fail(c, off, "'%s' needs numbers, not %s and %s", sym,
                       expr_ty_name[ta], expr_ty_name[tb]);
    return node_add(c, op, TY_NUM, a, b, off);
}

static int parse_prod(struct cp *c)
{
    int a = parse_unary(c), b;

    while (a >= 0 && (c->tok == K_STAR || c->tok == K_SLASH ||
                      c->tok == K_PCT)) {
        enum tok t = c->tok;
        size_t off = c->off;

        if (lex(c) < 0)
            return -1;
        b = parse_unary(c);
        if (b < 0)
            return -1;
        a = arith_node(c, t == K_STAR ? X_MUL : t == K_SLASH ? X_DIV : X_MOD,
                       a, b, off, t == K_STAR ? "*" : t == K_SLASH ? "/"
                       : "%");
    }
    return a;
}

static int parse_sum(struct cp *c)
{
    int a = parse_prod(c), b;

    while (a >= 0 && (c->tok == K_PLUS || c->tok == K_MINUS)) {
        enum tok t = c->tok;
        size_t off = c->off;

        if (lex(c) < 0)
            return -1;
        b = parse_prod(c);
        if (b < 0)
            return -1;
        a = arith_node(c, t == K_PLUS ? X_ADD : X_SUB, a, b, off,
                       t == K_PLUS ? "+" : "-");
    }
    return a;
}

/* Make node k comparable with type want: a string literal is converted
 * now (an error if it does not parse), a string column per record. */
static int coerce(struct cp *c, int k, int want)
{
    struct xnode *nd = &c->x->node[k];
    struct xv v = nd->lit;
    int op = want == TY_NUM ? X_TONUM : want == TY_TIME ? X_TOTIME : X_TOBOOL;

    if (nd->op != X_LIT)
        return node_add(c, op, want, k, -1, nd->off);
    expr_convert(op, &v);
    if (v.t == TY_NULL)
        return cp_fail(c, nd->off, "'%.*s' is not %s", (int)nd->lit.n,
                       nd->lit.p, want == TY_NUM ? "a number" :
                       want == TY_TIME ? "a valid date or timestamp" :
                       "true or false");
    nd->lit = v;
    nd->ty = (unsigned char)want;
    return k;
}

static int cmp_node(struct cp *c, int op, int a, int b, size_t off)
{
    int ta = c->x->node[a].ty, tb = c->x->node[b].ty;

    if (ta != tb && ta != TY_NULL && tb != TY_NULL) {
        if (ta == TY_STR)
            a = coerce(c, a, tb);
        else if (tb == TY_STR)
            b = coerce(c, b, ta);
        else
            return cp_fail(c, off, "cannot compare %s with %s",
                           expr_ty_name[ta], expr_ty_name[tb]);
        if (a < 0 || b < 0)
            return -1;
    }
    return node_add(c, op, TY_BOOL, a, b, off);
}

static const struct {
    enum tok tok;
    int op;
} cmp_ops[] = {
    { K_EQ, X_EQ }, { K_NE, X_NE }, { K_LT, X_LT }, { K_LE, X_LE },
    { K_GT, X_GT }, { K_GE, X_GE },
};

/* x [NOT] IN (a, b, ...) is (x = a OR x = b ...), negated. */
static int parse_in(struct cp *c, int a, int neg, size_t off)
{
    int *items = NULL, b, e, rc = -1;
    size_t n = 0, cap = 0;

    if (lex(c) < 0)
        return -1;
    if (c->tok != K_LP)
        return cp_fail(c, c->off, "expected '(' after 'in'");
    do {
        if (lex(c) < 0)
            goto out;
        b = parse_sum(c);
        if (b < 0)
            goto out;
        e = cmp_node(c, X_EQ, a, b, off);
        if (e < 0)
            goto out;
        item_push(&items, &n, &cap, e);
    } while (c->tok == K_COMMA);
    if (c->tok != K_RP) {
        cp_fail(c, c->off, "expected ',' or ')' in the 'in' list");
        goto out;
    }
    if (lex(c) < 0)
        goto out;
    rc = chain(c, X_OR, items, n, off);
    if (rc >= 0 && neg)
        rc = node_add(c, X_NOT, TY_BOOL, rc, -1, off);
out:
    free(items);
    return rc;
}

static int parse_between(struct cp *c, int a, int neg, size_t off)
{
    int lo, hi, k;

    if (lex(c) < 0)
        return -1;
    lo = parse_sum(c);
    if (lo < 0)
        return -1;
    if (c->tok != K_AND)
        return cp_fail(c, c->off, "expected 'and' in 'between'");
    if (lex(c) < 0)
        return -1;
    hi = parse_sum(c);
    if (hi < 0)
        return -1;
    lo = cmp_node(c, X_GE, a, lo, off);
    hi = lo < 0 ? -1 : cmp_node(c, X_LE, a, hi, off);
    if (hi < 0)
        return -1;
    k = node_add(c, X_AND, TY_BOOL, lo, hi, off);
    return neg ? node_add(c, X_NOT, TY_BOOL, k, -1, off) : k;
}

static int parse_cmp(struct cp *c)
{
    int a = parse_sum(c), b, neg = 0;
    size_t i, off = c->off;

    if (a < 0)
        return -1;
    for (i = 0; i < ARRAY_SIZE(cmp_ops); i++) {
        if (c->tok != cmp_ops[i].tok)
            continue;
        if (lex(c) < 0)
            return -1;
        b = parse_sum(c);
        if (b < 0)
            return -1;
        return cmp_node(c, cmp_ops[i].op, a, b, off);
    }
    if (c->tok == K_IS) {
        if (lex(c) < 0)
            return -1;
        if (c->tok == K_NOT) {
            neg = 1;
            if (lex(c) < 0)
                return -1;
        }
        if (c->tok != K_NULL)
            return cp_fail(c, c->off, "expected 'null' after 'is%s'",
                           neg ? " not" : "");
        if (lex(c) < 0)
            return -1;
        return node_add(c, neg ? X_NOTNULL : X_ISNULL, TY_BOOL, a, -1, off);
    }
    if (c->tok == K_NOT) {
        /* only `x not in` / `x not between` here */
        if (lex(c) < 0)
            return -1;
        if (c->tok != K_IN && c->tok != K_BETWEEN)
            return cp_fail(c, c->off, "expected 'in' or 'between' after "
                           "'not'");
        neg = 1;
    }
    if (c->tok == K_IN)
        return parse_in(c, a, neg, off);
    if (c->tok == K_BETWEEN)
        return parse_between(c, a, neg, off);
    return a;
}

static int need_bool(struct cp *c, int k, const char *op)
{
    int t = c->x->node[k].ty;

    if (t != TY_BOOL && t != TY_NULL)
        return cp_fail(c, c->x->node[k].off, "'%s' needs true/false "
                       "operands, not %s", op, expr_ty_name[t]);
    return 0;
}

static int parse_not(struct cp *c)
{
    size_t off = c->off;
    int a;

    if (c->tok != K_NOT)
        return parse_cmp(c);
    if (lex(c) < 0)
        return -1;
    if (++c->depth > EXPR_MAX_DEPTH)
        return cp_fail(c, off, "expression is nested too deeply");
    a = parse_not(c);
    c->depth--;
    if (a < 0 || need_bool(c, a, "not") < 0)
        return -1;
    return node_add(c, X_NOT, TY_BOOL, a, -1, off);
}

/* and/or chains: operands collected, then a balanced tree. */
static int parse_chain(struct cp *c, enum tok tok)
{
    int *items = NULL, k, rc = -1;
    size_t n = 0, cap = 0, off = c->off;
    const char *name = tok == K_AND ? "and" : "or";

    k = tok == K_AND ? parse_not(c) : parse_chain(c, K_AND);
    if (k < 0)
        return -1;
    item_push(&items, &n, &cap, k);
    while (c->tok == tok) {
        off = c->off;
        if (lex(c) < 0)
            goto out;
        k = tok == K_AND ? parse_not(c) : parse_chain(c, K_AND);
        if (k < 0 || need_bool(c, items[0], name) < 0 ||
            need_bool(c, k, name) < 0)
            goto out;
        item_push(&items, &n, &cap, k);
    }
    rc = chain(c, tok == K_AND ? X_AND : X_OR, items, n, off);
out:
    free(items);
    return rc;
}

static int parse_or(struct cp *c)
{
    int a;

    if (++c->depth > EXPR_MAX_DEPTH)
        return cp_fail(c, c->off, "expression is nested too deeply");
    a = parse_chain(c, K_OR);
    c->depth--;
    return a;
}

struct expr *expr_compile(const char *text, size_t n,
                          const char *const *names, const int *types,
                          size_t ncols, struct expr_error *e)
{
    struct cp c;
    int root;

    memset(&c, 0, sizeof(c));
    c.s = text;
    c.n = n;
    c.names = names;
    c.types = types;
    c.ncols = ncols;
    c.e = e;
    c.x = xcalloc(1, sizeof(*c.x));
    e->off = 0;
    e->msg[0] = '\0';
    if (lex(&c) < 0)
        goto fail;
    if (c.tok == K_END) {
        cp_fail(&c, 0, "empty expression");
        goto fail;
    }
    root = parse_or(&c);
    if (root < 0 || c.failed)
        goto fail;
    if (c.tok != K_END) {
        cp_fail(&c, c.off, "unexpected '%.*s' after the expression",
                (int)MAX(c.pos - c.off, 1), c.s + c.off);
        goto fail;
    }
    if (c.x->node[root].ty != TY_BOOL && c.x->node[root].ty != TY_NULL) {
        cp_fail(&c, 0, "the expression is %s; a check needs a condition "
                "(true or false)", expr_ty_name[c.x->node[root].ty]);
        goto fail;
    }
    c.x->root = root;
    free(c.text);
    return c.x;
fail:
    free(c.text);
    expr_free(c.x);
    return NULL;
}
