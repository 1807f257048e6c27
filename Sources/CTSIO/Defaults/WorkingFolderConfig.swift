import CTSCore
import Yams

/// `cts.yaml` in the working folder: where that folder's questionnaires and reference tables are, for
/// every command run there without `--questionnaires` or `--reference`.
///
/// ```yaml
/// questionnaires: definitions      # a folder or one file, relative to cts.yaml
/// reference: /srv/cts/reference-2027
/// ```
public struct WorkingFolderConfig: Sendable, Equatable {
    public static let fileName = "cts.yaml"
    public static let keys = ["questionnaires", "reference"]

    /// The folders named, as given (relative paths are relative to the config's folder).
    public var questionnaires: String?
    public var reference: String?

    public init(questionnaires: String? = nil, reference: String? = nil) {
        self.questionnaires = questionnaires
        self.reference = reference
    }

    /// Reads `path`; throws, naming the file and the fix, when it is not a mapping of known keys to
    /// texts.
    public static func load(path: String) throws -> WorkingFolderConfig {
        let text = String(decoding: try FileInput.readAll(path), as: UTF8.self)
        func problem(_ message: String) -> InputError {
            InputError(
                message, code: "config.invalid", at: SourceLocation(file: path, line: 1, column: 1),
                fix: "Write it as lines of key: value, with keys \(keys.joined(separator: " and ")).")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw problem("\(path) is not valid YAML: \(error).") }
        guard let node else { return WorkingFolderConfig() }
        guard let mapping = node.mapping else { throw problem("\(path) must be a mapping of key: value.") }
        var config = WorkingFolderConfig()
        for (key, value) in mapping {
            guard let name = key.string, keys.contains(name) else {
                throw problem("\(path) has an unknown key \"\(key.string ?? "?")\".")
            }
            guard let folder = value.string, !folder.isEmpty else {
                throw problem("\(path): \(name) must name a folder or file.")
            }
            if name == "questionnaires" { config.questionnaires = folder } else { config.reference = folder }
        }
        return config
    }
}
