import Foundation
import Testing

/// Every command's `--format json` is one object whose shape docs/schemas/<command>.schema.json gives
/// (validate, ingest and run once printed an object, an array, and an object whose `aggregation` was
/// an English sentence).
@Suite struct JSONOutputSchemaTests {
    /// The JSON Schema keywords the schemas use: type, const, enum, properties, required,
    /// additionalProperties, items, minimum and `$ref` into `$defs`. Returns what breaks the schema, by path.
    struct SchemaCheck {
        let root: [String: Any]

        func problems(_ value: Any, _ schema: [String: Any], at path: String = "$") -> [String] {
            if let ref = schema["$ref"] as? String {
                let name = String(ref.dropFirst("#/$defs/".count))
                let defs = root["$defs"] as? [String: Any] ?? [:]
                guard let target = defs[name] as? [String: Any] else { return ["\(path): no $defs/\(name)"] }
                return problems(value, target, at: path)
            }
            if let constant = schema["const"], !same(value, constant) { return ["\(path): not \(constant)"] }
            if let choices = schema["enum"] as? [Any], !choices.contains(where: { same(value, $0) }) {
                return ["\(path): \(value) is none of \(choices)"]
            }
            if let type = schema["type"] as? String, !isType(value, type) { return ["\(path): not a \(type)"] }
            if let minimum = schema["minimum"] as? Double, let n = value as? NSNumber, n.doubleValue < minimum {
                return ["\(path): below \(minimum)"]
            }
            var found: [String] = []
            if let object = value as? [String: Any] {
                let properties = schema["properties"] as? [String: Any] ?? [:]
                for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                    found.append("\(path): no \(key)")
                }
                for (key, item) in object {
                    if let sub = properties[key] as? [String: Any] {
                        found += problems(item, sub, at: path + "." + key)
                    } else if let extra = schema["additionalProperties"] as? [String: Any] {
                        found += problems(item, extra, at: path + "." + key)
                    } else if schema["additionalProperties"] as? Bool == false {
                        found.append("\(path): unexpected \(key)")
                    }
                }
            }
            if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
                for (i, item) in array.enumerated() { found += problems(item, items, at: "\(path)[\(i)]") }
            }
            return found
        }

        func isType(_ value: Any, _ type: String) -> Bool {
            switch type {
            case "object": return value is [String: Any]
            case "array": return value is [Any]
            case "string": return value is String
            // JSONSerialization gives booleans as numbers of type char ("c").
            case "boolean": return (value as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false
            case "integer":
                guard let n = value as? NSNumber, !isType(value, "boolean") else { return false }
                return n.doubleValue == n.doubleValue.rounded()
            case "number": return value is NSNumber && !isType(value, "boolean")
            default: return false
            }
        }

        func same(_ a: Any, _ b: Any) -> Bool { "\(a)" == "\(b)" }
    }

    func check(_ command: String, _ output: String) throws {
        let schema =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: Repo.path("docs/schemas/\(command).schema.json"))))
            as! [String: Any]
        let value = try JSONSerialization.jsonObject(with: Data(output.utf8))
        let problems = SchemaCheck(root: schema).problems(value, schema)
        #expect(problems.isEmpty, "\(command): \(problems.prefix(10))")
        #expect((value as? [String: Any])?["command"] as? String == command)
    }

    @Test func everyCommandPrintsTheShapeItsSchemaGives() throws {
        let dir = TemporaryDirectory()
        let workspace = ["--questionnaires", Repo.path("questionnaires"), "--reference", Repo.path("reference")]
        let db = ["--db", dir.path + "/cts.sqlite"]
        let submissions = dir.folder(
            "submissions",
            [
                "KEN-2020.csv": try String(contentsOfFile: Repo.path("submissions/KEN-2020.csv"), encoding: .utf8),
                "COL-2020.csv": try String(contentsOfFile: Repo.path("submissions/COL-2020.csv"), encoding: .utf8),
            ])
        try check("validate", runCTS(["validate", submissions, "--format", "json"] + workspace).out)
        try check("ingest", runCTS(["ingest", submissions, "--format", "json"] + workspace + db).out)
        // Met again: unchanged, with the counts it was stored with.
        try check("ingest", runCTS(["ingest", submissions, "--format", "json"] + workspace + db).out)
        try check("history", runCTS(["history", "KEN", "--format", "json"] + db).out)
        try check(
            "run",
            runCTS(
                ["run", "--submissions", submissions, "--output", dir.path + "/out", "--format", "json"] + workspace
                    + db
            ).out)
    }

    /// The checker itself finds what breaks a schema.
    @Test func theCheckerFindsWhatIsWrong() throws {
        let schema =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: Repo.path("docs/schemas/ingest.schema.json"))))
            as! [String: Any]
        let bad: [String: Any] = [
            "tool": "cts", "version": "1", "command": "ingest", "stored": -1, "already_stored": 0,
            "returns": [["file": "x", "outcome": "lost", "errors": 0, "warnings": 0, "line": "", "extra": 1]],
        ]
        let problems = SchemaCheck(root: schema).problems(bad, schema)
        #expect(problems.contains("$: no rejected"))
        #expect(problems.contains("$.stored: below 0.0"))
        #expect(problems.contains { $0.hasPrefix("$.returns[0].outcome: lost is none of") })
        #expect(problems.contains("$.returns[0]: unexpected extra"))
    }
}
