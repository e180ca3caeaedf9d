import Foundation

/// The WARC files a harvest left, read without Trawl's code: `gzip -dc`, then record by record
/// from each header's Content-Length. warcio (PyPI, the reference reader) checks them too when
/// a venv has it.
enum WARCFiles {
    struct Record {
        var type: String
        var uri: String?
        var block: Data
    }

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    static func finished(in folder: URL) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.lastPathComponent.hasSuffix(".warc.gz") }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func open(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".open") }
    }

    static func records(_ file: URL) throws -> [Record] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-dc", file.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Unreadable(description: "\(file.lastPathComponent): gzip -dc failed (a member cut short?)") }
        var out: [Record] = []
        var i = data.startIndex
        let blank = Data("\r\n\r\n".utf8)
        while i < data.endIndex {
            guard let end = data.range(of: blank, in: i..<data.endIndex) else { throw Unreadable(description: "\(file.lastPathComponent): header cut short") }
            var fields: [String: String] = [:]
            for line in String(decoding: data[i..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            guard let length = fields["content-length"].flatMap(Int.init), end.upperBound + length + 4 <= data.endIndex else {
                throw Unreadable(description: "\(file.lastPathComponent): record cut short")
            }
            out.append(Record(type: fields["warc-type"] ?? "", uri: fields["warc-target-uri"], block: data[end.upperBound..<end.upperBound + length]))
            i = end.upperBound + length + 4
        }
        return out
    }

    static var warcio: String? {
        if let env = ProcessInfo.processInfo.environment["TRAWL_WARCIO"], FileManager.default.isExecutableFile(atPath: env) { return env }
        let venv = Harness.projectRoot.appendingPathComponent("Benchmarks/.venv/bin/warcio").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    /// `warcio check` then `warcio index` on `file`: nil when both pass, else what they said.
    static func warcioProblem(_ file: URL) throws -> String? {
        guard let tool = warcio else { return nil }
        for args in [["check", file.path], ["index", file.path]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = args
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = pipe
            try p.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            if p.terminationStatus != 0 { return "warcio \(args[0]) \(file.lastPathComponent): \(String(decoding: output, as: UTF8.self).suffix(600))" }
        }
        return nil
    }
}
