import CTSCore
import CTSIO
import Foundation
import Testing

@testable import CTSCLI

/// trends.csv and the files by indicator are written in pieces formatted side by side, one batch written
/// while the next is formatted. Whatever the size of the pieces, and so the number of batches, every line
/// must be written once, in order: trends.csv is `TrendTable.csv` of the rows, and each indicator's file
/// its own lines.
@Suite struct TrendLinesTests {
    /// Rows of five indicators (so pieces of one indicator never fill every batch evenly).
    static let rows: [AggregateRow] = {
        let world = SmallWorld()
        let observations = ["assaults", "burglaries", "robberies", "thefts", "victims"].flatMap { indicator in
            ["AAA", "BBB", "CCC"].flatMap { iso3 in
                (2010...2014).map { year in
                    Observation(
                        reporter: iso3, iso3: iso3, m49: "", year: year, indicator: indicator,
                        series: indicator + ".total", iccs: ICCSCode("0101"), breakdown: "sex=_T",
                        value: Double(100 + year - 2010), status: .normal)
                }
            }
        }
        return TrendTable.sorted(
            Aggregator(countries: world.countries, population: world.population).rows(observations))
    }()

    @Test(arguments: [1, 2, 3, 5, 7, 11, 13, 40, 20_000])
    func everyLineIsWrittenOnceWhateverThePieces(piece: Int) throws {
        let dir = TemporaryDirectory()
        try FileSystem.makeDirectory(dir.path + "/trends")
        let rows = Self.rows
        #expect(rows.count > 100)
        let files = try TrendOutputs(directory: dir.path).writeLines(rows, dimensions: ["sex"], method: "interpolate", piece: piece)
        #expect(files.count == 5)
        let all = try String(contentsOfFile: dir.path + "/trends.csv", encoding: .utf8)
        #expect(all == TrendTable.csv(rows, dimensions: ["sex"], method: "interpolate"))
        for file in files {
            let indicator = String(file.dropFirst("trends/".count).dropLast(".csv".count))
            let text = try String(contentsOfFile: dir.path + "/" + file, encoding: .utf8)
            #expect(text == TrendTable.csv(rows.filter { $0.indicator == indicator }, dimensions: ["sex"], method: "interpolate"))
        }
    }
}
