// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Trawl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "trawl", targets: ["TrawlCLI"]),
        .library(name: "Trawl", targets: ["Trawl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // C layers. libxml2 is linked through a header-less system module so that no Swift
        // module ever imports libxml2's headers (they pull in ICU, which clashes with
        // Foundation's ICU on a clean build); only CTrawlXML's .c file includes them.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .target(name: "CTrawlXML", dependencies: ["CLibXML2"]),
        // Little CMS, which poppler drives for colour: CTrawlLCMS switches its transforms off
        // for text extraction (see CTrawlLCMS.h); linked the same header-less way.
        .systemLibrary(name: "CLCMS2", pkgConfig: "lcms2",
                       providers: [.apt(["liblcms2-dev"])]),
        .target(name: "CTrawlLCMS", dependencies: ["CLCMS2"]),
        // poppler's C++ core (libpoppler-private-dev): one parse per PDF gives its text (made
        // the way pdftotext makes it), metadata, forms, annotations, embedded files and
        // pages drawn for OCR. Only CTrawlPoppler's .cpp sees it.
        .systemLibrary(name: "CPopplerCore", pkgConfig: "poppler",
                       providers: [.apt(["libpoppler-private-dev"])]),
        .target(name: "CTrawlPoppler", dependencies: ["CPopplerCore", "CTrawlLCMS"]),
        // OCR: Tesseract's C++ API and Leptonica's image readers (Debian libtesseract-dev,
        // libleptonica-dev), linked the same header-less way; only CTrawlOCR's .cpp sees them.
        .systemLibrary(name: "CTesseract", pkgConfig: "tesseract", providers: [.apt(["libtesseract-dev"])]),
        .systemLibrary(name: "CLeptonica", pkgConfig: "lept", providers: [.apt(["libleptonica-dev"])]),
        .target(name: "CTrawlOCR", dependencies: ["CTesseract", "CLeptonica"]),
        // Containers of the non-PDF formats: libzip (OOXML, ODF, HWPX, bundles), libgsf's OLE2
        // reader (HWP 5), zlib's raw inflate (HWP streams, encrypted HWPX entries). Each has a
        // link-only system module and a thin C target whose header is opaque.
        .systemLibrary(name: "CLibZip", pkgConfig: "libzip", providers: [.apt(["libzip-dev"])]),
        .target(name: "CTrawlZip", dependencies: ["CLibZip"]),
        .systemLibrary(name: "CGsf", pkgConfig: "libgsf-1", providers: [.apt(["libgsf-1-dev"])]),
        .target(name: "CTrawlOLE", dependencies: ["CGsf"]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CTrawlInflate", dependencies: ["CZlib"]),
        // SQLite (the one GRDB links) for FTS5's C-only ranking API: CTrawlFTS ranks the
        // embedded search index.
        .systemLibrary(name: "CSQLite3", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CTrawlFTS", dependencies: ["CSQLite3"]),
        // The process's allocator: mimalloc (Debian libmimalloc-dev, no pkg-config file),
        // linked ahead of the C library so that its malloc serves poppler's and Tesseract's
        // many small objects too; glibc's settings where glibc's malloc still serves.
        .target(name: "CTrawlAlloc", linkerSettings: [.linkedLibrary("mimalloc")]),

        // Stages and concerns, each a module of safe Swift.
        .target(name: "TrawlNormalize"),
        .target(name: "TrawlHTML", dependencies: ["CTrawlXML", "TrawlNormalize"]),
        // Blocking C work (poppler, libxml2, name resolution) run off the cooperative pool.
        .target(name: "TrawlConcurrency"),
        // Web archives: WARC files written by harvests.
        .target(name: "TrawlWARC", dependencies: [
            "CTrawlInflate",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Fetching by the book: the fetcher, politeness per host, retries, URL and address
        // policy, robots.txt, Content-Disposition, and the WARC archive of every exchange.
        .target(name: "TrawlHTTP", dependencies: [
            "TrawlHTML", "TrawlWARC", "TrawlConcurrency",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "TrawlPDF", dependencies: ["CTrawlPoppler", "CTrawlLCMS", "TrawlNormalize", "TrawlDedup"]),
        // One extractor per attachment format behind one protocol, chosen by the sniffed type.
        .target(name: "TrawlDocuments", dependencies: [
            "CTrawlXML", "CTrawlZip", "CTrawlOLE", "CTrawlInflate", "TrawlPDF", "TrawlHTML", "TrawlNormalize",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CryptoExtras", package: "swift-crypto"),
        ]),
        // OCR of scanned pages and image attachments, in the worker processes.
        .target(name: "TrawlOCR", dependencies: ["CTrawlOCR", "TrawlPDF", "TrawlDocuments"]),
        .target(name: "TrawlDedup", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "TrawlLedger", dependencies: [
            "TrawlDedup",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Trawl", dependencies: [
            "CTrawlAlloc", "TrawlConcurrency", "TrawlHTML", "TrawlHTTP", "TrawlWARC", "TrawlPDF", "TrawlDocuments", "TrawlOCR",
            "TrawlNormalize", "TrawlDedup", "TrawlLedger",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // A release site served on 127.0.0.1 from a mirror or generated pages, with faults on
        // demand: the peer of the HTTP source's tests and of the harvesting benchmark.
        .target(name: "TrawlSiteServer", dependencies: [
            "TrawlDedup",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // Publishing the change feed to search indexes ("sinks"), with the embedded full-text
        // index (SQLite FTS5 through GRDB) that `trawl search` reads.
        .target(name: "TrawlSinks", dependencies: [
            "Trawl", "CTrawlFTS",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `trawl serve`: a read-only web page (search, records, runs) over an output directory.
        .target(name: "TrawlServe", dependencies: [
            "Trawl", "TrawlSinks", "TrawlLedger",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The coordinator of a harvest shared by many processes: PostgreSQL implementations of
        // the storage seams (ledger, hand-off, host gate, run membership, record writer).
        .target(name: "TrawlPostgres", dependencies: [
            "Trawl", "TrawlHTTP", "TrawlLedger", "TrawlDedup", "TrawlSinks",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "TrawlBench", dependencies: ["TrawlLedger", "TrawlDedup", "TrawlHTML", "TrawlSiteServer"]),
        .executableTarget(name: "TrawlCLI", dependencies: [
            "Trawl", "TrawlNormalize", "TrawlOCR", "TrawlPostgres", "TrawlSinks", "TrawlServe", "TrawlBench", "TrawlSiteServer", "TrawlLedger",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "TrawlNormalizeTests", dependencies: ["TrawlNormalize", "TrawlDedup"]),
        .testTarget(name: "TrawlHTMLTests", dependencies: ["TrawlHTML"]),
        .testTarget(name: "TrawlHTTPTests", dependencies: ["TrawlHTTP"]),
        .testTarget(name: "TrawlWARCTests", dependencies: ["TrawlWARC", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "TrawlPDFTests", dependencies: ["TrawlPDF", "TrawlNormalize", "TrawlSiteServer"]),
        .testTarget(name: "TrawlDocumentsTests", dependencies: ["TrawlDocuments"]),
        .testTarget(name: "TrawlOCRTests", dependencies: ["TrawlOCR", "TrawlPDF", "TrawlDocuments"]),
        .testTarget(name: "TrawlDedupTests", dependencies: ["TrawlDedup"]),
        .testTarget(name: "TrawlLedgerTests", dependencies: ["TrawlLedger", "TrawlDedup"]),
        .testTarget(name: "TrawlTests", dependencies: ["Trawl"]),
        .testTarget(name: "TrawlSinksTests", dependencies: ["TrawlSinks", "Trawl", "TrawlDedup", .product(name: "GRDB", package: "GRDB.swift")]),
        // The real binary on Fixtures, the corpus and local servers (HTTP sites, PostgreSQL).
        .testTarget(name: "EndToEndTests", dependencies: ["Trawl", "TrawlSiteServer", "TrawlPostgres", "TrawlSinks", "TrawlLedger", "TrawlDedup",
                                                          .product(name: "Logging", package: "swift-log"),
                                                          .product(name: "Hummingbird", package: "hummingbird")]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
