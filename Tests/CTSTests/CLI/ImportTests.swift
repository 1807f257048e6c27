import CTSCLI
import Foundation
import Testing

/// `cts import eurostat`: Eurostat's offences by ICCS category become returns, one per reporter, which
/// then validate and ingest like any other; nothing is left out without being counted or listed.
@Suite struct ImportTests {
    let w = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]

    @Test func anExtractBecomesOneReturnPerReporter() throws {
        let dir = TemporaryDirectory()
        let out = dir.path + "/eu"
        let run = runCTS(["import", "eurostat", Repo.path("Tests/Fixtures/eurostat/crim_off_cat-extract.tsv"), "--output", out] + w)
        #expect(run.status == 0, "\(run.err)")
        // Greece is EL, Kosovo XK, England and Wales UKC-L; a rate row and a code the questionnaire lacks
        // are counted and listed; the UK's and Kosovo's years without any figure are left out.
        #expect(run.out.contains(":7: skipped A,ICCS05012,NR,DE: ICCS 05012 is not a variable of the questionnaire"), "\(run.out)")
        #expect(run.out.contains("Imported 85 figures of 4 reporters"), "\(run.out)")
        #expect(run.out.contains("Left out: 1 rows of rates, 5 values not available (:) in years the reporter has no figure, 1 rows listed above."))
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["DEU-eurostat.csv", "GBR_EW-eurostat.csv", "GRC-eurostat.csv", "XKX-eurostat.csv"])
        let greece = try String(contentsOfFile: out + "/GRC-eurostat.csv", encoding: .utf8)
        #expect(greece.hasPrefix("country,year,table,variable,sex,age,citizenship,value,status,note\n"))
        #expect(greece.contains("GRC,2008,police_offences,homicide,,,,139,,Eurostat crim_off_cat ICCS0101 EL\n"))
        // Imported again: the same files, unchanged.
        #expect(runCTS(["import", "eurostat", Repo.path("Tests/Fixtures/eurostat/crim_off_cat-extract.tsv"), "--output", out] + w)
            .out.contains("0 returns written, 4 unchanged"))
        // The returns are read like any return: Kosovo's lacks the other offences the table requires, and
        // validate says so.
        let checked = runCTS(["validate", out + "/XKX-eurostat.csv"] + w)
        #expect(checked.out.contains("variable.required") && checked.out.contains("(XKX, 2008–2021"), "\(checked.out)")
    }

    @Test(
        .enabled(
            if: FileManager.default.fileExists(
                atPath: Repo.root + "/../shared/data/eurostat_crim_off_cat/estat_crim_off_cat.tsv")))
    func theWholeDatasetImportsValidatesAndIngests() throws {
        let dir = TemporaryDirectory()
        let out = dir.path + "/eu"
        let run = runCTS([
            "import", "eurostat", Repo.root + "/../shared/data/eurostat_crim_off_cat/estat_crim_off_cat.tsv",
            "--output", out,
        ] + w)
        #expect(run.out.contains("Imported 8376 figures of 41 reporters"), "\(run.out)")
        #expect(run.out.contains("2577 values not available (:) kept as empty with status L"))
        #expect(run.out.contains("Left out: 774 rows of rates, 222 values not available (:) in years the reporter has no figure, 39 rows listed above."))
        // Turkey's table lacks serious assault altogether: that return is refused, the 40 others stored.
        let ingest = runCTS(["ingest", out, "--db", dir.path + "/cts.sqlite", "-q"] + w)
        #expect(ingest.out.contains("40 stored, 1 rejected"), "\(ingest.out)")
        #expect(ingest.out.contains("rejected \(out)/TUR-eurostat.csv"))
    }

    /// UNODC's export as downloaded: Windows-1252, banner lines, a reporting unit, rates and a category
    /// with no variable; the shipped mapping gives each category its variable.
    @Test func aUNODCExportBecomesReturns() throws {
        let dir = TemporaryDirectory()
        let out = dir.path + "/un"
        let file = Repo.path("Tests/Fixtures/unodc/corruption-extract.csv")
        let run = runCTS(["import", "unodc", file, "--output", out] + w)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("(windows-1252, 2 banner lines passed over): 5 figures of 4 reporters; left out 1 rows of rates and 1 rows listed above."), "\(run.out)")
        #expect(run.out.contains("skipped 1 row: no variable for Acts against the environment"), "\(run.out)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["ALB-unodc.csv", "CIV-unodc.csv", "DEU-unodc.csv", "GBR_EW-unodc.csv"])
        let germany = try String(contentsOfFile: out + "/DEU-unodc.csv", encoding: .utf8)
        #expect(germany.contains("DEU,2015,police_offences,theft,,,,1348955,,UNODC corruption-extract.csv line 7\n"), "\(germany)")
        let checked = runCTS(["validate", out + "/GBR_EW-unodc.csv"] + w)
        #expect(checked.out.contains("(GBR_EW, 2015"), "\(checked.out)")
    }
}

