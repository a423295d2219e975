/* cmd_report.c -- `assay report REF`: a compliance report on a snapshot,
 * run, model or deployment, built from the lineage database.
 * lineage_evidence() (lineage/lineage.h) gathers everything in one read
 * transaction; report_compliance() (reports/compliance*.c) renders it as
 * HTML, Markdown or JSON; cmd_write_file() writes --output atomically. */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "json.h"
#include "util.h"
#include "lineage/lineage.h"
#include "reports/report.h"

static const struct opt opts[] = {
    { "format", 'f', OPT_ARG, "FMT", "html, markdown or json (default: from "
      "the --output extension, else html)" },
    { "output", 'o', OPT_ARG, "FILE", "write to FILE (atomically: a "
      "temporary file renamed into place) instead of stdout" },
};

struct render {
    const struct json_t *evidence;
    const char *fmt;
};

static int render(FILE *fp, void *ctx, struct assay_err *err)
{
    const struct render *r = ctx;
    struct compliance_opts o = COMPLIANCE_OPTS_INIT;

    o.tool_version = ASSAY_VERSION;
    return report_compliance(r->evidence, r->fmt, &o, fp, err);
}

static int run(const struct command *self, int argc, char **argv)
{
    struct optset os;
    struct assay_err err = ASSAY_ERR_INIT;
    struct json_t *ev = NULL;
    struct render r;
    const char *fmt, *output;
    int rc;

    if (cmd_begin(self, &os, argc, argv, &rc))
        return rc;
    if (os.npos != 1) {
        rc = usage_error(self, os.npos == 0 ? "no REF given" :
                         "one REF at a time");
        goto out;
    }
    output = opt_get(&os, "output");
    fmt = opt_get(&os, "format");
    if (fmt == NULL)
        fmt = compliance_format_for(output);
    if (fmt == NULL)
        fmt = "html";
    if (!compliance_known(fmt)) {
        rc = usage_error(self, "unknown format '%s' (html, markdown, json)",
                         fmt);
        goto out;
    }
    ev = lineage_evidence(assay_db_path(), os.pos[0], &err);
    if (ev == NULL) {
        rc = report_error(&err);
        goto out;
    }
    r.evidence = ev;
    r.fmt = fmt;
    if (cmd_write_file(output != NULL ? output : "-", render, &r,
                       &err) < 0) {
        rc = report_error(&err);
        goto out;
    }
    if (output != NULL && strcmp(output, "-") != 0)
        fprintf(stderr, "assay: wrote the %s compliance report of '%s' "
                "(verdict %s) to '%s'\n", fmt, os.pos[0],
                compliance_verdict(ev), output);
    rc = EXIT_PASS;
out:
    j_free(ev);
    opt_release(&os);
    return rc;
}

const struct command cmd_report_def = {
    "report", run,
    "assay report REF [--format html|markdown|json] [--output FILE]",
    "compliance report on a snapshot, run, model or deployment",
    "Builds an audit report from the lineage database (--db, $ASSAY_DB):\n"
    "  1 Identification   hashes, size, rows, schema of every snapshot\n"
    "  2 Provenance       the upstream graph, drawn, and its derivations\n"
    "  3 Data quality     each check: outcome, failures, limit, samples\n"
    "  4 Profile          each column's statistics and histogram\n"
    "  5 Bias             metrics, 95% intervals and p-values vs limits\n"
    "  6 Gaps             failing checks and metrics, unchecked or\n"
    "                     overwritten snapshots; blank mitigation fields\n"
    "  7 Sign-off         the verdict; blank name/role/date/signature\n"
    "  8 Evidence index   every sha256, row digest, schema hash, ledger head\n"
    "  9 Mapping          each section to the Datasheets for Datasets\n"
    "                     questions and EU AI Act Art. 10(2)-(5) items\n"
    "\n"
    "REF is what `assay lineage show` takes: a sha256 (or a unique prefix\n"
    "of 8+ hex digits), a path (what was recorded there last), a run id or\n"
    "name, a model path, or env:NAME.  A snapshot's report covers that\n"
    "snapshot; a run's covers its inputs and what they were derived from.\n"
    "The data comes from what `assay check` recorded: check a file before\n"
    "reporting on it, or the report lists it as never checked.\n"
    "\n"
    "Formats: html is one self-contained file (inline CSS and SVG, no\n"
    "script, nothing fetched) that prints cleanly to PDF; markdown is\n"
    "GitHub-flavoured; json is the evidence plus the verdict, gaps and\n"
    "mapping, for GRC tools.  Without --format the --output extension\n"
    "decides (.html .htm .md .markdown .json), else html.  The generated\n"
    "time honours SOURCE_DATE_EPOCH, so the same database gives the same\n"
    "bytes.\n"
    "\n"
    "Exit status: 0 the report was written (whatever its verdict: gate\n"
    "with `assay check`); 2 usage; 3 unknown or ambiguous REF, or no\n"
    "database; 4 I/O error.\n"
    "\n"
    "Examples:\n"
    "  assay report data/train.csv -o train-audit.html\n"
    "  assay report churn-xgb-7 --format markdown > run-audit.md\n"
    "  assay report env:prod --format json | jq .verdict\n"
    "  chromium --headless --no-pdf-header-footer \\\n"
    "      --print-to-pdf=audit.pdf file://$PWD/train-audit.html\n",
    opts, ARRAY_SIZE(opts),
};
