import Foundation
import Testing
@testable import Trawl

@Suite struct OutputDirectoryTests {
    @Test func writesAtomicallyAndCleansScratch() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-out-\(UUID().uuidString)")
        let out = OutputDirectory(root: root)
        try out.prepare()
        // A temp file left by a killed run is removed by the next prepare().
        try Data("partial".utf8).write(to: out.scratch.appendingPathComponent("abc.json.1.tmp"))
        try out.prepare()
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.scratch.path).isEmpty)

        let target = out.recordFile(id: "0123456789abcdef0123456789abcdef")
        try out.writeAtomically(Data("{\"a\":1}".utf8), to: target)
        try out.writeAtomically(Data("{\"a\":2}".utf8), to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "{\"a\":2}")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.records.path) == [target.lastPathComponent])
    }

    @Test func anUnwritableRootIsAnOutputError() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-file-\(UUID().uuidString)")
        try Data().write(to: file)
        #expect(throws: OutputError.self) { try OutputDirectory(root: file.appendingPathComponent("out")).prepare() }
    }
}
