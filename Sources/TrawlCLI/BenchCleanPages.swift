import ArgumentParser
import Foundation
import TrawlNormalize

/// Puts text read by another tool through the cleaning a PDF's page texts get in a record
/// (paragraphs from lines, running headers and page numbers dropped, line-broken words
/// joined, normalisation), so that an accuracy script compares readings, not cleaners.
struct CleanPages: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean-pages",
        abstract: "Clean page texts from stdin (pages separated by form feeds) as a PDF record's text is cleaned.")

    func run() throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let pages = input.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
        FileHandle.standardOutput.write(Data((PDFTextCleaner().recordText(pages: pages) + "\n").utf8))
    }
}
