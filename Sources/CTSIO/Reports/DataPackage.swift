import CTSCore
import Foundation

/// The Frictionless Data Package descriptor of an output folder (`datapackage.json`): each table cts
/// wrote there with a Table Schema (every code column a string, so `001` and `07031` stay text; counts
/// integers; rates numbers; units and meanings in the descriptions; primary keys), and the sources with
/// their licences. Written by `aggregate`, `export` and `run` after their files are in place, for the
/// tables the folder holds. `frictionless validate outputs/datapackage.json` checks it against the data.
public enum DataPackage {
    struct Field: Encodable {
        var name: String
        var type: String
        var description: String
    }

    struct Schema: Encodable {
        var fields: [Field]
        var missingValues = [""]
        var primaryKey: [String]?
    }

    struct Resource: Encodable {
        var name: String
        var path: String
        var title: String
        var profile = "tabular-data-resource"
        var format = "csv"
        var mediatype = "text/csv"
        var encoding = "utf-8"
        var schema: Schema
    }

    struct Source: Encodable {
        var title: String
        var path: String?
    }

    struct License: Encodable {
        var name: String
        var title: String
        var path: String
    }

    struct Package: Encodable {
        var profile = "tabular-data-package"
        var name = "cts-outputs"
        var title = "Crime and criminal justice statistics: regional trend tables and country observations"
        var description =
            "Written by cts from the returns in its store and the reference tables. Methods: docs/METHODOLOGY.md."
        var sources: [Source]
        var licenses: [License]
        var resources: [Resource]
    }

    /// Writes `folder/datapackage.json` for the tables in `folder` (trends.csv, trends/*.csv,
    /// observations.csv, observations.sdmx.csv), whose breakdown columns are `dimensions`.
    public static func write(folder: String, dimensions: [String]) throws {
        let fm = FileManager.default
        var resources: [Resource] = []
        if fm.fileExists(atPath: folder + "/trends.csv") {
            resources.append(trends(name: "trends", path: "trends.csv", title: "Trend table, every indicator", dimensions))
        }
        let indicators = ((try? fm.contentsOfDirectory(atPath: folder + "/trends")) ?? [])
            .filter { $0.hasSuffix(".csv") }.sorted()
        for file in indicators {
            let indicator = String(file.dropLast(4))
            resources.append(
                trends(
                    name: "trends-" + resourceName(indicator), path: "trends/" + file,
                    title: "Trend table, indicator \(indicator)", dimensions))
        }
        if fm.fileExists(atPath: folder + "/observations.csv") { resources.append(observations(dimensions)) }
        if fm.fileExists(atPath: folder + "/observations.sdmx.csv") { resources.append(sdmx(dimensions)) }
        let package = Package(sources: sources, licenses: licenses, resources: resources)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(
            String(decoding: try encoder.encode(package), as: UTF8.self) + "\n", to: folder + "/datapackage.json")
    }

    /// A resource name: lower-case letters, digits, `-`, `_` and `.` only.
    static func resourceName(_ text: String) -> String {
        String(
            text.lowercased().map { c in c.isASCII && (c.isLetter || c.isNumber || "-_.".contains(c)) ? c : "-" })
    }

    static func code(_ name: String, _ description: String) -> Field {
        Field(name: name, type: "string", description: description)
    }

    static func breakdownFields(_ dimensions: [String]) -> [Field] {
        dimensions.map {
            code($0, "Breakdown code of \($0) (_T total, _U unknown; empty where the table has no \($0) breakdown)")
        }
    }

