// trawl_bm25(table, cap, min_rowid, max_rowid [, weight per column...])
//
// FTS5's bm25() with one difference: how it learns each phrase's document frequency. bm25()
// counts every row that holds the phrase, once per query, before it ranks the first row; at a
// million records a common word costs tens of milliseconds there whatever the rank window.
// trawl_bm25 counts at most `cap` rows per phrase (oldest first, as FTS5 walks them) and,
// when there are more, extrapolates over the rowid range [min_rowid, max_rowid] the index
// spans: df = cap * span / (rowid reached - min_rowid + 1). Under the cap the score equals
// bm25()'s; over it, the inverse document frequency of a phrase that common moves little
// (log((N - df) / df)). Like bm25(), lower is better.
#include <math.h>
#include <string.h>
#include <sqlite3.h>
#include "CTrawlFTS.h"

typedef struct {
    int phrases;
    double average_length;
    double *idf;
    double *frequency;
} trawl_bm25_query;

typedef struct {
    sqlite3_int64 count;
    sqlite3_int64 cap;
    sqlite3_int64 last_rowid;
} trawl_phrase_count;

static int count_rows(const Fts5ExtensionApi *api, Fts5Context *fts, void *user) {
    trawl_phrase_count *c = user;
    c->count += 1;
    c->last_rowid = api->xRowid(fts);
    return c->count >= c->cap ? SQLITE_DONE : SQLITE_OK;
}

static int query_data(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_int64 cap, sqlite3_int64 min_rowid,
                      sqlite3_int64 max_rowid, trawl_bm25_query **out) {
    trawl_bm25_query *q = api->xGetAuxdata(fts, 0);
    if (q) { *out = q; return SQLITE_OK; }
    int phrases = api->xPhraseCount(fts);
    q = sqlite3_malloc64(sizeof(*q) + sizeof(double) * 2 * (sqlite3_uint64)phrases);
    if (!q) return SQLITE_NOMEM;
    memset(q, 0, sizeof(*q));
    q->phrases = phrases;
    q->idf = (double *)&q[1];
    q->frequency = q->idf + phrases;
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc == SQLITE_OK) q->average_length = rows > 0 ? (double)tokens / (double)rows : 1.0;
    for (int i = 0; rc == SQLITE_OK && i < phrases; i++) {
        trawl_phrase_count c = { 0, cap > 0 ? cap : 1, 0 };
        rc = api->xQueryPhrase(fts, i, &c, count_rows);
        if (rc != SQLITE_OK) break;
        double df = (double)c.count;
        if (c.count >= c.cap && c.last_rowid >= min_rowid && max_rowid > c.last_rowid) {
            df = df * (double)(max_rowid - min_rowid + 1) / (double)(c.last_rowid - min_rowid + 1);
            if (df > (double)rows) df = (double)rows;
        }
        double idf = log(((double)rows - df + 0.5) / (df + 0.5));
        q->idf[i] = idf <= 0.0 ? 1e-6 : idf;
    }
    if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, q, sqlite3_free);
    else sqlite3_free(q);
    if (rc == SQLITE_OK) *out = q;
    return rc;
}

static void trawl_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *context, int argc, sqlite3_value **argv) {
    if (argc < 3) {
        sqlite3_result_error(context, "trawl_bm25: cap, min_rowid and max_rowid are required", -1);
        return;
    }
    const double k1 = 1.2, b = 0.75;
    trawl_bm25_query *q = 0;
    int rc = query_data(api, fts, sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1]), sqlite3_value_int64(argv[2]), &q);
    int instances = 0;
    if (rc == SQLITE_OK) {
        memset(q->frequency, 0, sizeof(double) * (size_t)q->phrases);
        rc = api->xInstCount(fts, &instances);
    }
    for (int i = 0; rc == SQLITE_OK && i < instances; i++) {
        int phrase, column, offset;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK) q->frequency[phrase] += argc - 3 > column ? sqlite3_value_double(argv[3 + column]) : 1.0;
    }
    int length = 0;
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &length);
    if (rc != SQLITE_OK) { sqlite3_result_error_code(context, rc); return; }
    double score = 0.0, norm = k1 * (1.0 - b + b * (double)length / q->average_length);
    for (int i = 0; i < q->phrases; i++) {
        double f = q->frequency[i];
        score += q->idf[i] * (f * (k1 + 1.0)) / (f + norm);
    }
    sqlite3_result_double(context, -1.0 * score);
}

int trawl_fts_register(struct sqlite3 *db) {
    fts5_api *fts = 0;
    sqlite3_stmt *statement = 0;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, 0);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_pointer(statement, 1, (void *)&fts, "fts5_api_ptr", 0);
    sqlite3_step(statement);
    rc = sqlite3_finalize(statement);
    if (rc != SQLITE_OK) return rc;
    if (!fts || fts->iVersion < 2) return SQLITE_ERROR;
    return fts->xCreateFunction(fts, "trawl_bm25", 0, trawl_bm25, 0);
}
