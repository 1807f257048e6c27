import CTSCore

/// Draws the rate per 100,000 of the world and its regions over the years as a self-contained SVG.
/// Suppressed years are gaps in a line; every number in the file is written with fixed decimals, so the
/// same rows give the same bytes.
public enum TrendChart {
    static let width = 760.0
    static let height = 420.0
    static let plot = (left: 70.0, right: 190.0, top: 50.0, bottom: 50.0)
    static let colors = ["#222222", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]

    /// `rows` of one series and breakdown; lines for the world and the regions.
    public static func svg(_ rows: [AggregateRow], title: String, subtitle: String) -> String {
        // Groups with no published year are left out, legend included.
        let lines = rows.filter { $0.group == .world || $0.group == .region }
        let groups = Dictionary(grouping: lines, by: \.groupCode).filter { $0.value.contains { $0.rate != nil } }
        let order = groups.keys.sorted { ($0 == "001" ? "" : $0) < ($1 == "001" ? "" : $1) }
        let years = lines.map(\.year)
        let rates = lines.compactMap(\.rate)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" \
            viewBox="0 0 \(f(width)) \(f(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(plot.left))" y="22" font-size="15" font-weight="bold">\(escape(title))</text>
            <text x="\(f(plot.left))" y="40" fill="#555555">\(escape(subtitle))</text>

            """
        guard let y0 = years.min(), let y1 = years.max(), let top = rates.max() else {
            return svg + "<text x=\"\(f(width / 2))\" y=\"\(f(height / 2))\" text-anchor=\"middle\">"
                + "No group-year has enough coverage to publish.</text>\n</svg>\n"
        }
        let ticks = niceTicks(max: top)
        let yMax = ticks.last ?? top
        let x0 = plot.left
        let x1 = width - plot.right
        let yTop = plot.top
        let yBottom = height - plot.bottom
        func x(_ year: Int) -> Double {
            y1 == y0 ? (x0 + x1) / 2 : x0 + Double(year - y0) / Double(y1 - y0) * (x1 - x0)
        }
        func y(_ rate: Double) -> Double { yBottom - (yMax > 0 ? rate / yMax : 0) * (yBottom - yTop) }
        let decimals = ticks.count > 1 && ticks[1] - ticks[0] < 1 ? 1 : 0
        for t in ticks {
            svg += "<line x1=\"\(f(x0))\" y1=\"\(f(y(t)))\" x2=\"\(f(x1))\" y2=\"\(f(y(t)))\" stroke=\"#e0e0e0\"/>\n"
            svg +=
                "<text x=\"\(f(x0 - 6))\" y=\"\(f(y(t) + 4))\" text-anchor=\"end\">\(TrendTable.fixed(t, decimals))</text>\n"
        }
        let step = max(1, (y1 - y0 + 9) / 10)
        for year in stride(from: y0, through: y1, by: step) {
            svg += "<text x=\"\(f(x(year)))\" y=\"\(f(yBottom + 18))\" text-anchor=\"middle\">\(year)</text>\n"
        }
        svg += "<line x1=\"\(f(x0))\" y1=\"\(f(yBottom))\" x2=\"\(f(x1))\" y2=\"\(f(yBottom))\" stroke=\"#444444\"/>\n"
        svg +=
            "<text x=\"14\" y=\"\(f((yTop + yBottom) / 2))\" transform=\"rotate(-90 14 \(f((yTop + yBottom) / 2)))\" "
            + "text-anchor=\"middle\">per 100,000 population</text>\n"
        for (i, code) in order.enumerated() {
            let color = colors[i % colors.count]
            let points = groups[code]!.sorted { $0.year < $1.year }
            var segment: [String] = []
            func flush() {
                if segment.count > 1 {
                    svg +=
                        "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(segment.joined(separator: " "))\"/>\n"
                }
                segment = []
            }
            for p in points {
                guard let rate = p.rate else {
                    flush()
                    continue
                }
                segment.append("\(f(x(p.year))),\(f(y(rate)))")
                svg += "<circle cx=\"\(f(x(p.year)))\" cy=\"\(f(y(rate)))\" r=\"2.5\" fill=\"\(color)\"/>\n"
            }
            flush()
            let ly = yTop + 8 + Double(i) * 20
            svg += "<rect x=\"\(f(x1 + 16))\" y=\"\(f(ly - 9))\" width=\"12\" height=\"12\" fill=\"\(color)\"/>\n"
            svg += "<text x=\"\(f(x1 + 34))\" y=\"\(f(ly + 1))\">\(escape(points[0].groupName))</text>\n"
        }
        svg +=
            "<text x=\"\(f(x0))\" y=\"\(f(height - 10))\" fill=\"#555555\" font-size=\"10\">"
            + "Gaps: coverage of the reporting countries below the publication threshold. Source: cts.</text>\n"
        return svg + "</svg>\n"
    }

    /// Round tick values from 0 up to at least `max`.
    static func niceTicks(max: Double) -> [Double] {
        guard max > 0 else { return [0, 1] }
        var step = 1.0
        while max / step > 8 { step *= 10 }
        while max / step < 3 { step /= 10 }
        for factor in [1.0, 2.0, 5.0] where max / (step * factor) <= 6 {
            step *= factor
            break
        }
        var ticks: [Double] = []
        var t = 0.0
        while t < max + step * 0.999 {
            ticks.append(t)
            t += step
        }
        return ticks
    }

    static func f(_ v: Double) -> String { TrendTable.fixed(v, 1) }

    static func escape(_ s: String) -> String { HTML.escape(s) }
}
