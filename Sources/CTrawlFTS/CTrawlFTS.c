// trawl_bm25(table, cap, min_rowid, max_rowid, lengths_table [, weight per column...])
//
// FTS5's bm25() with two differences. First, how it learns each phrase's document frequency. bm25()
// counts every row that holds the phrase, once per query, before it ranks the first row; at a
// million records a common word costs tens of milliseconds there whatever the rank window.
// trawl_bm25 counts at most `cap` rows per phrase (oldest first, as FTS5 walks them) and,
// when there are more, extrapolates over the rowid range [min_rowid, max_rowid] the index
// spans: df = cap * span / (rowid reached - min_rowid + 1). Under the cap the score equals
// bm25()'s; over it, the inverse document frequency of a phrase that common moves little
// (log((N - df) / df)). Like bm25(), lower is better.
//
// Second, where it reads each row's length in tokens. FTS5 keeps it in a row of its own per
// document (%_docsize), one b-tree seek each: at a million records, ranking 20,000 matches
// spent three quarters of its time there. `lengths_table` (NULL: none) holds the same numbers
// packed by blocks of 2^TRAWL_FTS_LENGTH_BLOCK_BITS consecutive rowids, built by the aggregate
// trawl_length_block(id, sz) from %_docsize, so one seek serves a block. A block that is
// missing, or a row it does not hold, is read from FTS5 as bm25() reads it: a stale block is
// deleted (not trusted) by whoever changes its rows, and the score never differs.
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sqlite3.h>
#include "CTrawlFTS.h"

#define BLOCK_ROWS (1 << TRAWL_FTS_LENGTH_BLOCK_BITS)
#define BLOCK_BYTES (4 * BLOCK_ROWS)
/// A row a block does not hold (a deleted or never-written rowid).
#define NO_LENGTH UINT32_MAX

typedef struct {
    int phrases;
    double average_length;
    double *idf;
    double *frequency;
    /// SELECT lengths FROM lengths_table WHERE block = ?; NULL without a lengths table.
    sqlite3_stmt *lengths;
    sqlite3_int64 block;   // the block in `length`, when `has_block`
    int has_block;
    uint32_t length[BLOCK_ROWS];
} trawl_bm25_query;

static void free_query(void *p) {
    trawl_bm25_query *q = p;
    sqlite3_finalize(q->lengths);
    sqlite3_free(q);
}

static uint32_t read_le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/// The row's length in tokens, all columns: from its block when the block holds it.
static int row_length(trawl_bm25_query *q, const Fts5ExtensionApi *api, Fts5Context *fts, int *length) {
    if (q->lengths) {
        sqlite3_int64 rowid = api->xRowid(fts), block = rowid >> TRAWL_FTS_LENGTH_BLOCK_BITS;
        if (!q->has_block || q->block != block) {
            q->has_block = 1;
            q->block = block;
            memset(q->length, 0xff, sizeof(q->length));
            sqlite3_bind_int64(q->lengths, 1, block);
            int rc = sqlite3_step(q->lengths);
            if (rc == SQLITE_ROW && sqlite3_column_bytes(q->lengths, 0) == BLOCK_BYTES) {
                const unsigned char *bytes = sqlite3_column_blob(q->lengths, 0);
                for (int i = 0; i < BLOCK_ROWS; i++) q->length[i] = read_le32(bytes + 4 * i);
            } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                sqlite3_reset(q->lengths);
                return rc;
            }
            rc = sqlite3_reset(q->lengths);
            if (rc != SQLITE_OK) return rc;
        }
        uint32_t n = q->length[rowid & (BLOCK_ROWS - 1)];
        if (n != NO_LENGTH && n <= INT32_MAX) { *length = (int)n; return SQLITE_OK; }
    }
    return api->xColumnSize(fts, -1, length);
}

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

static int query_data(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *context, sqlite3_value **argv,
                      trawl_bm25_query **out) {
    trawl_bm25_query *q = api->xGetAuxdata(fts, 0);
    if (q) { *out = q; return SQLITE_OK; }
    int phrases = api->xPhraseCount(fts);
    q = sqlite3_malloc64(sizeof(*q) + sizeof(double) * 2 * (sqlite3_uint64)phrases);
    if (!q) return SQLITE_NOMEM;
    memset(q, 0, sizeof(*q));
    q->phrases = phrases;
    q->idf = (double *)&q[1];
    q->frequency = q->idf + phrases;
    sqlite3_int64 cap = sqlite3_value_int64(argv[0]), min_rowid = sqlite3_value_int64(argv[1]), max_rowid = sqlite3_value_int64(argv[2]);
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = SQLITE_OK;
    const unsigned char *table = sqlite3_value_text(argv[3]);
    if (table) {
        char *sql = sqlite3_mprintf("SELECT lengths FROM \"%w\" WHERE block = ?1", (const char *)table);
        rc = sql ? sqlite3_prepare_v3(sqlite3_context_db_handle(context), sql, -1, SQLITE_PREPARE_PERSISTENT, &q->lengths, 0) : SQLITE_NOMEM;
        sqlite3_free(sql);
    }
    if (rc == SQLITE_OK) rc = api->xRowCount(fts, &rows);
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
    if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, q, free_query);  // frees q itself when it fails
    else free_query(q);
    if (rc == SQLITE_OK) *out = q;
    return rc;
}

