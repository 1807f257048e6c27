import CTSCore
import CTSIO
import Foundation

/// Where a command finds the questionnaires and reference tables when it is not told: the first of
/// `$CTS_HOME/<kind>`, the folder `cts.yaml` in the working folder names, `./<kind>` in the working
/// folder, and the copy built into cts (`EmbeddedDefaults`).
enum WorkingFolder {
    enum Kind: String {
        case questionnaires, reference
    }

    /// The folder (or file) to read `kind` from; `given` (the option) wins. Throws only when the
    /// configuration cannot be read or the built-in copy cannot be written.
    static func resolve(_ kind: Kind, given: String?) throws -> String {
        if let given { return given }
        let fm = FileManager.default
        if let home = ProcessInfo.processInfo.environment["CTS_HOME"], !home.isEmpty {
            let path = home + "/" + kind.rawValue
            guard fm.fileExists(atPath: path) else {
                throw InputError(
                    "CTS_HOME is \(home), which has no \(kind.rawValue) folder.", code: "config.invalid",
                    fix: "Lay it out with cts init \(home), or unset CTS_HOME.")
            }
            return path
        }
        if fm.fileExists(atPath: WorkingFolderConfig.fileName) {
            let config = try WorkingFolderConfig.load(path: WorkingFolderConfig.fileName)
            if let named = kind == .questionnaires ? config.questionnaires : config.reference { return named }
        }
        if fm.fileExists(atPath: kind.rawValue) { return kind.rawValue }
        return try EmbeddedDefaults.folder() + "/" + kind.rawValue
    }
}
