/// A first, script-based guess at a text's language, for pages that do not declare one.
public enum ScriptGuess {
    public static func language(of text: String) -> String? {
        var hangul = 0, kana = 0, han = 0, latin = 0, letters = 0
        for s in text.unicodeScalars.prefix(5000) where s.properties.isAlphabetic {
            letters += 1
            switch s.value {
            case 0xAC00...0xD7A3, 0x1100...0x11FF, 0x3130...0x318F: hangul += 1
            case 0x3040...0x30FF: kana += 1
            case 0x4E00...0x9FFF, 0x3400...0x4DBF: han += 1
            case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: latin += 1
            default: break
            }
        }
        guard letters >= 20 else { return nil }
        if hangul * 5 >= letters { return "ko" }
        if kana * 10 >= letters { return "ja" }
        if han * 3 >= letters { return "zh" }
        return nil  // Latin script alone does not tell English from German.
    }
}
