import Foundation

/// An output problem that stops the run (the directory cannot be created or written).
public struct OutputError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
}

/// The single owner of the output directory. Every file appears whole or not at all: it is
/// written to `.trawl/tmp`, flushed to disk, then renamed into place.
public struct OutputDirectory: Sendable {
    public let root: URL
    public var records: URL { root.appendingPathComponent("records") }
    public var runs: URL { root.appendingPathComponent("runs") }
    /// WARC files of HTTP harvests (`http.warc`).
    public var warc: URL { root.appendingPathComponent("warc") }
    var scratch: URL { root.appendingPathComponent(".trawl/tmp") }
    /// The ledger: what earlier runs saw (content hashes, signatures, duplicate relations).
    public var ledger: URL { root.appendingPathComponent(".trawl/ledger.sqlite") }

    public init(root: URL) { self.root = root }

    /// A stable id of this output directory (`.trawl/output-id`, made on first use): what a
    /// shared sink keys this output's cursor by, whatever the machine or path.
    public func identity() throws -> String {
        let file = root.appendingPathComponent(".trawl/output-id")
        if let id = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !id.isEmpty { return id }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let id = UUID().uuidString.lowercased()
        try Data((id + "\n").utf8).write(to: file, options: .atomic)
        return id
    }

    /// Creates the layout and removes temporary files a killed run may have left.
    public func prepare() throws {
        let fm = FileManager.default
        do {
            try? fm.removeItem(at: scratch)
            for dir in [records, runs, scratch] { try fm.createDirectory(at: dir, withIntermediateDirectories: true) }
            let probe = scratch.appendingPathComponent("probe-\(getpid())")
            try Data().write(to: probe)
            try fm.removeItem(at: probe)
        } catch {
            throw OutputError(path: root.path, reason: "output directory is not writable (\(error.localizedDescription))")
        }
    }

    /// A fresh folder under the scratch area for one run's spill files.
    func makeScratchFolder(_ name: String) throws -> URL {
        let dir = scratch.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func removeScratch() {
        try? FileManager.default.removeItem(at: scratch)
    }

    public func recordFile(id: String) -> URL { records.appendingPathComponent("\(id).json") }

    /// Writes `data` to `destination` atomically: temp file, fsync, rename.
    public func writeAtomically(_ data: Data, to destination: URL) throws {
        let temp = scratch.appendingPathComponent("\(destination.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
            throw OutputError(path: temp.path, reason: "cannot create a temporary file")
        }
        do {
            let handle = try FileHandle(forWritingTo: temp)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw OutputError(path: destination.path, reason: "write failed (\(error.localizedDescription))")
        }
        guard rename(temp.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw OutputError(path: destination.path, reason: "rename failed (\(reason))")
        }
    }
}

/// JSON as Trawl writes it: sorted keys (stable, diffable output), unescaped slashes.
public enum TrawlJSON {
    public static func encoder(pretty: Bool) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                    : [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
