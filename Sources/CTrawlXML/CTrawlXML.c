// The only file in Trawl that includes libxml2's headers.
#include <iconv.h>
#include "CTrawlXML.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct trawl_html_doc { htmlDocPtr doc; };
struct trawl_xpath_result { xmlXPathObjectPtr object; };

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_parser(void) { xmlInitParser(); }

static char *copy_message(const char *prefix, const xmlError *err) {
    const char *msg = (err && err->message) ? err->message : "unknown error";
    size_t n = strlen(prefix) + strlen(msg) + 32;
    char *out = malloc(n);
    if (!out) return NULL;
    if (err && err->line > 0)
        snprintf(out, n, "%s (line %d): %s", prefix, err->line, msg);
    else
        snprintf(out, n, "%s: %s", prefix, msg);
    // libxml2 messages end with a newline; drop it.
    size_t len = strlen(out);
    while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' ')) out[--len] = 0;
    return out;
}

// Swallows libxml2's diagnostics; errors are read from the context instead, because
// thread-global state is meaningless when Swift tasks hop threads.
static void ignore_structured_error(void *user, xmlErrorPtr error) { (void)user; (void)error; }

trawl_html_doc *trawl_html_parse(const char *bytes, size_t length, const char *url,
                                 const char *encoding, char **error) {
    pthread_once(&init_once, init_parser);
    if (error) *error = NULL;
    if (length > (size_t)INT32_MAX) {
        if (error) *error = strdup("document larger than 2 GiB");
        return NULL;
    }
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt) {
        if (error) *error = strdup("cannot allocate an HTML parser context");
        return NULL;
    }
    // NONET: never touch the network; no NOENT: entities are not substituted from DTDs;
    // IGNORE_ENC: the caller decided the encoding (transport, BOM, meta, sniffing).
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                  HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT | HTML_PARSE_NOIMPLIED |
                  (encoding ? HTML_PARSE_IGNORE_ENC : 0);
    xmlSetStructuredErrorFunc(NULL, ignore_structured_error);
    htmlDocPtr doc = htmlCtxtReadMemory(ctxt, bytes ? bytes : "", (int)length, url, encoding, options);
    if (!doc) {
        if (error) *error = copy_message("HTML parse failed", &ctxt->lastError);
        htmlFreeParserCtxt(ctxt);
        return NULL;
    }
    htmlFreeParserCtxt(ctxt);
    trawl_html_doc *wrapper = malloc(sizeof *wrapper);
    if (!wrapper) { xmlFreeDoc(doc); return NULL; }
    wrapper->doc = doc;
    return wrapper;
}

void trawl_html_free(trawl_html_doc *doc) {
    if (!doc) return;
    xmlFreeDoc(doc->doc);
    free(doc);
}

trawl_node *trawl_html_document_node(const trawl_html_doc *doc) {
    return (trawl_node *)doc->doc;
}

trawl_xpath_result *trawl_xpath_eval(trawl_html_doc *doc, trawl_node *context,
                                     const char *expression, char **error) {
    if (error) *error = NULL;
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc->doc);
    if (!ctx) {
        if (error) *error = strdup("cannot allocate an XPath context");
        return NULL;
    }
    ctx->error = ignore_structured_error;
    ctx->node = context ? (xmlNodePtr)context : (xmlNodePtr)doc->doc;
    xmlXPathObjectPtr object = xmlXPathEvalExpression((const xmlChar *)expression, ctx);
    if (!object) {
        if (error) *error = copy_message("XPath error", &ctx->lastError);
        xmlXPathFreeContext(ctx);
        return NULL;
    }
    xmlXPathFreeContext(ctx);
    trawl_xpath_result *result = malloc(sizeof *result);
    if (!result) { xmlXPathFreeObject(object); return NULL; }
    result->object = object;
    return result;
}

void trawl_xpath_free(trawl_xpath_result *result) {
    if (!result) return;
    xmlXPathFreeObject(result->object);
    free(result);
}

