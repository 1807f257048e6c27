/// Small helpers for writing self-contained HTML.
enum HTML {
    static func escape(_ s: String) -> String {
        // Most texts have nothing to escape: one pass over the bytes decides.
        if !s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) {
            return s
        }
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// How a point of a sparkline is drawn.
    enum Point {
        /// A stored figure.
        case stored
        /// A figure of the return at hand.
        case new
        /// A figure of the return at hand far outside the stored series.
        case outlier
    }

    /// A tiny line chart of `values` (nil = gap) as inline SVG. `kinds` (by index; `.stored` when absent)
    /// tells the return's new figures, drawn larger in orange, and its outliers, in red, from the stored
    /// ones, in blue.
    static func sparkline(
        _ values: [Double?], kinds: [Int: Point] = [:], width: Double = 120, height: Double = 28
    ) -> String {
        let present = values.compactMap { $0 }
        guard let lo = present.min(), let hi = present.max(), values.count > 1 else { return "" }
        let span = hi - lo == 0 ? 1 : hi - lo
        func x(_ i: Int) -> Double { 2 + Double(i) / Double(values.count - 1) * (width - 4) }
        func y(_ v: Double) -> Double { height - 3 - (v - lo) / span * (height - 6) }
        var svg =
            "<svg class=\"spark\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\">"
        var segment: [String] = []
        func flush() {
            if segment.count > 1 {
                svg +=
                    "<polyline fill=\"none\" stroke=\"#3b6ea5\" stroke-width=\"1.5\" points=\"\(segment.joined(separator: " "))\"/>"
            }
            segment = []
        }
        for (i, v) in values.enumerated() {
            guard let v else {
                flush()
                continue
            }
            segment.append("\(f(x(i))),\(f(y(v)))")
            let (r, fill) =
                switch kinds[i] ?? .stored {
                case .stored: ("1.6", "#3b6ea5")
                case .new: ("2.6", "#e07b00")
                case .outlier: ("3.2", "#c62828")
                }
            svg += "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(v)))\" r=\"\(r)\" fill=\"\(fill)\"/>"
        }
        flush()
        return svg + "</svg>"
    }

    static func f(_ v: Double) -> String { TrendTable.fixed(v, 1) }

    /// Shared stylesheet: readable on screen, plain on paper.
    static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
        h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
        .meta{color:#555;margin-top:0}.badge{display:inline-block;padding:.15rem .5rem;border-radius:.8rem;font-size:.85rem;margin-right:.4rem}
        .b-error{background:#fde2e1;color:#9b1c1c}.b-warning{background:#fff4d6;color:#8a5a00}.b-skipped{background:#eee;color:#555}.b-ok{background:#e3f5e1;color:#1d6b1d}
        table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.6rem 0}th,td{border:1px solid #ddd;padding:.25rem .4rem;text-align:right;vertical-align:middle}
        th{background:#f4f4f4}td.label,th.label{text-align:left}td.iccs{text-align:left;color:#555;white-space:nowrap}
        td.error{background:#fde2e1;outline:2px solid #d64545}td.warning{background:#fff4d6;outline:2px solid #d9a400}td.missing{color:#999}
        sup{color:#666;font-size:.7rem;margin-left:.1rem}ul.findings{font-size:.85rem;padding-left:1.2rem}ul.findings li{margin:.25rem 0}
        .loc{font-family:ui-monospace,monospace;color:#555}.rule{font-family:ui-monospace,monospace;font-size:.8rem;color:#666}
        .heat td{color:#111;text-align:center;min-width:2.2rem}.heat td.label{text-align:left}footer{margin-top:3rem;color:#777;font-size:.8rem}
        @media print{body{margin:0;max-width:none}h2{break-after:avoid}table,li{break-inside:avoid}a{color:inherit;text-decoration:none}}
        """
}
