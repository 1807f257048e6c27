import CTSCore

/// Reads custom country groupings from CSV: `group_id, group_name, iso3`, one row per member.
public enum CustomGroups {
    public static func load(path: String, countries: CountryRegistry) throws -> [CountryGroup] {
        let table = try CSVTable.read(path: path, required: ["group_id", "group_name", "iso3"])
        var groups: [String: CountryGroup] = [:]
        var order: [String] = []
        for (row, record) in zip(table.rows, table.records) {
            let id = row["group_id"]!.trimmingSpaces()
            let iso3 = row["iso3"]!.trimmingSpaces()
            let at = SourceLocation(file: path, line: record.line, column: 1)
            guard !id.isEmpty else {
                throw InputError("The group id is empty.", code: "groups.invalid", at: at)
            }
            guard countries.country(iso3) != nil else {
                let hint: String
                if case .rejected(let why) = countries.check(iso3) { hint = why } else { hint = "" }
                throw InputError(
                    "\(iso3) is not a country of the reference tables. \(hint)", code: "groups.invalid",
                    at: SourceLocation(file: path, line: record.line, column: table.header.firstIndex(of: "iso3")! + 1))
            }
            if groups[id] == nil {
                order.append(id)
                groups[id] = CountryGroup(kind: .custom, code: id, name: row["group_name"]!, members: [])
            }
            guard !groups[id]!.members.contains(iso3) else {
                throw InputError("\(iso3) is listed twice in group \(id).", code: "groups.invalid", at: at)
            }
            groups[id]!.members.append(iso3)
        }
        return order.map { groups[$0]! }
    }
}
