import CTSCore
import CTSStore
import Foundation
import Testing

@testable import CTSIO

/// The questionnaire workbook: its layout, written by libxlsxwriter and read back cell for cell, and the
/// workbooks real clients filled (openpyxl) and saved again (LibreOffice), made by
/// `scripts/check_workbook.sh --update` into Tests/Fixtures/xlsx.
@Suite struct WorkbookTests {
    let w = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]
    let fixtures = Repo.path("Tests/Fixtures/xlsx")

    func held(_ year: Int, _ table: String, _ variable: String, _ breakdown: [String], _ value: String) -> ReturnCell {
        ReturnCell(
            key: CellKey(country: "KEN", year: year, table: table, variable: variable, breakdown: breakdown),
            value: Double(value), rawValue: value, status: .normal, note: "",
            location: SourceLocation(file: "KEN.csv", line: 2, column: 8))
    }

    @Test func aTableWithBreakdownsGetsItsTotalEachCodeAndTheCombinationsHeld() throws {
        let q = Repo.questionnaire
        let layout = WorkbookLayout(
            questionnaire: q, reporter: "KEN", reporterName: "Kenya", reportingYear: 2021, previousYears: 2,
            held: [
                held(2020, "persons_suspected", "homicide", ["M", "_T", "NAT"], "40"),
                held(2019, "persons_suspected", "theft", ["_T", "_T", "_T"], "900"),
                held(2010, "persons_suspected", "theft", ["_T", "_T", "_T"], "800"),  // before the years shown
                held(2020, "national_offences", "CUM-101", ["", "", ""], "5"),  // national categories
            ])
        #expect(layout.years == [2021, 2020, 2019])
        #expect(layout.notShown == 1)
        #expect(layout.sheets.map(\.name).contains("persons_suspected"))
        // National categories held in the years shown are the rows of their table's sheet.
        let national = try #require(layout.sheets.first { $0.name == "national_offences" })
        #expect(national.table.variables.map(\.id) == ["CUM-101"])
        #expect(national.blocks.map(\.label) == ["Total", "Total", "Total"])
        let sheet = try #require(layout.sheets.first { $0.name == "persons_suspected" })
        let labels = sheet.blocks.filter { $0.year == 2021 }.map(\.label)
        #expect(labels == [
            "Total", "Male", "Female", "Unknown", "Adult (18 or older)", "Juvenile (under 18)", "Unknown",
            "National citizens", "Foreign citizens", "Unknown", "Male / National citizens",
        ])
        #expect(sheet.blocks.count == 3 * 11)
        #expect(sheet.blocks.first?.year == 2021 && sheet.blocks.last?.year == 2019)
        // The held figure is in its year's block, on its variable's row.
        let block = try #require(sheet.blocks.firstIndex { $0.year == 2020 && $0.breakdown == ["M", "_T", "NAT"] })
        #expect(sheet.prefill[block]?[0]?.value == "40")
        #expect(sheet.cells(variable: 0, block: block).value == CellReference(row: 7, column: 4 + 3 * block))
        // A table without breakdowns has one block a year.
        #expect(layout.sheets.first { $0.name == "police_offences" }?.blocks.map(\.label) == ["Total", "Total", "Total"])
    }

    /// Written from a store and read straight back, a workbook gives the held figures, cell for cell,
    /// each at its sheet and cell; the same inputs write the same bytes.
    @Test func aWorkbookFromTheStoreReadsBackCellForCell() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        #expect(runCTS(["ingest", Repo.path("submissions/KEN-2020.csv"), "--db", db, "-q"] + w).status == 0)
        let made = runCTS(["questionnaire", "workbook", "KEN", "--year", "2021", "--db", db, "--output", dir.path + "/KEN.xlsx"] + w)
        #expect(made.status == 0, "\(made.err)")
        #expect(made.out.contains("wrote \(dir.path)/KEN.xlsx: 8 tables, 2017–2021, 96 figures held pre-filled"), "\(made.out)")
        _ = runCTS(["questionnaire", "workbook", "KEN", "--year", "2021", "--db", db, "--output", dir.path + "/again.xlsx"] + w)
        #expect(FileManager.default.contents(atPath: dir.path + "/KEN.xlsx") == FileManager.default.contents(atPath: dir.path + "/again.xlsx"))

        let store = try Store(path: db)
        let q = Repo.questionnaire
        let stored = try store.currentCells(reporter: "KEN", tables: q.tables.map(\.id), dimensions: q.dimensionIDs)
            .map(\.cell).filter { (2017...2020).contains($0.key.year) }
        let read = try ReturnFixture.reader().read(path: dir.path + "/KEN.xlsx")
        #expect(read.findings.isEmpty, "\(read.findings)")
        func facts(_ cells: [ReturnCell]) -> [String] {
            cells.map { "\($0.key) \($0.rawValue) \($0.status.rawValue) \($0.note)" }.sorted()
        }
        #expect(read.cells.count == 96)
        #expect(facts(read.cells) == facts(stored))
        // Each cell is located at its figure's cell on its table's sheet.
        let homicide = try #require(read.cells.first { $0.key.table == "homicide_victims" && $0.key.year == 2020 && $0.key.breakdown[0] == "_T" })
        #expect(homicide.location.cellReference == "homicide_victims!P7")
        #expect(homicide.location.file == dir.path + "/KEN.xlsx")
    }

    /// National categories held get a sheet of their own, a row per category, and read back as they
    /// were stored; mapped again with the correspondence table at ingest, like the CSV.
    @Test func nationalCategoriesHeldGetTheirSheet() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        let table = Repo.path("Tests/Fixtures/store-v6/ken-iccs.csv")
        let ingest = runCTS(["ingest", Repo.path("Tests/Fixtures/store-v6/KEN-national.csv"), "--correspondence", table, "--db", db, "-q"] + w)
        #expect(ingest.status == 0, "\(ingest.out) \(ingest.err)")
        let made = runCTS(["questionnaire", "workbook", "KEN", "--year", "2021", "--db", db, "--output", dir.path + "/KEN.xlsx"] + w)
        #expect(made.status == 0, "\(made.err)")
        let read = try ReturnFixture.reader().read(path: dir.path + "/KEN.xlsx")
        let national = read.cells.filter { $0.key.table == "national_offences" }
        let stored = try Store(path: db).currentCells(
            reporter: "KEN", tables: ["national_offences"], dimensions: Repo.questionnaire.dimensionIDs)
        #expect(national.count == stored.count && !national.isEmpty)
        #expect(Set(national.map { "\($0.key) \($0.rawValue)" }) == Set(stored.map { "\($0.cell.key) \($0.cell.rawValue)" }))
        #expect(national.allSatisfy { $0.location.sheet == "national_offences" })
    }

    @Test func aBlankWorkbookNeedsNoStoreAndHoldsNoFigure() throws {
        let dir = TemporaryDirectory()
        let made = runCTS(["questionnaire", "workbook", "FRA", "--blank", "--output", dir.path] + w)
        #expect(made.status == 0, "\(made.err)")
        #expect(made.out.contains("FRA-2023.xlsx: 8 tables, 2019–2023, not pre-filled"), "\(made.out)")
        let read = try ReturnFixture.reader().check(path: dir.path + "/FRA-2023.xlsx")
        #expect(read.cellCount == 0)
        #expect(read.findings.map(\.ruleID) == ["file.no-rows"])
        // A year the questionnaire does not cover, an unknown reporter and a missing store are refused with the fix.
        let late = runCTS(["questionnaire", "workbook", "FRA", "--blank", "--year", "2031", "--output", dir.path] + w)
        #expect(late.status != 0 && late.err.contains("2031 is outside the reference years of UN-CTS/2024.1 (2003–2023)"), "\(late.err)")
        #expect(runCTS(["questionnaire", "workbook", "XXX", "--blank", "--output", dir.path] + w).status != 0)
        let missing = runCTS(["questionnaire", "workbook", "KEN", "--db", dir.path + "/none.sqlite"] + w)
        #expect(missing.status != 0 && missing.err.contains("There is no store"))
    }

    /// `--all`: one workbook per reporter with current figures, into a folder.
    @Test func allWritesOneWorkbookPerReporterInTheStore() throws {
        let dir = TemporaryDirectory()
        let db = dir.path + "/cts.sqlite"
        for file in ["KEN-2020.csv", "CHL-2020.csv"] {
            #expect(runCTS(["ingest", Repo.path("submissions/" + file), "--db", db, "-q"] + w).status == 0)
        }
        let run = runCTS(["questionnaire", "workbook", "--all", "--db", db, "--year", "2020", "--output", dir.path + "/wb"] + w)
        #expect(run.status == 0, "\(run.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/wb").sorted() == ["CHL-2020.xlsx", "KEN-2020.xlsx"])
        #expect(run.out.contains("2 workbooks written"), "\(run.out)")
        // Read back, the 2020 figures held are the store's, each workbook its own reporter's.
        let chile = try ReturnFixture.reader().read(path: dir.path + "/wb/CHL-2020.xlsx")
        #expect(!chile.cells.isEmpty && chile.countries == ["CHL"])
    }

    func rows(_ db: String) throws -> [[String]] {
        try Store(path: db).db.rows(
            """
            SELECT c.reporter, c.year, s.table_id, s.variable, s.breakdown, c.value, c.raw_value, c.status, c.note,
                c.withdrawn, c.ended_by IS NULL
            FROM cell_vintage c JOIN slot s ON s.id = c.slot_id ORDER BY 1, 2, 3, 4, 5, 11, 6
            """
        ).map {
            $0.map { value -> String in
                switch value {
                case .null: "NULL"
                case .integer(let v): String(v)
                case .real(let v): String(v)
                case .text(let v): v
                }
            }
        }
    }

    /// The done-when: a workbook filled by openpyxl (and one LibreOffice saved again) ingests to the same
    /// store rows as the equivalent CSV, which the fill script derived from the workbook on its own.
    @Test(arguments: ["KEN-2021-filled.xlsx", "KEN-2021-libreoffice.xlsx"])
    func aFilledWorkbookIngestsLikeItsCSV(workbook: String) throws {
        let dir = TemporaryDirectory()
        var stores: [String] = []
        for (name, file) in [("a", workbook), ("b", "KEN-2021-filled.csv")] {
            let db = dir.path + "/\(name).sqlite"
            for returnFile in [Repo.path("submissions/KEN-2020.csv"), fixtures + "/" + file] {
                let run = runCTS(["ingest", returnFile, "--db", db, "--allow-errors", "--received-at", "2026-06-01", "-q"] + w)
                #expect(run.status == 0, "\(run.out) \(run.err)")
            }
            stores.append(db)
        }
        let fromWorkbook = try rows(stores[0])
        #expect(fromWorkbook.count == 195)
        #expect(fromWorkbook == (try rows(stores[1])))
        // The revised earlier figure ended the stored one, and the history names its cell.
        #expect(fromWorkbook.contains { $0[1] == "2020" && $0[2] == "police_offences" && $0[3] == "homicide" && $0[5].hasPrefix("2045") && $0[10] == "1" })
        let history = runCTS(["history", "KEN", "--variable", "police_offences.homicide", "--year", "2020", "--db", stores[0]])
        #expect(history.out.contains("/\(workbook),7,police_offences!G7\n"), "\(history.out)")
        #expect(history.out.contains("submissions/KEN-2020.csv,137,\n"))
    }

    /// A figure typed as "1,215" and one typed beside the table are reported at their cells, in the
    /// terminal, the JSON report and the feedback report.
    @Test func mistakesInAFilledWorkbookArePlacedAtTheirCells() throws {
        let typed = try String(contentsOfFile: fixtures + "/typo.txt", encoding: .utf8).split(separator: "\n")
            .reduce(into: [String: String]()) { out, line in
                let parts = line.split(separator: " ")
                out[String(parts[0])] = String(parts[1])
            }
        let dir = TemporaryDirectory()
        let file = fixtures + "/KEN-2021-typo.xlsx"
        let run = runCTS(["validate", file, "--report", dir.path + "/r.json"] + w)
        #expect(run.status == 1)
        #expect(run.out.contains("\(file):\(typed["typo"]!)  error  value.thousands-separator"), "\(run.out)")
        #expect(run.out.contains("\(file):\(typed["stray"]!)  warning  xlsx.cell-not-read"))
        let json = try String(contentsOfFile: dir.path + "/r.json", encoding: .utf8)
        #expect(json.contains("\"cell_reference\" : \"\(typed["typo"]!)\""))
        let report = runCTS(["report", file, "--output", dir.path + "/reports"] + w)
        #expect(report.status != 2, "\(report.err)")
        let html = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/reports").filter { $0.hasSuffix(".html") }
        let page = try String(contentsOfFile: dir.path + "/reports/" + html[0], encoding: .utf8)
        #expect(page.contains(typed["typo"]!))
    }

    /// A folder of returns takes .xlsx beside .csv, and says why it passes over the rest.
    @Test func aFolderScanTakesWorkbooksAndNamesWhatItSkips() throws {
        let dir = TemporaryDirectory()
        let folder = dir.folder("returns", ["notes.txt": "hello", "old.xls": "x", "~$KEN-2021-filled.xlsx": "lock"])
        try FileManager.default.copyItem(atPath: fixtures + "/KEN-2021-filled.xlsx", toPath: folder + "/KEN-2021-filled.xlsx")
        let run = runCTS(["validate", folder] + w)
        #expect(run.out.contains("KEN-2021-filled.xlsx"), "\(run.out)")
        #expect(run.err.contains("skipped \(folder)/old.xls: a .xls workbook, which cts does not read: save it as .xlsx"), "\(run.err)")
        #expect(run.err.contains("skipped \(folder)/~$KEN-2021-filled.xlsx: a lock file"))
        #expect(run.err.contains("skipped \(folder)/notes.txt: not a return (.csv or .xlsx)"))
    }
}
