import Foundation

/// Where one sink (a search index fed from the change feed) stands after publishing: written
/// into the run summary and `trawl.prom`, so that a sink that fell behind is seen.
public struct SinkStatus: Codable, Sendable, Equatable {
    /// A document the sink refused (a mapping error): reported once, not retried.
    public struct Reject: Codable, Sendable, Equatable {
        public var id: String
        public var reason: String
        public init(id: String, reason: String) { self.id = id; self.reason = reason }
    }

    public var name: String
    public var type: String
    /// Change lines applied by this publish, and the documents upserted and deleted for them.
    public var applied = 0
    public var upserted = 0
    public var deleted = 0
    /// Change lines of published feeds not yet applied (0: the sink is up to date).
    public var behind = 0
    /// The last applied change (`<run-id>#<seq>`), nil before the first.
    public var cursor: String?
    public var rejects: [Reject] = []
    /// Why publishing to this sink stopped early (the sink is down, refuses the credentials…);
    /// its cursor stays where the last applied batch left it.
    public var error: String?
    public var seconds: Double = 0

    public init(name: String, type: String) { self.name = name; self.type = type }
}

extension RunSummary {
    /// Adds the sinks' standing to a written run summary and to `trawl.prom` (the run itself
    /// writes both before publishing; `trawl publish` without a run passes no run id).
    public static func recordSinks(_ sinks: [SinkStatus], output: URL, runID: String?) throws {
        let dir = OutputDirectory(root: output)
        // The run removed its scratch folder when it finished; atomic writes go through it, and
        // it is removed again unless a run beside this publish is using it.
        let hadScratch = FileManager.default.fileExists(atPath: dir.scratch.path)
        do { try FileManager.default.createDirectory(at: dir.scratch, withIntermediateDirectories: true) } catch {
            throw OutputError(path: dir.scratch.path, reason: "cannot create the scratch folder (\(error.localizedDescription))")
        }
        defer { if !hadScratch { dir.removeScratch() } }
        if let runID {
            let file = output.appendingPathComponent("runs/\(runID).json")
            if let data = try? Data(contentsOf: file), var summary = try? JSONDecoder().decode(RunSummary.self, from: data) {
                summary.sinks = sinks
                try dir.writeAtomically(try TrawlJSON.encoder(pretty: true).encode(summary), to: file)
            }
        }
        try MetricsFile.writeSinks(sinks, to: dir)
    }
}
