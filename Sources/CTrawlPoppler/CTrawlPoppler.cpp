#include "CTrawlPoppler.h"

#include <Annot.h>
#include <Catalog.h>
#include <DateInfo.h>
#include <FileSpec.h>
#include <Form.h>
#include <GlobalParams.h>
#include <PDFDocEncoding.h>
#include <Page.h>
#include <PDFDoc.h>
#include <Stream.h>
#include <SplashOutputDev.h>
#include <TextOutputDev.h>
#include <splash/SplashBitmap.h>

#include "CTrawlLCMS.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>
#include <utility>
#include <goo/GooString.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>

namespace {

std::once_flag initialised;

void ignoreError(ErrorCategory, Goffset, const char *) {}

void appendText(void *stream, const char *text, int length) {
    static_cast<std::string *>(stream)->append(text, static_cast<size_t>(length));
}

char *copyOut(const std::string &s) {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (out == nullptr) return nullptr;
    std::memcpy(out, s.data(), s.size());
    out[s.size()] = '\0';
    return out;
}

void appendUTF8(std::string &out, uint32_t u) {
    if (u < 0x80) {
        out += static_cast<char>(u);
    } else if (u < 0x800) {
        out += static_cast<char>(0xC0 | (u >> 6));
        out += static_cast<char>(0x80 | (u & 0x3F));
    } else if (u < 0x10000) {
        out += static_cast<char>(0xE0 | (u >> 12));
        out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (u & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (u >> 18));
        out += static_cast<char>(0x80 | ((u >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (u & 0x3F));
    }
}

// A PDF text string as poppler-glib decodes it: UTF-16 (big- or little-endian) after its
// byte-order mark, strictly (an unpaired surrogate or an odd byte gives nothing, as iconv
// does), else PDFDocEncoding. Readers of the result stop at the first NUL, as glib's
// C strings do.
std::optional<std::string> decodeTextString(const GooString *s) {
    if (s == nullptr) return std::nullopt;
    const std::string &raw = s->toStr();
    std::string out;
    bool big = s->hasUnicodeMarker();
    if (big || s->hasUnicodeMarkerLE()) {
        size_t n = raw.size() - 2;
        if (n % 2 != 0) return std::nullopt;
        auto unit = [&](size_t i) -> uint32_t {
            auto a = static_cast<unsigned char>(raw[2 + i]), b = static_cast<unsigned char>(raw[3 + i]);
            return big ? (a << 8 | b) : (b << 8 | a);
        };
        for (size_t i = 0; i < n; i += 2) {
            uint32_t u = unit(i);
            if (u >= 0xD800 && u < 0xDC00) {
                if (i + 2 >= n) return std::nullopt;
                uint32_t low = unit(i + 2);
                if (low < 0xDC00 || low >= 0xE000) return std::nullopt;
                u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                i += 2;
            } else if (u >= 0xDC00 && u < 0xE000) {
                return std::nullopt;
            }
            appendUTF8(out, u);
        }
    } else {
        for (unsigned char c : raw) {
            Unicode u = pdfDocEncoding[c];
            if (u == 0) break;  // glib builds a NUL-terminated UCS-4 string
            appendUTF8(out, u);
        }
    }
    size_t nul = out.find('\0');
    if (nul != std::string::npos) out.resize(nul);
    return out;
}

// The decoded string, or nothing when it is absent or empty.
std::optional<std::string> nonEmptyText(const GooString *s) {
    auto t = decodeTextString(s);
    if (!t || t->empty()) return std::nullopt;
    return t;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// The value of a text or choice field as Trawl lists it, or nothing.
std::optional<std::string> fieldValue(FormWidget *widget) {
    if (widget->getType() == formText) {
        return nonEmptyText(static_cast<FormWidgetText *>(widget)->getContent());
    }
    if (widget->getType() != formChoice) return std::nullopt;
    auto *choice = static_cast<FormWidgetChoice *>(widget);
    int n = std::max(choice->getNumChoices(), 0);
    auto join = [](const std::vector<std::string> &parts, const char *separator) {
        std::string out;
        for (size_t i = 0; i < parts.size(); i++) {
            if (i > 0) out += separator;
            out += parts[i];
        }
        return out;
    };
    std::vector<std::string> items;
    // A list box draws all its items (a combo box only its value).
    if (!choice->isCombo()) {
        for (int i = 0; i < n; i++) if (auto t = nonEmptyText(choice->getChoice(i))) items.push_back(*t);
        if (items.empty()) return std::nullopt;
        return join(items, "\n");
    }
    for (int i = 0; i < n; i++) {
        if (choice->isSelected(i)) if (auto t = nonEmptyText(choice->getChoice(i))) items.push_back(*t);
    }
    if (!items.empty()) return join(items, ", ");
    return nonEmptyText(choice->getEditChoice());
}

trawl_pdf_strings toList(const std::vector<std::string> &values) {
    trawl_pdf_strings list{nullptr, 0};
    if (values.empty()) return list;
    list.items = static_cast<char **>(std::calloc(values.size(), sizeof(char *)));
    if (list.items == nullptr) return list;
    for (const auto &v : values) {
        char *copy = copyOut(v);
        if (copy != nullptr) list.items[list.count++] = copy;
    }
    return list;
}

// An embedded file: its name and declared size, and its stream (a counted reference).
struct Embedded {
    std::optional<std::string> name;
    long long declaredSize;
    Object stream;
};

} // namespace

// A copy of the file's bytes, the document reading them, and one text device writing into
// `text`, used for every page in turn as pdftotext does. Members are destroyed in reverse
// order: the device before the text it writes to, the document before its bytes.
struct trawl_pdf {
    std::unique_ptr<char[]> bytes;
    std::unique_ptr<PDFDoc> doc;
    std::string text;
    // pdftotext's settings: reading order (not physical layout or raw stream order).
    TextOutputDev device{appendText, &text, false, 0, false, false};
    std::optional<std::vector<Embedded>> embedded;
};

void trawl_pdf_init(void) {
    std::call_once(initialised, [] {
        static GlobalParamsIniter *held = new GlobalParamsIniter(ignoreError);
        (void)held;
        globalParams->setTextEncoding("UTF-8");
        globalParams->setErrQuiet(true);
    });
}

trawl_pdf *trawl_pdf_open(const void *bytes, size_t length, const char *password, int *error) {
    trawl_pdf_init();
    *error = TRAWL_PDF_OK;
    try {
        std::unique_ptr<trawl_pdf> handle(new trawl_pdf);
        handle->bytes.reset(new char[length == 0 ? 1 : length]);
        std::memcpy(handle->bytes.get(), bytes, length);
        auto open = [&](const std::optional<GooString> &pw) {
            // The document owns the stream; the stream reads the handle's copy of the bytes.
            auto *stream = new MemStream(handle->bytes.get(), 0, static_cast<Goffset>(length), Object(objNull));
            handle->doc = std::make_unique<PDFDoc>(stream, pw, pw);
        };
        if (password == nullptr) {
            open(std::nullopt);
        } else {
            // As poppler-glib: the password in Latin-1 first, then its UTF-8 bytes.
            std::string latin1;
            bool representable = true;
            for (const unsigned char *p = reinterpret_cast<const unsigned char *>(password); *p != 0;) {
                uint32_t u;
                if (*p < 0x80) { u = *p++; }
                else if ((*p & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) { u = (*p & 0x1F) << 6 | (p[1] & 0x3F); p += 2; }
                else { representable = false; break; }
                if (u > 0xFF) { representable = false; break; }
                latin1 += static_cast<char>(u);
            }
            open(GooString(representable ? latin1 : std::string()));
            if (!handle->doc->isOk() && handle->doc->getErrorCode() == errEncrypted) open(GooString(password));
        }
        if (!handle->doc->isOk()) {
            switch (handle->doc->getErrorCode()) {
            case errEncrypted: *error = TRAWL_PDF_ENCRYPTED; break;
            case errBadCatalog: *error = TRAWL_PDF_BAD_CATALOG; break;
            case errDamaged: *error = TRAWL_PDF_DAMAGED; break;
            default: *error = TRAWL_PDF_INVALID; break;
            }
            return nullptr;
        }
        if (!handle->device.isOk()) { *error = TRAWL_PDF_INVALID; return nullptr; }
        return handle.release();
    } catch (const std::bad_alloc &) {
        *error = TRAWL_PDF_MEMORY;
    } catch (...) {
        *error = TRAWL_PDF_INVALID;
    }
    return nullptr;
}

void trawl_pdf_close(trawl_pdf *doc) {
    delete doc;
}

int trawl_pdf_page_count(const trawl_pdf *doc) {
    return doc->doc->getNumPages();
}

void trawl_pdf_version(const trawl_pdf *doc, int *major, int *minor) {
    *major = doc->doc->getPDFMajorVersion();
    *minor = doc->doc->getPDFMinorVersion();
}

char *trawl_pdf_info(trawl_pdf *doc, const char *key) {
    try {
        auto value = decodeTextString(doc->doc->getDocInfoStringEntry(key).get());
        return value ? copyOut(*value) : nullptr;
    } catch (...) {
        return nullptr;
    }
}

char *trawl_pdf_info_date(trawl_pdf *doc, const char *key) {
    try {
        auto raw = doc->doc->getDocInfoStringEntry(key);
        if (!raw) return nullptr;
        int year, month, day, hour, minute, second, tzHours, tzMinutes;
        char tz;
        if (!parseDateString(raw.get(), &year, &month, &day, &hour, &minute, &second, &tz, &tzHours, &tzMinutes)) return nullptr;
        // The checks GLib's date-time constructor makes; a date outside them has no value.
        static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return nullptr;
        if (day > days[month - 1] + (month == 2 && isLeap(year) ? 1 : 0)) return nullptr;
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return nullptr;
        // An offset is kept when it is one a time zone can have (at most 24 hours, minutes
        // under 60); any other is read as UTC, as GLib reads it.
        int offset = 0;
        if ((tz == '+' || tz == '-') && tzHours >= 0 && tzHours <= 24 && tzMinutes >= 0 && tzMinutes <= 59
            && !(tzHours == 24 && tzMinutes > 0)) {
            offset = (tz == '-' ? -1 : 1) * (tzHours * 60 + tzMinutes);
        }
        char out[40];
        int n = std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second);
        if (offset == 0) {
            std::snprintf(out + n, sizeof out - n, "Z");
        } else {
            int a = offset < 0 ? -offset : offset;
            std::snprintf(out + n, sizeof out - n, "%c%02d:%02d", offset < 0 ? '-' : '+', a / 60, a % 60);
        }
        return copyOut(out);
    } catch (...) {
        return nullptr;
    }
}

char *trawl_pdf_xmp(trawl_pdf *doc) {
    try {
        Catalog *catalog = doc->doc->getCatalog();
        if (catalog == nullptr || !catalog->isOk()) return nullptr;
        std::unique_ptr<GooString> packet = catalog->readMetadata();
        if (!packet) return nullptr;
        return copyOut(std::string(packet->c_str()));  // up to the first NUL, as glib copies it
    } catch (...) {
        return nullptr;
    }
}

void trawl_pdf_strings_free(trawl_pdf_strings *list) {
    for (int i = 0; i < list->count; i++) std::free(list->items[i]);
    std::free(list->items);
    list->items = nullptr;
    list->count = 0;
}

int trawl_pdf_page_exists(trawl_pdf *doc, int index) {
    if (index < 0 || index >= doc->doc->getNumPages()) return 0;
    return doc->doc->getPage(index + 1) != nullptr;
}

trawl_pdf_strings trawl_pdf_page_form_values(trawl_pdf *doc, int index) {
    std::vector<std::string> values;
    try {
        Page *page = index >= 0 && index < doc->doc->getNumPages() ? doc->doc->getPage(index + 1) : nullptr;
        std::unique_ptr<FormPageWidgets> widgets = page ? page->getFormWidgets() : nullptr;
        // Last widget first: the order poppler-glib's field mapping lists them in.
        for (int i = widgets ? widgets->getNumWidgets() - 1 : -1; i >= 0; i--) {
            if (auto v = fieldValue(widgets->getWidget(i))) values.push_back(*v);
        }
    } catch (...) {
    }
    return toList(values);
}

trawl_pdf_strings trawl_pdf_page_free_texts(trawl_pdf *doc, int index) {
    std::vector<std::string> values;
    try {
        Page *page = index >= 0 && index < doc->doc->getNumPages() ? doc->doc->getPage(index + 1) : nullptr;
        Annots *annots = page ? page->getAnnots() : nullptr;
        if (annots != nullptr) {
            // In the page's order (poppler-glib's annotation mapping keeps it, unlike its
            // field mapping).
            for (Annot *annot : annots->getAnnots()) {
                if (annot->getType() != Annot::typeFreeText) continue;
                if (auto t = nonEmptyText(annot->getContents())) values.push_back(*t);
            }
        }
    } catch (...) {
    }
    return toList(values);
}

char *trawl_pdf_page_text(trawl_pdf *doc, int index, size_t *length) {
    *length = 0;
    if (index < 0 || index >= doc->doc->getNumPages()) return nullptr;
    try {
        std::string &text = doc->text;
        text.clear();
        // As pdftotext: 72 dpi, media box, no crop, annotations as on screen (not print).
        doc->doc->displayPage(&doc->device, index + 1, 72, 72, 0, true, false, false);
        // The device ends every page with a form feed; pages are kept apart by the caller.
        if (!text.empty() && text.back() == '\f') text.pop_back();
        char *out = copyOut(text);
        if (out != nullptr) *length = text.size();
        return out;
    } catch (...) {
        return nullptr;
    }
}

namespace {

void addEmbedded(std::vector<Embedded> &out, FileSpec &spec) {
    EmbFile *file = spec.getEmbeddedFile();
    if (file == nullptr || !file->streamObject()->isStream()) return;
    out.push_back(Embedded{decodeTextString(spec.getFileName()), file->size(), file->streamObject()->copy()});
}

std::vector<Embedded> collectEmbedded(PDFDoc *doc) {
    std::vector<Embedded> out;
    Catalog *catalog = doc->getCatalog();
    if (catalog != nullptr && catalog->isOk()) {
        for (int i = 0, n = catalog->numEmbeddedFiles(); i < n; i++) {
            std::unique_ptr<FileSpec> spec = catalog->embeddedFile(i);
            if (!spec || !spec->isOk() || spec->getEmbeddedFile() == nullptr || !spec->getEmbeddedFile()->isOk()) continue;
            addEmbedded(out, *spec);
        }
    }
    for (int p = 1; p <= doc->getNumPages(); p++) {
        Page *page = doc->getPage(p);
        Annots *annots = page ? page->getAnnots() : nullptr;
        if (annots == nullptr) continue;
        for (Annot *annot : annots->getAnnots()) {
            if (annot->getType() != Annot::typeFileAttachment) continue;
            FileSpec spec(static_cast<AnnotFileAttachment *>(annot)->getFile());
            addEmbedded(out, spec);
        }
    }
    return out;
}

} // namespace

int trawl_pdf_embedded_count(trawl_pdf *doc) {
    if (!doc->embedded) {
        try {
            doc->embedded = collectEmbedded(doc->doc.get());
        } catch (...) {
            doc->embedded.emplace();
        }
    }
    return static_cast<int>(doc->embedded->size());
}

const char *trawl_pdf_embedded_name(trawl_pdf *doc, int index) {
    if (index < 0 || index >= trawl_pdf_embedded_count(doc)) return nullptr;
    const auto &name = (*doc->embedded)[static_cast<size_t>(index)].name;
    return name ? name->c_str() : nullptr;
}

long long trawl_pdf_embedded_declared_size(trawl_pdf *doc, int index) {
    if (index < 0 || index >= trawl_pdf_embedded_count(doc)) return -1;
    return (*doc->embedded)[static_cast<size_t>(index)].declaredSize;
}

unsigned char *trawl_pdf_embedded_read(trawl_pdf *doc, int index, size_t max_bytes, size_t *total) {
    *total = 0;
    if (index < 0 || index >= trawl_pdf_embedded_count(doc)) return nullptr;
    try {
        Stream *stream = (*doc->embedded)[static_cast<size_t>(index)].stream.getStream();
        std::string kept;
        unsigned char buffer[65536];
        stream->reset();
        for (;;) {
            int n = stream->doGetChars(sizeof buffer, buffer);
            if (n <= 0) break;
            *total += static_cast<size_t>(n);
            if (*total <= max_bytes) kept.append(reinterpret_cast<char *>(buffer), static_cast<size_t>(n));
        }
        stream->close();
        if (*total > max_bytes) return nullptr;
        auto *out = static_cast<unsigned char *>(std::malloc(kept.size() + 1));
        if (out != nullptr) std::memcpy(out, kept.data(), kept.size());
        return out;
    } catch (...) {
        return nullptr;
    }
}

unsigned char *trawl_pdf_render_page(trawl_pdf *doc, int index, double dpi, double max_pixels,
                                     int *width, int *height, int *stride, double *dpi_used, int *error) {
    *width = *height = *stride = 0;
    *dpi_used = dpi;
    *error = TRAWL_PDF_DAMAGED;
    if (index < 0 || index >= doc->doc->getNumPages() || dpi <= 0) return nullptr;
    // The size pdftoppm would draw, from the media box and the page's rotation.
    double w = doc->doc->getPageMediaWidth(index + 1), h = doc->doc->getPageMediaHeight(index + 1);
    if (!(w > 0 && h > 0)) return nullptr;
    double pixels = (w * dpi / 72.0) * (h * dpi / 72.0);
    if (max_pixels > 0 && pixels > max_pixels) *dpi_used = std::floor(dpi * std::sqrt(max_pixels / pixels));
    if (*dpi_used < 1) return nullptr;
    trawl_lcms_set_flat(0);
    unsigned char *out = nullptr;
    try {
        // pdftoppm -gray's device: Mono8 on white paper, rows padded to 4 bytes, top-down,
        // anti-aliased glyphs and vectors, FreeType without hinting.
        SplashColor paper;
        paper[0] = 0xff;
        SplashOutputDev device(splashModeMono8, 4, false, paper, true, splashThinLineDefault);
        device.setFontAntialias(true);
        device.setVectorAntialias(true);
        device.setEnableFreeType(true);
        device.setFreeTypeHinting(false, false);
        device.startDoc(doc->doc.get());
        // The slice pdftoppm draws: the scaled media box rounded up, turned with the page.
        double sliceW = std::ceil(w * *dpi_used / 72.0), sliceH = std::ceil(h * *dpi_used / 72.0);
        int rotate = doc->doc->getPageRotate(index + 1);
        if (rotate == 90 || rotate == 270) std::swap(sliceW, sliceH);
        doc->doc->displayPageSlice(&device, index + 1, *dpi_used, *dpi_used, 0, true, false, false, 0, 0,
                                   static_cast<int>(sliceW), static_cast<int>(sliceH));
        SplashBitmap *bitmap = device.getBitmap();
        if (bitmap != nullptr && bitmap->getWidth() > 0 && bitmap->getHeight() > 0) {
            size_t rowSize = static_cast<size_t>(bitmap->getRowSize());
            size_t bytes = rowSize * static_cast<size_t>(bitmap->getHeight());
            out = static_cast<unsigned char *>(std::malloc(bytes));
            if (out == nullptr) {
                *error = TRAWL_PDF_MEMORY;
            } else {
                std::memcpy(out, bitmap->getDataPtr(), bytes);
                *width = bitmap->getWidth();
                *height = bitmap->getHeight();
                *stride = static_cast<int>(rowSize);
                *error = TRAWL_PDF_OK;
            }
        }
    } catch (const std::bad_alloc &) {
        *error = TRAWL_PDF_MEMORY;
    } catch (...) {
        *error = TRAWL_PDF_DAMAGED;
    }
    trawl_lcms_set_flat(1);
    return out;
}

int trawl_pdf_bytes_contain(const void *haystack, size_t length, const void *needle, size_t needle_length) {
    if (needle_length == 0 || length < needle_length) return 0;
    return memmem(haystack, length, needle, needle_length) != nullptr;
}
