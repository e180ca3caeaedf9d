// One poppler document per PDF, behind an opaque C interface so that Swift never sees a C++
// type. Everything Trawl reads from a PDF comes from this one parse: page text exactly as
// pdftotext makes it (poppler's TextOutputDev, annotation appearances included), the Info
// dictionary, XMP, form fields, annotations, embedded files, and pages drawn for OCR.
//
// Strings are decoded as poppler-glib decodes them (UTF-16 with a byte-order mark, else
// PDFDocEncoding), so records stay what they were when the metadata came through glib.
#ifndef CTRAWLPOPPLER_H
#define CTRAWLPOPPLER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct trawl_pdf trawl_pdf;

enum trawl_pdf_error {
    TRAWL_PDF_OK = 0,
    TRAWL_PDF_DAMAGED = 1,      // poppler: the file is damaged (errDamaged)
    TRAWL_PDF_ENCRYPTED = 2,    // a user password is needed, or the one given is wrong
    TRAWL_PDF_MEMORY = 3,
    TRAWL_PDF_BAD_CATALOG = 4,  // the document catalog cannot be read
    TRAWL_PDF_INVALID = 5,      // any other reason poppler gives
};

/// Sets up poppler's global parameters (UTF-8 text, errors not printed) once per process.
void trawl_pdf_init(void);

/// Opens a document from a copy of `length` bytes at `bytes`. A password is tried as
/// Latin-1 and then as given (UTF-8), as owner and user password. NULL on failure, with the
/// reason in `*error`.
trawl_pdf *trawl_pdf_open(const void *bytes, size_t length, const char *password, int *error);

void trawl_pdf_close(trawl_pdf *doc);

int trawl_pdf_page_count(const trawl_pdf *doc);

/// `%PDF-M.m` as poppler reads it (header or catalog, whichever is higher).
void trawl_pdf_version(const trawl_pdf *doc, int *major, int *minor);

/// A malloc'd, NUL-terminated UTF-8 string (free with free()), or NULL.
/// `key`: an Info dictionary entry (`Title`, `Author`, `Subject`, `Keywords`, `Creator`,
/// `Producer`); NULL when absent or not decodable.
char *trawl_pdf_info(trawl_pdf *doc, const char *key);

/// An Info date (`CreationDate`, `ModDate`) as ISO 8601 with the offset the file states
/// (`2021-03-04T10:20:30+09:00`, `…Z` for UTC), or NULL when absent or not a valid date.
char *trawl_pdf_info_date(trawl_pdf *doc, const char *key);

/// The catalog's XMP packet, or NULL.
char *trawl_pdf_xmp(trawl_pdf *doc);

/// A list of malloc'd strings; free the whole list with trawl_pdf_strings_free().
typedef struct trawl_pdf_strings {
    char **items;
    int count;
} trawl_pdf_strings;

void trawl_pdf_strings_free(trawl_pdf_strings *list);

/// Whether page `index` (0-based) can be loaded at all.
int trawl_pdf_page_exists(trawl_pdf *doc, int index);

/// The values of page `index`'s filled text and choice fields, one per field: a list box's
/// items joined by newlines, a combo box's selected items joined by ", " (else its edited
/// text). Fields without a value are left out.
trawl_pdf_strings trawl_pdf_page_form_values(trawl_pdf *doc, int index);

/// The text of page `index`'s free-text annotations.
trawl_pdf_strings trawl_pdf_page_free_texts(trawl_pdf *doc, int index);

/// The UTF-8 text of page `index` (0-based) without its page break, as a malloc'd string
/// of `*length` bytes. NULL if the page cannot be read.
char *trawl_pdf_page_text(trawl_pdf *doc, int index, size_t *length);

/// Embedded files, in the order `pdfdetach -list` shows them: the EmbeddedFiles name tree,
/// then file-attachment annotations page by page. The list is collected on first use.
int trawl_pdf_embedded_count(trawl_pdf *doc);

/// The file's name (UTF-8, owned by the document), or NULL when it has none.
const char *trawl_pdf_embedded_name(trawl_pdf *doc, int index);

/// The size the file spec declares, or -1 when it declares none.
long long trawl_pdf_embedded_declared_size(trawl_pdf *doc, int index);

/// Decodes the file's stream. `*total` is its full decoded length; the bytes are returned
/// (malloc'd) only when that is at most `max_bytes`: beyond it they are counted, not kept.
unsigned char *trawl_pdf_embedded_read(trawl_pdf *doc, int index, size_t max_bytes, size_t *total);

/// Renders page `index` (0-based) as 8-bit gray, as `pdftoppm -gray -r DPI` does (Splash,
/// anti-aliased, media box, the page's rotation), with Trawl's flat colour transforms
/// switched off for the duration. The resolution is lowered when the page would exceed
/// `max_pixels`; `*dpi_used` says what was used. Returns a malloc'd buffer of
/// `*height` rows of `*stride` bytes (free with free()), or NULL with `*error` set
/// (TRAWL_PDF_DAMAGED: the page cannot be drawn; TRAWL_PDF_MEMORY: no memory).
unsigned char *trawl_pdf_render_page(trawl_pdf *doc, int index, double dpi, double max_pixels,
                                     int *width, int *height, int *stride, double *dpi_used, int *error);

/// Whether `needle` occurs in `haystack` (glibc's memmem): the `/Encrypt` scan over every
/// byte of every PDF.
int trawl_pdf_bytes_contain(const void *haystack, size_t length, const void *needle, size_t needle_length);

#ifdef __cplusplus
}
#endif

#endif
