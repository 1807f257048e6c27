import ArgumentParser
import Foundation

/// How a command prints its results: for people, or as JSON for programs.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json

    /// `body` as a command's JSON output: `tool`, `version` and `command`, then the body's own fields
    /// (one object per command, whose shape docs/schemas/<command>.schema.json gives).
    static func json<Body: Encodable>(command: String, _ body: Body) throws -> String {
        try json(CommandOutput(command: command, body: body))
    }

    /// Encodes `value` as pretty JSON with sorted keys and snake_case names, ending in a newline.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

/// The fields every command's JSON output starts with, then the command's own (`body`, a keyed object).
struct CommandOutput<Body: Encodable>: Encodable {
    var tool = "cts"
    var version = CTS.version
    var command: String
    var body: Body

    private enum Keys: String, CodingKey {
        case tool, version, command
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(tool, forKey: .tool)
        try container.encode(version, forKey: .version)
        try container.encode(command, forKey: .command)
        try body.encode(to: encoder)
    }
}
