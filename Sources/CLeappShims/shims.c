// See include/CLeappShims.h. Every library function is reached through a pointer
// resolved with dlsym on first use; the headers supply the exact types.
#define _GNU_SOURCE
#include "CLeappShims.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <libsecret/secret.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void leapp_free(void *ptr) { free(ptr); }

void leapp_harden_process(void) {
    // Passwords, IdP cookies and assertions live in this process's memory: no core file,
    // and no other process of the same user may read it (ptrace, /proc/PID/mem).
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    // Over `ulimit -f`, write() fails with EFBIG (reported) instead of a silent SIGXFSZ death.
    signal(SIGXFSZ, SIG_IGN);
}

static char *dup_message(const char *a, const char *b) {
    size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0;
    char *s = malloc(la + lb + 1);
    if (!s) return NULL;
    if (la) memcpy(s, a, la);
    if (lb) memcpy(s + la, b, lb);
    s[la + lb] = 0;
    return s;
}

// ---- dynamic loading -----------------------------------------------------
typedef struct library {
    const char *const *names;
    void *handle;
    pthread_once_t once;
    char error[256];
} library;

static void open_library(library *lib) {
    for (const char *const *n = lib->names; *n; n++) {
        lib->handle = dlopen(*n, RTLD_NOW | RTLD_LOCAL);
        if (lib->handle) return;
    }
    const char *e = dlerror();
    snprintf(lib->error, sizeof lib->error, "%s (tried %s%s)", e ? e : "cannot load library", lib->names[0],
             lib->names[1] ? " and others" : "");
}

static const char *const curl_names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", NULL};
// libxml2 2.14 renamed its soname to libxml2.so.16.
static const char *const xml_names[] = {"libxml2.so.2", "libxml2.so.16", "libxml2.so", NULL};
static const char *const secret_names[] = {"libsecret-1.so.0", "libsecret-1.so", NULL};
static library curl_lib = {curl_names, NULL, PTHREAD_ONCE_INIT, ""};
static library xml_lib = {xml_names, NULL, PTHREAD_ONCE_INIT, ""};
static library secret_lib = {secret_names, NULL, PTHREAD_ONCE_INIT, ""};
static void open_curl(void) { open_library(&curl_lib); }
static void open_xml(void) { open_library(&xml_lib); }
static void open_secret(void) { open_library(&secret_lib); }

// Declares a static pointer `p_fn` of fn's type, resolved from lib on first use.
#define RESOLVE(lib, fn) \
    static __typeof__(&fn) p_##fn; \
    if (!p_##fn) p_##fn = (__typeof__(&fn))((lib).handle ? dlsym((lib).handle, #fn) : NULL)

// ---- libcurl -------------------------------------------------------------
typedef struct http_handle {
    CURL *curl;
} http_handle;

typedef struct body_buffer {
    char *data;
    size_t len, cap, max;
    int too_large;
} body_buffer;

static size_t write_body(char *ptr, size_t size, size_t nmemb, void *userdata) {
    body_buffer *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n > b->max) { b->too_large = 1; return 0; }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return 0;
        b->data = d; b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = 0;
    return n;
}

static int curl_ready = 0;
static void init_curl_global(void) {
    open_curl();
    RESOLVE(curl_lib, curl_global_init);
    if (p_curl_global_init && p_curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK) curl_ready = 1;
}
static pthread_once_t curl_global_once = PTHREAD_ONCE_INIT;

void *leapp_http_new(char **error) {
    pthread_once(&curl_global_once, init_curl_global);
    if (!curl_ready) { *error = dup_message("cannot load libcurl: ", curl_lib.error); return NULL; }
    RESOLVE(curl_lib, curl_easy_init);
    CURL *c = p_curl_easy_init();
    if (!c) { *error = dup_message("curl_easy_init failed", NULL); return NULL; }
    http_handle *h = calloc(1, sizeof *h);
    h->curl = c;
    RESOLVE(curl_lib, curl_easy_setopt);
    p_curl_easy_setopt(c, CURLOPT_COOKIEFILE, "");  // in-memory cookie engine
    return h;
}

