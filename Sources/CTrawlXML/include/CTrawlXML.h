// A thin, opaque C interface to libxml2's HTML parser and XPath engine.
//
// Nothing here mentions a libxml2 type: Swift imports only this header, so libxml2's own
// headers (and the ICU headers they drag in) never meet Foundation's module graph.
#ifndef CTRAWLXML_H
#define CTRAWLXML_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct trawl_html_doc trawl_html_doc;
typedef struct trawl_xpath_result trawl_xpath_result;
/// A node borrowed from its document; valid only while the document lives.
typedef const struct trawl_node trawl_node;

enum trawl_node_kind {
    TRAWL_NODE_OTHER = 0,
    TRAWL_NODE_ELEMENT = 1,
    TRAWL_NODE_TEXT = 3,
    TRAWL_NODE_CDATA = 4,
    TRAWL_NODE_COMMENT = 8,
    TRAWL_NODE_DOCUMENT = 9,
};

enum trawl_xpath_kind {
    TRAWL_XPATH_NODES = 1,
    TRAWL_XPATH_BOOLEAN = 2,
    TRAWL_XPATH_NUMBER = 3,
    TRAWL_XPATH_STRING = 4,
    TRAWL_XPATH_OTHER = 5,
};

/// Converts `length` bytes in `encoding` (an iconv name) to UTF-8. Returns a malloc'd,
/// NUL-terminated string (free with trawl_free) with its byte length in `out_length`, or NULL
/// if the encoding is unknown or the bytes are not valid in it.
char *trawl_convert_to_utf8(const char *bytes, size_t length, const char *encoding, size_t *out_length);

/// Parses an HTML document from memory without network access or entity loading.
/// `encoding` (an iconv name) is authoritative: in-document declarations are ignored.
/// On failure returns NULL and, if `error` is non-NULL, a malloc'd message to free with
/// `trawl_free`.
trawl_html_doc *trawl_html_parse(const char *bytes, size_t length, const char *url,
                                 const char *encoding, char **error);
void trawl_html_free(trawl_html_doc *doc);

/// The document node (root of the tree), never NULL for a parsed document.
trawl_node *trawl_html_document_node(const trawl_html_doc *doc);

/// Evaluates `expression` with `context` (NULL for the document) as the context node.
/// Returns NULL on a syntax or evaluation error with a malloc'd message in `error`.
trawl_xpath_result *trawl_xpath_eval(trawl_html_doc *doc, trawl_node *context,
                                     const char *expression, char **error);
void trawl_xpath_free(trawl_xpath_result *result);
int trawl_xpath_kind(const trawl_xpath_result *result);
size_t trawl_xpath_node_count(const trawl_xpath_result *result);
trawl_node *trawl_xpath_node_at(const trawl_xpath_result *result, size_t index);
/// The string value of a non-node-set result (malloc'd; free with trawl_free).
char *trawl_xpath_string_value(const trawl_xpath_result *result);

int trawl_node_kind(trawl_node *node);
/// Element or attribute name, lower-case for HTML; borrowed, may be NULL.
const char *trawl_node_name(trawl_node *node);
/// Text of a text/CDATA/comment node; borrowed, may be NULL.
const char *trawl_node_text(trawl_node *node);
/// The string value of any node (all descendant text); malloc'd, free with trawl_free.
char *trawl_node_string_value(trawl_node *node);
/// An attribute's value, or NULL; malloc'd, free with trawl_free.
char *trawl_node_attribute(trawl_node *node, const char *name);
/// Whether an element has any attribute (most have none: a cheap test before lookups).
int trawl_node_has_attributes(trawl_node *node);
trawl_node *trawl_node_first_child(trawl_node *node);
trawl_node *trawl_node_next_sibling(trawl_node *node);
trawl_node *trawl_node_parent(trawl_node *node);

// A streaming XML reader (libxml2's xmlTextReader) over bytes in memory, for the XML parts of
// office documents. No network, no DTD loading, no entity substitution; XML_PARSE_HUGE so a
// large section is read, not refused. Memory stays bounded by the reader's window, not the
// document's size.
typedef struct trawl_xml_reader trawl_xml_reader;

enum trawl_xml_event {
    TRAWL_XML_END_OF_DOCUMENT = 0,
    TRAWL_XML_START = 1,       /* an element opens (an empty element also sends TRAWL_XML_END) */
    TRAWL_XML_END = 2,
    TRAWL_XML_TEXT = 3,        /* text, CDATA or significant white space */
    TRAWL_XML_ERROR = -1,
};

/// The reader keeps a pointer to `bytes`: they must outlive it.
trawl_xml_reader *trawl_xml_reader_new(const char *bytes, size_t length);
void trawl_xml_reader_free(trawl_xml_reader *reader);
/// Moves to the next event (see trawl_xml_event).
int trawl_xml_reader_next(trawl_xml_reader *reader);
/// The current element's local name, never NULL. It is interned in the reader's dictionary:
/// the same name is the same pointer for the reader's whole life.
const char *trawl_xml_reader_name(trawl_xml_reader *reader);
/// The current text (borrowed, valid until the next call).
const char *trawl_xml_reader_text(trawl_xml_reader *reader);
/// The current element's attribute with this local name (borrowed, valid until the next call
/// to this function or trawl_xml_reader_next), or NULL. `prefixed`: 1 only a prefixed
/// attribute (`r:id`), 0 only an unprefixed one (`id`), -1 either.
const char *trawl_xml_reader_attribute(trawl_xml_reader *reader, const char *local_name, int prefixed);
/// The last parse error's message (borrowed), or NULL.
const char *trawl_xml_reader_error(trawl_xml_reader *reader);

void trawl_free(void *pointer);

#ifdef __cplusplus
}
#endif
#endif
