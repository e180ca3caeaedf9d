import CTrawlOCR
import Foundation
import Synchronization
import TrawlPDF

/// Tesseract with a set of languages loaded: one per thread that recognises, reused for
/// every page (loading Korean costs far more than a page). Owns one C handle, closed once.
/// Used by one thread at a time, which `OCREngines` guarantees by checking engines out.
public final class OCREngine: @unchecked Sendable {
    private let handle: OpaquePointer
    public let languages: [OCRLanguage]

    /// `tesseract 5.3.0`.
    public static var version: String { "tesseract " + String(cString: trawl_ocr_engine_version()) }

    public struct LoadFailure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public init(languages: [String], tessdata: String) throws {
        guard let handle = trawl_ocr_open(tessdata, languages.joined(separator: "+")) else {
            throw LoadFailure(description: "Tesseract could not load \(languages.joined(separator: "+")) from \(tessdata)")
        }
        self.handle = handle
        self.languages = languages.map { code in
            let version = trawl_ocr_data_version(tessdata, code)
            defer { free(version) }
            return OCRLanguage(code: code, data: version.map { String(cString: $0) })
        }
    }

    deinit { trawl_ocr_close(handle) }

    /// Tesseract's page segmentation modes that Trawl chooses between.
    public enum Segmentation: String, Sendable {
        /// Tesseract's default (`--psm 3`): finds columns, blocks and tables.
        case auto
        /// One uniform block of text (`--psm 6`): reads a dense list or a page whose
        /// layout analysis falls apart line by line.
        case singleBlock = "single_block"

        var psm: Int32 { self == .auto ? 3 : 6 }
    }

    /// One recognition pass over a page.
    public struct Reading: Sendable {
        public enum Status: Sendable { case ok, timeout, failed }
        public var status: Status
        public var text: String
        public var words: Int
        /// Words of one letter or digit.
        public var loneWords: Int
        public var confidence: Double
        /// Σ characters × confidence: how much text was read, weighted by how surely.
        public var confidentChars: Double
        /// Share of the page's ink inside recognised words.
        public var inkCoverage: Double
        /// Share of the ink inside the automatic layout's text lines (`readPage` only).
        public var layoutCoverage: Double
        public var segmentation: Segmentation
    }

    /// Reads a page with the segmentation chosen for it from the automatic layout's coverage
    /// of the ink (below `oneBlockBelow`: one block), analysing the layout once.
    public func readPage(_ image: GrayImage, oneBlockBelow: Double, deadline: Duration?) -> Reading {
        var page = trawl_ocr_page()
        image.pixels.withUnsafeBufferPointer { pixels in
            trawl_ocr_recognize_page(handle, pixels.baseAddress, Int32(image.width), Int32(image.height), Int32(image.stride),
                                     oneBlockBelow, Self.milliseconds(deadline), &page)
        }
        defer { trawl_ocr_page_free(&page) }
        return Self.reading(page)
    }

    static func milliseconds(_ d: Duration?) -> Int32 {
        d.map { max(1, Int32(clamping: $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000)) } ?? 0
    }

    public func read(_ image: GrayImage, dpi: Int, segmentation: Segmentation, deadline: Duration?) -> Reading {
        var page = trawl_ocr_page()
        image.pixels.withUnsafeBufferPointer { pixels in
            trawl_ocr_recognize(handle, pixels.baseAddress, Int32(image.width), Int32(image.height), Int32(image.stride),
                                Int32(dpi), segmentation.psm, Self.milliseconds(deadline), &page)
        }
        defer { trawl_ocr_page_free(&page) }
        return Self.reading(page)
    }

    private static func reading(_ page: trawl_ocr_page) -> Reading {
        let status: Reading.Status = switch Int(page.status) {
        case Int(TRAWL_OCR_OK.rawValue): .ok
        case Int(TRAWL_OCR_TIMEOUT.rawValue): .timeout
        default: .failed
        }
        let text = page.text.map { ptr in
            ptr.withMemoryRebound(to: UInt8.self, capacity: page.length) {
                String(decoding: UnsafeBufferPointer(start: $0, count: page.length), as: UTF8.self)
            }
        } ?? ""
        return Reading(status: status, text: text, words: Int(page.words), loneWords: Int(page.lone_words), confidence: page.mean_confidence,
                       confidentChars: page.confident_chars, inkCoverage: page.ink_coverage, layoutCoverage: page.layout_coverage,
                       segmentation: page.psm == 6 ? .singleBlock : .auto)
    }
}

/// The engines of this process, one per thread that recognises at a time, kept for reuse:
/// a worker process keeps its one engine for its whole life.
public enum OCREngines {
    private static let idle = Mutex<[String: [OCREngine]]>([:])

    /// Runs `body` with an engine for `languages` checked out; loads one if none is idle.
    public static func with<T>(languages: [String], tessdata: String, _ body: (OCREngine) throws -> T) throws -> T {
        let key = tessdata + "|" + languages.joined(separator: "+")
        let engine = try idle.withLock { $0[key]?.popLast() } ?? OCREngine(languages: languages, tessdata: tessdata)
        defer { idle.withLock { $0[key, default: []].append(engine) } }
        return try body(engine)
    }
}
