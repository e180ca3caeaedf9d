import Foundation

/// `../shared/corpus` beside the project (or `TRAWL_CORPUS`), if present.
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

    static func files(in folder: String) -> [URL] {
        guard let root, let names = try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path) else { return [] }
        return names.sorted().map { root.appendingPathComponent(folder).appendingPathComponent($0) }
            .filter { !["md", "txt", "json"].contains($0.pathExtension.lowercased()) }
    }
}

extension String {
    var hangulSyllables: Int { unicodeScalars.lazy.filter { (0xAC00...0xD7A3).contains($0.value) }.count }
}