void leapp_http_free(void *handle) {
    http_handle *h = handle;
    if (!h) return;
    RESOLVE(curl_lib, curl_easy_cleanup);
    p_curl_easy_cleanup(h->curl);
    free(h);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

void leapp_http_perform(void *handle, const leapp_http_request *req, leapp_http_result *out) {
    http_handle *h = handle;
    CURL *c = h->curl;
    RESOLVE(curl_lib, curl_easy_reset);
    RESOLVE(curl_lib, curl_easy_setopt);
    RESOLVE(curl_lib, curl_easy_perform);
    RESOLVE(curl_lib, curl_easy_getinfo);
    RESOLVE(curl_lib, curl_easy_strerror);
    RESOLVE(curl_lib, curl_slist_append);
    RESOLVE(curl_lib, curl_slist_free_all);
    memset(out, 0, sizeof *out);
    char errbuf[CURL_ERROR_SIZE] = {0};
    body_buffer body = {NULL, 0, 0, req->max_body, 0};
    struct curl_slist *headers = NULL;

    p_curl_easy_reset(c);  // keeps cookies and connections
    p_curl_easy_setopt(c, CURLOPT_COOKIEFILE, "");
    p_curl_easy_setopt(c, CURLOPT_URL, req->url);
    p_curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    p_curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    p_curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are checked and followed by the caller
    p_curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    p_curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    p_curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (req->ca_bundle && *req->ca_bundle) p_curl_easy_setopt(c, CURLOPT_CAINFO, req->ca_bundle);
    p_curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
    p_curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms);
    p_curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_body);
    p_curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    p_curl_easy_setopt(c, CURLOPT_USERAGENT, req->user_agent);
    p_curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_body);
    p_curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    if (req->headers)
        for (const char *const *hd = req->headers; *hd; hd++) headers = p_curl_slist_append(headers, *hd);
    if (headers) p_curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (strcmp(req->method, "POST") == 0) {
        p_curl_easy_setopt(c, CURLOPT_POST, 1L);
        p_curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        p_curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
    } else if (strcmp(req->method, "GET") != 0) {
        p_curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
    }

    CURLcode rc = p_curl_easy_perform(c);
    out->code = (int)rc;
    out->too_large = body.too_large || rc == CURLE_FILESIZE_EXCEEDED;
    p_curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    char *s = NULL;
    // The raw Location header: leapp resolves and checks it itself (a `file:` or
    // `javascript:` target must be refused by name, not resolved as a path).
    RESOLVE(curl_lib, curl_easy_header);
    struct curl_header *location = NULL;
    if (p_curl_easy_header && out->status >= 300 && out->status < 400 &&
        p_curl_easy_header(c, "Location", 0, CURLH_HEADER, -1, &location) == CURLHE_OK && location)
        out->redirect_url = dup_or_null(location->value);
    else if (p_curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &s) == CURLE_OK)
        out->redirect_url = dup_or_null(s);
    s = NULL;
    if (p_curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK) out->content_type = dup_or_null(s);
    struct curl_header *date = NULL;
    if (p_curl_easy_header && p_curl_easy_header(c, "Date", 0, CURLH_HEADER, -1, &date) == CURLHE_OK && date)
        out->date = dup_or_null(date->value);
    if (rc != CURLE_OK) out->error = strdup(errbuf[0] ? errbuf : p_curl_easy_strerror(rc));
    out->body = body.data ? body.data : calloc(1, 1);
    out->body_len = body.len;
    if (headers) p_curl_slist_free_all(headers);
    p_curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    p_curl_easy_setopt(c, CURLOPT_WRITEDATA, NULL);
}

void leapp_http_result_clear(leapp_http_result *res) {
    free(res->body); free(res->redirect_url); free(res->content_type); free(res->date); free(res->error);
    memset(res, 0, sizeof *res);
}

char *leapp_http_export_cookies(void *handle) {
    http_handle *h = handle;
    RESOLVE(curl_lib, curl_easy_getinfo);
    RESOLVE(curl_lib, curl_slist_free_all);
    struct curl_slist *list = NULL;
    if (p_curl_easy_getinfo(h->curl, CURLINFO_COOKIELIST, &list) != CURLE_OK) return strdup("");
    size_t total = 1;
    for (struct curl_slist *i = list; i; i = i->next) total += strlen(i->data) + 1;
    char *s = malloc(total), *p = s;
    for (struct curl_slist *i = list; i; i = i->next) {
        size_t n = strlen(i->data);
        memcpy(p, i->data, n); p += n; *p++ = '\n';
    }
    *p = 0;
    if (list) p_curl_slist_free_all(list);
    return s;
}