    static func trends(name: String, path: String, title: String, _ dimensions: [String]) -> Resource {
        let fields =
            [
                code("group_type", "world, region, subregion, intermediate or custom"),
                code("group_code", "M49 code with its leading zeros (001 is the world), or the custom group's id"),
                code("group_name", "Name of the group"),
                code("indicator", "What is counted (victims, offences_recorded, persons_suspected, ...)"),
                code("series", "The questionnaire variable, table.variable"),
                code("iccs", "ICCS code with its leading zeros (07031), empty for national categories"),
                Field(name: "iccs_level", type: "integer", description: "ICCS level, 1 to 4"),
            ] + breakdownFields(dimensions) + [
                Field(name: "year", type: "integer", description: "Reference year"),
                Field(name: "total", type: "integer", description: "Count (persons or offences); empty when suppressed"),
                Field(name: "rate_per_100k", type: "number", description: "Total per 100,000 population"),
                Field(name: "total_low", type: "integer", description: "Lower bound of the total (count)"),
                Field(name: "total_high", type: "integer", description: "Upper bound of the total (count)"),
                Field(name: "rate_low", type: "number", description: "Lower bound of the rate, per 100,000 population"),
                Field(name: "rate_high", type: "number", description: "Upper bound of the rate, per 100,000 population"),
                Field(name: "population", type: "integer", description: "Persons living in the group's countries"),
                Field(name: "countries", type: "integer", description: "Member countries with a population that year"),
                Field(name: "countries_reporting", type: "integer", description: "Member countries that reported a figure"),
                Field(
                    name: "countries_elsewhere", type: "integer",
                    description: "Member countries whose figure is counted in another category (status K)"),
                Field(name: "coverage_pct", type: "number", description: "Percent of the population in reporting countries"),
                Field(name: "imputed_pct", type: "number", description: "Percent of the total not as reported"),
                Field(name: "index", type: "number", description: "Rate against the base year's rate (= 100)"),
                Field(name: "base_year", type: "integer", description: "The year whose rate is the index's 100"),
                Field(name: "change_pct", type: "number", description: "Percent change of the rate from the year before"),
                code("status", "A (as reported) or E (estimated); empty when suppressed"),
                code("publication", "published, suppressed-low-coverage or suppressed-no-data"),
                code("method", "How missing years were filled: interpolate or unodc"),
            ]
        return Resource(
            name: name, path: path, title: title,
            schema: Schema(
                fields: fields,
                primaryKey: ["group_type", "group_code", "indicator", "series", "iccs"] + dimensions + ["year"]))
    }

    static func observations(_ dimensions: [String]) -> Resource {
        let fields =
            [
                code("reporter", "The reporter: an ISO 3166 alpha-3 code, or a reporting unit such as GBR_S"),
                code("iso3", "The reporter's country"),
                code("m49", "The country's M49 code with its leading zeros"),
                Field(name: "year", type: "integer", description: "Reference year"),
                code("indicator", "What is counted"),
                code("series", "The questionnaire variable, table.variable"),
                code("iccs", "ICCS code with its leading zeros"),
                Field(name: "iccs_level", type: "integer", description: "ICCS level, 1 to 4"),
            ] + breakdownFields(dimensions) + [
                Field(name: "value", type: "number", description: "The figure (persons or offences); empty when none"),
                code("status", "Observation status: A, B, D, E, K, L, M, P or W"),
                Field(name: "derived", type: "boolean", description: "Formed by cts from reporting units"),
                Field(name: "submission", type: "integer", description: "The store's submission the figure came from"),
            ]
        return Resource(
            name: "observations", path: "observations.csv", title: "Country observations behind the tables",
            schema: Schema(fields: fields, primaryKey: nil))
    }

    static func sdmx(_ dimensions: [String]) -> Resource {
        let fields =
            [
                code("DATAFLOW", "SDMX dataflow"), code("REF_AREA", "Reporter"), code("INDICATOR", "Indicator"),
                code("SERIES", "Questionnaire variable"), code("ICCS", "ICCS code, ICCS0101; _Z for none"),
            ] + dimensions.map { code($0.uppercased(), "Breakdown code; _Z where not applicable") } + [
                Field(name: "TIME_PERIOD", type: "integer", description: "Reference year"),
                Field(name: "OBS_VALUE", type: "number", description: "The figure"),
                code("OBS_STATUS", "Observation status"),
            ]
        return Resource(
            name: "observations-sdmx", path: "observations.sdmx.csv", title: "Country observations, SDMX-CSV",
            schema: Schema(fields: fields, primaryKey: nil))
    }

    static let sources = [
        Source(title: "National returns to the questionnaire, as stored (see trends_metadata.json for each file and its SHA-256)"),
        Source(
            title: "UN M49 standard country or area codes (UN Statistics Division)",
            path: "https://unstats.un.org/unsd/methodology/m49/"),
        Source(
            title: "World Bank, total population (SP.POP.TOTL), CC BY 4.0",
            path: "https://data.worldbank.org/indicator/SP.POP.TOTL"),
        Source(
            title: "International Classification of Crime for Statistical Purposes, version 1.0 (UNODC, 2015)",
            path: "https://www.unodc.org/unodc/en/data-and-analysis/statistics/iccs.html"),
    ]

    static let licenses = [
        License(
            name: "CC-BY-4.0", title: "Population figures: World Bank, Creative Commons Attribution 4.0",
            path: "https://creativecommons.org/licenses/by/4.0/")
    ]
}
