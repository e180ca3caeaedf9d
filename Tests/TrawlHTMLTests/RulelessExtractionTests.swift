import Foundation
import Testing
@testable import TrawlHTML

/// Main text and dates found without rules.
@Suite struct RulelessExtractionTests {
    let url = URL(string: "https://news.example.de/2024/03/05/release.html")!

    func scrape(_ html: String) throws -> ScrapedPage {
        try PageScraper().scrapeRelease(bytes: Data(html.utf8), url: url, rules: ExtractionRules())
    }

    static let article = """
    <p>Die Landesregierung hat am Dienstag ein neues Förderprogramm für kleine Unternehmen vorgestellt, das Investitionen in Energieeffizienz unterstützt.</p>
    <p>Betriebe mit weniger als fünfzig Beschäftigten können Zuschüsse von bis zu vierzig Prozent der Kosten beantragen, wenn sie Heizungen, Lüftung oder Beleuchtung erneuern.</p>
    <p>Anträge werden ab dem ersten April über das Onlineportal des Ministeriums angenommen, die Mittel sind auf zwei Jahre angelegt.</p>
    """

    @Test func theArticleWinsOverMenusTeasersAndFurniture() throws {
        let page = try scrape("""
        <html><body class="single has-sidebar">
        <div class="top-bar"><ul class="menu"><li><a href="/">Start</a></li><li><a href="/presse">Presse</a></li></ul></div>
        <div class="breadcrumb"><a href="/">Home</a> › <a href="/presse">Presse</a></div>
        <div class="layout"><div class="entry-content">\(Self.article)
          <figure><img src="a.jpg"><figcaption>Foto: Agentur Beispiel</figcaption></figure>
          <div class="share-buttons"><a href="#">Facebook</a> <a href="#">X</a></div>
          <h3>Mehr zum Thema</h3>
          <ul><li><a href="/a">Ein anderer Artikel über Förderung</a></li><li><a href="/b">Noch ein Artikel über Energie</a></li></ul>
        </div>
        <div class="sidebar"><p>Newsletter abonnieren und immer informiert bleiben, jede Woche neu.</p></div></div>
        <div class="cookie-consent"><p>Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten, bitte zustimmen.</p></div>
        <footer><p>Impressum · Datenschutz · Kontakt</p></footer>
        </body></html>
        """)
        #expect(page.text.hasPrefix("Die Landesregierung hat am Dienstag"))
        #expect(page.text.hasSuffix("die Mittel sind auf zwei Jahre angelegt."))
        for junk in ["Start", "Home", "Foto: Agentur", "Facebook", "Mehr zum Thema", "anderer Artikel", "Newsletter", "Cookies", "Impressum"] {
            #expect(!page.text.contains(junk), "'\(junk)' reached the text: \(page.text)")
        }
        #expect(page.provenance["text"]?.hasPrefix("heuristic:main-content") == true)
    }

    /// `one-sidebar` and `layout-right-sidebar` name the layout of the wrappers around the
    /// article, not a sidebar.
    @Test func aWrapperNamedForItsLayoutIsNotASidebar() throws {
        let page = try scrape("""
        <html><body><div id="main" class="one-sidebar"><div class="container layout-right-sidebar"><article class="post">\(Self.article)</article></div>
        <div id="secondary" class="widget-area"><div class="bubble"><a href="/a">Ein Blog</a> Über das bunte Leben</div>
        <div class="bubble"><a href="/b">Noch ein Blog</a> Rezepte und Geschichten</div></div></div></body></html>
        """)
        #expect(page.text.hasPrefix("Die Landesregierung hat am Dienstag"), "\(page.text)")
        #expect(!page.text.contains("Rezepte und Geschichten"), "\(page.text)")
        #expect(page.provenance["text"]?.hasPrefix("heuristic:main-content") == true, "\(page.provenance)")
    }

    /// A `<header>` that holds the article's prose (a component's "description") is content;
    /// a masthead or a title-and-byline header stays furniture.
    /// Class names are split at any HTML white space, then at `-` and `_`.
    @Test(arguments: [
        ("sidebar", true), ("post sidebar-left", true), ("site-header", true), ("popup\n        ", true), ("nav_main", true),
        ("has-sidebar", false), ("layout-right-sidebar", false), ("one-sidebar", false), ("menu-open", false),
        ("header-fixed", false), ("sticky-header", false), ("content", false), ("sidebar-open main-nav", true), ("", false),
    ])
    func furnitureClassNames(names: String, furniture: Bool) {
        #expect(MainContentExtractor.hasFurnitureClass(names) == furniture, "\(names)")
    }

