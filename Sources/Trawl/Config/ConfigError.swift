/// A problem with `pipeline.json`, naming the JSON path (`$.sources[0].base_url`) and why.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let path: String
    public let reason: String

    public init(file: String, path: String, reason: String) {
        self.file = file; self.path = path; self.reason = reason
    }

    public var description: String { "\(file): \(path): \(reason)" }
}

/// All problems found in one config, so that an operator fixes them in one pass.
public struct ConfigErrors: Error, CustomStringConvertible, Sendable {
    public let errors: [ConfigError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
