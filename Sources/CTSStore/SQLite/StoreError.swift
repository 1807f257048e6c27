/// A store that cts cannot use as it is: not a cts store, written by a newer cts, made by a development
/// build, or damaged. Carries the store's path and what to do; SQLite's own failures stay `DatabaseError`.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the store.
    public enum Kind: String, Sendable {
        /// The file is an SQLite database that cts did not make (tables of its own, no cts version).
        case notAStore = "store.not-cts"
        /// Its schema version is newer than this cts knows.
        case tooNew = "store.too-new"
        /// Its schema version is one no cts release wrote (a development build, or a version below 0).
        case unsupported = "store.unsupported"
        /// Its rows break what the schema promises (a migration found them inconsistent).
        case corrupt = "store.corrupt"
    }

    public var kind: Kind
    public var path: String
    public var message: String
    public var fix: String

    public init(_ kind: Kind, path: String, message: String, fix: String) {
        self.kind = kind
        self.path = path
        self.message = message
        self.fix = fix
    }

    public var description: String { "\(message)\n  fix: \(fix)" }
}
