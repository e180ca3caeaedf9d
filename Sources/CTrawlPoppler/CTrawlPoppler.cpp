#include "CTrawlPoppler.h"

#include <GlobalParams.h>
#include <PDFDoc.h>
#include <Stream.h>
#include <TextOutputDev.h>
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
        if (!globalParams) globalParams = std::make_unique<GlobalParams>();
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
