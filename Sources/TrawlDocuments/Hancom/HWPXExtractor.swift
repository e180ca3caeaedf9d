import Foundation

/// HWPX (OWPML, KS X 6101): sections in the order of `Contents/content.hpf`'s spine, text runs
/// with tabs and line breaks, tables cell by cell, notes and text boxes where they are
/// anchored, hidden comments apart. Distribution documents are decrypted with Hancom's public
/// key; a document encrypted with its author's own password is `encrypted`.
struct HWPXExtractor: DocumentExtractor {
    static let rules = MarkupRules(
        paragraphs: ["p"], textElements: ["t"], tabs: ["tab"], lineBreaks: ["lineBreak"],
        characters: ["nbSpace": " ", "fwSpace": " ", "hyphen": "-"],
        skipped: ["fieldBegin", "parameters"], comments: ["hiddenComment"], cells: ["tc"], deferred: ["footNote", "endNote"])

    func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        let zip = try ZipArchive.open(data, name: name)
        var decryptor: PackageDecryptor?
        var password: [UInt8]?
        var distribution = false
        if let manifest = try zip.read("META-INF/manifest.xml", context: context) {
            let d = try PackageDecryptor(manifest: manifest, name: name)
            if !d.isEmpty {
                let user = context.passwords.map { Array($0.utf8) }
                guard let p = try d.findPassword(in: zip, candidates: PackageDecryptor.distributionPasswords + user, context: context) else {
                    throw DocumentError(.encrypted, "\(name): the HWPX document is encrypted with a password of its own")
                }
                decryptor = d
                password = p
                distribution = PackageDecryptor.distributionPasswords.contains(p)
            }
        }
        func read(_ path: String) throws -> Data? {
            guard let raw = try zip.read(path, context: context) else { return nil }
            if let decryptor, let password, let entry = decryptor.entries[path] {
                return try decryptor.decrypt(raw, entry: entry, password: password, verify: true, name: name, context: context)
            }
            return raw
        }
        let package = try read("Contents/content.hpf").map { try ContentPackage($0, name: "\(name): Contents/content.hpf") }
        var sections = package?.sections ?? []
        if sections.isEmpty {
            sections = zip.paths.filter { $0.hasPrefix("Contents/section") && $0.hasSuffix(".xml") }
                .sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        }
        guard !sections.isEmpty else { throw DocumentError(.damaged, "\(name): no sections in the HWPX package") }
        var builder = TextBuilder()
        var comments: [String] = []
        var warnings: [String] = []
        for path in sections {
            do {
                guard let xml = try read(path) else { warnings.append("\(path) is listed but missing"); continue }
                try MarkupText.extract(xml, name: "\(name): \(path)", rules: Self.rules, into: &builder, comments: &comments)
            } catch let e as DocumentError where e.code == .damaged && !builder.isEmpty {
                warnings.append(e.message)  // keep the sections that were read
            }
            builder.endPart()
        }
        var x = DocumentExtraction(format: .hwpx, text: builder.finish())
        x.comments = comments
        x.metadata = package?.metadata ?? DocumentMetadata()
        x.parts = sections.count
        x.encrypted = decryptor != nil
        x.distribution = distribution
        x.warnings = warnings
        return x
    }

    /// The OPF package: section order (spine) and metadata.
    struct ContentPackage {
        var sections: [String] = []
        var metadata = DocumentMetadata()

        init(_ data: Data, name: String) throws {
            let reader = try XMLStreamReader(data, name: name)
            var items: [String: (href: String, type: String)] = [:]
            var spine: [String] = []
            var metaName: String?
            var text = ""
            while let e = try reader.next() {
                switch e {
                case .start("item"):
                    if let id = reader.attribute("id"), let href = reader.attribute("href") {
                        items[id] = (href, reader.attribute("media-type") ?? "")
                    }
                case .start("itemref"):
                    if let id = reader.attribute("idref") { spine.append(id) }
                case .start("meta"): metaName = reader.attribute("name"); text = ""
                case .start("title"), .start("creator"): text = ""
                case .text(let t): text += t
                case .end("title"): metadata.title = Self.clean(text) ?? metadata.title
                case .end("meta"):
                    let v = Self.clean(text)
                    switch metaName?.lowercased() {
                    case "creator": metadata.author = v ?? metadata.author
                    case "subject": metadata.subject = v
                    case "keyword": metadata.keywords = v
                    case "createddate": metadata.created = v
                    case "modifieddate": metadata.modified = v
                    default: break
                    }
                default: break
                }
            }
            sections = spine.compactMap { items[$0] }.filter { $0.href.contains("section") || $0.type == "application/xml" && $0.href.hasPrefix("Contents/section") }
                .map { $0.href.hasPrefix("Contents/") || $0.href.hasPrefix("/") ? $0.href : "Contents/" + $0.href }
                .map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        }

        static func clean(_ s: String) -> String? {
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
    }
}
