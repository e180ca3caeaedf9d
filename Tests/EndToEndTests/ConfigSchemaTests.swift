import Foundation
import Testing
@testable import Trawl

/// `schema/pipeline.schema.json` describes exactly the keys the loader accepts: at every object
/// of the config, the loader is asked what it expects (an unknown key's error lists them) and
/// the schema's properties there must be the same set. Configs the loader accepts validate.
@Suite struct ConfigSchemaTests {
    static let schemaFile = Harness.projectRoot.appendingPathComponent("schema/pipeline.schema.json")

    static var minimal: [String: Any] {
        ["output": "out", "sinks": [["name": "pg", "type": "postgres", "url": "postgres://db/x"]],
         "sources": [["name": "s", "type": "http", "base_url": "https://e.kr/", "seeds": ["list.do"], "listing": ["releases": "//a"],
                      "release": ["title": "//h1"], "near_duplicates": ["threshold": 0.8], "http": ["retries": 1],
                      "incremental": ["delete_after_runs": 2], "url_parameters": ["drop": ["pageIndex"]]]],
         "workers": ["pages": 1], "limits": ["max_page_bytes": 4096], "extraction": ["workers": 1, "formats": ["hwp": ["memory_mb": 4096]]],
         "pdf": ["max_pages": 10], "documents": ["max_depth": 1], "ocr": ["mode": "off"]]
    }

    /// Where each object sits in the config and in the schema.
    static let places: [(config: [String], schema: [String])] = [
        ([], []), (["workers"], ["properties", "workers"]), (["limits"], ["properties", "limits"]),
        (["extraction"], ["properties", "extraction"]), (["extraction", "formats"], ["properties", "extraction", "properties", "formats"]),
        (["extraction", "formats", "hwp"], ["$defs", "formatCaps"]),
        (["pdf"], ["properties", "pdf"]), (["documents"], ["properties", "documents"]), (["ocr"], ["properties", "ocr"]),
        (["sinks", "0"], ["$defs", "sink"]), (["sources", "0"], ["$defs", "source"]),
        (["sources", "0", "listing"], ["$defs", "source", "properties", "listing"]),
        (["sources", "0", "release"], ["$defs", "source", "properties", "release"]),
        (["sources", "0", "near_duplicates"], ["$defs", "source", "properties", "near_duplicates"]),
        (["sources", "0", "http"], ["$defs", "source", "properties", "http"]),
        (["sources", "0", "incremental"], ["$defs", "source", "properties", "incremental"]),
        (["sources", "0", "url_parameters"], ["$defs", "source", "properties", "url_parameters"]),
    ]

    static func inserting(_ key: String, at path: [String], into value: Any) -> Any {
        guard let first = path.first else {
            var object = value as! [String: Any]
            object[key] = 1
            return object
        }
        if var array = value as? [Any], let i = Int(first) {
            array[i] = inserting(key, at: Array(path.dropFirst()), into: array[i])
            return array
        }
        var object = value as! [String: Any]
        object[first] = inserting(key, at: Array(path.dropFirst()), into: object[first]!)
        return object
    }

    /// The keys the loader lists as expected at `path`.
    static func loaderKeys(at path: [String]) throws -> Set<String> {
        let config = inserting("zz_unknown", at: path, into: minimal)
        let data = try JSONSerialization.data(withJSONObject: config)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline.json")
        do { _ = try ConfigLoader().parse(data, file: file) } catch let e as ConfigErrors {
            guard let error = e.errors.first(where: { $0.path.hasSuffix(".zz_unknown") || $0.path == "$.zz_unknown" }),
                  let list = error.reason.components(separatedBy: "expected one of: ").last?.dropLast() else { return [] }
            return Set(list.components(separatedBy: ", "))
        }
        return []
    }

    @Test func theSchemaNamesExactlyTheKeysTheLoaderAccepts() throws {
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaFile)) as! [String: Any]
        for place in Self.places {
            var node: Any = schema
            for step in place.schema { node = (node as! [String: Any])[step]! }
            let properties = Set(((node as! [String: Any])["properties"] as! [String: Any]).keys)
            let loader = try Self.loaderKeys(at: place.config)
            #expect(!loader.isEmpty, "the loader named no keys at \(place.config)")
            #expect(properties == loader, "at $.\(place.config.joined(separator: ".")): schema \(properties.sorted()), loader \(loader.sorted())")
        }
    }

    @Test func configsTheLoaderAcceptsValidate() throws {
        let validator = try JSONSchemaValidator(schema: Data(contentsOf: Self.schemaFile))
        let shipped = try JSONSerialization.jsonObject(with: Data(contentsOf: Harness.projectRoot.appendingPathComponent("pipeline.json")))
        let shippedFailures = try validator.validate(shipped)
        #expect(shippedFailures.isEmpty, "\(shippedFailures)")
        let minimalFailures = try validator.validate(Self.minimal)
        #expect(minimalFailures.isEmpty, "\(minimalFailures)")
        let unknown = try validator.validate(Self.inserting("zz_unknown", at: ["extraction"], into: Self.minimal))
        #expect(!unknown.isEmpty, "an unknown key fails the schema as it fails the loader")
    }
}
