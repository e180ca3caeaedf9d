import Foundation
import TrawlNormalize

/// Chooses trustworthy PDF metadata. Info values that tools write by default are dropped
/// ("Microsoft Word - draft.docx", "untitled", a producer in the title field, "Administrator",
/// dates before 1990 or in the future); the title comes from Info, else XMP `dc:title`, else
/// the first substantial line of the first page; dates from Info, else XMP. Each chosen value
/// records its source.
public struct PDFMetadataCleaner: Sendable {
    public struct Result: Sendable, Equatable {
        public var info: PDFInfo
        public var provenance: [String: String]
    }

    /// The latest plausible date (today plus a day of time-zone slack).
    public var latest = Date().addingTimeInterval(86_400)

    public init() {}

    public func clean(_ x: PDFExtraction) -> Result {
        var info = PDFInfo(subject: x.info.subject, keywords: x.info.keywords, creator: x.info.creator, producer: x.info.producer)
        var provenance: [String: String] = [:]
        let xmp = x.xmp.map(XMPFields.init)

        if let t = x.info.title.flatMap({ cleanTitle($0, producer: x.info.producer, creator: x.info.creator) }) {
            info.title = t; provenance["title"] = "info"
        } else if let t = xmp?.title.flatMap({ cleanTitle($0, producer: x.info.producer, creator: x.info.creator) }) {
            info.title = t; provenance["title"] = "xmp"
        } else if let t = firstPageTitle(x.pages.first) {
            info.title = t; provenance["title"] = "first-page"
        }
        if let a = x.info.author.flatMap(cleanAuthor) {
            info.author = a; provenance["author"] = "info"
        } else if let a = xmp?.creator.flatMap(cleanAuthor) {
            info.author = a; provenance["author"] = "xmp"
        }
        for (key, infoValue, xmpValue) in [("created", x.info.created, xmp?.created), ("modified", x.info.modified, xmp?.modified)] {
            let chosen: (String, String)? = plausible(infoValue).map { ($0, "info") } ?? plausible(xmpValue).map { ($0, "xmp") }
            guard let (value, source) = chosen else { continue }
            if key == "created" { info.created = value } else { info.modified = value }
            provenance[key] = source
        }
        return Result(info: info, provenance: provenance)
    }

    static let junkTitles: [String] = [
        #"^untitled\b"#, #"^제목\s*없음"#, #"^무제"#, #"^(document|doc|slide|presentation|präsentation|dokument)\s*\d*$"#,
        #"^\s*$"#, #"^[\d\s_.-]+$"#, #"\.(docx?|hwpx?|pptx?|xlsx?|pdf|rtf|odt|indd|ai|psd)$"#,
        #"^microsoft (word|powerpoint|excel)\b"#, #"^\*+$"#, #"^new document"#, #"^layout \d+"#,
    ]

    func cleanTitle(_ raw: String, producer: String?, creator: String?) -> String? {
        let t = TextNormalizer().normalizeInline(raw)
        let lower = t.lowercased()
        if Self.junkTitles.contains(where: { lower.range(of: $0, options: .regularExpression) != nil }) { return nil }
        // A tool's name in the title field ("Acrobat PDFMaker 11 for Word").
        for tool in [producer, creator].compactMap({ $0?.lowercased() }) where !tool.isEmpty && (lower == tool || tool.contains(lower)) { return nil }
        if ["acrobat", "pdfmaker", "distiller", "ghostscript", "hwp", "hancom", "latex"].contains(where: { lower.hasPrefix($0) }) { return nil }
        return t.count >= 3 ? t : nil
    }

    static let junkAuthors: Set<String> = ["administrator", "admin", "user", "owner", "windows user", "microsoft office user",
                                           "사용자", "작성자", "unknown", "default", "guest", "pc", "home"]

    func cleanAuthor(_ raw: String) -> String? {
        let a = TextNormalizer().normalizeInline(raw)
        return a.count >= 2 && !Self.junkAuthors.contains(a.lowercased()) ? a : nil
    }

    /// The first line of the first page that reads like a title: long enough, not a date,
    /// a page number or a running label such as "보도자료" / "PRESS RELEASE".
    func firstPageTitle(_ page: String?) -> String? {
        guard let page else { return nil }
        let labels: Set<String> = ["보도자료", "보도 자료", "press release", "pressemitteilung", "communiqué de presse", "news release", "참고자료", "해명자료"]
        for line in page.split(separator: "\n").prefix(8) {
            let t = TextNormalizer().normalizeInline(String(line))
            if t.count < 8 || t.count > 200 || labels.contains(t.lowercased()) { continue }
            if DateParser().firstDate(in: t) != nil && t.count < 30 { continue }
            if t.allSatisfy({ $0.isNumber || $0.isPunctuation || $0.isWhitespace }) { continue }
            return t
        }
        return nil
    }

    func plausible(_ iso: String?) -> String? {
        guard let iso, let year = Int(iso.prefix(4)), year >= 1990 else { return nil }
        if let date = try? Date(iso, strategy: .iso8601), date > latest { return nil }
        return iso
    }
}

/// The few XMP fields Trawl reads, from the packet's XML text.
struct XMPFields {
    var title: String?
    var creator: String?
    var created: String?
    var modified: String?

    init(_ xml: String) {
        title = Self.first(in: xml, after: "<dc:title>", li: true)
        creator = Self.first(in: xml, after: "<dc:creator>", li: true)
        created = Self.element(in: xml, "xmp:CreateDate") ?? Self.attribute(in: xml, "xmp:CreateDate")
        modified = Self.element(in: xml, "xmp:ModifyDate") ?? Self.attribute(in: xml, "xmp:ModifyDate")
        created = created.flatMap(Self.iso)
        modified = modified.flatMap(Self.iso)
    }

    static func first(in xml: String, after open: String, li: Bool) -> String? {
        guard let start = xml.range(of: open) else { return nil }
        let rest = xml[start.upperBound...]
        guard let liStart = rest.range(of: "<rdf:li"), let gt = rest[liStart.upperBound...].firstIndex(of: ">"),
              let end = rest[gt...].range(of: "</rdf:li>") else { return nil }
        return unescape(String(rest[rest.index(after: gt)..<end.lowerBound]))
    }

    static func element(in xml: String, _ name: String) -> String? {
        guard let s = xml.range(of: "<\(name)>"), let e = xml[s.upperBound...].range(of: "</\(name)>") else { return nil }
        return String(xml[s.upperBound..<e.lowerBound])
    }

    static func attribute(in xml: String, _ name: String) -> String? {
        guard let s = xml.range(of: "\(name)=\"") else { return nil }
        return xml[s.upperBound...].split(separator: "\"", maxSplits: 1).first.map(String.init)
    }

    static func iso(_ s: String) -> String? {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.range(of: #"^\d{4}-\d{2}-\d{2}"#, options: .regularExpression) != nil ? t : nil
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
