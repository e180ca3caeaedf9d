import Foundation

/// `changes/<run-id>.jsonl`: one line per record created, updated or deleted, in the order it
/// happened, so that an index can replay the runs it missed. Lines are appended (and flushed)
/// to `.trawl/feed/` before the record file changes; a finished run moves its feed into
/// `changes/`. A killed run's feed is moved there by the next run, cut after its last whole
/// line: a change is announced at least once, never lost.
public actor ChangeFeed {
    typealias Operation = ChangeOperation

    typealias Line = ChangeLine

    private let output: OutputDirectory
    private let runID: String
    private let file: URL
    private let handle: FileHandle
    private var seq = 0
    private let encoder = TrawlJSON.encoder(pretty: false)

    nonisolated static func pending(_ output: OutputDirectory) -> URL { output.root.appendingPathComponent(".trawl/feed") }
    nonisolated public static func changes(_ output: OutputDirectory) -> URL { output.root.appendingPathComponent("changes") }

    init(output: OutputDirectory, runID: String) throws {
        self.output = output
        self.runID = runID
        let dir = Self.pending(output)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: Self.changes(output), withIntermediateDirectories: true)
            try Self.recover(output)
            file = dir.appendingPathComponent("\(runID).jsonl")
            FileManager.default.createFile(atPath: file.path, contents: nil)
            handle = try FileHandle(forWritingTo: file)
        } catch let e as OutputError { throw e } catch {
            throw OutputError(path: dir.path, reason: "cannot create the change feed (\(error.localizedDescription))")
        }
    }

    deinit { try? handle.close() }

    func append(_ op: Operation, id: String, url: String, source: String) throws {
        seq += 1
        var data = try encoder.encode(Line(seq: seq, op: op, id: id, url: url, source: source, run: runID))
        data.append(0x0A)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw OutputError(path: file.path, reason: "cannot append to the change feed (\(error.localizedDescription))")
        }
    }

    /// Moves the finished feed (possibly empty) into `changes/`.
    func publish() throws {
        try? handle.close()
        guard rename(file.path, Self.changes(output).appendingPathComponent(file.lastPathComponent).path) == 0 else {
            throw OutputError(path: file.path, reason: "cannot publish the change feed (\(String(cString: strerror(errno))))")
        }
    }

    /// Publishes the feeds of killed runs, each cut after its last complete line.
    nonisolated static func recover(_ output: OutputDirectory) throws {
        let dir = pending(output)
        let files = (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
        for f in files where f.pathExtension == "jsonl" {
            guard var data = try? Data(contentsOf: f) else { continue }
            if let lastNewline = data.lastIndex(of: 0x0A) { data = data.prefix(through: lastNewline) } else { data = Data() }
            try output.writeAtomically(data, to: changes(output).appendingPathComponent(f.lastPathComponent))
            try? FileManager.default.removeItem(at: f)
        }
    }
}

/// One line of `changes/<run-id>.jsonl`.
public struct ChangeLine: Codable, Sendable, Equatable {
    public var seq: Int
    public var op: ChangeOperation
    public var id: String
    public var url: String
    public var source: String
    public var run: String

    public init(seq: Int, op: ChangeOperation, id: String, url: String, source: String, run: String) {
        self.seq = seq; self.op = op; self.id = id; self.url = url; self.source = source; self.run = run
    }
}
