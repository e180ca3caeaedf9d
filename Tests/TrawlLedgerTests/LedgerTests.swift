import Foundation
import Testing
import TrawlDedup
import TrawlLedger

@Suite struct ShinglingTests {
    @Test func aSmallEditKeepsMostShingles() {
        let a = "The Ministry of Science and ICT announced on January 30 that the 2024 national research and development budget of 26.5 trillion won will be allocated across 1,142 programmes. The plan gives priority to twelve national strategic technologies, including semiconductors, advanced batteries, quantum and space, which together receive 4.7 trillion won. Support for basic research by early-career scientists continues, and a new fund will let outstanding researchers carry unspent grants into the following year."
        let b = a.replacingOccurrences(of: "January 30", with: "February 2")
        let s = MinHashSignature(text: a).similarity(to: MinHashSignature(text: b))
        #expect(s > 0.75 && s < 1, "similarity \(s)")
        #expect(MinHashSignature(text: a) == MinHashSignature(text: a.uppercased()), "case does not matter")
    }

    @Test func koreanAndChineseAreShingledByCharacter() {
        #expect(Shingler(size: 2).shingles("인공지능").count == 3)
        #expect(Shingler(size: 2).shingles("人工智能").count == 3)
        // Korean particles change a phrase's ending, not the whole phrase.
        let a = "정부는 인공지능 반도체 산업을 세계 최고 수준으로 키우기 위한 전략을 발표했다"
        let b = "정부가 인공지능 반도체 산업을 세계 최고 수준으로 키우기 위한 전략을 발표하였다"
        #expect(MinHashSignature(text: a).similarity(to: MinHashSignature(text: b)) > 0.6)
    }

    @Test func unrelatedTextsAreFarApart() {
        let a = MinHashSignature(text: "Free public Wi-Fi will be installed on 2,000 additional intercity buses and in 350 urban parks this year.")
        let b = MinHashSignature(text: "Applications for the 2024 Young Scientist Awards are open until April 12 for researchers under 40.")
        #expect(a.similarity(to: b) < 0.1)
        #expect(a.distance(to: b) > 110)
    }

    @Test func signaturesRoundTripThroughBytes() {
        let s = MinHashSignature(text: "round trip")
        #expect(MinHashSignature(bytes: s.bytes) == s)
        #expect(MinHashSignature(bytes: [1, 2, 3]) == nil)
    }
}

@Suite struct DuplicateDetectorTests {
    let ledger: Ledger
    let detector: DuplicateDetector

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString).sqlite").path
        ledger = try Ledger(path: path)
        detector = DuplicateDetector(ledger: ledger)
    }

    let body = "Delegations from Korea and the United States met in Seoul for the fifth Civil Space Dialogue and reviewed joint work on lunar exploration, satellite navigation and space situational awareness. The two sides welcomed the signing of an implementing arrangement on the exchange of space weather data and discussed how the Korea Aerospace Administration will take part in future Artemis missions. They agreed to meet again next year in Washington to review progress on each area of cooperation."

    func save(_ id: String, _ text: String, published: String?, run: String = "r1", duplicateOf: String? = nil) throws {
        try ledger.save(LedgerDocument(id: id, kind: .record, url: "https://e.kr/\(id)", published: published,
                                       contentSHA256: Fingerprint.sha256Hex(text), signature: MinHashSignature(text: text),
                                       duplicateOf: duplicateOf, firstRun: run, lastRun: run))
    }

    func decide(_ id: String, _ text: String, published: String?) async throws -> DuplicateDetector.Decision {
        try await detector.decide(id: id, kind: .record, contentSHA256: Fingerprint.sha256Hex(text),
                            signature: MinHashSignature(text: text), published: published, threshold: 0.8)
    }

    @Test func exactAndNearCopiesAreDuplicatesOfTheOriginal() async throws {
        try save("a", body, published: "2024-02-21")
        guard case .duplicate(let of, let sim, let exact) = try await decide("b", body, published: "2024-03-01") else {
            Issue.record("exact copy not caught"); return
        }
        #expect(of.id == "a" && sim == 1 && exact)
        let edited = body.replacingOccurrences(of: "next year", with: "in the autumn")
        guard case .duplicate(let of2, let sim2, let exact2) = try await decide("c", edited, published: "2024-03-02") else {
            Issue.record("near copy not caught"); return
        }
        #expect(of2.id == "a" && !exact2 && sim2 >= 0.8 && sim2 < 1)
    }

    @Test func aDocumentIsNeverItsOwnDuplicate() async throws {
        try save("a", body, published: "2024-02-21")
        #expect(try await decide("a", body, published: "2024-02-21") == .original)
    }

    @Test func duplicatesPointAtTheRootOriginal() async throws {
        try save("a", body, published: "2024-02-21")
        try save("b", body + " Extra closing line.", published: "2024-03-01", duplicateOf: "a")
        guard case .duplicate(let of, _, _) = try await decide("c", body + " Extra closing line.", published: "2024-04-01") else {
            Issue.record("not a duplicate"); return
        }
        #expect(of.id == "a")
        // Re-deciding the original while its duplicate is in the ledger keeps it original.
        #expect(try await decide("a", body, published: "2024-02-21") == .original)
    }

    @Test func anEarlierPublishedCopySupersedes() async throws {
        try save("repost", body, published: "2024-03-15")
        guard case .supersedes(let old, _, _) = try await decide("orig", body, published: "2024-01-25") else {
            Issue.record("expected supersedes"); return
        }
        #expect(old.id == "repost")
        try save("orig", body, published: "2024-01-25")
        #expect(try ledger.redirectDuplicates(of: ["repost"], to: "orig") == ["repost"])
        #expect(try ledger.document(id: "repost")?.duplicateOf == "orig")
        #expect(try ledger.duplicates(of: "orig").map(\.id) == ["repost"])
    }

    @Test func sameTemplateDifferentBodiesAreDistinct() async throws {
        let menu = "Home News & Notice Press Releases Search Area KOGL Korea Open Government License"
        try save("a", menu + " Free public Wi-Fi will be installed on 2,000 additional intercity buses and in 350 urban parks this year.", published: nil)
        #expect(try await decide("b", menu + " Applications for the 2024 Young Scientist Awards are open until April 12 for researchers under the age of 40.", published: nil) == .original)
    }

    @Test func attachmentsAndRecordsAreSeparateSpaces() async throws {
        try save("a", body, published: nil)
        let d = try await detector.decide(id: "file", kind: .attachment, contentSHA256: Fingerprint.sha256Hex(body),
                                    signature: MinHashSignature(text: body), published: nil, threshold: 0.8)
        #expect(d == .original)
    }
}
