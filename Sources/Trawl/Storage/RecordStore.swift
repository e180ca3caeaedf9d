import Foundation

/// What a change-feed line says happened to a record.
public enum ChangeOperation: String, Codable, Sendable { case created, updated, deleted }

/// Where the writer puts records and announces their changes. Two implementations: the
/// output directory (`FileRecordStore`: one JSON file per record, `changes/<run>.jsonl`) and
/// PostgreSQL (`PostgresRecordStore`: a records table and a gap-free change table committed
/// with the writer's cursor, materialised into the same layout by `trawl export`).
///
/// A change is announced no later than the record changes, so a crash in between can repeat
/// an announcement (files) or neither happens (database), but a change is never lost.
public protocol RecordStore: Sendable {
    /// The record written for `id`, as its bytes.
    func record(id: String) async throws -> Data?
    /// Whether a record is written for `id` (cheaper than reading it).
    func exists(id: String) async throws -> Bool
    /// Writes a created or updated record, announcing the change.
    func write(_ data: Data, id: String, operation: ChangeOperation, url: String, source: String) async throws
    /// Removes a record, announcing its deletion.
    func delete(id: String, url: String, source: String) async throws
}

/// Records as files in the output directory, changes in the run's feed file.
struct FileRecordStore: RecordStore {
    let output: OutputDirectory
    let feed: ChangeFeed

    func record(id: String) async throws -> Data? {
        try? Data(contentsOf: output.recordFile(id: id))
    }

    func exists(id: String) async throws -> Bool {
        FileManager.default.fileExists(atPath: output.recordFile(id: id).path)
    }

    func write(_ data: Data, id: String, operation: ChangeOperation, url: String, source: String) async throws {
        try await feed.append(operation, id: id, url: url, source: source)
        try output.writeAtomically(data, to: output.recordFile(id: id))
    }

    func delete(id: String, url: String, source: String) async throws {
        let file = output.recordFile(id: id)
        guard FileManager.default.fileExists(atPath: file.path) else { return }
        try await feed.append(.deleted, id: id, url: url, source: source)
        KillPoint.reached("between-delete-line-and-unlink")
        try FileManager.default.removeItem(at: file)
    }
}
