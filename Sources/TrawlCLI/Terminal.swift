import Foundation
import Logging

/// The live progress line at the bottom of a terminal, shared with the log: a log line clears
/// the progress line first and redraws it after itself, so the two never share a line.
final class StatusLine: @unchecked Sendable {
    static let shared = StatusLine()
    // `shown` is only touched under `lock`.
    private let lock = NSLock()
    private var shown: String?

    /// Shows `text` as the progress line (replacing the one shown).
    func show(_ text: String) {
        lock.withLock {
            shown = text
            write("\r\u{1B}[K" + text)
        }
    }

    /// Removes the progress line, leaving the cursor at the start of an empty line.
    func clear() {
        lock.withLock {
            if shown != nil { write("\r\u{1B}[K") }
            shown = nil
        }
    }

    /// Writes whole lines above the progress line.
    func printAbove(_ lines: String) {
        lock.withLock {
            if let shown { write("\r\u{1B}[K" + lines + shown) } else { write(lines) }
        }
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}

/// swift-log's stderr format (`<time> <level> <label>: [metadata] <message>`), written through
/// the status line.
struct TerminalLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level = event.level, message = event.message
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let meta = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        StatusLine.shared.printAbove("\(Self.timestamp()) \(level) \(label):\(meta) [\(event.source)] \(message)\n")
    }

    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
