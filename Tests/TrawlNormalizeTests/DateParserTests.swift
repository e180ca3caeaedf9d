import Testing
import TrawlNormalize

@Suite struct DateParserTests {
    let parser = DateParser()

    @Test(arguments: [
        ("2024-01-25", "2024-01-25"),
        ("2024.01.25", "2024-01-25"),
        ("2024. 1. 25.", "2024-01-25"),
        ("2024/1/5", "2024-01-05"),
        ("2024년 1월 25일", "2024-01-25"),
        ("등록일 : 2024년 01월 25일 (목)", "2024-01-25"),
        ("January 25, 2024", "2024-01-25"),
        ("Jan. 25, 2024", "2024-01-25"),
        ("25 January 2024", "2024-01-25"),
        ("Thursday, 25th January 2024", "2024-01-25"),
        ("Posted 2024-01-25 09:30", "2024-01-25T09:30:00"),
        ("2024-01-25T09:30:15", "2024-01-25T09:30:15"),
        ("2024-01-25T09:30:15+09:00", "2024-01-25T09:30:15+09:00"),
        ("2024-01-25T00:30:15.250Z", "2024-01-25T00:30:15Z"),
        ("12 de março de 2020", "2020-03-12"),
        ("15 августа 2016, 18:42", "2016-08-15"),
        ("3 листопада 2021 р.", "2021-11-03"),
        ("5 Ağustos 2019 Pazartesi", "2019-08-05"),
        ("12 października 2022", "2022-10-12"),
        ("7 أكتوبر 2023", "2023-10-07"),
    ])
    func readsCommonForms(input: String, expected: String) {
        #expect(parser.firstDate(in: input)?.iso8601 == expected, "input: \(input)")
    }

    @Test func picksTheEarliestDateInTheText() {
        #expect(parser.firstDate(in: "Updated 2024-02-01; first published January 25, 2024")?.iso8601 == "2024-02-01")
        #expect(parser.firstDate(in: "Released 25 January 2024, amended 2024-02-01")?.iso8601 == "2024-01-25")
    }

    @Test(arguments: ["2024-02-30", "2023.13.01", "no date here", "1.2.3", "Version 10.2024.1"])
    func rejectsInvalidOrAbsentDates(input: String) {
        #expect(parser.firstDate(in: input) == nil, "input: \(input)")
    }

    /// Two-digit years are read only when asked for, in the century that keeps the date in the past.
    @Test func readsDayFirstTwoDigitYearsOnlyWhenAsked() {
        #expect(parser.firstDate(in: "Party, 30.10.23") == nil)
        #expect(parser.firstShortYearDate(in: "Party, 30.10.23", currentYear: 2026)?.iso8601 == "2023-10-30")
        #expect(parser.firstShortYearDate(in: "02.12.19", currentYear: 2026)?.iso8601 == "2019-12-02")
        #expect(parser.firstShortYearDate(in: "am 1.2.98", currentYear: 2026)?.iso8601 == "1998-02-01")
        #expect(parser.firstShortYearDate(in: "31.12.27", currentYear: 2026)?.iso8601 == "1927-12-31")
        for notADate in ["10.0.0.23", "1.2.23.4", "31.02.23", "Version 2.10.234", "131.10.23", "12.13.20"] {
            #expect(parser.firstShortYearDate(in: notADate, currentYear: 2026) == nil, "input: \(notADate)")
        }
    }

    @Test(arguments: [
        ("D:20240125093000+09'00'", "2024-01-25T09:30:00+09:00"),
        ("D:20240125093000Z", "2024-01-25T09:30:00Z"),
        ("D:20240125093000-05'30", "2024-01-25T09:30:00-05:30"),
        ("D:20240125", "2024-01-25"),
        ("D:2024", "2024-01-01"),
    ])
    func readsPDFDates(input: String, expected: String) {
        #expect(parser.parsePDFDate(input)?.iso8601 == expected)
        #expect(parser.firstDate(in: input)?.iso8601 == expected)
    }

    @Test func rejectsMalformedPDFDates() {
        #expect(parser.parsePDFDate("D:20241325") == nil)
        #expect(parser.parsePDFDate("20240125") == nil)
    }
}

@Suite struct EuropeanDateTests {
    @Test(arguments: [
        ("29.04.2020", "2020-04-29"),
        ("Stand: 2. 1. 2022", "2022-01-02"),
        ("29. April 2020", "2020-04-29"),
        ("3. März 2021", "2021-03-03"),
        ("15 avril 2021", "2021-04-15"),
        ("1er décembre 2020", "2020-12-01"),
        ("5 de mayo de 2019", "2019-05-05"),
        ("12 gennaio 2018", "2018-01-12"),
    ])
    func readsDayFirstForms(input: String, expected: String) {
        #expect(DateParser().firstDate(in: input)?.iso8601 == expected, "input: \(input)")
    }

    @Test func slashedDayMonthStaysAmbiguous() {
        #expect(DateParser().firstDate(in: "01/02/2024") == nil)
    }
}

@Suite struct CJKDateTests {
    @Test func chineseAndJapaneseYearMonthDay() {
        #expect(DateParser().firstDate(in: "2019年6月24日 11時")?.iso8601 == "2019-06-24")
        #expect(DateParser().firstDate(in: "发布时间：2020年3月4日")?.iso8601 == "2020-03-04")
    }

    @Test func dayNumbersAndInstantsRoundTrip() {
        for day in [-300_000, -1, 0, 1, 10_956, 19_723, 2_932_896] {
            let date = ParsedDate(dayNumber: day)
            #expect(date.dayNumber == day, "\(date)")
        }
        #expect(ParsedDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(ParsedDate(year: 2000, month: 3, day: 1).dayNumber == 11_017)
        let evening = DateParser().firstDate(in: "2023-11-08T18:09:55-07:00")!, utc = DateParser().firstDate(in: "2023-11-09T01:09:55Z")!
        #expect(evening.epochSeconds == utc.epochSeconds)
        #expect(utc.inOffset(minutes: -420) == evening)
        #expect(DateParser().firstDate(in: "2023-12-31T23:30:00Z")!.inOffset(minutes: 90)?.iso8601 == "2024-01-01T01:00:00+01:30")
        #expect(ParsedDate(year: 2024, month: 1, day: 1).inOffset(minutes: 60) == nil, "a day without a time has no instant")
    }
}