    @Test func aHeaderHoldingTheProseIsContent() throws {
        let page = try scrape("""
        <html><body><header class="site"><a href="/">Start</a> <a href="/presse">Presse</a> Das Portal der Landesregierung</header>
        <main><article><header class="description"><h1>Förderprogramm</h1><p class="byline">Von der Redaktion</p>
        <div class="richtext">\(Self.article)<p>Die Förderrichtlinie gilt für Betriebe in allen Landkreisen; Beratungsstellen der Kammern helfen bei Anträgen und Nachweisen.</p>
        <p>Weitere Informationen stehen auf den Seiten des Ministeriums, das die Mittel verwaltet und jährlich über ihre Verwendung berichtet.</p></div></header><figure><img src="a.jpg"></figure></article></main></body></html>
        """)
        #expect(page.text.contains("Die Landesregierung hat am Dienstag"), "\(page.text)")
        #expect(page.text.hasSuffix("jährlich über ihre Verwendung berichtet."), "\(page.text)")
        #expect(!page.text.contains("Von der Redaktion"), "\(page.text)")
        #expect(!page.text.contains("Das Portal der Landesregierung"), "\(page.text)")
    }

    /// A short block without a sentence end over a list that is dropped goes with it; a word
    /// inside a paragraph, followed by a link, is no heading. A furniture link standing alone
    /// between blocks is dropped; the same words linked inside a sentence are not.
    @Test func aLineThatIntroducesDroppedLinksGoesWithThem() throws {
        let page = try scrape("""
        <html><body><article>\(Self.article)
        <p>Mehr dazu im <span>Förderportal</span> <a href="/portal">des Landes</a>, wo auch die Richtlinie steht. Bitte <a href="/s">teilen</a> Sie den Hinweis.</p>
        <a href="/presse"><i class="icon"></i>zurück zur Listenansicht</a>
        <div class="teaser-title">Entdecke weitere Homestorys</div>
        <div class="teasers"><a href="/a">Wohnen im Altbau</a> <a href="/b">Grün in der Küche</a> <a href="/c">Vintage im Flur</a></div>
        </article></body></html>
        """)
        #expect(!page.text.contains("Entdecke weitere Homestorys"), "\(page.text)")
        #expect(page.text.contains("Mehr dazu im Förderportal des Landes, wo auch die Richtlinie steht. Bitte teilen Sie den Hinweis."), "\(page.text)")
        #expect(!page.text.contains("zurück zur Listenansicht"), "a link standing alone after the article: \(page.text)")
    }

    /// Furigana and pinyin are reading aids above the text, not part of it.
    @Test func rubyAnnotationsStayOutOfTheText() throws {
        let page = try scrape("""
        <html><body><article><h1>法律</h1>
        <p><ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rp>(</rp><rt>ぎゃくたい</rt><rp>)</rp></ruby>をなくすための<ruby>法律<rt>ほうりつ</rt></ruby>ができて、親が子どもを教育するために、体罰を禁止することになりました。</p>
        </article></body></html>
        """)
        #expect(page.text.contains("子どもへの虐待をなくすための法律ができて"), "\(page.text)")
        #expect(!page.text.contains("ぎゃくたい") && !page.text.contains("("), "\(page.text)")
    }

    @Test func anArticleSplitOverSeveralBlocksIsKeptWhole() throws {
        let page = try scrape("""
        <html><body><main><article>
        <div class="block"><div class="inner"><p>Erster Abschnitt mit genug Text, damit er als Absatz zählt, und mit Kommas, Punkten und mehr.</p>
        <p>Zweiter Absatz im ersten Block, ebenfalls lang genug, um gezählt zu werden, und mit weiteren Details.</p></div></div>
        <div class="block"><div class="inner"><p>Dritter Absatz in einem zweiten Block, der ebenfalls zum selben Artikel gehört, wie man sieht.</p>
        <p>Vierter Absatz, der den Artikel abschließt und die wichtigsten Punkte noch einmal zusammenfasst.</p></div></div>
        </article></main></body></html>
        """)
        #expect(page.text.contains("Erster Abschnitt") && page.text.contains("Vierter Absatz"), "\(page.text)")
    }

