#include "CTrawlPoppler.h"

#include <GlobalParams.h>
#include <PDFDoc.h>
#include <Stream.h>
#include <SplashOutputDev.h>
#include <TextOutputDev.h>
#include <splash/SplashBitmap.h>

#include "CTrawlLCMS.h"

#include <cmath>
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

} // namespace

// A copy of the file's bytes, the document reading them, and one text device writing into
// `text`, used for every page in turn as pdftotext does. Members are destroyed in reverse
// order: the device before the text it writes to, the document before its bytes.
struct trawl_pdf_text {
    std::unique_ptr<char[]> bytes;
    std::unique_ptr<PDFDoc> doc;
    std::string text;
    // pdftotext's settings: reading order (not physical layout or raw stream order).
    TextOutputDev device{appendText, &text, false, 0, false, false};
};

void trawl_pdf_text_init(void) {
    std::call_once(initialised, [] {
        // poppler-glib creates the global parameters for each document it opens and drops
        // them when its last document closes (a counted GlobalParamsIniter), which would leave
        // this interface without any. One initer held for the life of the process keeps the
        // count above zero, so the parameters set here stay for both interfaces.
        static GlobalParamsIniter *held = new GlobalParamsIniter(ignoreError);
        (void)held;
        globalParams->setTextEncoding("UTF-8");
        globalParams->setErrQuiet(true);
    });
}

trawl_pdf_text *trawl_pdf_text_open(const void *bytes, size_t length, const char *password, int *error) {
    trawl_pdf_text_init();
    *error = TRAWL_PDF_TEXT_OK;
    try {
        std::unique_ptr<trawl_pdf_text> handle(new trawl_pdf_text);
        handle->bytes.reset(new char[length == 0 ? 1 : length]);
        std::memcpy(handle->bytes.get(), bytes, length);
        // The document owns the stream; the stream reads the handle's copy of the bytes.
        auto *stream = new MemStream(handle->bytes.get(), 0, static_cast<Goffset>(length), Object(objNull));
        std::optional<GooString> pw;
        if (password != nullptr) pw = GooString(password);
        handle->doc = std::make_unique<PDFDoc>(stream, pw, pw);
        if (!handle->doc->isOk()) {
            *error = handle->doc->getErrorCode() == errEncrypted ? TRAWL_PDF_TEXT_ENCRYPTED : TRAWL_PDF_TEXT_DAMAGED;
            return nullptr;
        }
        if (!handle->device.isOk()) { *error = TRAWL_PDF_TEXT_DAMAGED; return nullptr; }
        return handle.release();
    } catch (const std::bad_alloc &) {
        *error = TRAWL_PDF_TEXT_MEMORY;
    } catch (...) {
        *error = TRAWL_PDF_TEXT_DAMAGED;
    }
    return nullptr;
}

int trawl_pdf_text_page_count(const trawl_pdf_text *doc) {
    return doc->doc->getNumPages();
}

char *trawl_pdf_text_page(trawl_pdf_text *doc, int index, size_t *length) {
    *length = 0;
    // glib and this reader parse the file separately; a damaged file may not give both the
    // same page count.
    if (index < 0 || index >= doc->doc->getNumPages()) return nullptr;
    try {
        std::string &text = doc->text;
        text.clear();
        // As pdftotext: 72 dpi, media box, no crop, annotations as on screen (not print).
        doc->doc->displayPage(&doc->device, index + 1, 72, 72, 0, true, false, false);
        // The device ends every page with a form feed; pages are kept apart by the caller.
        if (!text.empty() && text.back() == '\f') text.pop_back();
        char *out = static_cast<char *>(std::malloc(text.size() + 1));
        if (out == nullptr) return nullptr;
        std::memcpy(out, text.data(), text.size());
        out[text.size()] = '\0';
        *length = text.size();
        return out;
    } catch (...) {
        return nullptr;
    }
}

void trawl_pdf_text_close(trawl_pdf_text *doc) {
    delete doc;
}

unsigned char *trawl_pdf_render_page(trawl_pdf_text *doc, int index, double dpi, double max_pixels,
                                     int *width, int *height, int *stride, double *dpi_used, int *error) {
    *width = *height = *stride = 0;
    *dpi_used = dpi;
    *error = TRAWL_PDF_TEXT_DAMAGED;
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
                *error = TRAWL_PDF_TEXT_MEMORY;
            } else {
                std::memcpy(out, bitmap->getDataPtr(), bytes);
                *width = bitmap->getWidth();
                *height = bitmap->getHeight();
                *stride = static_cast<int>(rowSize);
                *error = TRAWL_PDF_TEXT_OK;
            }
        }
    } catch (const std::bad_alloc &) {
        *error = TRAWL_PDF_TEXT_MEMORY;
    } catch (...) {
        *error = TRAWL_PDF_TEXT_DAMAGED;
    }
    trawl_lcms_set_flat(1);
    return out;
}