int leapp_http_import_cookie(void *handle, const char *line) {
    http_handle *h = handle;
    RESOLVE(curl_lib, curl_easy_setopt);
    return p_curl_easy_setopt(h->curl, CURLOPT_COOKIELIST, line) == CURLE_OK ? 0 : -1;
}

// ---- libxml2 -------------------------------------------------------------
static void xml_silent(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static int xml_ready = 0;
static void init_xml(void) {
    open_xml();
    RESOLVE(xml_lib, xmlInitParser);
    RESOLVE(xml_lib, xmlSetGenericErrorFunc);
    if (!p_xmlInitParser || !p_xmlSetGenericErrorFunc) return;
    p_xmlInitParser();
    p_xmlSetGenericErrorFunc(NULL, xml_silent);
    xml_ready = 1;
}
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_free_string(void *p) {
    // xmlFree is a global variable holding a function pointer.
    static xmlFreeFunc *free_var;
    if (!free_var) free_var = (xmlFreeFunc *)dlsym(xml_lib.handle, "xmlFree");
    if (p && free_var && *free_var) (*free_var)(p);
}

void *leapp_xml_parse(const char *buf, int len, int html, char **error) {
    pthread_once(&xml_once, init_xml);
    if (!xml_ready) { *error = dup_message("cannot load libxml2: ", xml_lib.error); return NULL; }
    xmlDocPtr doc;
    if (html) {
        RESOLVE(xml_lib, htmlReadMemory);
        doc = p_htmlReadMemory(buf, len, NULL, "UTF-8",
                               HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                               HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED);
    } else {
        RESOLVE(xml_lib, xmlReadMemory);
        // No XML_PARSE_NOENT (no entity substitution), no DTDLOAD/DTDATTR, no network, no XInclude.
        doc = p_xmlReadMemory(buf, len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    }
    if (!doc) { *error = dup_message(html ? "not parseable as HTML" : "not well-formed XML", NULL); return NULL; }
    // Whatever the encoding hid from a byte scan, the parsed document tells: XML with a
    // document type declaration (internal or external subset) is refused.
    if (!html && (doc->intSubset || doc->extSubset)) {
        RESOLVE(xml_lib, xmlFreeDoc);
        p_xmlFreeDoc(doc);
        *error = dup_message("XML with a DOCTYPE is refused (entity or DTD tricks are not allowed in SAML or STS answers)", NULL);
        return NULL;
    }
    return doc;
}

void leapp_xml_free(void *doc) {
    RESOLVE(xml_lib, xmlFreeDoc);
    if (doc) p_xmlFreeDoc(doc);
}

int leapp_xml_xpath(void *doc, void *node, const char *expr, void ***nodes) {
    RESOLVE(xml_lib, xmlXPathNewContext);
    RESOLVE(xml_lib, xmlXPathFreeContext);
    RESOLVE(xml_lib, xmlXPathEvalExpression);
    RESOLVE(xml_lib, xmlXPathFreeObject);
    *nodes = NULL;
    xmlXPathContextPtr ctx = p_xmlXPathNewContext(doc);
    if (!ctx) return -1;
    if (node) ctx->node = node;
    xmlXPathObjectPtr obj = p_xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    if (!obj) { p_xmlXPathFreeContext(ctx); return -1; }
    int count = 0;
    if (obj->type == XPATH_NODESET && obj->nodesetval) {
        count = obj->nodesetval->nodeNr;
        if (count > 0) {
            *nodes = malloc(sizeof(void *) * count);
            for (int i = 0; i < count; i++) (*nodes)[i] = obj->nodesetval->nodeTab[i];
        }
    }
    p_xmlXPathFreeObject(obj);
    p_xmlXPathFreeContext(ctx);
    return count;
}

const char *leapp_xml_node_name(void *node) {
    xmlNodePtr n = node;
    return n->name ? (const char *)n->name : "";
}

char *leapp_xml_node_text(void *node) {
    RESOLVE(xml_lib, xmlNodeGetContent);
    xmlChar *c = p_xmlNodeGetContent(node);
    char *s = strdup(c ? (const char *)c : "");
    xml_free_string(c);
    return s;
}

char *leapp_xml_node_attributes(void *node, int *n) {
    RESOLVE(xml_lib, xmlNodeGetContent);
    xmlNodePtr el = node;
    *n = 0;
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    if (el->type == XML_ELEMENT_NODE) {
        for (xmlAttrPtr a = el->properties; a; a = a->next) {
            xmlChar *v = p_xmlNodeGetContent((xmlNodePtr)a);
            const char *name = (const char *)a->name, *value = v ? (const char *)v : "";
            size_t need = strlen(name) + strlen(value) + 3;
            while (len + need >= cap) { cap *= 2; out = realloc(out, cap); }
            memcpy(out + len, name, strlen(name) + 1); len += strlen(name) + 1;
            memcpy(out + len, value, strlen(value) + 1); len += strlen(value) + 1;
            xml_free_string(v);
            (*n)++;
        }
    }
    out[len] = 0;
    return out;
}

// ---- libsecret -----------------------------------------------------------
static int secret_ready = 0;
static void init_secret(void) {
    open_secret();
    secret_ready = secret_lib.handle != NULL;
}
static pthread_once_t secret_once = PTHREAD_ONCE_INIT;

static const SecretSchema leapp_schema = {
    "dev.leapp-swift.Secret",
    SECRET_SCHEMA_NONE,
    {
        {"kind", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"key", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {NULL, 0},
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

// A watchdog cancels a blocking libsecret call after timeout_ms, so that an
// unreachable or locked keyring fails fast instead of waiting for D-Bus' 25 s.
typedef struct watchdog {
    GCancellable *cancellable;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int done, fired, timeout_ms, started;
} watchdog;

static void *watchdog_main(void *arg) {
    watchdog *w = arg;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);  // the condition waits on this clock (watchdog_start)
    until.tv_sec += w->timeout_ms / 1000;
    until.tv_nsec += (long)(w->timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&w->lock);
    int rc = 0;
    while (!w->done && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&w->cond, &w->lock, &until);
    if (!w->done) {
        w->fired = 1;
        RESOLVE(secret_lib, g_cancellable_cancel);
        p_g_cancellable_cancel(w->cancellable);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void watchdog_start(watchdog *w, int timeout_ms) {
    RESOLVE(secret_lib, g_cancellable_new);
    memset(w, 0, sizeof *w);
    w->cancellable = p_g_cancellable_new();
    w->timeout_ms = timeout_ms > 0 ? timeout_ms : 1000;
    pthread_mutex_init(&w->lock, NULL);
    // A wall-clock jump must neither fire the watchdog early nor stall it.
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &attr);
    pthread_condattr_destroy(&attr);
    w->started = pthread_create(&w->thread, NULL, watchdog_main, w) == 0;
}

static int watchdog_stop(watchdog *w) {
    RESOLVE(secret_lib, g_object_unref);
    pthread_mutex_lock(&w->lock);
    w->done = 1;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
    if (w->started) pthread_join(w->thread, NULL);
    int fired = w->fired;
    p_g_object_unref(w->cancellable);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->cond);
    return fired;
}

static GHashTable *make_attributes(const char *kind, const char *key) {
    RESOLVE(secret_lib, g_hash_table_new);
    RESOLVE(secret_lib, g_hash_table_insert);
    RESOLVE(secret_lib, g_str_hash);
    RESOLVE(secret_lib, g_str_equal);
    GHashTable *t = p_g_hash_table_new(p_g_str_hash, p_g_str_equal);
    if (kind) p_g_hash_table_insert(t, (gpointer) "kind", (gpointer)kind);
    if (key) p_g_hash_table_insert(t, (gpointer) "key", (gpointer)key);
    return t;
}

static int finish(GError *err, int fired, char **error) {
    RESOLVE(secret_lib, g_error_free);
    if (!err) return LEAPP_SECRET_OK;
    int rc = fired ? LEAPP_SECRET_TIMEOUT : LEAPP_SECRET_ERROR;
    *error = strdup(err->message ? err->message : "unknown keyring error");
    p_g_error_free(err);
    return rc;
}

#define REQUIRE_SECRET(error) \
    pthread_once(&secret_once, init_secret); \
    if (!secret_ready) { *(error) = dup_message("cannot load libsecret: ", secret_lib.error); return LEAPP_SECRET_ERROR; }

// The name of the collection an item lives in, from its object path
// (/org/freedesktop/secrets/collection/NAME/ITEM).
static char *collection_of(void *item) {
    RESOLVE(secret_lib, g_dbus_proxy_get_object_path);
    const char *path = p_g_dbus_proxy_get_object_path((GDBusProxy *)item);
    const char *marker = "/collection/";
    const char *start = path ? strstr(path, marker) : NULL;
    if (!start) return strdup("default");
    start += strlen(marker);
    const char *end = strchr(start, '/');
    return strndup(start, end ? (size_t)(end - start) : strlen(start));
}

// Finds leapp's item for (kind, key) without unlocking anything: a locked collection is
// reported (LEAPP_SECRET_LOCKED, *error = the collection's name), never read as "no item".
static int find_item(const char *kind, const char *key, int load_secret, int timeout_ms, GList **items,
                     SecretItem **item, char **error) {
    RESOLVE(secret_lib, secret_service_search_sync);
    RESOLVE(secret_lib, secret_item_get_locked);
    RESOLVE(secret_lib, g_hash_table_unref);
    *items = NULL;
    *item = NULL;
    GHashTable *attrs = make_attributes(kind, key);
    watchdog w;
    watchdog_start(&w, timeout_ms);
    GError *err = NULL;
    *items = p_secret_service_search_sync(NULL, &leapp_schema, attrs,
                                          SECRET_SEARCH_ALL | (load_secret ? SECRET_SEARCH_LOAD_SECRETS : 0),
                                          w.cancellable, &err);
    int fired = watchdog_stop(&w);
    p_g_hash_table_unref(attrs);
    if (err) return finish(err, fired, error);
    if (!*items) return LEAPP_SECRET_NOT_FOUND;
    for (GList *i = *items; i; i = i->next)
        if (!p_secret_item_get_locked(i->data)) { *item = i->data; return LEAPP_SECRET_OK; }
    *error = collection_of((*items)->data);
    return LEAPP_SECRET_LOCKED;
}

static void free_items(GList *items) {
    RESOLVE(secret_lib, g_list_free_full);
    RESOLVE(secret_lib, g_object_unref);
    if (items) p_g_list_free_full(items, p_g_object_unref);
}

// Whether leapp's items can be stored: the default collection's `Locked` property, read
// without unlocking anything.
int leapp_secret_check_writable(int timeout_ms, char **error) {
    REQUIRE_SECRET(error);
    RESOLVE(secret_lib, secret_service_get_sync);
    RESOLVE(secret_lib, secret_collection_for_alias_sync);
    RESOLVE(secret_lib, secret_collection_get_locked);
    RESOLVE(secret_lib, g_object_unref);
    watchdog w;
    watchdog_start(&w, timeout_ms);
    GError *err = NULL;
    SecretService *service = p_secret_service_get_sync(SECRET_SERVICE_NONE, w.cancellable, &err);
    SecretCollection *collection = service ? p_secret_collection_for_alias_sync(service, SECRET_COLLECTION_DEFAULT,
                                                                                SECRET_COLLECTION_NONE, w.cancellable, &err) : NULL;
    int fired = watchdog_stop(&w);
    if (service) p_g_object_unref(service);
    if (err) {
        if (collection) p_g_object_unref(collection);
        return finish(err, fired, error);
    }
    if (!collection) return LEAPP_SECRET_NOT_FOUND;  // no default collection yet: the first store makes one
    int locked = p_secret_collection_get_locked(collection);
    if (locked) *error = collection_of(collection);
    p_g_object_unref(collection);
    return locked ? LEAPP_SECRET_LOCKED : LEAPP_SECRET_OK;
}

int leapp_secret_store(const char *kind, const char *key, const char *label, const char *secret,
                       int timeout_ms, char **error) {
    REQUIRE_SECRET(error);
    RESOLVE(secret_lib, secret_password_storev_sync);
    RESOLVE(secret_lib, g_hash_table_unref);
    GHashTable *attrs = make_attributes(kind, key);
    watchdog w;
    watchdog_start(&w, timeout_ms);
    GError *err = NULL;
    p_secret_password_storev_sync(&leapp_schema, attrs, SECRET_COLLECTION_DEFAULT, label, secret, w.cancellable, &err);
    int fired = watchdog_stop(&w);
    p_g_hash_table_unref(attrs);
    // A store into a locked collection waits for an unlock prompt until the deadline: when
    // that is why, say so (one more look, only on this failure path).
    if (err && fired) {
        char *name = NULL;
        if (leapp_secret_check_writable(timeout_ms, &name) == LEAPP_SECRET_LOCKED) {
            RESOLVE(secret_lib, g_error_free);
            p_g_error_free(err);
            *error = name;
            return LEAPP_SECRET_LOCKED;
        }
        free(name);
    }
    return finish(err, fired, error);
}

int leapp_secret_lookup(const char *kind, const char *key, int timeout_ms, char **secret, char **error) {
    REQUIRE_SECRET(error);
    RESOLVE(secret_lib, secret_password_lookupv_sync);
    RESOLVE(secret_lib, secret_password_free);
    RESOLVE(secret_lib, g_hash_table_unref);
    *secret = NULL;
    // libsecret's own lookup first (the hot path: `leapp env` on cached credentials)...
    GHashTable *attrs = make_attributes(kind, key);
    watchdog w;
    watchdog_start(&w, timeout_ms);
    GError *err = NULL;
    gchar *value = p_secret_password_lookupv_sync(&leapp_schema, attrs, w.cancellable, &err);
    int fired = watchdog_stop(&w);
    p_g_hash_table_unref(attrs);
    if (err) { if (value) p_secret_password_free(value); return finish(err, fired, error); }
    if (value) {
        *secret = strdup(value);
        p_secret_password_free(value);
        return LEAPP_SECRET_OK;
    }
    // ...and when it finds nothing, a search that unlocks nothing tells a locked item from none.
    GList *items;
    SecretItem *item;
    int rc = find_item(kind, key, 0, timeout_ms, &items, &item, error);
    free_items(items);
    return rc == LEAPP_SECRET_OK ? LEAPP_SECRET_NOT_FOUND : rc;
}

int leapp_secret_clear(const char *kind, const char *key, int timeout_ms, char **error) {
    REQUIRE_SECRET(error);
    RESOLVE(secret_lib, secret_item_delete_sync);
    GList *items;
    SecretItem *item;
    int rc = find_item(kind, key, 0, timeout_ms, &items, &item, error);
    RESOLVE(secret_lib, secret_item_get_locked);
    RESOLVE(secret_lib, g_error_free);
    for (GList *i = items; rc == LEAPP_SECRET_OK && i; i = i->next) {
        if (p_secret_item_get_locked(i->data)) continue;
        watchdog w;
        watchdog_start(&w, timeout_ms);
        GError *err = NULL;
        p_secret_item_delete_sync(i->data, w.cancellable, &err);
        int fired = watchdog_stop(&w);
        // An item another process deleted meanwhile counts as gone.
        if (err && !fired && err->message && strstr(err->message, "No such")) { p_g_error_free(err); err = NULL; }
        if (err) rc = finish(err, fired, error);
    }
    free_items(items);
    return rc;
}

int leapp_secret_keys(const char *kind, int timeout_ms, char **keys, char **error) {
    REQUIRE_SECRET(error);
    RESOLVE(secret_lib, secret_item_get_attributes);
    RESOLVE(secret_lib, g_hash_table_lookup);
    RESOLVE(secret_lib, g_hash_table_unref);
    *keys = NULL;
    if (!p_secret_item_get_attributes || !p_g_hash_table_lookup || !p_g_hash_table_unref) {
        *error = strdup("libsecret lacks secret_item_get_attributes");
        return LEAPP_SECRET_ERROR;
    }
    GList *items;
    SecretItem *item;
    int rc = find_item(kind, NULL, 0, timeout_ms, &items, &item, error);
    if (rc == LEAPP_SECRET_NOT_FOUND) { *keys = strdup(""); return *keys ? LEAPP_SECRET_OK : LEAPP_SECRET_ERROR; }
    if (rc != LEAPP_SECRET_OK) { free_items(items); return rc; }
    size_t len = 0;
    char *out = calloc(1, 1);
    for (GList *i = items; out && i; i = i->next) {
        GHashTable *attrs = p_secret_item_get_attributes(i->data);
        const char *k = attrs ? p_g_hash_table_lookup(attrs, "key") : NULL;
        if (k && !strchr(k, '\n')) {
            size_t n = strlen(k);
            char *grown = realloc(out, len + n + 2);
            if (!grown) { free(out); out = NULL; }
            else {
                out = grown;
                memcpy(out + len, k, n);
                len += n;
                out[len++] = '\n';
                out[len] = 0;
            }
        }
        if (attrs) p_g_hash_table_unref(attrs);
    }
    free_items(items);
    if (!out) { *error = strdup("out of memory"); return LEAPP_SECRET_ERROR; }
    *keys = out;
    return LEAPP_SECRET_OK;
}
