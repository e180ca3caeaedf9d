import Foundation

/// A JSON Schema (2020-12) validator for the keywords Trawl's published schemas use. A schema
/// with any other keyword is rejected, so the check can never pass by ignoring a rule.
struct JSONSchemaValidator {
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs"]
    static let assertions: Set<String> = ["type", "enum", "pattern", "minLength", "minimum", "properties",
                                          "required", "additionalProperties", "items", "$ref", "oneOf"]
    let root: [String: Any]

    init(schema: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: schema) as? [String: Any] else {
            throw Failure(path: "$", reason: "schema is not an object")
        }
        self.root = root
    }

    /// All violations of `instance` (empty when valid).
    func validate(_ instance: Any) throws -> [Failure] {
        var failures: [Failure] = []
        try check(instance, against: root, path: "$", into: &failures)
        return failures
    }

    private func resolve(_ ref: String) throws -> [String: Any] {
        guard ref.hasPrefix("#/") else { throw Failure(path: ref, reason: "only local $ref is supported") }
        var node: Any = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(part)] else { throw Failure(path: ref, reason: "unresolvable $ref") }
            node = next
        }
        guard let schema = node as? [String: Any] else { throw Failure(path: ref, reason: "$ref target is not a schema") }
        return schema
    }

    private func check(_ value: Any, against schema: [String: Any], path: String, into failures: inout [Failure]) throws {
        for key in schema.keys where !Self.annotations.contains(key) && !Self.assertions.contains(key) {
            throw Failure(path: path, reason: "schema keyword '\(key)' is not supported by this validator")
        }
        if let ref = schema["$ref"] as? String {
            try check(value, against: try resolve(ref), path: path, into: &failures)
        }
        if let types = schema["type"] {
            let allowed = (types as? [String]) ?? [(types as? String) ?? ""]
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                failures.append(Failure(path: path, reason: "expected \(allowed.joined(separator: " or ")), got \(Self.typeName(value))"))
                return
            }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            failures.append(Failure(path: path, reason: "value not in enum \(options)"))
        }
        if let s = value as? String {
            if let min = schema["minLength"] as? Int, s.count < min {
                failures.append(Failure(path: path, reason: "shorter than \(min)"))
            }
            if let pattern = schema["pattern"] as? String,
               s.range(of: pattern, options: .regularExpression) == nil {
                failures.append(Failure(path: path, reason: "'\(s.prefix(80))' does not match \(pattern)"))
            }
        }
        if let n = value as? NSNumber, !(isBool(value)), let min = schema["minimum"] as? Double, n.doubleValue < min {
            failures.append(Failure(path: path, reason: "\(n) is below \(min)"))
        }
        if let oneOf = schema["oneOf"] as? [[String: Any]] {
            var passing = 0
            for option in oneOf {
                var sub: [Failure] = []
                try check(value, against: option, path: path, into: &sub)
                if sub.isEmpty { passing += 1 }
            }
            if passing != 1 { failures.append(Failure(path: path, reason: "matches \(passing) of the oneOf options, expected exactly 1")) }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                failures.append(Failure(path: "\(path).\(key)", reason: "required key missing"))
            }
            for (key, v) in object {
                if let p = properties[key] {
                    try check(v, against: p, path: "\(path).\(key)", into: &failures)
                } else if let extra = schema["additionalProperties"] {
                    if let allowed = extra as? Bool {
                        if !allowed { failures.append(Failure(path: "\(path).\(key)", reason: "unexpected key")) }
                    } else if let s = extra as? [String: Any] {
                        try check(v, against: s, path: "\(path).\(key)", into: &failures)
                    }
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, v) in array.enumerated() { try check(v, against: items, path: "\(path)[\(i)]", into: &failures) }
        }
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "boolean": return isBool(value)
        case "integer":
            guard !(isBool(value)), let n = value as? NSNumber else { return false }
            return n.doubleValue == n.doubleValue.rounded()
        case "number": return !(isBool(value)) && value is NSNumber
        case "string": return value is String
        case "array": return value is [Any]
        case "object": return value is [String: Any]
        default: return false
        }
    }

    private static func typeName(_ value: Any) -> String {
        ["null", "boolean", "integer", "number", "string", "array", "object"].first { matches(value, type: $0) } ?? "unknown"
    }

    private static func equal(_ a: Any, _ b: Any) -> Bool {
        if let a = a as? NSNumber, let b = b as? NSNumber, !isBool(a), !isBool(b) { return a == b }
        if let a = a as? String, let b = b as? String { return a == b }
        if isBool(a), isBool(b), let a = a as? Bool, let b = b as? Bool { return a == b }
        return false
    }
}

/// JSONSerialization returns booleans as NSNumber; on Linux `is Bool` is also true for the
/// integers 0 and 1, so the boolean class is compared instead.
func isBool(_ value: Any) -> Bool {
    guard let n = value as? NSNumber else { return false }
    return type(of: n) == type(of: NSNumber(value: true))
}
