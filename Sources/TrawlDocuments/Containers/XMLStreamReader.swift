import CTrawlXML
import Foundation

/// A pull reader over an XML part (libxml2's streaming reader, no network, no entities).
/// The only Swift type here that holds a libxml2 reader; it frees it once, in `deinit`.
final class XMLStreamReader {
    enum Event: Equatable {
        case start(String)
        case end(String)
        case text(String)
    }

    private let reader: OpaquePointer
    private let bytes: UnsafeMutableRawBufferPointer
    private let name: String

    /// `name` says which part of which file, for messages.
    init(_ data: Data, name: String) throws {
        // The reader keeps pointing at the bytes, so they get a home of their own.
        bytes = .allocate(byteCount: max(1, data.count), alignment: 1)
        data.copyBytes(to: bytes.bindMemory(to: UInt8.self))
        guard let r = trawl_xml_reader_new(bytes.baseAddress?.assumingMemoryBound(to: CChar.self), data.count) else {
            bytes.deallocate()
            throw DocumentError(.damaged, "\(name): cannot read the XML")
        }
        reader = r
        self.name = name
    }

    deinit {
        trawl_xml_reader_free(reader)
        bytes.deallocate()
    }

    /// The next event, nil at the end; malformed XML is a `damaged` error.
    func next() throws -> Event? {
        switch try nextRaw() {
        case .start(let p)?: return .start(String(cString: p.assumingMemoryBound(to: CChar.self)))
        case .end(let p)?: return .end(String(cString: p.assumingMemoryBound(to: CChar.self)))
        case .text(let t)?: return .text(t)
        case nil: return nil
        }
    }

    /// An attribute of the element just started, by local name; `prefixed` picks `r:id` over
    /// `id` (true) or the reverse (false) when an element has both.
    func attribute(_ localName: String, prefixed: Bool? = nil) -> String? {
        let p: Int32 = prefixed.map { $0 ? 1 : 0 } ?? -1
        return trawl_xml_reader_attribute(reader, localName, p).map { String(cString: $0) }
    }

    /// An event whose element name is libxml2's interned pointer: the same name is the same
    /// pointer for the reader's whole life, so a caller can classify names once and then
    /// compare pointers instead of building a String per element.
    enum RawEvent {
        case start(UnsafeRawPointer)
        case end(UnsafeRawPointer)
        case text(String)
    }

    func nextRaw() throws -> RawEvent? {
        switch trawl_xml_reader_next(reader) {
        case Int32(TRAWL_XML_START.rawValue):
            return .start(UnsafeRawPointer(trawl_xml_reader_name(reader)))
        case Int32(TRAWL_XML_END.rawValue):
            return .end(UnsafeRawPointer(trawl_xml_reader_name(reader)))
        case Int32(TRAWL_XML_TEXT.rawValue):
            return .text(trawl_xml_reader_text(reader).map { String(cString: $0) } ?? "")
        case Int32(TRAWL_XML_END_OF_DOCUMENT.rawValue):
            return nil
        default:
            let why = trawl_xml_reader_error(reader).map { String(cString: $0) } ?? "malformed XML"
            throw DocumentError(.damaged, "\(name): \(why)")
        }
    }

    /// Calls `body` for every event until the end.
    func forEach(_ body: (Event) throws -> Void) throws {
        while let e = try next() { try body(e) }
    }
}
