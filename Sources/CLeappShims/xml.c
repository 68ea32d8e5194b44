// libxml2 through pointers resolved once (loader.h): HTML and XML parsed without network,
// entities or DTDs, XPath, and node text and attributes copied out.
#define _GNU_SOURCE
#include "CLeappShims.h"
#include "leapp_libraries.h"
#include "loader.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

static void xml_silent(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
// Every function leapp calls, resolved once; xmlFree is a variable holding a function.
#define XML_FUNCTIONS(X)                                                                   \
    X(xmlInitParser) X(xmlSetGenericErrorFunc) X(htmlReadMemory) X(xmlReadMemory) X(xmlFreeDoc) \
    X(xmlNodeGetContent) X(xmlXPathNewContext) X(xmlXPathFreeContext) X(xmlXPathEvalExpression) X(xmlXPathFreeObject)
static struct {
    XML_FUNCTIONS(LEAPP_POINTER_FIELD)
    xmlFreeFunc *p_xmlFree;
} xml_api;
#define api xml_api
static const char *const sonames[] = {LEAPP_SONAMES_XML, NULL};
static leapp_library lib_xml = {sonames, NULL, 0, ""};

static void resolve(leapp_library *lib, __typeof__(xml_api) *api) {
    if (!leapp_open_library(lib)) return;
    XML_FUNCTIONS(LEAPP_RESOLVE_FIELD)
    if (!(api->p_xmlFree = (xmlFreeFunc *)leapp_require_symbol(lib, "xmlFree")) || !*api->p_xmlFree) {
        lib->ready = 0;
        return;
    }
    api->p_xmlInitParser();
    api->p_xmlSetGenericErrorFunc(NULL, xml_silent);
}
static void open_xml(void) { resolve(&lib_xml, &xml_api); }
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_free_string(void *p) {
    if (p) (*api.p_xmlFree)(p);
}

void *leapp_xml_parse(const char *buf, int len, int html, char **error) {
    pthread_once(&xml_once, open_xml);
    if (!lib_xml.ready) { *error = leapp_concat("cannot load libxml2: ", lib_xml.error); return NULL; }
    xmlDocPtr doc;
    if (html) {
        doc = api.p_htmlReadMemory(buf, len, NULL, "UTF-8",
                               HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                               HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED);
    } else {
        // No XML_PARSE_NOENT (no entity substitution), no DTDLOAD/DTDATTR, no network, no XInclude.
        doc = api.p_xmlReadMemory(buf, len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    }
    if (!doc) { *error = leapp_strdup(html ? "not parseable as HTML" : "not well-formed XML"); return NULL; }
    // Whatever the encoding hid from a byte scan, the parsed document tells: XML with a
    // document type declaration (internal or external subset) is refused.
    if (!html && (doc->intSubset || doc->extSubset)) {
        api.p_xmlFreeDoc(doc);
        *error = leapp_strdup("XML with a DOCTYPE is refused (entity or DTD tricks are not allowed in SAML or STS answers)");
        return NULL;
    }
    return doc;
}

void leapp_xml_free(void *doc) {
    if (doc) api.p_xmlFreeDoc(doc);
}

int leapp_xml_xpath(void *doc, void *node, const char *expr, void ***nodes) {
    *nodes = NULL;
    xmlXPathContextPtr ctx = api.p_xmlXPathNewContext(doc);
    if (!ctx) return -1;
    if (node) ctx->node = node;
    xmlXPathObjectPtr obj = api.p_xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    if (!obj) { api.p_xmlXPathFreeContext(ctx); return -1; }
    int count = 0;
    if (obj->type == XPATH_NODESET && obj->nodesetval) {
        count = obj->nodesetval->nodeNr;
        if (count > 0) {
            *nodes = malloc(sizeof(void *) * count);
            if (*nodes)
                for (int i = 0; i < count; i++) (*nodes)[i] = obj->nodesetval->nodeTab[i];
            else
                count = -2;  // out of memory
        }
    }
    api.p_xmlXPathFreeObject(obj);
    api.p_xmlXPathFreeContext(ctx);
    return count;
}

const char *leapp_xml_node_name(void *node) {
    xmlNodePtr n = node;
    return n->name ? (const char *)n->name : "";
}

char *leapp_xml_node_text(void *node) {
    xmlChar *c = api.p_xmlNodeGetContent(node);
    char *s = strdup(c ? (const char *)c : "");
    xml_free_string(c);
    return s;
}

char *leapp_xml_node_attributes(void *node, int *n) {
    xmlNodePtr el = node;
    *n = 0;
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    if (el->type == XML_ELEMENT_NODE) {
        for (xmlAttrPtr a = el->properties; a; a = a->next) {
            xmlChar *v = api.p_xmlNodeGetContent((xmlNodePtr)a);
            const char *name = (const char *)a->name, *value = v ? (const char *)v : "";
            size_t need = strlen(name) + strlen(value) + 3;
            while (len + need >= cap) {
                char *grown = realloc(out, cap * 2);
                if (!grown) {
                    xml_free_string(v);
                    free(out);
                    *n = 0;
                    return NULL;
                }
                out = grown;
                cap *= 2;
            }
            memcpy(out + len, name, strlen(name) + 1); len += strlen(name) + 1;
            memcpy(out + len, value, strlen(value) + 1); len += strlen(value) + 1;
            xml_free_string(v);
            (*n)++;
        }
    }
    out[len] = 0;
    return out;
}
