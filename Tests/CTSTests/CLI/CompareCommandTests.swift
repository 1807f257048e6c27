import CTSCLI
import Foundation
import Testing

/// `cts compare`: our table against published figures, in the long layout and in UNODC's data-portal
/// layout (made-up figures in UNODC's columns; its group codes mapped to M49).
@Suite struct CompareCommandTests {
    @Test func theTrendTableIsSetAgainstPublishedFigures() throws {
        let dir = TemporaryDirectory()
        let trends = dir.write(
            "trends.csv",
            """
            group_type,group_code,group_name,indicator,series,iccs,iccs_level,sex,age,citizenship,year,total,rate_per_100k,population,countries,countries_reporting,countries_elsewhere,coverage_pct,imputed_pct,index,base_year,change_pct,status,publication,method
            world,001,World,victims,homicide_victims.homicide,0101,2,_T,,,2015,1000,10.000,10000000,3,3,0,100.0,0.0,100.0,2015,,A,published,unodc
            world,001,World,victims,homicide_victims.homicide,0101,2,_T,,,2016,1200,12.000,10000000,3,1,0,40.0,60.0,120.0,2015,20.0,E,published,unodc
            region,002,Africa,victims,homicide_victims.homicide,0101,2,_T,,,2015,500,25.000,2000000,1,1,0,100.0,0.0,100.0,2015,,A,published,unodc

            """)
        let unodc = dir.write(
            "portal.csv",
            """
            Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,Unit of measurement,VALUE,Source
            WORLD,World,World,World,Victims of Intentional Homicide - Regional Estimate,Total,Total,Total,Total,2015,Counts,1040,x
            WORLD,World,World,World,Victims of Intentional Homicide - Regional Estimate,Total,Total,Total,Total,2015,"Rate per 100,000 population",9.0,x
            WORLD,World,World,World,Victims of Intentional Homicide - Regional Estimate,Total,Total,Total,Total,2016,Counts,1000,x
            BIG5_AFR,All Africa,Big 5,Africa,Victims of Intentional Homicide - Regional Estimate,Total,Total,Total,Total,2015,Counts,500,x
            KEN,Kenya,Africa,Eastern Africa,Victims of intentional homicide,Total,Total,Total,Total,2015,Counts,300,x

            """)
        let out = dir.path + "/out"
        let run = runCTS(["compare", unodc, "--trends", trends, "--output", out])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("Read 4 published figures"), "\(run.out)")
        #expect(run.out.contains("passed over 1 rows: 1 not one of UNODC's regional groups"), "\(run.out)")
        // Counts: world 2015 (-3.8%) and Africa 2015 (0%) are well covered and within 5%; world 2016 is
        // not well covered (40%). Rates: world 2015 is +11.1%.
        #expect(run.out.contains("Counts: 2 of 2 well-covered group-years within ±5% (coverage ≥ 66.7%)."), "\(run.out)")
        #expect(run.out.contains("Rates: 0 of 1 well-covered"), "\(run.out)")
        let csv = try String(contentsOfFile: out + "/comparison.csv", encoding: .utf8)
        #expect(csv.contains("001,World,homicide_victims.homicide,_T,2015,total,1000.000,1040.000,-3.8,100.0,0.0,yes,yes"), "\(csv)")
        #expect(csv.contains("001,World,homicide_victims.homicide,_T,2016,total,1200.000,1000.000,20.0,40.0,60.0,no,no"))
        let html = try String(contentsOfFile: out + "/comparison.html", encoding: .utf8)
        #expect(html.contains("<h2>homicide_victims.homicide · sex _T · counts</h2>"))

        // The long layout; a code that lost its zeros is read as M49.
        let long = dir.write(
            "long.csv", "group_code,year,series,sex,measure,value\n1,2015,homicide_victims.homicide,_T,rate,10.4\n")
        let read = runCTS(["compare", long, "--trends", trends, "--output", out])
        #expect(read.out.contains("Rates: 1 of 1 well-covered group-years within ±5%"), "\(read.out)")
        // A value that is not a number is refused with its place.
        let bad = dir.write("bad.csv", "group_code,year,series,value\n001,2015,homicide_victims.homicide,many\n")
        let refused = runCTS(["compare", bad, "--trends", trends, "--output", out])
        #expect(refused.status != 0 && refused.err.contains("bad.csv:2:4"), "\(refused.err)")
    }
}
