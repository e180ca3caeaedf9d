import CTrawlXML
import Crypto
import Foundation

/// A ZIP of several files: each member is sniffed and extracted as an attachment of its own,
/// bundles inside bundles up to `max_depth`, within the attachment's entry-count and byte
/// budgets. Nothing is written to disk: member names are display text only.
struct ZIPBundleExtractor: DocumentExtractor {
    func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        let zip = try ZipArchive.open(data, name: name)
        let (members, warnings) = Self.members(of: zip, indices: Array(zip.entryNames.indices), name: name, context: context)
        var x = DocumentExtraction(format: .zip, text: "")
        // The bundle's own text is its members' in order, so a release's search hit includes
        // the documents inside the ZIP; each member also keeps its own text.
        x.text = members.compactMap { $0.extraction?.text }.filter { !$0.isEmpty }.joined(separator: "\n\u{0C}\n")
        x.members = members
        x.parts = members.count
        x.warnings = warnings
        return x
    }

    /// Extracts the entries at `indices` as attachments of their own, within the limits.
    static func members(of zip: ZipArchive, indices: [Int], name: String, context: ExtractionContext) -> ([DocumentMember], [String]) {
        var members: [DocumentMember] = []
        var warnings: [String] = []
        var read = 0
        for index in indices {
            guard let entry = zip.entry(at: index), !entry.isDirectory else { continue }
            let memberName = MemberName.decode(zip.entryNames[index])
            // Resource forks and Finder metadata that macOS adds to every ZIP it makes.
            if memberName.hasPrefix("__MACOSX/") || memberName.hasSuffix("/.DS_Store") || memberName == ".DS_Store" { continue }
            read += 1
            if read > context.limits.maxEntries {
                warnings.append("\(name): more than \(context.limits.maxEntries) entries; the rest were not read")
                break
            }
            let label = "\(name)#\(memberName)"
            var member = DocumentMember(name: memberName, bytes: entry.size, sha256: "", format: .unknown)
            do {
                var bytes = try zip.read(at: index, context: context)
                // An Office OLE embedding wraps the real file (a PDF, a workbook): unwrap it.
                if memberName.contains("/embeddings/"), bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]),
                   let inner = OLEFile.embeddedPayload(bytes, name: label, max: min(context.limits.maxEntryBytes, context.budget.remaining)) {
                    bytes = inner
                }
                member.bytes = bytes.count
                member.sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                member.format = FormatSniffer.sniff(bytes, filename: memberName)
                if bytes.isEmpty { throw DocumentError(.empty, "\(label): empty file") }
                var inner = context
                inner.depth += 1
                if inner.depth > context.limits.maxDepth {
                    throw DocumentError(.tooLarge, "\(label): nested deeper than \(context.limits.maxDepth) containers; not opened")
                }
                let x = try DocumentExtractors.extract(bytes, name: label, format: member.format, context: inner)
                member.format = x.format
                member.extraction = x
            } catch let e as DocumentError {
                member.error = e
            } catch {
                member.error = DocumentError(.damaged, "\(label): \(error)")
            }
            members.append(member)
        }
        return (members, warnings)
    }
}

/// ZIP member names: UTF-8 when they are valid UTF-8 (the flag is often missing), otherwise
/// the legacy code pages that Korean and Japanese archivers write, then CP437 as the ZIP
/// specification says. CP949 and Shift-JIS share most byte ranges: strict EUC-KR (no
/// CP949 extensions) is tried first, then Shift-JIS, then CP949's extended syllables. Path parts that climb (`..`) or root the name are
/// dropped: the name is shown, never used as a path.
enum MemberName {
    static func decode(_ raw: Data) -> String {
        let text = String(validating: raw, as: UTF8.self)
            ?? convert(raw, "EUC-KR") ?? convert(raw, "SHIFT_JIS") ?? convert(raw, "CP949") ?? convert(raw, "CP437")
            ?? String(decoding: raw, as: UTF8.self)
        let parts = text.replacingOccurrences(of: "\\", with: "/").split(separator: "/")
            .filter { $0 != ".." && $0 != "." && !$0.isEmpty }
            .map { String($0.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init)) }
        let joined = parts.joined(separator: "/")
        return joined.isEmpty ? "unnamed" : joined
    }

    static func convert(_ bytes: Data, _ encoding: String) -> String? {
        bytes.withUnsafeBytes { raw -> String? in
            var length = 0
            guard let out = trawl_convert_to_utf8(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count, encoding, &length) else { return nil }
            defer { trawl_free(out) }
            let s = String(decoding: UnsafeRawBufferPointer(start: out, count: length), as: UTF8.self)
            // C1 controls mean the bytes were not this encoding's text (glibc's EUC-KR passes
            // 0x80–0x9F through), so the next encoding is tried.
            return s.unicodeScalars.contains { (0x80...0x9F).contains($0.value) } ? nil : s
        }
    }
}
