import Foundation

/// Word's list numbering (`word/numbering.xml`): the label a numbered paragraph shows
/// (`1)`, `a.`, `ii)`, `2.17`, `1.1.1.`), worked out as Word does — counters per list
/// definition and level, deeper levels restarting when a shallower one advances, start
/// overrides per list instance, legal numbering. Bullets have no words and show nothing.
///
/// One document's extraction owns it and uses it on one thread, which is the invariant
/// behind `@unchecked Sendable`.
final class ListNumbering: @unchecked Sendable {
    struct Level {
        /// ECMA-376: a level without `w:start` starts at 0.
        var start = 0
        var format = "decimal"
        var text = ""
        var legal = false
        var suffix = "tab"
    }

    private var abstract: [String: [Int: Level]] = [:]
    /// numId → (abstractNumId, start overrides by level, level overrides)
    private var instances: [String: (abstract: String, starts: [Int: Int], levels: [Int: Level])] = [:]
    /// Paragraph styles that carry numbering (styleId → numId, ilvl), with their parents.
    private var styleNumbering: [String: (numId: String?, ilvl: Int?, basedOn: String?)] = [:]
    /// Counters per list definition (nil: the level has not been used since it was reset),
    /// and which instances have applied their start overrides.
    private var counters: [String: [Int?]] = [:]
    private var started: Set<String> = []

    init(numbering: Data?, styles: Data?, name: String) throws {
        if let numbering { try readNumbering(numbering, name: "\(name): word/numbering.xml") }
        if let styles { try readStyles(styles, name: "\(name): word/styles.xml") }
    }

    var isEmpty: Bool { instances.isEmpty }

    private func readNumbering(_ data: Data, name: String) throws {
        let r = try XMLStreamReader(data, name: name)
        var abstractID: String?, numID: String?
        var level: Level?, levelIndex = 0
        var overrideLevel: Int?
        while let e = try r.next() {
            switch e {
            case .start("abstractNum"): abstractID = r.attribute("abstractNumId"); abstract[abstractID ?? ""] = [:]
            case .end("abstractNum"): abstractID = nil
            case .start("num"): numID = r.attribute("numId"); instances[numID ?? ""] = ("", [:], [:])
            case .end("num"): numID = nil
            case .start("abstractNumId") where numID != nil: instances[numID!]?.abstract = r.attribute("val") ?? ""
            case .start("lvlOverride") where numID != nil: overrideLevel = r.attribute("ilvl").flatMap(Int.init)
            case .end("lvlOverride"): overrideLevel = nil
            case .start("startOverride") where numID != nil:
                if let l = overrideLevel, let v = r.attribute("val").flatMap(Int.init) { instances[numID!]?.starts[l] = v }
            case .start("lvl"): level = Level(); levelIndex = r.attribute("ilvl").flatMap(Int.init) ?? 0
            case .start("start") where level != nil: level?.start = r.attribute("val").flatMap(Int.init) ?? 0
            case .start("numFmt") where level != nil: level?.format = r.attribute("val") ?? "decimal"
            case .start("lvlText") where level != nil: level?.text = r.attribute("val") ?? ""
            case .start("isLgl") where level != nil: level?.legal = r.attribute("val").map { $0 != "0" && $0 != "false" } ?? true
            case .start("suff") where level != nil: level?.suffix = r.attribute("val") ?? "tab"
            case .end("lvl"):
                if let l = level {
                    if let numID, let o = overrideLevel, o == levelIndex { instances[numID]?.levels[o] = l }
                    else if let abstractID { abstract[abstractID]?[levelIndex] = l }
                }
                level = nil
            default: break
            }
        }
    }

