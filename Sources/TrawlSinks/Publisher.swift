import Foundation
import Trawl

/// Publishes the change feed of an output directory to sinks: for each sink, from its cursor
/// on, in feed order, in batches; a record created or updated is read from `records/` as it
/// is now (a later line of the feed brings any later change), a record deleted is deleted.
/// A sink that fails keeps its cursor and reports how far behind it is; the others go on.
public struct Publisher: Sendable {
    public let output: URL
    /// A batch ends after this many feed lines or this many bytes of records.
    public var batchLines = 500
    public var batchBytes = 16 << 20

    public init(output: URL) { self.output = output }

    /// Publishes everything the sink has not applied yet (`fromStart`: forgets its cursor
    /// first and replays every feed). `progress` gets lines applied and lines to apply.
    public func publish(to sink: any Sink, fromStart: Bool = false,
                        progress: (@Sendable (Int, Int) -> Void)? = nil) async -> SinkStatus {
        var status = SinkStatus(name: sink.name, type: sink.type)
        let started = ContinuousClock.now
        let reader = ChangeFeedReader(output: output)
        var cursor: FeedPosition?
        var known = false
        var prepared = false
        do {
            if fromStart { try await sink.reset() }
            cursor = try await sink.cursor()
            known = true
            let total = try reader.count(after: cursor)
            var lines = try reader.lines(after: cursor)
            progress?(0, total)
            try await sink.willApply(pending: total)
            prepared = true
            while var (batch, rejects) = try nextBatch(&lines) {
                batch.after = cursor
                let refused = try await sink.apply(batch)
                cursor = batch.through
                status.applied += batch.lines
                status.upserted += batch.upserts.count - refused.count
                status.deleted += batch.deletes.count
                status.rejects += rejects + refused
                progress?(status.applied, total)
            }
        } catch {
            status.error = "\(error)"
        }
        if prepared {
            do { try await sink.didApply() } catch { status.error = status.error ?? "\(error)" }
        }
        if known { status.behind = (try? reader.count(after: cursor)) ?? 0 }
        status.cursor = cursor?.description
        status.seconds = (ContinuousClock.now - started) / .seconds(1)
        return status
    }

    /// The next lines of the feed as one batch, each record at its latest state; records that
    /// cannot be read as records are rejected (reported, not retried).
    func nextBatch(_ lines: inout ChangeFeedReader.Lines) throws -> (SinkBatch, [SinkStatus.Reject])? {
        var order: [String] = []
        var last: [String: ChangeLine] = [:]
        var first: FeedPosition?
        var through: FeedPosition?
        var count = 0
        var bytes = 0
        let records = OutputDirectory(root: output)
        while count < batchLines, bytes < batchBytes, let line = try lines.next() {
            let position = FeedPosition(run: line.run, seq: line.seq)
            if first == nil { first = position }
            through = position
            count += 1
            if last.updateValue(line, forKey: line.id) == nil { order.append(line.id) }
            if line.op != .deleted, Self.isRecordID(line.id) {
                bytes += (try? FileManager.default.attributesOfItem(atPath: records.recordFile(id: line.id).path)[.size] as? Int) ?? 0
            }
        }
        guard let first, let through else { return nil }
        var batch = SinkBatch(from: first, through: through, lines: count)
        var rejects: [SinkStatus.Reject] = []
        for id in order {
            let line = last[id]!
            guard Self.isRecordID(id) else {
                rejects.append(.init(id: id, reason: "not a record id (letters, digits, '-' and '_' only)"))
                continue
            }
            // The record's state now decides, whatever the line says: a `deleted` line of a run
            // killed before it removed the file (and a later run that kept the record) must
            // not take a live record out of the index.
            guard let data = try Self.readRecord(records.recordFile(id: id)) else { batch.deletes.append(id); continue }
            do { batch.upserts.append(try SinkDocument(recordBytes: data)) } catch {
                rejects.append(.init(id: id, reason: "\(error)"))
            }
        }
        return (batch, rejects)
    }

    /// A record file's bytes; nil only when there is no such file. Any other failure to read it
    /// (too many open files, an I/O error, no permission) stops the batch with the reason, so
    /// the cursor stays and the next publish tries again: it is never taken for a deletion.
    static func readRecord(_ file: URL) throws -> Data? {
        do { return try Data(contentsOf: file) } catch {
            let ns = error as NSError
            let posix = (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? $0.code : nil }
            if ns.code == NSFileReadNoSuchFileError || posix == Int(ENOENT) || posix == Int(ENOTDIR) { return nil }
            throw PublishError(reason: "cannot read \(file.path): \(posix.map { String(cString: strerror(Int32($0))) } ?? ns.localizedDescription)")
        }
    }

    /// Record ids are derived hashes; anything else in a feed is not used as a file name.
    static func isRecordID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 200 && id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }
}

/// A publish that had to stop: the sink's cursor stays where it was.
public struct PublishError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