static void trawl_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *context, int argc, sqlite3_value **argv) {
    if (argc < 4) {
        sqlite3_result_error(context, "trawl_bm25: cap, min_rowid, max_rowid and lengths_table are required", -1);
        return;
    }
    const double k1 = 1.2, b = 0.75;
    trawl_bm25_query *q = 0;
    int rc = query_data(api, fts, context, argv, &q);
    int instances = 0;
    if (rc == SQLITE_OK) {
        memset(q->frequency, 0, sizeof(double) * (size_t)q->phrases);
        rc = api->xInstCount(fts, &instances);
    }
    for (int i = 0; rc == SQLITE_OK && i < instances; i++) {
        int phrase, column, offset;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK) q->frequency[phrase] += argc - 4 > column ? sqlite3_value_double(argv[4 + column]) : 1.0;
    }
    int length = 0;
    if (rc == SQLITE_OK) rc = row_length(q, api, fts, &length);
    if (rc != SQLITE_OK) { sqlite3_result_error_code(context, rc); return; }
    double score = 0.0, norm = k1 * (1.0 - b + b * (double)length / q->average_length);
    for (int i = 0; i < q->phrases; i++) {
        double f = q->frequency[i];
        score += q->idf[i] * (f * (k1 + 1.0)) / (f + norm);
    }
    sqlite3_result_double(context, -1.0 * score);
}

// trawl_length_block(id, sz): aggregate over the %_docsize rows of one block, giving the block's
// lengths as trawl_bm25 reads them: BLOCK_ROWS little-endian uint32, NO_LENGTH where no row.

typedef struct {
    int started;
    sqlite3_int64 block;
    uint32_t length[BLOCK_ROWS];
} trawl_length_block_state;

/// Sum of the column sizes in a %_docsize blob: SQLite varints, one per column (fts5_storage.c).
static int docsize_total(const unsigned char *p, int n, uint64_t *total) {
    uint64_t sum = 0;
    int i = 0;
    while (i < n) {
        uint64_t v = 0;
        int k = 0;
        for (;; k++) {
            if (i + k >= n) return 0;
            unsigned char byte = p[i + k];
            if (k == 8) { v = (v << 8) | byte; k++; break; }
            v = (v << 7) | (byte & 0x7f);
            if (!(byte & 0x80)) { k++; break; }
        }
        i += k;
        sum += v;
    }
    *total = sum;
    return 1;
}

static void length_block_step(sqlite3_context *context, int argc, sqlite3_value **argv) {
    (void)argc;
    trawl_length_block_state *s = sqlite3_aggregate_context(context, sizeof(*s));
    if (!s) { sqlite3_result_error_nomem(context); return; }
    sqlite3_int64 id = sqlite3_value_int64(argv[0]), block = id >> TRAWL_FTS_LENGTH_BLOCK_BITS;
    if (!s->started) {
        s->started = 1;
        s->block = block;
        memset(s->length, 0xff, sizeof(s->length));
    } else if (s->block != block) {
        sqlite3_result_error(context, "trawl_length_block: rows of more than one block", -1);
        return;
    }
    uint64_t total = 0;
    if (sqlite3_value_type(argv[1]) != SQLITE_BLOB
        || !docsize_total(sqlite3_value_blob(argv[1]), sqlite3_value_bytes(argv[1]), &total)) {
        sqlite3_result_error(context, "trawl_length_block: sz is not a %_docsize blob", -1);
        return;
    }
    // A length no int holds stays NO_LENGTH: trawl_bm25 then asks FTS5.
    s->length[id & (BLOCK_ROWS - 1)] = total < NO_LENGTH && total <= INT32_MAX ? (uint32_t)total : NO_LENGTH;
}

static void length_block_final(sqlite3_context *context) {
    trawl_length_block_state *s = sqlite3_aggregate_context(context, 0);
    if (!s || !s->started) { sqlite3_result_null(context); return; }
    unsigned char *bytes = sqlite3_malloc(BLOCK_BYTES);
    if (!bytes) { sqlite3_result_error_nomem(context); return; }
    for (int i = 0; i < BLOCK_ROWS; i++) {
        uint32_t v = s->length[i];
        bytes[4 * i] = v & 0xff; bytes[4 * i + 1] = (v >> 8) & 0xff;
        bytes[4 * i + 2] = (v >> 16) & 0xff; bytes[4 * i + 3] = (v >> 24) & 0xff;
    }
    sqlite3_result_blob(context, bytes, BLOCK_BYTES, sqlite3_free);
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
    rc = fts->xCreateFunction(fts, "trawl_bm25", 0, trawl_bm25, 0);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_create_function_v2(db, "trawl_length_block", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, 0,
                                      0, length_block_step, length_block_final, 0);
}
