/// Why a PDF could not be read. The message names the input.
public struct PDFError: Error, CustomStringConvertible, Sendable, Equatable, Codable {
    public enum Code: String, Sendable, Codable {
        /// The bytes are not a PDF at all (no `%PDF-` header).
        case notPDF = "not_pdf"
        /// A user password is required and none (or a wrong one) was given.
        case encrypted
        /// Poppler could not parse the file.
        case damaged
        /// The file is empty.
        case empty
        /// The extraction worker ran past its wall-clock limit and was killed.
        case timeout
        /// The worker exceeded its memory cap.
        case memory
        /// The worker exceeded its CPU-time cap.
        case cpu
        /// The worker died (a signal or an unexpected exit) while reading this file.
        case crash
        /// The file crashed or hung a worker in an earlier run and is skipped until its
        /// bytes change or the operator clears it.
        case quarantined
        /// The file is larger than the configured limit.
        case tooLarge = "too_large"
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
