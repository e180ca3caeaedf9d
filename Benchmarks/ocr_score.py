"""The order-independent measure the OCR scripts share (issue #13): bag-of-words F1 over Hangul
syllable runs and other words, NFKC, lower-cased."""
import collections, re, unicodedata

WORD = re.compile(r"[\uac00-\ud7a3]+|[^\W_\uac00-\ud7a3]+")


def words(text):
    return WORD.findall(unicodedata.normalize("NFKC", text).lower())


def f1(got, truth):
    """F1, precision and recall of `got`'s words against `truth`'s."""
    g, t = collections.Counter(words(got)), collections.Counter(words(truth))
    common = sum((g & t).values())
    if not common:
        return 0.0, 0.0, 0.0
    p, r = common / sum(g.values()), common / sum(t.values())
    return 2 * p * r / (p + r), p, r
