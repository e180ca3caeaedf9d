/// Why a PDF could not be read. The message names the input.
public struct PDFError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable, Codable {
        /// The bytes are not a PDF at all (no `%PDF-` header).
        case notPDF = "not_pdf"
        /// A user password is required and none (or a wrong one) was given.
        case encrypted
        /// Poppler could not parse the file.
        case damaged
        /// The file is empty.
        case empty
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
