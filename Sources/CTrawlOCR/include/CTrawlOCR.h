// Tesseract 5 (recognition) and Leptonica (image decoding) behind an opaque C interface, so
// Swift never meets a C++ type or a Pix. One engine per worker process, loaded once and
// reused for every page; pages are 8-bit gray buffers the caller owns.
#ifndef CTRAWLOCR_H
#define CTRAWLOCR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct trawl_ocr trawl_ocr;

enum trawl_ocr_status {
    TRAWL_OCR_OK = 0,
    TRAWL_OCR_TIMEOUT = 1,   // the page's deadline passed; the text is what was read by then
    TRAWL_OCR_FAILED = 2,    // Tesseract refused the image
    TRAWL_OCR_MEMORY = 3,
};

/// "5.3.0": the Tesseract library this process loaded.
const char *trawl_ocr_engine_version(void);

/// Loads `languages` ("kor+eng") from `datapath` (the tessdata folder) with the LSTM engine,
/// messages to /dev/null. NULL when a language cannot be loaded.
trawl_ocr *trawl_ocr_open(const char *datapath, const char *languages);

/// The version string stored in `datapath/language.traineddata`, malloc'd (free with
/// free()), or NULL when the file cannot be read.
char *trawl_ocr_data_version(const char *datapath, const char *language);

/// One recognised page.
typedef struct trawl_ocr_page {
    char *text;              // UTF-8, malloc'd; freed by trawl_ocr_page_free
    size_t length;
    int words;
    int lone_words;          // words of a single letter or digit: fragments of a layout cut apart
    double mean_confidence;  // mean word confidence, 0–100 (0 when no word)
    double confident_chars;  // Σ over words of characters × confidence / 100
    double ink_coverage;     // share of the page's dark pixels inside a recognised word's box
    double layout_coverage;  // share inside the text lines of the automatic layout (recognize_page)
    int psm;                 // the segmentation mode used
    int status;              // trawl_ocr_status
} trawl_ocr_page;

/// Recognises a gray page with page segmentation mode `psm` (3 automatic, 6 one uniform
/// block…), stopping at `deadline_ms` (0: none). `dpi` 0 leaves the resolution for Tesseract
/// to estimate from the text's x-height. Always fills `*out`; free it with
/// trawl_ocr_page_free.
void trawl_ocr_recognize(trawl_ocr *ocr, const unsigned char *gray, int width, int height, int stride,
                         int dpi, int psm, int deadline_ms, trawl_ocr_page *out);

/// Recognises a page with the segmentation chosen for it: Tesseract's automatic layout is
/// analysed first; when its text lines hold less than `one_block_below` of the page's ink,
/// the page is read as one block (psm 6), else with that layout (psm 3, not analysed twice).
void trawl_ocr_recognize_page(trawl_ocr *ocr, const unsigned char *gray, int width, int height, int stride,
                              double one_block_below, int deadline_ms, trawl_ocr_page *out);

void trawl_ocr_page_free(trawl_ocr_page *page);


void trawl_ocr_close(trawl_ocr *ocr);

enum trawl_image_status {
    TRAWL_IMAGE_OK = 0,
    TRAWL_IMAGE_DAMAGED = 1,   // not an image Leptonica can read, or truncated
    TRAWL_IMAGE_MEMORY = 2,
};

/// Frames in an image file (pages of a TIFF, else 1), counted up to `max_frames`; 0 when
/// the header cannot be read.
int trawl_image_frames(const void *bytes, size_t length, int max_frames);

/// Pixel size of frame `frame` from its header alone (nothing is decoded). 0 on success.
int trawl_image_size(const void *bytes, size_t length, int frame, int *width, int *height);

/// Decodes frame `frame` to 8-bit gray (colour by luminance, palette and alpha resolved).
/// Returns a malloc'd buffer of `*height` rows of `*stride` bytes (free with free()), or NULL
/// with `*status` set.
unsigned char *trawl_image_gray(const void *bytes, size_t length, int frame,
                                int *width, int *height, int *stride, int *status);

#ifdef __cplusplus
}
#endif

#endif
