import Foundation
import TrawlNormalize
/// Finds a page's main text when no rule says where it is: page furniture (menus,
/// breadcrumbs, share bars, cookie banners, footers, related links) is cut by tag and by
/// class/id names, paragraphs vote for the container that holds them (a readability-style
/// score weighted by how little of the text is links), and the best container's text is
/// taken — with sibling blocks that belong to the same article, and without link-heavy
/// blocks inside it. One pass collects every node's statistics; rendering reuses them.
struct MainContentExtractor {
    // `form` is not here: ASP.NET pages wrap the whole page in one. Small forms (search,
    // login, newsletter) are cut after their text is counted.
    static let boilerplateTags: Set<String> = ["nav", "header", "footer", "aside", "menu", "button", "select", "dialog", "figcaption"]
    static let paragraphTags: Set<String> = ["p", "pre", "blockquote", "td", "li", "dd", "h2", "h3", "h4", "div", "span", "section", "font", "article"]
    static let blockTags: Set<String> = ["p", "div", "section", "article", "ul", "ol", "li", "table", "tr", "td", "blockquote", "pre",
                                         "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dd", "dt", "figure", "main", "header", "footer", "nav", "aside", "form", "br"]
    static let boilerplateWords: Set<Substring> = [
        "nav", "navbar", "navigation", "menu", "gnb", "lnb", "snb", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "location",
        "share", "sharing", "social", "sns", "cookie", "cookies", "consent", "banner", "footer", "sidebar", "side",
        "related", "recommend", "recommended", "comment", "comments", "advert", "advertisement", "ads", "ad",
        "promo", "subscribe", "newsletter", "login", "search", "skip", "pagination", "paging", "pager", "tags", "tag",
        "toolbar", "print", "copyright", "popup", "modal", "more", "rating", "disclaimer",
        "kogl", "gotop", "quick", "quickmenu", "utility", "util", "sitemap", "header", "masthead",
        // Image captions and credits, author boxes, comment forms.
        "caption", "credit", "credits", "copyright", "author", "authors", "bio", "byline", "respond", "reply", "akismet",
        "newsletter", "donate", "donation", "spende", "contact", "kontakt", "infobox", "factbox",
    ]
    static let layoutWords: Set<Substring> = ["has", "with", "no", "without", "show", "hide", "is", "enable", "disable", "layout", "sticky", "fixed",
                                              "one", "two", "three", "single", "double", "dual"]
    /// Words after a furniture word that make it a state of the page: `header-fixed`, `menu-open`.
    static let modifierWords: Set<Substring> = ["fixed", "sticky", "layout", "style", "open", "closed"]
    static let contentWords = ["content", "article", "post-body", "entry", "story", "text"]
    /// Short blocks that are page furniture whatever their markup: share, comment and
    /// "read more" lines in the languages the archives use most.
    static let boilerplatePhrases: Set<String> = [
        "leave a reply", "leave a comment", "related articles", "related posts", "related stories", "read more",
        "share this", "share this article", "share", "print", "more stories", "latest articles", "you may also like",
        "diese seite teilen", "seite teilen", "artikel teilen", "news teilen", "teilen", "drucken", "nach oben",
        "hinterlasse eine antwort", "mehr zum thema", "weiterführende informationen", "zum weiterlesen",
        "das könnte sie auch interessieren", "zurück zur listenansicht", "zurück", "weitere artikel",
        "partager", "imprimer", "lire aussi", "à lire aussi", "compartir", "imprimir", "leer más",
        "목록", "이전글", "다음글", "공유하기", "인쇄", "top", "맨위로",
    ]

    static let creditPrefixes = ["foto:", "fotos:", "photo:", "photos:", "bild:", "bildquelle:", "quelle:", "credit:", "credits:",
                                 "crédits photos", "crédit photo", "©", "(c) ", "copyright", "image:", "bildnachweis"]
    static let stockAgencies = ["istock", "getty images", "shutterstock", "fotolia", "adobe stock", "imago images", "picture alliance", "dpa-infocom"]

    /// Share/"read more" lines and image credits, recognised by their words.
    static func isFurnitureLine(_ raw: String, length: Int) -> Bool {
        // Trimmed by scalar properties in Swift: Foundation's CharacterSet trimming is many
        // times slower on Linux, and this runs for every short block of every page.
        let t = String(trim(Substring(lowercased(raw)), where: isWhitespace))
        if length <= 40, boilerplatePhrases.contains(String(trim(Substring(t), where: isPunctuation))) { return true }
        if creditPrefixes.contains(where: { t.hasPrefix($0) }) { return true }
        // Byte search: Foundation's `contains` is many times slower on Linux, and these
        // needles are ASCII.
        let bytes = Array(t.utf8)
        return stockAgencyBytes.contains { ByteSearch.contains($0, in: bytes) }
    }