int trawl_xpath_kind(const trawl_xpath_result *result) {
    switch (result->object->type) {
    case XPATH_NODESET: return TRAWL_XPATH_NODES;
    case XPATH_BOOLEAN: return TRAWL_XPATH_BOOLEAN;
    case XPATH_NUMBER: return TRAWL_XPATH_NUMBER;
    case XPATH_STRING: return TRAWL_XPATH_STRING;
    default: return TRAWL_XPATH_OTHER;
    }
}

size_t trawl_xpath_node_count(const trawl_xpath_result *result) {
    xmlNodeSetPtr set = result->object->nodesetval;
    return (result->object->type == XPATH_NODESET && set) ? (size_t)set->nodeNr : 0;
}

trawl_node *trawl_xpath_node_at(const trawl_xpath_result *result, size_t index) {
    if (index >= trawl_xpath_node_count(result)) return NULL;
    return (trawl_node *)result->object->nodesetval->nodeTab[index];
}

char *trawl_xpath_string_value(const trawl_xpath_result *result) {
    xmlChar *s = xmlXPathCastToString(result->object);
    if (!s) return NULL;
    char *out = strdup((const char *)s);
    xmlFree(s);
    return out;
}

int trawl_node_kind(trawl_node *node) {
    switch (((xmlNodePtr)node)->type) {
    case XML_ELEMENT_NODE: return TRAWL_NODE_ELEMENT;
    case XML_TEXT_NODE: return TRAWL_NODE_TEXT;
    case XML_CDATA_SECTION_NODE: return TRAWL_NODE_CDATA;
    case XML_COMMENT_NODE: return TRAWL_NODE_COMMENT;
    case XML_HTML_DOCUMENT_NODE:
    case XML_DOCUMENT_NODE: return TRAWL_NODE_DOCUMENT;
    default: return TRAWL_NODE_OTHER;
    }
}

const char *trawl_node_name(trawl_node *node) {
    return (const char *)((xmlNodePtr)node)->name;
}

const char *trawl_node_text(trawl_node *node) {
    xmlNodePtr n = (xmlNodePtr)node;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE || n->type == XML_COMMENT_NODE)
        return (const char *)n->content;
    return NULL;
}

char *trawl_node_string_value(trawl_node *node) {
    xmlChar *s = xmlNodeGetContent((xmlNodePtr)node);
    if (!s) return NULL;
    char *out = strdup((const char *)s);
    xmlFree(s);
    return out;
}

char *trawl_node_attribute(trawl_node *node, const char *name) {
    xmlNodePtr n = (xmlNodePtr)node;
    if (n->type != XML_ELEMENT_NODE) return NULL;
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) return NULL;
    char *out = strdup((const char *)v);
    xmlFree(v);
    return out;
}

int trawl_node_has_attributes(trawl_node *node) {
    xmlNodePtr n = (xmlNodePtr)node;
    return n->type == XML_ELEMENT_NODE && n->properties != NULL;
}

trawl_node *trawl_node_first_child(trawl_node *node) {
    xmlNodePtr n = (xmlNodePtr)node;
    if (n->type == XML_ATTRIBUTE_NODE) return NULL;
    return (trawl_node *)n->children;
}

trawl_node *trawl_node_next_sibling(trawl_node *node) {
    return (trawl_node *)((xmlNodePtr)node)->next;
}

trawl_node *trawl_node_parent(trawl_node *node) {
    return (trawl_node *)((xmlNodePtr)node)->parent;
}

void trawl_free(void *pointer) { free(pointer); }

char *trawl_convert_to_utf8(const char *bytes, size_t length, const char *encoding, size_t *out_length) {
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1) return NULL;
    size_t capacity = length * 4 + 1;
    char *out = malloc(capacity);
    if (!out) { iconv_close(cd); return NULL; }
    char *in = (char *)bytes, *dst = out;
    size_t in_left = length, out_left = capacity - 1;
    size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
    iconv_close(cd);
    if (rc == (size_t)-1 || in_left != 0) { free(out); return NULL; }
    *dst = 0;
    if (out_length) *out_length = (size_t)(dst - out);
    return out;
}
