#include "CTrawlOCR.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

namespace {

std::once_flag quietened;

// Leptonica reports every decoding problem on stderr; Trawl reports them as typed errors.
void quieten() {
    std::call_once(quietened, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

struct PixDeleter {
    void operator()(Pix *pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

char *copyString(const std::string &s, size_t *length) {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (out == nullptr) return nullptr;
    std::memcpy(out, s.data(), s.size());
    out[s.size()] = '\0';
    if (length != nullptr) *length = s.size();
    return out;
}

// The code points of a UTF-8 word (Tesseract's output is well-formed UTF-8).
std::vector<uint32_t> codePoints(const char *word) {
    std::vector<uint32_t> out;
    const unsigned char *p = reinterpret_cast<const unsigned char *>(word);
    while (*p) {
        uint32_t c = *p;
        int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        if (extra) c &= 0x3F >> extra;
        p++;
        for (int i = 0; i < extra && (*p & 0xC0) == 0x80; i++, p++) c = (c << 6) | (*p & 0x3F);
        out.push_back(c);
    }
    return out;
}

// Letters and digits in a word: ASCII alphanumerics and every non-ASCII character outside
// the punctuation, symbol and box-drawing blocks (General Punctuation, CJK Symbols and
// Punctuation, Box Drawing, Geometric Shapes, Latin-1 punctuation).
size_t textCharacters(const char *word) {
    size_t count = 0;
    for (uint32_t c : codePoints(word)) {
        count += c < 0x80 ? std::isalnum(static_cast<int>(c)) != 0
                          : !((c >= 0xA0 && c <= 0xBF) || (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF0F));
    }
    return count;
}

// A long word made of very few distinct characters: what OCR makes of dot leaders and
// hatching. Runs of digits (10000000) are numbers, not noise.
bool isLeaderNoise(const char *word) {
    std::vector<uint32_t> chars = codePoints(word);
    bool digits = std::all_of(chars.begin(), chars.end(), [](uint32_t c) { return c < 0x80 && std::isdigit(static_cast<int>(c)); });
    size_t total = chars.size();
    if (total < 6 || digits) return false;
    std::sort(chars.begin(), chars.end());
    size_t distinct = static_cast<size_t>(std::unique(chars.begin(), chars.end()) - chars.begin());
    return static_cast<double>(distinct) / static_cast<double>(total) < 0.35;
}

// Share of the binarised page's foreground that lies inside the boxes of recognised words:
// low when a segmentation missed whole blocks of text (or the page is mostly drawings).
double inkCoverage(Pix *binary, const std::vector<Box *> &boxes) {
    l_int32 total = 0;
    if (binary == nullptr || pixCountPixels(binary, &total, nullptr) != 0 || total == 0) return 0;
    PixPtr mask(pixCreate(pixGetWidth(binary), pixGetHeight(binary), 1));
    if (!mask) return 0;
    for (Box *b : boxes) {
        l_int32 x, y, w, h;
        boxGetGeometry(b, &x, &y, &w, &h);
        pixRasterop(mask.get(), x, y, w, h, PIX_SET, nullptr, 0, 0);
    }
    pixAnd(mask.get(), mask.get(), binary);
    l_int32 inside = 0;
    pixCountPixels(mask.get(), &inside, nullptr);
    return static_cast<double>(inside) / static_cast<double>(total);
}

} // namespace

struct trawl_ocr {
    tesseract::TessBaseAPI api;
};

const char *trawl_ocr_engine_version(void) {
    return tesseract::TessBaseAPI::Version();
}

trawl_ocr *trawl_ocr_open(const char *datapath, const char *languages) {
    quieten();
    try {
        std::unique_ptr<trawl_ocr> ocr(new trawl_ocr);
        ocr->api.SetVariable("debug_file", "/dev/null");
        if (ocr->api.Init(datapath, languages, tesseract::OEM_LSTM_ONLY) != 0) return nullptr;
        return ocr.release();
    } catch (...) {
        return nullptr;
    }
}

// A .traineddata file starts with the number of entries (int32) and their offsets (int64
// each, -1 when absent); the version string is entry 23 (TESSDATA_VERSION) and runs to the
// next present entry or the end of the file.
char *trawl_ocr_data_version(const char *datapath, const char *language) {
    std::string path = std::string(datapath) + "/" + language + ".traineddata";
    FILE *f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return nullptr;
    char *out = nullptr;
    int32_t count = 0;
    const int versionEntry = 23;
    if (std::fread(&count, 4, 1, f) == 1 && count > versionEntry && count < 1000) {
        std::vector<int64_t> offsets(static_cast<size_t>(count));
        if (std::fread(offsets.data(), 8, offsets.size(), f) == offsets.size() && offsets[versionEntry] > 0) {
            std::fseek(f, 0, SEEK_END);
            int64_t end = std::ftell(f);
            for (int i = versionEntry + 1; i < count; i++) {
                if (offsets[i] > offsets[versionEntry]) { end = offsets[i]; break; }
            }
            int64_t size = end - offsets[versionEntry];
            if (size > 0 && size < 4096 && std::fseek(f, offsets[versionEntry], SEEK_SET) == 0) {
                std::string version(static_cast<size_t>(size), '\0');
                if (std::fread(&version[0], 1, version.size(), f) == version.size()) {
                    version.resize(std::strlen(version.c_str()));
                    out = copyString(version, nullptr);
                }
            }
        }
    }
    std::fclose(f);
    return out;
}

namespace {

// Recognises the image already set on `api` (with its layout, if analysed) and fills `out`.
void recognise(tesseract::TessBaseAPI &api, int deadline_ms, trawl_ocr_page *out) {
    std::vector<Box *> boxes;
    try {
        tesseract::ETEXT_DESC monitor;
        if (deadline_ms > 0) monitor.set_deadline_msecs(deadline_ms);
        int failed = api.Recognize(&monitor);
        if (deadline_ms > 0 && monitor.deadline_exceeded()) {
            out->status = TRAWL_OCR_TIMEOUT;
            return;
        }
        if (failed != 0) return;
        std::unique_ptr<char[]> text(api.GetUTF8Text());
        std::string s = text ? std::string(text.get()) : std::string();
        double confidenceSum = 0, confident = 0;
        int words = 0, lone = 0;
        std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
        if (it) {
            do {
                std::unique_ptr<char[]> word(it->GetUTF8Text(tesseract::RIL_WORD));
                if (!word || word[0] == '\0') continue;
                float confidence = it->Confidence(tesseract::RIL_WORD);
                if (confidence < 0) confidence = 0;
                words += 1;
                confidenceSum += confidence;
                // Only words that look like text count towards how much a reading found and
                // which ink it explains: not punctuation (dot leaders, rules, specks), not a
                // word read at under half confidence, not a run of a few repeated letters
                // (dot leaders read as 아아아아 or eeeeee). Lone characters are counted apart
                // but kept: Tesseract's Korean output spaces many syllables on their own.
                size_t letters = textCharacters(word.get());
                if (letters == 1) lone += 1;
                if (confidence < 50 || letters == 0 || isLeaderNoise(word.get())) continue;
                confident += static_cast<double>(letters) * confidence / 100.0;
                int l, t, r, b;
                if (it->BoundingBox(tesseract::RIL_WORD, &l, &t, &r, &b)) boxes.push_back(boxCreate(l, t, r - l, b - t));
            } while (it->Next(tesseract::RIL_WORD));
        }
        PixPtr binary(api.GetThresholdedImage());
        out->ink_coverage = inkCoverage(binary.get(), boxes);
        out->words = words;
        out->lone_words = lone;
        out->mean_confidence = words > 0 ? confidenceSum / words : 0;
        out->confident_chars = confident;
        out->text = copyString(s, &out->length);
        out->status = out->text != nullptr ? TRAWL_OCR_OK : TRAWL_OCR_MEMORY;
    } catch (const std::bad_alloc &) {
        out->status = TRAWL_OCR_MEMORY;
    } catch (...) {
        out->status = TRAWL_OCR_FAILED;
    }
    for (Box *b : boxes) boxDestroy(&b);
}

} // namespace

void trawl_ocr_recognize(trawl_ocr *ocr, const unsigned char *gray, int width, int height, int stride,
                         int dpi, int psm, int deadline_ms, trawl_ocr_page *out) {
    std::memset(out, 0, sizeof *out);
    out->status = TRAWL_OCR_FAILED;
    out->psm = psm;
    tesseract::TessBaseAPI &api = ocr->api;
    try {
        api.SetPageSegMode(static_cast<tesseract::PageSegMode>(psm));
        api.SetImage(gray, width, height, 1, stride);
        if (dpi > 0) api.SetSourceResolution(dpi);
        recognise(api, deadline_ms, out);
    } catch (...) {
        out->status = TRAWL_OCR_FAILED;
    }
    api.Clear();
}

void trawl_ocr_recognize_page(trawl_ocr *ocr, const unsigned char *gray, int width, int height, int stride,
                              double one_block_below, int deadline_ms, trawl_ocr_page *out) {
    std::memset(out, 0, sizeof *out);
    out->status = TRAWL_OCR_FAILED;
    out->psm = 3;
    tesseract::TessBaseAPI &api = ocr->api;
    std::vector<Box *> lines;
    try {
        api.SetPageSegMode(tesseract::PSM_AUTO);
        api.SetImage(gray, width, height, 1, stride);
        // The automatic layout first, alone: its text lines' share of the ink says whether it
        // understood the page. Recognition then reuses the layout (no second analysis).
        std::unique_ptr<tesseract::PageIterator> it(api.AnalyseLayout());
        if (it) {
            do {
                int l, t, r, b;
                if (it->BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &r, &b)) lines.push_back(boxCreate(l, t, r - l, b - t));
            } while (it->Next(tesseract::RIL_TEXTLINE));
        }
        it.reset();
        PixPtr binary(api.GetThresholdedImage());
        out->layout_coverage = inkCoverage(binary.get(), lines);
        if (out->layout_coverage < one_block_below) {
            out->psm = 6;
            api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
            api.SetImage(gray, width, height, 1, stride);
        }
        double layout = out->layout_coverage;
        int psm = out->psm;
        recognise(api, deadline_ms, out);
        out->layout_coverage = layout;
        out->psm = psm;
    } catch (...) {
        out->status = TRAWL_OCR_FAILED;
    }
    for (Box *b : lines) boxDestroy(&b);
    api.Clear();
}

void trawl_ocr_page_free(trawl_ocr_page *page) {
    std::free(page->text);
    page->text = nullptr;
    page->length = 0;
}

void trawl_ocr_close(trawl_ocr *ocr) {
    if (ocr != nullptr) ocr->api.End();
    delete ocr;
}

int trawl_image_frames(const void *bytes, size_t length, int max_frames) {
    quieten();
    auto data = static_cast<const l_uint8 *>(bytes);
    l_int32 format = IFF_UNKNOWN;
    if (length < 12 || findFileFormatBuffer(data, &format) != 0 || format == IFF_UNKNOWN) return 0;
    if (!L_FORMAT_IS_TIFF(format)) return 1;
    int n = 0;
    while (n < max_frames) {
        l_int32 w, h, bps, spp, res, cmap, fmt;
        if (readHeaderMemTiff(data, length, n, &w, &h, &bps, &spp, &res, &cmap, &fmt) != 0) break;
        n += 1;
    }
    return n;
}

int trawl_image_size(const void *bytes, size_t length, int frame, int *width, int *height) {
    quieten();
    auto data = static_cast<const l_uint8 *>(bytes);
    l_int32 format = IFF_UNKNOWN, bps = 0, spp = 0, cmap = 0, res = 0;
    *width = *height = 0;
    if (length < 12 || findFileFormatBuffer(data, &format) != 0) return 1;
    if (L_FORMAT_IS_TIFF(format)) return readHeaderMemTiff(data, length, frame, width, height, &bps, &spp, &res, &cmap, &format) != 0;
    return pixReadHeaderMem(data, length, &format, width, height, &bps, &spp, &cmap) != 0;
}

unsigned char *trawl_image_gray(const void *bytes, size_t length, int frame,
                                int *width, int *height, int *stride, int *status) {
    quieten();
    *width = *height = *stride = 0;
    *status = TRAWL_IMAGE_DAMAGED;
    auto data = static_cast<const l_uint8 *>(bytes);
    l_int32 format = IFF_UNKNOWN;
    if (length < 12 || findFileFormatBuffer(data, &format) != 0) return nullptr;
    PixPtr pix(L_FORMAT_IS_TIFF(format) ? pixReadMemTiff(data, length, frame) : pixReadMem(data, length));
    if (!pix) return nullptr;
    // Transparent pixels are blended onto white paper, as a viewer shows them.
    if (pixGetDepth(pix.get()) == 32 && pixGetSpp(pix.get()) == 4) {
        PixPtr blended(pixAlphaBlendUniform(pix.get(), 0xffffff00));
        if (blended) pix = std::move(blended);
    }
    PixPtr gray(pixGetDepth(pix.get()) == 8 && pixGetColormap(pix.get()) == nullptr ? pixClone(pix.get()) : pixConvertTo8(pix.get(), 0));
    if (!gray) return nullptr;
    int w = pixGetWidth(gray.get()), h = pixGetHeight(gray.get());
    size_t rowBytes = (static_cast<size_t>(w) + 3) & ~static_cast<size_t>(3);
    auto out = static_cast<unsigned char *>(std::malloc(rowBytes * static_cast<size_t>(h)));
    if (out == nullptr) { *status = TRAWL_IMAGE_MEMORY; return nullptr; }
    // Leptonica keeps pixels in 32-bit words in host order: bytes are read through its
    // accessor, not copied.
    l_uint32 *rows = pixGetData(gray.get());
    int wpl = pixGetWpl(gray.get());
    for (int y = 0; y < h; y++) {
        const l_uint32 *line = rows + static_cast<size_t>(y) * static_cast<size_t>(wpl);
        unsigned char *dst = out + static_cast<size_t>(y) * rowBytes;
        for (int x = 0; x < w; x++) dst[x] = static_cast<unsigned char>(GET_DATA_BYTE(line, x));
    }
    *width = w;
    *height = h;
    *stride = static_cast<int>(rowBytes);
    *status = TRAWL_IMAGE_OK;
    return out;
}