    static func isWhitespace(_ u: Unicode.Scalar) -> Bool { u.isWhitespaceFast }

    /// `lowercased()`, with a byte loop for ASCII text (most lines; the Unicode case mapping
    /// is a large share of the main-content pass otherwise).
    static func lowercased(_ s: String) -> String {
        guard s.utf8.allSatisfy({ $0 < 0x80 }) else { return s.lowercased() }
        return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    static func isPunctuation(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: true
        default: false
        }
    }

    static func trim(_ s: Substring, where drop: (Unicode.Scalar) -> Bool) -> Substring {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }),
              let last = scalars.lastIndex(where: { !drop($0) }) else { return "" }
        return Substring(scalars[first...last])
    }

    static let stockAgencyBytes = stockAgencies.map { Array($0.utf8) }

    struct Stats { var text = 0; var links = 0; var commas = 0 }

    private final class State {
        var scores: [OpaquePointer: Double] = [:]
        var nodes: [OpaquePointer: HTMLNode] = [:]
        var stats: [OpaquePointer: Stats] = [:]
        var furniture = Set<OpaquePointer>()
        /// The best score anywhere in each subtree.
        var subtreeBest: [OpaquePointer: Double] = [:]
    }

    func text(of root: HTMLNode) -> (text: String, container: String)? {
        let state = State()
        // A page has a few thousand elements: growing the tables step by step costs more
        // than reserving them once.
        state.stats.reserveCapacity(4096)
        _ = collect(root, state, inLink: false)
        guard let best = state.scores.max(by: { $0.value < $1.value }), best.value > 0, var node = state.nodes[best.key] else { return nil }
        // An article split over repeated blocks (slides, columns, sections) scores in each of
        // them: climb while the parent holds other blocks that score nearly as well.
        for _ in 0..<6 {
            guard let parent = node.parent, parent.kind == .element, !["body", "html"].contains(parent.name) else { break }
            let strong = parent.children.contains {
                $0.pointer != node.pointer && $0.kind == .element && (state.subtreeBest[$0.pointer] ?? 0) >= best.value * 0.5
            }
            // Wrappers that add almost no text of their own are climbed through too.
            let mine = state.stats[node.pointer].map { $0.text - $0.links } ?? 0
            let theirs = state.stats[parent.pointer].map { $0.text - $0.links } ?? 0
            if !strong && Double(theirs) > Double(mine) * 1.05 + 10 { break }
            node = parent
        }
        var out = ""
        // Siblings that are solid paragraphs belong to the same article.
        if let parent = node.parent {
            for sibling in parent.children {
                if sibling.pointer == node.pointer { render(sibling, state, into: &out); continue }
                guard sibling.kind == .element, !state.furniture.contains(sibling.pointer) else { continue }
                let s = state.stats[sibling.pointer] ?? Stats()
                let solid = s.text >= 80 && Double(s.links) / Double(max(s.text, 1)) < 0.25
                    && ["p", "div", "section", "blockquote", "ul", "ol", "table", "pre"].contains(sibling.name)
                if (state.subtreeBest[sibling.pointer] ?? 0) >= best.value * 0.25 || solid { render(sibling, state, into: &out) }
            }
        } else {
            render(node, state, into: &out)
        }
        let text = TextExtractor.finish(out)
        // A short release is still better read from its scored container than from the body.
        return text.count >= 20 ? (text, node.name) : nil
    }

    /// Gathers text, link and comma counts of every subtree and lets paragraphs vote.
    private func collect(_ node: HTMLNode, _ state: State, inLink: Bool) -> Stats {
        switch node.kind {
        case .text:
            var s = Stats()
            for u in node.text.unicodeScalars {
                if u.isWhitespaceFast { continue }
                s.text += 1
                if u == "," || u == "." || u == "，" || u == "、" || u == "。" { s.commas += 1 }
            }
            if inLink { s.links = s.text }
            return s
        case .element, .document:
            let name = node.name
            if node.kind == .element && isFurniture(node, name: name) {
                if name == "header", let prose = proseHeader(node, state, inLink: inLink) { return prose }
                state.furniture.insert(node.pointer)
                return Stats()
            }
            let isLink = name == "a"
            var stats = Stats()
            var own = Stats()
            var hasBlockChild = false
            let children = node.children
            for child in children {
                let s = collect(child, state, inLink: inLink || isLink)
                stats.text += s.text; stats.links += s.links; stats.commas += s.commas
                let kind = child.kind
                if !hasBlockChild, kind == .element, Self.blockTags.contains(child.name) { hasBlockChild = true }
                if kind == .text { own.text += s.text - s.links; own.commas += s.commas }
            }
            state.stats[node.pointer] = stats
            if name == "form" && stats.text - stats.links < 300 {
                state.furniture.insert(node.pointer)
                return Stats()
            }
            // Inline-only blocks (a <p> whose text sits in <span>s) count all their non-link
            // text; blocks with nested blocks count only their own text nodes.
            let paragraph = hasBlockChild ? own : Stats(text: stats.text - stats.links, links: 0, commas: stats.commas)
            if paragraph.text >= 25, Self.paragraphTags.contains(name), let parent = node.parent {
                // Long paragraphs weigh more than many short lines (menus, teasers, lists).
                let vote = 1 + Double(min(paragraph.commas, 10)) / 2 + min(Double(paragraph.text) / 50, 20)
                state.scores[parent.pointer, default: 0] += vote
                state.nodes[parent.pointer] = parent
                if let grand = parent.parent {
                    state.scores[grand.pointer, default: 0] += vote / 2
                    state.nodes[grand.pointer] = grand
                }
            }
            if let score = state.scores[node.pointer] {
                let density = stats.text == 0 ? 1 : Double(stats.links) / Double(stats.text)
                state.scores[node.pointer] = score * (1 - density)
            }
            var best = state.scores[node.pointer] ?? 0
            for child in children where child.kind == .element { best = max(best, state.subtreeBest[child.pointer] ?? 0) }
            if best > 0 { state.subtreeBest[node.pointer] = best }
            return stats
        default:
            return Stats()
        }
    }

    /// A `<header>` is furniture (a masthead, or a title and byline the record has apart)
    /// unless it holds the prose itself, as components that put an article's text in their
    /// "description" header do: then it is collected like any block. Its votes are counted
    /// aside first, so a header that is furniture after all leaves no trace.
    private func proseHeader(_ node: HTMLNode, _ state: State, inLink: Bool) -> Stats? {
        let aside = State()
        var stats = Stats()
        for child in node.children {
            let s = collect(child, aside, inLink: inLink)
            stats.text += s.text; stats.links += s.links; stats.commas += s.commas
        }
        let prose = stats.text - stats.links
        guard prose >= 500, Double(stats.links) <= Double(stats.text) * 0.25 else { return nil }
        for (k, v) in aside.scores { state.scores[k, default: 0] += v }
        state.nodes.merge(aside.nodes) { a, _ in a }
        state.stats.merge(aside.stats) { _, b in b }
        state.furniture.formUnion(aside.furniture)
        state.subtreeBest.merge(aside.subtreeBest) { a, b in max(a, b) }
        state.stats[node.pointer] = stats
        if let best = aside.subtreeBest.values.max(), best > 0 { state.subtreeBest[node.pointer] = best }
        return stats
    }

    static let furnitureRoles: Set<String> = ["navigation", "banner", "contentinfo", "search", "complementary", "dialog", "menu"]
    static let pageContainers: Set<String> = ["body", "html", "main", "article"]

    private func isFurniture(_ node: HTMLNode, name: String) -> Bool {
        if TextExtractor.invisible.contains(name) || Self.boilerplateTags.contains(name) { return true }
        guard node.hasAttributes else { return false }
        if node.attribute("hidden") != nil || node.attribute("aria-hidden") == "true" { return true }
        if let role = node.attribute("role"), Self.furnitureRoles.contains(role) { return true }
        // Page-level containers name the layout (`has-sidebar`, `header-fixed`), not themselves.
        if Self.pageContainers.contains(name) { return false }
        let names = Self.lowercased((node.attribute("class") ?? "") + " " + (node.attribute("id") ?? ""))
        guard names.utf8.count > 1, Self.hasFurnitureClass(names) else { return false }
        // A container named for the content itself is kept even if it also says "header".
        let bytes = Array(names.utf8)
        return !Self.contentWordBytes.contains { ByteSearch.contains($0, in: bytes) }
    }

    static let contentWordBytes = contentWords.map { Array($0.utf8) }

    /// Whether a class (or id) in the space-separated `names` has a furniture word as one of
    /// its `-`/`_` parts. `layoutWords` before it make the rest of the name a layout modifier:
    /// `has-sidebar`, `layout-right-sidebar`, `one-sidebar` (the wrapper of a page laid out with
    /// one sidebar, Drupal's and WordPress themes' habit), not the sidebar itself; a
    /// `modifierWords` right after it makes it a state (`menu-open`). One pass over the bytes:
    /// this runs for every element with a class on every page.
    static func hasFurnitureClass(_ names: String) -> Bool {
        let utf8 = names.utf8
        var layoutSeen = false, pending = false
        var partStart = utf8.startIndex, i = utf8.startIndex
        while true {
            let atEnd = i == utf8.endIndex
            let byte = atEnd ? 0x20 : utf8[i]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") {
                if partStart < i {
                    let part = names[partStart..<i]
                    if pending {
                        if !modifierWords.contains(part) { return true }
                        pending = false
                    }
                    if !layoutSeen, boilerplateWords.contains(part) { pending = true }
                    if layoutWords.contains(part) { layoutSeen = true }
                }
                // The end of a class name: a furniture word with nothing after it.
                if byte != UInt8(ascii: "-") && byte != UInt8(ascii: "_") {
                    if pending { return true }
                    layoutSeen = false
                }
                if atEnd { return false }
                partStart = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
    }

    /// Blocks dropped when they are mostly links, and elements that may be a furniture line.
    static let linkListBlocks: Set<String> = ["ul", "ol", "div", "section", "table", "p"]
    static let furnitureLineTags: Set<String> = ["p", "div", "span", "h2", "h3", "h4", "h5", "h6", "li", "strong", "b", "small", "em"]
    static let subheadings: Set<String> = ["h2", "h3", "h4", "h5", "h6"]

    /// The container's text, without furniture and without link-heavy blocks (nor the
    /// headings that introduce them: "Related articles" over a list of links).
    private func render(_ node: HTMLNode, _ state: State, into out: inout String) {
        let extractor = TextExtractor()
        func dropped(_ n: HTMLNode) -> Bool {
            if state.furniture.contains(n.pointer) { return true }
            let name = n.name
            if Self.linkListBlocks.contains(name), let s = state.stats[n.pointer],
               s.text > 0, Double(s.links) / Double(s.text) > 0.6, s.text - s.links < 150 { return true }
            if Self.furnitureLineTags.contains(name) || standaloneLink(n),
               let s = state.stats[n.pointer], s.text <= 100, Self.isFurnitureLine(n.stringValue, length: s.text) { return true }
            return false
        }
        // A link that stands between blocks ("zurück zur Listenansicht" after the last
        // paragraph), not one inside a sentence ("please share it").
        func standaloneLink(_ n: HTMLNode) -> Bool {
            guard n.name == "a", let siblings = n.parent?.children, let i = siblings.firstIndex(where: { $0.pointer == n.pointer }) else { return false }
            func blank(_ m: HTMLNode?) -> Bool { m.map { $0.kind != .text || $0.text.unicodeScalars.allSatisfy(\.isWhitespaceFast) } ?? true }
            return blank(i > 0 ? siblings[i - 1] : nil) && blank(i + 1 < siblings.count ? siblings[i + 1] : nil)
        }
        // A heading, or a short block that reads as one ("Entdecke weitere Homestorys",
        // "热门推荐": no sentence end), introduces the block that follows it. (Not inline
        // elements: a word in a paragraph is followed by links and is no heading.)
        func headingLike(_ n: HTMLNode, before next: HTMLNode) -> Bool {
            let name = n.name
            if Self.subheadings.contains(name) { return true }
            guard name == "p" || name == "div", Self.blockTags.contains(next.name),
                  let s = state.stats[n.pointer], s.text > 0, s.text <= 40 else { return false }
            let last = n.stringValue.unicodeScalars.last(where: { !$0.isWhitespaceFast })
            return last.map { !".!?。！？…:：\"”»)）".unicodeScalars.contains($0) } ?? false
        }
        func walk(_ n: HTMLNode) {
            switch n.kind {
            case .text:
                extractor.appendText(n.text, to: &out)
            case .element, .document:
                if dropped(n) { return }
                extractor.open(n.name, into: &out)
                let children = n.children
                for (i, child) in children.enumerated() {
                    if let next = children[(i + 1)...].first(where: { $0.kind == .element }), headingLike(child, before: next), dropped(next),
                       state.furniture.contains(next.pointer) || (state.stats[next.pointer]?.text ?? 0) > 0 { continue }
                    walk(child)
                }
                extractor.close(n.name, into: &out)
            default:
                return
            }
        }
        walk(node)
    }
}
