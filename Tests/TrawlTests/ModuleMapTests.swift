import Foundation
import Testing

/// The module map that opens `docs/architecture.md` is the truth about who may import whom:
/// every source file's imports of project modules, and every target's dependencies in
/// `Package.swift`, are checked against it.
@Suite struct ModuleMapTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// module → the project modules it may import, from the map's table.
    static func map() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        guard let start = text.range(of: "## Module map") else { return [:] }
        let section = text[start.upperBound...].prefix { _ in true }
        let end = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
        var result: [String: Set<String>] = [:]
        for line in section[..<end].split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4 else { continue }
            let allowed = Set(names(cells[3]))
            for module in names(cells[1]) { result[module] = allowed }
        }
        return result
    }

    static func names(_ cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    static var modules: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources").path)) ?? []).sorted()
    }

    @Test func everyModuleIsOnTheMap() throws {
        let map = try Self.map()
        #expect(!map.isEmpty, "docs/architecture.md has no module map")
        let missing = Self.modules.filter { map[$0] == nil }
        #expect(missing.isEmpty, "modules missing from the map in docs/architecture.md: \(missing)")
        let stale = map.keys.filter { !Self.modules.contains($0) }.sorted()
        #expect(stale.isEmpty, "the map names modules that do not exist: \(stale)")
    }

    @Test func sourcesImportOnlyWhatTheMapAllows() throws {
        let map = try Self.map()
        let project = Set(Self.modules)
        var violations: [String] = []
        for module in Self.modules {
            let dir = Self.root.appendingPathComponent("Sources/\(module)")
            guard let files = FileManager.default.enumerator(atPath: dir.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let source = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                for line in source.split(separator: "\n") {
                    let words = line.split(separator: " ")
                    guard let i = words.firstIndex(of: "import"), words[..<i].allSatisfy({ $0.hasPrefix("@") }), i + 1 < words.count else { continue }
                    let imported = String(words[i + 1])
                    if project.contains(imported), !(map[module]?.contains(imported) ?? false) {
                        violations.append("Sources/\(module)/\(file) imports \(imported)")
                    }
                }
            }
        }
        #expect(violations.isEmpty, "imports the module map does not allow:\n\(violations.joined(separator: "\n"))")
    }

    @Test func packageDependenciesAreTheMapsArrows() throws {
        let map = try Self.map()
        let package = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let project = Set(Self.modules)
        var checked = 0
        var mismatches: [String] = []
        for module in Self.modules {
            guard let declared = Self.dependencies(of: module, in: package) else { continue }
            checked += 1
            let deps = declared.filter(project.contains)
            if deps != map[module] ?? [] {
                mismatches.append("\(module): Package.swift \(deps.sorted()), map \((map[module] ?? []).sorted())")
            }
        }
        #expect(checked > 20, "only \(checked) targets found in Package.swift")
        #expect(mismatches.isEmpty, "Package.swift and the module map disagree:\n\(mismatches.joined(separator: "\n"))")
    }

    /// The quoted target names in `dependencies: [...]` of the target `name` (products left
    /// out); an empty set for a target without dependencies; nil when there is no such target.
    static func dependencies(of name: String, in package: String) -> Set<String>? {
        let starts = ["Target(name: \"\(name)\"", ".target(name: \"\(name)\"", ".systemLibrary(name: \"\(name)\""]
        guard let start = starts.lazy.compactMap({ package.range(of: $0) }).first else { return nil }
        // The target's own argument list: from its "(" to the matching ")".
        let open = package[start].firstIndex(of: "(") ?? start.lowerBound
        var depth = 0
        var end = package.endIndex
        for i in package[open...].indices {
            let c = package[i]
            if c == "(" || c == "[" { depth += 1 }
            if c == ")" || c == "]" { depth -= 1; if depth == 0 { end = i; break } }
        }
        let arguments = String(package[open..<end])
        guard let list = arguments.range(of: "dependencies: [") else { return [] }
        var body = "", level = 1
        for c in arguments[list.upperBound...] {
            if c == "[" || c == "(" { level += 1 }
            if c == "]" || c == ")" { level -= 1; if level == 0 { break } }
            body.append(c)
        }
        body = body.replacingOccurrences(of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
        return Set(body.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) })
    }
}
