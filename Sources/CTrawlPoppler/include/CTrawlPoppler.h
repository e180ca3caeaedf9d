// Page text exactly as pdftotext makes it, through poppler's own C++ text device.
//
// poppler-glib's page text draws the content stream only and joins lines by selection
// rules; pdftotext also draws annotation appearances (filled form fields, stamps) and
// writes each page with TextOutputDev's reading-order dump. This is that code path, page
// by page, behind an opaque C interface so that Swift never sees a C++ type.
#ifndef CTRAWLPOPPLER_H
#define CTRAWLPOPPLER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct trawl_pdf_text trawl_pdf_text;

enum trawl_pdf_text_error {
    TRAWL_PDF_TEXT_OK = 0,
    TRAWL_PDF_TEXT_DAMAGED = 1,
    TRAWL_PDF_TEXT_ENCRYPTED = 2,
    TRAWL_PDF_TEXT_MEMORY = 3,
};

/// Sets up poppler's global parameters (UTF-8 text, errors not printed) once per process.
/// Call before the first document of any poppler interface, glib included, is opened.
void trawl_pdf_text_init(void);

/// Opens a document from a copy of `length` bytes at `bytes`, with an optional password
/// (used as owner and user password, as poppler-glib does). NULL on failure, with the
/// reason in `*error`.
trawl_pdf_text *trawl_pdf_text_open(const void *bytes, size_t length, const char *password, int *error);

int trawl_pdf_text_page_count(const trawl_pdf_text *doc);

/// The UTF-8 text of page `index` (0-based) without its page break, as a malloc'd string
/// of `*length` bytes that the caller frees with free(). NULL if the page cannot be read.
char *trawl_pdf_text_page(trawl_pdf_text *doc, int index, size_t *length);

void trawl_pdf_text_close(trawl_pdf_text *doc);

/// Renders page `index` (0-based) as 8-bit gray, as `pdftoppm -gray -r DPI` does (Splash,
/// anti-aliased, media box, the page's rotation), with Trawl's flat colour transforms
/// switched off for the duration. The resolution is lowered when the page would exceed
/// `max_pixels`; `*dpi_used` says what was used. Returns a malloc'd buffer of
/// `*height` rows of `*stride` bytes (free with free()), or NULL with `*error` set
/// (TRAWL_PDF_TEXT_DAMAGED: the page cannot be drawn; TRAWL_PDF_TEXT_MEMORY: no memory).
unsigned char *trawl_pdf_render_page(trawl_pdf_text *doc, int index, double dpi, double max_pixels,
                                     int *width, int *height, int *stride, double *dpi_used, int *error);

#ifdef __cplusplus
}
#endif

#endif