    @Test(arguments: [
        (#"<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2021-10-13T09:00:00+02:00"}]}</script>"#, "2021-10-13", "json-ld:datePublished"),
        // XHTML habits: the JSON inside a CDATA section, which an HTML parser keeps as text.
        (#"<script type="application/ld+json">//<![CDATA[\#n{"@type":"NewsArticle","datePublished":"2015-10-15T12:19:15Z"}\#n//]]></script>"#, "2015-10-15", "json-ld:datePublished"),
        (#"<meta property="article:published_time" content="2020-04-29T10:00:00Z">"#, "2020-04-29", "meta:article:published_time"),
        (#"<meta name="DC.date.issued" content="2019-12-10">"#, "2019-12-10", "meta:date"),
        (#"<time datetime="2022-01-02T08:00">2. Januar 2022</time>"#, "2022-01-02", "html:time"),
        (#"<p class="date">Veröffentlicht am 29.04.2020</p>"#, "2020-04-29", "text:date-element"),
        (#"<div class="meta">Publié le 15 avril 2021</div>"#, "2021-04-15", "text:date-element"),
        (#"<dl><dt>등록일</dt><dd>2024. 1. 25.</dd></dl>"#, "2024-01-25", "label:등록일"),
        (#"<span property="schema:dateCreated" content="2022-01-28T12:45:46+00:00"></span>"#, "2022-01-28", "rdfa:datePublished"),
        (#"<script>window.__STATE__={"page":{"publishedAt":"2022-01-31T15:58:43+01:00","title":"x"}}</script>"#, "2022-01-31", "script:publishedAt"),
        (#"<div class="docData"><span class="label">Stand:</span> <span class="value">25.01.2022</span></div>"#, "2022-01-25", "label:stand"),
        // A date line with a two-digit year.
        (#"<div class="article-meta">Von: Björn Jahner <span>|</span> <span>31.10.23</span></div>"#, "2023-10-31", "text:date-element"),
        // Drupal's "submitted" line.
        (#"<div class="submitted">Gespeichert von <span class="username">rasos</span> am 24. Juli 2017 - 18:55</div>"#, "2017-07-24", "text:date-element"),
        // hAtom's value-title pattern.
        (#"<span class="updated" title="2013-04-04T18:52:11+00:00"></span>"#, "2013-04-04", "microformat:updated"),
        (#"<abbr class="entry published" title="2012-05-06">May 6th</abbr>"#, "2012-05-06", "microformat:published"),
        // Dublin Core names in any case.
        (#"<meta name="DC.Date" content="2023-11-07T07:30+01:00">"#, "2023-11-07", "meta:date"),
    ])
    func publicationDatesWithoutRules(head: String, expected: String, source: String) throws {
        let page = try PageScraper().scrapeRelease(bytes: Data("<html><head>\(head)</head><body>\(head)<p>Text.</p></body></html>".utf8),
                                                   url: URL(string: "https://e.example/page")!, rules: ExtractionRules())
        #expect(page.published?.prefix(10) == Substring(expected), "\(head)")
        #expect(page.provenance["published"] == source)
    }

    @Test func theURLDateIsUsedWhenThePageHasNone() throws {
        let page = try scrape("<html><body><p>No date in this text.</p></body></html>")
        #expect(page.published == "2024-03-05")
        #expect(page.provenance["published"] == "url")
    }

    /// A UTC timestamp is said in the page's own offset when the page gives the same instant
    /// with one, or the same wall-clock time without one; else a URL day one day apart wins.
    @Test(arguments: [
        // An evening release in Denver: JSON-LD in UTC, the analytics block in local time.
        (#"<script type="application/ld+json">{"datePublished":"2023-11-09T01:09:55Z"}</script><script>var d = {'date': '2023-11-08T18:09:55-07:00'};</script>"#,
         "https://e.example/news/fire.html", "2023-11-08T18:09:55-07:00", "json-ld:datePublished+local-offset"),
        // The same wall-clock time without an offset, eight hours behind: the offset is known.
        (#"<script type="application/ld+json">{"datePublished":"2023-11-09T01:49:09Z"}</script><script>{"datePublished": "2023-11-08 17:49:09"}</script>"#,
         "https://e.example/news/fire.html", "2023-11-08T17:49:09-08:00", "json-ld:datePublished+local-offset"),
        // Another of the page's timestamps states its zone: the instant in that zone.
        (#"<meta property="article:published_time" content="2023-11-02T23:27:17Z"><meta property="article:modified_time" content="2023-11-05T10:00:00+01:00">"#,
         "https://e.example/news/fire.html", "2023-11-03T00:27:17+01:00", "meta:article:published_time+page-offset"),
        // Twelve hours apart is a 12-hour clock, not a zone: the UTC timestamp stays.
        (#"<script type="application/ld+json">{"datePublished":"2017-08-21T13:09:00Z"}</script><script>{"x": "2017-08-21 01:09:00"}</script>"#,
         "https://e.example/news/fire.html", "2017-08-21T13:09:00Z", "json-ld:datePublished"),
        // No local time on the page, but the URL's day is the day before.
        (#"<meta property="article:published_time" content="2023-11-09T03:28:35Z">"#,
         "https://e.example/2023/11/08/story/", "2023-11-08", "url(local day of meta:article:published_time)"),
        // The date line readers see says the next day, two hours east of Greenwich.
        (#"<meta property="article:published_time" content="2019-10-18T22:04:00Z"></head><body><div class="date">19.10.2019, 00:04 Uhr</div>"#,
         "https://e.example/news/story.html", "2019-10-19", "text(local day of meta:article:published_time)"),
        // A day before a midday UTC time would need a zone more than ten hours west: not local.
        (#"<meta property="article:published_time" content="2024-12-07T12:43:39Z"></head><body><div class="date">6 December 2024</div>"#,
         "https://e.example/news/story.html", "2024-12-07T12:43:39Z", "meta:article:published_time"),
        // A URL day two days apart is another story's day: the timestamp stays.
        (#"<meta property="article:published_time" content="2023-11-09T03:28:35Z">"#,
         "https://e.example/2023/11/07/story/", "2023-11-09T03:28:35Z", "meta:article:published_time"),
    ])
    func aUTCTimestampTakesThePagesOwnDay(head: String, address: String, expected: String, source: String) throws {
        let page = try PageScraper().scrapeRelease(bytes: Data("<html><head>\(head)</head><body><p>Text.</p></body></html>".utf8),
                                                   url: URL(string: address)!, rules: ExtractionRules())
        #expect(page.published == expected, "\(head)")
        #expect(page.provenance["published"] == source)
    }

    /// A publication date that a CMS restated as the day of the update gives way to an earlier
    /// claim in the page's `<head>`; an earlier date in the body (a teaser's) does not count.
    @Test func aPublicationDateRestatedAsTheUpdateGivesWayToTheOriginal() throws {
        let head = #"<meta property="article:published_time" content="2015-09-17T16:57:43+01:00"><meta property="article:modified_time" content="2016-05-08T10:11:51+01:00">"#
        let body = #"<meta itemprop="datePublished" content="2016-05-08T10:11:51+01:00"><p>Text.</p>"#
        let restated = try PageScraper().scrapeRelease(bytes: Data("<html><head>\(head)</head><body>\(body)</body></html>".utf8),
                                                       url: URL(string: "https://e.example/page")!, rules: ExtractionRules())
        #expect(restated.published == "2015-09-17T16:57:43+01:00")
        #expect(restated.provenance["published"] == "meta:article:published_time(earlier than the restated date)")

        let teaser = #"<script type="application/ld+json">{"datePublished":"2020-02-19T18:37:32+01:00","dateModified":"2020-02-19T18:37:32+01:00"}</script>"#
        let other = #"<div><meta itemprop="datePublished" content="2020-02-18T18:12:26+01:00"><a href="/other">Another story</a></div><p>Text.</p>"#
        let kept = try PageScraper().scrapeRelease(bytes: Data("<html><head>\(teaser)</head><body>\(other)</body></html>".utf8),
                                                   url: URL(string: "https://e.example/page")!, rules: ExtractionRules())
        #expect(kept.published == "2020-02-19T18:37:32+01:00")
        #expect(kept.provenance["published"] == "json-ld:datePublished")
    }

    func scrapeDate(_ html: String) throws -> ScrapedPage {
        try PageScraper().scrapeRelease(bytes: Data(html.utf8), url: URL(string: "https://e.example/page")!, rules: ExtractionRules())
    }

    /// A two-digit year is a date line's, never free text's.
    @Test func aTwoDigitYearIsReadOnlyInADateLine() throws {
        let page = try scrapeDate("<html><body><h1>Release notes</h1><p>Version 1.2.23 fixes 30.10.23 bugs.</p></body></html>")
        #expect(page.published == nil, "\(page.provenance)")
        let near = try scrapeDate(#"<html><body><div><span style="color: red">02.12.19</span><h1>What is on the cards</h1></div><p>Text.</p></body></html>"#)
        #expect(near.published == "2019-12-02")
        #expect(near.provenance["published"] == "text:near-heading")
    }

    /// A `<time>` in a `<blockquote>` belongs to an embedded post (Instagram, X), not to the page.
    @Test func anEmbeddedPostsTimeIsNotThePagesDate() throws {
        let page = try scrapeDate(#"""
        <html><body><article><h1>Title</h1><div class="PublishDate">29. Januar 2019</div>
        <blockquote class="instagram-media"><p>A post by <time datetime="2018-03-12T19:30:12+00:00">Mar 12, 2018</time></p></blockquote>
        <p>Text.</p></article></body></html>
        """#)
        #expect(page.published == "2019-01-29")
        #expect(page.provenance["published"] == "text:date-element")
    }

    /// The page prints the UTC instant itself: that printed day is the local one, whatever other
    /// date lines (a sidebar's, earlier in the page) say.
    @Test func theDayThePagePrintsForTheInstantIsItsDay() throws {
        let page = try scrapeDate(#"""
        <html><head><meta property="article:published_time" content="2022-02-08T18:05:43+00:00"></head><body>
        <aside><span class="td-post-date"><time datetime="2022-02-09T08:49:44+00:00">9. Februar 2022</time></span></aside>
        <h1>Title</h1><span class="td-post-date"><time datetime="2022-02-08T18:05:43+00:00">8. Februar 2022</time></span><p>Text.</p>
        </body></html>
        """#)
        #expect(page.published == "2022-02-08T18:05:43Z")
        #expect(page.provenance["published"] == "meta:article:published_time")
    }

    /// When the machine-readable claims disagree, the one whose day the page shows wins; a line
    /// that introduces its date as an update does not count, and neither does a teaser's microdata.
    @Test func disagreeingClaimsAreSettledByTheDayThePageShows() throws {
        let head = #"<script type="application/ld+json">{"datePublished":"2022-01-04T07:29:00Z"}</script><meta property="article:published_time" content="2022-01-06T08:29:34">"#
        let shown = try scrapeDate("<html><head>\(head)</head><body><h1>Vanlife</h1><div class=\"article__info\">06.01.2022</div><p>Text.</p></body></html>")
        #expect(shown.published == "2022-01-06T08:29:34")
        #expect(shown.provenance["published"] == "meta:article:published_time(the day the page shows)")

        let update = try scrapeDate("<html><head>\(head)</head><body><h1>Vanlife</h1><div class=\"c-byline\">By A. Writer <span>Updated <time class=\"c-byline__item\">Jan 6, 2022, 2:15pm</time></span></div><p>Text.</p></body></html>")
        #expect(update.published == "2022-01-04T07:29:00Z")
        #expect(update.provenance["published"] == "json-ld:datePublished")

        let agreeing = try scrapeDate(#"<html><head><script type="application/ld+json">{"datePublished":"2022-01-04T07:29:00Z"}</script></head><body><h1>Vanlife</h1><div class="info">06.01.2022</div><p>Text.</p></body></html>"#)
        #expect(agreeing.published == "2022-01-04T07:29:00Z", "no second claim: the shown day alone does not overrule")

        let teaser = try scrapeDate(#"<html><head><script type="application/ld+json">{"datePublished":"2022-02-02"}</script></head><body><h1>Taucher</h1><small class="news-list-date"><meta itemprop="datePublished" content="2022-01-31">31.01.2022</small><p>Text.</p></body></html>"#)
        #expect(teaser.published == "2022-02-02")
    }

    @Test func futureDatesAreNotPublicationDates() throws {
        let page = try PageScraper().scrapeRelease(bytes: Data(#"<html><head><meta name="date" content="2999-01-01"></head><body><p>Event on 2999-01-01.</p></body></html>"#.utf8),
                                                   url: URL(string: "https://e.example/page")!, rules: ExtractionRules())
        #expect(page.published == nil)
    }
}

@Suite struct RulelessTitleAndFieldTests {
    @Test func titlesLoseTheSiteName() {
        let f = TitleFinder()
        #expect(f.clean("Public Wi-Fi Expanded | Ministry of Science and ICT", siteName: nil, headings: ["Public Wi-Fi Expanded"]) == "Public Wi-Fi Expanded")
        #expect(f.clean("인공지능 반도체 산업 육성 전략 발표 | Ministry of Science and ICT", siteName: "Ministry of Science and ICT") == "인공지능 반도체 산업 육성 전략 발표")
        #expect(f.clean("A very long release title about the national budget - Ministry", siteName: nil) == "A very long release title about the national budget")
        // Titles whose parts are all substantial keep their separator.
        #expect(f.clean("Berlin - Brandenburg agree on a shared airport plan", siteName: nil) == "Berlin - Brandenburg agree on a shared airport plan")
    }

    @Test func labelledFieldsAreFoundWithoutRules() throws {
        let html = "<html><body><dl><dt>담당부서</dt><dd>우주정책과</dd><dt>작성자</dt><dd>김지원</dd><dt>연락처</dt><dd>044-202-4612</dd></dl><p>본문</p></body></html>"
        let page = try PageScraper().scrapeRelease(bytes: Data(html.utf8), url: URL(string: "https://e.kr/v")!, rules: ExtractionRules())
        #expect(page.fields == ["department": "우주정책과", "author": "김지원", "contact": "044-202-4612"])
        #expect(page.provenance["fields.department"] == "heuristic:label:담당부서")
    }
}

@Suite struct RulelessMetadataTests {
    @Test func updatedDateSiteNameAndAuthorAreKeptApart() throws {
        let html = """
        <html><head><title>Budget plan approved | Ministry of Finance</title>
        <meta property="og:site_name" content="Ministry of Finance">
        <meta property="article:published_time" content="2024-01-30T09:00:00+09:00">
        <meta property="article:modified_time" content="2024-02-02T10:00:00+09:00">
        <meta name="author" content="Park Seoyeon"></head>
        <body><h1>Budget plan approved</h1><p>The plan was approved by the cabinet on Tuesday, with changes to research funding and grants.</p></body></html>
        """
        let page = try PageScraper().scrapeRelease(bytes: Data(html.utf8), url: URL(string: "https://e.example/news/1")!, rules: ExtractionRules())
        #expect(page.title == "Budget plan approved")
        #expect(page.published == "2024-01-30T09:00:00+09:00")
        #expect(page.updated == "2024-02-02T10:00:00+09:00" && page.provenance["updated"] == "meta:modified")
        #expect(page.siteName == "Ministry of Finance" && page.provenance["site_name"] == "meta:og:site_name")
        #expect(page.fields["author"] == "Park Seoyeon" && page.provenance["fields.author"] == "meta:author")
    }

    @Test func aRuleForAFieldWinsOverTheHeuristic() throws {
        let html = #"<html><head><meta name="author" content="Web Team"></head><body><p class="by">Kim Jiwon</p><p>Text of the release goes here.</p></body></html>"#
        let page = try PageScraper().scrapeRelease(bytes: Data(html.utf8), url: URL(string: "https://e.example/n")!,
                                                   rules: ExtractionRules(fields: ["author": "//p[@class='by']"]))
        #expect(page.fields["author"] == "Kim Jiwon")
        #expect(page.provenance["fields.author"] == "xpath://p[@class='by']")
    }

    @Test func labelledUpdateDatesAreRead() throws {
        let html = "<html><body><dl><dt>등록일</dt><dd>2024.01.25</dd><dt>수정일</dt><dd>2024.02.01</dd></dl><p>본문입니다.</p></body></html>"
        let page = try PageScraper().scrapeRelease(bytes: Data(html.utf8), url: URL(string: "https://e.kr/v")!, rules: ExtractionRules())
        #expect(page.published == "2024-01-25" && page.updated == "2024-02-01")
    }
}
