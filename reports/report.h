/* report.h -- output writers for the `assay check` document.
 *
 * Every writer reads the same model: the `assay check` JSON document of
 * DESIGN.md ({"tool", "dataset", "rules", "verdict", "results",
 * "profile", "bias"}), any part of which may be absent (a bias-only run
 * is the same shape with "results": []).  Formats: text, json, junit,
 * sarif, github, markdown, codequality, html (reports/writers.c holds
 * the table).  Writers never print to stderr and never exit: they write
 * to the FILE* they are given and return -1 with err (ASSAY_EIO) when
 * that fails.
 *
 * Layer: reports/ uses src/ core headers only (json, util, status,
 * crypto), never rules/ or lineage/. */
#ifndef ASSAY_REPORT_H
#define ASSAY_REPORT_H

#include <stdio.h>
#include "status.h"

struct json_t;

struct report_opts {
    int color;                  /* text: ANSI colours (caller decides:
                                   use_color(fileno(fp))) */
    const char *data_path;      /* data file for locations (SARIF, Code
                                   Quality, GitHub, JUnit); NULL: the
                                   document's dataset.path */
    const char *timestamp;      /* RFC 3339 UTC "2026-11-22T07:15:35Z";
                                   NULL: the document's "time", else
                                   now_rfc3339() (which honours
                                   SOURCE_DATE_EPOCH) */
    const char *step_summary;   /* github: append a Markdown summary to
                                   this file (the caller passes
                                   $GITHUB_STEP_SUMMARY); NULL: none */
    const char *hostname;       /* junit testsuite@hostname; NULL:
                                   "localhost" */
};

#define REPORT_OPTS_INIT { 0, NULL, NULL, NULL, NULL }

/* 1 if fmt names a writer ("text", "json", ...), else 0. */
int report_known(const char *fmt);
/* "text, json, junit, ..." for usage messages.  Borrowed, static. */
const char *report_format_list(void);
/* Usual file extension of a format (".xml" for junit, ".sarif" ...);
 * NULL for an unknown format.  Borrowed, static. */
const char *report_extension(const char *fmt);

/* Write doc (borrowed) in format fmt to fp.  o may be NULL (defaults).
 * Returns 0, or -1 with err: ASSAY_EUSAGE for an unknown format,
 * ASSAY_EIO when fp (or the step summary file) cannot be written.
 * fp is flushed, not closed. */
int report_write(const char *fmt, const struct json_t *doc, FILE *fp,
                 const struct report_opts *o, struct assay_err *err);

/* ---- compliance reports (reports/compliance*.c) ----
 * A report on a snapshot, run, model or deployment rendered from the
 * evidence document of lineage_evidence() (its shape is the contract in
 * lineage/lineage.h): identification, provenance (the upstream graph,
 * drawn), data quality, profile, bias, gaps and mitigations, verdict and
 * sign-off, evidence index, and a mapping of each section to the
 * Datasheets for Datasets questions and EU AI Act Art. 10(2)-(5) items.
 * A pure function of the document: the same evidence gives the same
 * bytes (the time is the document's "generated"). */
struct compliance_opts {
    const char *tool_version;   /* the generating tool's version; NULL:
                                   "unknown" */
};

#define COMPLIANCE_OPTS_INIT { NULL }

/* 1 if fmt is a compliance report format: "html", "markdown", "json". */
int compliance_known(const char *fmt);
/* The format of a file name by its extension (".html"/".htm", ".md",
 * ".json"); NULL when none applies.  Borrowed, static. */
const char *compliance_format_for(const char *path);

/* The overall verdict of an evidence document: "fail" when a subject
 * snapshot (the target, or an input of the target run) failed its checks
 * or bias limits, "warn" when one warned or was never checked, or any
 * snapshot was overwritten in place (or nothing is in scope), else
 * "pass".  Upstream snapshots (what the subjects were derived from) are
 * context: their findings do not count.  Borrowed, static. */
const char *compliance_verdict(const struct json_t *evidence);

/* Write the report on evidence (borrowed) in format fmt to fp; o may be
 * NULL.  Returns 0, or -1 with err: ASSAY_EUSAGE for an unknown format,
 * ASSAY_EINPUT when evidence is not an evidence document (no "target"
 * object), ASSAY_EIO when fp cannot be written.  fp is flushed, not
 * closed. */
int report_compliance(const struct json_t *evidence, const char *fmt,
                      const struct compliance_opts *o, FILE *fp,
                      struct assay_err *err);

#endif
