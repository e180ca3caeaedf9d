import Testing
import TrawlNormalize

@Suite struct LanguageDetectorTests {
    @Test(arguments: [
        ("과학기술정보통신부는 인공지능 반도체 산업을 세계 최고 수준으로 키우기 위한 육성 전략을 발표했다.", "ko"),
        ("子どもへの虐待をなくすための法律ができて、親が子どもを教育するために体罰をしてはいけないことになりました。", "ja"),
        ("国务院总理主持召开国务院常务会议，部署进一步扩大内需促进经济平稳增长的措施。", "zh"),
        ("The Ministry announced that the national research budget will be allocated across more than a thousand programmes this year.", "en"),
        ("Die Landesregierung hat am Dienstag ein neues Förderprogramm für kleine Unternehmen vorgestellt, das auch Investitionen unterstützt.", "de"),
        ("Le gouvernement a présenté mardi un nouveau programme pour les petites entreprises qui investissent dans la transition.", "fr"),
        ("El gobierno presentó el martes un nuevo programa para las pequeñas empresas que invierten en la eficiencia energética.", "es"),
        ("أعلنت الوزارة عن خطة جديدة لدعم البحث العلمي في الجامعات والمعاهد خلال السنوات المقبلة.", "ar"),
    ])
    func detects(text: String, expected: String) {
        #expect(LanguageDetector().detect(text)?.language == expected, "\(text.prefix(30))")
    }

    @Test func shortOrMixedTextIsNotGuessed() {
        #expect(LanguageDetector().detect("OK") == nil)
        #expect(LanguageDetector().detect("Trawl 2.0 API JSON SQLite GRDB Swift Poppler libxml2") == nil)
    }
}
