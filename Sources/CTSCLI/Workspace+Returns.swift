import CTSCore
import CTSIO
import CTSStore

extension Workspace {
    /// A return read and validated: the cells, the report, and the questionnaire it follows.
    struct CheckedReturn {
        var parsed: ParsedReturn
        var report: ReturnReport
    }

    func reader(encoding: TextEncoding) -> ReturnReader {
        ReturnReader(
            catalog: catalog, countries: reference.countries, encoding: encoding, population: reference.population)
    }

    /// Reads `file` and runs every check on it. Throws only when the file cannot be read.
    /// The cells are not kept: a command reads them again as it needs them (`ReturnReader.forEachCell`),
    /// so memory holds about one country's cells whatever the size of the return.
    ///
    /// With a store, what the return does not hold is looked up in the store's current figures of its
    /// reporters: the previous year for `prev()`, a required figure a correction does not restate.
    func check(_ file: String, with reader: ReturnReader, store: Store? = nil) throws -> CheckedReturn {
        let history = store.map { store in
            let dimensions = catalog.defaultQuestionnaire?.dimensionIDs ?? []
            var shared: StoredCells.Shared?
            return ReturnHistory { reporter in
                if shared == nil { shared = try StoredCells.Shared(store: store, dimensions: dimensions) }
                return try StoredCells(store: store, reporter: reporter, shared: shared!)
            }
        }
        let parsed = try reader.check(path: file, history: history)
        let report = ReturnReport(
            file: file, questionnaire: parsed.questionnaire, rows: parsed.rowCount, cellCount: parsed.cellCount,
            countries: parsed.countries, years: parsed.years, findings: parsed.findings, omitted: parsed.omitted)
        return CheckedReturn(parsed: parsed, report: report)
    }

    /// Lists the returns named by `paths` (files, or folders of `*.csv` and `*.xlsx`); problems go to the console, and
    /// so does every entry of a folder that is not taken, with the reason. Returns the files, how many
    /// entries were skipped, and whether any path could not be read.
    static func returnFiles(_ paths: [String], console: Console) -> (files: [String], unreadable: Bool, skipped: Int) {
        var files: [String] = []
        var unreadable = false
        var skipped = 0
        for path in paths {
            do {
                let found = try FileSystem.listFiles(path, extensions: ["csv", "xlsx"])
                if found.files.isEmpty { console.err("cts: no returns (*.csv, *.xlsx) in \(path)\n") }
                for (entry, reason) in found.skipped { console.err("cts: skipped \(entry): \(reason)\n") }
                files += found.files
                skipped += found.skipped.count
            } catch let error as InputError {
                console.err("cts: \(error.message) \(error.fix ?? "")\n")
                unreadable = true
            } catch {
                console.err("cts: \(error)\n")
                unreadable = true
            }
        }
        return (files, unreadable, skipped)
    }
}
