import Foundation
import Trawl

/// A place in the change feed: the run whose feed it is in and the line's number there. Run
/// ids begin with their start time, so feeds sort by name in the order they were written.
public struct FeedPosition: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var run: String
    public var seq: Int

    public init(run: String, seq: Int) { self.run = run; self.seq = seq }

    public static func < (a: FeedPosition, b: FeedPosition) -> Bool { (a.run, a.seq) < (b.run, b.seq) }
    public var description: String { "\(run)#\(seq)" }
}

/// A feed line that cannot be read: publishing stops there rather than skip a change.
public struct FeedError: Error, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var reason: String
    public var description: String { "\(file):\(line): \(reason)" }
}

/// Reads the published feeds (`OUTPUT/changes/<run-id>.jsonl`) in order from a position on,
/// one line at a time (a feed of any size costs one buffer). Feeds still being written stay in
/// `.trawl/feed/` and are not read until their run publishes them.
public struct ChangeFeedReader: Sendable {
    public let directory: URL

    public init(output: URL) { directory = output.appendingPathComponent("changes") }

    /// The published feeds in run order, with their run ids.
    public func feeds() throws -> [(run: String, file: URL)] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }.sorted()
            .map { (String($0.dropLast(".jsonl".count)), directory.appendingPathComponent($0)) }
    }

    /// The lines after `position` (all of them for nil).
    public func lines(after position: FeedPosition?) throws -> Lines {
        Lines(feeds: try feeds().filter { position == nil || $0.run >= position!.run }, after: position)
    }

    /// How many lines follow `position`: how far behind a sink standing there is.
    public func count(after position: FeedPosition?) throws -> Int {
        var lines = try lines(after: position)
        var n = 0
        while try lines.next() != nil { n += 1 }
        return n
    }

    /// An iterator over feed lines, file by file.
    public struct Lines {
        private var feeds: [(run: String, file: URL)]
        private let after: FeedPosition?
        private var reader: LineReader?
        private var current: (run: String, file: URL)?
        private var lineNumber = 0
        private let decoder = JSONDecoder()

        init(feeds: [(run: String, file: URL)], after: FeedPosition?) {
            self.feeds = feeds.reversed()
            self.after = after
        }

        public mutating func next() throws -> ChangeLine? {
            while true {
                if reader == nil {
                    guard let feed = feeds.popLast() else { return nil }
                    current = feed
                    lineNumber = 0
                    reader = try LineReader(file: feed.file)
                }
                guard let raw = try reader!.next() else { reader = nil; continue }
                lineNumber += 1
                if raw.isEmpty { continue }
                let line: ChangeLine
                do { line = try decoder.decode(ChangeLine.self, from: raw) } catch {
                    throw FeedError(file: current!.file.path, line: lineNumber, reason: "not a change line (\(error))")
                }
                // The file's name is the authority on its run (an exported feed says the same).
                let position = FeedPosition(run: current!.run, seq: line.seq)
                if let after, position <= after { continue }
                return line
            }
        }
    }
}

/// Lines of a file, read through a fixed buffer.
struct LineReader {
    private let handle: FileHandle
    private var buffer = Data()
    private var start = 0
    private var atEnd = false
    private let file: URL

    init(file: URL) throws {
        self.file = file
        do { handle = try FileHandle(forReadingFrom: file) } catch {
            throw FeedError(file: file.path, line: 0, reason: "cannot open (\(error.localizedDescription))")
        }
    }

    mutating func next() throws -> Data? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                let line = Data(buffer[start..<nl])
                start = nl + 1
                return line
            }
            if atEnd {
                if start == buffer.endIndex { try? handle.close(); return nil }
                // A feed is published whole; a last line without a newline is still a line.
                defer { start = buffer.endIndex }
                return Data(buffer[start...])
            }
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 16) } catch {
                throw FeedError(file: file.path, line: 0, reason: "cannot read (\(error.localizedDescription))")
            }
            // Keep only the unread tail before appending, so the buffer stays one line + one chunk.
            buffer = Data(buffer[start...])
            start = buffer.startIndex
            if let chunk, !chunk.isEmpty { buffer.append(chunk) } else { atEnd = true }
        }
    }
}