    private func readStyles(_ data: Data, name: String) throws {
        let r = try XMLStreamReader(data, name: name)
        var style: String?
        while let e = try r.next() {
            switch e {
            case .start("style"):
                style = r.attribute("type") == "paragraph" ? r.attribute("styleId") : nil
                if let s = style { styleNumbering[s] = (nil, nil, nil) }
            case .end("style"): style = nil
            case .start("basedOn") where style != nil: styleNumbering[style!]?.basedOn = r.attribute("val")
            case .start("numId") where style != nil: styleNumbering[style!]?.numId = r.attribute("val")
            case .start("ilvl") where style != nil: styleNumbering[style!]?.ilvl = r.attribute("val").flatMap(Int.init)
            default: break
            }
        }
    }

    /// The numbering a paragraph style gives, following `basedOn` (at most 10 steps).
    func styleNumbering(_ styleID: String) -> (numId: String, ilvl: Int)? {
        var id: String? = styleID
        var numID: String?, ilvl: Int?
        for _ in 0..<10 {
            guard let s = id, let entry = styleNumbering[s] else { break }
            numID = numID ?? entry.numId
            ilvl = ilvl ?? entry.ilvl
            id = entry.basedOn
        }
        guard let numID else { return nil }
        return (numID, ilvl ?? 0)
    }

    /// Advances the list and returns the label of a paragraph numbered (numId, ilvl), with the
    /// separator Word puts after it; nil for no numbering, "" for a bullet.
    func label(numId: String, ilvl rawLevel: Int) -> String? {
        guard numId != "0", let instance = instances[numId], let levels = abstract[instance.abstract] else { return nil }
        let ilvl = min(max(rawLevel, 0), 8)
        func level(_ i: Int) -> Level { instance.levels[i] ?? levels[i] ?? Level() }
        var counts = counters[instance.abstract] ?? Array(repeating: nil, count: 9)
        if started.insert(numId).inserted {
            // A list instance with start overrides restarts those levels when first used.
            for (i, v) in instance.starts where (0..<9).contains(i) { counts[i] = v - 1 }
        }
        // Skipped shallower levels count as shown at their start (Word then continues from
        // there: "A ii a" at level 5 under a level 4 never used makes level 4's next item 2).
        for shallower in 0..<ilvl where counts[shallower] == nil { counts[shallower] = level(shallower).start }
        counts[ilvl] = (counts[ilvl] ?? level(ilvl).start - 1) + 1
        for deeper in (ilvl + 1)..<9 { counts[deeper] = nil }
        counters[instance.abstract] = counts
        let this = level(ilvl)
        if this.format == "bullet" { return "" }
        var text = ""
        var chars = Array(this.text)[...]
        while let c = chars.popFirst() {
            if c == "%", let d = chars.first, let n = d.wholeNumberValue, (1...9).contains(n) {
                chars.removeFirst()
                let l = level(n - 1)
                let value = counts[n - 1] ?? l.start
                text += Self.format(value, this.legal && n - 1 < ilvl ? "decimal" : l.format)
            } else {
                text.append(c)
            }
        }
        guard !text.isEmpty else { return "" }
        return text + (this.suffix == "nothing" ? "" : " ")
    }

    static func format(_ n: Int, _ format: String) -> String {
        switch format {
        case "decimalZero": return n < 10 ? "0\(n)" : String(n)
        case "lowerLetter": return letters(n).lowercased()
        case "upperLetter": return letters(n)
        case "lowerRoman": return roman(n).lowercased()
        case "upperRoman": return roman(n)
        case "decimalEnclosedParen": return "(\(n))"
        case "ordinal": return "\(n)."
        case "none", "bullet": return ""
        default: return String(n)
        }
    }

    /// A, B, … Z, AA, BB, … as Word letters lists.
    static func letters(_ n: Int) -> String {
        guard n > 0 else { return "" }
        let letter = Character(UnicodeScalar(UInt8(65 + (n - 1) % 26)))
        return String(repeating: letter, count: (n - 1) / 26 + 1)
    }

    static func roman(_ n: Int) -> String {
        guard n > 0 && n < 4000 else { return String(n) }
        let table: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                                      (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var n = n, out = ""
        for (v, s) in table { while n >= v { out += s; n -= v } }
        return out
    }
}
