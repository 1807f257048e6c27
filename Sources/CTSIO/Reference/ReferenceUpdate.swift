import CTSCore

/// Replaces reference tables with newer files after checking them: the new set must load as a whole
/// (every ICCS parent present, population only for known countries, ...), and each file's changes are
/// counted by key so the user sees what moves.
public enum ReferenceUpdate {
    public struct FileChange: Sendable, Equatable {
        public var file: String
        public var added: Int
        public var removed: Int
        public var changed: Int
        public var unchanged: Int
        /// Every row added, removed or changed, by key.
        public var rows: [RowChange] = []
        public var isChange: Bool { added + removed + changed > 0 }
    }

    /// One row that moves: its key columns, and its fields before and after (nil where it is absent).
    public struct RowChange: Sendable, Equatable {
        public var key: [String]
        public var before: [String]?
        public var after: [String]?

        /// "+ KEN,2021,54027487", "- XKX,...", "~ KEN,2020: 53005614 -> 53005615" (changed fields only).
        public var line: String {
            switch (before, after) {
            case (nil, let after?): return "+ " + after.joined(separator: ",")
            case (let before?, nil): return "- " + before.joined(separator: ",")
            case (let before?, let after?):
                let fields = zip(before, after).filter { $0 != $1 }
                return "~ " + key.joined(separator: ",") + ": "
                    + fields.map { "\($0.0) -> \($0.1)" }.joined(separator: ", ")
            default: return ""
            }
        }
    }

    /// The columns that identify a row of each file.
    static func keyColumns(_ file: String) -> Int { file == "population.csv" ? 2 : 1 }

    /// Checks the files in `incoming` (any subset of `ReferenceData.files`) together with the rest of
    /// `current`, and says what would change. Throws, naming file and line, if the new set is invalid.
    public static func plan(current: String, incoming: String) throws -> [FileChange] {
        let present = Set(ReferenceData.files.filter { FileInput.isReadableFile(incoming + "/" + $0) })
        guard !present.isEmpty else {
            throw InputError(
                "\(incoming) holds none of the reference files (\(ReferenceData.files.joined(separator: ", "))).",
                code: "reference.invalid")
        }
        _ = try ReferenceData.load { present.contains($0) ? incoming + "/" + $0 : current + "/" + $0 }
        return try ReferenceData.files.filter(present.contains).map { name in
            let old = try CSVTable.read(path: current + "/" + name, required: [])
            let new = try CSVTable.read(path: incoming + "/" + name, required: [])
            guard old.header == new.header else {
                throw InputError(
                    "The columns of \(name) differ from the current file's (\(old.header.joined(separator: ","))).",
                    code: "reference.invalid", at: SourceLocation(file: incoming + "/" + name, line: 1, column: 1))
            }
            let n = keyColumns(name)
            func index(_ t: CSVTable) -> [[String]: [String]] {
                Dictionary(t.records.map { (Array($0.fields.prefix(n)), $0.fields) }, uniquingKeysWith: { a, _ in a })
            }
            let before = index(old)
            let after = index(new)
            var change = FileChange(file: name, added: 0, removed: 0, changed: 0, unchanged: 0)
            for (key, row) in after {
                if let was = before[key] {
                    if was == row {
                        change.unchanged += 1
                    } else {
                        change.changed += 1
                        change.rows.append(RowChange(key: key, before: was, after: row))
                    }
                } else {
                    change.added += 1
                    change.rows.append(RowChange(key: key, before: nil, after: row))
                }
            }
            for (key, row) in before where after[key] == nil {
                change.removed += 1
                change.rows.append(RowChange(key: key, before: row, after: nil))
            }
            change.rows.sort { $0.key.lexicographicallyPrecedes($1.key) }
            return change
        }
    }

    /// Copies the changed files from `incoming` over those in `current`, each atomically.
    public static func apply(_ changes: [FileChange], current: String, incoming: String) throws {
        for change in changes where change.isChange {
            let bytes = try FileInput.readAll(incoming + "/" + change.file)
            try AtomicFile.write(String(decoding: bytes, as: UTF8.self), to: current + "/" + change.file)
        }
    }
}
