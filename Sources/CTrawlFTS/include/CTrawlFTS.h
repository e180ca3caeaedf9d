// Ranking for the embedded search index (SQLite FTS5), in C because FTS5's auxiliary-function
// API is C. Opaque: the connection is passed as the `sqlite3 *` GRDB holds.
#ifndef CTRAWLFTS_H
#define CTRAWLFTS_H

#ifdef __cplusplus
extern "C" {
#endif

struct sqlite3;

/// A lengths table (see CTrawlFTS.c) packs the rows whose rowids share all bits but these.
#define TRAWL_FTS_LENGTH_BLOCK_BITS 8

/// Registers `trawl_bm25` and `trawl_length_block` on the connection (see CTrawlFTS.c).
/// Returns an SQLite result code.
int trawl_fts_register(struct sqlite3 *db);

#ifdef __cplusplus
}
#endif

#endif
