import Foundation
import TrawlLedger

/// Small pieces of a harvest's own state (a source's coverage, rewrites in progress), kept in
/// the ledger as JSON in a listing-kind URL state under a key no URL has: both ledgers hold
/// them without a table of their own.
enum LedgerNote {
    static func load<T: Decodable>(_ type: T.Type, key: String, ledger: any LedgerStore) async throws -> T? {
        guard let state = try await ledger.urlState(key, kind: .listing), let payload = state.payload else { return nil }
        return try? JSONDecoder().decode(T.self, from: payload)
    }

    static func save<T: Encodable>(_ value: T, key: String, source: String, ledger: any LedgerStore, runID: String) async throws {
        try await ledger.saveURLState(URLState(url: key, kind: .listing, source: source,
                                               payload: try JSONEncoder().encode(value), lastRun: runID))
    }
}
