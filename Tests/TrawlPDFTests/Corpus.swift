import Foundation

/// Locates `../shared/corpus` beside the project root (or `$TRAWL_CORPUS`), and runs the
/// reference tools that corpus tests compare against.
enum Corpus {
    static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var root: URL? {
        let url = ProcessInfo.processInfo.environment["TRAWL_CORPUS"].map { URL(fileURLWithPath: $0) }
            ?? projectRoot.appendingPathComponent("../shared/corpus").standardizedFileURL
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    static func files(in folder: String, extension ext: String) -> [URL] {
        guard let root, let e = FileManager.default.enumerator(
            at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { $0.pathExtension.lowercased() == ext }
            .sorted { $0.path < $1.path }
    }

    /// Runs a tool; returns its exit status and stdout, or nil if it cannot be started.
    static func run(_ tool: String, _ args: [String], timeout: TimeInterval = 60) -> (status: Int32, output: Data)? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["timeout", String(Int(timeout)), tool] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, data)
    }

    static func toolExists(_ tool: String) -> Bool {
        run("sh", ["-c", "command -v \(tool)"])?.status == 0
    }
}
