import CTSCore
import Foundation
import Testing

/// End-to-end: ingest, history and export run in process on real files and a real store.
@Suite struct StoreCommandTests {
    let workspace = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]

    @Test func ingestHistoryAndExportAsOf() throws {
        let dir = TemporaryDirectory()
        let db = ["--db", dir.path + "/cts.sqlite"]
        let v1 = dir.write("KEN-v1.csv", returnCSV(ReturnFixture.requiredRows()))
        var rows = ReturnFixture.requiredRows()
        rows[3][7] = "25"
        let v2 = dir.write("KEN-v2.csv", returnCSV(rows))

        let first = runCTS(["ingest", v1, "--received-at", "2026-01-10"] + workspace + db)
        #expect(first.status == 0, "\(first.out)\(first.err)")
        #expect(first.out.contains("8 added"))
        let again = runCTS(["ingest", v1] + workspace + db)
        #expect(again.out.contains("unchanged") && again.out.contains("already stored as submission 1"))
        let second = runCTS(["ingest", v2, "--received-at", "2026-03-01"] + workspace + db)
        #expect(second.out.contains("1 revised, 7 unchanged"))

        let history = runCTS(["history", "KEN", "--variable", "robbery"] + db)
        #expect(history.status == 0)
        let lines = history.out.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].contains(",10,") && lines[1].contains("KEN-v1.csv"))
        #expect(lines[2].contains(",25,") && lines[2].contains("KEN-v2.csv"))

        let now = dir.path + "/now"
        let then = dir.path + "/then"
        try FileManager.default.createDirectory(atPath: now, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: then, withIntermediateDirectories: true)
        #expect(runCTS(["export", "--output", now] + workspace + db).status == 0)
        #expect(runCTS(["export", "--output", then, "--as-of", "2026-02-01"] + workspace + db).status == 0)
        let current = try String(contentsOfFile: now + "/observations.csv", encoding: .utf8)
        let past = try String(contentsOfFile: then + "/observations.csv", encoding: .utf8)
        #expect(current.contains("police_offences.robbery,0401,2,,,,25,A,false,2\n"))
        #expect(past.contains("police_offences.robbery,0401,2,,,,10,A,false,1\n"))
        let sdmx = try String(contentsOfFile: now + "/observations.sdmx.csv", encoding: .utf8)
        #expect(
            sdmx.hasPrefix(
                "DATAFLOW,REF_AREA,INDICATOR,SERIES,ICCS,SEX,AGE,CITIZENSHIP,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"))
        #expect(sdmx.contains(",KEN,OFFENCES_RECORDED,police_offences.robbery,ICCS0401,_Z,_Z,_Z,2020,25,A"))
        // Same store, same export, same bytes.
        #expect(runCTS(["export", "--output", now] + workspace + db).status == 0)
        #expect(try String(contentsOfFile: now + "/observations.csv", encoding: .utf8) == current)
    }

    @Test func returnsWithErrorsAreRejectedUnlessAllowed() throws {
        let dir = TemporaryDirectory()
        let db = ["--db", dir.path + "/cts.sqlite"]
        var rows = ReturnFixture.requiredRows()
        rows[2][7] = "1,234"
        let bad = dir.write("bad.csv", returnCSV(rows.map { $0.map { $0.contains(",") ? "\"\($0)\"" : $0 } }))
        let refused = runCTS(["ingest", bad] + workspace + db)
        #expect(refused.status == 1)
        #expect(refused.out.contains("rejected") && refused.out.contains("1 error;"))
        let allowed = runCTS(["ingest", bad, "--allow-errors"] + workspace + db)
        #expect(allowed.status == 0)
        #expect(allowed.out.contains("(stored with 1 error: --allow-errors)"))
        #expect(allowed.out.contains("7 added"))
    }

    @Test func subNationalReportersFormTheirCountryInTheExport() throws {
        let dir = TemporaryDirectory()
        let db = ["--db", dir.path + "/cts.sqlite"]
        for (unit, value) in [("GBR_EW", "500"), ("GBR_S", "60"), ("GBR_NI", "20")] {
            let rows = ReturnFixture.requiredRows(value: value).map { [unit] + $0.dropFirst() }
            let file = dir.write("\(unit).csv", returnCSV(rows))
            #expect(runCTS(["ingest", file] + workspace + db).status == 0)
        }
        let out = dir.path + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let export = runCTS(["export", "--output", out] + workspace + db)
        #expect(export.out.contains("(8 derived from reporting units)"))
        let csv = try String(contentsOfFile: out + "/observations.csv", encoding: .utf8)
        #expect(csv.contains("GBR,GBR,826,2020,offences_recorded,police_offences.homicide,0101,2,,,,580,A,true,\n"))
    }

    @Test func nationalFiguresWithoutACorrespondenceAreKeptAndCounted() throws {
        let dir = TemporaryDirectory()
        let db = ["--db", dir.path + "/cts.sqlite"]
        let rows =
            ReturnFixture.requiredRows() + [
                ["KEN", "2020", "national_offences", "101", "", "", "", "40", "", ""],
                ["KEN", "2020", "national_offences", "102", "", "", "", "2", "", ""],
            ]
        let file = dir.write("r.csv", returnCSV(rows))
        let result = runCTS(["ingest", file] + workspace + db)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("10 added"))
        #expect(result.out.contains("2 national figures kept as received but not normalized (give --correspondence)"))
    }

    @Test func correspondenceErrorsStopIngestBeforeAnythingIsStored() throws {
        let dir = TemporaryDirectory()
        let db = ["--db", dir.path + "/cts.sqlite"]
        let table = dir.write("tc.csv", "national_code,national_label,iccs,relation,share\n101,Homicidio,0110,exact,\n")
        let file = dir.write("r.csv", returnCSV(ReturnFixture.requiredRows()))
        let result = runCTS(["ingest", file, "--correspondence", table] + workspace + db)
        #expect(result.status == 2)
        #expect(result.err.contains("tc.csv:2:3"))
        #expect(result.err.contains("nothing was done") && result.err.contains("--skip-invalid-rows"))
    }
}
