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

    /// The corpus root, or nil after printing that `test` is skipped because it is absent.
    static func rootOrSkip(_ test: String) -> URL? {
        if let root { return root }
        print("SKIPPED \(test): ../shared/corpus is absent (set TRAWL_CORPUS to run it)")
        return nil
    }

    /// The PDFs of `pdfs-real`, each with its path relative to the corpus root (its name in
    /// errors and test output).
    static func realPDFs() -> [(url: URL, name: String)] {
        guard let root else { return [] }
        return files(in: "pdfs-real", extension: "pdf").map { ($0, $0.path.replacingOccurrences(of: root.path + "/", with: "")) }
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
