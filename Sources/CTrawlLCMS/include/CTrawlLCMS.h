// Colour management off for text extraction.
//
// Poppler builds Little CMS colour transforms while it walks a page, even when the page is
// only read for its text: four transforms into a PDF/A file's output-intent profile for
// every page, and one per ICC colour space. Inverting an output profile's tone curves makes
// each transform cost milliseconds; on a 100-page PDF/A file that was three quarters of the
// extraction time. Text extraction never looks at a colour, so this replaces lcms's
// rendering intents with one that links any profiles with a constant matrix: a transform is
// still created (poppler caches colour spaces only when it gets one) but costs nothing.
//
// The plug-in is process-wide. A process that renders (OCR) switches it off around each
// rendered page with trawl_lcms_set_flat(0), so a rendered page looks as pdftoppm draws it.
#ifndef CTRAWLLCMS_H
#define CTRAWLLCMS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Registers the flat rendering intents with lcms's global context. Call once, before the
/// first PDF is opened. Returns 1 on success, 0 if lcms refused the plug-in.
int trawl_lcms_use_flat_transforms(void);

/// Switches the flat intents on (1, the state after registration) or off (0: lcms's own
/// ICC linking). Transforms already built keep what they were built with.
void trawl_lcms_set_flat(int on);

/// 1 when a freshly built sRGB-to-sRGB transform maps white to black, as only the flat
/// intents do: proof that the plug-in is in force in the lcms this process loaded.
int trawl_lcms_transforms_are_flat(void);

#ifdef __cplusplus
}
#endif

#endif
