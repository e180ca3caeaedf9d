// libxml2's streaming reader behind the opaque trawl_xml_reader (see CTrawlXML.h).
#include "CTrawlXML.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct trawl_xml_reader {
    xmlTextReaderPtr reader;
    xmlChar *attribute;     /* the last attribute value handed out */
    int pending_end;        /* an empty element's end, sent after its start */
    char error[512];
};

static pthread_once_t reader_once = PTHREAD_ONCE_INIT;
static void init_reader(void) { xmlInitParser(); }

/* Errors are kept per reader: Swift tasks hop threads, so thread-global state would lie. */
static void on_error(void *arg, const char *msg, xmlParserSeverities severity, xmlTextReaderLocatorPtr loc) {
    (void)loc;
    struct trawl_xml_reader *r = arg;
    if (severity != XML_PARSER_SEVERITY_ERROR || r->error[0]) return;
    strncpy(r->error, msg ? msg : "XML error", sizeof r->error - 1);
    size_t n = strlen(r->error);
    while (n > 0 && (r->error[n - 1] == '\n' || r->error[n - 1] == ' ')) r->error[--n] = 0;
}

trawl_xml_reader *trawl_xml_reader_new(const char *bytes, size_t length) {
    pthread_once(&reader_once, init_reader);
    if (length > (size_t)0x7fffffff) return NULL;
    struct trawl_xml_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->reader = xmlReaderForMemory(bytes, (int)length, NULL, NULL,
                                   XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r->reader) { free(r); return NULL; }
    xmlTextReaderSetErrorHandler(r->reader, on_error, r);
    return r;
}

void trawl_xml_reader_free(trawl_xml_reader *r) {
    if (!r) return;
    if (r->attribute) xmlFree(r->attribute);
    xmlFreeTextReader(r->reader);
    free(r);
}

int trawl_xml_reader_next(trawl_xml_reader *r) {
    if (r->pending_end) { r->pending_end = 0; return TRAWL_XML_END; }
    for (;;) {
        int rc = xmlTextReaderRead(r->reader);
        if (rc == 0) return TRAWL_XML_END_OF_DOCUMENT;
        if (rc < 0) {
            if (!r->error[0]) strcpy(r->error, "malformed XML");
            return TRAWL_XML_ERROR;
        }
        switch (xmlTextReaderNodeType(r->reader)) {
        case XML_READER_TYPE_ELEMENT:
            if (xmlTextReaderIsEmptyElement(r->reader)) r->pending_end = 1;
            return TRAWL_XML_START;
        case XML_READER_TYPE_END_ELEMENT:
            return TRAWL_XML_END;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
            return TRAWL_XML_TEXT;
        default:
            continue;   /* comments, processing instructions, doctype, insignificant space */
        }
    }
}

const char *trawl_xml_reader_name(trawl_xml_reader *r) {
    const xmlChar *name = xmlTextReaderConstLocalName(r->reader);
    return name ? (const char *)name : "";   /* never NULL: "" is static storage */
}

const char *trawl_xml_reader_text(trawl_xml_reader *r) {
    return (const char *)xmlTextReaderConstValue(r->reader);
}

const char *trawl_xml_reader_attribute(trawl_xml_reader *r, const char *local_name, int prefixed) {
    if (r->attribute) { xmlFree(r->attribute); r->attribute = NULL; }
    if (!xmlTextReaderHasAttributes(r->reader)) return NULL;
    if (xmlTextReaderMoveToFirstAttribute(r->reader) != 1) return NULL;
    do {
        const xmlChar *name = xmlTextReaderConstLocalName(r->reader);
        int has_prefix = xmlTextReaderConstPrefix(r->reader) != NULL;
        if (name && strcmp((const char *)name, local_name) == 0 && (prefixed < 0 || prefixed == has_prefix)) {
            r->attribute = xmlTextReaderValue(r->reader);
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(r->reader) == 1);
    xmlTextReaderMoveToElement(r->reader);
    return (const char *)r->attribute;
}

const char *trawl_xml_reader_error(trawl_xml_reader *r) {
    return r->error[0] ? r->error : NULL;
}
