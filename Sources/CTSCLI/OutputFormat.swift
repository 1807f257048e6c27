import ArgumentParser
import Foundation

/// How a command prints its results: for people, or as JSON for programs.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json

    /// Encodes `value` as pretty JSON with sorted keys and snake_case names, ending in a newline.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