/// `cts import eurostat` on SDMX-CSV: the same figures as the bulk TSV, and labels, flags and layout 2.0.
@Suite struct EurostatSDMXImportTests {
    let w = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]

    /// The extract's TSV written as Eurostat's SDMX-CSV 1.0 (one observation a row, `:` as an empty value).
    func sdmx(fromTSV path: String) throws -> String {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let years = lines[0].split(separator: "\t").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        var out = "DATAFLOW,LAST UPDATE,freq,iccs,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        for line in lines.dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            for (year, cell) in zip(years, fields.dropFirst()) {
                let parts = cell.trimmingCharacters(in: .whitespaces).split(separator: " ")
                let value = parts.first.map { $0 == ":" ? "" : String($0) } ?? ""
                let flag = parts.count > 1 ? String(parts[1]) : ""
                out += "ESTAT:CRIM_OFF_CAT(1.0),06/03/24 23:00:00,\(fields[0]),\(year),\(value),\(flag)\n"
            }
        }
        return out
    }

    @Test func sdmxCSVImportsTheSameReturnsAsTheBulkTSV() throws {
        let dir = TemporaryDirectory()
        let tsv = Repo.path("Tests/Fixtures/eurostat/crim_off_cat-extract.tsv")
        let csv = dir.write("crim_off_cat.csv", try sdmx(fromTSV: tsv))
        let a = runCTS(["import", "eurostat", tsv, "--output", dir.path + "/tsv"] + w)
        let b = runCTS(["import", "eurostat", csv, "--output", dir.path + "/sdmx"] + w)
        #expect(a.status == 0 && b.status == 0, "\(b.err)")
        #expect(b.out.contains("Imported 85 figures of 4 reporters"), "\(b.out)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/tsv").sorted()
        #expect(files == (try FileManager.default.contentsOfDirectory(atPath: dir.path + "/sdmx").sorted()))
        for file in files {
            #expect(
                FileManager.default.contents(atPath: dir.path + "/tsv/" + file)
                    == FileManager.default.contents(atPath: dir.path + "/sdmx/" + file), "\(file)")
        }
        // The rows left out are counted alike: a rate row is a row of the file in either layout.
        #expect(b.out.contains("Left out: 15 rows of rates, 5 values not available (:) in years the reporter has no figure"), "\(b.out)")
    }

    /// SDMX-CSV 2.0 with labels (`code: label`), a flag that is a status and one that is not, a rate, an
    /// unknown geo code and a value that is no figure.
    @Test func sdmxCSV2WithLabelsAndFlags() throws {
        let dir = TemporaryDirectory()
        let text = """
            STRUCTURE,STRUCTURE_ID,ACTION,freq: Time frequency,iccs: International classification of crime,unit: Unit of measure,geo: Geopolitical entity,TIME_PERIOD: Time,OBS_VALUE: Observation value,OBS_FLAG: Observation status
            dataflow,ESTAT:CRIM_OFF_CAT(1.0),I,A: Annual,ICCS0101: Intentional homicide,NR: Number,EL: Greece,2020,73,p: provisional
            dataflow,ESTAT:CRIM_OFF_CAT(1.0),I,A: Annual,ICCS0101: Intentional homicide,NR: Number,EL: Greece,2021,89,u
            dataflow,ESTAT:CRIM_OFF_CAT(1.0),I,A: Annual,ICCS0101: Intentional homicide,P_HTHAB: Per hundred thousand inhabitants,EL: Greece,2021,0.83,
            dataflow,ESTAT:CRIM_OFF_CAT(1.0),I,A: Annual,ICCS0101: Intentional homicide,NR: Number,QQ: Nowhere,2021,5,
            dataflow,ESTAT:CRIM_OFF_CAT(1.0),I,A: Annual,ICCS0401: Robbery,NR: Number,EL: Greece,2021,n/a,

            """
        let file = dir.write("labels.csv", text)
        let run = runCTS(["import", "eurostat", file, "--output", dir.path + "/out"] + w)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("Imported 2 figures of 1 reporter from"), "\(run.out)")
        #expect(run.out.contains("\(file):5: skipped ICCS0101,NR,QQ,2021: geo QQ is not a known country"))
        #expect(run.out.contains("\(file):6: skipped ICCS0401,NR,EL,2021 2021: \"n/a\" is not a figure"))
        #expect(run.out.contains("Left out: 1 rows of rates"))
        let greece = try String(contentsOfFile: dir.path + "/out/GRC-eurostat.csv", encoding: .utf8)
        #expect(greece.contains("GRC,2020,police_offences,homicide,,,,73,P,Eurostat crim_off_cat ICCS0101 EL\n"), "\(greece)")
        #expect(greece.contains("GRC,2021,police_offences,homicide,,,,89,,Eurostat crim_off_cat ICCS0101 EL; Eurostat flag u\n"))
    }

    @Test func anSDMXFileWithoutTheColumnsIsRefusedWithTheFix() throws {
        let dir = TemporaryDirectory()
        let file = dir.write("bad.csv", "DATAFLOW,geo,TIME_PERIOD,OBS_VALUE\nESTAT:X(1.0),DE,2020,5\n")
        let run = runCTS(["import", "eurostat", file, "--output", dir.path + "/out"] + w)
        #expect(run.status != 0)
        #expect(run.err.contains("without the columns iccs, unit"), "\(run.err)")
    }
}
